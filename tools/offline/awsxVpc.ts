/**
 * The children an `awsx:ec2:Vpc` (a remote component: under Pulumi's mocks it is one registration
 * and its provider never runs) would register in a real `pulumi preview`, computed from the inputs
 * the program passed, by the same rules as awsx's own code. Used by the mocks (subnet ids, CIDR
 * blocks and Availability Zones the rest of the program reads) and by the human view (the children
 * listed under the VPC, marked as computed).
 *
 * Source: pulumi/pulumi-awsx, `awsx/ec2/vpc.ts` (`Vpc.initialize`: the inner `aws.ec2.Vpc` named
 * like the component; the `InternetGateway`, always created; per AZ and per subnet spec, public
 * first (`compareSubnetSpecs`): a `Subnet`, its `RouteTable` (parent: the subnet), a
 * `RouteTableAssociation` (parent: the route table), an `Eip` and `NatGateway` named
 * `<vpc>-<az number>` in the public subnet (`shouldCreateNatGateway`), and a `0.0.0.0/0` `Route`
 * to the internet gateway (public) or the NAT gateway (private, unless the strategy is `None`)),
 * `awsx/ec2/subnetDistributorNew.ts` (`getSubnetSpecs`, `allocateSubnetCidrBlocks`,
 * `nextNetmask`, `newBits`, `defaultSubnetInputs`: the CIDR layout of `subnetStrategy: "Auto"`)
 * and `awsx/ec2/subnetNaming.ts` (`subnetName`: `<vpc>-<type lowercased>-<az number>`), read at
 * commit e60adf3cf01f3ac03cc6bc846cdd0df320afed23. The CIDR arithmetic uses `netmask`, the library
 * awsx itself uses.
 */
import { createHash } from "node:crypto";
import { Netmask } from "netmask";

/** One subnet awsx would create. */
export interface AwsxSubnet {
    /** Pulumi resource name (also the route table's, association's and route's). */
    readonly name: string;
    /** `Public`, `Private` or `Isolated`. */
    readonly type: string;
    readonly availabilityZone: string;
    /** 1-based index of the AZ (awsx's `azNum`). */
    readonly azNumber: number;
    readonly cidrBlock: string;
    /** Deterministic mock id, `subnet-<17 hex>`. */
    readonly id: string;
    /** Deterministic mock id of its route table, `rtb-<17 hex>`. */
    readonly routeTableId: string;
}

/** One child resource in the tree under the component (parent given by name and type). */
export interface AwsxChild {
    /** Full type token, e.g. `aws:ec2/subnet:Subnet`. */
    readonly type: string;
    readonly name: string;
    /** Index into the children list of its parent, or -1 for the component itself. */
    readonly parent: number;
    /** A short description of what is configured (CIDR, AZ, route target). */
    readonly detail?: string;
}

/** The computed layout of one awsx VPC. */
export interface AwsxVpcLayout {
    readonly vpcId: string;
    readonly cidrBlock: string;
    readonly subnets: readonly AwsxSubnet[];
    /** In the order awsx registers them (a parent before its children). */
    readonly children: readonly AwsxChild[];
    /** NAT gateway mock ids. */
    readonly natGatewayIds: readonly string[];
}

interface SubnetSpecInput {
    type?: string;
    cidrMask?: number;
    name?: string;
}

/** Deterministic hex of `length` from a seed. */
function hex(seed: string, length: number): string {
    return createHash("sha256").update(seed).digest("hex").slice(0, length);
}

/** awsx `newBits`: bits needed to split a block into `count` parts. */
function newBits(count: number): number {
    return count === 0 ? 0 : Math.ceil(Math.log2(count));
}

/** awsx `nextNetmask`: the block of `bitmask` after the one containing the previous block's last address. */
function nextNetmask(previous: Netmask, bitmask: number): Netmask {
    return new Netmask(previous.last, bitmask).next();
}

/** awsx `compareSubnetSpecs` order: public, private, isolated. */
const TYPE_ORDER: Record<string, number> = { public: 0, private: 1, isolated: 2 };

/**
 * Computes the children and subnet layout of an `awsx:ec2:Vpc` from the inputs the program passed.
 *
 * @param name the component's resource name (children are named from it).
 * @param inputs the component's inputs as registered (`cidrBlock`, `availabilityZoneNames`,
 *   `subnetStrategy`, `subnetSpecs`, `natGateways.strategy`).
 * @param region the Region, for awsx's default of three AZs when `availabilityZoneNames` is absent
 *   (omitted: such inputs are `unsupported`).
 * @returns the layout, or an `unsupported` reason when the inputs use a strategy this module does
 *   not reproduce (the Legacy allocator, explicit `cidrBlocks`, IPAM, Elastic IP allocation ids).
 */
export function awsxVpcLayout(name: string, inputs: Record<string, unknown>, region?: string): AwsxVpcLayout | { unsupported: string } {
    const cidrBlock = typeof inputs.cidrBlock === "string" ? inputs.cidrBlock : "10.0.0.0/16"; // awsx's default
    const strategy = typeof inputs.subnetStrategy === "string" ? inputs.subnetStrategy : "Legacy";
    if (strategy !== "Auto") {
        return { unsupported: `subnetStrategy ${strategy}` };
    }
    if (!Array.isArray(inputs.availabilityZoneNames) && region === undefined) {
        return { unsupported: "no availabilityZoneNames" };
    }
    // Without availabilityZoneNames awsx asks the Region for its AZs (3 by default); the mocks answer `<region>a|b|c`.
    const azs = Array.isArray(inputs.availabilityZoneNames) ? (inputs.availabilityZoneNames as string[]) : [`${region}a`, `${region}b`, `${region}c`];
    const natStrategy = String((inputs.natGateways as { strategy?: string } | undefined)?.strategy ?? "OnePerAz");
    if ((inputs.natGateways as { elasticIpAllocationIds?: unknown } | undefined)?.elasticIpAllocationIds !== undefined) {
        return { unsupported: "natGateways.elasticIpAllocationIds" };
    }
    const vpcNetmask = new Netmask(cidrBlock);
    const azBitmask = vpcNetmask.bitmask + newBits(azs.length);
    const given = Array.isArray(inputs.subnetSpecs) ? (inputs.subnetSpecs as SubnetSpecInput[]) : undefined;
    if (given?.some((s) => "cidrBlocks" in s)) {
        return { unsupported: "subnetSpecs with cidrBlocks" };
    }
    const maxBitmask = Math.max(azBitmask, 16);
    const specs: SubnetSpecInput[] = given ?? [
        { type: "Private", cidrMask: maxBitmask + 1 },
        { type: "Public", cidrMask: maxBitmask + 2 },
    ];
    const defaultSubnetBitmask = azBitmask + newBits(specs.length);

    const vpcId = `vpc-${hex(`${name}|vpc`, 17)}`;
    const subnets: AwsxSubnet[] = [];
    let azBlock = new Netmask(`${vpcNetmask.base}/${azBitmask}`);
    azs.forEach((az, azIndex) => {
        let block: Netmask | undefined;
        for (const spec of specs) {
            const bitmask = spec.cidrMask ?? defaultSubnetBitmask;
            block = block === undefined ? new Netmask(azBlock.base, bitmask) : nextNetmask(block, bitmask);
            const type = spec.type ?? "Private";
            if (type.toLowerCase() === "unused") continue;
            const subnetName = `${name}-${spec.name ?? type.toLowerCase()}-${azIndex + 1}`;
            subnets.push({
                name: subnetName,
                type,
                availabilityZone: az,
                azNumber: azIndex + 1,
                cidrBlock: block.toString(),
                id: `subnet-${hex(`${vpcId}|${subnetName}`, 17)}`,
                routeTableId: `rtb-${hex(`${vpcId}|${subnetName}|rtb`, 17)}`,
            });
        }
        azBlock = azBlock.next();
    });

    const children: AwsxChild[] = [];
    const add = (child: AwsxChild) => children.push(child) - 1;
    const vpc = add({ type: "aws:ec2/vpc:Vpc", name, parent: -1, detail: cidrBlock });
    add({ type: "aws:ec2/internetGateway:InternetGateway", name, parent: vpc });
    const natGatewayIds: string[] = [];
    azs.forEach((az, azIndex) => {
        const inAz = subnets.filter((s) => s.availabilityZone === az).sort((a, b) => (TYPE_ORDER[a.type.toLowerCase()] ?? 3) - (TYPE_ORDER[b.type.toLowerCase()] ?? 3));
        for (const s of inAz) {
            const kind = s.type.toLowerCase();
            const subnet = add({ type: "aws:ec2/subnet:Subnet", name: s.name, parent: vpc, detail: `${s.cidrBlock} ${s.availabilityZone}` });
            const rt = add({ type: "aws:ec2/routeTable:RouteTable", name: s.name, parent: subnet });
            add({ type: "aws:ec2/routeTableAssociation:RouteTableAssociation", name: s.name, parent: rt });
            const natNeeded =
                kind === "public" &&
                (natStrategy.toLowerCase() === "single" ? natGatewayIds.length < 1 : natStrategy.toLowerCase() === "oneperaz" ? natGatewayIds.length < azIndex + 1 : false);
            if (natNeeded) {
                add({ type: "aws:ec2/eip:Eip", name: `${name}-${azIndex + 1}`, parent: subnet });
                add({ type: "aws:ec2/natGateway:NatGateway", name: `${name}-${azIndex + 1}`, parent: subnet });
                natGatewayIds.push(`nat-${hex(`${vpcId}|nat|${azIndex}`, 17)}`);
            }
            if (kind === "public") {
                add({ type: "aws:ec2/route:Route", name: s.name, parent: rt, detail: "0.0.0.0/0 → internet gateway" });
            } else if (kind === "private" && natStrategy.toLowerCase() !== "none") {
                add({ type: "aws:ec2/route:Route", name: s.name, parent: rt, detail: "0.0.0.0/0 → NAT gateway" });
            }
        }
    });
    return { vpcId, cidrBlock, subnets, children, natGatewayIds };
}

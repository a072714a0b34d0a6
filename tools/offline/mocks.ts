/**
 * Pulumi mocks for the offline preview and the tests: plausible provider-computed outputs (ids,
 * ARNs, DNS names) for every resource type the program declares, and answers for the invokes it
 * makes. No cloud call is ever made. An invoke without a mock fails loudly instead of returning
 * something made up.
 */
import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import { Netmask } from "netmask";
import { awsxVpcLayout } from "./awsxVpc";

/** Account id the mocks use for the deploying account (a documentation placeholder). */
export const MOCK_ACCOUNT_ID = "111111111111";

/** What a computed-output function gets. */
export interface MockContext {
    readonly name: string;
    readonly inputs: Record<string, unknown>;
    readonly region: string;
    readonly account: string;
    /** Deterministic hex string derived from the resource name, `length` characters. */
    hex(length: number): string;
    /** Networks the mocks created so far (subnets of awsx VPCs), read by later mocks and invokes. */
    readonly facts: MockFacts;
}

/** A subnet the mocks know: what `aws.ec2.getSubnet` answers for its id. */
export interface SubnetFact {
    readonly cidrBlock: string;
    readonly availabilityZone: string;
    readonly vpcId: string;
}

/**
 * What the mocks learned from earlier registrations, so that values that look like configuration
 * (subnet CIDRs, AZs, private IPs) follow the stack's configuration instead of fixed placeholders.
 */
export interface MockFacts {
    /** By subnet id. */
    readonly subnets: Map<string, SubnetFact>;
    /** VPC CIDR blocks by VPC id. */
    readonly vpcs: Map<string, string>;
}

/** Computed outputs of one resource type: `id` plus the state properties the provider adds. */
export type OutputMock = (ctx: MockContext) => { id?: string } & Record<string, unknown>;

function s(v: unknown): string | undefined {
    return typeof v === "string" ? v : undefined;
}

/**
 * Provider-computed outputs per resource type. Types not listed get an id and a generic ARN.
 * Add a type here when the program starts reading an output the generic mock does not provide.
 */
export const OUTPUT_MOCKS: Record<string, OutputMock> = {
    "aws:s3/bucket:Bucket": (c) => {
        const bucket = s(c.inputs.bucket) ?? `${c.name}-${c.hex(7)}`;
        return {
            id: bucket,
            bucket,
            arn: `arn:aws:s3:::${bucket}`,
            bucketRegion: s(c.inputs.region) ?? c.region,
            region: s(c.inputs.region) ?? c.region,
            bucketDomainName: `${bucket}.s3.amazonaws.com`,
            bucketRegionalDomainName: `${bucket}.s3.${c.region}.amazonaws.com`,
            hostedZoneId: "Z3AQBSTGFYJSTF",
        };
    },
    "aws:iam/role:Role": (c) => {
        const name = s(c.inputs.name) ?? `${c.name}-${c.hex(7)}`;
        return { id: name, name, arn: `arn:aws:iam::${c.account}:role${s(c.inputs.path) ?? "/"}${name}`, uniqueId: `AROA${c.hex(17).toUpperCase()}` };
    },
    "aws:iam/user:User": (c) => {
        const name = s(c.inputs.name) ?? c.name;
        return { id: name, name, arn: `arn:aws:iam::${c.account}:user${s(c.inputs.path) ?? "/"}${name}`, uniqueId: `AIDA${c.hex(17).toUpperCase()}` };
    },
    "aws:iam/group:Group": (c) => {
        const name = s(c.inputs.name) ?? c.name;
        return { id: name, name, arn: `arn:aws:iam::${c.account}:group${s(c.inputs.path) ?? "/"}${name}`, uniqueId: `AGPA${c.hex(17).toUpperCase()}` };
    },
    "aws:iam/policy:Policy": (c) => {
        const name = s(c.inputs.name) ?? `${c.name}-${c.hex(7)}`;
        const arn = `arn:aws:iam::${c.account}:policy${s(c.inputs.path) ?? "/"}${name}`;
        return { id: arn, name, arn, policyId: `ANPA${c.hex(17).toUpperCase()}` };
    },
    "aws:iam/instanceProfile:InstanceProfile": (c) => {
        const name = s(c.inputs.name) ?? `${c.name}-${c.hex(7)}`;
        return { id: name, name, arn: `arn:aws:iam::${c.account}:instance-profile/${name}` };
    },
    "aws:iam/userLoginProfile:UserLoginProfile": (c) => ({ id: s(c.inputs.user) ?? c.name, password: "offline-preview-mock-password" }),
    "aws:iam/accessKey:AccessKey": (c) => ({ id: `AKIA${"EXAMPLE"}${c.hex(9).toUpperCase()}`, secret: "offline-preview-mock-secret", status: "Active" }),
    "aws:secretsmanager/secret:Secret": (c) => {
        const name = s(c.inputs.name) ?? `${c.name}-${c.hex(7)}`;
        const arn = `arn:aws:secretsmanager:${c.region}:${c.account}:secret:${name}-${c.hex(6)}`;
        return { id: arn, arn, name };
    },
    "aws:sns/topic:Topic": (c) => {
        const name = s(c.inputs.name) ?? `${c.name}-${c.hex(7)}`;
        const arn = `arn:aws:sns:${c.region}:${c.account}:${name}`;
        return { id: arn, arn, name };
    },
    "aws:cloudwatch/logGroup:LogGroup": (c) => {
        const name = s(c.inputs.name) ?? `${c.name}-${c.hex(7)}`;
        return { id: name, name, arn: `arn:aws:logs:${c.region}:${c.account}:log-group:${name}` };
    },
    "aws:ec2/securityGroup:SecurityGroup": (c) => {
        const id = `sg-${c.hex(17)}`;
        return { id, arn: `arn:aws:ec2:${c.region}:${c.account}:security-group/${id}`, ownerId: c.account };
    },
    "aws:ec2/instance:Instance": (c) => {
        const id = `i-${c.hex(17)}`;
        // The tenth host address of the instance's subnet when the mocks know it (AWS reserves the first four).
        const subnet = c.facts.subnets.get(s(c.inputs.subnetId) ?? "");
        const privateIp = subnet ? hostAddress(subnet.cidrBlock, 10) : "10.0.1.10";
        return { id, arn: `arn:aws:ec2:${c.region}:${c.account}:instance/${id}`, privateIp, privateDns: `ip-${privateIp.replace(/\./g, "-")}.ec2.internal` };
    },
    "aws:fsx/lustreFileSystem:LustreFileSystem": (c) => {
        const id = `fs-${c.hex(17)}`;
        return {
            id,
            arn: `arn:aws:fsx:${c.region}:${c.account}:file-system/${id}`,
            dnsName: `${id}.fsx.${c.region}.amazonaws.com`,
            mountName: c.hex(8),
            networkInterfaceIds: [`eni-${c.hex(17)}`],
            ownerId: c.account,
        };
    },
    "aws:fsx/dataRepositoryAssociation:DataRepositoryAssociation": (c) => {
        const id = `dra-${c.hex(17)}`;
        return { id, associationId: id, arn: `arn:aws:fsx:${c.region}:${c.account}:association/${id}` };
    },
    "aws:kms/key:Key": (c) => {
        const id = `${c.hex(8)}-${c.hex(4)}-${c.hex(4)}-${c.hex(4)}-${c.hex(12)}`;
        return { id, keyId: id, arn: `arn:aws:kms:${c.region}:${c.account}:key/${id}` };
    },
};

/**
 * Outputs of an `awsx:ec2:Vpc` (a remote component: the mock stands in for its children): the
 * subnets, route tables and NAT gateways awsx would create for these inputs, with the CIDR blocks
 * and AZs of its subnet layout (`awsxVpcLayout`, from awsx's sources), remembered in the facts so
 * that `getSubnet` of one of its subnets answers its real CIDR and AZ.
 */
OUTPUT_MOCKS["awsx:ec2:Vpc"] = (c) => {
    const layout = awsxVpcLayout(c.name, c.inputs, c.region);
    if ("unsupported" in layout) {
        throw new Error(`the offline preview cannot compute the awsx VPC ${c.name} (${layout.unsupported}); extend tools/offline/awsxVpc.ts`);
    }
    c.facts.vpcs.set(layout.vpcId, layout.cidrBlock);
    for (const subnet of layout.subnets) {
        c.facts.subnets.set(subnet.id, { cidrBlock: subnet.cidrBlock, availabilityZone: subnet.availabilityZone, vpcId: layout.vpcId });
    }
    const ids = (type: string) => layout.subnets.filter((sn) => sn.type.toLowerCase() === type).map((sn) => sn.id);
    return {
        vpcId: layout.vpcId,
        privateSubnetIds: ids("private"),
        publicSubnetIds: ids("public"),
        isolatedSubnetIds: ids("isolated"),
        routeTables: layout.subnets.map((sn) => ({ id: sn.routeTableId })),
        natGateways: layout.natGatewayIds.map((id) => ({ id })),
    };
};

/** The `n`-th address of a CIDR block (e.g. `10.42.0.0/17`, 10 → `10.42.0.10`). */
function hostAddress(cidrBlock: string, n: number): string {
    const block = new Netmask(cidrBlock);
    return new Netmask(block.base, 32).next(n).base;
}

/** Generic fallback: an id from the name and an ARN built from the type's service module. */
function genericOutputs(type: string, c: MockContext): { id: string } & Record<string, unknown> {
    const id = `${c.name}-${c.hex(8)}`;
    const service = /^aws:([a-z0-9]+)\//.exec(type)?.[1] ?? "unknown";
    return { id, arn: `arn:aws:${service}:${c.region}:${c.account}:${id}` };
}

/** Invoke answers, by token. */
export type InvokeMock = (args: Record<string, unknown>, region: string, account: string, facts: MockFacts) => Record<string, unknown>;

/** Answers for the provider functions the program calls. */
export const INVOKE_MOCKS: Record<string, InvokeMock> = {
    "aws:index/getCallerIdentity:getCallerIdentity": (_a, _region, account) => ({
        accountId: account,
        arn: `arn:aws:iam::${account}:user/offline-preview`,
        userId: "AIDAOFFLINEPREVIEW",
        id: account,
    }),
    "aws:index/getRegion:getRegion": (_a, region) => ({ name: region, region, id: region, endpoint: `ec2.${region}.amazonaws.com` }),
    "aws:index/getPartition:getPartition": () => ({ partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" }),
    "aws:index/getAvailabilityZones:getAvailabilityZones": (_a, region) => ({
        names: [`${region}a`, `${region}b`, `${region}c`],
        zoneIds: ["use1-az1", "use1-az2", "use1-az4"],
        id: region,
    }),
    // A subnet of an awsx VPC the mocks created answers its computed CIDR and AZ; an existing
    // subnet (network.existing, not described in the config) gets placeholder values.
    "aws:ec2/getSubnet:getSubnet": (a, region, _account, facts) => {
        const id = typeof a.id === "string" ? a.id : "subnet-0123456789abcdef0";
        const known = facts.subnets.get(id);
        return {
            id,
            cidrBlock: known?.cidrBlock ?? "10.0.1.0/24",
            availabilityZone: known?.availabilityZone ?? `${region}a`,
            vpcId: known?.vpcId ?? "vpc-0123456789abcdef0",
            region,
        };
    },
    "aws:ec2/getRouteTables:getRouteTables": (a) => {
        const vpcId = typeof a.vpcId === "string" ? a.vpcId : "vpc-unknown";
        const suffix = createHash("sha256").update(`rtb|${vpcId}|${JSON.stringify(a.filters ?? [])}`).digest("hex").slice(0, 17);
        return { id: vpcId, ids: [`rtb-${suffix}`], vpcId };
    },
    "aws:ec2/getVpc:getVpc": (a, region, _account, facts) => {
        const id = typeof a.id === "string" ? a.id : "vpc-unknown";
        return { id, cidrBlock: facts.vpcs.get(id) ?? "10.0.0.0/16", region, state: "available", default: false, arn: `arn:aws:ec2:${region}:${MOCK_ACCOUNT_ID}:vpc/${id}` };
    },
    "aws:ec2/getAmi:getAmi": (_a, region) => ({
        id: "ami-0123456789abcdef0",
        name: "al2023-ami-2023.9.20251110.0-kernel-6.1-x86_64",
        architecture: "x86_64",
        rootDeviceName: "/dev/xvda",
        region,
    }),
};

/** A Pulumi mocks implementation with a record of the invokes it answered. */
export class OfflineMocks implements pulumi.runtime.Mocks {
    /** Every invoke answered, in order: token and arguments. */
    public readonly invokes: { token: string; args: Record<string, unknown> }[] = [];
    /** What earlier registrations established (see {@link MockFacts}). */
    public readonly facts: MockFacts = { subnets: new Map(), vpcs: new Map() };

    /**
     * @param region the stack's `aws:region`, used in ARNs and DNS names.
     * @param account the deploying account id (default {@link MOCK_ACCOUNT_ID}).
     */
    constructor(
        private readonly region: string,
        private readonly account: string = MOCK_ACCOUNT_ID,
    ) {}

    /** Returns an id and state (inputs plus computed outputs) for a new resource. */
    newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, unknown> } {
        const inputs = (args.inputs ?? {}) as Record<string, unknown>;
        if (!args.custom && !OUTPUT_MOCKS[args.type]) {
            return { id: undefined, state: inputs };
        }
        const ctx: MockContext = {
            name: args.name,
            inputs,
            region: s(inputs.region) ?? this.region,
            account: this.account,
            facts: this.facts,
            hex: (length: number) =>
                createHash("sha256").update(`${args.type}|${args.name}|${length}`).digest("hex").slice(0, length),
        };
        const mock = OUTPUT_MOCKS[args.type];
        const computed = mock ? mock(ctx) : genericOutputs(args.type, ctx);
        const { id, ...state } = computed;
        const finalId = args.id && args.id !== "" ? args.id : (id ?? genericOutputs(args.type, ctx).id);
        return { id: finalId, state: { ...inputs, ...state } };
    }

    /** Answers an invoke, or throws when there is no mock for it (never makes a value up). */
    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        const mock = INVOKE_MOCKS[args.token];
        if (!mock) {
            throw new Error(`the offline preview has no mock for the invoke ${args.token}; add one to tools/offline/mocks.ts`);
        }
        const inputs = (args.inputs ?? {}) as Record<string, unknown>;
        this.invokes.push({ token: args.token, args: inputs });
        return mock(inputs, s(inputs.region) ?? this.region, this.account, this.facts);
    }
}

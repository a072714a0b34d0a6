/**
 * Network — the VPC and the one subnet that the FSx for Lustre file system and the sync host share
 * (same subnet, same Availability Zone). Either a VPC created with `@pulumi/awsx` or an existing VPC
 * and subnet, plus an S3 gateway endpoint and optional interface endpoints.
 */
import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { NetworkPlan, NetworkSettings, parseVpcCidr, resolveNetworkPlan, subnetLayout } from "./networkPlan";
import type { StackContext } from "../common/stack";

/** Arguments of {@link Network}: a resolved plan (see `resolveNetworkPlan` in `networkPlan.ts`). */
export interface NetworkArgs {
    /**
     * What to build. `create`: an awsx VPC in one AZ with a private subnet (first half of the CIDR,
     * file system and sync host) and a public subnet (next quarter, NAT gateway only), one NAT
     * gateway when `natGateway` is true. `existing`: use the given VPC and subnet as they are.
     * Both: an S3 gateway endpoint when `s3GatewayEndpoint` (on the created VPC's route tables, or
     * on `routeTableIds` / the route table associated with the existing subnet) and one interface
     * endpoint per `interfaceEndpoints` entry in the subnet (private DNS on, HTTPS from the VPC CIDR).
     */
    readonly plan: NetworkPlan;
    /** The Region (endpoint service names are `com.amazonaws.<region>.<service>`). */
    readonly region: string;
}

/** The VPC and subnet of the file system layer. */
export class Network extends pulumi.ComponentResource {
    /** VPC id. */
    public readonly vpcId: pulumi.Output<string>;
    /** The subnet the file system and the sync host use (one subnet, one AZ). */
    public readonly subnetId: pulumi.Output<string>;
    /** The VPC's IPv4 CIDR block (interface endpoint security group source). */
    public readonly vpcCidrBlock: pulumi.Output<string>;
    /** The awsx VPC, when the stack creates it. */
    public readonly vpc?: awsx.ec2.Vpc;
    /** The S3 gateway endpoint, when requested. */
    public readonly s3Endpoint?: aws.ec2.VpcEndpoint;

    /**
     * The network of a stack, from its validated `network` section and the stack's Region
     * (`resolveNetworkPlan` applies the Region's defaults).
     *
     * @param name logical name (the stack uses `network`; a new name is a new URN).
     * @param network the validated `network` section.
     * @param stack the stack settings (`region`).
     * @param opts component options.
     * @throws Error when a created VPC's CIDR cannot hold the subnet layout (config validation refuses it first).
     */
    static fromConfig(name: string, network: NetworkSettings, stack: Pick<StackContext, "region">, opts?: pulumi.ComponentResourceOptions): Network {
        return new Network(name, { plan: resolveNetworkPlan(network, stack.region), region: stack.region }, opts);
    }

    /**
     * @param name logical name; children are named `${name}-<role>`.
     * @param args see {@link NetworkArgs}.
     * @param opts component options.
     */
    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("microbiome-backup:network:Network", name, {}, opts);
        const plan = args.plan;
        let routeTableIds: pulumi.Output<string[]>;

        if (plan.kind === "create") {
            const cidr = parseVpcCidr(plan.cidrBlock);
            if ("error" in cidr) {
                throw new Error(`Network ${name}: cidrBlock ${plan.cidrBlock}: ${cidr.error}`);
            }
            const layout = subnetLayout(cidr.prefixLength);
            this.vpc = new awsx.ec2.Vpc(
                `${name}-vpc`,
                {
                    cidrBlock: plan.cidrBlock,
                    availabilityZoneNames: [plan.availabilityZone],
                    subnetStrategy: "Auto",
                    subnetSpecs: [
                        { type: "Private", cidrMask: layout.privateCidrMask },
                        { type: "Public", cidrMask: layout.publicCidrMask },
                    ],
                    natGateways: { strategy: plan.natGateway ? "Single" : "None" },
                    enableDnsHostnames: true,
                    enableDnsSupport: true,
                    tags: { Name: `${name}-vpc` },
                },
                { parent: this },
            );
            this.vpcId = this.vpc.vpcId;
            this.subnetId = this.vpc.privateSubnetIds.apply((ids) => {
                if (ids.length === 0) {
                    throw new Error(`Network ${name}: the VPC has no private subnet`);
                }
                return ids[0];
            });
            this.vpcCidrBlock = pulumi.output(plan.cidrBlock);
            // awsx does not attach gateway endpoints to its route tables (pulumi/pulumi-awsx#1627):
            // take the ids of every route table it created.
            routeTableIds = this.vpc.routeTables.apply((tables) => pulumi.all(tables.map((t) => t.id)));
        } else {
            this.vpcId = pulumi.output(plan.vpcId);
            this.subnetId = pulumi.output(plan.subnetId);
            this.vpcCidrBlock = aws.ec2.getVpcOutput({ id: plan.vpcId }, { parent: this }).cidrBlock;
            routeTableIds = plan.routeTableIds
                ? pulumi.output([...plan.routeTableIds])
                : aws.ec2
                      .getRouteTablesOutput({ vpcId: plan.vpcId, filters: [{ name: "association.subnet-id", values: [plan.subnetId] }] }, { parent: this })
                      .ids.apply((ids) => {
                          if (ids.length === 0) {
                              throw new Error(
                                  `Network ${name}: no route table is explicitly associated with ${plan.subnetId}; set network.existing.routeTableIds for the S3 gateway endpoint`,
                              );
                          }
                          return ids;
                      });
        }

        if (plan.s3GatewayEndpoint) {
            this.s3Endpoint = new aws.ec2.VpcEndpoint(
                `${name}-s3`,
                {
                    vpcId: this.vpcId,
                    serviceName: `com.amazonaws.${args.region}.s3`,
                    vpcEndpointType: "Gateway",
                    routeTableIds,
                    tags: { Name: `${name}-s3` },
                },
                { parent: this },
            );
        }

        if (plan.interfaceEndpoints.length > 0) {
            const endpointSg = new aws.ec2.SecurityGroup(
                `${name}-endpoints`,
                { vpcId: this.vpcId, description: "HTTPS from the VPC to its interface endpoints", tags: { Name: `${name}-endpoints` } },
                { parent: this },
            );
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-endpoints-https`,
                { securityGroupId: endpointSg.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: this.vpcCidrBlock, description: "HTTPS from the VPC" },
                { parent: endpointSg },
            );
            for (const service of plan.interfaceEndpoints) {
                new aws.ec2.VpcEndpoint(
                    `${name}-${service}`,
                    {
                        vpcId: this.vpcId,
                        serviceName: `com.amazonaws.${args.region}.${service}`,
                        vpcEndpointType: "Interface",
                        privateDnsEnabled: true,
                        subnetIds: [this.subnetId],
                        securityGroupIds: [endpointSg.id],
                        tags: { Name: `${name}-${service}` },
                    },
                    { parent: this },
                );
            }
        }

        this.registerOutputs({ vpcId: this.vpcId, subnetId: this.subnetId, vpcCidrBlock: this.vpcCidrBlock });
    }
}

/**
 * Pure network planning for the {@link Network} component: AWS id forms, the subnet layout of the
 * VPC this stack creates, the interface endpoints it can add, and a stable descriptor of the subnet
 * the file system lives in (used by the FSx replacement guard). No Pulumi resources here.
 */
import { parseCidr } from "../common/addressRules";

/** VPC id form (`vpc-` + 8 or 17 hex digits). */
export const VPC_ID = /^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/;
/** Subnet id form. */
export const SUBNET_ID = /^subnet-([0-9a-f]{8}|[0-9a-f]{17})$/;
/** Route table id form. */
export const ROUTE_TABLE_ID = /^rtb-([0-9a-f]{8}|[0-9a-f]{17})$/;
/** Security group id form. */
export const SECURITY_GROUP_ID = /^sg-([0-9a-f]{8}|[0-9a-f]{17})$/;
/** Availability Zone name form, e.g. `us-east-1a`. */
export const AVAILABILITY_ZONE = /^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/;

/**
 * Interface endpoints the network can add (service short names; the endpoint service is
 * `com.amazonaws.<region>.<name>`). `ssm`, `ssmmessages` and `ec2messages` are what Session
 * Manager needs when the sync host has no NAT (AWS Systems Manager User Guide "Use VPC endpoints").
 */
export const INTERFACE_ENDPOINT_SERVICES = ["ssm", "ssmmessages", "ec2messages", "logs", "sts", "kms", "secretsmanager"] as const;

/** An interface endpoint service short name. */
export type InterfaceEndpointService = (typeof INTERFACE_ENDPOINT_SERVICES)[number];

/** The endpoints Session Manager needs without NAT. */
export const SESSION_MANAGER_ENDPOINTS: readonly InterfaceEndpointService[] = ["ssm", "ssmmessages", "ec2messages"];

/** Default VPC CIDR when the stack creates the VPC. */
export const DEFAULT_VPC_CIDR = "10.42.0.0/16";

/**
 * Version of the subnet layout below. Part of the subnet descriptor: if the layout ever changes,
 * the descriptor changes and the FSx replacement guard flags it (new subnets replace the file
 * system).
 */
export const SUBNET_LAYOUT_VERSION = "layout-1";

/** A parsed IPv4 CIDR block. */
export interface Cidr {
    readonly address: string;
    readonly prefixLength: number;
}

/**
 * Parses an IPv4 CIDR block that can hold this stack's VPC: a network address (host bits zero)
 * with a prefix length from /16 to /26 (VPCs are /16–/28; the layout below needs a /28 public
 * subnet, so /26 is the smallest VPC).
 *
 * @returns the parsed block, or an error message.
 */
export function parseVpcCidr(text: string): Cidr | { error: string } {
    const parsed = parseCidr(text);
    const form = "an IPv4 CIDR block such as 10.42.0.0/16, prefix length /16 to /26 (Amazon VPC allows /16–/28; this layout needs room for two subnets)";
    if (parsed === undefined || parsed.kind !== "ipv4" || parsed.prefixLength < 16 || parsed.prefixLength > 26) {
        return { error: form };
    }
    if (parsed.networkAddress !== parsed.address) {
        return { error: `${form}; host bits must be zero (the network address of this block is ${parsed.networkAddress}, not ${parsed.address})` };
    }
    return { address: parsed.address, prefixLength: parsed.prefixLength };
}

/**
 * The subnet layout of the VPC this stack creates, in the one Availability Zone: a private subnet
 * (first half of the VPC: file system and sync host) and a public subnet (next quarter: only the
 * NAT gateway, when enabled). The same layout with NAT on or off, so switching NAT never moves
 * the file system to another subnet.
 *
 * @param vpcPrefixLength prefix length of the VPC CIDR (16–26).
 * @returns netmask lengths of the private and public subnets.
 */
export function subnetLayout(vpcPrefixLength: number): { privateCidrMask: number; publicCidrMask: number } {
    return { privateCidrMask: vpcPrefixLength + 1, publicCidrMask: vpcPrefixLength + 2 };
}

/** What the network section asks for, with defaults applied (see {@link resolveNetworkPlan}). */
export type NetworkPlan =
    | {
          readonly kind: "create";
          readonly cidrBlock: string;
          readonly availabilityZone: string;
          readonly natGateway: boolean;
          readonly s3GatewayEndpoint: boolean;
          readonly interfaceEndpoints: readonly InterfaceEndpointService[];
      }
    | {
          readonly kind: "existing";
          readonly vpcId: string;
          readonly subnetId: string;
          /** Route tables for the S3 gateway endpoint; looked up from the subnet when omitted. */
          readonly routeTableIds?: readonly string[];
          readonly s3GatewayEndpoint: boolean;
          readonly interfaceEndpoints: readonly InterfaceEndpointService[];
      };

/** The validated `microbiome-backup:network` section (see `config/network.ts`). */
export interface NetworkSettings {
    readonly cidrBlock?: string;
    readonly availabilityZone?: string;
    readonly natGateway?: boolean;
    readonly s3GatewayEndpoint?: boolean;
    readonly interfaceEndpoints: readonly InterfaceEndpointService[];
    readonly existing?: { readonly vpcId: string; readonly subnetId: string; readonly routeTableIds?: readonly string[] };
}

/**
 * Applies the defaults that depend on the Region: a created VPC gets {@link DEFAULT_VPC_CIDR}, AZ
 * `<region>a`, no NAT and an S3 gateway endpoint; an existing VPC gets no S3 gateway endpoint
 * unless asked (one usually exists, and a route table takes only one S3 gateway endpoint).
 *
 * @param settings the validated network section.
 * @param region the stack's Region.
 */
export function resolveNetworkPlan(settings: NetworkSettings, region: string): NetworkPlan {
    if (settings.existing) {
        return {
            kind: "existing",
            vpcId: settings.existing.vpcId,
            subnetId: settings.existing.subnetId,
            ...(settings.existing.routeTableIds ? { routeTableIds: settings.existing.routeTableIds } : {}),
            s3GatewayEndpoint: settings.s3GatewayEndpoint ?? false,
            interfaceEndpoints: settings.interfaceEndpoints,
        };
    }
    return {
        kind: "create",
        cidrBlock: settings.cidrBlock ?? DEFAULT_VPC_CIDR,
        availabilityZone: settings.availabilityZone ?? `${region}a`,
        natGateway: settings.natGateway ?? false,
        s3GatewayEndpoint: settings.s3GatewayEndpoint ?? true,
        interfaceEndpoints: settings.interfaceEndpoints,
    };
}

/**
 * A stable description of the subnet the file system and sync host use: the subnet id for an
 * existing VPC; for a created VPC, what determines its subnet (CIDR, AZ, layout version). Two
 * plans with the same descriptor put the file system in the same subnet.
 */
export function subnetDescriptor(plan: NetworkPlan): string {
    return plan.kind === "existing" ? plan.subnetId : `awsx-vpc ${plan.cidrBlock} ${plan.availabilityZone} ${SUBNET_LAYOUT_VERSION}`;
}

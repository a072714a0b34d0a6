/**
 * Config section `microbiome-backup:network` — the VPC and subnet the FSx file system and the sync
 * host share: a VPC the stack creates with `@pulumi/awsx` (one Availability Zone, private subnet
 * for FSx and the sync host, public subnet for an optional NAT gateway, S3 gateway endpoint), or an
 * existing VPC and subnet given by id.
 */
import { z } from "zod";
import {
    INTERFACE_ENDPOINT_SERVICES,
    parseVpcCidr,
    resolveNetworkPlan,
    ROUTE_TABLE_ID,
    SESSION_MANAGER_ENDPOINTS,
    SUBNET_ID,
    VPC_ID,
} from "../components/fsx/networkPlan";
import { checkAvailabilityZone } from "../components/common/regionRules";
import type { SyncHostConfig } from "./syncHost";
import type { RuleFinding } from "../components/common/problems";

const idOf = (re: RegExp, what: string, example: string) =>
    z.string().regex(re, { message: `a ${what} id such as ${example} (prefix, then 8 or 17 lowercase hex digits)` });

/** An existing VPC and subnet to use instead of creating a VPC. */
const existing = z.strictObject({
    /** The VPC id (`vpc-…`). */
    vpcId: idOf(VPC_ID, "VPC", "vpc-0123456789abcdef0"),
    /** The subnet (and so the Availability Zone) of the file system and the sync host (`subnet-…`). */
    subnetId: idOf(SUBNET_ID, "subnet", "subnet-0123456789abcdef0"),
    /** Route tables for the S3 gateway endpoint; default: looked up from the subnet's association. */
    routeTableIds: z.array(idOf(ROUTE_TABLE_ID, "route table", "rtb-0123456789abcdef0")).min(1).optional(),
});

/** Schema of `microbiome-backup:network`. */
export const networkSection = z
    .strictObject({
        /** CIDR of the VPC the stack creates (/16–/26). Default 10.42.0.0/16. */
        cidrBlock: z
            .string()
            .superRefine((v, ctx) => {
                const parsed = parseVpcCidr(v);
                if ("error" in parsed) ctx.addIssue({ code: "custom", message: parsed.error });
            })
            .optional(),
        /** Availability Zone of the subnet the stack creates. Default `<region>a`. */
        availabilityZone: z
            .string({ message: "an Availability Zone name such as us-east-1a" })
            .superRefine((az, ctx) => {
                const problem = checkAvailabilityZone(az);
                if (problem) ctx.addIssue({ code: "custom", message: problem });
            })
            .optional(),
        /** One NAT gateway for outbound internet from the private subnet (sync host → SFTP etc.). Default false. */
        natGateway: z.boolean().optional(),
        /** Add an S3 gateway endpoint to the route tables. Default true (created VPC) / false (existing VPC). */
        s3GatewayEndpoint: z.boolean().optional(),
        /** Interface endpoints to add in the subnet (e.g. ssm, ssmmessages, ec2messages without NAT). Default none. */
        interfaceEndpoints: z
            .array(z.enum(INTERFACE_ENDPOINT_SERVICES, { message: `one of ${INTERFACE_ENDPOINT_SERVICES.join(", ")}` }))
            .default([])
            .superRefine((list, ctx) => {
                list.forEach((s, i) => {
                    if (list.indexOf(s) !== i) ctx.addIssue({ code: "custom", path: [i], message: `${s} is listed twice` });
                });
            }),
        /** Use this existing VPC and subnet instead of creating a VPC. */
        existing: existing.optional(),
    })
    .default({ interfaceEndpoints: [] })
    .superRefine((n, ctx) => {
        if (n.existing) {
            for (const key of ["cidrBlock", "availabilityZone", "natGateway"] as const) {
                if (n[key] !== undefined) {
                    ctx.addIssue({
                        code: "custom",
                        path: [key],
                        message: "only for a VPC the stack creates; with existing, the VPC's own subnet, AZ and routes are used (remove this key or existing)",
                    });
                }
            }
        }
    });

/** Validated `microbiome-backup:network`. */
export type NetworkConfig = z.output<typeof networkSection>;

/**
 * The parts of the configuration the network checks read: the `network` section, the stack's
 * Region, whether the file system layer (which uses the network) is enabled, and the sync host's
 * sources (which of them need outbound internet). {@link networkErrors} reads only `region` and
 * `network`. The whole stack configuration is one.
 */
export interface NetworkInput {
    /** `aws:region`, the Region the VPC and subnet are in. */
    readonly region: string;
    /** The validated `network` section. */
    readonly network: NetworkConfig;
    /** `fsx.enabled`: the network is used only by the file system layer. */
    readonly fsx: { readonly enabled: boolean };
    /** `syncHost.enabled` and `syncHost.sources`: the sources that need outbound internet. */
    readonly syncHost: Pick<SyncHostConfig, "enabled" | "sources">;
}

/**
 * Errors that need the stack's Region: the Availability Zone must belong to it.
 *
 * @returns findings with paths relative to the section.
 */
export function networkErrors(config: Pick<NetworkInput, "region" | "network">): RuleFinding[] {
    const az = config.network.availabilityZone;
    const problem = az !== undefined ? checkAvailabilityZone(az, config.region) : undefined;
    return problem !== undefined ? [{ path: ["availabilityZone"], message: problem }] : [];
}

/**
 * Warnings for a valid network section (only when the file system layer uses it): without NAT the
 * sync host has no outbound internet, and without NAT or the Session Manager endpoints it cannot be
 * reached over SSM.
 */
export function networkWarnings(config: NetworkInput): RuleFinding[] {
    if (!config.fsx.enabled) {
        return [];
    }
    const plan = resolveNetworkPlan(config.network, config.region);
    if (plan.kind !== "create" || plan.natGateway) {
        return [];
    }
    // Sources the sync host can only reach through the internet: SFTP servers, and S3 buckets in
    // another Region (an S3 gateway endpoint serves only its own Region's buckets).
    const outside = config.syncHost.enabled
        ? config.syncHost.sources.filter((src) => src.type === "sftp" || (src.region !== undefined && src.region !== config.region))
        : [];
    const out: RuleFinding[] = outside.map((src) => ({
        path: ["natGateway"],
        message: `no NAT gateway: the private subnet has no outbound internet, so the sync host cannot reach source "${src.name}" (${src.type === "sftp" ? "an SFTP server" : "an S3 bucket in another Region"}); S3 in ${config.region} still works through the gateway endpoint`,
    }));
    const missing = SESSION_MANAGER_ENDPOINTS.filter((s) => !plan.interfaceEndpoints.includes(s));
    if (missing.length > 0) {
        out.push({
            path: ["interfaceEndpoints"],
            message: `without NAT, Session Manager needs the interface endpoints ${SESSION_MANAGER_ENDPOINTS.join(", ")} (missing: ${missing.join(", ")}): the sync host would be unreachable`,
        });
    }
    return out;
}

/**
 * EC2 guardrails for the sync host (and any other instance): IMDSv2 only, no public IPv4 address,
 * encrypted EBS volumes, and no SSH/RDP open to the internet.
 *
 * Sources: Security Hub "ec2-controls" (EC2.3, EC2.7, EC2.8, EC2.9, EC2.13, EC2.14, EC2.19); EC2 API
 * `InstanceMetadataOptionsRequest`; docs/aws-rules.md "EC2 and the sync host".
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { HARDENED_METADATA_OPTIONS } from "../components/syncHost/rules";
import { asList, asNumber, asRecord, isTrue, resourceGuardrail, TYPES } from "./lib";

/** Every instance and launch template requires IMDSv2 session tokens. */
export const imdsv2Required: ResourceValidationPolicy = resourceGuardrail(
    {
        name: "ec2-imdsv2-required",
        description:
            "Every EC2 instance and launch template requires IMDSv2 (metadataOptions.httpTokens \"required\"), so a request forgery cannot read the instance role's credentials.",
        severity: "high",
        controls: ["EC2.8"],
        remediation: `Set metadataOptions: ${JSON.stringify(HARDENED_METADATA_OPTIONS)} (the sync host's options, components/syncHost/rules.ts).`,
    },
    [TYPES.instance, TYPES.launchTemplate],
    (props, args, report) => {
        const options = asRecord(props.metadataOptions);
        if (!options && args.type === TYPES.instance && props.launchTemplate !== undefined) {
            return; // the instance takes its metadata options from the launch template, which this policy checks
        }
        if (options?.httpEndpoint === "disabled") {
            return; // no metadata service at all
        }
        if (options?.httpTokens !== HARDENED_METADATA_OPTIONS.httpTokens) {
            report(`metadataOptions.httpTokens is ${JSON.stringify(options?.httpTokens)}; it must be "${HARDENED_METADATA_OPTIONS.httpTokens}" (IMDSv2 only)`);
        }
    },
);

/** No instance gets a public IPv4 address. */
export const noPublicIp: ResourceValidationPolicy = resourceGuardrail(
    {
        name: "ec2-no-public-ip",
        description:
            "No EC2 instance or launch template asks for a public IPv4 address, and an instance states associatePublicIpAddress false explicitly (otherwise the subnet's mapPublicIpOnLaunch decides). Operators reach hosts through SSM Session Manager.",
        severity: "high",
        controls: ["EC2.9"],
        remediation: "Set associatePublicIpAddress: false (networkInterfaces[].associatePublicIpAddress \"false\" in a launch template) and use a private subnet.",
    },
    [TYPES.instance, TYPES.launchTemplate],
    (props, args, report) => {
        if (args.type === TYPES.launchTemplate) {
            asList(props.networkInterfaces).forEach((ni, i) => {
                if (isTrue(asRecord(ni)?.associatePublicIpAddress)) {
                    report(`networkInterfaces[${i}].associatePublicIpAddress is true`);
                }
            });
            return;
        }
        const value = props.associatePublicIpAddress;
        if (value === true) {
            report("associatePublicIpAddress is true: the instance would get a public IPv4 address");
        } else if (value === undefined && props.launchTemplate === undefined && asList(props.networkInterfaces).length === 0) {
            report("associatePublicIpAddress is not set: the subnet's mapPublicIpOnLaunch would decide; set it to false");
        }
    },
);

/** Every EBS volume is encrypted. */
export const encryptedVolumes: ResourceValidationPolicy = resourceGuardrail(
    {
        name: "ec2-encrypted-volumes",
        description:
            "Every EBS volume is encrypted: an instance's rootBlockDevice and ebsBlockDevices set encrypted true, aws.ebs.Volume sets encrypted true, and launch-template block devices set ebs.encrypted \"true\".",
        severity: "medium",
        controls: ["EC2.3", "EC2.7"],
        remediation: "Set rootBlockDevice: { encrypted: true, ... } (and encrypted: true on every other volume); a KMS key is optional.",
    },
    [TYPES.instance, TYPES.ebsVolume, TYPES.launchTemplate],
    (props, args, report) => {
        switch (args.type) {
            case TYPES.ebsVolume:
                if (props.encrypted !== true) {
                    report("encrypted must be true");
                }
                return;
            case TYPES.launchTemplate:
                asList(props.blockDeviceMappings).forEach((m, i) => {
                    const ebs = asRecord(asRecord(m)?.ebs);
                    if (ebs && !isTrue(ebs.encrypted)) {
                        report(`blockDeviceMappings[${i}].ebs.encrypted must be "true"`);
                    }
                });
                return;
            default: {
                const root = asRecord(props.rootBlockDevice);
                if (root ? root.encrypted !== true : props.launchTemplate === undefined) {
                    report("rootBlockDevice.encrypted must be true (declare rootBlockDevice with encrypted: true)");
                }
                asList(props.ebsBlockDevices).forEach((d, i) => {
                    if (asRecord(d)?.encrypted !== true) {
                        report(`ebsBlockDevices[${i}].encrypted must be true`);
                    }
                });
            }
        }
    },
);

/** Remote administration ports that must never be open to the internet. */
export const ADMIN_PORTS = [22, 3389];
/** Sources that mean "the whole internet". */
const ANYWHERE = ["0.0.0.0/0", "::/0"];

/** Admin ports a rule opens (all of them for protocol -1). */
function adminPortsOf(protocol: unknown, fromPort: unknown, toPort: unknown): number[] {
    const p = String(protocol).toLowerCase();
    if (p === "-1" || p === "all") {
        return ADMIN_PORTS;
    }
    if (!["tcp", "6", "udp", "17"].includes(p)) {
        return [];
    }
    const from = asNumber(fromPort);
    const to = asNumber(toPort) ?? from;
    return from === undefined || to === undefined ? [] : ADMIN_PORTS.filter((port) => port >= from && port <= to);
}

/** No security group rule opens SSH or RDP to 0.0.0.0/0 or ::/0. */
export const noAdminPortsFromAnywhere: ResourceValidationPolicy = resourceGuardrail(
    {
        name: "ec2-no-admin-ports-from-anywhere",
        description:
            "No security group rule (inline ingress, aws.ec2.SecurityGroupRule or aws.vpc.SecurityGroupIngressRule) allows SSH (22) or RDP (3389) from 0.0.0.0/0 or ::/0.",
        severity: "critical",
        controls: ["EC2.13", "EC2.14", "EC2.19"],
        remediation: "Remove the rule: operators use SSM Session Manager (no inbound port). If a port must open, restrict the source to a known CIDR or security group.",
    },
    [TYPES.securityGroup, TYPES.securityGroupRule, TYPES.securityGroupIngressRule],
    (props, args, report) => {
        const check = (label: string, protocol: unknown, from: unknown, to: unknown, sources: unknown[]) => {
            const open = sources.filter((s) => typeof s === "string" && ANYWHERE.includes(s));
            const ports = adminPortsOf(protocol, from, to);
            if (open.length > 0 && ports.length > 0) {
                report(`${label} allows port ${ports.join(" and ")} from ${open.join(" and ")}`);
            }
        };
        switch (args.type) {
            case TYPES.securityGroup:
                asList(props.ingress).forEach((r, i) => {
                    const rule = asRecord(r) ?? {};
                    check(`ingress[${i}]`, rule.protocol, rule.fromPort, rule.toPort, [...asList(rule.cidrBlocks), ...asList(rule.ipv6CidrBlocks)]);
                });
                return;
            case TYPES.securityGroupRule:
                if (props.type === "ingress") {
                    check("the rule", props.protocol, props.fromPort, props.toPort, [...asList(props.cidrBlocks), ...asList(props.ipv6CidrBlocks)]);
                }
                return;
            default:
                check("the rule", props.ipProtocol, props.fromPort, props.toPort, [props.cidrIpv4, props.cidrIpv6]);
        }
    },
);

/** The EC2 policies. */
export const ec2Policies = [imdsv2Required, noPublicIp, encryptedVolumes, noAdminPortsFromAnywhere];

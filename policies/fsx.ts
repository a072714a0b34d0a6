/**
 * FSx for Lustre guardrails: valid PERSISTENT_2 settings, no backups on a file system linked to S3,
 * the Lustre ports open between the file system's own network interfaces, and no S3 event
 * notification resource on a bucket an auto-import association uses.
 *
 * Sources: ../shared/reference/aws-constraints.md "FSx for Lustre PERSISTENT_2 and data repository
 * associations"; FSx Lustre User Guide "limit-access-security-groups", "cannot-create-fs",
 * "autoimport-data-repo-dra".
 */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { formatPath } from "../config/problems";
import { checkNoBackupsWithDra, checkPersistent2Settings, LustreFileSystemProps } from "./lustreChecks";
import { asList, asNumber, asRecord, asString, resourceGuardrail, shortName, stackGuardrail, StackNode, StackView, TYPES, UNKNOWN } from "./lib";

/** PERSISTENT_2 settings are valid. */
export const lustrePersistent2Settings: ResourceValidationPolicy = resourceGuardrail(
    {
        name: "fsx-lustre-persistent2-settings",
        description:
            "Every FSx for Lustre file system is PERSISTENT_2 SSD with a valid per-unit throughput (125/250/500/1000 MB/s/TiB), capacity (1200 GiB or a multiple of 2400), Lustre version 2.12 or 2.15 set explicitly, valid metadata IOPS, and no PERSISTENT_1 import/export paths.",
        severity: "high",
        controls: [],
        remediation: "Fix the fsx settings of the stack (config validation names the key and the allowed values).",
    },
    [TYPES.lustreFileSystem],
    (props, _args, report) => {
        for (const e of checkPersistent2Settings(props).errors) {
            report(`${formatPath(e.path)} ${e.message}`);
        }
    },
);

/** The data repository associations of a file system. */
function associationsOf(stack: StackView, fs: StackNode): StackNode[] {
    return stack.ofType(TYPES.dataRepositoryAssociation).filter((dra) => stack.refersTo(dra, "fileSystemId", fs, [fs.props.id, fs.props.arn]));
}

/** No backups on a file system with a data repository association. */
export const noBackupsWithDra: StackValidationPolicy = stackGuardrail(
    {
        name: "fsx-no-backups-with-dra",
        description:
            "An FSx for Lustre file system with a data repository association takes no backups (automaticBackupRetentionDays 0, no dailyAutomaticBackupStartTime, no copyTagsToBackups): FSx does not back up file systems linked to S3; the bucket is the durable copy.",
        severity: "medium",
        controls: [],
        remediation: "Set automaticBackupRetentionDays to 0 and leave dailyAutomaticBackupStartTime and copyTagsToBackups unset on a file system linked to S3.",
    },
    (stack, _args, report) => {
        for (const fs of stack.ofType(TYPES.lustreFileSystem)) {
            if (associationsOf(stack, fs).length === 0) {
                continue;
            }
            const plainProps = Object.fromEntries(Object.entries(fs.props).filter(([, v]) => v !== UNKNOWN)) as LustreFileSystemProps;
            for (const e of checkNoBackupsWithDra(plainProps).errors) {
                report(`${formatPath(e.path)} ${e.message}`, fs.urn);
            }
        }
    },
);

/** TCP ports Lustre uses between the file system's servers and clients. */
export const LUSTRE_PORTS = [988, 1018, 1019, 1020, 1021, 1022, 1023];

/** Ports of a rule, when its protocol is TCP or all traffic. */
function tcpPorts(protocol: unknown, fromPort: unknown, toPort: unknown): number[] {
    const p = String(protocol).toLowerCase();
    if (p === "-1" || p === "all") {
        return LUSTRE_PORTS;
    }
    if (p !== "tcp" && p !== "6") {
        return [];
    }
    const from = asNumber(fromPort);
    const to = asNumber(toPort) ?? from;
    if (from === undefined || to === undefined) {
        return [];
    }
    return LUSTRE_PORTS.filter((port) => port >= from && port <= to);
}

/** Identifying values of a security group. */
function sgIdentities(sg: StackNode): unknown[] {
    return [sg.props.id, sg.props.arn, sg.props.name];
}

/** Lustre ports the file system's groups allow inbound from themselves. */
function selfReferencedPorts(stack: StackView, groups: StackNode[]): Set<number> {
    const covered = new Set<number>();
    const add = (ports: number[]) => ports.forEach((p) => covered.add(p));
    const isFsGroup = (node: StackNode, prop: string) => groups.some((g) => stack.refersTo(node, prop, g, sgIdentities(g)));
    for (const sg of groups) {
        const ids = sgIdentities(sg).filter((v): v is string => typeof v === "string");
        const groupIds = groups.flatMap((g) => sgIdentities(g)).filter((v): v is string => typeof v === "string");
        for (const ingress of asList(sg.props.ingress)) {
            const rule = asRecord(ingress) ?? {};
            const fromGroup = asList(rule.securityGroups).some((s) => typeof s === "string" && (ids.includes(s) || groupIds.includes(s)));
            if (rule.self === true || fromGroup) {
                add(tcpPorts(rule.protocol, rule.fromPort, rule.toPort));
            }
        }
    }
    for (const rule of stack.ofType(TYPES.securityGroupIngressRule)) {
        if (isFsGroup(rule, "securityGroupId") && isFsGroup(rule, "referencedSecurityGroupId")) {
            add(tcpPorts(rule.props.ipProtocol, rule.props.fromPort, rule.props.toPort));
        }
    }
    for (const rule of stack.ofType(TYPES.securityGroupRule)) {
        if (rule.props.type === "ingress" && isFsGroup(rule, "securityGroupId") && (rule.props.self === true || isFsGroup(rule, "sourceSecurityGroupId"))) {
            add(tcpPorts(rule.props.protocol, rule.props.fromPort, rule.props.toPort));
        }
    }
    return covered;
}

/** The file system's security groups allow Lustre traffic from themselves. */
export const lustreSecurityGroupPorts: StackValidationPolicy = stackGuardrail(
    {
        name: "fsx-lustre-security-group-ports",
        description:
            "Every FSx for Lustre file system has security groups declared in the stack that allow inbound TCP 988 and 1018–1023 from themselves (inline ingress with self or the group, or separate ingress rules referencing the group); otherwise FSx refuses to create the file system.",
        severity: "high",
        controls: [],
        remediation:
            "Add self-referencing ingress rules for TCP 988 and TCP 1018-1023 to the file system's security group (aws.vpc.SecurityGroupIngressRule with referencedSecurityGroupId = the group's id).",
    },
    (stack, _args, report) => {
        for (const fs of stack.ofType(TYPES.lustreFileSystem)) {
            const ids = fs.props.securityGroupIds;
            const groups = stack.ofType(TYPES.securityGroup).filter((sg) => stack.refersTo(fs, "securityGroupIds", sg, sgIdentities(sg)));
            if (groups.length === 0) {
                if (ids === UNKNOWN) {
                    continue;
                }
                report(
                    asList(ids).length === 0
                        ? "the file system has no securityGroupIds, so the VPC's default group applies; declare a group with the Lustre ports"
                        : `the file system's security groups ${JSON.stringify(ids)} are not declared in this stack, so the Lustre ports cannot be checked`,
                    fs.urn,
                );
                continue;
            }
            const covered = selfReferencedPorts(stack, groups);
            const missing = LUSTRE_PORTS.filter((p) => !covered.has(p));
            if (missing.length > 0) {
                report(
                    `the file system's security groups (${groups.map((g) => shortName(g.urn)).join(", ")}) do not allow inbound TCP ${missing.join(", ")} from themselves; Lustre needs 988 and 1018-1023 (FSx: "do not permit Lustre LNET network traffic on port 988")`,
                    fs.urn,
                );
            }
        }
    },
);

/** The bucket name of an `s3://bucket/prefix` path. */
export function bucketOfS3Path(path: unknown): string | undefined {
    const match = /^s3:\/\/([^/]+)/.exec(asString(path) ?? "");
    return match?.[1];
}

/** No BucketNotification on a bucket an auto-import DRA uses. */
export const noNotificationOnAutoImportBucket: StackValidationPolicy = stackGuardrail(
    {
        name: "s3-no-notification-on-auto-import-bucket",
        description:
            "No aws.s3.BucketNotification is declared for a bucket that a data repository association imports from automatically: FSx auto-import works through an event-notification configuration named FSx on the bucket, which a BucketNotification resource would overwrite.",
        severity: "high",
        controls: [],
        remediation:
            "Remove the aws.s3.BucketNotification (S3 has one notification configuration per bucket); send other events through EventBridge (eventbridge: true is set by FSx's configuration, or enable it out of band).",
    },
    (stack, _args, report) => {
        for (const dra of stack.ofType(TYPES.dataRepositoryAssociation)) {
            const events = asList(asRecord(asRecord(asRecord(dra.props.s3)?.autoImportPolicy))?.events);
            if (events.length === 0) {
                continue;
            }
            const name = bucketOfS3Path(dra.props.dataRepositoryPath);
            const bucketNodes = stack
                .ofType(TYPES.bucket)
                .filter((b) => (name !== undefined ? stack.bucketName(b) === name : (dra.propertyDependencies.dataRepositoryPath ?? []).includes(b.urn)));
            for (const notification of stack.ofType(TYPES.bucketNotification)) {
                const target = notification.props.bucket;
                const hits = (name !== undefined && target === name) || bucketNodes.some((b) => stack.refersTo(notification, "bucket", b, stack.bucketIdentities(b)));
                if (hits) {
                    report(
                        `bucket ${name ?? shortName(bucketNodes[0]?.urn ?? "")} is auto-imported by ${shortName(dra.urn)}; this BucketNotification would replace the FSx event configuration and stop auto-import`,
                        notification.urn,
                    );
                }
            }
        }
    },
);

/** The FSx policies. */
export const fsxPolicies = [lustrePersistent2Settings, noBackupsWithDra, lustreSecurityGroupPorts, noNotificationOnAutoImportBucket];

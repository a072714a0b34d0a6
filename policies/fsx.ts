/**
 * FSx for Lustre guardrails: valid PERSISTENT_2 settings, valid data repository associations, no
 * backups on a file system linked to S3, the Lustre ports open between the file system's own
 * network interfaces, and no S3 event notification resource on a bucket an auto-import association
 * uses.
 *
 * The FSx rules themselves live in `components/fsx/rules.ts`, the module config validation and
 * the LustreFileSystem component use: the policies here only read resource inputs into that
 * module's fact shapes (the adapters below) and report its findings.
 *
 * Sources: docs/aws-rules.md "FSx for Lustre and data repository associations"; FSx Lustre User Guide "limit-access-security-groups", "cannot-create-fs",
 * "autoimport-data-repo-dra".
 */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import {
    checkDataRepositoryAssociations,
    checkLustreChoices,
    checkLustreFileSystem,
    checkLustreIngress,
    checkNoBackupsWithDra,
    DataRepositoryAssociationFacts,
    ingressFactsFromInlineRules,
    ingressFactsFromVpcRules,
    IngressRuleFacts,
    LustreFileSystemFacts,
    parseS3Path,
} from "../components/fsx/rules";
import { asList, asNumber, asRecord, asString, reportFindings, resourceGuardrail, shortName, stackGuardrail, StackNode, StackView, TYPES, UNKNOWN } from "./lib";

// ---------------------------------------------------------------------------------------------
// Adapters: resource inputs → the fact shapes of components/fsx/rules.ts
// ---------------------------------------------------------------------------------------------

/** `true`/`false` when the value is a boolean, otherwise undefined. */
function asBoolean(v: unknown): boolean | undefined {
    return typeof v === "boolean" ? v : undefined;
}

/** The strings of a list value (unknown or non-string entries left out). */
function stringList(v: unknown): string[] {
    return asList(v).filter((x): x is string => typeof x === "string");
}

/**
 * The `aws.fsx.LustreFileSystem` inputs the FSx rules read, from a resource's inputs; a value that
 * is not a plain value of the expected type (or not known yet) is left out. Only these inputs are
 * read: under the real CLI, reading an input not known during preview (such as
 * `logConfiguration.destination` or `securityGroupIds`) stops a resource policy.
 */
export function lustreFileSystemFacts(props: Record<string, unknown>): LustreFileSystemFacts {
    const metadata = asRecord(props.metadataConfiguration);
    const rootSquash = asRecord(props.rootSquashConfiguration);
    const log = asRecord(props.logConfiguration);
    return {
        deploymentType: asString(props.deploymentType),
        storageType: asString(props.storageType),
        storageCapacity: asNumber(props.storageCapacity),
        perUnitStorageThroughput: asNumber(props.perUnitStorageThroughput),
        fileSystemTypeVersion: asString(props.fileSystemTypeVersion),
        metadataConfiguration: metadata ? { mode: asString(metadata.mode) ?? "", iops: asNumber(metadata.iops) } : undefined,
        automaticBackupRetentionDays: asNumber(props.automaticBackupRetentionDays),
        dailyAutomaticBackupStartTime: asString(props.dailyAutomaticBackupStartTime),
        copyTagsToBackups: asBoolean(props.copyTagsToBackups),
        weeklyMaintenanceStartTime: asString(props.weeklyMaintenanceStartTime),
        dataCompressionType: asString(props.dataCompressionType),
        logConfiguration: log ? { level: asString(log.level) } : undefined,
        rootSquashConfiguration: rootSquash ? { rootSquash: asString(rootSquash.rootSquash), noSquashNids: stringList(rootSquash.noSquashNids) } : undefined,
        importPath: asString(props.importPath),
        exportPath: asString(props.exportPath),
        autoImportPolicy: asString(props.autoImportPolicy),
        importedFileChunkSize: asNumber(props.importedFileChunkSize),
    };
}

/** The `aws.fsx.DataRepositoryAssociation` inputs the FSx rules read (an unknown `dataRepositoryPath` is left out). */
export function dataRepositoryAssociationFacts(props: Record<string, unknown>, fileSystemPath: string): DataRepositoryAssociationFacts {
    const s3 = asRecord(props.s3);
    const events = (policy: string) => ({ events: stringList(asRecord(s3?.[policy])?.events) });
    return {
        fileSystemPath,
        dataRepositoryPath: asString(props.dataRepositoryPath),
        importedFileChunkSize: asNumber(props.importedFileChunkSize),
        batchImportMetaDataOnCreate: asBoolean(props.batchImportMetaDataOnCreate),
        deleteDataInFilesystem: asBoolean(props.deleteDataInFilesystem),
        s3: { autoImportPolicy: events("autoImportPolicy"), autoExportPolicy: events("autoExportPolicy") },
    };
}

/** Stands for "one of the file system's security groups" in the ingress facts of {@link lustreIngressFacts}. */
const FILE_SYSTEM_GROUPS = "<the file system's security groups>";

/** Identifying values of a security group. */
function sgIdentities(sg: StackNode): unknown[] {
    return [sg.props.id, sg.props.arn, sg.props.name];
}

/**
 * The ingress rules of a file system's security groups as {@link IngressRuleFacts}: inline
 * `ingress` blocks, `aws.vpc.SecurityGroupIngressRule` and ingress `aws.ec2.SecurityGroupRule`
 * resources of those groups. A rule counts as "from itself" when its source is any of the file
 * system's groups (every network interface of the file system carries all of them); groups are
 * matched through the engine's property dependencies, so this works while their ids are unknown.
 */
function lustreIngressFacts(stack: StackView, groups: readonly StackNode[]): IngressRuleFacts[] {
    const identities = groups.flatMap(sgIdentities).filter((v): v is string => typeof v === "string");
    const groupRef = (value: unknown): string => (typeof value === "string" && identities.includes(value) ? FILE_SYSTEM_GROUPS : String(value));
    const refersToGroups = (node: StackNode, prop: string) => groups.some((g) => stack.refersTo(node, prop, g, sgIdentities(g)));
    const ports = (from: unknown, to: unknown) => ({ fromPort: asNumber(from), toPort: asNumber(to) ?? asNumber(from) });
    const inline = ingressFactsFromInlineRules(
        FILE_SYSTEM_GROUPS,
        groups.flatMap((sg) =>
            asList(sg.props.ingress).map((r) => {
                const rule = asRecord(r) ?? {};
                return { protocol: String(rule.protocol), ...ports(rule.fromPort, rule.toPort), self: rule.self === true, securityGroups: asList(rule.securityGroups).map(groupRef) };
            }),
        ),
    );
    const vpcRules = stack.ofType(TYPES.securityGroupIngressRule).map((rule) => ({
        securityGroupId: refersToGroups(rule, "securityGroupId") ? FILE_SYSTEM_GROUPS : "",
        ipProtocol: String(rule.props.ipProtocol),
        ...ports(rule.props.fromPort, rule.props.toPort),
        referencedSecurityGroupId: refersToGroups(rule, "referencedSecurityGroupId") ? FILE_SYSTEM_GROUPS : undefined,
    }));
    const groupRules = stack
        .ofType(TYPES.securityGroupRule)
        .filter((rule) => rule.props.type === "ingress")
        .map((rule) => ({
            securityGroupId: refersToGroups(rule, "securityGroupId") ? FILE_SYSTEM_GROUPS : "",
            ipProtocol: String(rule.props.protocol),
            ...ports(rule.props.fromPort, rule.props.toPort),
            referencedSecurityGroupId: rule.props.self === true || refersToGroups(rule, "sourceSecurityGroupId") ? FILE_SYSTEM_GROUPS : undefined,
        }));
    return [...inline, ...ingressFactsFromVpcRules(FILE_SYSTEM_GROUPS, [...vpcRules, ...groupRules])];
}

/** The data repository associations of a file system, in declaration order. */
function associationsOf(stack: StackView, fs: StackNode): StackNode[] {
    return stack.ofType(TYPES.dataRepositoryAssociation).filter((dra) => stack.refersTo(dra, "fileSystemId", fs, [fs.props.id, fs.props.arn]));
}

// ---------------------------------------------------------------------------------------------
// Policies
// ---------------------------------------------------------------------------------------------

/** PERSISTENT_2 settings are valid. */
export const lustrePersistent2Settings: ResourceValidationPolicy = resourceGuardrail(
    {
        name: "fsx-lustre-persistent2-settings",
        description:
            "Every FSx for Lustre file system is PERSISTENT_2 SSD with Lustre 2.12 or 2.15 set explicitly and passes the FSx API rules config validation applies (components/fsx/rules.ts): per-unit throughput 125/250/500/1000 MB/s/TiB, capacity 1200 GiB or a multiple of 2400, valid metadata configuration and IOPS, backup retention, maintenance window, compression, log level and root squash, and no PERSISTENT_1 import/export settings.",
        severity: "high",
        controls: [],
        remediation: "Fix the fsx settings of the stack (config validation runs the same checks and names the key and the allowed values).",
    },
    [TYPES.lustreFileSystem],
    (props, _args, report) => {
        const facts = lustreFileSystemFacts(props);
        reportFindings([...checkLustreChoices(facts).errors, ...checkLustreFileSystem(facts).errors], props, report);
    },
);

/** The associations of each file system pass the FSx API rules. */
export const dataRepositoryAssociationsValid: StackValidationPolicy = stackGuardrail(
    {
        name: "fsx-data-repository-associations-valid",
        description:
            "The data repository associations of every FSx for Lustre file system pass the FSx API rules config validation applies (components/fsx/rules.ts): at most 8, absolute non-overlapping file system paths (/ only alone), well-formed non-overlapping s3:// paths, chunk size 1–512000 MiB, valid import/export events, and deleteDataInFilesystem false.",
        severity: "high",
        controls: [],
        remediation: "Fix fsx.dataRepositoryAssociations in the stack (config validation runs the same checks and names the key).",
    },
    (stack, _args, report) => {
        for (const fs of stack.ofType(TYPES.lustreFileSystem)) {
            // An association whose path is not known yet cannot be compared with the others.
            const dras = associationsOf(stack, fs).filter((dra) => typeof dra.props.fileSystemPath === "string");
            const facts = dras.map((dra) => dataRepositoryAssociationFacts(dra.props, dra.props.fileSystemPath as string));
            for (const finding of checkDataRepositoryAssociations(facts).errors) {
                const [index, ...path] = finding.path;
                const dra = typeof index === "number" ? dras[index] : undefined;
                if (dra) {
                    reportFindings([{ path, message: finding.message }], dra.props, (message) => report(message, dra.urn));
                } else {
                    report(finding.message, fs.urn);
                }
            }
        }
    },
);

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
            if (associationsOf(stack, fs).length > 0) {
                reportFindings(checkNoBackupsWithDra(lustreFileSystemFacts(fs.props)), fs.props, (message) => report(message, fs.urn));
            }
        }
    },
);

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
            const names = groups.map((g) => shortName(g.urn)).join(", ");
            for (const finding of checkLustreIngress(lustreIngressFacts(stack, groups))) {
                report(`security groups ${names}: ${finding.message}`, fs.urn);
            }
        }
    },
);

/** The bucket name of an `s3://bucket/prefix` data repository path, when it is a well-formed one. */
function bucketOfDataRepositoryPath(path: unknown): string | undefined {
    const parsed = typeof path === "string" ? parseS3Path(path) : undefined;
    return parsed && !("error" in parsed) ? parsed.bucket : undefined;
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
            const name = bucketOfDataRepositoryPath(dra.props.dataRepositoryPath);
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
export const fsxPolicies = [lustrePersistent2Settings, dataRepositoryAssociationsValid, noBackupsWithDra, lustreSecurityGroupPorts, noNotificationOnAutoImportBucket];

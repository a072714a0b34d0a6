/**
 * Config section `microbiome-backup:fsx` — the FSx for Lustre PERSISTENT_2 file system, its data
 * repository associations (DRAs) with the backup bucket, and the replacement guard that refuses
 * config changes which would replace the file system (see docs/fsx.md "Why replacement is
 * refused"). Keys use the input names of `aws.fsx.LustreFileSystem` and
 * `aws.fsx.DataRepositoryAssociation`; the AWS rules live in `components/fsx/rules.ts`.
 */
import { z } from "zod";
import {
    checkDataRepositoryAssociations,
    checkLustreFileSystem,
    checkPersistent2Region,
    DataRepositoryAssociationFacts,
    dataRepositoryPathFor,
    draSlug,
    DRA_EVENT_TYPES,
    LUSTRE_DEPLOYMENT_TYPE,
    LUSTRE_LOG_LEVELS,
    LUSTRE_STORAGE_TYPE,
    LustreFileSystemFacts,
    LustreReplacementFacts,
    ReplacementChange,
    replacingChanges,
    resolveMetadataConfiguration,
    resolvedDataRepositoryPath,
} from "../components/fsx/rules";
import { resolveNetworkPlan, SECURITY_GROUP_ID, subnetDescriptor } from "../components/fsx/networkPlan";
import type { BucketConfig } from "./bucket";
import { kmsKeyArn, regionName } from "./common";
import type { NetworkConfig } from "./network";
import { formatPath, nestFindings, PathSegment, RuleFinding, RuleResult, showValue } from "../components/common/problems";
import { addFindings } from "./report";
import { isLogRetentionDays, LOG_RETENTION_DAYS } from "../components/common/logRetention";

/** Logical name of the LustreFileSystem component in index.ts (its security group is `<name>-lustre`). */
export const FSX_COMPONENT_NAME = "fsx";

/**
 * How the replacement guard records the file system's own security group: the stack creates it, so
 * its id is unknown before deployment; it only changes if the component's group is replaced.
 */
export const MANAGED_SECURITY_GROUP_DESCRIPTOR = `pulumi:${FSX_COMPONENT_NAME}-lustre`;


/** A Lustre version as a quoted string (YAML would read 2.10 as the number 2.1). */
const lustreVersion = z.string({ message: 'a Lustre version as a quoted string, e.g. "2.15" (unquoted, YAML reads 2.10 as the number 2.1)' });

const eventList = z
    .array(z.enum(DRA_EVENT_TYPES, { message: `one of ${DRA_EVENT_TYPES.join(", ")}` }))
    .max(DRA_EVENT_TYPES.length, { message: `at most ${DRA_EVENT_TYPES.length} events: ${DRA_EVENT_TYPES.join(", ")}` });

/** A key prefix usable in `s3://<bucket>/<prefix>/` (surrounding slashes are trimmed). */
function isValidPrefix(prefix: string): boolean {
    return !prefix.startsWith("s3://") && !prefix.replace(/^\/+|\/+$/g, "").includes("//");
}

/** One data repository association: a file system directory linked to an S3 prefix. */
const dataRepositoryAssociation = z
    .strictObject({
        /** Directory on the file system, with the leading `/` (e.g. `/microbiome`). Required. */
        fileSystemPath: z.string({ message: "required: a directory on the file system such as /microbiome" }),
        /** Key prefix in the backup bucket (`Analysis_2019`, or "" for the whole bucket). Path = s3://<backup bucket>/<prefix>/. */
        prefix: z.string().optional(),
        /** A full data repository path `s3://<bucket>/<prefix>/` instead of `prefix` (any bucket). */
        dataRepositoryPath: z.string().optional(),
        /** Region of the bucket named in dataRepositoryPath. Default: the stack's Region. */
        bucketRegion: regionName.optional(),
        /** Automatic import/export events. Default NEW, CHANGED, DELETED both ways; [] turns one off. */
        s3: z
            .strictObject({
                autoImportPolicy: z.strictObject({ events: eventList }).default({ events: [...DRA_EVENT_TYPES] }),
                autoExportPolicy: z.strictObject({ events: eventList }).default({ events: [...DRA_EVENT_TYPES] }),
            })
            .default({ autoImportPolicy: { events: [...DRA_EVENT_TYPES] }, autoExportPolicy: { events: [...DRA_EVENT_TYPES] } }),
        /** Stripe size / max data per disk for imported files, MiB (1–512000). Default 1024. */
        importedFileChunkSize: z.number({ message: "a whole number of MiB" }).int({ message: "a whole number of MiB" }).default(1024),
        /** Import the metadata of the objects already under the prefix when the DRA is created. Default false. */
        batchImportMetaDataOnCreate: z.boolean().default(false),
        /**
         * Acknowledge that this association imports objects the lifecycle moves to GLACIER or
         * DEEP_ARCHIVE, whose files fail to read until restored (docs/fsx.md "Reading an archived
         * file"); silences that warning. Default false. Not an FSx setting.
         */
        archivedReadsAcknowledged: z.boolean({ message: "true or false" }).default(false),
    })
    .superRefine((d, ctx) => {
        if ((d.prefix === undefined) === (d.dataRepositoryPath === undefined)) {
            ctx.addIssue({
                code: "custom",
                path: [d.prefix === undefined ? "prefix" : "dataRepositoryPath"],
                message: "give exactly one of prefix (a key prefix in the backup bucket) or dataRepositoryPath (a full s3:// path)",
            });
        }
        if (d.prefix !== undefined && !isValidPrefix(d.prefix)) {
            ctx.addIssue({ code: "custom", path: ["prefix"], message: "a key prefix inside the backup bucket such as Analysis_2019 (no s3://, no //); use dataRepositoryPath for a full path" });
        }
        if (d.bucketRegion !== undefined && d.dataRepositoryPath === undefined) {
            ctx.addIssue({ code: "custom", path: ["bucketRegion"], message: "only with dataRepositoryPath: the backup bucket is always in the stack's Region" });
        }
    });

/** Validated DRA settings. */
export type DataRepositoryAssociationConfig = z.output<typeof dataRepositoryAssociation>;

/** The recorded replacement-sensitive settings (see docs/fsx.md). Shape of {@link LustreReplacementFacts}. */
const replacementGuard = z.strictObject({
    subnetIds: z.string(),
    securityGroupIds: z.array(z.string()),
    kmsKeyId: z.string().optional(),
    deploymentType: z.string(),
    storageType: z.string(),
    storageCapacity: z.number().int(),
    fileSystemTypeVersion: lustreVersion,
    metadataConfiguration: z.strictObject({ mode: z.string(), iops: z.number().int().optional() }).optional(),
    dataRepositoryAssociations: z.array(z.strictObject({ fileSystemPath: z.string(), dataRepositoryPath: z.string() })),
});

/**
 * The decommission record (post-migration mode, docs/fsx.md "Post-migration: removing the layer"):
 * the sync host's export report showed 0 files not yet exported to S3 on `exportReportClean`.
 * Shape of `DecommissionRecord` (`components/fsx/decommission.ts`).
 */
const decommission = z.strictObject({
    /** `YYYY-MM-DD`: the day the export report showed nothing left to export. Required. */
    exportReportClean: z
        .string({ message: "the day the export report showed 0 files not yet exported, YYYY-MM-DD" })
        .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { message: "a date YYYY-MM-DD: the day the export report showed 0 files not yet exported" }),
    /** Where the clean report is kept, `s3://<bucket>/<key>` (e.g. the journal excerpt). Optional. */
    reportUri: z.string().regex(/^s3:\/\/[a-z0-9.-]{3,63}\/.+$/, { message: "an s3://<bucket>/<key> URI of the saved export report" }).optional(),
});

/** Schema of `microbiome-backup:fsx`. */
export const fsxSection = z
    .strictObject({
        /** Deploy the file system layer (network, file system, DRAs). Default false. */
        enabled: z.boolean().default(false),
        /** GiB: 1200 or a multiple of 2400. Default 1200. */
        storageCapacity: z.number({ message: "a whole number of GiB" }).int({ message: "a whole number of GiB" }).default(1200),
        /** MB/s per TiB: 125, 250, 500 or 1000. Default 125. */
        perUnitStorageThroughput: z.number({ message: "a whole number of MB/s/TiB" }).int({ message: "a whole number of MB/s/TiB" }).default(125),
        /** Lustre version, quoted. Default "2.15". */
        fileSystemTypeVersion: lustreVersion.default("2.15"),
        /** Metadata performance (needs 2.15). Default: AUTOMATIC with 2.15, none with 2.12. */
        metadataConfiguration: z
            .strictObject({
                mode: z.enum(["AUTOMATIC", "USER_PROVISIONED"], { message: "AUTOMATIC or USER_PROVISIONED" }),
                iops: z.number().int().optional(),
            })
            .optional(),
        /** LZ4 (default) or NONE. */
        dataCompressionType: z.enum(["LZ4", "NONE"], { message: "LZ4 or NONE" }).default("LZ4"),
        /** Lustre logging to the stack's `/aws/fsx/…` log group. Default level WARN_ERROR. */
        logConfiguration: z
            .strictObject({ level: z.enum(LUSTRE_LOG_LEVELS, { message: `one of ${LUSTRE_LOG_LEVELS.join(", ")}` }).default("WARN_ERROR") })
            .default({ level: "WARN_ERROR" }),
        /** Days the log group keeps events. Default 90. */
        logRetentionInDays: z
            .number()
            .refine(isLogRetentionDays, { message: `a CloudWatch Logs retention: ${LOG_RETENTION_DAYS.join(", ")}` })
            .default(90),
        /** Weekly maintenance window start, `d:HH:MM` UTC (1 = Monday). Default 7:04:00 (Sunday 04:00). */
        weeklyMaintenanceStartTime: z.string().default("7:04:00"),
        /** Map root to `UID:GID`; optional exemptions by client NID. Default off. */
        rootSquashConfiguration: z.strictObject({ rootSquash: z.string(), noSquashNids: z.array(z.string()).optional() }).optional(),
        /** Customer managed KMS key ARN. Default: the AWS managed key. */
        kmsKeyId: kmsKeyArn.optional(),
        /** Must stay 0 with any DRA (no backups of S3-linked file systems). Default 0. */
        automaticBackupRetentionDays: z.number().int({ message: "a whole number of days" }).default(0),
        /** Existing security groups to attach besides the stack's own (e.g. other clients' groups). Default none. */
        additionalSecurityGroupIds: z
            .array(z.string().regex(SECURITY_GROUP_ID, { message: "a security group id such as sg-0123456789abcdef0" }))
            .max(49, { message: "at most 50 security groups per file system, the stack's own included" })
            .default([]),
        /** Acknowledge that PERSISTENT_2 is offered in a Region outside the confirmed list. Default false. */
        persistent2RegionOverride: z.boolean().default(false),
        /** 1–8 associations with the backup bucket (required when enabled). */
        dataRepositoryAssociations: z.array(dataRepositoryAssociation).default([]),
        /** Replacement-sensitive settings of the deployed file system; see docs/fsx.md. */
        replacementGuard: replacementGuard.optional(),
        /**
         * Post-migration record: the export report was clean. With it the file system is neither
         * protected nor retained (the "drain" deployment), and `enabled: false` may remove a
         * deployed layer. Default none. See docs/fsx.md "Post-migration".
         */
        decommission: decommission.optional(),
    })
    .default({
        enabled: false,
        storageCapacity: 1200,
        perUnitStorageThroughput: 125,
        fileSystemTypeVersion: "2.15",
        dataCompressionType: "LZ4",
        logConfiguration: { level: "WARN_ERROR" },
        logRetentionInDays: 90,
        weeklyMaintenanceStartTime: "7:04:00",
        automaticBackupRetentionDays: 0,
        additionalSecurityGroupIds: [],
        persistent2RegionOverride: false,
        dataRepositoryAssociations: [],
    })
    .superRefine((f, ctx) => {
        if (f.enabled && f.dataRepositoryAssociations.length === 0) {
            ctx.addIssue({
                code: "custom",
                path: ["dataRepositoryAssociations"],
                message: "at least one association (1–8) when enabled: the file system is linked to the backup bucket, e.g. [{ fileSystemPath: /microbiome, prefix: \"\" }]",
            });
        }
        addFindings(ctx, checkLustreFileSystem(fileSystemFacts(f), f.dataRepositoryAssociations.length));
        const slugs = new Map<string, number>();
        f.dataRepositoryAssociations.forEach((d, i) => {
            const slug = draSlug(d.fileSystemPath);
            const first = slugs.get(slug);
            if (first !== undefined && d.fileSystemPath !== f.dataRepositoryAssociations[first].fileSystemPath) {
                ctx.addIssue({
                    code: "custom",
                    path: ["dataRepositoryAssociations", i, "fileSystemPath"],
                    message: `maps to the same resource name as dataRepositoryAssociations[${first}].fileSystemPath (${slug}); rename one directory`,
                });
            }
            slugs.set(slug, first ?? i);
        });
    });

/** Validated `microbiome-backup:fsx`. */
export type FsxConfig = z.output<typeof fsxSection>;

/** The `aws.fsx.LustreFileSystem` inputs the rules read, from the validated section. */
export function fileSystemFacts(f: FsxConfig): LustreFileSystemFacts {
    return {
        deploymentType: LUSTRE_DEPLOYMENT_TYPE,
        storageType: LUSTRE_STORAGE_TYPE,
        storageCapacity: f.storageCapacity,
        perUnitStorageThroughput: f.perUnitStorageThroughput,
        fileSystemTypeVersion: f.fileSystemTypeVersion,
        ...(f.metadataConfiguration ? { metadataConfiguration: f.metadataConfiguration } : {}),
        automaticBackupRetentionDays: f.automaticBackupRetentionDays,
        weeklyMaintenanceStartTime: f.weeklyMaintenanceStartTime,
        dataCompressionType: f.dataCompressionType,
        logConfiguration: f.logConfiguration,
        ...(f.rootSquashConfiguration ? { rootSquashConfiguration: f.rootSquashConfiguration } : {}),
    };
}

/** DRA facts for the rules, with the backup bucket's name filled in. */
function draFacts(f: FsxConfig, backupBucketName: string): DataRepositoryAssociationFacts[] {
    return f.dataRepositoryAssociations.map((d) => ({
        fileSystemPath: d.fileSystemPath,
        // An invalid prefix is reported by the schema; leave its path out of the rule checks.
        ...(d.dataRepositoryPath !== undefined
            ? { dataRepositoryPath: d.dataRepositoryPath }
            : isValidPrefix(d.prefix ?? "")
              ? { dataRepositoryPath: dataRepositoryPathFor(backupBucketName, d.prefix ?? "") }
              : {}),
        importedFileChunkSize: d.importedFileChunkSize,
        batchImportMetaDataOnCreate: d.batchImportMetaDataOnCreate,
        deleteDataInFilesystem: false,
        s3: d.s3,
    }));
}

/** Re-targets DRA findings on `dataRepositoryPath` to `prefix` for prefix-form associations. */
function remapDraFindings(result: RuleResult, f: FsxConfig): RuleResult {
    const remap = (finding: RuleFinding): RuleFinding => {
        const [i, key, ...rest] = finding.path;
        if (typeof i === "number" && key === "dataRepositoryPath" && f.dataRepositoryAssociations[i]?.prefix !== undefined) {
            return { path: [i, "prefix", ...rest], message: finding.message };
        }
        return finding;
    };
    return nestFindings({ errors: result.errors.map(remap), warnings: result.warnings.map(remap) }, ["dataRepositoryAssociations"]);
}

/** The parts of the project settings the FSx cross-section checks read. */
export interface FsxCrossCheckInput {
    readonly bucket: Pick<BucketConfig, "name">;
    readonly fsx: FsxConfig;
}

/**
 * Checks of the associations that need the backup bucket's name (its prefixes become
 * `s3://<bucket>/<prefix>/`): path forms, count, nesting, overlapping prefixes, events, chunk size.
 *
 * @returns findings with paths from the project namespace root (`["fsx", "dataRepositoryAssociations", …]`).
 */
export function fsxCrossChecks(cfg: FsxCrossCheckInput): RuleResult {
    const result = checkDataRepositoryAssociations(draFacts(cfg.fsx, cfg.bucket.name));
    return nestFindings(remapDraFindings(result, cfg.fsx), ["fsx"]);
}

/**
 * The parts of the configuration {@link fsxErrors}, {@link fsxWarnings} and
 * {@link currentReplacementFacts} read: the `fsx` section, the network it lives in, the backup
 * bucket's name (the prefix form of an association), the stack's Region and `allowDataReplacement`
 * (only the first two read it). The whole stack configuration is one.
 */
export interface FsxInput {
    /** `aws:region`, the file system's Region. */
    readonly region: string;
    /** `allowDataReplacement`: replacing changes to the file system are let through (with a warning). */
    readonly allowDataReplacement: boolean;
    /** The backup bucket's name: associations given by `prefix` point into it. */
    readonly bucket: Pick<BucketConfig, "name">;
    /** The validated `network` section: it decides the file system's subnet. */
    readonly network: NetworkConfig;
    /** The validated `fsx` section. */
    readonly fsx: FsxConfig;
}

/**
 * The replacement-sensitive settings the configuration asks for now (what `fsx.replacementGuard`
 * must record once deployed; also exported as the stack output `fsxReplacementGuard`).
 */
export function currentReplacementFacts(config: Pick<FsxInput, "fsx" | "network" | "bucket" | "region">): LustreReplacementFacts {
    const f = config.fsx;
    return {
        subnetIds: subnetDescriptor(resolveNetworkPlan(config.network, config.region)),
        securityGroupIds: [MANAGED_SECURITY_GROUP_DESCRIPTOR, ...f.additionalSecurityGroupIds].sort(),
        ...(f.kmsKeyId ? { kmsKeyId: f.kmsKeyId } : {}),
        deploymentType: LUSTRE_DEPLOYMENT_TYPE,
        storageType: LUSTRE_STORAGE_TYPE,
        storageCapacity: f.storageCapacity,
        fileSystemTypeVersion: f.fileSystemTypeVersion,
        metadataConfiguration: resolveMetadataConfiguration(f.fileSystemTypeVersion, f.metadataConfiguration),
        dataRepositoryAssociations: f.dataRepositoryAssociations.map((d) => ({
            fileSystemPath: d.fileSystemPath,
            dataRepositoryPath: resolvedDataRepositoryPath(d, config.bucket.name),
        })),
    };
}

/** The guard as one line to paste into the stack file (JSON is valid YAML flow style). */
export function guardSnippet(facts: LustreReplacementFacts): string {
    return `replacementGuard: ${JSON.stringify(facts)}`;
}

function describeChange(change: ReplacementChange): string {
    const setting = formatPath(change.path);
    return `${setting} changed from ${showValue(change.previous)} (recorded in fsx.replacementGuard) to ${showValue(change.next)}: ${change.effect}`;
}

/**
 * Errors that need settings outside the section ({@link FsxInput}: Region, network, the bucket's
 * name, allowDataReplacement):
 * - auto-import from a bucket in another Region than the file system;
 * - the replacement guard: every difference between `fsx.replacementGuard` and the settings asked
 *   for now is refused — a replacing one unless `microbiome-backup:allowDataReplacement` is true,
 *   an in-place one until the guard is updated in the same change;
 * - `enabled: false` while a guard is still recorded (a file system was deployed) without the
 *   decommission record: removing the layer would leave a retained file system billing in AWS, or
 *   fail on its protect option (docs/fsx.md "Post-migration: removing the layer").
 *
 * @returns findings with paths relative to the section.
 */
export function fsxErrors(config: FsxInput): RuleFinding[] {
    const f = config.fsx;
    const out: RuleFinding[] = [];
    if (!f.enabled) {
        if (f.replacementGuard && !f.decommission) {
            out.push({
                path: ["decommission"],
                message:
                    "required to remove the file-system layer (enabled: false) while fsx.replacementGuard shows a deployed file system: the file system is retainOnDelete/protected, so Pulumi would leave it in AWS (still billed) or refuse. " +
                    "When the sync host's export report shows 0 files not yet exported, record { exportReportClean: YYYY-MM-DD } here, deploy once with enabled: true (the drain step), then set enabled: false — docs/fsx.md \"Post-migration: removing the layer\"",
            });
        }
        return out;
    }
    const regions = f.dataRepositoryAssociations.map((d) => (d.dataRepositoryPath !== undefined ? (d.bucketRegion ?? config.region) : config.region));
    const regional = checkDataRepositoryAssociations(draFacts(f, config.bucket.name), { fileSystemRegion: config.region, bucketRegions: regions });
    out.push(...remapDraFindings(regional, f).errors);

    if (f.replacementGuard && !config.allowDataReplacement) {
        for (const change of replacingChanges(f.replacementGuard, currentReplacementFacts(config))) {
            const path: PathSegment[] = ["replacementGuard", ...change.path];
            out.push({
                path,
                message: change.replaces
                    ? `${describeChange(change)}. Refused because microbiome-backup:allowDataReplacement is false. If intended: make sure everything is exported to S3, set allowDataReplacement: true for that one deployment (and unprotect the file system in a protected stack), then record the new value here`
                    : `${describeChange(change)}. Record the new value in fsx.replacementGuard in the same change, so that later changes are measured against what is deployed`,
            });
        }
    }
    return out;
}

/**
 * Warnings for a valid `fsx` section: PERSISTENT_2 Region availability (unless overridden), rule
 * warnings (Lustre 2.12, associations that sync nothing), a missing replacement guard, and changes
 * let through by `allowDataReplacement`. Paths are relative to the section.
 */
export function fsxWarnings(config: FsxInput): RuleFinding[] {
    const f = config.fsx;
    if (!f.enabled) {
        return f.decommission && f.replacementGuard
            ? [
                  {
                      path: ["decommission"],
                      message:
                          `removing the file-system layer: the file system is deleted only if the drain step (enabled: true with this record) was deployed first — the engine takes protect/retainOnDelete from the last deployment's state (pulumi/pulumi pkg/resource/deploy/step.go DeleteStep). ` +
                          "An offline preview cannot see the state: check that pulumi stack export shows the file system with retainOnDelete false before this up; afterwards remove replacementGuard and decommission",
                  },
              ]
            : [];
    }
    const out: RuleFinding[] = [
        ...checkPersistent2Region(config.region, f.persistent2RegionOverride),
        ...checkLustreFileSystem(fileSystemFacts(f), f.dataRepositoryAssociations.length).warnings,
        ...remapDraFindings(checkDataRepositoryAssociations(draFacts(f, config.bucket.name)), f).warnings,
    ];
    if (f.decommission) {
        out.push({
            path: ["decommission"],
            message:
                `drain step: export report clean on ${f.decommission.exportReportClean}, so the file system is deployed without protect and retainOnDelete. ` +
                "After this pulumi up, set fsx.enabled: false to delete the layer; to keep the layer for a new campaign instead, remove decommission (and enable the sync host again)",
        });
    }
    const current = currentReplacementFacts(config);
    if (!f.replacementGuard) {
        out.push({
            path: ["replacementGuard"],
            message: `not recorded: a config change that would replace the file system cannot be detected. Once deployed, add under microbiome-backup:fsx → ${guardSnippet(current)}`,
        });
    } else if (config.allowDataReplacement) {
        const changes = replacingChanges(f.replacementGuard, current);
        for (const change of changes) {
            out.push({
                path: ["replacementGuard", ...change.path],
                message: `${describeChange(change)} — ${change.replaces ? "ALLOWED by allowDataReplacement: true; data not yet in S3 will be lost" : "in place"}`,
            });
        }
        out.push({
            path: ["replacementGuard"],
            message: `allowDataReplacement is true: replacing changes are not refused. After this deployment record ${guardSnippet(current)} and set allowDataReplacement back to false`,
        });
    }
    return out;
}

/**
 * AWS rules for FSx for Lustre file systems and their data repository associations (DRAs), as
 * pure functions over plain values named like the inputs of `aws.fsx.LustreFileSystem` and
 * `aws.fsx.DataRepositoryAssociation` (@pulumi/aws v7). One implementation, used by the config
 * validation (`config/fsx.ts`) and by the policy pack.
 *
 * Sources (summarised in docs/aws-rules.md, "FSx for Lustre and data repository associations"):
 * - FSx API `CreateFileSystem` (StorageCapacity: "For SCRATCH_2, PERSISTENT_2 and PERSISTENT_1
 *   deployment types using SSD storage type, the valid values are 1200 GiB, 2400 GiB, and
 *   increments of 2400 GiB"; PerUnitStorageThroughput "For PERSISTENT_2 SSD storage: 125, 250,
 *   500, 1000 MB/s/TiB"), `UpdateFileSystem` (capacity can only grow).
 * - FSx API `CreateDataRepositoryAssociation` / `DataRepositoryAssociation` (at most 8 per file
 *   system; FileSystemPath needs the leading `/`, paths may not overlap, `/` only as the first and
 *   only association; "each data repository association must have a unique file system directory
 *   and a unique S3 bucket or prefix"; ImportedFileChunkSize 1–512000 MiB; supported on Lustre 2.12
 *   and 2.15 file systems).
 * - FSx API `CreateFileSystemLustreConfiguration` ("The following parameters are not supported for
 *   file systems with a data repository association …: AutoImportPolicy, ExportPath,
 *   ImportedFileChunkSize, ImportPath"; @pulumi/aws `aws.fsx.LustreFileSystem`: not supported with
 *   PERSISTENT_2 either, "Use aws.fsx.DataRepositoryAssociation instead"); `CreateFileSystem`
 *   FileSystemTypeVersion (default 2.12 for PERSISTENT_2 without a metadata configuration, 2.15 with).
 * - LustreGuide "using-backups-fsx" (no backups of file systems linked to S3),
 *   "limit-access-security-groups" and "cannot-create-fs" (TCP 988 and 1018–1023).
 * - @pulumi/aws 7.48 `fsx/lustreFileSystem.d.ts` (fileSystemTypeVersion: "Changing this value to a
 *   higher version triggers an in-place upgrade. Changing to a lower version forces resource
 *   replacement"; metadata iops "1500, 3000, 6000 and 12000 through 192000 in increments of
 *   12000"; a lower iops value recreates the file system).
 * - Terraform AWS provider `internal/service/fsx/lustre_file_system.go` and
 *   `data_repository_association.go` (ForceNew: subnet_ids, security_group_ids, kms_key_id,
 *   deployment_type, storage_type, copy_tags_to_backups, drive_cache_type, backup_id,
 *   file_system_type_version; storage_capacity and metadata iops when they decrease; DRA
 *   file_system_path, data_repository_path, file_system_id).
 */
import { emptyResult, PathSegment, RuleFinding, RuleResult } from "../common/problems";

/** The deployment type this project uses (DRAs with auto-import/export need PERSISTENT_2). */
export const LUSTRE_DEPLOYMENT_TYPE = "PERSISTENT_2";
/** The storage type this project uses. */
export const LUSTRE_STORAGE_TYPE = "SSD";

/** Valid `perUnitStorageThroughput` values (MB/s/TiB) for PERSISTENT_2 SSD (CreateFileSystem API). */
export const PERSISTENT_2_SSD_THROUGHPUT_TIERS: readonly number[] = [125, 250, 500, 1000];

/** Lustre versions the API knows (`fileSystemTypeVersion`). */
export const LUSTRE_VERSIONS: readonly string[] = ["2.10", "2.12", "2.15"];

/** Versions that support data repository associations (DataRepositoryAssociation API). */
export const DRA_LUSTRE_VERSIONS: readonly string[] = ["2.12", "2.15"];

/** Valid user-provisioned metadata IOPS: 1500, 3000, 6000, then 12000 to 192000 in steps of 12000. */
export const METADATA_IOPS_VALUES: readonly number[] = [1500, 3000, 6000, ...Array.from({ length: 16 }, (_, i) => (i + 1) * 12000)];

/** Lustre logging levels valid in the FSx API (`LustreAccessAuditLogLevel`). */
export const LUSTRE_LOG_LEVELS = ["DISABLED", "WARN_ONLY", "ERROR_ONLY", "WARN_ERROR"] as const;

/** Data repository event types (`EventType` in the FSx API). */
export const DRA_EVENT_TYPES = ["NEW", "CHANGED", "DELETED"] as const;

/** At most this many DRAs per file system (CreateDataRepositoryAssociation API). */
export const MAX_DATA_REPOSITORY_ASSOCIATIONS = 8;

/** TCP ports Lustre uses: 988 (LNET) and 1018–1023 (LustreGuide "limit-access-security-groups"). */
export const LUSTRE_TCP_PORT_RANGES: readonly { readonly fromPort: number; readonly toPort: number }[] = [
    { fromPort: 988, toPort: 988 },
    { fromPort: 1018, toPort: 1023 },
];

/**
 * Regions last confirmed to offer PERSISTENT_2 (from AWS posts at launch and later expansions;
 * docs/aws-rules.md marks the list unconfirmed). AWS has added Regions since and the current table
 * ("Deployment type availability" in the LustreGuide page
 * https://docs.aws.amazon.com/fsx/latest/LustreGuide/using-fsx-lustre.html) could not be retrieved
 * when this was written, so a Region outside this list is a warning with an explicit override
 * (`fsx.persistent2RegionOverride`), never an error.
 */
export const PERSISTENT_2_CONFIRMED_REGIONS: readonly string[] = [
    "us-east-1",
    "us-east-2",
    "us-west-2",
    "ca-central-1",
    "ap-northeast-1",
    "eu-central-1",
    "eu-west-1",
];

/** Metadata configuration (`metadataConfiguration` input). */
export interface MetadataConfigurationFacts {
    /** `AUTOMATIC` or `USER_PROVISIONED`. */
    readonly mode: string;
    /** Provisioned metadata IOPS, only with `USER_PROVISIONED`. */
    readonly iops?: number;
}

/** Root squash (`rootSquashConfiguration` input). */
export interface RootSquashFacts {
    /** `UID:GID` that root is mapped to, e.g. `65534:65534`. */
    readonly rootSquash?: string;
    /** Client NIDs exempt from root squash, e.g. `10.0.1.6@tcp`. */
    readonly noSquashNids?: readonly string[];
}

/** The `aws.fsx.LustreFileSystem` inputs the rules read (plain values). */
export interface LustreFileSystemFacts {
    readonly deploymentType?: string;
    readonly storageType?: string;
    /** GiB. */
    readonly storageCapacity?: number;
    /** MB/s/TiB. */
    readonly perUnitStorageThroughput?: number;
    readonly fileSystemTypeVersion?: string;
    readonly metadataConfiguration?: MetadataConfigurationFacts;
    readonly automaticBackupRetentionDays?: number;
    readonly dailyAutomaticBackupStartTime?: string;
    readonly copyTagsToBackups?: boolean;
    readonly weeklyMaintenanceStartTime?: string;
    readonly dataCompressionType?: string;
    readonly logConfiguration?: { readonly level?: string };
    readonly rootSquashConfiguration?: RootSquashFacts;
    /** PERSISTENT_1/SCRATCH S3 link (`s3://…`); never with PERSISTENT_2 or a DRA. */
    readonly importPath?: string;
    /** PERSISTENT_1/SCRATCH S3 export path; never with PERSISTENT_2 or a DRA. */
    readonly exportPath?: string;
    /** PERSISTENT_1/SCRATCH auto-import (`NONE`, `NEW`, …); never with PERSISTENT_2 or a DRA. */
    readonly autoImportPolicy?: string;
    /** PERSISTENT_1/SCRATCH import chunk size (MiB); never with PERSISTENT_2 or a DRA (the DRA has its own). */
    readonly importedFileChunkSize?: number;
}

/**
 * File-system-level S3 link inputs of PERSISTENT_1 and SCRATCH file systems, which FSx refuses on a
 * file system with a data repository association (CreateFileSystemLustreConfiguration) and
 * @pulumi/aws documents as unsupported with PERSISTENT_2.
 */
export const LEGACY_S3_LINK_INPUTS = ["importPath", "exportPath", "autoImportPolicy", "importedFileChunkSize"] as const;

/** The `aws.fsx.DataRepositoryAssociation` inputs the rules read (plain values). */
export interface DataRepositoryAssociationFacts {
    readonly fileSystemPath: string;
    /** `s3://bucket/prefix/`; `undefined` when not known yet (e.g. built from an output). */
    readonly dataRepositoryPath?: string;
    readonly importedFileChunkSize?: number;
    readonly batchImportMetaDataOnCreate?: boolean;
    readonly deleteDataInFilesystem?: boolean;
    readonly s3?: {
        readonly autoImportPolicy?: { readonly events?: readonly string[] };
        readonly autoExportPolicy?: { readonly events?: readonly string[] };
    };
}

/** Context of the DRA checks. */
export interface DraContext {
    /** Region of the file system. */
    readonly fileSystemRegion?: string;
    /** Region of the bucket behind each association, by index (`undefined` when unknown). */
    readonly bucketRegions?: readonly (string | undefined)[];
}

/**
 * The metadata configuration a file system gets: the given one, or AUTOMATIC with Lustre 2.15 (a
 * metadata configuration needs 2.15), or none.
 */
export function resolveMetadataConfiguration(version: string, given?: MetadataConfigurationFacts): MetadataConfigurationFacts | undefined {
    return given ?? (version === "2.15" ? { mode: "AUTOMATIC" } : undefined);
}

function isInt(v: unknown): v is number {
    return typeof v === "number" && Number.isInteger(v);
}

/**
 * Checks a Lustre file system's settings against the FSx API rules.
 *
 * Errors: PERSISTENT_2 with HDD; capacity not 1200 or a multiple of 2400 GiB (SSD); throughput
 * tier outside 125/250/500/1000 (PERSISTENT_2 SSD) or missing; unknown version; 2.10 with
 * PERSISTENT_2; a version without DRA support when `draCount > 0`; metadata configuration outside
 * PERSISTENT_2 or without 2.15, a bad mode or iops; backups with a DRA
 * ({@link checkNoBackupsWithDra}); retention outside 0–90; maintenance window not `d:HH:MM`; unknown
 * compression or log level; malformed root squash; file-system-level S3 link inputs
 * ({@link LEGACY_S3_LINK_INPUTS}) with PERSISTENT_2 or a DRA.
 * Warnings: version 2.12 (2.15 recommended for new file systems).
 *
 * @param fs the file system inputs.
 * @param draCount number of DRAs linked to it (0 when none).
 * @returns findings with paths named after the inputs (e.g. `["storageCapacity"]`).
 */
export function checkLustreFileSystem(fs: LustreFileSystemFacts, draCount = 0): RuleResult {
    const result = emptyResult();
    const err = (path: PathSegment[], message: string) => result.errors.push({ path, message });
    const deploymentType = fs.deploymentType ?? LUSTRE_DEPLOYMENT_TYPE;
    const storageType = fs.storageType ?? LUSTRE_STORAGE_TYPE;
    const p2 = deploymentType === "PERSISTENT_2";

    if (p2 && storageType === "HDD") {
        err(["storageType"], "HDD storage is only available with PERSISTENT_1; PERSISTENT_2 takes SSD (or INTELLIGENT_TIERING) (FSx CreateFileSystem API)");
    }
    if (storageType === "SSD") {
        const cap = fs.storageCapacity;
        if (cap === undefined) {
            err(["storageCapacity"], "required: the storage capacity in GiB, 1200 or a multiple of 2400 (FSx CreateFileSystem API)");
        } else if (!isInt(cap) || cap < 1200 || (cap !== 1200 && cap % 2400 !== 0)) {
            err(
                ["storageCapacity"],
                `must be 1200 GiB or a multiple of 2400 GiB (2400, 4800, 7200, …) for ${deploymentType} SSD (FSx CreateFileSystem API StorageCapacity)`,
            );
        }
    }
    if (p2 && storageType === "SSD") {
        const t = fs.perUnitStorageThroughput;
        if (t === undefined) {
            err(["perUnitStorageThroughput"], `required with PERSISTENT_2 SSD: one of ${PERSISTENT_2_SSD_THROUGHPUT_TIERS.join(", ")} MB/s/TiB (FSx CreateFileSystem API)`);
        } else if (!PERSISTENT_2_SSD_THROUGHPUT_TIERS.includes(t)) {
            err(
                ["perUnitStorageThroughput"],
                `PERSISTENT_2 SSD throughput tiers are ${PERSISTENT_2_SSD_THROUGHPUT_TIERS.join(", ")} MB/s/TiB (FSx CreateFileSystem API PerUnitStorageThroughput)`,
            );
        }
    }

    const version = fs.fileSystemTypeVersion;
    if (version !== undefined) {
        if (!LUSTRE_VERSIONS.includes(version)) {
            err(["fileSystemTypeVersion"], `unknown Lustre version; valid: ${LUSTRE_VERSIONS.join(", ")} (2.15 recommended)`);
        } else if (p2 && version === "2.10") {
            err(["fileSystemTypeVersion"], "Lustre 2.10 is not available with PERSISTENT_2; use 2.15 (or 2.12)");
        } else if (draCount > 0 && !DRA_LUSTRE_VERSIONS.includes(version)) {
            err(["fileSystemTypeVersion"], `data repository associations need Lustre ${DRA_LUSTRE_VERSIONS.join(" or ")} (FSx DataRepositoryAssociation API)`);
        } else if (version === "2.12") {
            result.warnings.push({ path: ["fileSystemTypeVersion"], message: "2.15 is recommended for new file systems (and required with a metadata configuration); upgrading later is in place, downgrading replaces the file system" });
        }
    }

    const md = fs.metadataConfiguration;
    if (md !== undefined) {
        if (!p2) {
            err(["metadataConfiguration"], "a metadata configuration is only supported with PERSISTENT_2");
        }
        if (version !== undefined && version !== "2.15") {
            err(["metadataConfiguration"], "a metadata configuration needs fileSystemTypeVersion 2.15");
        }
        if (md.mode !== "AUTOMATIC" && md.mode !== "USER_PROVISIONED") {
            err(["metadataConfiguration", "mode"], "AUTOMATIC or USER_PROVISIONED");
        } else if (md.mode === "AUTOMATIC" && md.iops !== undefined) {
            err(["metadataConfiguration", "iops"], "only with mode USER_PROVISIONED (AUTOMATIC sizes metadata IOPS from the storage capacity)");
        } else if (md.mode === "USER_PROVISIONED") {
            if (md.iops === undefined) {
                err(["metadataConfiguration", "iops"], "required with USER_PROVISIONED: 1500, 3000, 6000, or a multiple of 12000 up to 192000");
            } else if (!METADATA_IOPS_VALUES.includes(md.iops)) {
                err(["metadataConfiguration", "iops"], "metadata IOPS must be 1500, 3000, 6000, or a multiple of 12000 up to 192000 (FSx LustreMetadataConfiguration API)");
            }
        }
    }

    const retention = fs.automaticBackupRetentionDays;
    const retentionValid = retention === undefined || (isInt(retention) && retention >= 0 && retention <= 90);
    if (!retentionValid) {
        err(["automaticBackupRetentionDays"], "a whole number of days from 0 (no automatic backups) to 90");
    }
    if (draCount > 0) {
        result.errors.push(...checkNoBackupsWithDra(retentionValid ? fs : { ...fs, automaticBackupRetentionDays: undefined }));
    }
    if (p2 || draCount > 0) {
        for (const key of LEGACY_S3_LINK_INPUTS) {
            if (fs[key] !== undefined && fs[key] !== "") {
                err(
                    [key],
                    `not supported with ${p2 ? "PERSISTENT_2" : "a data repository association"}: link S3 through aws.fsx.DataRepositoryAssociation instead (FSx CreateFileSystemLustreConfiguration; @pulumi/aws aws.fsx.LustreFileSystem)`,
                );
            }
        }
    }

    if (fs.weeklyMaintenanceStartTime !== undefined) {
        result.errors.push(...checkWeeklyMaintenanceStartTime(fs.weeklyMaintenanceStartTime).map((m) => ({ path: ["weeklyMaintenanceStartTime"], message: m })));
    }
    if (fs.dataCompressionType !== undefined && fs.dataCompressionType !== "LZ4" && fs.dataCompressionType !== "NONE") {
        err(["dataCompressionType"], "LZ4 or NONE");
    }
    const level = fs.logConfiguration?.level;
    if (level !== undefined && !(LUSTRE_LOG_LEVELS as readonly string[]).includes(level)) {
        err(["logConfiguration", "level"], `one of ${LUSTRE_LOG_LEVELS.join(", ")} (FSx LustreLogCreateConfiguration API)`);
    }
    if (fs.rootSquashConfiguration !== undefined) {
        result.errors.push(...nest(checkRootSquash(fs.rootSquashConfiguration), ["rootSquashConfiguration"]));
    }
    return result;
}

/**
 * Checks that a file system linked to S3 by a data repository association takes no backups: FSx
 * does not back up such file systems (LustreGuide "using-backups-fsx"; the durable copy is the
 * bucket), so `automaticBackupRetentionDays` is 0 or unset (the API default is 0), with no
 * `dailyAutomaticBackupStartTime` and no `copyTagsToBackups`. {@link checkLustreFileSystem} runs it
 * when `draCount > 0`; the policy pack runs it on every file system an association links.
 *
 * @param fs the file system inputs.
 * @returns errors with paths named after the inputs.
 */
export function checkNoBackupsWithDra(fs: Pick<LustreFileSystemFacts, "automaticBackupRetentionDays" | "dailyAutomaticBackupStartTime" | "copyTagsToBackups">): RuleFinding[] {
    const out: RuleFinding[] = [];
    if (fs.automaticBackupRetentionDays !== undefined && fs.automaticBackupRetentionDays > 0) {
        out.push({
            path: ["automaticBackupRetentionDays"],
            message: "must be 0: FSx takes no backups of a file system linked to S3 by a data repository association (LustreGuide \"using-backups-fsx\"); the durable copy is the bucket",
        });
    }
    if (fs.dailyAutomaticBackupStartTime !== undefined && fs.dailyAutomaticBackupStartTime !== "") {
        out.push({ path: ["dailyAutomaticBackupStartTime"], message: "not allowed: a file system linked to S3 has no automatic backups" });
    }
    if (fs.copyTagsToBackups === true) {
        out.push({ path: ["copyTagsToBackups"], message: "not allowed: a file system linked to S3 has no backups" });
    }
    return out;
}

/**
 * Checks the choices this stack makes for every Lustre file system, beyond what the FSx API
 * requires: `deploymentType` stated as {@link LUSTRE_DEPLOYMENT_TYPE} (the only type with automatic
 * import/export through DRAs on SSD), `storageType` {@link LUSTRE_STORAGE_TYPE} or unset (SSD is the
 * API default), and `fileSystemTypeVersion` stated (the API default depends on the deployment type
 * and the metadata configuration, and the replacement guard records the version). The config and
 * the component always satisfy them; the policy pack checks every file system of the stack.
 *
 * @param fs the file system inputs.
 * @returns errors with paths named after the inputs.
 */
export function checkLustreChoices(fs: Pick<LustreFileSystemFacts, "deploymentType" | "storageType" | "fileSystemTypeVersion">): RuleResult {
    const result = emptyResult();
    if (fs.deploymentType !== LUSTRE_DEPLOYMENT_TYPE) {
        result.errors.push({ path: ["deploymentType"], message: `this stack uses ${LUSTRE_DEPLOYMENT_TYPE}, set explicitly: the deployment type with data repository associations for automatic import and export on SSD` });
    }
    if (fs.storageType !== undefined && fs.storageType !== LUSTRE_STORAGE_TYPE) {
        result.errors.push({ path: ["storageType"], message: `this stack uses ${LUSTRE_STORAGE_TYPE} storage (the API default)` });
    }
    if (fs.fileSystemTypeVersion === undefined) {
        result.errors.push({
            path: ["fileSystemTypeVersion"],
            message: `set it explicitly to 2.15 (recommended) or 2.12: the API default depends on the deployment type and the metadata configuration (FSx CreateFileSystem FileSystemTypeVersion), and data repository associations need ${DRA_LUSTRE_VERSIONS.join(" or ")}`,
        });
    }
    return result;
}

/**
 * Checks the weekly maintenance window form `d:HH:MM` (UTC; d = 1 Monday … 7 Sunday).
 *
 * @returns error messages (empty when valid).
 */
export function checkWeeklyMaintenanceStartTime(value: string): string[] {
    return /^[1-7]:([01]\d|2[0-3]):[0-5]\d$/.test(value)
        ? []
        : ["must have the form d:HH:MM in UTC, d = 1 (Monday) … 7 (Sunday), e.g. 7:04:00 for Sunday 04:00 (FSx WeeklyMaintenanceStartTime)"];
}

/** Checks a root squash configuration (FSx LustreRootSquashConfiguration API). */
export function checkRootSquash(rs: RootSquashFacts): RuleFinding[] {
    const out: RuleFinding[] = [];
    if (rs.rootSquash !== undefined) {
        const m = /^(\d{1,10}):(\d{1,10})$/.exec(rs.rootSquash);
        if (!m || Number(m[1]) > 4294967294 || Number(m[2]) > 4294967294) {
            out.push({ path: ["rootSquash"], message: "UID:GID with values 0–4294967294, e.g. 65534:65534" });
        }
    }
    const nids = rs.noSquashNids ?? [];
    if (nids.length > 0 && rs.rootSquash === undefined) {
        out.push({ path: ["noSquashNids"], message: "only with rootSquash (the exemptions apply to root squash)" });
    }
    if (nids.length > 64) {
        out.push({ path: ["noSquashNids"], message: "at most 64 NIDs" });
    }
    nids.forEach((nid, i) => {
        if (!/^([0-9[\]-]*\.){3}([0-9[\]-]*)@tcp$/.test(nid)) {
            out.push({ path: ["noSquashNids", i], message: "a Lustre NID such as 10.0.1.6@tcp or 10.0.[2-10].[1-255]@tcp" });
        }
    });
    return out;
}

function nest(findings: readonly RuleFinding[], prefix: readonly PathSegment[]): RuleFinding[] {
    return findings.map((f) => ({ path: [...prefix, ...f.path], message: f.message }));
}

/**
 * A short, stable suffix for a DRA's resource name, from its file system path: `/` → `root`,
 * `/data/raw/` → `data-raw`. Associations are identified by their path, so removing one never
 * renames (and so replaces) another; config validation refuses two paths with the same suffix.
 *
 * @param fileSystemPath the association's directory on the file system, e.g. `/microbiome`.
 */
export function draSlug(fileSystemPath: string): string {
    const trimmed = fileSystemPath.replace(/^\/+|\/+$/g, "");
    return trimmed === "" ? "root" : trimmed.replace(/\//g, "-");
}

/** Normalizes a file system path for comparison: ensures one trailing `/` (`/a` → `/a/`). */
export function normalizeFileSystemPath(path: string): string {
    return path.endsWith("/") ? path : `${path}/`;
}

/** A parsed `s3://bucket/prefix/` data repository path. */
export interface S3Path {
    readonly bucket: string;
    /** Key prefix without leading `/`, with a trailing `/`; `""` for the whole bucket. */
    readonly prefix: string;
}

/**
 * Parses an S3 data repository path `s3://<bucket>[/<prefix>][/]`.
 *
 * @returns the bucket and normalized prefix, or an error message.
 */
export function parseS3Path(path: string): S3Path | { error: string } {
    const form = "an S3 path s3://<bucket>/<prefix>/ (or s3://<bucket>/ for the whole bucket)";
    if (path.length < 3 || path.length > 900) {
        return { error: `${form}, 3–900 characters` };
    }
    const m = /^s3:\/\/([^/]+)(\/(.*))?$/.exec(path);
    if (!m) {
        return { error: form };
    }
    const bucket = m[1];
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket) || bucket.includes("..")) {
        return { error: `${form}; "${bucket}" is not a valid bucket name (S3 bucket naming rules)` };
    }
    const rest = m[3] ?? "";
    if (rest === "") {
        return { bucket, prefix: "" };
    }
    const trimmed = rest.endsWith("/") ? rest.slice(0, -1) : rest;
    if (trimmed.split("/").some((segment) => segment === "")) {
        return { error: `${form}; the prefix may not start with / or contain //` };
    }
    return { bucket, prefix: `${trimmed}/` };
}

/**
 * Builds the data repository path of a prefix in a bucket: `s3://<bucket>/<prefix>/`, or
 * `s3://<bucket>/` for the empty prefix. Always with the trailing `/` FSx uses.
 *
 * @param bucket bucket name.
 * @param prefix key prefix, with or without surrounding slashes; `""` = the whole bucket.
 */
export function dataRepositoryPathFor(bucket: string, prefix: string): string {
    const p = prefix.replace(/^\/+|\/+$/g, "");
    return p === "" ? `s3://${bucket}/` : `s3://${bucket}/${p}/`;
}

/**
 * The data repository path of a configured association: `s3://<backup bucket>/<prefix>/` for the
 * prefix form, or the given path with a trailing `/` (the form FSx uses).
 *
 * @param d the association's `prefix` (a key prefix in the backup bucket) or `dataRepositoryPath`
 *   (a full `s3://` path); config validation requires exactly one.
 * @param backupBucketName the backup bucket's name.
 */
export function resolvedDataRepositoryPath(d: { readonly prefix?: string; readonly dataRepositoryPath?: string }, backupBucketName: string): string {
    if (d.dataRepositoryPath !== undefined) {
        return d.dataRepositoryPath.endsWith("/") ? d.dataRepositoryPath : `${d.dataRepositoryPath}/`;
    }
    return dataRepositoryPathFor(backupBucketName, d.prefix ?? "");
}

/**
 * Checks a file system's data repository associations against the FSx API rules.
 *
 * Errors: more than 8; `fileSystemPath` without leading `/`, with `//`, `.` or `..` segments, or
 * longer than 4096; `/` together with another association; nested or equal file system paths;
 * a malformed S3 path; overlapping S3 paths; chunk size outside 1–512000 MiB; unknown, repeated or
 * more than 3 events; auto-import from a bucket in another Region than the file system;
 * `deleteDataInFilesystem` true (removing the association would delete the files).
 * Warnings: an association that neither imports nor exports automatically.
 *
 * @param dras associations in the order they are configured.
 * @param ctx Regions of the file system and of each bucket, when known.
 * @returns findings with paths `[index, <input name>, …]` relative to the list.
 */
export function checkDataRepositoryAssociations(dras: readonly DataRepositoryAssociationFacts[], ctx: DraContext = {}): RuleResult {
    const result = emptyResult();
    const err = (path: PathSegment[], message: string) => result.errors.push({ path, message });
    if (dras.length > MAX_DATA_REPOSITORY_ASSOCIATIONS) {
        err([], `at most ${MAX_DATA_REPOSITORY_ASSOCIATIONS} data repository associations per file system (FSx CreateDataRepositoryAssociation API); ${dras.length} given`);
    }
    const s3Paths: (S3Path | undefined)[] = [];
    dras.forEach((dra, i) => {
        const p = dra.fileSystemPath;
        if (!p.startsWith("/")) {
            err([i, "fileSystemPath"], "must start with / (e.g. /microbiome): the leading forward slash is required (FSx DataRepositoryAssociation FileSystemPath)");
        } else if (p.length > 4096 || p.includes("//") || p.split("/").some((s) => s === "." || s === "..")) {
            err([i, "fileSystemPath"], "an absolute directory path such as /microbiome or /data/raw: at most 4096 characters, no //, . or .. segments");
        } else if (p === "/" && dras.length > 1) {
            err([i, "fileSystemPath"], "/ (the whole file system) is only allowed when it is the only data repository association (FSx DataRepositoryAssociation FileSystemPath)");
        }
        if (dra.dataRepositoryPath !== undefined) {
            const parsed = parseS3Path(dra.dataRepositoryPath);
            if ("error" in parsed) {
                err([i, "dataRepositoryPath"], parsed.error);
                s3Paths.push(undefined);
            } else {
                s3Paths.push(parsed);
            }
        } else {
            s3Paths.push(undefined);
        }
        const chunk = dra.importedFileChunkSize;
        if (chunk !== undefined && (!isInt(chunk) || chunk < 1 || chunk > 512000)) {
            err([i, "importedFileChunkSize"], "a whole number of MiB from 1 to 512000 (FSx DataRepositoryAssociation ImportedFileChunkSize; default 1024)");
        }
        for (const policy of ["autoImportPolicy", "autoExportPolicy"] as const) {
            const events = dra.s3?.[policy]?.events ?? [];
            if (events.length > DRA_EVENT_TYPES.length) {
                err([i, "s3", policy, "events"], `at most ${DRA_EVENT_TYPES.length} events: ${DRA_EVENT_TYPES.join(", ")}`);
            }
            events.forEach((e, k) => {
                if (!(DRA_EVENT_TYPES as readonly string[]).includes(e)) {
                    err([i, "s3", policy, "events", k], `one of ${DRA_EVENT_TYPES.join(", ")}`);
                } else if (events.indexOf(e) !== k) {
                    err([i, "s3", policy, "events", k], `${e} is listed twice`);
                }
            });
        }
        const autoImports = (dra.s3?.autoImportPolicy?.events ?? []).length > 0;
        const autoExports = (dra.s3?.autoExportPolicy?.events ?? []).length > 0;
        const bucketRegion = ctx.bucketRegions?.[i];
        if (autoImports && bucketRegion !== undefined && ctx.fileSystemRegion !== undefined && bucketRegion !== ctx.fileSystemRegion) {
            err(
                [i, "s3", "autoImportPolicy"],
                `automatic import needs the bucket in the file system's Region (${ctx.fileSystemRegion}); this bucket is in ${bucketRegion} — use auto-export only, or a bucket in ${ctx.fileSystemRegion} (LustreGuide "create-dra-linked-data-repo")`,
            );
        }
        if (!autoImports && !autoExports) {
            result.warnings.push({ path: [i, "s3"], message: "neither auto-import nor auto-export is set: nothing moves between the file system and S3 unless data repository tasks are run by hand" });
        }
        if (dra.deleteDataInFilesystem === true) {
            err([i, "deleteDataInFilesystem"], "must be false: deleting the association would also delete its files from the file system, including files not yet exported to S3");
        }
    });
    // Nesting / overlap, reported on the later association.
    for (let j = 0; j < dras.length; j++) {
        for (let i = 0; i < j; i++) {
            const a = dras[i].fileSystemPath;
            const b = dras[j].fileSystemPath;
            if (a.startsWith("/") && b.startsWith("/") && a !== "/" && b !== "/") {
                const na = normalizeFileSystemPath(a);
                const nb = normalizeFileSystemPath(b);
                if (na === nb || na.startsWith(nb) || nb.startsWith(na)) {
                    err(
                        [j, "fileSystemPath"],
                        `${na === nb ? "the same as" : "nested with"} dataRepositoryAssociations[${i}].fileSystemPath ${a}: file system paths of two associations may not overlap (FSx DataRepositoryAssociation FileSystemPath)`,
                    );
                }
            }
            const sa = s3Paths[i];
            const sb = s3Paths[j];
            if (sa && sb && sa.bucket === sb.bucket && (sa.prefix.startsWith(sb.prefix) || sb.prefix.startsWith(sa.prefix))) {
                err(
                    [j, "dataRepositoryPath"],
                    `overlaps dataRepositoryAssociations[${i}] (s3://${sa.bucket}/${sa.prefix}): each association needs its own S3 bucket or non-overlapping prefix (FSx CreateDataRepositoryAssociation API)`,
                );
            }
        }
    }
    return result;
}

/**
 * Checks PERSISTENT_2 availability in a Region: a warning (never an error) when the Region is not
 * in {@link PERSISTENT_2_CONFIRMED_REGIONS} and the stack has not acknowledged it.
 *
 * @param region the file system's Region.
 * @param override true when the operator confirmed the Region offers PERSISTENT_2.
 */
export function checkPersistent2Region(region: string, override: boolean): RuleFinding[] {
    if (override || PERSISTENT_2_CONFIRMED_REGIONS.includes(region)) {
        return [];
    }
    return [
        {
            path: ["persistent2RegionOverride"],
            message:
                `PERSISTENT_2 is offered in a limited number of Regions and ${region} is not among those last confirmed (${PERSISTENT_2_CONFIRMED_REGIONS.join(", ")}); ` +
                "check \"Deployment type availability\" in https://docs.aws.amazon.com/fsx/latest/LustreGuide/using-fsx-lustre.html and, if it is offered, set persistent2RegionOverride: true",
        },
    ];
}

/** One ingress rule of a security group, reduced to what the Lustre check needs. */
export interface IngressRuleFacts {
    /** `tcp`, `6`, or `-1` / `all` for every protocol. */
    readonly ipProtocol: string;
    readonly fromPort?: number;
    readonly toPort?: number;
    /** True when the source is the security group itself. */
    readonly fromSelf: boolean;
}

/**
 * Turns `aws.vpc.SecurityGroupIngressRule` inputs into {@link IngressRuleFacts} for one group:
 * rules of other groups are dropped; "from itself" means `referencedSecurityGroupId` equals the
 * group's id.
 */
export function ingressFactsFromVpcRules(
    groupId: string,
    rules: readonly { securityGroupId: string; ipProtocol: string; fromPort?: number; toPort?: number; referencedSecurityGroupId?: string }[],
): IngressRuleFacts[] {
    return rules
        .filter((r) => r.securityGroupId === groupId)
        .map((r) => ({ ipProtocol: r.ipProtocol, fromPort: r.fromPort, toPort: r.toPort, fromSelf: r.referencedSecurityGroupId === groupId }));
}

/**
 * Turns the inline `ingress` blocks of an `aws.ec2.SecurityGroup` into {@link IngressRuleFacts}
 * (`self: true` or the group's own id among `securityGroups` means "from itself").
 */
export function ingressFactsFromInlineRules(
    groupId: string | undefined,
    ingress: readonly { protocol: string; fromPort?: number; toPort?: number; self?: boolean; securityGroups?: readonly string[] }[],
): IngressRuleFacts[] {
    return ingress.map((r) => ({
        ipProtocol: r.protocol,
        fromPort: r.fromPort,
        toPort: r.toPort,
        fromSelf: r.self === true || (groupId !== undefined && (r.securityGroups ?? []).includes(groupId)),
    }));
}

/**
 * Checks that a file system's security group lets Lustre traffic in from itself: TCP 988 and
 * 1018–1023 (LustreGuide "limit-access-security-groups"; without it creation fails with "… do not
 * permit Lustre LNET network traffic on port 988", LustreGuide "cannot-create-fs").
 *
 * @param rules the group's ingress rules.
 * @returns one error per missing port range (path `[]`).
 */
export function checkLustreIngress(rules: readonly IngressRuleFacts[]): RuleFinding[] {
    const covers = (port: number) =>
        rules.some((r) => {
            const proto = r.ipProtocol.toLowerCase();
            if (!r.fromSelf) return false;
            if (proto === "-1" || proto === "all") return true;
            if (proto !== "tcp" && proto !== "6") return false;
            return r.fromPort !== undefined && r.toPort !== undefined && r.fromPort <= port && port <= r.toPort;
        });
    const out: RuleFinding[] = [];
    for (const range of LUSTRE_TCP_PORT_RANGES) {
        const missing: number[] = [];
        for (let port = range.fromPort; port <= range.toPort; port++) {
            if (!covers(port)) missing.push(port);
        }
        if (missing.length > 0) {
            const what = range.fromPort === range.toPort ? `TCP ${range.fromPort}` : `TCP ${range.fromPort}–${range.toPort}`;
            out.push({
                path: [],
                message: `the file system's security group must allow ${what} inbound from itself (missing: ${missing.join(", ")}); otherwise creation fails with "do not permit Lustre LNET network traffic on port 988" (LustreGuide "limit-access-security-groups")`,
            });
        }
    }
    return out;
}

/**
 * The settings of a file system and its associations whose change replaces the file system (or an
 * association), as plain values named after the @pulumi/aws inputs. A subnet or security group
 * the stack creates is described by a stable descriptor instead of its (unknown) id.
 */
export interface LustreReplacementFacts {
    /** Subnet id, or a descriptor of the subnet the stack creates. */
    readonly subnetIds: string;
    /** Security group ids or descriptors, in any order. */
    readonly securityGroupIds: readonly string[];
    /** KMS key ARN; `undefined` = the AWS managed key. */
    readonly kmsKeyId?: string;
    readonly deploymentType: string;
    readonly storageType: string;
    /** GiB. */
    readonly storageCapacity: number;
    readonly fileSystemTypeVersion: string;
    readonly metadataConfiguration?: MetadataConfigurationFacts;
    readonly copyTagsToBackups?: boolean;
    /** Each association's two paths (an association is identified by its fileSystemPath). */
    readonly dataRepositoryAssociations: readonly { readonly fileSystemPath: string; readonly dataRepositoryPath: string }[];
}

/** One difference between two {@link LustreReplacementFacts}. */
export interface ReplacementChange {
    /** Path of the setting, e.g. `["storageCapacity"]` or `["dataRepositoryAssociations", 0]`. */
    readonly path: readonly PathSegment[];
    readonly previous: unknown;
    readonly next: unknown;
    /** True when the change replaces the file system or an association (data at risk). */
    readonly replaces: boolean;
    /** What happens, in one sentence. */
    readonly effect: string;
}

function compareVersions(a: string, b: string): number {
    const pa = a.split(".").map(Number);
    const pb = b.split(".").map(Number);
    for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
        const d = (pa[i] ?? 0) - (pb[i] ?? 0);
        if (d !== 0) return d;
    }
    return 0;
}

/**
 * Which changes between two sets of replacement-sensitive settings would replace the file system
 * (or one of its associations), following the Terraform ForceNew set the provider uses:
 * subnetIds, securityGroupIds, kmsKeyId, deploymentType, storageType, copyTagsToBackups; a lower
 * storageCapacity, a lower fileSystemTypeVersion, lower metadata IOPS; a DRA whose
 * dataRepositoryPath changes, or that is removed (its fileSystemPath renamed or dropped). Other
 * differences (capacity, version or IOPS increases, a new association, metadata mode) are updated
 * in place and reported with `replaces: false`.
 *
 * @param previous the settings recorded for the deployed file system.
 * @param next the settings the configuration asks for now.
 * @returns every difference, in a stable order.
 */
export function replacingChanges(previous: LustreReplacementFacts, next: LustreReplacementFacts): ReplacementChange[] {
    const out: ReplacementChange[] = [];
    const replace = "replaces the file system: a new, empty one is created and files not yet exported to S3 are lost";
    const simple: (keyof LustreReplacementFacts)[] = ["subnetIds", "kmsKeyId", "deploymentType", "storageType"];
    for (const key of simple) {
        if ((previous[key] ?? undefined) !== (next[key] ?? undefined)) {
            out.push({ path: [key], previous: previous[key], next: next[key], replaces: true, effect: replace });
        }
    }
    const sortedPrev = [...previous.securityGroupIds].sort();
    const sortedNext = [...next.securityGroupIds].sort();
    if (sortedPrev.join("\n") !== sortedNext.join("\n")) {
        out.push({ path: ["securityGroupIds"], previous: sortedPrev, next: sortedNext, replaces: true, effect: replace });
    }
    if ((previous.copyTagsToBackups ?? false) !== (next.copyTagsToBackups ?? false)) {
        out.push({ path: ["copyTagsToBackups"], previous: previous.copyTagsToBackups ?? false, next: next.copyTagsToBackups ?? false, replaces: true, effect: replace });
    }
    if (previous.storageCapacity !== next.storageCapacity) {
        const down = next.storageCapacity < previous.storageCapacity;
        out.push({
            path: ["storageCapacity"],
            previous: previous.storageCapacity,
            next: next.storageCapacity,
            replaces: down,
            effect: down ? `a decrease ${replace}` : "an increase is applied in place (storage scaling, hours of background optimization)",
        });
    }
    if (previous.fileSystemTypeVersion !== next.fileSystemTypeVersion) {
        const down = compareVersions(next.fileSystemTypeVersion, previous.fileSystemTypeVersion) < 0;
        out.push({
            path: ["fileSystemTypeVersion"],
            previous: previous.fileSystemTypeVersion,
            next: next.fileSystemTypeVersion,
            replaces: down,
            effect: down ? `a downgrade ${replace}` : "an upgrade is applied in place",
        });
    }
    const pm = previous.metadataConfiguration;
    const nm = next.metadataConfiguration;
    if ((pm?.mode ?? "AUTOMATIC") !== (nm?.mode ?? "AUTOMATIC") || (pm?.iops ?? 0) !== (nm?.iops ?? 0)) {
        const down = pm?.iops !== undefined && nm?.iops !== undefined && nm.iops < pm.iops;
        out.push({
            path: ["metadataConfiguration"],
            previous: pm,
            next: nm,
            replaces: down,
            effect: down ? `lower metadata IOPS ${replace}` : "updated in place",
        });
    }
    const prevDras = new Map(previous.dataRepositoryAssociations.map((d) => [normalizeFileSystemPath(d.fileSystemPath), d]));
    const nextDras = new Map(next.dataRepositoryAssociations.map((d) => [normalizeFileSystemPath(d.fileSystemPath), d]));
    const draReplace = "replaces the association: auto-export stops while it is recreated, and files not yet exported may never reach S3";
    previous.dataRepositoryAssociations.forEach((d, i) => {
        const now = nextDras.get(normalizeFileSystemPath(d.fileSystemPath));
        if (now === undefined) {
            out.push({ path: ["dataRepositoryAssociations", i], previous: d, next: undefined, replaces: true, effect: `removing (or renaming) ${d.fileSystemPath} deletes its association; ${draReplace.replace("replaces the association: ", "")}` });
        } else if (now.dataRepositoryPath !== d.dataRepositoryPath) {
            out.push({ path: ["dataRepositoryAssociations", i, "dataRepositoryPath"], previous: d.dataRepositoryPath, next: now.dataRepositoryPath, replaces: true, effect: draReplace });
        }
    });
    next.dataRepositoryAssociations.forEach((d) => {
        if (!prevDras.has(normalizeFileSystemPath(d.fileSystemPath))) {
            out.push({ path: ["dataRepositoryAssociations"], previous: undefined, next: d, replaces: false, effect: `a new association for ${d.fileSystemPath} is created` });
        }
    });
    return out;
}

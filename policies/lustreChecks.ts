/**
 * FSx for Lustre PERSISTENT_2 rules over the plain input properties of an
 * `aws.fsx.LustreFileSystem` (@pulumi/aws v7 names), returning the project's `RuleResult`.
 *
 * TODO(lead, after merging issue 5): replace the bodies of these functions by calls to the shared
 * rule module `components/lustreRules.ts` (one implementation for config validation and policies),
 * keeping these signatures: the policies in `fsx.ts` call only these two functions.
 *
 * Sources: FSx API `CreateFileSystem` / `CreateFileSystemLustreConfiguration`; FSx Lustre User Guide
 * "managing-throughput-capacity", "using-backups-fsx", "lustre-deployment-types";
 * ../shared/reference/aws-constraints.md "FSx for Lustre PERSISTENT_2".
 */
import { emptyResult, RuleResult } from "../config/problems";

/** The inputs of an `aws.fsx.LustreFileSystem` these rules read (plain values, as given to the resource). */
export interface LustreFileSystemProps {
    readonly deploymentType?: unknown;
    readonly storageType?: unknown;
    readonly storageCapacity?: unknown;
    readonly perUnitStorageThroughput?: unknown;
    readonly fileSystemTypeVersion?: unknown;
    readonly metadataConfiguration?: unknown;
    readonly importPath?: unknown;
    readonly exportPath?: unknown;
    readonly autoImportPolicy?: unknown;
    readonly automaticBackupRetentionDays?: unknown;
    readonly dailyAutomaticBackupStartTime?: unknown;
    readonly copyTagsToBackups?: unknown;
}

/** Per-unit throughput values of PERSISTENT_2 SSD, MB/s per TiB. */
export const PERSISTENT_2_THROUGHPUTS = [125, 250, 500, 1000];
/** Lustre versions that support PERSISTENT_2 with data repository associations. */
export const PERSISTENT_2_VERSIONS = ["2.12", "2.15"];

/** True for the user-provisioned metadata IOPS values FSx accepts: 1500, 3000, 6000, 12000–192000 in steps of 12000. */
function validMetadataIops(iops: number): boolean {
    return [1500, 3000, 6000].includes(iops) || (iops % 12000 === 0 && iops >= 12000 && iops <= 192000);
}

/**
 * Checks the settings of a PERSISTENT_2 SSD Lustre file system: deployment and storage type,
 * per-unit throughput, capacity (1200 GiB or a multiple of 2400), Lustre version (2.12 or 2.15, set
 * explicitly; 2.15 with a metadata configuration), metadata IOPS, and no file-system-level
 * import/export paths (PERSISTENT_2 links S3 through data repository associations).
 *
 * @param fs the file system's inputs.
 * @returns errors with paths naming the input property.
 */
export function checkPersistent2Settings(fs: LustreFileSystemProps): RuleResult {
    const result = emptyResult();
    const err = (path: string, message: string) => result.errors.push({ path: [path], message });
    if (fs.deploymentType !== "PERSISTENT_2") {
        err("deploymentType", `is ${JSON.stringify(fs.deploymentType)}; this stack uses PERSISTENT_2 (the only deployment type with data repository associations on SSD)`);
    }
    if (fs.storageType !== undefined && fs.storageType !== "SSD") {
        err("storageType", `is ${JSON.stringify(fs.storageType)}; this stack uses SSD storage (the default)`);
    }
    const throughput = fs.perUnitStorageThroughput;
    if (typeof throughput !== "number" || !PERSISTENT_2_THROUGHPUTS.includes(throughput)) {
        err("perUnitStorageThroughput", `is ${JSON.stringify(throughput)}; PERSISTENT_2 SSD takes ${PERSISTENT_2_THROUGHPUTS.join(", ")} MB/s/TiB`);
    }
    const capacity = fs.storageCapacity;
    if (typeof capacity !== "number" || !(capacity === 1200 || (capacity > 0 && capacity % 2400 === 0))) {
        err("storageCapacity", `is ${JSON.stringify(capacity)} GiB; PERSISTENT_2 SSD takes 1200 GiB or a multiple of 2400 GiB`);
    }
    const version = fs.fileSystemTypeVersion;
    if (typeof version !== "string" || !PERSISTENT_2_VERSIONS.includes(version)) {
        err(
            "fileSystemTypeVersion",
            `is ${JSON.stringify(version)}; set it explicitly to 2.15 (recommended) or 2.12: 2.10 does not work with PERSISTENT_2 and data repository associations need 2.12 or later`,
        );
    }
    const metadata = fs.metadataConfiguration;
    if (metadata !== undefined && metadata !== null && typeof metadata === "object") {
        const { mode, iops } = metadata as { mode?: unknown; iops?: unknown };
        if (version !== "2.15") {
            err("metadataConfiguration", "needs fileSystemTypeVersion 2.15");
        }
        if (mode === "USER_PROVISIONED") {
            if (typeof iops !== "number" || !validMetadataIops(iops)) {
                err("metadataConfiguration", `iops is ${JSON.stringify(iops)}; USER_PROVISIONED takes 1500, 3000, 6000 or a multiple of 12000 up to 192000`);
            }
        } else if (mode === "AUTOMATIC") {
            if (iops !== undefined) {
                err("metadataConfiguration", "iops may only be set with mode USER_PROVISIONED");
            }
        } else {
            err("metadataConfiguration", `mode is ${JSON.stringify(mode)}; allowed: AUTOMATIC, USER_PROVISIONED`);
        }
    }
    for (const key of ["importPath", "exportPath", "autoImportPolicy"] as const) {
        if (fs[key] !== undefined && fs[key] !== null && fs[key] !== "") {
            err(key, "is a PERSISTENT_1/SCRATCH setting; PERSISTENT_2 links S3 through aws.fsx.DataRepositoryAssociation");
        }
    }
    return result;
}

/**
 * Checks that a file system linked to S3 by a data repository association takes no backups: FSx does
 * not back up file systems with a DRA (the durable copy is the bucket), so automaticBackupRetentionDays
 * must be 0 (or unset: the API default is 0), with no dailyAutomaticBackupStartTime and no
 * copyTagsToBackups.
 *
 * @param fs the file system's inputs.
 */
export function checkNoBackupsWithDra(fs: LustreFileSystemProps): RuleResult {
    const result = emptyResult();
    const retention = fs.automaticBackupRetentionDays;
    if (typeof retention === "number" && retention !== 0) {
        result.errors.push({ path: ["automaticBackupRetentionDays"], message: `is ${retention}; a file system with a data repository association takes no backups: set 0` });
    }
    if (typeof fs.dailyAutomaticBackupStartTime === "string" && fs.dailyAutomaticBackupStartTime !== "") {
        result.errors.push({ path: ["dailyAutomaticBackupStartTime"], message: "must be unset: a file system with a data repository association takes no backups" });
    }
    if (fs.copyTagsToBackups === true) {
        result.errors.push({ path: ["copyTagsToBackups"], message: "must be unset or false: a file system with a data repository association takes no backups" });
    }
    return result;
}

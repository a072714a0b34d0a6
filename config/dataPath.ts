/**
 * Warnings about the data's way through the stack that span sections (errors are refused by
 * `config/syncPaths.ts` checkSyncPaths through config/crossChecks.ts):
 * - the expected migration volume does not fit on the file system and release is off;
 * - an association imports (auto-import, or the batch import at creation) from a prefix the lifecycle moves to an archive class (GLACIER,
 *   DEEP_ARCHIVE): those files appear on the file system, but reading one fails until its object is
 *   restored (AWS Storage Blog, "Automate file retrieval from S3 Glacier when using FSx for Lustre";
 *   docs/fsx.md "Reading an archived file").
 */
import { associationViews } from "./syncPaths";
import { effectiveTiers } from "./dataFlow";
import { STORAGE_CLASS_FACTS } from "../components/bucket/lifecycle";
import type { BucketConfig } from "./bucket";
import type { FsxConfig } from "./fsx";
import type { SyncHostConfig } from "./syncHost";
import type { RuleFinding } from "../components/common/problems";

/** Data-path warnings, per section (paths relative to the section, as the other warnings functions). */
export interface DataPathWarnings {
    readonly syncHost: RuleFinding[];
    readonly fsx: RuleFinding[];
}

/**
 * The parts of the configuration {@link dataPathWarnings} reads: the backup bucket (its name and
 * lifecycle tiers), the `fsx` section (capacity, associations), the `syncHost` section (expected
 * migration volume, release) and the project name the messages name other keys with. The whole
 * stack configuration is one.
 */
export interface DataPathWarningsInput {
    /** Pulumi project name: the default of `dataPathWarnings`' `project`. */
    readonly project: string;
    /** The validated `bucket` section. */
    readonly bucket: BucketConfig;
    /** The validated `fsx` section. */
    readonly fsx: FsxConfig;
    /** The validated `syncHost` section. */
    readonly syncHost: SyncHostConfig;
}

/**
 * The data-path warnings of a valid configuration (see the top of this file).
 *
 * @param config the settings of {@link DataPathWarningsInput} (the whole stack configuration will do).
 * @param project the project name (the other keys are named in full in the messages).
 */
export function dataPathWarnings(config: DataPathWarningsInput, project: string = config.project): DataPathWarnings {
    const out: DataPathWarnings = { syncHost: [], fsx: [] };
    if (!config.fsx.enabled) {
        return out;
    }
    const host = config.syncHost;
    if (host.enabled && host.expectedMigrationGiB !== undefined && host.expectedMigrationGiB > config.fsx.storageCapacity && !host.release.enabled) {
        out.syncHost.push({
            path: ["expectedMigrationGiB"],
            message: `${host.expectedMigrationGiB} GiB expected, more than ${project}:fsx.storageCapacity = ${config.fsx.storageCapacity} GiB, while ${project}:syncHost.release.enabled is false: the file system fills before the migration ends. ` +
                "Turn release on (exported file data is released from the SSD, FSx for Lustre User Guide \"Releasing data from your file system\") or raise the capacity",
        });
    }
    const { tiers, prefix } = effectiveTiers(config);
    const archiveTiers = config.bucket.lifecycle.tiers
        .map((t, i) => ({ ...t, i }))
        .filter((t) => tiers.some((e) => e.days === t.days && e.storageClass === t.storageClass) && STORAGE_CLASS_FACTS[t.storageClass].archive);
    if (archiveTiers.length === 0) {
        return out;
    }
    const first = archiveTiers[0];
    for (const v of associationViews(config)) {
        const dra = config.fsx.dataRepositoryAssociations[v.index];
        if (v.bucket !== config.bucket.name || dra.archivedReadsAcknowledged) continue;
        if (v.autoImportEvents.length === 0 && !dra.batchImportMetaDataOnCreate) continue;
        // The lifecycle filter is a plain key prefix; the association's prefix overlaps it when one starts with the other.
        if (!(v.keyPrefix.startsWith(prefix) || prefix.startsWith(v.keyPrefix))) continue;
        out.fsx.push({
            path: v.autoImportEvents.length > 0 ? ["dataRepositoryAssociations", v.index, "s3", "autoImportPolicy", "events"] : ["dataRepositoryAssociations", v.index, "batchImportMetaDataOnCreate"],
            message: `${v.fileSystemPath} imports from ${v.dataRepositoryPath}, which ${project}:bucket.lifecycle.tiers[${first.i}] moves to ${first.storageClass} after ${first.days} days${prefix ? ` (lifecycle prefix ${prefix})` : ""}: ` +
                "those files stay visible on the file system, but reading one fails until its object is restored. See docs/fsx.md \"Reading an archived file\" (AWS Storage Blog, \"Automate file retrieval from S3 Glacier when using FSx for Lustre\"); " +
                `set ${project}:fsx.dataRepositoryAssociations[${v.index}].archivedReadsAcknowledged: true once the team follows that procedure`,
        });
    }
    return out;
}

/**
 * The data-flow report: for each sync source, and for the data the backup bucket already holds,
 * the whole way of the data — source → Lustre path → association → `s3://bucket/prefix` → storage
 * class at day 0, 90 and 180 → replicated or not, and the DR storage class → how to get it back.
 *
 * Pure, from the validated configuration, with the same builders the program uses
 * (`config/syncPaths.ts` for the paths, the lifecycle tiers of `bucket.lifecycle`, the replication
 * rule's prefix and storage class). `npm run dataflow` prints it (tools/dataflow.ts); the program
 * exports it as the stack output `dataFlow`, and the offline preview ends with
 * {@link renderDataFlowShort} of it.
 */
import type { BucketConfig } from "./bucket";
import type { FsxConfig } from "./fsx";
import { ReplicationConfig, replicationConfigurationDeclared } from "./replication";
import type { SyncHostConfig } from "./syncHost";
import { associationViews, coveringAssociation, lustrePathFor, resolveSyncPaths, s3UriFor } from "./syncPaths";
import { isArchiveStorageClass, LifecycleTier, RESTORE_READY_TIME, retrievalTiersOf, STORAGE_CLASS_FACTS } from "../components/bucket/lifecycle";

/** The days the report shows the storage class at. */
export const REPORT_DAYS = [0, 90, 180] as const;


/** Storage class at one day. */
export interface TierAtDay {
    readonly day: number;
    readonly storageClass: string;
}

/** One path of the data. */
export interface DataFlowPath {
    /** The source's name, or `existing` for the objects the bucket already holds. */
    readonly source: string;
    /** Where the files are on the sync host (absolute; `null` when no association shows them). */
    readonly lustrePath: string | null;
    /** The association's file system path (`null` when none). */
    readonly association: string | null;
    /** Where the data lands: `s3://<bucket>/<prefix>`. */
    readonly s3: string;
    /** Auto-export ships new and changed files to `s3` (for `existing`: the data is already there). */
    readonly exported: boolean;
    /** Storage class at days 0, 90, 180 under the effective lifecycle tiers. */
    readonly tiers: readonly TierAtDay[];
    /** Replicated to the DR bucket by the replication rule. */
    readonly replicated: boolean;
    /** Storage class of the replicas (`null` when not replicated). */
    readonly drStorageClass: string | null;
    /** How to get the data back from the bucket (download, or restore tier and hours), and from the DR copy. */
    readonly restore: string;
}

/** The report (`npm run dataflow -- --json` prints exactly this). */
export interface DataFlowReport {
    readonly stack: string;
    readonly paths: readonly DataFlowPath[];
    /** Why a path ends before the bucket (then the command exits 2). */
    readonly problems: readonly string[];
    readonly warnings: readonly string[];
}

/**
 * The parts of the configuration the report is built from: the stack's name, the backup bucket
 * (name, lifecycle tiers, whether it is adopted), the replication rule, the file system's
 * associations and the sync host's sources and mount point. {@link effectiveTiers} reads only
 * `bucket`. The whole stack configuration is one.
 */
export interface DataFlowInput {
    /** Pulumi stack name (`dev`, `prod`, …), the report's title. */
    readonly stack: string;
    /** The validated `bucket` section. */
    readonly bucket: BucketConfig;
    /** The validated `replication` section. */
    readonly replication: ReplicationConfig;
    /** The validated `fsx` section. */
    readonly fsx: FsxConfig;
    /** The validated `syncHost` section. */
    readonly syncHost: SyncHostConfig;
}

/**
 * The lifecycle tiers in effect for current versions. Archive transitions (GLACIER, DEEP_ARCHIVE)
 * are held (declared Disabled) until the replication backfill of an adopted bucket is recorded
 * (`archiveHold` in config/replication.ts): pass `holdArchive: true` then, and those tiers are left out.
 *
 * @returns the tiers, ascending by days, and the key prefix they apply under (`""` = whole bucket).
 */
export function effectiveTiers(config: Pick<DataFlowInput, "bucket">, options: { readonly holdArchive?: boolean } = {}): { tiers: LifecycleTier[]; prefix: string } {
    const lc = config.bucket.lifecycle;
    const tiers = lc.tiers.filter((t) => !(options.holdArchive && STORAGE_CLASS_FACTS[t.storageClass].archive));
    return { tiers: [...tiers].sort((a, b) => a.days - b.days), prefix: lc.prefix ?? "" };
}

/** The storage class of an object under `key` at `day`, for the effective tiers. */
export function storageClassAt(tiers: readonly LifecycleTier[], tierPrefix: string, key: string, day: number): string {
    if (!key.startsWith(tierPrefix) && !tierPrefix.startsWith(key)) {
        return "STANDARD";
    }
    let current = "STANDARD";
    for (const t of tiers) {
        if (t.days <= day) current = t.storageClass;
    }
    return current;
}

/** How to read an object of `storageClass` (download, or restore tier and hours). */
export function retrieval(storageClass: string): string {
    if (isArchiveStorageClass(storageClass)) {
        const tiers = retrievalTiersOf(storageClass).map((t) => `${t} ${RESTORE_READY_TIME[storageClass][t]}`);
        return `${storageClass}: restore first: ${tiers.join(", ")} (aws s3api restore-object), then download`;
    }
    return `${storageClass}: download (no restore)`;
}

/**
 * Builds the report.
 *
 * @param config the settings of {@link DataFlowInput} (the whole stack configuration will do).
 * @param options `holdArchive`: see {@link effectiveTiers}.
 */
export function buildDataFlowReport(config: DataFlowInput, options: { readonly holdArchive?: boolean } = {}): DataFlowReport {
    const bucket = config.bucket.name;
    const { tiers, prefix: tierPrefix } = effectiveTiers(config, options);
    const r = config.replication;
    const replicationOn = replicationConfigurationDeclared(r);
    const problems: string[] = [];
    const warnings: string[] = [];
    if (options.holdArchive) {
        warnings.push(
            "archive transitions held: the GLACIER/DEEP_ARCHIVE tiers are declared Disabled until the replication backfill is recorded (replication.backfill), so the tiers below stop at the last non-archive class",
        );
    }
    const views = associationViews(config);

    const pathFor = (source: string, key: string, lustrePath: string | null, association: string | null, exported: boolean): DataFlowPath => {
        const tiersAt = REPORT_DAYS.map((day) => ({ day, storageClass: storageClassAt(tiers, tierPrefix, key, day) }));
        const replicated = replicationOn && (r.prefix === undefined || key.startsWith(r.prefix) || r.prefix.startsWith(key));
        const drStorageClass = replicated ? (r.destination?.storageClass ?? null) : null;
        const last = tiersAt[tiersAt.length - 1].storageClass;
        return {
            source,
            lustrePath,
            association,
            s3: s3UriFor(bucket, key),
            exported,
            tiers: tiersAt,
            replicated,
            drStorageClass,
            restore: `from day ${tiersAt.find((t) => t.storageClass === last)?.day ?? 0}: ${retrieval(last)}${drStorageClass ? `; DR copy ${retrieval(drStorageClass)}` : ""}`,
        };
    };

    const paths: DataFlowPath[] = [];
    if (config.syncHost.enabled && config.fsx.enabled) {
        for (const s of resolveSyncPaths(config)) {
            const a = coveringAssociation(views, bucket, s.destination);
            const p = pathFor(s.name, s.destination, s.lustrePath, a?.fileSystemPath ?? null, a?.exportsNewAndChanged ?? false);
            if (!p.exported) problems.push(`${s.name}: ${s.lustrePath} is not auto-exported (NEW, CHANGED) to ${p.s3}`);
            if (r.enabled && !p.replicated) warnings.push(`${s.name}: ${p.s3} is not replicated to the DR bucket`);
            paths.push(p);
        }
    }
    // The data the bucket already holds: visible on the file system under the association of the
    // bucket root when there is one; replicated only after the S3 Batch Replication backfill.
    if (config.bucket.adoptExisting) {
        const root = config.fsx.enabled ? coveringAssociation(views, bucket, "") : undefined;
        paths.push(pathFor("existing", "", root ? lustrePathFor(config.syncHost.mountPoint, root, "") : null, root?.fileSystemPath ?? null, true));
        if (replicationOn) {
            warnings.push(
                "existing: objects that existed before replication was enabled reach the DR bucket only through S3 Batch Replication (npm run backfill:replication; S3 User Guide \"Replicating existing objects\")",
            );
        }
    }
    return { stack: config.stack, paths, problems, warnings };
}

/** Short form of a path's tiers: `STANDARD→GLACIER_IR→DEEP_ARCHIVE` (repeats dropped). */
function tierChain(tiers: readonly TierAtDay[]): string {
    return tiers
        .map((t) => t.storageClass)
        .filter((c, i, all) => i === 0 || all[i - 1] !== c)
        .join("→");
}

/**
 * The report as a short table (one line per path), for the end of the offline preview's human
 * output. Accepts the stack output `dataFlow` as the preview saw it (anything else renders nothing).
 *
 * @returns the lines to print, starting with a blank line and a heading; `[]` when there is no report.
 */
export function renderDataFlowShort(report: unknown): string[] {
    const paths = (report as { paths?: DataFlowPath[] } | undefined)?.paths;
    if (!Array.isArray(paths) || paths.length === 0) {
        return [];
    }
    const lines = ["", "Data flow (npm run dataflow for details):"];
    for (const p of paths) {
        lines.push(
            `    ${p.source}: ${p.lustrePath ?? "(not on the file system)"} → ${p.s3}${p.exported ? "" : " [NOT EXPORTED]"} → ${tierChain(p.tiers)} → ${p.replicated ? `DR ${p.drStorageClass}` : "not replicated"}`,
        );
    }
    return lines;
}

/** The report as a full human table (`npm run dataflow` without `--json`). */
export function renderDataFlowTable(report: DataFlowReport): string {
    const lines = [`Data flow of stack ${report.stack}:`];
    for (const p of report.paths) {
        lines.push("");
        lines.push(`  ${p.source}`);
        lines.push(`    Lustre path:  ${p.lustrePath ?? "(not on the file system)"}`);
        lines.push(`    association:  ${p.association ?? "(none)"}${p.exported ? "" : "  — NOT auto-exported"}`);
        lines.push(`    S3:           ${p.s3}`);
        lines.push(`    tiers:        ${p.tiers.map((t) => `day ${t.day} ${t.storageClass}`).join(", ")}`);
        lines.push(`    replicated:   ${p.replicated ? `yes, DR class ${p.drStorageClass}` : "no"}`);
        lines.push(`    get it back:  ${p.restore}`);
    }
    if (report.paths.length === 0) lines.push("  (no paths: no sync sources and no adopted bucket data)");
    for (const w of report.warnings) lines.push(`warning: ${w}`);
    for (const e of report.problems) lines.push(`problem: ${e}`);
    return lines.join("\n");
}

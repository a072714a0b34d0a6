/**
 * The pure part of `npm run restore`: which prefixes, tiers and `--days` are allowed, how an
 * object's `Restore` header reads, the plan (objects and bytes per storage class, what still needs a
 * restore), its cost by tier from the price table (tools/pricing/s3Retrieval.ts) and its expected
 * ready time, and the text the command prints. No AWS calls here (see tools/restore/run.ts).
 *
 * Sources:
 * - Ready times: S3 User Guide "Understanding archive retrieval options"
 *   (restoring-objects-retrieval-options): GLACIER Expedited 1–5 min, Standard 3–5 h, Bulk 5–12 h;
 *   DEEP_ARCHIVE Standard within 12 h, Bulk within 48 h, no Expedited.
 * - `Restore` header (`x-amz-restore`): S3 API Reference HeadObject — `ongoing-request="true"`
 *   while the restore runs; `ongoing-request="false", expiry-date="<RFC 1123 date>"` once the copy
 *   is readable.
 * - `Days`: S3 API Reference RestoreObject (`RestoreRequest.Days`, an Integer: lifetime of the
 *   restored copy in days) and S3 Control API `S3InitiateRestoreObjectOperation.ExpirationInDays`
 *   ("S3 Glacier Flexible Retrieval and Deep Archive objects require ExpirationInDays set to 1 or
 *   greater"); S3 documents no upper bound other than the Integer type (2,147,483,647).
 * - Which classes need a restore: S3 User Guide "Working with archived objects" (GLACIER and
 *   DEEP_ARCHIVE are archived; STANDARD, STANDARD_IA, ONEZONE_IA, GLACIER_IR, INTELLIGENT_TIERING's
 *   access tiers are read directly; INTELLIGENT_TIERING Archive Access / Deep Archive Access tiers
 *   are archived — HeadObject `ArchiveStatus`).
 */
import { retrievalPrice } from "../pricing/s3Retrieval";
import { ARCHIVE_STORAGE_CLASSES, ArchiveStorageClass, isArchiveStorageClass, RESTORE_READY_TIME, RETRIEVAL_TIERS, RetrievalTier, retrievalTiersOf } from "../../components/bucket/lifecycle";

/** Bytes in one GB as AWS bills it (2^30). */
export const BYTES_PER_GB = 1024 ** 3;

/** Smallest and largest `Days` of a RestoreObject request (see the module sources). */
export const RESTORE_DAYS = { min: 1, max: 2_147_483_647 } as const;

/** Default `--days`: a week to download the restored copies. */
export const DEFAULT_DAYS = 7;

/** Default `--tier`: the cheapest. */
export const DEFAULT_TIER: RetrievalTier = "Bulk";


/** Where an archived object stands. */
export type RestoreState = "not-requested" | "in-progress" | "restored";

/** The parsed `Restore` header of HeadObject. */
export interface RestoreHeader {
    readonly state: RestoreState;
    /** When the restored copy is deleted (only for `restored`). */
    readonly expiry?: Date;
}

/**
 * Reads HeadObject's `Restore` value: absent → not requested; `ongoing-request="true"` → in
 * progress; `ongoing-request="false", expiry-date="…"` → restored until that date.
 */
export function parseRestoreHeader(value: string | undefined): RestoreHeader {
    if (value === undefined || value.trim() === "") return { state: "not-requested" };
    if (/ongoing-request="true"/.test(value)) return { state: "in-progress" };
    const expiry = /expiry-date="([^"]+)"/.exec(value)?.[1];
    if (/ongoing-request="false"/.test(value)) {
        const date = expiry === undefined ? undefined : new Date(expiry);
        return { state: "restored", ...(date && !Number.isNaN(date.getTime()) ? { expiry: date } : {}) };
    }
    return { state: "not-requested" };
}

/** One object under the prefix, as listed and (for archived objects) inspected. */
export interface ObjectEntry {
    readonly key: string;
    /** Size in bytes. */
    readonly size: number;
    /** ListObjectsV2 `StorageClass` (STANDARD when S3 omits it). */
    readonly storageClass: string;
    /** For archived objects: the state read from HeadObject's `Restore` header. */
    readonly restore?: RestoreHeader;
    /** For INTELLIGENT_TIERING objects: HeadObject `ArchiveStatus` (ARCHIVE_ACCESS / DEEP_ARCHIVE_ACCESS). */
    readonly archiveStatus?: string;
}

/** Objects and bytes of one group. */
export interface Tally {
    readonly objects: number;
    /** Bytes. */
    readonly bytes: number;
}

/** Cost of restoring the pending objects of one class with one tier. */
export interface TierCost {
    readonly tier: RetrievalTier;
    /** USD per GB, per 1,000 requests, and the total; undefined when no price is recorded for the Region. */
    readonly price?: { readonly perGb: number; readonly per1000Requests: number; readonly source: string; readonly read: string };
    /** Total USD = GB × perGb + objects / 1000 × per1000Requests (undefined without a price). */
    readonly usd?: number;
    /** Expected ready time. */
    readonly readyTime: string;
}

/** The plan for one archive class. */
export interface ArchiveClassPlan {
    readonly storageClass: ArchiveStorageClass;
    /** Every archived object of this class under the prefix. */
    readonly all: Tally;
    readonly restored: Tally;
    readonly inProgress: Tally;
    /** Objects still to restore (not requested yet). */
    readonly pending: Tally;
    /** Cost and time of restoring `pending`, for every tier the class offers. */
    readonly costs: readonly TierCost[];
}

/** What `npm run restore` would do for a prefix. */
export interface RestorePlan {
    readonly bucket: string;
    readonly prefix: string;
    readonly region: string;
    /** Every object under the prefix, by storage class. */
    readonly byClass: Readonly<Record<string, Tally>>;
    /** GLACIER and DEEP_ARCHIVE (only those present). */
    readonly archive: readonly ArchiveClassPlan[];
    /** INTELLIGENT_TIERING objects in an archive access tier (not handled by this command). */
    readonly intelligentTieringArchived: readonly ObjectEntry[];
    /** Keys still to restore, by class. */
    readonly pendingKeys: Readonly<Record<ArchiveStorageClass, readonly string[]>>;
    /** Earliest and latest expiry of the restored copies. */
    readonly expiry?: { readonly earliest: Date; readonly latest: Date };
}

function tally(entries: readonly ObjectEntry[]): Tally {
    return { objects: entries.length, bytes: entries.reduce((sum, e) => sum + e.size, 0) };
}

/**
 * Cost of restoring `pending` with `tier` in `region`: GB × per-GB price + objects / 1,000 ×
 * per-1,000-requests price (GB = bytes / 2^30).
 */
export function restoreCost(storageClass: ArchiveStorageClass, tier: RetrievalTier, region: string, pending: Tally): TierCost {
    const price = retrievalPrice(storageClass, tier, region);
    const readyTime = RESTORE_READY_TIME[storageClass][tier] ?? "not offered";
    if (price === undefined) return { tier, readyTime };
    const usd = (pending.bytes / BYTES_PER_GB) * price.perGb.usd + (pending.objects / 1000) * price.per1000Requests.usd;
    return {
        tier,
        readyTime,
        usd,
        price: { perGb: price.perGb.usd, per1000Requests: price.per1000Requests.usd, source: price.perGb.source, read: price.perGb.read },
    };
}

/** Builds the plan from the listed (and inspected) objects. */
export function buildPlan(bucket: string, prefix: string, region: string, entries: readonly ObjectEntry[]): RestorePlan {
    const byClass: Record<string, Tally> = {};
    for (const cls of [...new Set(entries.map((e) => e.storageClass))].sort()) {
        byClass[cls] = tally(entries.filter((e) => e.storageClass === cls));
    }
    const pendingKeys: Record<ArchiveStorageClass, string[]> = { GLACIER: [], DEEP_ARCHIVE: [] };
    const archive: ArchiveClassPlan[] = [];
    const expiries: Date[] = [];
    for (const storageClass of ARCHIVE_STORAGE_CLASSES) {
        const of = entries.filter((e) => e.storageClass === storageClass);
        if (of.length === 0) continue;
        const state = (s: RestoreState) => of.filter((e) => (e.restore?.state ?? "not-requested") === s);
        const pending = state("not-requested");
        pendingKeys[storageClass] = pending.map((e) => e.key);
        for (const e of state("restored")) if (e.restore?.expiry) expiries.push(e.restore.expiry);
        const pendingTally = tally(pending);
        archive.push({
            storageClass,
            all: tally(of),
            restored: tally(state("restored")),
            inProgress: tally(state("in-progress")),
            pending: pendingTally,
            costs: retrievalTiersOf(storageClass).map((tier) => restoreCost(storageClass, tier, region, pendingTally)),
        });
    }
    expiries.sort((a, b) => a.getTime() - b.getTime());
    return {
        bucket,
        prefix,
        region,
        byClass,
        archive,
        intelligentTieringArchived: entries.filter((e) => e.storageClass === "INTELLIGENT_TIERING" && e.archiveStatus !== undefined),
        pendingKeys,
        ...(expiries.length > 0 ? { expiry: { earliest: expiries[0], latest: expiries[expiries.length - 1] } } : {}),
    };
}

/** Formats bytes as GiB with two decimals (and the exact byte count). */
export function formatBytes(bytes: number): string {
    return `${(bytes / BYTES_PER_GB).toFixed(2)} GB (${bytes.toLocaleString("en-US")} bytes)`;
}

/** Formats USD with four decimals (retrieval prices go down to $0.0025 per GB). */
export function formatUsd(usd: number): string {
    return `$${usd.toFixed(4)}`;
}

/** A problem with the command line or the stack that refuses the run (exit 2). */
export class RestoreRefusal extends Error {
    constructor(message: string) {
        super(message);
        this.name = "RestoreRefusal";
    }
}

/** The layout of the backup bucket: `Analysis_<year>/<project>/…` (README, docs/access.md). */
export const LAYOUT_PATTERN = /^Analysis_\d{4}\/[^/]+\//;

/**
 * Checks a `--prefix`: inside the bucket's layout (`Analysis_<year>/<project>/`, at least a project
 * folder, ending in `/` at the project level so `P2019-004` does not also match `P2019-0041`), and
 * inside one of the stack's `access.keyPrefixes` when any are set (the lab identity may not list or
 * restore elsewhere).
 *
 * @returns the problems (empty when allowed).
 */
export function checkPrefix(prefix: string, keyPrefixes: readonly string[]): string[] {
    const problems: string[] = [];
    if (prefix.startsWith("s3://")) {
        problems.push(`--prefix = ${prefix}: a key prefix inside the bucket, without s3://<bucket>/ (e.g. Analysis_2019/P2019-004/)`);
        return problems;
    }
    if (!LAYOUT_PATTERN.test(prefix)) {
        problems.push(
            `--prefix = ${JSON.stringify(prefix)}: a project folder of the bucket's layout Analysis_<year>/<project>/ (e.g. Analysis_2019/P2019-004/ or a folder below it; end the project folder with /) (README "For lab staff")`,
        );
    }
    if (keyPrefixes.length > 0 && !keyPrefixes.some((p) => prefix.startsWith(p))) {
        problems.push(`--prefix = ${JSON.stringify(prefix)}: outside the stack's access.keyPrefixes (${keyPrefixes.join(", ")}): the lab identity may not list or restore there (docs/access.md)`);
    }
    return problems;
}

/** Checks `--tier` (case-insensitive; default Bulk); returns the tier or the problem. */
export function parseTier(value: string | undefined): { tier: RetrievalTier } | { problem: string } {
    if (value === undefined) return { tier: DEFAULT_TIER };
    const tier = RETRIEVAL_TIERS.find((t) => t.toLowerCase() === value.toLowerCase());
    return tier ? { tier } : { problem: `--tier = ${value}: Bulk, Standard or Expedited (RestoreObject GlacierJobParameters.Tier)` };
}

/** Checks `--days`; returns the number or the problem. */
export function parseDays(value: string | undefined): number | string {
    if (value === undefined) return DEFAULT_DAYS;
    const days = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(days) || days < RESTORE_DAYS.min || days > RESTORE_DAYS.max) {
        return `--days = ${value}: a whole number of days from ${RESTORE_DAYS.min} to ${RESTORE_DAYS.max.toLocaleString("en-US")} (S3 RestoreObject RestoreRequest.Days; S3 Control S3InitiateRestoreObjectOperation: "set to 1 or greater")`;
    }
    return days;
}

/**
 * Problems of a tier for the classes that have objects to restore: a tier the class does not offer
 * (Deep Archive has no Expedited).
 */
export function checkTierForPlan(plan: RestorePlan, tier: RetrievalTier): string[] {
    return plan.archive
        .filter((a) => a.pending.objects > 0 && !retrievalTiersOf(a.storageClass).includes(tier))
        .map(
            (a) =>
                `--tier = ${tier}: ${a.pending.objects} object(s) under the prefix are in ${a.storageClass}, which offers only ${retrievalTiersOf(a.storageClass).join(" or ")} (S3 User Guide restoring-objects-retrieval-options: no Expedited for Deep Archive)`,
        );
}

/** The download command once every archived object is restored. */
export function downloadCommand(bucket: string, prefix: string, profile: string | undefined): string {
    const folder = prefix.replace(/\/$/, "").split("/").pop() ?? "restore";
    return `aws s3 sync s3://${bucket}/${prefix} ./${folder}/ --force-glacier-transfer${profile ? ` --profile ${profile}` : ""}`;
}

function pad(rows: string[][]): string[] {
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ").trimEnd());
}

/** The plan as text: objects and bytes per class, archive states, cost and ready time per tier. */
export function renderPlan(plan: RestorePlan, tier: RetrievalTier, days: number): string {
    const lines: string[] = [`Restore plan for s3://${plan.bucket}/${plan.prefix} (${plan.region})`, ""];
    lines.push(...pad([["storage class", "objects", "bytes"], ...Object.entries(plan.byClass).map(([cls, t]) => [cls, String(t.objects), formatBytes(t.bytes)])]));
    lines.push("");
    if (plan.archive.length === 0) {
        lines.push("No object under the prefix is archived (GLACIER or DEEP_ARCHIVE): download it directly, no restore needed.");
    }
    for (const a of plan.archive) {
        lines.push(
            `${a.storageClass}: ${a.all.objects} object(s); restored ${a.restored.objects}, in progress ${a.inProgress.objects}, to restore ${a.pending.objects} (${formatBytes(a.pending.bytes)})`,
        );
        if (a.pending.objects > 0) {
            lines.push(
                ...pad([
                    ["  tier", "$/GB", "$/1,000 requests", "cost", "ready"],
                    ...a.costs.map((c) => [
                        `  ${c.tier}${c.tier === tier ? " (chosen)" : ""}`,
                        c.price ? String(c.price.perGb) : "-",
                        c.price ? String(c.price.per1000Requests) : "-",
                        c.usd === undefined ? `no recorded price for ${plan.region}: see https://aws.amazon.com/s3/pricing/` : formatUsd(c.usd),
                        c.readyTime,
                    ]),
                ]),
            );
        }
    }
    for (const e of plan.intelligentTieringArchived) {
        lines.push(`not handled: ${e.key} is INTELLIGENT_TIERING in ${e.archiveStatus}; restore it with aws s3api restore-object without Days (S3 User Guide "Working with archived objects")`);
    }
    const priced = plan.archive.flatMap((a) => a.costs).find((c) => c.price);
    if (priced?.price) {
        lines.push("", `Prices: tools/pricing/s3Retrieval.ts (us-east-1, read ${priced.price.read}; retrieval only — the restored copy is also billed as storage for the ${days} day(s) it exists).`);
    }
    return `${lines.join("\n")}\n`;
}

/** The `--status` report: restored / in progress / not requested, and the download step when ready. */
export function renderStatus(plan: RestorePlan, profile: string | undefined): string {
    const sum = (pick: (a: ArchiveClassPlan) => Tally) => plan.archive.reduce((n, a) => n + pick(a).objects, 0);
    const restored = sum((a) => a.restored);
    const inProgress = sum((a) => a.inProgress);
    const notRequested = sum((a) => a.pending);
    const direct = Object.entries(plan.byClass)
        .filter(([cls]) => !isArchiveStorageClass(cls))
        .reduce((n, [, t]) => n + t.objects, 0);
    const lines = [
        `Restore status for s3://${plan.bucket}/${plan.prefix}`,
        `  restored:      ${restored}`,
        `  in progress:   ${inProgress}`,
        `  not requested: ${notRequested}`,
        `  no restore needed (not archived): ${direct}`,
    ];
    if (plan.intelligentTieringArchived.length > 0) {
        lines.push(`  INTELLIGENT_TIERING archived (not handled): ${plan.intelligentTieringArchived.length}`);
    }
    if (inProgress === 0 && notRequested === 0 && plan.intelligentTieringArchived.length === 0) {
        lines.push("", "Every object is ready. Download with:", `  ${downloadCommand(plan.bucket, plan.prefix, profile)}`);
        if (plan.expiry) {
            lines.push(
                `The restored copies stay until ${plan.expiry.earliest.toISOString()}${plan.expiry.latest.getTime() !== plan.expiry.earliest.getTime() ? ` (the last until ${plan.expiry.latest.toISOString()})` : ""}; download before then.`,
            );
        }
    } else if (notRequested > 0) {
        lines.push("", `Not ready: ${notRequested} object(s) not requested yet — run the same command without --status to restore them.`);
    } else {
        lines.push("", "Not ready: restores are running; check again later with --status.");
    }
    return `${lines.join("\n")}\n`;
}

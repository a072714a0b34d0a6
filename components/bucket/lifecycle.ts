/**
 * S3 lifecycle rules for the backup bucket: the AWS rules for storage-class transitions (one
 * implementation, used by config validation and by the policy pack) and the builder that turns the
 * validated lifecycle settings into `aws.s3.BucketLifecycleConfiguration` rules.
 *
 * Sources: S3 User Guide "Transitioning objects using Amazon S3 Lifecycle" and
 * "lifecycle-transition-general-considerations"; S3 API reference `Transition` and
 * `NoncurrentVersionTransition`; "Using Amazon S3 storage classes" (minimum storage durations).
 */
import { emptyResult, RuleResult } from "../common/problems";

/** Storage classes a lifecycle transition can target (S3 API `TransitionStorageClass`). */
export const TRANSITION_STORAGE_CLASSES = [
    "STANDARD_IA",
    "INTELLIGENT_TIERING",
    "ONEZONE_IA",
    "GLACIER_IR",
    "GLACIER",
    "DEEP_ARCHIVE",
] as const;

/** A storage class a lifecycle transition can target. */
export type TransitionStorageClass = (typeof TRANSITION_STORAGE_CLASSES)[number];

/** Facts about one transition target class. */
interface StorageClassFacts {
    /** Position in S3's transition waterfall: a rule may only move objects to a later class. */
    readonly rank: number;
    /** Minimum object age in days before a transition into this class (API rejects less). */
    readonly minTransitionDays: number;
    /** Minimum billed storage duration in days: leaving earlier is charged pro rata. */
    readonly minStorageDays: number;
    /** Archive classes need a restore before an object can be read. */
    readonly archive: boolean;
    /** Human name for summaries. */
    readonly label: string;
}

/** S3's facts per transition class (S3 User Guide "Using Amazon S3 storage classes"). */
export const STORAGE_CLASS_FACTS: Readonly<Record<TransitionStorageClass, StorageClassFacts>> = {
    STANDARD_IA: { rank: 1, minTransitionDays: 30, minStorageDays: 30, archive: false, label: "Standard-IA" },
    INTELLIGENT_TIERING: { rank: 2, minTransitionDays: 0, minStorageDays: 0, archive: false, label: "Intelligent-Tiering" },
    ONEZONE_IA: { rank: 3, minTransitionDays: 30, minStorageDays: 30, archive: false, label: "One Zone-IA" },
    GLACIER_IR: { rank: 4, minTransitionDays: 0, minStorageDays: 90, archive: false, label: "Glacier Instant Retrieval" },
    GLACIER: { rank: 5, minTransitionDays: 0, minStorageDays: 90, archive: true, label: "Glacier Flexible Retrieval (restore needed)" },
    DEEP_ARCHIVE: { rank: 6, minTransitionDays: 0, minStorageDays: 180, archive: true, label: "Glacier Deep Archive (restore needed)" },
};

/** The archive classes: an object there must be restored before it can be read ({@link StorageClassFacts.archive}). */
export type ArchiveStorageClass = "GLACIER" | "DEEP_ARCHIVE";

/** The retrieval tiers of a restore (S3 API RestoreObject `GlacierJobParameters.Tier`), fastest first. */
export const RETRIEVAL_TIERS = ["Expedited", "Standard", "Bulk"] as const;
/** A retrieval tier. */
export type RetrievalTier = (typeof RETRIEVAL_TIERS)[number];

/**
 * How long a restore takes, per archive class and the tiers it offers (Deep Archive has no
 * Expedited): S3 User Guide "Understanding archive retrieval options". The one table the restore
 * command, the data-flow report and the price table read.
 */
export const RESTORE_READY_TIME: Readonly<Record<ArchiveStorageClass, Readonly<Partial<Record<RetrievalTier, string>>>>> = {
    GLACIER: { Expedited: "1–5 minutes", Standard: "3–5 hours", Bulk: "5–12 hours" },
    DEEP_ARCHIVE: { Standard: "within 12 hours", Bulk: "within 48 hours" },
};

/** Whether a storage class (as S3 reports it, e.g. in ListObjectsV2) is an archive class. */
export function isArchiveStorageClass(storageClass: string): storageClass is ArchiveStorageClass {
    return storageClass in STORAGE_CLASS_FACTS && STORAGE_CLASS_FACTS[storageClass as TransitionStorageClass].archive;
}

/** The tiers an archive class offers, fastest first. */
export function retrievalTiersOf(storageClass: ArchiveStorageClass): RetrievalTier[] {
    return RETRIEVAL_TIERS.filter((t) => RESTORE_READY_TIME[storageClass][t] !== undefined);
}

/** Classes counted as "infrequent access" for the 30-day gap rule before a Glacier class. */
const IA_CLASSES: ReadonlySet<TransitionStorageClass> = new Set(["STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING"]);
/** Glacier classes, for the 30-day gap rule. */
const GLACIER_CLASSES: ReadonlySet<TransitionStorageClass> = new Set(["GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"]);

/** One lifecycle tier: after `days` (since creation, or since becoming noncurrent), move to `storageClass`. */
export interface LifecycleTier {
    /** Days after object creation (or after it became noncurrent), a whole number ≥ 0. */
    readonly days: number;
    /** Target storage class (S3 API value, e.g. `GLACIER_IR`). */
    readonly storageClass: TransitionStorageClass;
}

/**
 * Checks a list of transition tiers against S3's lifecycle rules.
 *
 * Errors (S3 rejects the configuration): days not strictly ascending; a class not later in S3's
 * waterfall than the previous tier's (S3 never moves objects back, and One Zone-IA cannot move to
 * Glacier Instant Retrieval); Standard-IA / One Zone-IA earlier than day 30; a Glacier class less
 * than 30 days after an infrequent-access tier.
 * With `expireAfterDays` (noncurrent versions: `NoncurrentVersionExpiration.NoncurrentDays`), a tier
 * on or after that day is an error too: S3 refuses an expiry that does not come after every
 * transition of the same versions.
 * Warnings (allowed, but billed): leaving a class before its minimum storage duration — by the next
 * tier, or by `expireAfterDays` when given.
 *
 * @param tiers tiers in the order they are configured.
 * @param expireAfterDays day on which objects under these tiers expire, if they do.
 * @returns findings with paths `[index, "days" | "storageClass"]` relative to the tier list.
 */
export function checkTiers(tiers: readonly LifecycleTier[], expireAfterDays?: number): RuleResult {
    const result = emptyResult();
    tiers.forEach((tier, i) => {
        const facts = STORAGE_CLASS_FACTS[tier.storageClass];
        if (facts === undefined) {
            result.errors.push({
                path: [i, "storageClass"],
                message: `unknown storage class; allowed: ${TRANSITION_STORAGE_CLASSES.join(", ")}`,
            });
            return;
        }
        if (tier.days < facts.minTransitionDays) {
            result.errors.push({
                path: [i, "days"],
                message: `${tier.storageClass} needs objects at least ${facts.minTransitionDays} days old (S3 API Transition: STANDARD_IA and ONEZONE_IA take 30 days or more)`,
            });
        }
        if (i === 0) {
            return;
        }
        const prev = tiers[i - 1];
        const prevFacts = STORAGE_CLASS_FACTS[prev.storageClass];
        if (prevFacts === undefined) {
            return;
        }
        if (tier.days <= prev.days) {
            result.errors.push({
                path: [i, "days"],
                message: `tiers must be in ascending order of days: this tier must come after day ${prev.days} of tiers[${i - 1}]`,
            });
        }
        if (facts.rank <= prevFacts.rank || (prev.storageClass === "ONEZONE_IA" && tier.storageClass === "GLACIER_IR")) {
            result.errors.push({
                path: [i, "storageClass"],
                message: `S3 lifecycle transitions only go down the waterfall STANDARD → ${TRANSITION_STORAGE_CLASSES.join(" → ")} (and not ONEZONE_IA → GLACIER_IR); ${prev.storageClass} cannot move to ${tier.storageClass}`,
            });
        }
        if (IA_CLASSES.has(prev.storageClass) && GLACIER_CLASSES.has(tier.storageClass) && tier.days - prev.days < 30) {
            result.errors.push({
                path: [i, "days"],
                message: `a ${tier.storageClass} transition must be at least 30 days after the ${prev.storageClass} transition at day ${prev.days} (S3 lifecycle transition considerations)`,
            });
        }
    });
    if (expireAfterDays !== undefined) {
        tiers.forEach((tier, i) => {
            if (tier.days >= expireAfterDays) {
                result.errors.push({
                    path: [i, "days"],
                    message: `a transition at day ${tier.days} is on or after the expiry at day ${expireAfterDays}: the expiry must come later than every transition of the same versions, or S3 rejects the lifecycle configuration (PutBucketLifecycleConfiguration InvalidArgument; S3 User Guide "Lifecycle configuration elements")`,
                });
            }
        });
    }
    tiers.forEach((tier, i) => {
        const facts = STORAGE_CLASS_FACTS[tier.storageClass];
        if (facts === undefined || facts.minStorageDays === 0 || (expireAfterDays !== undefined && tier.days >= expireAfterDays)) {
            return;
        }
        const leaveDay = i + 1 < tiers.length ? tiers[i + 1].days : expireAfterDays;
        if (leaveDay !== undefined && leaveDay - tier.days < facts.minStorageDays) {
            const by = i + 1 < tiers.length ? `the next tier at day ${leaveDay}` : `expiry at day ${leaveDay}`;
            result.warnings.push({
                path: [i, "days"],
                message: `objects stay in ${tier.storageClass} only ${leaveDay - tier.days} days before ${by}, less than its ${facts.minStorageDays}-day minimum storage duration: S3 bills an early-deletion charge for the rest`,
            });
        }
    });
    return result;
}

/**
 * One-line human summary of a tier list, e.g.
 * `STANDARD → day 90 GLACIER_IR → day 180 DEEP_ARCHIVE (restore needed from day 180)`.
 */
export function describeTiers(tiers: readonly LifecycleTier[]): string {
    if (tiers.length === 0) {
        return "STANDARD only (no transitions)";
    }
    const steps = tiers.map((t) => `day ${t.days} ${t.storageClass}`).join(" → ");
    const firstArchive = tiers.find((t) => STORAGE_CLASS_FACTS[t.storageClass]?.archive);
    const restore = firstArchive ? ` (restore needed from day ${firstArchive.days})` : " (no restore needed)";
    return `STANDARD → ${steps}${restore}`;
}

/** Lifecycle settings of a bucket, as validated from config (see `config/bucket.ts`). */
export interface LifecycleSettings {
    /** Transitions of current object versions, ascending by days. */
    readonly tiers: readonly LifecycleTier[];
    /** Apply the tiers only to keys starting with this prefix; `undefined` = whole bucket. */
    readonly prefix?: string;
    /** Noncurrent (overwritten or deleted) versions: transitions and expiry. */
    readonly noncurrentVersions: {
        /** Transitions by days since the version became noncurrent. */
        readonly tiers: readonly LifecycleTier[];
        /** Days after which a noncurrent version is permanently deleted. */
        readonly expireAfterDays: number;
        /** Newest noncurrent versions always kept, whatever their age (0–100; 0 = none). */
        readonly keepNewest: number;
    };
    /** Days after which incomplete multipart uploads are aborted. */
    readonly abortIncompleteMultipartUploadDays: number;
    /** S3 `TransitionDefaultMinimumObjectSize`, set explicitly to avoid drift. */
    readonly transitionDefaultMinimumObjectSize: "all_storage_classes_128K" | "varies_by_storage_class";
}

/** A lifecycle rule in the shape of `aws.s3.BucketLifecycleConfiguration`'s `rules` input. */
export interface LifecycleRuleInput {
    id: string;
    /** `Disabled` only for the held archive transitions (see {@link LifecycleBuildOptions}). */
    status: "Enabled" | "Disabled";
    filter: { prefix?: string };
    transitions?: { days: number; storageClass: string }[];
    noncurrentVersionTransitions?: { noncurrentDays: number; storageClass: string; newerNoncurrentVersions?: number }[];
    noncurrentVersionExpiration?: { noncurrentDays: number; newerNoncurrentVersions?: number };
    abortIncompleteMultipartUpload?: { daysAfterInitiation: number };
    expiration?: { expiredObjectDeleteMarker: boolean };
}

/**
 * Storage classes whose transitions are held until the replication backfill is recorded: the
 * archive classes (restore needed), which S3 replication and S3 Batch Replication cannot read
 * (S3 User Guide, "What does Amazon S3 replicate?" → "What isn't replicated": objects in S3 Glacier
 * Flexible Retrieval and S3 Glacier Deep Archive). GLACIER_IR is not among them: it is readable in
 * real time, live and Batch Replication copy it (the backfill's manifest filter includes it,
 * tools/backfill/batchReplication.ts), so its transition stays enabled and keeps its cost saving.
 * `UNREPLICABLE_SOURCE_CLASSES` of components/replication/rules.ts is this list.
 */
export const HELD_ARCHIVE_CLASSES: readonly ArchiveStorageClass[] = TRANSITION_STORAGE_CLASSES.filter(isArchiveStorageClass);

/** Every archive class (the same as {@link HELD_ARCHIVE_CLASSES}: the hold covers all of them), slowest to restore last. */
export const ARCHIVE_STORAGE_CLASSES: readonly ArchiveStorageClass[] = HELD_ARCHIVE_CLASSES;

/** Rule id of the disabled rule that carries the held current-version archive transitions. */
export const HELD_ARCHIVE_RULE_ID = "archive-tiers-held-until-backfill";
/** Rule id of the disabled rule that carries the held noncurrent-version archive transitions. */
export const HELD_NONCURRENT_ARCHIVE_RULE_ID = "noncurrent-archive-held-until-backfill";

/** Options of {@link buildLifecycleRules}. */
export interface LifecycleBuildOptions {
    /**
     * Hold the transitions to {@link HELD_ARCHIVE_CLASSES} (GLACIER, DEEP_ARCHIVE), current and
     * noncurrent: they move out of the enabled rules into rules of their own with status
     * `Disabled` (S3 keeps a disabled rule but never acts on it; S3 API `LifecycleRule.Status`),
     * so the configuration still records them and enabling is a status change. Transitions to
     * other classes and the clean-up rules (noncurrent expiry, aborted uploads, expired delete
     * markers) stay enabled. Default false.
     */
    readonly holdArchiveTransitions?: boolean;
}

/**
 * Builds the lifecycle rules of the backup bucket: `archive-tiers` (current versions, optionally
 * under a prefix), `noncurrent-versions`, `abort-incomplete-multipart-uploads` and
 * `expired-delete-markers` (its own rule: `expiredObjectDeleteMarker` may not share an expiration
 * with days, see pulumi/pulumi-aws#2128). With `holdArchiveTransitions`, the archive transitions
 * are split off into the disabled rules {@link HELD_ARCHIVE_RULE_ID} and
 * {@link HELD_NONCURRENT_ARCHIVE_RULE_ID} (a rule left with no transition is omitted).
 *
 * @param settings validated lifecycle settings.
 * @param options see {@link LifecycleBuildOptions}.
 * @returns rules in the order S3 lists them.
 */
export function buildLifecycleRules(settings: LifecycleSettings, options: LifecycleBuildOptions = {}): LifecycleRuleInput[] {
    const hold = options.holdArchiveTransitions ?? false;
    const isHeld = (t: LifecycleTier) => hold && isArchiveStorageClass(t.storageClass);
    const keep = settings.noncurrentVersions.keepNewest;
    const filter = settings.prefix ? { prefix: settings.prefix } : {};
    const currentTransitions = (tiers: readonly LifecycleTier[]) => tiers.map((t) => ({ days: t.days, storageClass: t.storageClass }));
    const noncurrentTransitions = (tiers: readonly LifecycleTier[]) =>
        tiers.map((t) => ({ noncurrentDays: t.days, storageClass: t.storageClass, ...(keep > 0 ? { newerNoncurrentVersions: keep } : {}) }));
    const active = settings.tiers.filter((t) => !isHeld(t));
    const held = settings.tiers.filter(isHeld);
    const activeNoncurrent = settings.noncurrentVersions.tiers.filter((t) => !isHeld(t));
    const heldNoncurrent = settings.noncurrentVersions.tiers.filter(isHeld);
    const rules: LifecycleRuleInput[] = [];
    if (active.length > 0) {
        rules.push({ id: "archive-tiers", status: "Enabled", filter, transitions: currentTransitions(active) });
    }
    if (held.length > 0) {
        rules.push({ id: HELD_ARCHIVE_RULE_ID, status: "Disabled", filter, transitions: currentTransitions(held) });
    }
    rules.push({
        id: "noncurrent-versions",
        status: "Enabled",
        filter: {},
        ...(activeNoncurrent.length > 0 ? { noncurrentVersionTransitions: noncurrentTransitions(activeNoncurrent) } : {}),
        noncurrentVersionExpiration: {
            noncurrentDays: settings.noncurrentVersions.expireAfterDays,
            ...(keep > 0 ? { newerNoncurrentVersions: keep } : {}),
        },
    });
    if (heldNoncurrent.length > 0) {
        rules.push({ id: HELD_NONCURRENT_ARCHIVE_RULE_ID, status: "Disabled", filter: {}, noncurrentVersionTransitions: noncurrentTransitions(heldNoncurrent) });
    }
    rules.push({
        id: "abort-incomplete-multipart-uploads",
        status: "Enabled",
        filter: {},
        abortIncompleteMultipartUpload: { daysAfterInitiation: settings.abortIncompleteMultipartUploadDays },
    });
    rules.push({
        id: "expired-delete-markers",
        status: "Enabled",
        filter: {},
        expiration: { expiredObjectDeleteMarker: true },
    });
    return rules;
}

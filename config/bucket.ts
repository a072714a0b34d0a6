/**
 * Config section `microbiome-backup:bucket` — the backup bucket, its encryption and lifecycle tiers.
 */
import { TAG_VALUE_MAX_LENGTH, tagKeyProblem, tagValueProblem } from "../components/common/tags";
import { z } from "zod";
import { checkTiers, TRANSITION_STORAGE_CLASSES } from "../components/bucket/lifecycle";
import { nestFindings, RuleFinding } from "../components/common/problems";
import { bucketName, days, kmsKeyArn, s3KeyPrefix } from "./common";
import { addFindings } from "./report";

/** One transition tier: `{ days, storageClass }`. */
const tier = z.strictObject({
    /** Days after creation (current versions) or after becoming noncurrent (noncurrent versions). */
    days: days(0),
    /** Target storage class, an S3 API value. */
    storageClass: z.enum(TRANSITION_STORAGE_CLASSES, {
        message: `a transition storage class: ${TRANSITION_STORAGE_CLASSES.join(", ")}`,
    }),
});

/** The tier schema, shared with the DR bucket's lifecycle (`config/replication.ts`). */
export const lifecycleTierSchema = tier;

/** Default tiers: day 90 → GLACIER_IR (no restore needed), day 180 → DEEP_ARCHIVE (restore needed). */
export const DEFAULT_TIERS = [
    { days: 90, storageClass: "GLACIER_IR" as const },
    { days: 180, storageClass: "DEEP_ARCHIVE" as const },
];

const noncurrentVersions = z
    .strictObject({
        /** Transitions by days since a version became noncurrent. Default: day 30 → DEEP_ARCHIVE. */
        tiers: z.array(tier).default([{ days: 30, storageClass: "DEEP_ARCHIVE" }]),
        /** Days after which a noncurrent version is deleted for good. Default 365. */
        expireAfterDays: days(1).default(365),
        /** Newest noncurrent versions kept regardless of age, 0–100. Default 0. */
        keepNewest: z.number().int().min(0).max(100, { message: "S3 keeps at most 100 newer noncurrent versions" }).default(0),
    })
    .default({ tiers: [{ days: 30, storageClass: "DEEP_ARCHIVE" }], expireAfterDays: 365, keepNewest: 0 })
    .superRefine((nc, ctx) => addFindings(ctx, nestFindings(checkTiers(nc.tiers, nc.expireAfterDays), ["tiers"])));

/** S3 `TransitionDefaultMinimumObjectSize` of a lifecycle configuration (backup and DR bucket). */
export const transitionDefaultMinimumObjectSizeSchema = z
    .enum(["all_storage_classes_128K", "varies_by_storage_class"], {
        message: "all_storage_classes_128K or varies_by_storage_class (S3 API values)",
    })
    .default("all_storage_classes_128K");

const lifecycle = z
    .strictObject({
        /** Current-version transitions, ascending by days. Default: 90 → GLACIER_IR, 180 → DEEP_ARCHIVE. */
        tiers: z.array(tier).min(1, { message: "at least one tier: a backup bucket without tiering stays in STANDARD" }).default(DEFAULT_TIERS),
        /** Apply the tiers only under this key prefix (e.g. `Analysis_`); omitted = the whole bucket. */
        prefix: s3KeyPrefix.optional(),
        noncurrentVersions,
        /** Days after which incomplete multipart uploads are aborted. Default 7. */
        abortIncompleteMultipartUploadDays: days(1).default(7),
        /** S3 TransitionDefaultMinimumObjectSize. Default all_storage_classes_128K (S3's own default since 2024-09). */
        transitionDefaultMinimumObjectSize: transitionDefaultMinimumObjectSizeSchema,
        /**
         * Hold (true) or release (false) the GLACIER / DEEP_ARCHIVE transitions. Omitted (the
         * default): held while replication is enabled on an adopted bucket whose backfill is not
         * recorded (`replication.backfill`), released otherwise. `false` is refused while that
         * record is missing (config/replication.ts `archiveHoldErrors`).
         */
        holdArchiveTransitions: z.boolean({ message: "true or false" }).optional(),
    })
    .superRefine((lc, ctx) => addFindings(ctx, nestFindings(checkTiers(lc.tiers), ["tiers"])));

const encryption = z
    .strictObject({
        /** `AES256` (SSE-S3, default) or `aws:kms` (SSE-KMS with `kmsKeyArn`). */
        sseAlgorithm: z.enum(["AES256", "aws:kms"], { message: "AES256 (SSE-S3) or aws:kms (SSE-KMS)" }).default("AES256"),
        /** Customer managed KMS key for SSE-KMS; required with aws:kms. */
        kmsKeyArn: kmsKeyArn.optional(),
    })
    .default({ sseAlgorithm: "AES256" })
    .superRefine((enc, ctx) => {
        if (enc.sseAlgorithm === "aws:kms" && !enc.kmsKeyArn) {
            ctx.addIssue({ code: "custom", path: ["kmsKeyArn"], message: "required when sseAlgorithm is aws:kms (the customer managed key the bucket encrypts with)" });
        }
        if (enc.sseAlgorithm === "AES256" && enc.kmsKeyArn) {
            ctx.addIssue({ code: "custom", path: ["kmsKeyArn"], message: "only allowed with sseAlgorithm aws:kms" });
        }
    });

/**
 * The data the bucket holds, for the cost estimate (`npm run cost`; no resource reads it). Sizes in
 * GB as S3 bills them (GB = 2^30 bytes), object size in MB (2^20 bytes).
 */
export const dataModelSchema = z.strictObject({
    /** Data stored today (current versions), GB. prod: 2200 (≈ 2.2 TB). */
    currentSizeGB: z.number({ message: "a number of GB" }).nonnegative({ message: "0 or more GB" }),
    /** New data per month, GB (also what replication copies and the sync host pulls). prod: 25. */
    monthlyGrowthGB: z.number({ message: "a number of GB per month" }).nonnegative({ message: "0 or more GB per month" }),
    /** Average object size, MB (sets object counts: requests and the 40 KB archive overhead). prod: 50. */
    averageObjectSizeMB: z.number({ message: "a number of MB" }).positive({ message: "more than 0 MB" }),
    /** Data overwritten or deleted per month, GB: becomes noncurrent versions. Default 0. */
    noncurrentGBPerMonth: z.number({ message: "a number of GB per month" }).nonnegative({ message: "0 or more GB per month" }).default(0),
});

/** Validated `bucket.dataModel`. */
export type DataModel = z.output<typeof dataModelSchema>;

/** At most this many tags on a bucket (S3 User Guide "Using cost allocation S3 bucket tags"; PutBucketTagging). */
export const MAX_BUCKET_TAGS = 50;

/**
 * The bucket's own tags: keys 1–128 characters, values up to 256, at most 50, no key starting with
 * the reserved `aws:` prefix (S3 API PutBucketTagging, `Tag`; S3 User Guide "Using cost allocation
 * S3 bucket tags"). Merged with `aws:defaultTags` by the AWS provider (`tagsAll`; a bucket tag wins
 * over a default tag of the same key).
 */
const bucketTags = z
    .record(
        z.string(),
        z.string({ message: `a tag value (a string, up to ${TAG_VALUE_MAX_LENGTH} characters)` }).superRefine((v, ctx) => {
            const problem = tagValueProblem(v);
            if (problem) ctx.addIssue({ code: "custom", message: `${problem} (S3 API Tag)` });
        }),
    )
    .default({})
    // Keys are checked here, not in the record's key schema: zod reports a key schema's issue only as "invalid key".
    .superRefine((tags, ctx) => {
        for (const key of Object.keys(tags)) {
            const problem = tagKeyProblem(key);
            if (problem) ctx.addIssue({ code: "custom", path: [key], message: `${problem} (S3 API Tag)` });
        }
    })
    .refine((tags) => Object.keys(tags).length <= MAX_BUCKET_TAGS, { message: `at most ${MAX_BUCKET_TAGS} tags per bucket (S3 PutBucketTagging)` });

/** Schema of `microbiome-backup:bucket`. */
export const bucketSection = z
    .strictObject({
        /** Globally unique bucket name (S3 naming rules). Required. */
        name: bucketName,
        /**
         * Take over the existing bucket of that name with Pulumi's `import` option instead of
         * creating it (prod: the bucket already holds the data). Default false.
         */
        adoptExisting: z.boolean().default(false),
        /** Let a delete remove a non-empty bucket. Default false; refused with protect or adoptExisting. */
        forceDestroy: z.boolean().default(false),
        /**
         * The bucket's own tags (`{ <key>: <value> }`), besides `aws:defaultTags`. For an adopted
         * bucket, declare the tags it already carries (the adoption pre-flight lists them): the
         * first `pulumi up` replaces the bucket's whole tag set with these plus the default tags.
         * Default none.
         */
        tags: bucketTags,
        encryption,
        lifecycle: lifecycle.default({
            tiers: DEFAULT_TIERS,
            noncurrentVersions: { tiers: [{ days: 30, storageClass: "DEEP_ARCHIVE" }], expireAfterDays: 365, keepNewest: 0 },
            abortIncompleteMultipartUploadDays: 7,
            transitionDefaultMinimumObjectSize: "all_storage_classes_128K",
        }),
        /** What the bucket holds, for the cost estimate only (see docs/cost.md). Default none: storage is then not estimated. */
        dataModel: dataModelSchema.optional(),
    })
    .superRefine((b, ctx) => {
        if (b.forceDestroy && b.adoptExisting) {
            ctx.addIssue({ code: "custom", path: ["forceDestroy"], message: "must be false for an adopted bucket: it already holds data that a delete would destroy" });
        }
    });

/** Validated `microbiome-backup:bucket`. */
export type BucketConfig = z.output<typeof bucketSection>;

/**
 * Warnings for a valid bucket section: tiers that leave a class before its minimum storage
 * duration (S3 bills early deletion). Paths are relative to the section.
 */
export function bucketWarnings(bucket: BucketConfig): RuleFinding[] {
    const nc = bucket.lifecycle.noncurrentVersions;
    return [
        ...nestFindings(checkTiers(bucket.lifecycle.tiers), ["lifecycle", "tiers"]).warnings,
        ...nestFindings(checkTiers(nc.tiers, nc.expireAfterDays), ["lifecycle", "noncurrentVersions", "tiers"]).warnings,
    ];
}

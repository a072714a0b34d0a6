/**
 * S3 cross-account replication: the AWS rules this stack checks before deploying (one
 * implementation, used by config validation, by the component and by the policy pack) and the
 * builder of the replication rule in the shape of `aws.s3.BucketReplicationConfig`'s `rules` input.
 *
 * Sources: S3 User Guide "Replicating objects within and across Regions" (versioning on both
 * buckets, replica storage class, metrics, RTC), "What does Amazon S3 replicate?", "Replicating
 * delete markers between buckets" (a rule with a `filter` must state `deleteMarkerReplication`),
 * "Replicating encrypted objects" (SSE-KMS opt-in and replica key), "Changing the replica owner"
 * (BucketOwnerEnforced makes owner override unnecessary); S3 API reference `Destination`,
 * `ReplicationRule`, `DefaultRetention`; summarised in docs/aws-rules.md "Cross-account replication".
 */
import { emptyResult, RuleResult } from "../common/problems";
import { ARCHIVE_STORAGE_CLASSES, ArchiveStorageClass } from "../bucket/lifecycle";

/**
 * Storage classes a replica can be written in (S3 API `Destination.StorageClass`, without the
 * legacy REDUCED_REDUNDANCY and the Outposts/Express classes that cannot be a cross-account DR copy).
 */
export const REPLICA_STORAGE_CLASSES = [
    "STANDARD",
    "STANDARD_IA",
    "ONEZONE_IA",
    "INTELLIGENT_TIERING",
    "GLACIER_IR",
    "GLACIER",
    "DEEP_ARCHIVE",
] as const;

/** A storage class a replica can be written in. */
export type ReplicaStorageClass = (typeof REPLICA_STORAGE_CLASSES)[number];

/** Minimum billed storage duration per replica class, in days (S3 User Guide "Using Amazon S3 storage classes"). */
export const REPLICA_MIN_STORAGE_DAYS: Readonly<Record<ReplicaStorageClass, number>> = {
    STANDARD: 0,
    STANDARD_IA: 30,
    ONEZONE_IA: 30,
    INTELLIGENT_TIERING: 0,
    GLACIER_IR: 90,
    GLACIER: 90,
    DEEP_ARCHIVE: 180,
};

/**
 * Source storage classes S3 replication cannot read: objects stored in S3 Glacier Flexible
 * Retrieval or S3 Glacier Deep Archive are not replicated (live or batch) until they are restored
 * and copied to another class (S3 User Guide "What does Amazon S3 replicate?", "What isn't replicated").
 */
export const UNREPLICABLE_SOURCE_CLASSES: readonly ArchiveStorageClass[] = ARCHIVE_STORAGE_CLASSES;

/** Longest default retention this stack accepts, in days (a sanity bound of 100 years; the API only requires a positive integer). */
export const MAX_OBJECT_LOCK_DAYS = 36500;

/** A bucket named either by name or by ARN. */
export interface BucketReference {
    /** Bucket name. */
    readonly name: string;
    /** Bucket ARN, `arn:<partition>:s3:::<name>`. */
    readonly arn: string;
}

/**
 * Reads a bucket given as a name (`my-bucket`) or as an ARN (`arn:aws:s3:::my-bucket`). Does not
 * check the S3 naming rules (config/common.ts `bucketName` does).
 *
 * @param ref the name or ARN.
 * @returns the name and ARN, or `undefined` when `ref` is an ARN of something other than a bucket
 *   (an object or access point ARN, or an ARN with a Region or account, which bucket ARNs never have).
 */
export function parseBucketReference(ref: string): BucketReference | undefined {
    if (!ref.startsWith("arn:")) {
        return { name: ref, arn: `arn:aws:s3:::${ref}` };
    }
    const match = /^arn:(aws[a-z-]*):s3:::([^/:*?]+)$/.exec(ref);
    if (!match) {
        return undefined;
    }
    return { name: match[2], arn: ref };
}

/** Default Object Lock retention of the DR bucket. */
export interface ObjectLockRetention {
    /** Retention mode; this stack supports only GOVERNANCE. */
    readonly mode: string;
    /** Default retention period in days. */
    readonly days: number;
}

/**
 * Checks a default Object Lock retention (S3 API `DefaultRetention`: a mode and a positive period).
 *
 * Errors: a mode other than GOVERNANCE (COMPLIANCE can be shortened by nobody, not even the DR
 * account's root user, so a mistaken period could only be waited out — this stack refuses it);
 * days not a whole number between 1 and {@link MAX_OBJECT_LOCK_DAYS}.
 *
 * @returns findings with paths `["mode"]` / `["days"]`.
 */
export function checkObjectLockRetention(retention: ObjectLockRetention): RuleResult {
    const result = emptyResult();
    if (retention.mode !== "GOVERNANCE") {
        result.errors.push({
            path: ["mode"],
            message:
                "only GOVERNANCE is supported: users with s3:BypassGovernanceRetention can still correct a mistake, while COMPLIANCE retention cannot be shortened or removed by anyone, including the root user (S3 User Guide \"Object Lock retention modes\")",
        });
    }
    if (!Number.isInteger(retention.days) || retention.days < 1 || retention.days > MAX_OBJECT_LOCK_DAYS) {
        result.errors.push({
            path: ["days"],
            message: `a whole number of days from 1 to ${MAX_OBJECT_LOCK_DAYS} (S3 API DefaultRetention: Days is a positive integer; this stack caps it at 100 years)`,
        });
    }
    return result;
}

/**
 * Checks that replication really crosses accounts: the goal is a copy that survives the
 * loss or compromise of the main account.
 *
 * @returns an error at `["destination", "account"]` when both ids are equal.
 */
export function checkCrossAccount(sourceAccountId: string, destinationAccountId: string): RuleResult {
    const result = emptyResult();
    if (sourceAccountId === destinationAccountId) {
        result.errors.push({
            path: ["destination", "account"],
            message: `must differ from sourceAccountId ${sourceAccountId}: the DR copy has to live in a second AWS account so that it survives the loss or compromise of the main account`,
        });
    }
    return result;
}

/**
 * Checks that a KMS key ARN lies in the given Region (and account, when given). S3 encrypts with
 * SSE-KMS only through a key in the bucket's own Region: a replica key must be in the destination
 * bucket's Region (S3 User Guide "Replicating encrypted objects"), and a bucket's default key in the
 * bucket's Region ("Specifying server-side encryption with AWS KMS (SSE-KMS)": the key must be in
 * the same Region as the bucket). PutBucketEncryption does not check this, so a wrong key shows up
 * only when uploads fail. Used for the replica key and the backup bucket's key.
 *
 * @param keyArn the key ARN as configured.
 * @param account the account the key must belong to, or `undefined` when any account may own it.
 * @param region the Region of the bucket the key encrypts.
 * @param role how messages name the key, e.g. `replica key`.
 * @returns errors at `[]` (the key's own path) when the account or Region differs, or the ARN is malformed.
 */
export function checkKeyLocation(keyArn: string, account: string | undefined, region: string, role: string): RuleResult {
    const result = emptyResult();
    const match = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):key\/.+$/.exec(keyArn);
    if (!match) {
        result.errors.push({ path: [], message: "a KMS key ARN: arn:aws:kms:<region>:<account-id>:key/<key-id>" });
        return result;
    }
    if (match[1] !== region) {
        result.errors.push({
            path: [],
            message: `the ${role} must be in Region ${region} (it is in ${match[1]}): S3 encrypts a bucket's objects only with a KMS key in the bucket's own Region (S3 User Guide "Specifying server-side encryption with AWS KMS"; "Replicating encrypted objects")`,
        });
    }
    if (account !== undefined && match[2] !== account) {
        result.errors.push({ path: [], message: `the ${role} must belong to account ${account} (it belongs to ${match[2]})` });
    }
    return result;
}

/** A `BucketVersioning` as declared (resource inputs). */
export interface VersioningDeclaration {
    /** The bucket name (or id) the versioning resource configures. */
    readonly bucket: string;
    /** `versioningConfiguration.status`: Enabled, Suspended or Disabled. */
    readonly status: string | undefined;
}

/**
 * Checks that versioning is Enabled on the source and destination buckets of a replication
 * configuration ("Versioning must be Enabled on both buckets before the replication configuration
 * is put" — S3 rejects it otherwise). Written against resource inputs: the policy pack's
 * `s3-replication-requires-versioning` runs it over the stack's resources.
 *
 * @param sourceBucket the replication configuration's `bucket` input, or `undefined` when the
 *   source bucket is not declared in this stack (nothing to check here).
 * @param destinationBucket the destination bucket's name, or `undefined` when the destination is
 *   not declared in this stack (external mode: its owners enable versioning).
 * @param versionings every `BucketVersioning` declared in the stack (a bucket counts as versioned
 *   when any of its declarations is Enabled).
 * @returns errors at `["bucket"]` / `["destination"]`.
 */
export function checkReplicationVersioning(
    sourceBucket: string | undefined,
    destinationBucket: string | undefined,
    versionings: readonly VersioningDeclaration[],
): RuleResult {
    const result = emptyResult();
    const statusOf = (bucket: string) => {
        const declared = versionings.filter((v) => v.bucket === bucket);
        return declared.find((v) => v.status === "Enabled")?.status ?? declared[0]?.status;
    };
    const source = sourceBucket === undefined ? "Enabled" : statusOf(sourceBucket);
    if (source !== "Enabled") {
        result.errors.push({
            path: ["bucket"],
            message: `replication needs versioning Enabled on the source bucket ${sourceBucket} (found ${source ?? "no versioning resource"}): S3 rejects a replication configuration otherwise`,
        });
    }
    if (destinationBucket !== undefined) {
        const destination = statusOf(destinationBucket);
        if (destination !== "Enabled") {
            result.errors.push({
                path: ["destination"],
                message: `replication needs versioning Enabled on the destination bucket ${destinationBucket} (found ${destination ?? "no versioning resource"})`,
            });
        }
    }
    return result;
}

/** Settings of the single replication rule, as validated from config. */
export interface ReplicationRuleSettings {
    /** Rule id (≤ 255 characters). */
    readonly id: string;
    /** Rule priority (only meaningful with a filter; unique per configuration). */
    readonly priority: number;
    /** Replicate only keys under this prefix; `undefined` = the whole bucket (an empty-prefix filter). */
    readonly prefix?: string;
    /** Destination bucket ARN. */
    readonly destinationBucketArn: string;
    /** Destination account id (recorded in the rule; S3 verifies it only with owner override). */
    readonly destinationAccount: string;
    /** Storage class replicas are written in. */
    readonly storageClass: ReplicaStorageClass;
    /** Whether delete markers (deletes without a version id) are replicated. */
    readonly deleteMarkerReplication: "Enabled" | "Disabled";
    /** S3 Replication Time Control (15-minute SLA, extra charge per GB). */
    readonly replicationTime: "Enabled" | "Disabled";
    /** Replica KMS key ARN; when set, SSE-KMS encrypted source objects are opted in. */
    readonly replicaKmsKeyArn?: string;
}

/** A replication rule in the shape of `aws.s3.BucketReplicationConfig`'s `rules` input. */
export interface ReplicationRuleInput {
    id: string;
    status: "Enabled";
    priority: number;
    filter: { prefix: string };
    deleteMarkerReplication: { status: "Enabled" | "Disabled" };
    destination: {
        bucket: string;
        account: string;
        storageClass: string;
        metrics: { status: "Enabled"; eventThreshold?: { minutes: number } };
        replicationTime?: { status: "Enabled"; time: { minutes: number } };
        encryptionConfiguration?: { replicaKmsKeyId: string };
    };
    sourceSelectionCriteria?: { sseKmsEncryptedObjects: { status: "Enabled" } };
}

/**
 * Builds the replication rule: V2 (explicit `filter`, so `deleteMarkerReplication` and `priority`
 * are stated), destination account, replica storage class, replication metrics always Enabled
 * (the failed-replication alarm reads them), RTC with its 15-minute threshold when enabled (RTC
 * requires metrics with an event threshold), and the SSE-KMS opt-in with the replica key when one
 * is given. No `accessControlTranslation`: the destination bucket is BucketOwnerEnforced, so the
 * DR account owns the replicas without owner override (S3 User Guide "Changing the replica owner"),
 * and the role needs no `s3:ObjectOwnerOverrideToBucketOwner`.
 *
 * @param settings validated rule settings.
 * @returns one rule.
 */
export function buildReplicationRule(settings: ReplicationRuleSettings): ReplicationRuleInput {
    const rtc = settings.replicationTime === "Enabled";
    return {
        id: settings.id,
        status: "Enabled",
        priority: settings.priority,
        filter: { prefix: settings.prefix ?? "" },
        deleteMarkerReplication: { status: settings.deleteMarkerReplication },
        destination: {
            bucket: settings.destinationBucketArn,
            account: settings.destinationAccount,
            storageClass: settings.storageClass,
            metrics: rtc ? { status: "Enabled", eventThreshold: { minutes: 15 } } : { status: "Enabled" },
            ...(rtc ? { replicationTime: { status: "Enabled" as const, time: { minutes: 15 } } } : {}),
            ...(settings.replicaKmsKeyArn ? { encryptionConfiguration: { replicaKmsKeyId: settings.replicaKmsKeyArn } } : {}),
        },
        ...(settings.replicaKmsKeyArn ? { sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" as const } } } : {}),
    };
}

/**
 * Compares the configured main account with the account of the deploying credentials (the
 * replication role's trust policy and the DR bucket policy name the configured one).
 *
 * @returns a message saying what to do when they differ; `undefined` when they match.
 */
export function sourceAccountMismatch(configured: string, actual: string): string | undefined {
    if (configured === actual) {
        return undefined;
    }
    return `microbiome-backup:replication.sourceAccountId is ${configured}, but the deploying credentials belong to account ${actual}: deploy with the main account's credentials or correct the setting`;
}

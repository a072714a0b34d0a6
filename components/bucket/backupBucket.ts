/**
 * BackupBucket — the S3 bucket that holds the microbiome data, with every side resource that
 * keeps it safe: versioning, default encryption, public access block, BucketOwnerEnforced
 * ownership, a TLS-only bucket policy and the lifecycle tiers. The DR bucket of
 * CrossAccountReplication is the same hardened bucket (declared through the DR account's provider),
 * with extra bucket-policy statements and optional Object Lock.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { tlsOnlyStatements } from "./bucketPolicy";
import { bucketRetention, RetentionOptions } from "../common/dataRetention";
import { policyDocument, PolicyStatement } from "../common/policyDocument";
import { buildLifecycleRules, describeTiers, LifecycleSettings } from "./lifecycle";
import type { StackContext } from "../common/stack";

/** Default encryption of a bucket. */
export interface BucketEncryptionArgs {
    /** `AES256` (SSE-S3) or `aws:kms` (SSE-KMS). S3 bucket keys are always enabled. */
    readonly sseAlgorithm: "AES256" | "aws:kms";
    /** Customer managed KMS key ARN; required with `aws:kms`, ignored with `AES256`. */
    readonly kmsKeyArn?: string;
}

/** Arguments of {@link BackupBucket}. */
export interface BackupBucketArgs {
    /** Globally unique bucket name (S3 naming rules; validated by `config/bucket.ts`). */
    readonly bucketName: string;
    /**
     * Adopt the existing bucket of that name with Pulumi's `import` resource option instead of
     * creating it. The side resources then (re)write that bucket's configuration. Default false.
     */
    readonly adoptExisting?: boolean;
    /** Let a delete remove a non-empty bucket (disposable stacks only). Default false. */
    readonly forceDestroy?: boolean;
    /**
     * `protect` on the bucket and on every side resource (versioning, encryption, public access
     * block, ownership controls, policy, Object Lock and lifecycle configurations): Pulumi refuses
     * to delete or replace them. They are `retainOnDelete` when protected or adopted
     * (`bucketRetention`, components/common/dataRetention.ts). Default false.
     */
    readonly protect?: boolean;
    /** Default encryption. Default SSE-S3 (`AES256`). */
    readonly encryption?: BucketEncryptionArgs;
    /** Lifecycle tiers and clean-up rules (validated by `config/bucket.ts`). */
    readonly lifecycle: LifecycleSettings;
    /**
     * Hold the GLACIER / DEEP_ARCHIVE transitions (declared in `Disabled` rules, see
     * `buildLifecycleRules`), with the reason, which is logged as a warning diagnostic on the
     * component. Default: not held. Decided by `config/replication.ts` `archiveHold`.
     */
    readonly archiveHold?: { readonly reason: string };
    /**
     * The bucket's own tags (the provider adds `aws:defaultTags`; for an adopted bucket, the tags it
     * already carries, or the first update replaces them). Default none.
     */
    readonly tags?: Readonly<Record<string, string>>;
    /**
     * Statements appended to the TLS-only bucket policy (e.g. the DR bucket's replication grants).
     * Default none. Any resource they reference (a role ARN) becomes a dependency of the policy.
     */
    readonly additionalPolicyStatements?: pulumi.Input<PolicyStatement[]>;
    /**
     * Default Object Lock retention. When set, the bucket is created with Object Lock enabled (it
     * cannot be added to an existing bucket through this input, and never removed) and an
     * `aws.s3.BucketObjectLockConfiguration` sets the default retention. Default none.
     * Validated by `components/replication/rules.ts` `checkObjectLockRetention`.
     */
    readonly objectLock?: { readonly mode: "GOVERNANCE"; readonly days: number };
}

/**
 * The validated `microbiome-backup:bucket` section, as far as the bucket reads it (`config/bucket.ts`
 * `BucketConfig` has this shape, with every default applied).
 */
export interface BackupBucketSection {
    /** Globally unique bucket name (S3 naming rules). */
    readonly name: string;
    /** Adopt the existing bucket of that name (`import`) instead of creating it. */
    readonly adoptExisting: boolean;
    /** Let a delete remove a non-empty bucket (refused by config with `protect` or `adoptExisting`). */
    readonly forceDestroy: boolean;
    /** The bucket's own tags besides `aws:defaultTags`; `{}` for none. */
    readonly tags: Readonly<Record<string, string>>;
    /** Default encryption. */
    readonly encryption: BucketEncryptionArgs;
    /** Lifecycle tiers (days, storage classes) and clean-up rules. */
    readonly lifecycle: LifecycleSettings;
}

/** Whether the archive transitions are held, and why (`config/replication.ts` `archiveHold`). */
export interface ArchiveHoldState {
    /** GLACIER / DEEP_ARCHIVE transitions are declared `Disabled`. */
    readonly held: boolean;
    /** Why (the warning diagnostic on the component, and the adoption pre-flight); set when held. */
    readonly reason?: string;
}

/**
 * The {@link BackupBucketArgs} of a validated bucket section: names and settings map one to one,
 * `protect` is the stack's, and a held archive becomes {@link BackupBucketArgs.archiveHold}.
 *
 * @param bucket the validated `bucket` section.
 * @param stack the stack's `protect`.
 * @param hold whether GLACIER / DEEP_ARCHIVE transitions wait for the replication backfill.
 */
export function backupBucketArgs(bucket: BackupBucketSection, stack: Pick<StackContext, "protect">, hold: ArchiveHoldState): BackupBucketArgs {
    return {
        bucketName: bucket.name,
        adoptExisting: bucket.adoptExisting,
        forceDestroy: bucket.forceDestroy,
        protect: stack.protect,
        encryption: bucket.encryption,
        lifecycle: bucket.lifecycle,
        tags: bucket.tags,
        archiveHold: hold.held ? { reason: hold.reason ?? "archive transitions held" } : undefined,
    };
}

/**
 * The backup bucket and its side resources. Data safety: the bucket and every side resource share
 * the options of `bucketRetention` — `protect`ed when {@link BackupBucketArgs.protect} is set, and
 * then (or when adopted) `retainOnDelete`, so neither a rename without `aliases` nor a
 * `pulumi destroy --skip-preview` can strip an adopted bucket of its policy, public access block,
 * encryption or lifecycle: the delete is refused, and where protection is lifted it leaves the
 * setting in AWS.
 */
export class BackupBucket extends pulumi.ComponentResource {
    /** The bucket. */
    public readonly bucket: aws.s3.Bucket;
    /** Versioning (Enabled); replication and lifecycle depend on it. */
    public readonly versioning: aws.s3.BucketVersioning;
    /** The bucket policy (TLS-only plus any additional statements). */
    public readonly policy: aws.s3.BucketPolicy;
    /** Bucket name. */
    public readonly bucketName: pulumi.Output<string>;
    /** Bucket ARN, `arn:aws:s3:::<name>`. */
    public readonly bucketArn: pulumi.Output<string>;
    /** Region the bucket lives in. */
    public readonly bucketRegion: pulumi.Output<string>;
    /** One-line summary of the current-version tiers, e.g. `STANDARD → day 90 GLACIER_IR → …`. */
    public readonly tierSummary: string;
    /** The `protect`/`retainOnDelete` options of the bucket and its side resources (resources of other components that configure this bucket, e.g. its replication configuration, use them too). */
    public readonly retention: RetentionOptions;

    /**
     * The backup bucket of a stack, from its validated `bucket` section ({@link backupBucketArgs}).
     *
     * @param name logical name (the stack uses `backup`; a new name is a new URN).
     * @param bucket the validated `bucket` section.
     * @param stack the stack settings (`protect`).
     * @param hold whether the archive transitions are held (`config/replication.ts` `archiveHold`).
     * @param opts component options.
     */
    static fromConfig(name: string, bucket: BackupBucketSection, stack: Pick<StackContext, "protect">, hold: ArchiveHoldState, opts?: pulumi.ComponentResourceOptions): BackupBucket {
        return new BackupBucket(name, backupBucketArgs(bucket, stack, hold), opts);
    }

    /**
     * @param name logical name; children are named `${name}-<role>`.
     * @param args see {@link BackupBucketArgs}.
     * @param opts component options (parent, providers).
     */
    constructor(name: string, args: BackupBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        super("microbiome-backup:storage:BackupBucket", name, {}, opts);
        const protect = args.protect ?? false;
        const adopt = args.adoptExisting ?? false;
        const encryption = args.encryption ?? { sseAlgorithm: "AES256" };
        // One set of options for the bucket and all its side resources (the policy pack's
        // data-protected / data-retain-on-delete / data-side-resources-protected check the same).
        this.retention = bucketRetention({ protect, adopted: adopt });
        const dataOpts: pulumi.CustomResourceOptions = { parent: this, ...this.retention };

        this.bucket = new aws.s3.Bucket(
            `${name}`,
            {
                bucket: args.bucketName,
                forceDestroy: args.forceDestroy ?? false,
                ...(args.objectLock ? { objectLockEnabled: true } : {}),
                ...(args.tags && Object.keys(args.tags).length > 0 ? { tags: { ...args.tags } } : {}),
            },
            { ...dataOpts, ...(adopt ? { import: args.bucketName } : {}) },
        );
        const bucketId = this.bucket.id;

        this.versioning = new aws.s3.BucketVersioning(
            `${name}-versioning`,
            { bucket: bucketId, versioningConfiguration: { status: "Enabled" } },
            dataOpts,
        );

        const sideOpts: pulumi.CustomResourceOptions = dataOpts;
        new aws.s3.BucketServerSideEncryptionConfiguration(
            `${name}-encryption`,
            {
                bucket: bucketId,
                rules: [
                    {
                        applyServerSideEncryptionByDefault: {
                            sseAlgorithm: encryption.sseAlgorithm,
                            ...(encryption.sseAlgorithm === "aws:kms" ? { kmsMasterKeyId: encryption.kmsKeyArn } : {}),
                        },
                        bucketKeyEnabled: true,
                    },
                ],
            },
            sideOpts,
        );

        const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
            `${name}-public-access-block`,
            { bucket: bucketId, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
            sideOpts,
        );

        new aws.s3.BucketOwnershipControls(
            `${name}-ownership`,
            { bucket: bucketId, rule: { objectOwnership: "BucketOwnerEnforced" } },
            sideOpts,
        );

        const extraStatements = args.additionalPolicyStatements ?? [];
        this.policy = new aws.s3.BucketPolicy(
            `${name}-policy`,
            {
                bucket: bucketId,
                policy: pulumi
                    .all([this.bucket.arn, extraStatements])
                    .apply(([arn, extra]) => JSON.stringify(policyDocument([...tlsOnlyStatements(arn), ...extra]))),
            },
            { ...sideOpts, dependsOn: [publicAccessBlock] },
        );

        if (args.objectLock) {
            new aws.s3.BucketObjectLockConfiguration(
                `${name}-object-lock`,
                {
                    bucket: bucketId,
                    objectLockEnabled: "Enabled",
                    rule: { defaultRetention: { mode: args.objectLock.mode, days: args.objectLock.days } },
                },
                { ...sideOpts, dependsOn: [this.versioning] },
            );
        }

        new aws.s3.BucketLifecycleConfiguration(
            `${name}-lifecycle`,
            {
                bucket: bucketId,
                rules: buildLifecycleRules(args.lifecycle, { holdArchiveTransitions: args.archiveHold !== undefined }),
                transitionDefaultMinimumObjectSize: args.lifecycle.transitionDefaultMinimumObjectSize,
            },
            { ...sideOpts, dependsOn: [this.versioning] },
        );

        this.bucketName = this.bucket.bucket;
        this.bucketArn = this.bucket.arn;
        this.bucketRegion = this.bucket.bucketRegion;
        this.tierSummary = describeTiers(args.lifecycle.tiers) + (args.archiveHold ? "; GLACIER/DEEP_ARCHIVE transitions held (Disabled) until the replication backfill is recorded" : "");
        if (args.archiveHold) {
            void pulumi.log.warn(args.archiveHold.reason, this);
        }
        this.registerOutputs({
            bucketName: this.bucketName,
            bucketArn: this.bucketArn,
            bucketRegion: this.bucketRegion,
            tierSummary: this.tierSummary,
        });
    }
}

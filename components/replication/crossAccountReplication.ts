/**
 * CrossAccountReplication — replicates the backup bucket to a disaster-recovery (DR) bucket owned
 * by a second AWS account, so the data survives the loss or compromise of the main account.
 *
 * Declares, in the source account: the replication role (trusted only by s3.amazonaws.com for the
 * source account) with the minimal permissions, the `BucketReplicationConfig` (explicit filter,
 * priority, delete markers not replicated by default, destination account, replica storage class,
 * replication metrics, optional RTC), a CloudWatch alarm on failed replications notifying the
 * stack's alert topic (`components/monitoring/alerts.ts`), and the S3 Batch Operations role that backfills existing objects.
 * In managed mode also, through a second AWS provider that assumes a deploy role in the DR account:
 * the DR bucket (a {@link BackupBucket}: versioned, encrypted, public access blocked,
 * BucketOwnerEnforced, TLS-only, its own lifecycle, optional Object Lock) whose policy grants exactly
 * the replication role. In external mode the DR bucket belongs to another team: the component
 * outputs the exact bucket policy they must apply.
 *
 * It never declares `aws.s3.BucketNotification` on the source bucket: FSx auto-import owns that
 * configuration (docs/aws-rules.md "Cross-account replication"); failures are observed through CloudWatch metrics instead.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BackupBucket, BucketEncryptionArgs } from "../bucket/backupBucket";
import type { StackContext } from "../common/stack";
import { bucketRetention, RetentionOptions } from "../common/dataRetention";
import { drDeployRolePolicy, drPreviewRolePolicy } from "./drRolePolicies";
import {
    backfillRoleName,
    batchReplicationRolePolicy,
    batchReplicationTrustPolicy,
    drBucketPolicy,
    drBucketPolicyStatements,
    replicaKeyPolicyStatement,
    replicationRolePolicy,
    replicationTrustPolicy,
} from "./policies";
import { buildReplicationRule, parseBucketReference, ReplicaStorageClass, sourceAccountMismatch } from "./rules";
import type { LifecycleSettings } from "../bucket/lifecycle";

/** The source side: the backup bucket (a {@link BackupBucket} provides all of it). */
export interface ReplicationSource {
    /** The source bucket. */
    readonly bucket: aws.s3.Bucket;
    /** Its versioning resource (must be Enabled; the replication configuration depends on it). */
    readonly versioning: aws.s3.BucketVersioning;
    /** Bucket name. */
    readonly bucketName: pulumi.Output<string>;
    /** Bucket ARN. */
    readonly bucketArn: pulumi.Output<string>;
    /**
     * The bucket's `protect`/`retainOnDelete` options; the replication configuration (a side
     * resource of the source bucket) gets the same. Default: protected and retained as
     * {@link CrossAccountReplicationArgs.protect} says (`bucketRetention`, not adopted).
     */
    readonly retention?: RetentionOptions;
}

/** Arguments of {@link CrossAccountReplication} (validated by `config/replication.ts`). */
export interface CrossAccountReplicationArgs {
    /** The backup bucket to replicate. */
    readonly source: ReplicationSource;
    /** The main (source) account id; checked against the deploying credentials at deploy time. */
    readonly sourceAccountId: string;
    /** The source bucket's Region (the stack's `aws:region`). */
    readonly sourceRegion: string;
    /** The source bucket's KMS key ARN when it is SSE-KMS; `undefined` for SSE-S3. */
    readonly sourceKmsKeyArn?: string;
    /** `managed`: declare the DR bucket through a second provider; `external`: another team owns it. */
    readonly mode: "managed" | "external";
    /** The DR bucket. */
    readonly destination: {
        /** DR account id (12 digits, not the source account). */
        readonly account: string;
        /** DR bucket name. */
        readonly bucketName: string;
        /** DR bucket ARN, `arn:aws:s3:::<name>`. */
        readonly bucketArn: string;
        /** DR bucket Region. */
        readonly region: string;
        /** Storage class replicas are written in. Default DEEP_ARCHIVE. */
        readonly storageClass?: ReplicaStorageClass;
        /** Replica KMS key (DR account and Region); required when `sourceKmsKeyArn` is set. */
        readonly replicaKmsKeyArn?: string;
    };
    /** The replication rule. */
    readonly rule?: {
        /** Rule id. Default `dr-replication`. */
        readonly id?: string;
        /** Rule priority. Default 1. */
        readonly priority?: number;
        /** Replicate only keys under this prefix. Default: the whole bucket. */
        readonly prefix?: string;
        /** Replicate delete markers. Default Disabled. */
        readonly deleteMarkerReplication?: "Enabled" | "Disabled";
        /** S3 Replication Time Control. Default Disabled. */
        readonly replicationTime?: "Enabled" | "Disabled";
    };
    /** Failed-replication alarm. */
    readonly alarm: {
        /** Alarm period in seconds. Default 300. */
        readonly periodSeconds?: number;
    };
    /** ARN of the stack's alert topic the failed-replication alarm notifies (`components/monitoring/alerts.ts` Alerts). */
    readonly alarmTopicArn: pulumi.Input<string>;
    /** Managed mode only: the DR account's deploy role and the DR bucket's settings. */
    readonly managed?: {
        /** The deploy role in the DR account (its permissions: {@link CrossAccountReplication.drDeployRolePolicyJson}). */
        readonly deployRoleArn: string;
        /**
         * The role the second provider assumes, and its STS session name. Default: the deploy role
         * (`microbiome-backup-dr-deploy`). The prod pull-request preview passes the read-only
         * preview role (`selectDrProviderRole`, config/replication.ts).
         */
        readonly providerRole?: { readonly roleArn: string; readonly sessionName: string };
        /** The DR bucket's lifecycle (no current tiers by default; noncurrent expiry; expired delete markers). */
        readonly lifecycle: LifecycleSettings;
        /** Optional default Object Lock retention (GOVERNANCE). */
        readonly objectLock?: { readonly mode: "GOVERNANCE"; readonly days: number };
    };
    /**
     * External mode only: whether the DR bucket's owners applied the policy and enabled versioning.
     * Until true, the replication configuration is not declared. Default false.
     */
    readonly destinationReady?: boolean;
    /** `protect` the DR bucket and its versioning (they are `retainOnDelete` regardless). Default false. */
    readonly protect?: boolean;
    /** Default tags for the DR provider (the stack's `aws:defaultTags` do not reach an explicit provider). */
    readonly drDefaultTags?: Record<string, string>;
    /** Name of the S3 Batch Operations backfill role (fixed, so the backfill script can derive its ARN). */
    readonly backfillRoleName: string;
}

/**
 * The validated `microbiome-backup:replication` section with replication enabled, as far as the
 * component reads it (`config/replication.ts` `EnabledReplicationConfig` has this shape).
 */
export interface CrossAccountReplicationSection {
    /** `managed` (this stack declares the DR bucket) or `external` (another team owns it). */
    readonly mode: "managed" | "external";
    /** The main account's 12-digit id. */
    readonly sourceAccountId: string;
    /** The DR bucket: account, name or ARN (`arn:aws:s3:::<name>`), Region, replica storage class and KMS key. */
    readonly destination: {
        readonly account: string;
        readonly bucket: string;
        readonly region: string;
        readonly storageClass: ReplicaStorageClass;
        readonly replicaKmsKeyId?: string;
    };
    /** Replication rule id. */
    readonly ruleId: string;
    /** Rule priority. */
    readonly priority: number;
    /** Replicate only keys under this prefix; absent = the whole bucket. */
    readonly prefix?: string;
    /** Replicate delete markers. */
    readonly deleteMarkerReplication: "Enabled" | "Disabled";
    /** S3 Replication Time Control. */
    readonly replicationTime: "Enabled" | "Disabled";
    /** The failed-replication alarm's period, seconds. */
    readonly alarm: { readonly periodSeconds: number };
    /** Managed mode: the DR deploy role, the DR bucket's lifecycle and Object Lock days (GOVERNANCE). */
    readonly managed?: { readonly deployRoleArn: string; readonly lifecycle: LifecycleSettings; readonly objectLock?: { readonly days: number } };
    /** External mode: whether the DR bucket's owners applied the policy and enabled versioning. */
    readonly external?: { readonly destinationReady: boolean };
}

/** What {@link CrossAccountReplication.fromConfig} takes from other concerns. */
export interface CrossAccountReplicationDependencies {
    /** The backup bucket to replicate (a `BackupBucket`). */
    readonly source: ReplicationSource;
    /** The backup bucket's default encryption (`bucket.encryption`): SSE-KMS needs a replica key. */
    readonly sourceEncryption: BucketEncryptionArgs;
    /**
     * The stack's alert topic (an `Alerts`), which the failed-replication alarm notifies; required
     * (config requires `replication.alarm.emails`, so the stack declares it), `undefined` is refused.
     */
    readonly alerts: { readonly topicArn: pulumi.Input<string> } | undefined;
    /**
     * Managed mode: the role the DR provider assumes (`config/replication.ts` `drProviderRole`: the
     * read-only preview role in a pull-request preview). Default the deploy role.
     */
    readonly providerRole?: { readonly roleArn: string; readonly sessionName: string };
}

/**
 * The {@link CrossAccountReplicationArgs} of a validated, enabled `replication` section: the DR
 * bucket reference is split into name and ARN, the source's KMS key comes from the bucket's
 * encryption, the backfill role's name from the project and stack (`backfillRoleName`), and the
 * DR provider gets the stack's default tags.
 *
 * @param replication the validated `replication` section (enabled).
 * @param stack the stack settings (`project`, `stack`, `region`, `protect`, `defaultTags`).
 * @param deps the source bucket, its encryption, the alert topic and the DR provider's role.
 * @throws Error when `destination.bucket` is neither a bucket name nor a bucket ARN, or when there
 *   is no alert topic (config validation refuses both first).
 */
export function crossAccountReplicationArgs(
    replication: CrossAccountReplicationSection,
    stack: StackContext,
    deps: CrossAccountReplicationDependencies,
): CrossAccountReplicationArgs {
    const drBucket = parseBucketReference(replication.destination.bucket);
    if (drBucket === undefined) {
        throw new Error(`replication.destination.bucket ${JSON.stringify(replication.destination.bucket)}: not a bucket name or bucket ARN`);
    }
    if (deps.alerts === undefined) {
        throw new Error("replication: the failed-replication alarm needs the stack's alert topic (replication.alarm.emails; config refuses replication without them)");
    }
    const managed = replication.managed;
    return {
        source: deps.source,
        sourceAccountId: replication.sourceAccountId,
        sourceRegion: stack.region,
        sourceKmsKeyArn: deps.sourceEncryption.sseAlgorithm === "aws:kms" ? deps.sourceEncryption.kmsKeyArn : undefined,
        mode: replication.mode,
        destination: {
            account: replication.destination.account,
            bucketName: drBucket.name,
            bucketArn: drBucket.arn,
            region: replication.destination.region,
            storageClass: replication.destination.storageClass,
            replicaKmsKeyArn: replication.destination.replicaKmsKeyId,
        },
        rule: {
            id: replication.ruleId,
            priority: replication.priority,
            prefix: replication.prefix,
            deleteMarkerReplication: replication.deleteMarkerReplication,
            replicationTime: replication.replicationTime,
        },
        alarm: { periodSeconds: replication.alarm.periodSeconds },
        alarmTopicArn: deps.alerts.topicArn,
        managed: managed
            ? {
                  deployRoleArn: managed.deployRoleArn,
                  providerRole: deps.providerRole,
                  lifecycle: managed.lifecycle,
                  objectLock: managed.objectLock ? { mode: "GOVERNANCE", days: managed.objectLock.days } : undefined,
              }
            : undefined,
        destinationReady: replication.external?.destinationReady ?? false,
        protect: stack.protect,
        drDefaultTags: { ...stack.defaultTags },
        backfillRoleName: backfillRoleName(stack.project, stack.stack),
    };
}

/**
 * The stack outputs of {@link CrossAccountReplication}: what operators, the backfill command and the
 * DR bucket's owners need. Which keys exist depends on the mode, so the component builds them.
 */
export interface ReplicationStackOutputs {
    /** Mode, DR bucket ARN, replication role ARN, whether the replication configuration is declared, alert topic ARN, backfill role ARN. */
    readonly replication: {
        readonly mode: "managed" | "external";
        readonly destinationBucketArn: string;
        readonly replicationRoleArn: pulumi.Output<string>;
        readonly replicationActive: boolean;
        readonly alarmTopicArn: pulumi.Output<string>;
        readonly backfillRoleArn: pulumi.Output<string>;
    };
    /** The DR bucket policy (JSON): in external mode, exactly what the DR bucket's owners must apply. */
    readonly drBucketPolicyJson: pulumi.Output<string>;
    /** External mode with SSE-KMS: the statement the replica key's policy must contain (JSON). */
    readonly replicaKeyPolicyStatementJson?: pulumi.Output<string>;
    /** Managed mode: the DR deploy role's permissions (JSON). */
    readonly drDeployRolePolicyJson?: string;
    /** Managed mode: the DR preview role's permissions (JSON), read calls only. */
    readonly drPreviewRolePolicyJson?: string;
}

/**
 * Cross-account replication of the backup bucket. See the module comment for what it declares.
 */
export class CrossAccountReplication extends pulumi.ComponentResource {
    /** The replication role (source account). */
    public readonly role: aws.iam.Role;
    /** The replication role's permissions. */
    public readonly rolePolicy: aws.iam.RolePolicy;
    /** The replication configuration; `undefined` in external mode until the destination is ready. */
    public readonly replicationConfig?: aws.s3.BucketReplicationConfig;
    /** The second AWS provider (managed mode). */
    public readonly drProvider?: aws.Provider;
    /** The DR bucket and its side resources (managed mode). */
    public readonly drBucket?: BackupBucket;
    /** ARN of the SNS topic the failed-replication alarm notifies (the stack's alert topic). */
    public readonly alarmTopicArn: pulumi.Output<string>;
    /** The failed-replication alarm. */
    public readonly alarm: aws.cloudwatch.MetricAlarm;
    /** The S3 Batch Operations role that backfills existing objects. */
    public readonly backfillRole: aws.iam.Role;
    /** Replication role ARN. */
    public readonly roleArn: pulumi.Output<string>;
    /** The DR bucket policy as JSON: in external mode, exactly what the DR bucket's owners must apply. */
    public readonly drBucketPolicyJson: pulumi.Output<string>;
    /** External mode with SSE-KMS: the statement the replica key's policy must contain (JSON); otherwise undefined. */
    public readonly replicaKeyPolicyStatementJson?: pulumi.Output<string>;
    /** Managed mode: the DR deploy role's permissions (JSON), every call the provider makes for the DR resources; otherwise undefined. */
    public readonly drDeployRolePolicyJson?: string;
    /** Managed mode: the DR preview role's permissions (JSON), the read calls only; otherwise undefined. */
    public readonly drPreviewRolePolicyJson?: string;
    /** What the stack exports about replication (see {@link ReplicationStackOutputs}). */
    public readonly stackOutputs: ReplicationStackOutputs;

    /**
     * The replication of a stack, from its validated, enabled `replication` section
     * ({@link crossAccountReplicationArgs}).
     *
     * @param name logical name (the stack uses `replication`; a new name is a new URN).
     * @param replication the validated `replication` section (enabled).
     * @param stack the stack settings.
     * @param deps the source bucket, its encryption, the alert topic and the DR provider's role.
     * @param opts component options.
     * @throws Error on a DR bucket reference that is not a bucket, no alert topic, managed mode
     *   without its settings, or a KMS key on one side only (config validation refuses all first).
     */
    static fromConfig(
        name: string,
        replication: CrossAccountReplicationSection,
        stack: StackContext,
        deps: CrossAccountReplicationDependencies,
        opts?: pulumi.ComponentResourceOptions,
    ): CrossAccountReplication {
        return new CrossAccountReplication(name, crossAccountReplicationArgs(replication, stack, deps), opts);
    }

    /**
     * @param name logical name; children are named `${name}-<role>`.
     * @param args see {@link CrossAccountReplicationArgs}.
     * @param opts component options.
     * @throws Error when the mode's settings are missing or a KMS key is missing on one side.
     */
    constructor(name: string, args: CrossAccountReplicationArgs, opts?: pulumi.ComponentResourceOptions) {
        super("microbiome-backup:replication:CrossAccountReplication", name, {}, opts);
        const dest = args.destination;
        const storageClass = dest.storageClass ?? "DEEP_ARCHIVE";
        const ruleId = args.rule?.id ?? "dr-replication";
        const protect = args.protect ?? false;
        if (args.mode === "managed" && !args.managed) {
            throw new Error(`${name}: managed mode needs args.managed (deployRoleArn, lifecycle)`);
        }
        if (Boolean(args.sourceKmsKeyArn) !== Boolean(dest.replicaKmsKeyArn)) {
            throw new Error(`${name}: an SSE-KMS source needs a replica KMS key and vice versa (config/crossChecks.ts refuses this configuration)`);
        }
        const parentOpts: pulumi.CustomResourceOptions = { parent: this };

        // The deploying credentials must be the configured source account: the trust policy's
        // aws:SourceAccount and the DR bucket policy name it.
        const sourceAccountId = aws.getCallerIdentityOutput({}, { parent: this }).accountId.apply((actual) => {
            const mismatch = sourceAccountMismatch(args.sourceAccountId, actual);
            if (mismatch) {
                throw new pulumi.RunError(mismatch);
            }
            return actual;
        });

        this.role = new aws.iam.Role(
            `${name}-role`,
            {
                description: "S3 replication of the microbiome backup bucket to the DR account (assumed by s3.amazonaws.com only)",
                assumeRolePolicy: sourceAccountId.apply((id) => JSON.stringify(replicationTrustPolicy(id))),
            },
            parentOpts,
        );
        this.roleArn = this.role.arn;

        this.rolePolicy = new aws.iam.RolePolicy(
            `${name}-role-policy`,
            {
                role: this.role.id,
                policy: args.source.bucketArn.apply((sourceBucketArn) =>
                    JSON.stringify(
                        replicationRolePolicy({
                            sourceBucketArn,
                            destinationBucketArn: dest.bucketArn,
                            sourceRegion: args.sourceRegion,
                            destinationRegion: dest.region,
                            sourceKmsKeyArn: args.sourceKmsKeyArn,
                            replicaKmsKeyArn: dest.replicaKmsKeyArn,
                        }),
                    ),
                ),
            },
            parentOpts,
        );

        const policyArgs = pulumi.all([this.role.arn, sourceAccountId]).apply(([replicationRoleArn, src]) => ({
            drBucketArn: dest.bucketArn,
            replicationRoleArn,
            sourceAccountId: src,
        }));
        this.drBucketPolicyJson = policyArgs.apply((a) => JSON.stringify(drBucketPolicy(a), null, 2));

        const replicationDependsOn: pulumi.Resource[] = [args.source.versioning, this.rolePolicy];
        let declareConfig = true;
        if (args.mode === "managed" && args.managed) {
            const roleArgs = { drBucketArn: dest.bucketArn, replicaKmsKeyArn: dest.replicaKmsKeyArn };
            this.drDeployRolePolicyJson = JSON.stringify(drDeployRolePolicy(roleArgs), null, 2);
            this.drPreviewRolePolicyJson = JSON.stringify(drPreviewRolePolicy(roleArgs), null, 2);
            const providerRole = args.managed.providerRole ?? { roleArn: args.managed.deployRoleArn, sessionName: "microbiome-backup-dr-deploy" };
            this.drProvider = new aws.Provider(
                `${name}-dr`,
                {
                    region: dest.region as aws.Region,
                    assumeRoles: [{ roleArn: providerRole.roleArn, sessionName: providerRole.sessionName }],
                    allowedAccountIds: [dest.account],
                    ...(args.drDefaultTags ? { defaultTags: { tags: args.drDefaultTags } } : {}),
                },
                parentOpts,
            );
            this.drBucket = new BackupBucket(
                `${name}-dr`,
                {
                    bucketName: dest.bucketName,
                    adoptExisting: false,
                    forceDestroy: false,
                    protect,
                    encryption: dest.replicaKmsKeyArn ? { sseAlgorithm: "aws:kms", kmsKeyArn: dest.replicaKmsKeyArn } : { sseAlgorithm: "AES256" },
                    lifecycle: args.managed.lifecycle,
                    objectLock: args.managed.objectLock,
                    additionalPolicyStatements: policyArgs.apply((a) => drBucketPolicyStatements(a)),
                },
                { parent: this, providers: [this.drProvider] },
            );
            replicationDependsOn.push(this.drBucket.versioning, this.drBucket.policy);
            if (dest.replicaKmsKeyArn) {
                // Declares the replica key's permission for the role in the DR account (a KMS grant
                // needs no edit of the key policy, which this stack does not own).
                replicationDependsOn.push(
                    new aws.kms.Grant(
                        `${name}-replica-key-grant`,
                        { keyId: dest.replicaKmsKeyArn, granteePrincipal: this.role.arn, operations: ["Encrypt"] },
                        { parent: this, provider: this.drProvider },
                    ),
                );
            }
        } else {
            declareConfig = args.destinationReady ?? false;
            if (dest.replicaKmsKeyArn) {
                this.replicaKeyPolicyStatementJson = this.role.arn.apply((replicationRoleArn) =>
                    JSON.stringify(replicaKeyPolicyStatement({ replicationRoleArn, destinationRegion: dest.region, drBucketArn: dest.bucketArn }), null, 2),
                );
            }
        }

        if (declareConfig) {
            this.replicationConfig = new aws.s3.BucketReplicationConfig(
                `${name}-config`,
                {
                    bucket: args.source.bucket.id,
                    role: this.role.arn,
                    rules: [
                        buildReplicationRule({
                            id: ruleId,
                            priority: args.rule?.priority ?? 1,
                            prefix: args.rule?.prefix,
                            destinationBucketArn: dest.bucketArn,
                            destinationAccount: dest.account,
                            storageClass,
                            deleteMarkerReplication: args.rule?.deleteMarkerReplication ?? "Disabled",
                            replicationTime: args.rule?.replicationTime ?? "Disabled",
                            replicaKmsKeyArn: dest.replicaKmsKeyArn,
                        }),
                    ],
                },
                { parent: this, dependsOn: replicationDependsOn, ...(args.source.retention ?? bucketRetention({ protect, adopted: false })) },
            );
        }

        // The topic and its e-mail subscriptions belong to the stack's Alerts component (which took
        // them over from this component with aliases, so their URNs' history is kept).
        this.alarmTopicArn = pulumi.output(args.alarmTopicArn);
        this.alarm = new aws.cloudwatch.MetricAlarm(
            `${name}-failed-replication`,
            {
                alarmDescription: pulumi.interpolate`Objects of ${args.source.bucketName} failed to replicate to the DR bucket ${dest.bucketName} (account ${dest.account}); see docs/replication.md`,
                namespace: "AWS/S3",
                metricName: "OperationsFailedReplication",
                dimensions: { SourceBucket: args.source.bucketName, DestinationBucket: dest.bucketName, RuleId: ruleId },
                statistic: "Sum",
                period: args.alarm.periodSeconds ?? 300,
                evaluationPeriods: 1,
                threshold: 0,
                comparisonOperator: "GreaterThanThreshold",
                treatMissingData: "notBreaching",
                alarmActions: [this.alarmTopicArn],
                okActions: [this.alarmTopicArn],
            },
            parentOpts,
        );

        this.backfillRole = new aws.iam.Role(
            `${name}-backfill-role`,
            {
                name: args.backfillRoleName,
                description: "S3 Batch Replication of objects that existed before replication (npm run backfill:replication)",
                assumeRolePolicy: sourceAccountId.apply((id) => JSON.stringify(batchReplicationTrustPolicy(id))),
            },
            parentOpts,
        );
        new aws.iam.RolePolicy(
            `${name}-backfill-role-policy`,
            {
                role: this.backfillRole.id,
                policy: args.source.bucketArn.apply((arn) => JSON.stringify(batchReplicationRolePolicy(arn))),
            },
            parentOpts,
        );

        this.stackOutputs = {
            replication: {
                mode: args.mode,
                destinationBucketArn: dest.bucketArn,
                replicationRoleArn: this.roleArn,
                replicationActive: this.replicationConfig !== undefined,
                alarmTopicArn: this.alarmTopicArn,
                backfillRoleArn: this.backfillRole.arn,
            },
            drBucketPolicyJson: this.drBucketPolicyJson,
            ...(this.replicaKeyPolicyStatementJson ? { replicaKeyPolicyStatementJson: this.replicaKeyPolicyStatementJson } : {}),
            ...(this.drDeployRolePolicyJson ? { drDeployRolePolicyJson: this.drDeployRolePolicyJson, drPreviewRolePolicyJson: this.drPreviewRolePolicyJson } : {}),
        };
        this.registerOutputs({
            roleArn: this.roleArn,
            drBucketPolicyJson: this.drBucketPolicyJson,
            alarmTopicArn: this.alarmTopicArn,
            backfillRoleArn: this.backfillRole.arn,
            ...(this.replicaKeyPolicyStatementJson ? { replicaKeyPolicyStatementJson: this.replicaKeyPolicyStatementJson } : {}),
            ...(this.drDeployRolePolicyJson ? { drDeployRolePolicyJson: this.drDeployRolePolicyJson, drPreviewRolePolicyJson: this.drPreviewRolePolicyJson } : {}),
        });
    }
}

/**
 * IAM documents of cross-account replication, as pure functions of resolved ARNs and ids (so they
 * can be unit-tested and fed to the IAM simulator as they are):
 * - the replication role's trust policy and permissions (source account);
 * - the DR bucket policy (DR account), also the exact JSON the DR bucket's owners apply in external mode;
 * - the replica KMS key-policy statement (DR account, SSE-KMS only);
 * - the S3 Batch Operations role used to backfill existing objects (source account).
 *
 * Sources: S3 User Guide "Setting up permissions for live replication" (role trust and minimal
 * permissions; destination bucket policy for a different account), "Replicating encrypted
 * objects" (KMS permissions with kms:ViaService and the aws:s3:arn encryption context, which is the
 * bucket ARN when S3 Bucket Keys are enabled), "Configuring IAM policies for Batch Replication";
 * IAM User Guide "The confused deputy problem" (aws:SourceAccount); summarised in docs/aws-rules.md "Cross-account replication".
 */
import { tlsOnlyStatements } from "../bucket/bucketPolicy";
import { policyDocument, PolicyDocument, PolicyStatement } from "../common/policyDocument";

/** The S3 service principal that assumes the replication role. */
export const S3_SERVICE_PRINCIPAL = "s3.amazonaws.com";
/** The S3 Batch Operations service principal that assumes the backfill role. */
export const BATCH_OPERATIONS_PRINCIPAL = "batchoperations.s3.amazonaws.com";

/** Actions the role needs on the source bucket itself. */
export const SOURCE_BUCKET_ACTIONS = ["s3:GetReplicationConfiguration", "s3:ListBucket"];
/** Actions the role needs on source objects. */
export const SOURCE_OBJECT_ACTIONS = ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"];
/** Actions the role needs on destination objects (no s3:ObjectOwnerOverrideToBucketOwner: no owner override). */
export const DESTINATION_OBJECT_ACTIONS = ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"];
/**
 * Owner override on destination objects: only with a rule whose destination sets
 * `accessControlTranslation.owner` "Destination". This stack grants it never (the DR bucket is
 * BucketOwnerEnforced, so the DR account owns the replicas without it).
 */
export const OWNER_OVERRIDE_ACTION = "s3:ObjectOwnerOverrideToBucketOwner";
/** The action on the source bucket's KMS key: read SSE-KMS source objects. */
export const SOURCE_KMS_ACTION = "kms:Decrypt";
/** The action on the replica KMS key: encrypt replicas. */
export const REPLICA_KMS_ACTION = "kms:Encrypt";

/**
 * Every action a replication role may hold, by the resource it applies to: what
 * {@link replicationRolePolicy} grants, plus {@link OWNER_OVERRIDE_ACTION} (with owner override
 * only) and `kms:GenerateDataKey` on a KMS key (accepted, not granted by this stack). The policy
 * pack's `s3-replication-role-minimal` holds every replication role of the stack to this table.
 */
export const REPLICATION_ROLE_ACTIONS = {
    /** On the source bucket ARN. */
    sourceBucket: SOURCE_BUCKET_ACTIONS,
    /** On the source bucket's objects. */
    sourceObjects: SOURCE_OBJECT_ACTIONS,
    /** On the destination bucket's objects. */
    destinationObjects: [...DESTINATION_OBJECT_ACTIONS, OWNER_OVERRIDE_ACTION],
    /** On KMS keys, for SSE-KMS replication only. */
    kms: [SOURCE_KMS_ACTION, REPLICA_KMS_ACTION, "kms:GenerateDataKey"],
} as const;

/** Service principals that may assume a replication role: S3 (live replication) and S3 Batch Operations (backfill). */
export const REPLICATION_SERVICE_PRINCIPALS = [S3_SERVICE_PRINCIPAL, BATCH_OPERATIONS_PRINCIPAL] as const;

/** Actions the source account needs on the destination bucket (S3 checks the DR bucket's versioning). */
export const DESTINATION_BUCKET_ACTIONS = ["s3:GetBucketVersioning", "s3:PutBucketVersioning"];
/** Key prefix in the source bucket where backfill manifests and completion reports are written. */
export const BACKFILL_REPORT_PREFIX = "replication-backfill/";

/** The root principal ARN of an account. */
export function accountRoot(accountId: string): string {
    return `arn:aws:iam::${accountId}:root`;
}

/**
 * Trust policy of the replication role: only the S3 service may assume it, and only on behalf of
 * the source account (`aws:SourceAccount` guards against the confused-deputy problem).
 *
 * @param sourceAccountId the main account's id.
 */
export function replicationTrustPolicy(sourceAccountId: string): PolicyDocument {
    return policyDocument([
        {
            Sid: "AllowS3ReplicationOfThisAccount",
            Effect: "Allow",
            Principal: { Service: S3_SERVICE_PRINCIPAL },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:SourceAccount": sourceAccountId } },
        },
    ]);
}

/** Inputs of {@link replicationRolePolicy}. */
export interface ReplicationRolePolicyArgs {
    /** Source (backup) bucket ARN. */
    readonly sourceBucketArn: string;
    /** DR bucket ARN. */
    readonly destinationBucketArn: string;
    /** Source bucket Region (for kms:ViaService). Needed only with KMS keys. */
    readonly sourceRegion?: string;
    /** DR bucket Region (for kms:ViaService). Needed only with KMS keys. */
    readonly destinationRegion?: string;
    /** The source bucket's KMS key, when it is SSE-KMS. */
    readonly sourceKmsKeyArn?: string;
    /** The replica KMS key in the DR account, when the source is SSE-KMS. */
    readonly replicaKmsKeyArn?: string;
}

/**
 * Permissions of the replication role: exactly the minimal set of the S3 User Guide — read the
 * replication configuration and list the source bucket; read source object versions, their ACLs and
 * tags for replication; replicate objects, delete markers and tags into the DR bucket. Nothing
 * else: no delete of any kind in the source bucket, no read in the DR bucket. With SSE-KMS:
 * kms:Decrypt on the source key and kms:Encrypt on the replica key, each only through S3 in its
 * bucket's Region and for that bucket (encryption context `aws:s3:arn` = bucket ARN with S3 Bucket
 * Keys, object ARN without).
 *
 * @throws Error when a KMS key is given without the Regions it needs.
 */
export function replicationRolePolicy(args: ReplicationRolePolicyArgs): PolicyDocument {
    const statements: PolicyStatement[] = [
        { Sid: "SourceBucket", Effect: "Allow", Action: SOURCE_BUCKET_ACTIONS, Resource: args.sourceBucketArn },
        { Sid: "SourceObjects", Effect: "Allow", Action: SOURCE_OBJECT_ACTIONS, Resource: `${args.sourceBucketArn}/*` },
        { Sid: "ReplicateIntoDestination", Effect: "Allow", Action: DESTINATION_OBJECT_ACTIONS, Resource: `${args.destinationBucketArn}/*` },
    ];
    if (args.sourceKmsKeyArn || args.replicaKmsKeyArn) {
        if (!args.sourceRegion || !args.destinationRegion) {
            throw new Error("replicationRolePolicy: sourceRegion and destinationRegion are required with KMS keys");
        }
    }
    if (args.sourceKmsKeyArn) {
        statements.push({
            Sid: "DecryptSourceObjects",
            Effect: "Allow",
            Action: SOURCE_KMS_ACTION,
            Resource: args.sourceKmsKeyArn,
            Condition: {
                StringEquals: { "kms:ViaService": `s3.${args.sourceRegion}.amazonaws.com` },
                StringLike: { "kms:EncryptionContext:aws:s3:arn": [args.sourceBucketArn, `${args.sourceBucketArn}/*`] },
            },
        });
    }
    if (args.replicaKmsKeyArn) {
        statements.push({
            Sid: "EncryptReplicas",
            Effect: "Allow",
            Action: REPLICA_KMS_ACTION,
            Resource: args.replicaKmsKeyArn,
            Condition: {
                StringEquals: { "kms:ViaService": `s3.${args.destinationRegion}.amazonaws.com` },
                StringLike: { "kms:EncryptionContext:aws:s3:arn": [args.destinationBucketArn, `${args.destinationBucketArn}/*`] },
            },
        });
    }
    return policyDocument(statements);
}

/** Inputs of {@link drBucketPolicyStatements} and {@link drBucketPolicy}. */
export interface DrBucketPolicyArgs {
    /** DR bucket ARN. */
    readonly drBucketArn: string;
    /** The replication role's ARN (source account). */
    readonly replicationRoleArn: string;
    /** The main account's id. */
    readonly sourceAccountId: string;
}

/**
 * The replication grants of the DR bucket policy: the replication role (and no other principal)
 * may replicate objects, delete markers and tags into the bucket; the source account may read and
 * set the bucket's versioning (S3 checks it when the replication configuration is put). A
 * cross-account request needs this resource policy AND the role's identity policy.
 */
export function drBucketPolicyStatements(args: DrBucketPolicyArgs): PolicyStatement[] {
    return [
        {
            Sid: "AllowReplicationRoleToReplicate",
            Effect: "Allow",
            Principal: { AWS: args.replicationRoleArn },
            Action: DESTINATION_OBJECT_ACTIONS,
            Resource: `${args.drBucketArn}/*`,
        },
        {
            Sid: "AllowSourceAccountVersioningCheck",
            Effect: "Allow",
            Principal: { AWS: accountRoot(args.sourceAccountId) },
            Action: DESTINATION_BUCKET_ACTIONS,
            Resource: args.drBucketArn,
        },
    ];
}

/**
 * The whole DR bucket policy: TLS-only (components/bucket/bucketPolicy.ts, Security Hub S3.5) plus
 * {@link drBucketPolicyStatements}. Managed mode declares it; external mode outputs it for the DR
 * bucket's owners to apply as it is.
 */
export function drBucketPolicy(args: DrBucketPolicyArgs): PolicyDocument {
    return policyDocument([...tlsOnlyStatements(args.drBucketArn), ...drBucketPolicyStatements(args)]);
}

/**
 * The statement the replica KMS key's policy (DR account) must contain so the replication role can
 * encrypt replicas with it (a cross-account key use needs the key policy AND the role's policy).
 * Used for the external-mode output; managed mode declares an equivalent KMS grant.
 */
export function replicaKeyPolicyStatement(args: { replicationRoleArn: string; destinationRegion: string; drBucketArn: string }): PolicyStatement {
    return {
        Sid: "AllowMicrobiomeBackupReplicationToEncryptReplicas",
        Effect: "Allow",
        Principal: { AWS: args.replicationRoleArn },
        Action: REPLICA_KMS_ACTION,
        Resource: "*",
        Condition: {
            StringEquals: { "kms:ViaService": `s3.${args.destinationRegion}.amazonaws.com` },
            StringLike: { "kms:EncryptionContext:aws:s3:arn": [args.drBucketArn, `${args.drBucketArn}/*`] },
        },
    };
}

/** Trust policy of the backfill role: only S3 Batch Operations, on behalf of the source account. */
export function batchReplicationTrustPolicy(sourceAccountId: string): PolicyDocument {
    return policyDocument([
        {
            Sid: "AllowS3BatchOperationsOfThisAccount",
            Effect: "Allow",
            Principal: { Service: BATCH_OPERATIONS_PRINCIPAL },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:SourceAccount": sourceAccountId } },
        },
    ]);
}

/**
 * Permissions of the backfill role (S3 User Guide "Configuring IAM policies for Batch
 * Replication", generated-manifest variant): initiate replication of source objects; read the
 * replication configuration and write the inventory configuration the manifest generator uses;
 * write and read the generated manifest and write the completion report under
 * {@link BACKFILL_REPORT_PREFIX} of the source bucket.
 */
export function batchReplicationRolePolicy(sourceBucketArn: string): PolicyDocument {
    const reports = `${sourceBucketArn}/${BACKFILL_REPORT_PREFIX}*`;
    return policyDocument([
        { Sid: "InitiateReplication", Effect: "Allow", Action: "s3:InitiateReplication", Resource: `${sourceBucketArn}/*` },
        {
            Sid: "GenerateManifest",
            Effect: "Allow",
            Action: ["s3:GetReplicationConfiguration", "s3:PutInventoryConfiguration"],
            Resource: sourceBucketArn,
        },
        { Sid: "ReadManifest", Effect: "Allow", Action: ["s3:GetObject", "s3:GetObjectVersion"], Resource: reports },
        { Sid: "WriteManifestAndReport", Effect: "Allow", Action: "s3:PutObject", Resource: reports },
    ]);
}

/**
 * Fixed name of the backfill role, `<project>-<stack>-replication-backfill` (cut to IAM's 64
 * characters), so the backfill script can derive its ARN from the stack's configuration.
 */
export function backfillRoleName(project: string, stack: string): string {
    return `${project}-${stack}-replication-backfill`.slice(0, 64);
}

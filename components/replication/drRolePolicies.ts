/**
 * The DR account's roles for this stack's second AWS provider (managed replication mode), as pure
 * functions of the DR bucket's ARN: the **deploy role** (`replication.managed.deployRoleArn`, used
 * by `pulumi up`) may make exactly the calls the AWS provider makes to create, read, update and
 * delete the DR bucket and its side resources; the **preview role**
 * (`replication.managed.previewRoleArn`, used by the prod pull-request preview) may make only the
 * read calls. Both are scoped to the DR bucket's ARN. The program outputs them
 * (`drDeployRolePolicyJson`, `drPreviewRolePolicyJson`) and `docs/iam/dr-deploy-role.json` / `docs/iam/dr-preview-role.json` are generated
 * from prod's output (`npm run iam:docs`), so the documented policy cannot drift from the program.
 *
 * Sources of the calls: the AWS provider that @pulumi/aws v7 bridges, hashicorp/terraform-provider-aws
 * `internal/service/s3/bucket.go` (`resourceBucketRead`: HeadBucket, then GetBucketPolicy,
 * GetBucketAcl, GetBucketCors, GetBucketWebsite, GetBucketVersioning,
 * GetBucketAccelerateConfiguration, GetBucketRequestPayment, GetBucketLogging,
 * GetBucketLifecycleConfiguration, GetBucketReplication, GetBucketEncryption,
 * GetObjectLockConfiguration, the bucket's Region (GetBucketLocation) and its tags
 * (GetBucketTagging); `resourceBucketCreate`: CreateBucket and the tags; `resourceBucketDelete`:
 * DeleteBucket) and the side resources' files beside it (`bucket_versioning.go`,
 * `bucket_server_side_encryption_configuration.go`, `bucket_public_access_block.go`,
 * `bucket_ownership_controls.go`, `bucket_policy.go`, `bucket_object_lock_configuration.go`,
 * `bucket_lifecycle_configuration.go`: Put/Get/Delete of each). The IAM action of each call: Service
 * Authorization Reference, "Actions defined by Amazon S3" (several API calls map to another action
 * name, e.g. GetBucketEncryption → s3:GetEncryptionConfiguration, DeleteBucketLifecycle →
 * s3:PutLifecycleConfiguration, HeadBucket → s3:ListBucket); S3 API Reference `CreateBucket`
 * (Object Lock at creation also needs s3:PutBucketObjectLockConfiguration and
 * s3:PutBucketVersioning). `sts:GetCallerIdentity`, which the provider calls to enforce
 * `allowedAccountIds`, needs no permission (STS API Reference).
 */
import { policyDocument, PolicyDocument, PolicyStatement } from "../common/policyDocument";

/** Read or write. */
export type CallKind = "read" | "write";

/** One API call the AWS provider makes for a DR resource, and the IAM action that authorizes it. */
export interface ProviderCall {
    /** @pulumi/aws v7 type token of the resource whose create/read/update/delete makes the call. */
    readonly resourceType: string;
    /** S3 (or KMS) API operation. */
    readonly operation: string;
    /** IAM action that authorizes the operation. */
    readonly action: string;
    /** `read` (allowed to the preview role) or `write` (deploy role only). */
    readonly kind: CallKind;
    /** Where the provider makes it: create, read, update, delete. */
    readonly phase: string;
}

const BUCKET = "aws:s3/bucket:Bucket";
const call = (resourceType: string, operation: string, action: string, kind: CallKind, phase: string): ProviderCall => ({ resourceType, operation, action, kind, phase });

/**
 * Every call the AWS provider makes for the DR bucket and its side resources (the resources
 * `BackupBucket` declares through the DR provider), on the bucket ARN.
 */
export const DR_BUCKET_CALLS: readonly ProviderCall[] = [
    // aws.s3.Bucket — resourceBucketCreate / resourceBucketRead / resourceBucketUpdate / resourceBucketDelete
    call(BUCKET, "CreateBucket", "s3:CreateBucket", "write", "create"),
    call(BUCKET, "CreateBucket (ObjectLockEnabledForBucket)", "s3:PutBucketObjectLockConfiguration", "write", "create"),
    call(BUCKET, "CreateBucket (ObjectLockEnabledForBucket)", "s3:PutBucketVersioning", "write", "create"),
    call(BUCKET, "PutBucketTagging / DeleteBucketTagging", "s3:PutBucketTagging", "write", "create, update"),
    call(BUCKET, "HeadBucket", "s3:ListBucket", "read", "read"),
    call(BUCKET, "GetBucketPolicy", "s3:GetBucketPolicy", "read", "read"),
    call(BUCKET, "GetBucketAcl", "s3:GetBucketAcl", "read", "read"),
    call(BUCKET, "GetBucketCors", "s3:GetBucketCORS", "read", "read"),
    call(BUCKET, "GetBucketWebsite", "s3:GetBucketWebsite", "read", "read"),
    call(BUCKET, "GetBucketVersioning", "s3:GetBucketVersioning", "read", "read"),
    call(BUCKET, "GetBucketAccelerateConfiguration", "s3:GetAccelerateConfiguration", "read", "read"),
    call(BUCKET, "GetBucketRequestPayment", "s3:GetBucketRequestPayment", "read", "read"),
    call(BUCKET, "GetBucketLogging", "s3:GetBucketLogging", "read", "read"),
    call(BUCKET, "GetBucketLifecycleConfiguration", "s3:GetLifecycleConfiguration", "read", "read"),
    call(BUCKET, "GetBucketReplication", "s3:GetReplicationConfiguration", "read", "read"),
    call(BUCKET, "GetBucketEncryption", "s3:GetEncryptionConfiguration", "read", "read"),
    call(BUCKET, "GetObjectLockConfiguration", "s3:GetBucketObjectLockConfiguration", "read", "read"),
    call(BUCKET, "GetBucketLocation", "s3:GetBucketLocation", "read", "read"),
    call(BUCKET, "GetBucketTagging", "s3:GetBucketTagging", "read", "read"),
    call(BUCKET, "DeleteBucket", "s3:DeleteBucket", "write", "delete"),
    // aws.s3.BucketVersioning
    call("aws:s3/bucketVersioning:BucketVersioning", "PutBucketVersioning", "s3:PutBucketVersioning", "write", "create, update, delete"),
    call("aws:s3/bucketVersioning:BucketVersioning", "GetBucketVersioning", "s3:GetBucketVersioning", "read", "read"),
    // aws.s3.BucketServerSideEncryptionConfiguration
    call("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "PutBucketEncryption / DeleteBucketEncryption", "s3:PutEncryptionConfiguration", "write", "create, update, delete"),
    call("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "GetBucketEncryption", "s3:GetEncryptionConfiguration", "read", "read"),
    // aws.s3.BucketPublicAccessBlock
    call("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "PutPublicAccessBlock / DeletePublicAccessBlock", "s3:PutBucketPublicAccessBlock", "write", "create, update, delete"),
    call("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "GetPublicAccessBlock", "s3:GetBucketPublicAccessBlock", "read", "read"),
    // aws.s3.BucketOwnershipControls
    call("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "PutBucketOwnershipControls / DeleteBucketOwnershipControls", "s3:PutBucketOwnershipControls", "write", "create, update, delete"),
    call("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "GetBucketOwnershipControls", "s3:GetBucketOwnershipControls", "read", "read"),
    // aws.s3.BucketPolicy
    call("aws:s3/bucketPolicy:BucketPolicy", "PutBucketPolicy", "s3:PutBucketPolicy", "write", "create, update"),
    call("aws:s3/bucketPolicy:BucketPolicy", "DeleteBucketPolicy", "s3:DeleteBucketPolicy", "write", "delete"),
    call("aws:s3/bucketPolicy:BucketPolicy", "GetBucketPolicy", "s3:GetBucketPolicy", "read", "read"),
    // aws.s3.BucketObjectLockConfiguration
    call("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration", "PutObjectLockConfiguration", "s3:PutBucketObjectLockConfiguration", "write", "create, update, delete"),
    call("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration", "GetObjectLockConfiguration", "s3:GetBucketObjectLockConfiguration", "read", "read"),
    // aws.s3.BucketLifecycleConfiguration
    call("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "PutBucketLifecycleConfiguration / DeleteBucketLifecycle", "s3:PutLifecycleConfiguration", "write", "create, update, delete"),
    call("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "GetBucketLifecycleConfiguration", "s3:GetLifecycleConfiguration", "read", "read"),
];

/**
 * The calls for the replica key's grant (managed mode with SSE-KMS): hashicorp/terraform-provider-aws
 * `internal/service/kms/grant.go` (CreateGrant; ListGrants to read; RevokeGrant on delete, since
 * `retireOnDelete` is not set).
 */
export const REPLICA_KEY_GRANT_CALLS: readonly ProviderCall[] = [
    call("aws:kms/grant:Grant", "CreateGrant", "kms:CreateGrant", "write", "create"),
    call("aws:kms/grant:Grant", "ListGrants", "kms:ListGrants", "read", "read"),
    call("aws:kms/grant:Grant", "RevokeGrant", "kms:RevokeGrant", "write", "delete"),
];

/** The distinct IAM actions of some calls, sorted. */
export function actionsOf(calls: readonly ProviderCall[], kinds: readonly CallKind[] = ["read", "write"]): string[] {
    return [...new Set(calls.filter((c) => kinds.includes(c.kind)).map((c) => c.action))].sort();
}

/** Inputs of {@link drDeployRolePolicy} and {@link drPreviewRolePolicy}. */
export interface DrRolePolicyArgs {
    /** DR bucket ARN, `arn:aws:s3:::<name>`. */
    readonly drBucketArn: string;
    /** Replica KMS key ARN in the DR account (managed mode with SSE-KMS); none for SSE-S3. */
    readonly replicaKmsKeyArn?: string;
}

/**
 * Permissions of the DR deploy role: every call of {@link DR_BUCKET_CALLS} on the DR bucket's ARN
 * (and, with a replica key, {@link REPLICA_KEY_GRANT_CALLS} on that key). Nothing on objects,
 * nothing on other buckets. Its trust policy (written by the DR account's administrators) names
 * the principal that runs `pulumi up` for prod.
 */
export function drDeployRolePolicy(args: DrRolePolicyArgs): PolicyDocument {
    const statements: PolicyStatement[] = [{ Sid: "ManageTheDrBucket", Effect: "Allow", Action: actionsOf(DR_BUCKET_CALLS), Resource: args.drBucketArn }];
    if (args.replicaKmsKeyArn) {
        statements.push({ Sid: "GrantTheReplicaKey", Effect: "Allow", Action: actionsOf(REPLICA_KEY_GRANT_CALLS), Resource: args.replicaKmsKeyArn });
    }
    return policyDocument(statements);
}

/**
 * Permissions of the DR preview role: only the read calls of {@link DR_BUCKET_CALLS} (and
 * `kms:ListGrants` with a replica key), so `pulumi preview` (also with `--refresh`) can configure
 * the DR provider and read the DR bucket, and cannot change anything. Its trust policy names the
 * principal of the pull-request preview of prod.
 */
export function drPreviewRolePolicy(args: DrRolePolicyArgs): PolicyDocument {
    const statements: PolicyStatement[] = [{ Sid: "ReadTheDrBucket", Effect: "Allow", Action: actionsOf(DR_BUCKET_CALLS, ["read"]), Resource: args.drBucketArn }];
    if (args.replicaKmsKeyArn) {
        statements.push({ Sid: "ReadTheReplicaKeyGrants", Effect: "Allow", Action: actionsOf(REPLICA_KEY_GRANT_CALLS, ["read"]), Resource: args.replicaKmsKeyArn });
    }
    return policyDocument(statements);
}

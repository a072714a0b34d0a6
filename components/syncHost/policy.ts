/**
 * IAM policy documents of the sync host's instance role, built by pure functions.
 *
 * Sources: S3 User Guide "Actions used by aws s3 sync" / "using-with-s3-policy-actions"
 * (`s3:ListBucket`, `s3:GetBucketLocation` on the bucket, `s3:GetObject` on objects); Secrets Manager
 * User Guide "auth-and-access_examples" (`secretsmanager:GetSecretValue` on the secret ARN);
 * CloudWatch agent "create-iam-roles-for-cloudwatch-agent" (`logs:CreateLogStream`,
 * `logs:PutLogEvents`, `logs:DescribeLogStreams`), scoped here to one log group instead of the
 * broad CloudWatchAgentServerPolicy; CloudWatch User Guide "Using condition keys to limit access to
 * CloudWatch namespaces" (`cloudwatch:PutMetricData` has no resource type, so Resource "*" with a
 * `cloudwatch:namespace` StringEquals condition). The SSM agent's permissions come from the AWS managed policy
 * `AmazonSSMManagedInstanceCore`, attached separately.
 */
import { bucketKeyThroughS3, policyDocument, PolicyDocument, PolicyStatement } from "../common/policyDocument";

/** What the instance role may touch. */
export interface SyncHostPolicyInput {
    /** ARN of the backup bucket (`arn:aws:s3:::<name>`): listed and read to verify exports. */
    readonly backupBucketArn: string;
    /** Key prefix the host writes its run reports under (`_sync-reports/<stack>/`); the only keys it may write. Omitted = no write. */
    readonly reportsPrefix?: string;
    /** CloudWatch namespace the host publishes its metrics in; omitted = no PutMetricData. */
    readonly metricNamespace?: string;
    /** Secrets Manager ARNs of the sftp sources' private keys (exactly these, nothing else). */
    readonly secretArns: readonly string[];
    /** Source buckets of s3 sources, with the prefix read (`""` = whole bucket). */
    readonly sourceBuckets: readonly { readonly bucket: string; readonly prefix: string }[];
    /** ARN of the CloudWatch Logs log group (`arn:aws:logs:<region>:<account>:log-group:<name>`); omitted = no logs permissions. */
    readonly logGroupArn?: string;
    /** ARN partition, default `aws`. */
    readonly partition?: string;
    /**
     * The backup bucket's SSE-KMS key and Region: the report uploads need the key through S3
     * (`bucketKeyThroughS3`). Omitted for an SSE-S3 bucket.
     */
    readonly backupBucketKey?: { readonly kmsKeyArn: string; readonly region: string };
}

/** Trust policy of the instance role: only EC2 may assume it. */
export function ec2AssumeRolePolicy(): PolicyDocument {
    return policyDocument([{ Sid: "Ec2AssumeRole", Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }]);
}

/** Removes duplicates, keeping the first occurrence. */
function unique<T>(values: readonly T[]): T[] {
    return [...new Set(values)];
}

/**
 * The instance role's inline policy: read and list the backup bucket (verification), write its run
 * reports under `reportsPrefix` only, publish metrics in its one namespace, read the s3 sources,
 * read exactly the configured secrets, and (when logs are enabled) write to one log group. The data
 * itself reaches the bucket only through FSx's export; the host never writes or deletes it there.
 *
 * @returns a policy document; statements without resources are left out.
 */
export function syncHostPolicyDocument(input: SyncHostPolicyInput): PolicyDocument {
    const partition = input.partition ?? "aws";
    const statements: PolicyStatement[] = [
        {
            Sid: "VerifyBackupBucketList",
            Effect: "Allow",
            Action: ["s3:ListBucket", "s3:GetBucketLocation"],
            Resource: input.backupBucketArn,
        },
        {
            Sid: "VerifyBackupBucketRead",
            Effect: "Allow",
            Action: ["s3:GetObject", "s3:GetObjectAttributes"],
            Resource: `${input.backupBucketArn}/*`,
        },
    ];
    if (input.reportsPrefix) {
        statements.push({ Sid: "WriteSyncReports", Effect: "Allow", Action: "s3:PutObject", Resource: `${input.backupBucketArn}/${input.reportsPrefix}*` });
        if (input.backupBucketKey) {
            statements.push(bucketKeyThroughS3("BackupBucketKeyThroughS3", input.backupBucketKey.kmsKeyArn, input.backupBucketKey.region));
        }
    }
    if (input.metricNamespace) {
        statements.push({
            Sid: "PublishSyncMetrics",
            Effect: "Allow",
            Action: "cloudwatch:PutMetricData",
            Resource: "*",
            Condition: { StringEquals: { "cloudwatch:namespace": input.metricNamespace } },
        });
    }
    if (input.sourceBuckets.length > 0) {
        statements.push(
            {
                Sid: "ReadSourceBucketsList",
                Effect: "Allow",
                Action: ["s3:ListBucket", "s3:GetBucketLocation"],
                Resource: unique(input.sourceBuckets.map((b) => `arn:${partition}:s3:::${b.bucket}`)),
            },
            {
                Sid: "ReadSourceBucketsObjects",
                Effect: "Allow",
                Action: "s3:GetObject",
                Resource: unique(input.sourceBuckets.map((b) => `arn:${partition}:s3:::${b.bucket}/${b.prefix}*`)),
            },
        );
    }
    if (input.secretArns.length > 0) {
        statements.push({
            Sid: "ReadSftpPrivateKeys",
            Effect: "Allow",
            Action: "secretsmanager:GetSecretValue",
            Resource: unique(input.secretArns),
        });
    }
    if (input.logGroupArn) {
        statements.push({
            Sid: "WriteSyncLogs",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
            Resource: [input.logGroupArn, `${input.logGroupArn}:log-stream:*`],
        });
    }
    return policyDocument(statements);
}

import * as assert from "node:assert/strict";
import type { PolicyStatement } from "../../components/common/policyDocument";
import { ec2AssumeRolePolicy, syncHostPolicyDocument } from "../../components/syncHost/policy";
import { previewVariantDocument, resourceNamed } from "../helpers/preview";

const BUCKET = "arn:aws:s3:::3bigsmicrobiome";
const SECRET = "arn:aws:secretsmanager:us-east-1:111111111111:secret:lab-key-AbCdEf";

function bySid(statements: PolicyStatement[]): Record<string, PolicyStatement> {
    return Object.fromEntries(statements.map((s) => [s.Sid ?? "", s]));
}

function actions(s: PolicyStatement): string[] {
    return ([] as string[]).concat(s.Action ?? []);
}

describe("syncHostPolicy", () => {
    it("trusts only EC2", () => {
        assert.deepEqual(ec2AssumeRolePolicy().Statement, [{ Sid: "Ec2AssumeRole", Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }]);
    });

    it("writes only its run reports under the reports prefix, and publishes metrics only in its namespace", () => {
        const s = bySid(syncHostPolicyDocument({ backupBucketArn: BUCKET, reportsPrefix: "_sync-reports/prod/", metricNamespace: "MicrobiomeBackup/SyncHost", secretArns: [], sourceBuckets: [] }).Statement);
        assert.deepEqual(s.WriteSyncReports, { Sid: "WriteSyncReports", Effect: "Allow", Action: "s3:PutObject", Resource: `${BUCKET}/_sync-reports/prod/*` });
        // PutMetricData has no resource type: Resource "*", confined by the cloudwatch:namespace condition key
        // (CloudWatch User Guide, "Using condition keys to limit access to CloudWatch namespaces").
        assert.deepEqual(s.PublishSyncMetrics, {
            Sid: "PublishSyncMetrics",
            Effect: "Allow",
            Action: "cloudwatch:PutMetricData",
            Resource: "*",
            Condition: { StringEquals: { "cloudwatch:namespace": "MicrobiomeBackup/SyncHost" } },
        });
    });

    it("an SSE-KMS backup bucket: the report uploads may use its key, only through S3 in its Region; an SSE-S3 bucket: no KMS at all", () => {
        const key = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        const base = { backupBucketArn: BUCKET, reportsPrefix: "_sync-reports/prod/", secretArns: [], sourceBuckets: [] };
        const s = bySid(syncHostPolicyDocument({ ...base, backupBucketKey: { kmsKeyArn: key, region: "us-east-1" } }).Statement);
        assert.deepEqual(s.BackupBucketKeyThroughS3, {
            Sid: "BackupBucketKeyThroughS3",
            Effect: "Allow",
            Action: ["kms:GenerateDataKey", "kms:Decrypt"],
            Resource: key,
            Condition: { StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } },
        });
        assert.ok(syncHostPolicyDocument(base).Statement.every((st) => !actions(st).some((a) => a.startsWith("kms:"))));
    });

    it("program: the prod sync host on an SSE-KMS bucket gets its key for the reports", () => {
        const key = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        const doc = previewVariantDocument("prod", (c) => {
            (c["microbiome-backup:bucket"] as Record<string, unknown>).encryption = { sseAlgorithm: "aws:kms", kmsKeyArn: key };
            const r = c["microbiome-backup:replication"] as { destination: Record<string, unknown> };
            r.destination.replicaKmsKeyId = "arn:aws:kms:us-west-2:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        });
        const policy = JSON.parse(resourceNamed(doc, "aws:iam/rolePolicy:RolePolicy", "sync-host-policy").inputs.policy as string) as { Statement: PolicyStatement[] };
        const kms = bySid(policy.Statement).BackupBucketKeyThroughS3;
        assert.equal(kms?.Resource, key);
        assert.deepEqual(doc.policies.violations, []);
    });

    it("lists and reads the backup bucket, and writes to no bucket without a reports prefix", () => {
        const doc = syncHostPolicyDocument({ backupBucketArn: BUCKET, secretArns: [], sourceBuckets: [] });
        const s = bySid(doc.Statement);
        assert.deepEqual(Object.keys(s), ["VerifyBackupBucketList", "VerifyBackupBucketRead"]);
        assert.deepEqual(s.VerifyBackupBucketList.Resource, BUCKET);
        assert.deepEqual(s.VerifyBackupBucketRead.Resource, `${BUCKET}/*`);
        const all = doc.Statement.flatMap(actions);
        assert.ok(all.every((a) => !/^s3:(Put|Delete|Replicate|Restore)/.test(a) && !a.includes("*")), all.join(", "));
        assert.ok(doc.Statement.every((st) => st.Effect === "Allow" && st.Resource !== "*"));
    });

    it("reads exactly the configured secrets and source prefixes", () => {
        const doc = syncHostPolicyDocument({
            backupBucketArn: BUCKET,
            secretArns: [SECRET, SECRET],
            sourceBuckets: [{ bucket: "partner-runs", prefix: "exports/" }, { bucket: "partner-runs", prefix: "more/" }, { bucket: "other", prefix: "" }],
        });
        const s = bySid(doc.Statement);
        assert.deepEqual(s.ReadSftpPrivateKeys.Action, "secretsmanager:GetSecretValue");
        assert.deepEqual(s.ReadSftpPrivateKeys.Resource, [SECRET]);
        assert.deepEqual(s.ReadSourceBucketsList.Resource, ["arn:aws:s3:::partner-runs", "arn:aws:s3:::other"]);
        assert.deepEqual(s.ReadSourceBucketsObjects.Resource, ["arn:aws:s3:::partner-runs/exports/*", "arn:aws:s3:::partner-runs/more/*", "arn:aws:s3:::other/*"]);
        assert.equal(s.WriteSyncLogs, undefined, "no CloudWatch Logs permission unless logs are enabled");
    });

    it("writes to its one log group only when logs are enabled", () => {
        const group = "arn:aws:logs:us-east-1:111111111111:log-group:/microbiome-backup/prod/sync-host";
        const s = bySid(syncHostPolicyDocument({ backupBucketArn: BUCKET, secretArns: [], sourceBuckets: [], logGroupArn: group }).Statement);
        assert.deepEqual(actions(s.WriteSyncLogs), ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]);
        assert.deepEqual(s.WriteSyncLogs.Resource, [group, `${group}:log-stream:*`]);
    });
});

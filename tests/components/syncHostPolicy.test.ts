import * as assert from "node:assert/strict";
import type { PolicyStatement } from "../../components/common/policyDocument";
import { ec2AssumeRolePolicy, syncHostPolicyDocument } from "../../components/syncHost/policy";

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

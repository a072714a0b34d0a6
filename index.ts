/**
 * microbiome-backup — wiring only: load the validated stack configuration, declare the components,
 * export what operators need. Every setting is interpreted in `config/`; every resource lives in a
 * component under `components/`.
 */
import * as pulumi from "@pulumi/pulumi";
import { BackupBucket } from "./components/backupBucket";
import { CrossAccountReplication } from "./components/crossAccountReplication";
import { backfillRoleName } from "./components/replicationPolicies";
import { parseBucketReference } from "./components/replicationRules";
import { isReplicationEnabled } from "./config/replication";
import { formatProblem } from "./config/problems";
import { loadStackConfig } from "./config";

export = () => {
    const { config, warnings } = loadStackConfig();
    for (const warning of warnings) {
        void pulumi.log.warn(formatProblem(warning));
    }

    const backup = new BackupBucket("backup", {
        bucketName: config.bucket.name,
        adoptExisting: config.bucket.adoptExisting,
        forceDestroy: config.bucket.forceDestroy,
        protect: config.protect,
        encryption: config.bucket.encryption,
        lifecycle: config.bucket.lifecycle,
    });

    const r = config.replication;
    let replication: CrossAccountReplication | undefined;
    if (isReplicationEnabled(r)) {
        // parseBucketReference cannot fail here: config/replication.ts validated the reference.
        const drBucket = parseBucketReference(r.destination.bucket)!;
        const awsDefaultTags = new pulumi.Config("aws").getObject<{ tags?: Record<string, string> }>("defaultTags")?.tags;
        replication = new CrossAccountReplication("replication", {
            source: backup,
            sourceAccountId: r.sourceAccountId,
            sourceRegion: config.region,
            sourceKmsKeyArn: config.bucket.encryption.sseAlgorithm === "aws:kms" ? config.bucket.encryption.kmsKeyArn : undefined,
            mode: r.mode,
            destination: {
                account: r.destination.account,
                bucketName: drBucket.name,
                bucketArn: drBucket.arn,
                region: r.destination.region,
                storageClass: r.destination.storageClass,
                replicaKmsKeyArn: r.destination.replicaKmsKeyId,
            },
            rule: {
                id: r.ruleId,
                priority: r.priority,
                prefix: r.prefix,
                deleteMarkerReplication: r.deleteMarkerReplication,
                replicationTime: r.replicationTime,
            },
            alarm: r.alarm,
            managed: r.managed
                ? {
                      deployRoleArn: r.managed.deployRoleArn,
                      lifecycle: r.managed.lifecycle,
                      objectLock: r.managed.objectLock ? { mode: "GOVERNANCE", days: r.managed.objectLock.days } : undefined,
                  }
                : undefined,
            destinationReady: r.external?.destinationReady ?? false,
            protect: config.protect,
            drDefaultTags: awsDefaultTags,
            backfillRoleName: backfillRoleName(config.project, config.stack),
        });
    }

    return {
        bucketName: backup.bucketName,
        bucketArn: backup.bucketArn,
        bucketRegion: backup.bucketRegion,
        lifecycleTiers: backup.tierSummary,
        ...(replication
            ? {
                  replication: {
                      mode: r.mode,
                      destinationBucketArn: parseBucketReference(r.destination?.bucket ?? "")?.arn,
                      replicationRoleArn: replication.roleArn,
                      replicationActive: replication.replicationConfig !== undefined,
                      alarmTopicArn: replication.alarmTopic.arn,
                      backfillRoleArn: replication.backfillRole.arn,
                  },
                  drBucketPolicyJson: replication.drBucketPolicyJson,
                  ...(replication.replicaKeyPolicyStatementJson ? { replicaKeyPolicyStatementJson: replication.replicaKeyPolicyStatementJson } : {}),
              }
            : {}),
    };
};

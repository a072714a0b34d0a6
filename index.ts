/**
 * microbiome-backup — wiring only: load the validated stack configuration, declare the components,
 * export what operators need. Every setting is interpreted in `config/`; every resource lives in a
 * component under `components/`.
 */
import "./config/requireNode"; // first: refuses Node < 22 before anything else loads
import * as pulumi from "@pulumi/pulumi";
import { BackupBucket } from "./components/bucket/backupBucket";
import { LustreFileSystem } from "./components/fsx/lustreFileSystem";
import { Network } from "./components/fsx/network";
import { resolveNetworkPlan } from "./components/fsx/networkPlan";
import { SyncHost } from "./components/syncHost/syncHost";
import { resolveSyncPaths } from "./config/syncPaths";
import { syncRunOptions } from "./config/syncHost";
import { buildDataFlowReport } from "./config/dataFlow";
import { heartbeatHours, syncHostMetricStack } from "./components/monitoring/alarmRules";
import { Alerts, SyncHostAlarms } from "./components/monitoring/alerts";
import { alertEmails } from "./config/alerts";
import { currentReplacementFacts, draSlug, FSX_COMPONENT_NAME, resolvedDataRepositoryPath } from "./config/fsx";
import { BucketAccess } from "./components/access/bucketAccess";
import { resolveAccessNames } from "./config/access";
import { CrossAccountReplication } from "./components/replication/crossAccountReplication";
import { backfillRoleName } from "./components/replication/policies";
import { parseBucketReference } from "./components/replication/rules";
import { archiveHold, DR_ROLE_ENV, isReplicationEnabled, selectDrProviderRole } from "./config/replication";
import { ConfigError } from "./config/configError";
import { formatProblem } from "./components/common/problems";
import { loadStackConfig } from "./config";
import { markSecretOutputs } from "./config/secrets";

export = () => {
    const { config, warnings, secretValues } = loadStackConfig();
    const accessNames = resolveAccessNames(config);
    for (const warning of warnings) {
        void pulumi.log.warn(formatProblem(warning));
    }
    // The DR provider's role (managed replication): the deploy role, or the read-only preview role
    // in the prod pull-request preview. Checked before anything is declared.
    const drManaged = isReplicationEnabled(config.replication) ? config.replication.managed : undefined;
    const drRole = drManaged ? selectDrProviderRole(drManaged, process.env[DR_ROLE_ENV], pulumi.runtime.isDryRun()) : undefined;
    if (drRole && drRole.problems.length > 0) {
        throw new ConfigError(drRole.problems);
    }

    const hold = archiveHold(config);
    const backup = new BackupBucket("backup", {
        bucketName: config.bucket.name,
        adoptExisting: config.bucket.adoptExisting,
        forceDestroy: config.bucket.forceDestroy,
        protect: config.protect,
        encryption: config.bucket.encryption,
        lifecycle: config.bucket.lifecycle,
        tags: config.bucket.tags,
        // GLACIER/DEEP_ARCHIVE transitions wait for the replication backfill (config/replication.ts).
        archiveHold: hold.held ? { reason: hold.reason ?? "archive transitions held" } : undefined,
    });

    const access = new BucketAccess("access", {
        bucketArn: backup.bucketArn,
        region: config.region,
        names: accessNames,
        accessKeys: config.access.machineUser.accessKeys,
        keyPrefixes: config.access.keyPrefixes,
        consoleBucketList: config.access.consoleBucketList,
        encryption: config.bucket.encryption,
    });

    // The stack's alert topic (every alarm notifies it): declared when something alarms. It took
    // over the replication component's topic and subscriptions (aliases keep them).
    const emails = alertEmails(config);
    const alerts =
        emails.length > 0
            ? new Alerts("alerts", {
                  emails,
                  previousOwner: { parentUrn: pulumi.createUrn("replication", "microbiome-backup:replication:CrossAccountReplication"), name: "replication" },
              })
            : undefined;

    // File system layer: network + FSx for Lustre linked to the bucket. fsx.enabled: false removes
    // it (see docs/fsx.md) without touching the bucket.
    let fsxOutputs: Record<string, unknown> = { fsxEnabled: false };
    if (config.fsx.enabled) {
        const f = config.fsx;
        const network = new Network("network", { plan: resolveNetworkPlan(config.network, config.region), region: config.region });
        const fsx = new LustreFileSystem(FSX_COMPONENT_NAME, {
            vpcId: network.vpcId,
            subnetId: network.subnetId,
            storageCapacity: f.storageCapacity,
            perUnitStorageThroughput: f.perUnitStorageThroughput,
            fileSystemTypeVersion: f.fileSystemTypeVersion,
            metadataConfiguration: f.metadataConfiguration,
            dataCompressionType: f.dataCompressionType,
            logLevel: f.logConfiguration.level,
            logGroupName: `/aws/fsx/${config.project}-${config.stack}`,
            logRetentionInDays: f.logRetentionInDays,
            weeklyMaintenanceStartTime: f.weeklyMaintenanceStartTime,
            rootSquashConfiguration: f.rootSquashConfiguration,
            kmsKeyId: f.kmsKeyId,
            automaticBackupRetentionDays: f.automaticBackupRetentionDays,
            additionalSecurityGroupIds: f.additionalSecurityGroupIds,
            protect: config.protect,
            decommission: f.decommission,
            dataRepositoryAssociations: f.dataRepositoryAssociations.map((d) => ({
                fileSystemPath: d.fileSystemPath,
                // s3://<backup bucket>/<prefix>/ from the bucket's name output (auto-import needs the
                // bucket in the file system's Region: both use the default provider, config.region).
                dataRepositoryPath: backup.bucketName.apply((bucket) => resolvedDataRepositoryPath(d, bucket)),
                resourceSuffix: draSlug(d.fileSystemPath),
                autoImportEvents: d.s3.autoImportPolicy.events,
                autoExportEvents: d.s3.autoExportPolicy.events,
                importedFileChunkSize: d.importedFileChunkSize,
                batchImportMetaDataOnCreate: d.batchImportMetaDataOnCreate,
            })),
        });
        // Sync host: in the file system's subnet, mounts it and pulls remote sources onto it.
        // (config refuses syncHost.enabled without fsx.enabled.)
        const syncHost = config.syncHost.enabled
            ? new SyncHost("sync-host", {
                  vpcId: network.vpcId,
                  subnetId: network.subnetId,
                  clientSecurityGroupId: fsx.clientSecurityGroupId,
                  fileSystemDnsName: fsx.dnsName,
                  mountName: fsx.mountName,
                  bucketName: backup.bucketName,
                  bucketArn: backup.bucketArn,
                  settings: config.syncHost,
                  // Each source's staging and exported directories, from the association covering its destination.
                  sources: resolveSyncPaths(config),
                  run: syncRunOptions(config.syncHost),
              })
            : undefined;
        // Alarms on the host's metrics (config requires an alert address with the sync host).
        if (syncHost && alerts) {
            new SyncHostAlarms("sync-host-alarms", {
                topicArn: alerts.topicArn,
                stackDimension: syncHostMetricStack(config.project, config.stack),
                // config refuses a schedule without a fixed interval unless alarms.heartbeatHours is set.
                heartbeatHours: heartbeatHours(config.syncHost)!,
                freeCapacityPercent: config.syncHost.alarms.freeCapacityPercent,
                unexportedAgeHours: config.syncHost.alarms.unexportedAgeHours,
            });
        }
        fsxOutputs = {
            fsxEnabled: true,
            vpcId: network.vpcId,
            subnetId: network.subnetId,
            fsxFileSystemId: fsx.fileSystemId,
            fsxDnsName: fsx.dnsName,
            fsxMountName: fsx.mountName,
            fsxMountCommand: fsx.mountCommand,
            fsxFstabLine: fsx.fstabLine,
            fsxClientSecurityGroupId: fsx.clientSecurityGroupId,
            fsxReplacementGuard: currentReplacementFacts(config),
            ...(syncHost ? { syncHostInstanceId: syncHost.instanceId, syncHostSessionCommand: syncHost.sessionCommand } : {}),
        };
    }

    const r = config.replication;
    let replication: CrossAccountReplication | undefined;
    if (isReplicationEnabled(r)) {
        // parseBucketReference cannot fail here: config/replication.ts validated the reference.
        const drBucket = parseBucketReference(r.destination.bucket)!;

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
            alarm: { periodSeconds: r.alarm.periodSeconds },
            // config requires replication.alarm.emails when enabled, so the topic exists.
            alarmTopicArn: alerts!.topicArn,
            managed: r.managed
                ? {
                      deployRoleArn: r.managed.deployRoleArn,
                      providerRole: drRole?.role,
                      lifecycle: r.managed.lifecycle,
                      objectLock: r.managed.objectLock ? { mode: "GOVERNANCE", days: r.managed.objectLock.days } : undefined,
                  }
                : undefined,
            destinationReady: r.external?.destinationReady ?? false,
            protect: config.protect,
            drDefaultTags: config.defaultTags,
            backfillRoleName: backfillRoleName(config.project, config.stack),
        });
    }

    // Outputs holding a secret config value are secret (README "The offline preview": [secret]).
    return markSecretOutputs({
        bucketName: backup.bucketName,
        bucketArn: backup.bucketArn,
        bucketRegion: backup.bucketRegion,
        lifecycleTiers: backup.tierSummary,
        access: access.summary,
        ...fsxOutputs,
        ...(alerts ? { alertTopicArn: alerts.topicArn } : {}),
        // Where each source's files and the bucket's existing data go (npm run dataflow prints the detail).
        dataFlow: { paths: buildDataFlowReport(config, { holdArchive: hold.held }).paths },
        ...(replication
            ? {
                  replication: {
                      mode: r.mode,
                      destinationBucketArn: parseBucketReference(r.destination?.bucket ?? "")?.arn,
                      replicationRoleArn: replication.roleArn,
                      replicationActive: replication.replicationConfig !== undefined,
                      alarmTopicArn: replication.alarmTopicArn,
                      backfillRoleArn: replication.backfillRole.arn,
                  },
                  drBucketPolicyJson: replication.drBucketPolicyJson,
                  ...(replication.replicaKeyPolicyStatementJson ? { replicaKeyPolicyStatementJson: replication.replicaKeyPolicyStatementJson } : {}),
                  ...(replication.drDeployRolePolicyJson
                      ? { drDeployRolePolicyJson: replication.drDeployRolePolicyJson, drPreviewRolePolicyJson: replication.drPreviewRolePolicyJson }
                      : {}),
              }
            : {}),
    }, secretValues);
};

/**
 * microbiome-backup — the system in one page. The stack configuration is loaded and validated as a
 * whole (`config/`) before anything is declared; then each concern (`components/<concern>/`) is
 * built from its validated section with `fromConfig`, in the order the data flows:
 *
 *   SFTP / remote sources → sync host → FSx for Lustre (/fsx) → association → backup bucket
 *     → lifecycle tiers (by default 90 and 180 days) → replication → DR bucket (another account)
 *   lab PCs and staff ↔ backup bucket (IAM users confined to that bucket)
 *
 * The component names ("backup", "access", …) are part of every resource's URN: renaming one
 * replaces what it holds (tests/urnPins.test.ts pins them).
 */
import "./config/requireNode"; // first: refuses Node < 22 before anything else loads
import * as pulumi from "@pulumi/pulumi";
import { loadStackConfig } from "./config";
import { resolveAccessNames } from "./config/access";
import { alertEmails } from "./config/alerts";
import { buildDataFlowReport } from "./config/dataFlow";
import { currentReplacementFacts, FSX_COMPONENT_NAME } from "./config/fsx";
import { archiveHold, DR_ROLE_ENV, drProviderRole, isReplicationEnabled } from "./config/replication";
import { markSecretOutputs } from "./config/secrets";
import { resolveSyncPaths } from "./config/syncPaths";
import { formatProblem } from "./components/common/problems";
import { BackupBucket } from "./components/bucket/backupBucket";
import { BucketAccess } from "./components/access/bucketAccess";
import { Alerts, SyncHostAlarms } from "./components/monitoring/alerts";
import { Network } from "./components/fsx/network";
import { LustreFileSystem } from "./components/fsx/lustreFileSystem";
import { SyncHost } from "./components/syncHost/syncHost";
import { CrossAccountReplication } from "./components/replication/crossAccountReplication";

export = () => {
    // Everything that can refuse the stack does so here, before the first resource: the whole
    // configuration, the IAM names derived from the stack's name, the DR provider's role.
    const { config, warnings, secretValues } = loadStackConfig();
    const accessNames = resolveAccessNames(config);
    for (const warning of warnings) {
        void pulumi.log.warn(formatProblem(warning));
    }
    const drRole = drProviderRole(config.replication, process.env[DR_ROLE_ENV], pulumi.runtime.isDryRun());

    // The backup bucket: versioned, encrypted, never public, TLS-only, tiered. An adopted bucket's
    // archive tiers wait until its existing objects are replicated (the backfill record).
    const hold = archiveHold(config);
    const backup = BackupBucket.fromConfig("backup", config.bucket, config, hold);

    // Lab machines and staff: list, upload, download, delete and restore in that bucket only.
    const access = BucketAccess.fromConfig("access", config.access, config, { bucket: backup, encryption: config.bucket.encryption, names: accessNames });

    // One alert topic for every alarm of the stack; none when nothing alarms.
    const alerts = Alerts.fromConfig("alerts", alertEmails(config));

    // The file system layer (fsx.enabled: false removes it, the bucket stays): the network, FSx for
    // Lustre linked to the bucket by its associations, and the sync host that pulls remote sources
    // onto it (config refuses a sync host without the file system, and without an alert address).
    let fileSystemOutputs: Record<string, unknown> = { fsxEnabled: false };
    if (config.fsx.enabled) {
        const network = Network.fromConfig("network", config.network, config);
        const fsx = LustreFileSystem.fromConfig(FSX_COMPONENT_NAME, config.fsx, config, { network, bucket: backup });
        const syncHost = config.syncHost.enabled
            ? SyncHost.fromConfig("sync-host", config.syncHost, { network, fileSystem: fsx, bucket: backup, bucketEncryption: config.bucket.encryption, sources: resolveSyncPaths(config) })
            : undefined;
        if (syncHost && alerts) {
            SyncHostAlarms.fromConfig("sync-host-alarms", config.syncHost, config, alerts);
        }
        fileSystemOutputs = {
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

    // Cross-account replication to the DR bucket; its failure alarm notifies the alert topic.
    const replication = isReplicationEnabled(config.replication)
        ? CrossAccountReplication.fromConfig("replication", config.replication, config, { source: backup, sourceEncryption: config.bucket.encryption, alerts, providerRole: drRole })
        : undefined;

    // Outputs holding a secret config value are secret (shown as [secret]).
    return markSecretOutputs(
        {
            bucketName: backup.bucketName,
            bucketArn: backup.bucketArn,
            bucketRegion: backup.bucketRegion,
            lifecycleTiers: backup.tierSummary,
            access: access.summary,
            ...fileSystemOutputs,
            ...(alerts ? { alertTopicArn: alerts.topicArn } : {}),
            // Where each source's files and the bucket's existing data go (npm run dataflow prints the detail).
            dataFlow: { paths: buildDataFlowReport(config, { holdArchive: hold.held }).paths },
            ...replication?.stackOutputs,
        },
        secretValues,
    );
};

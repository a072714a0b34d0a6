/**
 * Each concern's component is built from its validated config section (`fromConfig`): the pure
 * builders that map a section to the component's arguments, fed with the real stack files (and
 * variants of them) as the program loads them. The program's wiring as a whole is pinned by
 * tests/urnPins.test.ts and the offline preview tests.
 */
import * as assert from "node:assert/strict";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parseStackConfig, StackConfig } from "../../config";
import { resolveAccessNames } from "../../config/access";
import { ConfigError } from "../../config/configError";
import { archiveHold, drProviderRole, EnabledReplicationConfig, isReplicationEnabled } from "../../config/replication";
import { resolveSyncPaths } from "../../config/syncPaths";
import { backupBucketArgs } from "../../components/bucket/backupBucket";
import { bucketAccessArgs } from "../../components/access/bucketAccess";
import { lustreFileSystemArgs } from "../../components/fsx/lustreFileSystem";
import { syncHostArgs, syncRunOptions } from "../../components/syncHost/syncHost";
import { Alerts, alertsArgs, FIRST_ALERT_OWNER, syncHostAlarmsArgs } from "../../components/monitoring/alerts";
import { crossAccountReplicationArgs, ReplicationSource } from "../../components/replication/crossAccountReplication";
import { parseStackFiles, readStackConfig } from "../../tools/offline/stackFiles";

const PROJECT_DIR = path.resolve(__dirname, "..", "..");

/** The validated configuration of a committed stack, as the program loads it. */
function stack(name: "dev" | "prod"): StackConfig {
    return parseStackFiles(PROJECT_DIR, name).config;
}

/** A committed stack's configuration with some project sections replaced (validated as the program does). */
function variant(name: "dev" | "prod", change: (values: Record<string, unknown>) => void): StackConfig {
    const files = readStackConfig(PROJECT_DIR, name);
    const values = structuredClone(files.values);
    change(values);
    return parseStackConfig(values, files.stack, files.project, files.secretKeys).config;
}

/** The value of an output (the builders' outputs are built from known values, so they resolve without a runtime). */
function valueOf<T>(output: pulumi.Input<T>): Promise<T> {
    return new Promise((resolve) => pulumi.output(output).apply((v) => resolve(v as T)));
}

/** The replication section of a stack where it is enabled. */
function enabledReplication(config: StackConfig): EnabledReplicationConfig {
    assert.ok(isReplicationEnabled(config.replication), "replication is enabled in this stack");
    return config.replication;
}

const bucket = { bucketName: pulumi.output("3bigsmicrobiome"), bucketArn: pulumi.output("arn:aws:s3:::3bigsmicrobiome") };
const network = { vpcId: "vpc-0123456789abcdef0", subnetId: "subnet-0123456789abcdef0" };
const topic = { topicArn: "arn:aws:sns:us-east-1:111111111111:alerts" };

describe("fromConfig: each component from its validated config section", () => {
    describe("BackupBucket", () => {
        it("prod: the adopted, protected bucket with its declared tags, archive tiers held until the backfill is recorded", () => {
            const config = stack("prod");
            const hold = archiveHold(config);
            const args = backupBucketArgs(config.bucket, config, hold);
            assert.equal(args.bucketName, "3bigsmicrobiome");
            assert.equal(args.adoptExisting, true);
            assert.equal(args.forceDestroy, false);
            assert.equal(args.protect, true);
            assert.deepEqual(args.tags, { Owner: "ngs-service@example.com", CostCenter: "0000", DataClassification: "research" });
            assert.deepEqual(args.lifecycle.tiers.map((t) => [t.days, t.storageClass]), [[90, "GLACIER_IR"], [180, "DEEP_ARCHIVE"]]);
            assert.equal(hold.held, true);
            assert.ok(hold.reason);
            assert.deepEqual(args.archiveHold, { reason: hold.reason });
        });

        it("dev: a disposable bucket, not protected, nothing held", () => {
            const config = stack("dev");
            const args = backupBucketArgs(config.bucket, config, archiveHold(config));
            assert.equal(args.protect, false);
            assert.equal(args.forceDestroy, true);
            assert.equal(args.archiveHold, undefined);
        });
    });

    it("BucketAccess (dev): prefixes, console bucket list, key slots and the resolved names; the bucket's encryption", async () => {
        const config = stack("dev");
        const names = resolveAccessNames(config);
        const args = bucketAccessArgs(config.access, config, { bucket, encryption: config.bucket.encryption, names });
        assert.deepEqual(args.keyPrefixes, ["Analysis_"]);
        assert.equal(args.consoleBucketList, true);
        assert.deepEqual(args.accessKeys, { a: "Active" });
        assert.equal(args.region, "us-east-1");
        assert.equal(args.names.machineUser, "microbiome-backup-dev-lab-machine");
        assert.deepEqual(args.encryption, { sseAlgorithm: "AES256" });
        assert.equal(await valueOf(args.bucketArn), "arn:aws:s3:::3bigsmicrobiome");
    });

    describe("LustreFileSystem", () => {
        it("prod: settings one to one, the stack's log group, protected, each association named by its directory and resolved against the bucket", async () => {
            const config = stack("prod");
            const args = lustreFileSystemArgs(config.fsx, config, { network, bucket });
            assert.equal(args.storageCapacity, 1200);
            assert.equal(args.perUnitStorageThroughput, 125);
            assert.equal(args.fileSystemTypeVersion, "2.15");
            assert.equal(args.logGroupName, "/aws/fsx/microbiome-backup-prod");
            assert.equal(args.logLevel, "WARN_ERROR");
            assert.equal(args.protect, true);
            assert.equal(args.decommission, undefined);
            assert.equal(args.subnetId, network.subnetId);
            assert.equal(args.dataRepositoryAssociations.length, 1);
            const dra = args.dataRepositoryAssociations[0];
            assert.equal(dra.resourceSuffix, "microbiome");
            assert.equal(await valueOf(dra.dataRepositoryPath), "s3://3bigsmicrobiome/");
            assert.deepEqual(dra.autoExportEvents, ["NEW", "CHANGED", "DELETED"]);
            assert.equal(dra.batchImportMetaDataOnCreate, true);
        });

        it("every other setting one to one (KMS key, root squash, extra security groups, log retention, chunk size)", () => {
            const config = variant("prod", (v) => {
                const fsx = v["microbiome-backup:fsx"] as Record<string, unknown>;
                delete fsx.replacementGuard; // a new file system: nothing deployed to compare with
                Object.assign(fsx, {
                    kmsKeyId: "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                    rootSquashConfiguration: { rootSquash: "65534:65534", noSquashNids: ["10.42.0.10@tcp"] },
                    additionalSecurityGroupIds: ["sg-0123456789abcdef0"],
                    logRetentionInDays: 365,
                    weeklyMaintenanceStartTime: "6:02:30",
                    dataCompressionType: "NONE",
                    perUnitStorageThroughput: 250,
                    storageCapacity: 2400,
                });
                (fsx.dataRepositoryAssociations as Record<string, unknown>[])[0].importedFileChunkSize = 2048;
            });
            const { dataRepositoryAssociations, ...args } = lustreFileSystemArgs(config.fsx, config, { network, bucket });
            assert.deepEqual(args, {
                vpcId: network.vpcId,
                subnetId: network.subnetId,
                storageCapacity: 2400,
                perUnitStorageThroughput: 250,
                fileSystemTypeVersion: "2.15",
                metadataConfiguration: { mode: "AUTOMATIC" },
                dataCompressionType: "NONE",
                logLevel: "WARN_ERROR",
                logGroupName: "/aws/fsx/microbiome-backup-prod",
                logRetentionInDays: 365,
                weeklyMaintenanceStartTime: "6:02:30",
                rootSquashConfiguration: { rootSquash: "65534:65534", noSquashNids: ["10.42.0.10@tcp"] },
                kmsKeyId: "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                automaticBackupRetentionDays: 0,
                additionalSecurityGroupIds: ["sg-0123456789abcdef0"],
                protect: true,
                decommission: undefined,
            });
            assert.equal(dataRepositoryAssociations[0].importedFileChunkSize, 2048);
        });

        it("the decommission record reaches the component (whose fileSystemRetention then neither protects nor retains)", () => {
            const record = { exportReportClean: "2026-11-30" };
            const config = variant("prod", (v) => {
                (v["microbiome-backup:fsx"] as Record<string, unknown>).decommission = record;
                (v["microbiome-backup:syncHost"] as Record<string, unknown>).enabled = false;
            });
            assert.deepEqual(lustreFileSystemArgs(config.fsx, config, { network, bucket }).decommission, record);
        });

        it("a prefix association and a full-path one, on their own buckets", async () => {
            const config = variant("dev", (v) => {
                const fsx = v["microbiome-backup:fsx"] as Record<string, unknown>;
                delete fsx.replacementGuard; // a new file system: nothing deployed to compare with
                fsx.dataRepositoryAssociations = [
                    { fileSystemPath: "/data/raw/", prefix: "Analysis_2019" },
                    { fileSystemPath: "/partner", dataRepositoryPath: "s3://partner-bucket-111111111111/in", s3: { autoImportPolicy: { events: ["NEW"] }, autoExportPolicy: { events: [] } } },
                ];
                v["microbiome-backup:syncHost"] = { enabled: false };
            });
            const dras = lustreFileSystemArgs(config.fsx, config, { network, bucket }).dataRepositoryAssociations;
            assert.deepEqual(
                dras.map((d) => d.resourceSuffix),
                ["data-raw", "partner"],
            );
            assert.equal(await valueOf(dras[0].dataRepositoryPath), "s3://3bigsmicrobiome/Analysis_2019/");
            assert.equal(await valueOf(dras[1].dataRepositoryPath), "s3://partner-bucket-111111111111/in/");
            assert.deepEqual(dras[1].autoExportEvents, []);
        });
    });

    describe("SyncHost", () => {
        it("prod: the section as its settings, the resolved sources, the run options derived from it", () => {
            const config = stack("prod");
            const sources = resolveSyncPaths(config);
            const fileSystem = { clientSecurityGroupId: "sg-0123456789abcdef0", dnsName: "fs-0123.fsx.us-east-1.amazonaws.com", mountName: "abcdefgh" };
            const args = syncHostArgs(config.syncHost, { network, fileSystem, bucket, bucketEncryption: config.bucket.encryption, sources });
            assert.equal(args.settings, config.syncHost);
            assert.equal(args.vpcId, network.vpcId);
            assert.equal(args.subnetId, network.subnetId);
            assert.equal(args.fileSystemDnsName, fileSystem.dnsName);
            assert.equal(args.bucketName, bucket.bucketName);
            assert.equal(args.bucketArn, bucket.bucketArn);
            assert.deepEqual(args.bucketEncryption, { sseAlgorithm: "AES256" });
            assert.deepEqual(
                args.sources?.map((s) => s.name),
                ["lab-sftp", "partner-runs"],
            );
            assert.equal(args.mountName, "abcdefgh");
            assert.equal(args.clientSecurityGroupId, fileSystem.clientSecurityGroupId);
            // 20 h runs: the export wait is capped at 2 h; release on; settle 60 min (Pulumi.prod.yaml).
            assert.deepEqual(args.run, { releaseExported: true, unexportedAgeHours: 24, maxRunMinutes: 1200, settleMinutes: 60, exportWaitMinutes: 120 });
        });

        it("the export wait is half of a short run, and the completion marker passes through", () => {
            const options = syncRunOptions({ maxRunHours: 1, settleMinutes: 0, completionMarker: "CopyComplete.txt", release: { enabled: false }, alarms: { unexportedAgeHours: 6 } });
            assert.deepEqual(options, { releaseExported: false, unexportedAgeHours: 6, maxRunMinutes: 60, settleMinutes: 0, completionMarker: "CopyComplete.txt", exportWaitMinutes: 30 });
        });
    });

    describe("Alerts and SyncHostAlarms", () => {
        it("no addresses, no topic", () => {
            assert.equal(alertsArgs([]), undefined);
            assert.equal(Alerts.fromConfig("alerts", []), undefined);
        });

        it("the topic keeps its first owner's resources: aliased to the top-level replication component's URN", async () => {
            const args = alertsArgs(["storage-oncall@example.com"]);
            assert.ok(args?.previousOwner);
            assert.deepEqual(args.emails, ["storage-oncall@example.com"]);
            assert.equal(args.previousOwner.name, "replication");
            assert.equal(FIRST_ALERT_OWNER.type, "microbiome-backup:replication:CrossAccountReplication");
            const urn = await valueOf(args.previousOwner.parentUrn);
            // The stack and project parts come from the runtime (empty here); tests/urnPins.test.ts checks the whole URN under the program.
            assert.match(urn, /^urn:pulumi:[^:]*::[^:]*::microbiome-backup:replication:CrossAccountReplication::replication$/);
        });

        it("prod: heartbeat window = the daily schedule + maxRunHours (24 + 20 h), the metrics' Stack dimension <project>-<stack>", () => {
            const config = stack("prod");
            const args = syncHostAlarmsArgs(config.syncHost, config, topic);
            assert.equal(args.heartbeatHours, 44);
            assert.equal(args.stackDimension, "microbiome-backup-prod");
            assert.equal(args.freeCapacityPercent, 10);
            assert.equal(args.topicArn, topic.topicArn);
        });

        it("refuses a schedule without a fixed interval when no heartbeatHours is given (config refuses it first)", () => {
            assert.throws(
                () => syncHostAlarmsArgs({ schedule: "Mon *-*-1..7 02:00:00", maxRunHours: 20, alarms: { freeCapacityPercent: 10, unexportedAgeHours: 24 } }, { project: "p", stack: "s" }, topic),
                /no fixed interval; set syncHost\.alarms\.heartbeatHours/,
            );
        });
    });

    describe("CrossAccountReplication", () => {
        const source = { bucket: {}, versioning: {}, ...bucket } as unknown as ReplicationSource;

        it("prod (managed): the DR bucket's name and ARN, GOVERNANCE Object Lock, the provider role, the stack's default tags and the backfill role's fixed name", () => {
            const config = stack("prod");
            const providerRole = { roleArn: "arn:aws:iam::222222222222:role/microbiome-backup-dr-preview", sessionName: "microbiome-backup-dr-preview" };
            const args = crossAccountReplicationArgs(enabledReplication(config), config, { source, sourceEncryption: config.bucket.encryption, alerts: topic, providerRole });
            assert.equal(args.mode, "managed");
            assert.equal(args.sourceRegion, "us-east-1");
            assert.equal(args.sourceKmsKeyArn, undefined);
            assert.deepEqual(args.destination, {
                account: "222222222222",
                bucketName: "microbiome-backup-dr-222222222222",
                bucketArn: "arn:aws:s3:::microbiome-backup-dr-222222222222",
                region: "us-west-2",
                storageClass: "DEEP_ARCHIVE",
                replicaKmsKeyArn: undefined,
            });
            assert.deepEqual(args.managed?.objectLock, { mode: "GOVERNANCE", days: 180 });
            assert.equal(args.managed?.providerRole, providerRole);
            assert.equal(args.managed?.deployRoleArn, "arn:aws:iam::222222222222:role/microbiome-backup-dr-deploy");
            assert.equal(args.protect, true);
            assert.deepEqual(args.drDefaultTags, config.defaultTags);
            assert.equal(args.backfillRoleName, "microbiome-backup-prod-replication-backfill");
            assert.deepEqual(args.rule, { id: "dr-replication", priority: 1, prefix: undefined, deleteMarkerReplication: "Disabled", replicationTime: "Disabled" });
            assert.deepEqual(args.alarm, { periodSeconds: 300 });
            assert.equal(args.sourceAccountId, "111111111111");
            assert.equal(args.managed?.lifecycle.noncurrentVersions.expireAfterDays, 365);
            assert.equal(args.alarmTopicArn, topic.topicArn);
        });

        it("the rule's settings one to one: id, priority, prefix, Replication Time Control, alarm period", () => {
            const config = variant("prod", (v) => {
                Object.assign(v["microbiome-backup:replication"] as Record<string, unknown>, {
                    ruleId: "dr-analysis",
                    priority: 3,
                    prefix: "Analysis_",
                    replicationTime: "Enabled",
                    alarm: { emails: ["storage-oncall@example.com"], periodSeconds: 900 },
                });
            });
            const args = crossAccountReplicationArgs(enabledReplication(config), config, { source, sourceEncryption: config.bucket.encryption, alerts: topic });
            assert.deepEqual(args.rule, { id: "dr-analysis", priority: 3, prefix: "Analysis_", deleteMarkerReplication: "Disabled", replicationTime: "Enabled" });
            assert.deepEqual(args.alarm, { periodSeconds: 900 });
            assert.equal(args.managed?.providerRole, undefined);
        });

        it("refuses to build without the alert topic (config refuses replication without alarm e-mails first)", () => {
            const config = stack("prod");
            assert.throws(() => crossAccountReplicationArgs(enabledReplication(config), config, { source, sourceEncryption: config.bucket.encryption, alerts: undefined }), /needs the stack's alert topic/);
        });

        it("external mode with SSE-KMS: no managed part, the destination's readiness, both KMS keys, a DR bucket given as an ARN", () => {
            const kms = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
            const replicaKms = "arn:aws:kms:us-west-2:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab";
            const config = variant("prod", (v) => {
                (v["microbiome-backup:bucket"] as Record<string, unknown>).encryption = { sseAlgorithm: "aws:kms", kmsKeyArn: kms };
                const r = v["microbiome-backup:replication"] as Record<string, unknown>;
                r.mode = "external";
                delete r.managed;
                r.external = { destinationReady: true };
                r.destination = { ...(r.destination as Record<string, unknown>), bucket: "arn:aws:s3:::dr-bucket-222222222222", replicaKmsKeyId: replicaKms };
            });
            const args = crossAccountReplicationArgs(enabledReplication(config), config, { source, sourceEncryption: config.bucket.encryption, alerts: topic });
            assert.equal(args.mode, "external");
            assert.equal(args.managed, undefined);
            assert.equal(args.destinationReady, true);
            assert.equal(args.sourceKmsKeyArn, kms);
            assert.equal(args.destination.replicaKmsKeyArn, replicaKms);
            assert.equal(args.destination.bucketName, "dr-bucket-222222222222");
            assert.equal(args.destination.bucketArn, "arn:aws:s3:::dr-bucket-222222222222");
        });

        it("refuses a DR bucket reference that is not a bucket (config refuses it first)", () => {
            const config = stack("prod");
            const replication = { ...enabledReplication(config), destination: { ...enabledReplication(config).destination, bucket: "arn:aws:s3:::dr/key" } };
            assert.throws(() => crossAccountReplicationArgs(replication, config, { source, sourceEncryption: config.bucket.encryption, alerts: topic }), /replication\.destination\.bucket .*not a bucket name or bucket ARN/);
        });
    });

    describe("the DR provider's role (config/replication.ts drProviderRole)", () => {
        it("prod: the deploy role by default, the read-only preview role in a preview with MICROBIOME_BACKUP_DR_ROLE=preview", () => {
            const config = stack("prod");
            assert.equal(drProviderRole(config.replication, undefined, false)?.roleArn, "arn:aws:iam::222222222222:role/microbiome-backup-dr-deploy");
            assert.equal(drProviderRole(config.replication, "preview", true)?.roleArn, "arn:aws:iam::222222222222:role/microbiome-backup-dr-preview");
        });

        it("refuses the preview role outside a preview, and an unknown value, with a ConfigError naming the variable", () => {
            const config = stack("prod");
            for (const [value, dryRun] of [["preview", false], ["admin", true]] as const) {
                assert.throws(
                    () => drProviderRole(config.replication, value, dryRun),
                    (err: unknown) => ConfigError.isConfigError(err) && err.problems.some((p) => p.key.startsWith("MICROBIOME_BACKUP_DR_ROLE")),
                );
            }
        });

        it("none without managed replication (external mode, or replication off)", () => {
            const external = variant("prod", (v) => {
                const r = v["microbiome-backup:replication"] as Record<string, unknown>;
                r.mode = "external";
                delete r.managed;
            });
            assert.equal(drProviderRole(external.replication, "preview", false), undefined);
            const off = variant("prod", (v) => {
                v["microbiome-backup:replication"] = { enabled: false };
                v["microbiome-backup:bucket"] = { ...(v["microbiome-backup:bucket"] as Record<string, unknown>), adoptExisting: true };
            });
            assert.equal(drProviderRole(off.replication, undefined, false), undefined);
        });
    });
});

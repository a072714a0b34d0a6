/**
 * The adoption pre-flight (`npm run adopt:preflight`, tools/adopt/): against a local S3 server
 * (moto on 127.0.0.1: a bare bucket, a richly configured one, a bucket in the wrong Region, an
 * Object Lock bucket), through the command line (exit codes, snapshot), and with
 * aws-sdk-client-mock for access denied, throttling and the CloudWatch metric parsing.
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import {
    CreateBucketCommand,
    GetBucketAclCommand,
    GetBucketCorsCommand,
    GetBucketEncryptionCommand,
    GetBucketLifecycleConfigurationCommand,
    GetBucketOwnershipControlsCommand,
    GetBucketPolicyCommand,
    GetBucketReplicationCommand,
    GetBucketTaggingCommand,
    GetObjectLockConfigurationCommand,
    GetPublicAccessBlockCommand,
    PutBucketCorsCommand,
    PutBucketEncryptionCommand,
    PutBucketLifecycleConfigurationCommand,
    PutBucketLoggingCommand,
    PutBucketNotificationConfigurationCommand,
    PutBucketOwnershipControlsCommand,
    PutBucketPolicyCommand,
    PutBucketReplicationCommand,
    PutBucketTaggingCommand,
    PutBucketVersioningCommand,
    PutPublicAccessBlockCommand,
    S3Client,
} from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { tlsOnlyStatements } from "../../components/bucket/bucketPolicy";
import { policyDocument } from "../../components/common/policyDocument";
import { Clients, defaultClients, explainFailure, MAX_ATTEMPTS, parseStorageMetrics, readLiveBucket, readStorageMetrics } from "../../tools/adopt/liveBucket";
import { Finding, formatBytes, planAdoption } from "../../tools/adopt/preflight";
import { defaultSnapshotPath, runPreflight, Snapshot } from "../../tools/adopt/run";
import { parseStackFiles } from "../../tools/offline/stackFiles";
import { MOTO_CREDENTIALS, MotoServer, startMotoServer } from "../helpers/motoServer";
import { PROJECT_DIR } from "../helpers/preview";
import { tempDir } from "../helpers/tools";

const BUCKET = "3bigsmicrobiome";
const KMS_KEY = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";

/** Collects what a run writes. */
function sink(): { text: string; write(t: string): boolean } {
    return {
        text: "",
        write(t: string) {
            this.text += t;
            return true;
        },
    };
}

function finding(findings: readonly Finding[], setting: string): Finding {
    const f = findings.find((x) => x.setting === setting);
    assert.ok(f, `a finding for ${setting}`);
    return f;
}

describe("adoption pre-flight against a local S3 server (moto)", function () {
    let moto: MotoServer;
    let tmp: ReturnType<typeof tempDir>;
    const clients = (region: string): Clients => ({
        s3: new S3Client({ region, endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS, maxAttempts: 1 }),
        cloudWatch: new CloudWatchClient({ region, endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS, maxAttempts: 1 }),
    });
    const s3 = () => clients("us-east-1").s3;

    before(async () => {
        moto = await startMotoServer();
        tmp = tempDir("adopt-preflight-");
    });
    after(async () => {
        await moto?.stop();
        tmp?.cleanup();
    });
    beforeEach(async () => {
        const res = await fetch(`${moto.endpoint}/moto-api/reset`, { method: "POST" });
        assert.equal(res.status, 200);
    });

    async function preflight(out: string): Promise<{ code: number; stdout: string; stderr: string; snapshot: Snapshot }> {
        const stdout = sink();
        const stderr = sink();
        const code = await runPreflight({ projectDir: PROJECT_DIR, stack: "prod", out, clients, stdout, stderr });
        return { code, stdout: stdout.text, stderr: stderr.text, snapshot: JSON.parse(fs.readFileSync(out, "utf8")) as Snapshot };
    }

    it("a bare bucket: nothing to keep, every side resource added, exit 0, a snapshot of 'none's", async () => {
        await s3().send(new CreateBucketCommand({ Bucket: BUCKET }));
        const { code, stdout, stderr, snapshot } = await preflight(path.join(tmp.dir, "bare.json"));
        assert.equal(code, 0, stderr);
        const f = snapshot.plan.findings;
        assert.equal(finding(f, "region").action, "keep");
        assert.equal(finding(f, "objectLock").action, "keep");
        for (const setting of ["versioning", "tags", "policy", "ownershipControls", "publicAccessBlock", "lifecycle", "replication", "notifications"]) {
            assert.equal(finding(f, setting).action, "change", setting);
        }
        assert.equal(finding(f, "cors").action, "keep");
        assert.equal(finding(f, "logging").action, "keep");
        assert.equal(snapshot.live.tags, null);
        assert.equal(snapshot.live.policy, null);
        assert.equal(snapshot.live.lifecycle, null);
        assert.equal(snapshot.live.replication, null);
        assert.equal(snapshot.live.publicAccessBlock, null);
        assert.equal(snapshot.live.cors, null);
        assert.deepEqual(snapshot.live.failures, []);
        // The tags a bare bucket gets: the declared ones plus the default tags, nothing removed.
        assert.match(finding(f, "tags").detail ?? "", /^added: CostCenter=0000, DataClassification=research, Environment=prod \(aws:defaultTags\)/);
        assert.deepEqual(finding(f, "tags").keepWith, []);
        // The declared lifecycle is the program's: archive transitions held (no backfill recorded).
        assert.match(finding(f, "lifecycle").declared, /archive-tiers-held-until-backfill \(Disabled\): day 180 DEEP_ARCHIVE/);
        assert.match(stdout, /summary: 5 keep, 9 change, 0 replace/);
        assert.match(stdout, /snapshot written to .*bare\.json/);
    });

    it("a richly configured bucket: tags, policy, lifecycle, encryption, CORS, logging, notifications, replication — with the keys that keep them", async () => {
        const Bucket = BUCKET;
        await s3().send(new CreateBucketCommand({ Bucket }));
        await s3().send(new CreateBucketCommand({ Bucket: `${BUCKET}-logs` }));
        await s3().send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Enabled" } }));
        await s3().send(
            new PutBucketTaggingCommand({
                Bucket,
                Tagging: {
                    TagSet: [
                        { Key: "Owner", Value: "ngs-service@example.com" },
                        { Key: "CostCenter", Value: "0000" },
                        { Key: "DataClassification", Value: "research" },
                        { Key: "Legacy", Value: "keep-me" },
                        { Key: "Environment", Value: "production" },
                    ],
                },
            }),
        );
        const partner = { Sid: "AllowPartnerRead", Effect: "Allow", Principal: { AWS: "arn:aws:iam::333333333333:root" }, Action: "s3:GetObject", Resource: `arn:aws:s3:::${BUCKET}/*` };
        await s3().send(new PutBucketPolicyCommand({ Bucket, Policy: JSON.stringify({ Version: "2012-10-17", Statement: [partner] }) }));
        await s3().send(
            new PutBucketLifecycleConfigurationCommand({
                Bucket,
                LifecycleConfiguration: { Rules: [{ ID: "old-glacier", Status: "Enabled", Filter: { Prefix: "" }, Transitions: [{ Days: 30, StorageClass: "GLACIER" }] }] },
            }),
        );
        await s3().send(
            new PutBucketEncryptionCommand({
                Bucket,
                ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: KMS_KEY }, BucketKeyEnabled: true }] },
            }),
        );
        await s3().send(new PutBucketCorsCommand({ Bucket, CORSConfiguration: { CORSRules: [{ AllowedMethods: ["GET"], AllowedOrigins: ["https://example.com"] }] } }));
        // Server access logging needs the logging service allowed on the target bucket (S3 User Guide "Enabling Amazon S3 server access logging").
        await s3().send(
            new PutBucketPolicyCommand({
                Bucket: `${BUCKET}-logs`,
                Policy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Allow", Principal: { Service: "logging.s3.amazonaws.com" }, Action: "s3:PutObject", Resource: `arn:aws:s3:::${BUCKET}-logs/*` }],
                }),
            }),
        );
        await s3().send(new PutBucketLoggingCommand({ Bucket, BucketLoggingStatus: { LoggingEnabled: { TargetBucket: `${BUCKET}-logs`, TargetPrefix: "access/" } } }));
        await s3().send(
            new PutBucketNotificationConfigurationCommand({
                Bucket,
                NotificationConfiguration: {
                    QueueConfigurations: [{ Id: "lab-events", QueueArn: "arn:aws:sqs:us-east-1:111111111111:lab-events", Events: ["s3:ObjectCreated:*"] }],
                },
            }),
        );
        await s3().send(
            new PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true } }),
        );
        await s3().send(new PutBucketOwnershipControlsCommand({ Bucket, OwnershipControls: { Rules: [{ ObjectOwnership: "BucketOwnerPreferred" }] } }));
        await s3().send(
            new PutBucketReplicationCommand({
                Bucket,
                ReplicationConfiguration: {
                    Role: "arn:aws:iam::111111111111:role/old-replication",
                    Rules: [{ ID: "old-dr", Status: "Enabled", Priority: 1, Filter: { Prefix: "" }, DeleteMarkerReplication: { Status: "Disabled" }, Destination: { Bucket: "arn:aws:s3:::old-dr-bucket" } }],
                },
            }),
        );

        const { code, stdout, stderr, snapshot } = await preflight(path.join(tmp.dir, "rich.json"));
        assert.equal(code, 0, stderr);
        const f = snapshot.plan.findings;

        assert.equal(finding(f, "versioning").action, "keep");
        assert.equal(finding(f, "publicAccessBlock").action, "keep");

        const tags = finding(f, "tags");
        assert.equal(tags.action, "change");
        assert.match(tags.detail ?? "", /removed: Legacy=keep-me/);
        assert.match(tags.detail ?? "", /changed: Environment=production → prod \(aws:defaultTags\)/);
        assert.match(tags.detail ?? "", /pulumi\/pulumi#19339.*pulumi\/pulumi-aws#5284/);
        assert.deepEqual(tags.keepWith, ["pulumi config set --stack prod --path 'bucket.tags.Legacy' 'keep-me'", "pulumi config set --stack prod --path 'bucket.tags.Environment' 'production'"]);

        const policy = finding(f, "policy");
        assert.equal(policy.action, "change");
        assert.match(policy.detail ?? "", /1 live statement\(s\) would be lost \(AllowPartnerRead\)/);

        const lifecycle = finding(f, "lifecycle");
        assert.equal(lifecycle.action, "change");
        assert.match(lifecycle.live, /old-glacier \(Enabled\): day 30 GLACIER/);
        assert.match(lifecycle.detail ?? "", /live rules dropped: old-glacier/);

        const encryption = finding(f, "encryption");
        assert.equal(encryption.action, "change");
        assert.equal(encryption.live, `aws:kms key ${KMS_KEY}, bucket key on`);
        assert.deepEqual(encryption.keepWith, [
            "pulumi config set --stack prod --path bucket.encryption.sseAlgorithm aws:kms",
            `pulumi config set --stack prod --path bucket.encryption.kmsKeyArn ${KMS_KEY}`,
        ]);

        assert.equal(finding(f, "ownershipControls").live, "BucketOwnerPreferred");
        assert.equal(finding(f, "ownershipControls").action, "change");
        const replication = finding(f, "replication");
        assert.equal(replication.action, "change");
        assert.match(replication.live, /old-dr \(Enabled\) → arn:aws:s3:::old-dr-bucket/);
        const notifications = finding(f, "notifications");
        assert.equal(notifications.live, "lab-events");
        assert.match(notifications.detail ?? "", /other configurations \(lab-events\) stay.*overlapping/);
        assert.deepEqual([finding(f, "cors").action, finding(f, "cors").live], ["keep", "1 rule(s)"]);
        assert.deepEqual([finding(f, "logging").action, finding(f, "logging").live], ["keep", `to s3://${BUCKET}-logs/access/`]);

        // The snapshot keeps every live setting in the S3 Put… input shapes (what a restore feeds back).
        assert.deepEqual(snapshot.live.tags, { Owner: "ngs-service@example.com", CostCenter: "0000", DataClassification: "research", Legacy: "keep-me", Environment: "production" });
        assert.deepEqual((JSON.parse(snapshot.live.policy ?? "{}") as { Statement: unknown[] }).Statement, [partner]);
        assert.equal(snapshot.live.lifecycle?.Rules?.[0]?.ID, "old-glacier");
        assert.equal(snapshot.live.replication?.Role, "arn:aws:iam::111111111111:role/old-replication");
        assert.equal(snapshot.live.cors?.CORSRules?.length, 1);
        assert.equal(snapshot.live.notifications?.QueueConfigurations?.[0]?.Id, "lab-events");
        assert.equal(snapshot.kind, "microbiome-backup/adopt-preflight-snapshot");
        assert.match(stdout, /keep it: pulumi config set --stack prod --path 'bucket\.tags\.Legacy' 'keep-me'/);
    });

    it("a bucket that already matches the program: keep for every managed setting", async () => {
        const Bucket = BUCKET;
        await s3().send(new CreateBucketCommand({ Bucket }));
        await s3().send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Enabled" } }));
        const { config } = parseStackFiles(PROJECT_DIR, "prod");
        const tagsAll = { ...config.defaultTags, ...config.bucket.tags };
        await s3().send(new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: Object.entries(tagsAll).map(([Key, Value]) => ({ Key, Value })) } }));
        await s3().send(new PutBucketPolicyCommand({ Bucket, Policy: JSON.stringify(policyDocument(tlsOnlyStatements(`arn:aws:s3:::${BUCKET}`))) }));
        await s3().send(
            new PutBucketEncryptionCommand({ Bucket, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" }, BucketKeyEnabled: true }] } }),
        );
        const live = await readLiveBucket(clients("us-east-1"), BUCKET, "us-east-1");
        const plan = planAdoption(config, live);
        for (const setting of ["region", "objectLock", "versioning", "tags", "policy", "encryption"]) {
            assert.equal(finding(plan.findings, setting).action, "keep", `${setting}: ${JSON.stringify(finding(plan.findings, setting))}`);
        }
    });

    it("a bucket in another Region than aws:region: replacement, exit 1, with the key to set", async () => {
        await clients("us-west-2").s3.send(new CreateBucketCommand({ Bucket: BUCKET, CreateBucketConfiguration: { LocationConstraint: "us-west-2" } }));
        const { code, stdout, snapshot } = await preflight(path.join(tmp.dir, "region.json"));
        assert.equal(code, 1);
        const region = finding(snapshot.plan.findings, "region");
        assert.deepEqual([region.action, region.live, region.declared], ["replace", "us-west-2", "us-east-1"]);
        assert.deepEqual(region.keepWith, ["pulumi config set --stack prod aws:region us-west-2"]);
        assert.match(stdout, /STOP: the first pulumi up would replace the bucket itself/);
        assert.equal(snapshot.live.region, "us-west-2");
    });

    it("an Object Lock bucket: replacement (the backup bucket declares no Object Lock), exit 1", async () => {
        await s3().send(new CreateBucketCommand({ Bucket: BUCKET, ObjectLockEnabledForBucket: true }));
        const { code, snapshot } = await preflight(path.join(tmp.dir, "lock.json"));
        assert.equal(code, 1);
        assert.equal(finding(snapshot.plan.findings, "objectLock").action, "replace");
        assert.equal(snapshot.live.objectLock?.ObjectLockEnabled, "Enabled");
    });

    it("a missing bucket: exit 3 with the reason", async () => {
        const stderr = sink();
        const code = await runPreflight({ projectDir: PROJECT_DIR, stack: "prod", out: path.join(tmp.dir, "missing.json"), clients, stdout: sink(), stderr });
        assert.equal(code, 3);
        assert.match(stderr.text, /bucket 3bigsmicrobiome does not exist \(HeadBucket: 404\)/);
        assert.ok(!fs.existsSync(path.join(tmp.dir, "missing.json")));
    });

    it("the command line: exit codes, --out, the default credentials chain pointed at the server", async () => {
        await s3().send(new CreateBucketCommand({ Bucket: BUCKET }));
        const out = path.join(tmp.dir, "cli.json");
        const run = (args: string[]) =>
            spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(PROJECT_DIR, "tools", "adopt-preflight.ts"), ...args], {
                cwd: PROJECT_DIR,
                encoding: "utf8",
                env: { ...moto.env, TS_NODE_TRANSPILE_ONLY: "true" },
            });
        const ok = run(["--stack", "prod", "--out", out]);
        assert.equal(ok.status, 0, ok.stderr);
        assert.match(ok.stdout, /CHANGE {2}lifecycle/);
        assert.equal((JSON.parse(fs.readFileSync(out, "utf8")) as Snapshot).bucket, BUCKET);
        const help = run(["--help"]);
        assert.equal(help.status, 0);
        assert.match(help.stdout, /usage: npm run adopt:preflight -- --stack <name> \[--out <file>\] \[--config-file <path>\]/);
        assert.match(help.stdout, /exit codes: 0 no replacement; 1 the bucket itself would be replaced; 2 bad arguments\/config; 3/);
        const dev = run(["--stack", "dev"]);
        assert.equal(dev.status, 2);
        assert.match(dev.stderr, /bucket\.adoptExisting = false/);
        assert.equal(run(["--stack", "prod", "--bogus"]).status, 2);
        assert.equal(run([]).status, 2);
    });
});

describe("adoption pre-flight with mocked AWS clients (aws-sdk-client-mock)", () => {
    // Created in before(), restored in after(): at definition time they would also replace the
    // clients of the moto tests above.
    let s3mock: ReturnType<typeof mockClient>;
    let cwmock: ReturnType<typeof mockClient>;
    before(() => {
        s3mock = mockClient(S3Client);
        cwmock = mockClient(CloudWatchClient);
    });
    after(() => {
        s3mock.restore();
        cwmock.restore();
    });
    afterEach(() => {
        s3mock.reset();
        cwmock.reset();
    });
    const clients = (): Clients => ({ s3: new S3Client({ region: "us-east-1" }), cloudWatch: new CloudWatchClient({ region: "us-east-1" }) });

    it("access denied on one read: named with the IAM action to grant, the rest still read", async () => {
        s3mock.onAnyCommand().resolves({});
        s3mock.on(GetBucketPolicyCommand).rejects(Object.assign(new Error("Access Denied"), { name: "AccessDenied", $metadata: { httpStatusCode: 403 } }));
        s3mock.on(GetBucketTaggingCommand).resolves({ TagSet: [{ Key: "Owner", Value: "x" }] });
        cwmock.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
        const live = await readLiveBucket(clients(), BUCKET, "us-east-1");
        assert.deepEqual(live.failures, [
            { action: "GetBucketPolicy", error: "AccessDenied", message: 'GetBucketPolicy: access denied — the credentials need s3:GetBucketPolicy on the bucket (read-only; docs/adoption.md "Permissions")' },
        ]);
        assert.deepEqual(live.tags, { Owner: "x" });
        const plan = planAdoption(parseStackFiles(PROJECT_DIR, "prod").config, live);
        assert.match(finding(plan.findings, "read GetBucketPolicy").detail ?? "", /s3:GetBucketPolicy/);
    });

    it("throttling after the SDK's retries: a clear message with the attempts made", async () => {
        s3mock.onAnyCommand().resolves({});
        s3mock.on(GetBucketAclCommand).rejects(Object.assign(new Error("Please reduce your request rate."), { name: "SlowDown", $metadata: { httpStatusCode: 503, attempts: MAX_ATTEMPTS } }));
        cwmock.on(GetMetricDataCommand).rejects(Object.assign(new Error("Rate exceeded"), { name: "Throttling", $metadata: { httpStatusCode: 400, attempts: MAX_ATTEMPTS } }));
        const live = await readLiveBucket(clients(), BUCKET, "us-east-1");
        assert.deepEqual(
            live.failures.map((f) => f.message),
            [
                `GetBucketAcl: throttled by AWS (SlowDown) after ${MAX_ATTEMPTS} attempt(s) with the SDK's backoff — wait a few minutes and run the pre-flight again`,
                `GetMetricData: throttled by AWS (Throttling) after ${MAX_ATTEMPTS} attempt(s) with the SDK's backoff — wait a few minutes and run the pre-flight again`,
            ],
        );
        assert.equal(explainFailure("X", "s3:X", Object.assign(new Error("boom"), { name: "InternalError" })).message, "X: InternalError: boom");
    });

    it("the default clients retry throttling with the standard mode and the configured attempts", async () => {
        const { s3, cloudWatch } = defaultClients("eu-central-1");
        for (const client of [s3, cloudWatch]) {
            assert.equal(await client.config.maxAttempts(), MAX_ATTEMPTS);
            assert.equal(await client.config.region(), "eu-central-1");
            const mode = client.config.retryMode;
            assert.equal(typeof mode === "function" ? await mode() : mode, "standard");
        }
    });

    it("treats every 'not configured' error as none", async () => {
        s3mock.onAnyCommand().resolves({});
        const notConfigured = (name: string) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: 404 } });
        s3mock.on(GetBucketTaggingCommand).rejects(notConfigured("NoSuchTagSet"));
        s3mock.on(GetBucketPolicyCommand).rejects(notConfigured("NoSuchBucketPolicy"));
        s3mock.on(GetBucketEncryptionCommand).rejects(notConfigured("ServerSideEncryptionConfigurationNotFoundError"));
        s3mock.on(GetBucketLifecycleConfigurationCommand).rejects(notConfigured("NoSuchLifecycleConfiguration"));
        s3mock.on(GetBucketReplicationCommand).rejects(notConfigured("ReplicationConfigurationNotFoundError"));
        s3mock.on(GetPublicAccessBlockCommand).rejects(notConfigured("NoSuchPublicAccessBlockConfiguration"));
        s3mock.on(GetBucketOwnershipControlsCommand).rejects(notConfigured("OwnershipControlsNotFoundError"));
        s3mock.on(GetObjectLockConfigurationCommand).rejects(notConfigured("ObjectLockConfigurationNotFoundError"));
        s3mock.on(GetBucketCorsCommand).rejects(notConfigured("NoSuchCORSConfiguration"));
        const cases = ["tags", "policy", "encryption", "lifecycle", "replication", "publicAccessBlock", "ownershipControls", "objectLock", "cors"] as const;
        cwmock.on(GetMetricDataCommand).resolves({});
        const live = await readLiveBucket(clients(), BUCKET, "us-east-1");
        assert.deepEqual(live.failures, []);
        for (const key of cases) {
            assert.equal(live[key], null, key);
        }
        assert.equal(live.metrics.available, false);
    });

    describe("CloudWatch storage metrics", () => {
        it("parses the newest daily datapoint per storage type and the object count", () => {
            const day = (d: number) => new Date(Date.UTC(2026, 11, d));
            const m = parseStorageMetrics([
                { Id: "b0", Label: "StandardStorage", Timestamps: [day(1), day(2)], Values: [100, 200] },
                // results may come newest-first
                { Id: "b16", Label: "DeepArchiveStorage", Timestamps: [day(2), day(1)], Values: [2 * 1024 ** 4, 1] },
                { Id: "b11", Label: "GlacierInstantRetrievalStorage", Timestamps: [], Values: [] },
                { Id: "objects", Label: "NumberOfObjects", Timestamps: [day(1), day(2)], Values: [41, 42] },
            ]);
            assert.deepEqual(m, {
                available: true,
                bytesByStorageType: { StandardStorage: 200, DeepArchiveStorage: 2 * 1024 ** 4 },
                numberOfObjects: 42,
                asOf: "2026-12-02T00:00:00.000Z",
            });
            // 2 × 1024⁴ B = 2.00 TiB; 200 B stays in bytes
            assert.equal(formatBytes(2 * 1024 ** 4), "2.00 TiB");
            assert.equal(formatBytes(200), "200 B");
        });

        it("no datapoints (a new bucket, or moto): metrics unavailable", () => {
            assert.deepEqual(parseStorageMetrics([{ Id: "b0", Label: "StandardStorage", Timestamps: [], Values: [] }]), {
                available: false,
                bytesByStorageType: {},
                numberOfObjects: null,
                asOf: null,
            });
            assert.equal(parseStorageMetrics(undefined).available, false);
        });

        it("asks for BucketSizeBytes per StorageType and NumberOfObjects, daily, over 3 days, and merges pages", async () => {
            const now = new Date("2026-12-02T06:00:00Z");
            cwmock
                .on(GetMetricDataCommand, { NextToken: undefined })
                .resolves({ MetricDataResults: [{ Id: "b0", Label: "StandardStorage", Timestamps: [new Date("2026-12-01T00:00:00Z")], Values: [5] }], NextToken: "p2" })
                .on(GetMetricDataCommand, { NextToken: "p2" })
                .resolves({ MetricDataResults: [{ Id: "b0", Label: "StandardStorage", Timestamps: [new Date("2026-12-02T00:00:00Z")], Values: [7] }] });
            const m = await readStorageMetrics(new CloudWatchClient({ region: "us-east-1" }), BUCKET, now);
            assert.deepEqual(m.bytesByStorageType, { StandardStorage: 7 });
            const input = cwmock.commandCalls(GetMetricDataCommand)[0].args[0].input;
            assert.equal(input.StartTime?.toISOString(), "2026-11-29T06:00:00.000Z");
            const size = input.MetricDataQueries?.find((q) => q.Label === "DeepArchiveStorage")?.MetricStat;
            assert.deepEqual(size?.Metric, {
                Namespace: "AWS/S3",
                MetricName: "BucketSizeBytes",
                Dimensions: [
                    { Name: "BucketName", Value: BUCKET },
                    { Name: "StorageType", Value: "DeepArchiveStorage" },
                ],
            });
            assert.equal(size?.Period, 86400);
            const objects = input.MetricDataQueries?.find((q) => q.Id === "objects")?.MetricStat?.Metric;
            assert.deepEqual(objects?.Dimensions, [
                { Name: "BucketName", Value: BUCKET },
                { Name: "StorageType", Value: "AllStorageTypes" },
            ]);
        });

        it("reports archived bytes as not backfillable in the plan", () => {
            const config = parseStackFiles(PROJECT_DIR, "prod").config;
            const base = {
                bucket: BUCKET,
                region: "us-east-1",
                readAt: "2026-12-02T00:00:00.000Z",
                versioning: { Status: "Enabled" },
                objectLock: null,
                tags: null,
                policy: null,
                acl: null,
                ownershipControls: null,
                publicAccessBlock: null,
                encryption: null,
                lifecycle: null,
                replication: null,
                notifications: {},
                cors: null,
                logging: null,
                failures: [],
            };
            const plan = planAdoption(config, {
                ...base,
                metrics: { available: true, bytesByStorageType: { StandardStorage: 1024 ** 4, DeepArchiveStorage: 1024 ** 4 / 2 }, numberOfObjects: 1000, asOf: "2026-12-01T00:00:00.000Z" },
            });
            const storage = finding(plan.findings, "storage");
            assert.equal(storage.live, "DEEP_ARCHIVE 512.00 GiB, STANDARD 1.00 TiB; 1000 objects (as of 2026-12-01T00:00:00.000Z)");
            assert.match(storage.detail ?? "", /^512\.00 GiB already archived/);
        });
    });

    it("names the default snapshot after the stack, the bucket and the UTC time", () => {
        assert.equal(defaultSnapshotPath("prod", BUCKET, new Date("2026-12-02T04:30:05.123Z")), "adopt-preflight-prod-3bigsmicrobiome-20261202T043005Z.json");
    });
});

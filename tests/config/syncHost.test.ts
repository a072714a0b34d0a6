import { createHash } from "node:crypto";
import * as assert from "node:assert/strict";
import { parseStackConfig, StackConfig } from "../../config";
import { syncHostWarnings } from "../../config/syncHost";
import { problemsOf } from "../helpers/config";

const HOST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHeEp6+73sgQM0B6KsXtv0VaMARnEE4suaQIHx4dbMdw";
const SECRET = "arn:aws:secretsmanager:us-east-1:111111111111:secret:lab-key-AbCdEf";

function raw(syncHost: unknown): Record<string, unknown> {
    // The sync host needs the file system layer (config/crossChecks.ts): enable it with one DRA.
    return {
        "aws:region": "us-east-1",
        "microbiome-backup:bucket": { name: "microbiome-test-bucket" },
        "microbiome-backup:fsx": { enabled: true, dataRepositoryAssociations: [{ fileSystemPath: "/microbiome", prefix: "" }] },
        // An enabled sync host needs an alert address (config/crossChecks.ts); give one unless the test sets alarms.
        "microbiome-backup:syncHost":
            syncHost !== null && typeof syncHost === "object" && !("alarms" in syncHost) ? { alarms: { emails: ["ops@example.com"] }, ...syncHost } : syncHost,
    };
}

function sftp(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { type: "sftp", name: "lab", host: "sftp.example.com", user: "microbiome", remotePath: "/data", destination: "Analysis_2024/lab/", hostKey: HOST_KEY, privateKeySecretArn: SECRET, ...extra };
}

/** The problems of an invalid config, as `key: message` lines. */
function problems(syncHost: unknown): string[] {
    return problemsOf(raw(syncHost), "dev").map((p) => `${p.key}: ${p.message}`);
}

describe("config: syncHost", () => {
    it("refuses a sync host without the file system layer", () => {
        const found = problemsOf({ ...raw({ enabled: true, sources: [sftp()] }), "microbiome-backup:fsx": { enabled: false } }, "dev");
        assert.deepEqual(found.map((p) => p.key), ["microbiome-backup:syncHost.enabled"]);
        assert.match(found[0].message, /needs fsx\.enabled: true/);
    });

    it("defaults: disabled, c6in.large, 16 GiB, 02:00 UTC daily, /fsx, no logs, 20 h runs, 60 min settle, release on, alarms at 24 h / 10 %, always on, no sources", () => {
        const { config } = parseStackConfig(raw(undefined), "dev");
        assert.deepEqual(config.syncHost, {
            enabled: false,
            instanceType: "c6in.large",
            rootVolumeSizeGiB: 16,
            schedule: "*-*-* 02:00:00",
            mountPoint: "/fsx",
            cloudWatchLogs: { enabled: false, retentionInDays: 90 },
            ebsEncryptionByDefault: false,
            runMode: "always-on",
            scheduledStart: {},
            maxRunHours: 20,
            settleMinutes: 60,
            release: { enabled: true },
            alarms: { emails: [], unexportedAgeHours: 24, freeCapacityPercent: 10 },
            sources: [],
        });
    });

    it("fills source defaults and splits an s3:// URI into bucket and prefix", () => {
        const { config } = parseStackConfig(raw({ enabled: true, sources: [sftp(), { type: "s3", name: "p", bucket: "s3://partner-runs/exports/x/", destination: "Analysis_2024/p" }] }), "dev");
        assert.deepEqual(config.syncHost.sources[0], { ...sftp(), port: 22, tool: "lftp" });
        assert.deepEqual(config.syncHost.sources[1], { type: "s3", name: "p", bucket: "partner-runs", prefix: "exports/x/", destination: "Analysis_2024/p/", requesterPays: false });
    });

    it("refuses a source without a host key, naming the key", () => {
        const { hostKey: _omit, ...noKey } = sftp();
        assert.deepEqual(problems({ sources: [noKey] }), [
            `microbiome-backup:syncHost.sources[0].hostKey: required: the server's host key, pinned ("ssh-ed25519 AAAA…" from ssh-keyscan -t ed25519 <host>); the host refuses unknown keys (docs/synchost.md "Configuration reference")`,
        ]);
    });

    it("refuses a relative remote path and a malformed host key", () => {
        const found = problems({ sources: [sftp({ remotePath: "data/runs", hostKey: `sftp.example.com ${HOST_KEY}` })] });
        assert.equal(found.length, 2);
        assert.match(found[0], /^microbiome-backup:syncHost\.sources\[0\]\.remotePath: must be an absolute path on the server, starting with \//);
        assert.match(found[1], /^microbiome-backup:syncHost\.sources\[0\]\.hostKey: drop the leading host field "sftp\.example\.com"/);
    });

    it("refuses an unknown source type, naming sources[i].type and the allowed types", () => {
        assert.deepEqual(problems({ sources: [sftp(), { type: "ftp", name: "x" }] }), [
            "microbiome-backup:syncHost.sources[1].type: unknown source type: type must be sftp (a directory on an SFTP server) or s3 (another S3 bucket)",
        ]);
    });

    it("refuses unknown keys, escaping destinations, duplicate names, Graviton types, bad schedules and mount points", () => {
        const found = problems({
            instanceType: "m7g.large",
            schedule: "0 2 * * *",
            mountPoint: "/etc/fsx",
            sources: [sftp({ destination: "../outside", passwd: "x" }), sftp({ destination: "Analysis_2024/other/" })],
        });
        const keys = found.map((f) => f.split(": ")[0]);
        assert.deepEqual(keys.sort(), [
            "microbiome-backup:syncHost.instanceType",
            "microbiome-backup:syncHost.mountPoint",
            "microbiome-backup:syncHost.schedule",
            "microbiome-backup:syncHost.sources[0].destination",
            "microbiome-backup:syncHost.sources[0].passwd",
            "microbiome-backup:syncHost.sources[1].name",
        ]);
        const dup = problems({ sources: [sftp(), sftp({ destination: "Analysis_2024/other/" })] });
        assert.deepEqual(dup, ['microbiome-backup:syncHost.sources[1].name: duplicate source name: sources[0] is already called "lab"; names must be unique (docs/synchost.md "Configuration reference")']);
    });

    it("refuses an s3 source that is the backup bucket itself", () => {
        const found = problems({ sources: [{ type: "s3", name: "self", bucket: "microbiome-test-bucket", destination: "x/" }] });
        assert.equal(found.length, 1);
        assert.match(found[0], /^microbiome-backup:syncHost\.sources\[0\]\.bucket: is the backup bucket \(bucket\.name\) itself/);
    });

    it("refuses source lists whose user data would exceed EC2's 16 KB", () => {
        // The user data is gzip-compressed: only paths that do not compress (here: hex digests) can fill 16 KB.
        const noise = (i: number) => Array.from({ length: 14 }, (_, j) => createHash("sha256").update(`${i}/${j}`).digest("hex")).join("/");
        const sources = Array.from({ length: 20 }, (_, i) => sftp({ name: `s${i}`, destination: `Analysis_2024/t${i}/`, remotePath: `/${noise(i)}` }));
        const found = problems({ sources });
        assert.equal(found.length, 1);
        assert.match(found[0], /^microbiome-backup:syncHost\.sources: these sources make the host's user data about \d+ bytes, above EC2's 16384-byte user data limit/);
    });

    describe("syncHostWarnings", () => {
        const base = parseStackConfig(raw({ enabled: true, instanceType: "m6i.large" }), "dev").config;
        const withFsx = (fsx: unknown): StackConfig => ({ ...base, fsx } as unknown as StackConfig);

        it("warns when the instance's baseline bandwidth is below the file system's throughput", () => {
            const found = syncHostWarnings(withFsx({ storageCapacity: 1200, perUnitStorageThroughput: 125 }));
            assert.equal(found.length, 1);
            assert.deepEqual(found[0].path, ["instanceType"]);
            assert.match(found[0].message, /below the file system's baseline throughput of ≈ 150 MB\/s/);
        });

        it("reads the fsx section defensively: nothing when it lacks the numbers or the host is disabled", () => {
            assert.deepEqual(syncHostWarnings(withFsx({})), []);
            assert.deepEqual(syncHostWarnings(withFsx(undefined)), []);
            assert.deepEqual(syncHostWarnings(withFsx({ storageCapacity: "1200", perUnitStorageThroughput: 125 })), []);
            const disabled = { ...base, syncHost: { ...base.syncHost, enabled: false }, fsx: { storageCapacity: 1200, perUnitStorageThroughput: 125 } } as unknown as StackConfig;
            assert.deepEqual(syncHostWarnings(disabled), []);
        });
    });
});

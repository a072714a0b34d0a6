/**
 * `npm run dataflow` on the real stack files (child processes, as a user runs it), and the data-flow
 * table and alarms in the real program's offline preview.
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { PROJECT_DIR, previewStack, resourcesOfType, runPreview, tempStackFile } from "../helpers/preview";

/** Runs `tools/dataflow.ts` with these arguments. */
function dataflow(args: string[]): { status: number | null; stdout: string; stderr: string } {
    const r = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(PROJECT_DIR, "tools", "dataflow.ts"), ...args], {
        cwd: PROJECT_DIR,
        encoding: "utf8",
        env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true" },
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** prod with its first source's destination moved outside every association. */
function prodOutsideEveryAssociation(): string {
    return tempStackFile("prod", (config) => {
        const fsx = config["microbiome-backup:fsx"] as { dataRepositoryAssociations: Record<string, unknown>[]; replacementGuard: { dataRepositoryAssociations: Record<string, unknown>[] } };
        // Only Analysis_2025/ is associated now: lab-sftp's Analysis_2024/ is covered by nothing.
        fsx.dataRepositoryAssociations[0].prefix = "Analysis_2025";
        fsx.replacementGuard.dataRepositoryAssociations[0].dataRepositoryPath = "s3://3bigsmicrobiome/Analysis_2025/";
        const host = config["microbiome-backup:syncHost"] as { sources: Record<string, unknown>[] };
        host.sources[1].destination = "Analysis_2025/partner/";
    });
}

const TIERS = [
    { day: 0, storageClass: "STANDARD" },
    { day: 90, storageClass: "GLACIER_IR" },
    { day: 180, storageClass: "DEEP_ARCHIVE" },
];

describe("npm run dataflow", () => {
    it("prod --json: exit 0, every path reaches the bucket and the DR bucket, in the documented shape", () => {
        const r = dataflow(["--stack", "prod", "--json"]);
        assert.equal(r.status, 0, r.stderr);
        const doc = JSON.parse(r.stdout) as { stack: string; paths: Record<string, unknown>[]; problems: string[]; warnings: string[] };
        assert.deepEqual(Object.keys(doc), ["stack", "paths", "problems", "warnings"]);
        assert.equal(doc.stack, "prod");
        assert.deepEqual(doc.problems, []);
        assert.deepEqual(
            doc.paths.map((p) => [p.source, p.lustrePath, p.association, p.s3]),
            [
                ["lab-sftp", "/fsx/microbiome/Analysis_2024/", "/microbiome", "s3://3bigsmicrobiome/Analysis_2024/"],
                ["partner-runs", "/fsx/microbiome/", "/microbiome", "s3://3bigsmicrobiome/"],
                ["existing", "/fsx/microbiome/", "/microbiome", "s3://3bigsmicrobiome/"],
            ],
        );
        for (const p of doc.paths) {
            assert.deepEqual(Object.keys(p), ["source", "lustrePath", "association", "s3", "exported", "tiers", "replicated", "drStorageClass", "restore"]);
            assert.equal(p.exported, true);
            // Until the backfill is recorded the archive tiers are held: past day 90 the data stays in GLACIER_IR.
            assert.deepEqual(p.tiers, [TIERS[0], TIERS[1], { day: 180, storageClass: "GLACIER_IR" }]);
            assert.equal(p.replicated, true);
            assert.equal(p.drStorageClass, "DEEP_ARCHIVE");
            assert.match(String(p.restore), /^from day 90: GLACIER_IR: download \(no restore\); DR copy DEEP_ARCHIVE: restore first/);
        }
        assert.ok(doc.warnings.some((w) => /S3 Batch Replication/.test(w)));
        assert.ok(doc.warnings.some((w) => /archive transitions held/.test(w)));
    });

    it("prod with the backfill recorded: the archive tiers are on (day 180 DEEP_ARCHIVE, restore first)", () => {
        const file = tempStackFile("prod", (c) => {
            (c["microbiome-backup:replication"] as Record<string, unknown>).backfill = { completedJobId: "00000000-0000-4000-8000-000000000000", completedAt: "2027-01-15" };
        });
        const r = dataflow(["--stack", "prod", "--config-file", file, "--json"]);
        assert.equal(r.status, 0, r.stderr);
        const doc = JSON.parse(r.stdout) as { paths: Record<string, unknown>[]; warnings: string[] };
        for (const p of doc.paths) {
            assert.deepEqual(p.tiers, TIERS);
            assert.match(String(p.restore), /^from day 180: DEEP_ARCHIVE: restore first: Standard within 12 hours, Bulk within 48 hours/);
        }
        assert.ok(!doc.warnings.some((w) => /archive transitions held/.test(w)));
    });

    it("dev: the table shows the source under /analysis, replicated as GLACIER_IR", () => {
        const r = dataflow(["--stack", "dev"]);
        assert.equal(r.status, 0, r.stderr);
        assert.match(r.stdout, /sequencer-exports\n {4}Lustre path: {2}\/fsx\/analysis\/sequencer-exports\/\n {4}association: {2}\/analysis\n {4}S3: {11}s3:\/\/microbiome-backup-dev-111111111111\/analysis\/sequencer-exports\//);
        assert.match(r.stdout, /replicated: {3}yes, DR class GLACIER_IR/);
    });

    it("a destination outside every association: exit 2, naming the source's key, in both forms", () => {
        const file = prodOutsideEveryAssociation();
        const human = dataflow(["--stack", "prod", "--config-file", file]);
        assert.equal(human.status, 2);
        assert.match(human.stderr, /microbiome-backup:syncHost\.sources\[0\]\.destination = "Analysis_2024\/": Analysis_2024\/ is not covered by any data repository association/);
        assert.doesNotMatch(human.stderr, /\n\s+at /, "no stack trace");
        const json = dataflow(["--stack", "prod", "--config-file", file, "--json"]);
        assert.equal(json.status, 2);
        const doc = JSON.parse(json.stdout) as { paths: unknown[]; problems: string[] };
        assert.deepEqual(doc.paths, []);
        assert.equal(doc.problems.length, 1);
        assert.match(doc.problems[0], /^microbiome-backup:syncHost\.sources\[0\]\.destination = "Analysis_2024\/"/);
    });

    it("the offline preview refuses the same stack file with exit 2", () => {
        const r = runPreview(["--stack", "prod", "--config-file", prodOutsideEveryAssociation()]);
        assert.equal(r.status, 2);
        assert.match(r.stderr, /microbiome-backup:syncHost\.sources\[0\]\.destination = "Analysis_2024\/": Analysis_2024\/ is not covered/);
    });

    it("bad arguments: exit 2 with the usage", () => {
        const r = dataflow(["--json"]);
        assert.equal(r.status, 2);
        assert.match(r.stderr, /--stack is required\nusage: npm run dataflow -- --stack <name>/);
    });
});

describe("offline preview: alerts and the data-flow table", () => {
    const prod = () => previewStack("prod");
    const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";

    it("prod declares the sync host's four alarms on the stack's alert topic", () => {
        const doc = prod();
        const [topic] = resourcesOfType(doc, "aws:sns/topic:Topic");
        assert.equal(resourcesOfType(doc, "aws:sns/topic:Topic").length, 1, "one alert topic for the stack");
        assert.match(topic.urn, /microbiome-backup:monitoring:Alerts\$aws:sns\/topic:Topic::alerts-topic$/);
        const topicArn = (doc.outputs as { alertTopicArn: string }).alertTopicArn;
        const alarms = new Map(resourcesOfType(doc, ALARM).map((a) => [a.urn.split("::").pop(), a.inputs]));
        const heartbeat = alarms.get("sync-host-alarms-missing-heartbeat")!;
        // daily schedule (24 h) + maxRunHours 20 = 44 h = 158,400 s, within CloudWatch's 604,800 s.
        assert.deepEqual(
            { ...heartbeat, alarmDescription: undefined },
            {
                alarmDescription: undefined,
                namespace: "MicrobiomeBackup/SyncHost",
                metricName: "VerifiedRun",
                dimensions: { Stack: "microbiome-backup-prod" },
                statistic: "Sum",
                period: 158400,
                evaluationPeriods: 1,
                threshold: 1,
                comparisonOperator: "LessThanThreshold",
                treatMissingData: "breaching",
                alarmActions: [topicArn],
                okActions: [topicArn],
            },
        );
        assert.equal(alarms.get("sync-host-alarms-failed-run")?.metricName, "FailedRun");
        assert.equal(alarms.get("sync-host-alarms-unexported-files")?.metricName, "UnexportedFilesOverAge");
        assert.deepEqual(
            [alarms.get("sync-host-alarms-low-free-capacity")?.metricName, alarms.get("sync-host-alarms-low-free-capacity")?.threshold],
            ["FreeCapacityPercent", 10],
        );
        assert.deepEqual(alarms.get("replication-failed-replication")?.alarmActions, [topicArn], "the replication alarm notifies the same topic");
        assert.deepEqual(
            resourcesOfType(doc, "aws:sns/topicSubscription:TopicSubscription").map((s) => s.inputs.endpoint),
            ["storage-oncall@example.com"],
        );
    });

    it("the human preview ends with the data-flow table, then the cost and the summary line (last, as pulumi preview prints it)", () => {
        const r = runPreview(["--stack", "dev"]);
        assert.equal(r.status, 0, r.stderr);
        assert.match(
            r.stdout,
            /\nData flow \(npm run dataflow for details\):\n {4}sequencer-exports: \/fsx\/analysis\/sequencer-exports\/ → s3:\/\/microbiome-backup-dev-111111111111\/analysis\/sequencer-exports\/ → STANDARD→GLACIER_IR→DEEP_ARCHIVE → DR GLACIER_IR\n\nCost: [^]*\nResources:\n[^]*changes\n?$/,
        );
    });
});

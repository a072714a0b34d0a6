/**
 * The replication backfill (tools/backfill/batchReplication.ts and the `backfill:replication`
 * command): request building from the real stack configuration, the SDK call under
 * aws-sdk-client-mock (no credentials, no network), and the dry run.
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CreateJobCommand, S3ControlClient } from "@aws-sdk/client-s3-control";
import { mockClient } from "aws-sdk-client-mock";
import { parse, stringify } from "yaml";
import { UNREPLICABLE_SOURCE_CLASSES } from "../../components/replicationRules";
import { BACKFILL_STORAGE_CLASSES, buildCreateJobInput, createBackfillJob, planFromConfig } from "../../tools/backfill/batchReplication";
import { parseStackFiles } from "../../tools/offline/stackFiles";
import { PROJECT_DIR } from "../helpers/preview";

const ROLE = "arn:aws:iam::111111111111:role/microbiome-backup-prod-replication-backfill";

function stackConfig(stack: string, configFile?: string) {
    return parseStackFiles(PROJECT_DIR, stack, configFile).config;
}

/** Runs the backfill command in a child process (no AWS credentials in its environment). */
function runBackfill(args: string[]) {
    const env = { ...process.env, TS_NODE_TRANSPILE_ONLY: "true", AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "", AWS_PROFILE: "offline-test-no-such-profile" };
    return spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(PROJECT_DIR, "tools", "backfill-replication.ts"), ...args], {
        cwd: PROJECT_DIR,
        encoding: "utf8",
        env,
    });
}

describe("replication backfill (S3 Batch Replication)", () => {
    it("builds the CreateJob request for prod from its stack configuration", () => {
        const input = buildCreateJobInput(planFromConfig(stackConfig("prod"), ROLE), { clientRequestToken: "token-1" });
        assert.equal(input.AccountId, "111111111111");
        assert.equal(input.RoleArn, ROLE);
        assert.deepEqual(input.Operation, { S3ReplicateObject: {} });
        assert.equal(input.ConfirmationRequired, true, "the job waits for a confirmation by default");
        assert.equal(input.ClientRequestToken, "token-1");
        const generator = input.ManifestGenerator?.S3JobManifestGenerator;
        assert.equal(generator?.SourceBucket, "arn:aws:s3:::3bigsmicrobiome");
        assert.equal(generator?.ExpectedBucketOwner, "111111111111");
        assert.equal(generator?.EnableManifestOutput, true);
        assert.equal(generator?.ManifestOutputLocation?.Bucket, "arn:aws:s3:::3bigsmicrobiome");
        assert.equal(generator?.ManifestOutputLocation?.ManifestPrefix, "replication-backfill/manifests");
        assert.deepEqual(generator?.Filter?.ObjectReplicationStatuses, ["NONE", "FAILED"]);
        assert.equal(generator?.Filter?.EligibleForReplication, true);
        assert.deepEqual(input.Report, {
            Enabled: true,
            Bucket: "arn:aws:s3:::3bigsmicrobiome",
            ExpectedBucketOwner: "111111111111",
            Prefix: "replication-backfill/reports",
            Format: "Report_CSV_20180820",
            ReportScope: "AllTasks",
        });
    });

    it("leaves out archived objects, which S3 cannot replicate", () => {
        const classes = buildCreateJobInput(planFromConfig(stackConfig("prod"), ROLE)).ManifestGenerator?.S3JobManifestGenerator?.Filter?.MatchAnyStorageClass ?? [];
        assert.ok(classes.length > 0);
        for (const archived of UNREPLICABLE_SOURCE_CLASSES) {
            assert.ok(!classes.includes(archived), `${archived} must not be in the manifest`);
        }
        assert.deepEqual(classes, [...BACKFILL_STORAGE_CLASSES]);
        assert.ok(classes.includes("GLACIER_IR"), "Glacier Instant Retrieval objects are not archived and do replicate");
    });

    it("refuses a stack without replication, and an external stack whose destination is not ready", () => {
        const dev = parse(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.dev.yaml"), "utf8")) as {
            config: Record<string, { external?: { destinationReady: boolean } } | { enabled: false }>;
        };
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "backfill-"));
        const notReady = path.join(dir, "Pulumi.notready.yaml");
        const section = dev.config["microbiome-backup:replication"] as { external: { destinationReady: boolean } };
        section.external.destinationReady = false;
        fs.writeFileSync(notReady, stringify(dev));
        assert.throws(() => planFromConfig(stackConfig("notready", notReady), ROLE), /destinationReady is false/);
        const disabled = path.join(dir, "Pulumi.disabled.yaml");
        dev.config["microbiome-backup:replication"] = { enabled: false };
        fs.writeFileSync(disabled, stringify(dev));
        assert.throws(() => planFromConfig(stackConfig("disabled", disabled), ROLE), /not enabled/);
    });

    describe("with a mocked S3 Control client", () => {
        const s3control = mockClient(S3ControlClient);
        afterEach(() => s3control.reset());

        it("sends exactly the built request and returns the job id", async () => {
            s3control.on(CreateJobCommand).resolves({ JobId: "job-1234" });
            const input = buildCreateJobInput(planFromConfig(stackConfig("prod"), ROLE), { clientRequestToken: "t" });
            const jobId = await createBackfillJob(new S3ControlClient({ region: "us-east-1" }), input);
            assert.equal(jobId, "job-1234");
            const calls = s3control.commandCalls(CreateJobCommand);
            assert.equal(calls.length, 1);
            assert.deepEqual(calls[0].args[0].input, input);
        });

        it("passes AWS errors on", async () => {
            s3control.on(CreateJobCommand).rejects(Object.assign(new Error("User is not authorized to perform iam:PassRole"), { name: "AccessDenied" }));
            const input = buildCreateJobInput(planFromConfig(stackConfig("prod"), ROLE));
            await assert.rejects(createBackfillJob(new S3ControlClient({ region: "us-east-1" }), input), /iam:PassRole/);
        });

        it("fails when AWS returns no job id", async () => {
            s3control.on(CreateJobCommand).resolves({});
            await assert.rejects(createBackfillJob(new S3ControlClient({ region: "us-east-1" }), buildCreateJobInput(planFromConfig(stackConfig("prod"), ROLE))), /no JobId/);
        });
    });

    describe("npm run backfill:replication", () => {
        it("--dry-run prints the request (region, role derived from the stack) and calls nothing", () => {
            const run = runBackfill(["--stack", "prod", "--dry-run", "--priority", "42", "--no-confirmation"]);
            assert.equal(run.status, 0, run.stderr);
            const printed = JSON.parse(run.stdout) as { region: string; CreateJob: { RoleArn: string; Priority: number; ConfirmationRequired: boolean } };
            assert.equal(printed.region, "us-east-1");
            assert.equal(printed.CreateJob.RoleArn, ROLE);
            assert.equal(printed.CreateJob.Priority, 42);
            assert.equal(printed.CreateJob.ConfirmationRequired, false);
            assert.match(run.stderr, /GLACIER or DEEP_ARCHIVE are excluded/);
        });

        it("exits 2 with the reason on bad arguments or a stack without replication", () => {
            assert.equal(runBackfill([]).status, 2);
            assert.equal(runBackfill(["--stack", "prod", "--priority", "-1"]).status, 2);
            const missing = runBackfill(["--stack", "nosuchstack", "--dry-run"]);
            assert.equal(missing.status, 2);
            assert.match(missing.stderr, /cannot read .*Pulumi\.nosuchstack\.yaml/);
        });
    });
});

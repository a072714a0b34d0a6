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
import { CreateJobCommand, DescribeJobCommand, ListJobsCommand, S3ControlClient } from "@aws-sdk/client-s3-control";
import { mockClient } from "aws-sdk-client-mock";
import { parse, stringify } from "yaml";
import { UNREPLICABLE_SOURCE_CLASSES } from "../../components/replication/rules";
import {
    BACKFILL_STORAGE_CLASSES,
    buildCreateJobInput,
    createBackfillJob,
    describeBackfillJob,
    findLatestBackfillJob,
    formatBackfillStatus,
    planFromConfig,
    recordCommands,
} from "../../tools/backfill/batchReplication";
import { parseStackConfig } from "../../config";
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

    describe("--status: the job's progress and the record of its completion (mocked S3 Control)", () => {
        // Created in before(): a second mockClient at definition time would replace the one above.
        let s3control: ReturnType<typeof mockClient>;
        before(() => {
            s3control = mockClient(S3ControlClient);
        });
        afterEach(() => s3control.reset());
        after(() => s3control.restore());
        const client = () => new S3ControlClient({ region: "us-east-1" });
        const JOB = "8f2c1e4a-1111-4222-8333-444455556666";

        it("reads status and ProgressSummary; a job still running is not recordable", async () => {
            s3control.on(DescribeJobCommand, { AccountId: "111111111111", JobId: JOB }).resolves({
                Job: { JobId: JOB, Status: "Active", ProgressSummary: { TotalNumberOfTasks: 1_200_000, NumberOfTasksSucceeded: 300_000, NumberOfTasksFailed: 0 } },
            });
            const status = await describeBackfillJob(client(), "111111111111", JOB);
            assert.equal(status.completedClean, false);
            // 300 000 / 1 200 000 = 25.0 %
            assert.equal(formatBackfillStatus(status), `job ${JOB}: Active\ntasks: 1200000 total, 300000 succeeded, 0 failed (25.0 % succeeded)`);
            assert.throws(() => recordCommands("prod", status), /is Active with 0 failed task/);
        });

        it("a Complete job with failed tasks is not recordable", async () => {
            s3control.on(DescribeJobCommand).resolves({
                Job: { JobId: JOB, Status: "Complete", ProgressSummary: { TotalNumberOfTasks: 10, NumberOfTasksSucceeded: 9, NumberOfTasksFailed: 1 }, TerminationDate: new Date("2026-12-01T10:00:00Z") },
            });
            const status = await describeBackfillJob(client(), "111111111111", JOB);
            assert.equal(status.completedClean, false);
            assert.throws(() => recordCommands("prod", status), /1 failed task/);
        });

        it("a Complete job with every task succeeded prints the exact config commands, which the config accepts", async () => {
            s3control.on(DescribeJobCommand).resolves({
                Job: { JobId: JOB, Status: "Complete", ProgressSummary: { TotalNumberOfTasks: 10, NumberOfTasksSucceeded: 10, NumberOfTasksFailed: 0 }, TerminationDate: new Date("2026-12-01T23:59:00Z") },
            });
            const status = await describeBackfillJob(client(), "111111111111", JOB);
            assert.equal(status.completedClean, true);
            const commands = recordCommands("prod", status);
            assert.deepEqual(commands, [
                `pulumi config set --stack prod --path replication.backfill.completedJobId ${JOB}`,
                "pulumi config set --stack prod --path replication.backfill.completedAt 2026-12-01",
            ]);
            // Applying them to the prod stack file yields a valid record that releases the hold.
            const raw = parse(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.prod.yaml"), "utf8")) as { config: Record<string, Record<string, unknown>> };
            raw.config["microbiome-backup:replication"].backfill = { completedJobId: commands[0].split(" ").pop(), completedAt: commands[1].split(" ").pop() };
            const { config } = parseStackConfig(raw.config, "prod");
            assert.deepEqual(config.replication.backfill, { completedJobId: JOB, completedAt: "2026-12-01" });
        });

        it("finds the stack's newest backfill job across ListJobs pages, ignoring other jobs", async () => {
            const prefix = "microbiome-backup prod: backfill replication of 3bigsmicrobiome to arn:aws:s3:::microbiome-backup-dr-222222222222";
            s3control
                .on(ListJobsCommand, { AccountId: "111111111111", NextToken: undefined })
                .resolves({
                    Jobs: [
                        { JobId: "old-job-1", Operation: "S3ReplicateObject", Description: prefix, CreationTime: new Date("2026-11-01T00:00:00Z") },
                        { JobId: "other-copy", Operation: "S3PutObjectCopy", Description: prefix, CreationTime: new Date("2026-12-01T00:00:00Z") },
                    ],
                    NextToken: "page-2",
                })
                .on(ListJobsCommand, { AccountId: "111111111111", NextToken: "page-2" })
                .resolves({
                    Jobs: [
                        { JobId: "new-job-2", Operation: "S3ReplicateObject", Description: prefix, CreationTime: new Date("2026-11-20T00:00:00Z") },
                        { JobId: "dev-job-3", Operation: "S3ReplicateObject", Description: "microbiome-backup dev: backfill replication of x to y", CreationTime: new Date("2026-11-30T00:00:00Z") },
                    ],
                });
            const plan = planFromConfig(stackConfig("prod"), ROLE);
            assert.equal(await findLatestBackfillJob(client(), plan), "new-job-2");
            assert.equal(s3control.commandCalls(ListJobsCommand).length, 2);
        });

        it("passes AccessDenied on", async () => {
            s3control.on(DescribeJobCommand).rejects(Object.assign(new Error("not authorized to perform s3:DescribeJob"), { name: "AccessDenied" }));
            await assert.rejects(describeBackfillJob(client(), "111111111111", JOB), /s3:DescribeJob/);
        });

        it("the command refuses --job-id without --status, and a malformed job id (exit 2)", () => {
            const withoutStatus = runBackfill(["--stack", "prod", "--job-id", JOB]);
            assert.equal(withoutStatus.status, 2);
            assert.match(withoutStatus.stderr, /--job-id needs --status/);
            const bad = runBackfill(["--stack", "prod", "--status", "--job-id", "a/b"]);
            assert.equal(bad.status, 2);
            assert.match(bad.stderr, /an S3 Batch Operations job id/);
            const help = runBackfill(["--help"]);
            assert.equal(help.status, 0);
            assert.match(help.stdout, /--status .*DescribeJob/);
        });
    });
});

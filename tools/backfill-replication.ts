/**
 * `npm run backfill:replication -- --stack <name> [--config-file <path>] [--dry-run]
 *     [--role-arn <arn>] [--priority <n>] [--no-confirmation]`
 * `npm run backfill:replication -- --stack <name> --status [--job-id <id>]`
 *
 * Creates the S3 Batch Replication job that copies the objects which existed before replication
 * was configured into the DR bucket (see tools/backfill/batchReplication.ts and
 * docs/replication.md "Backfill"). Reads the stack's configuration from the stack file (validated
 * like the program does); needs the main account's credentials (s3:CreateJob, iam:PassRole on the
 * backfill role) unless `--dry-run`, which only prints the request and calls nothing.
 *
 * `--status` reports a Batch Replication job's progress (S3 Control DescribeJob: status and the
 * ProgressSummary's total / succeeded / failed tasks; without `--job-id`, the newest backfill job of
 * the stack found with ListJobs) and, once it is Complete with no failed task, prints the
 * `pulumi config set --path` commands that record `replication.backfill`, which releases the
 * archive-transition hold (config/replication.ts `archiveHold`). Needs `s3:DescribeJob` (and
 * `s3:ListJobs` without `--job-id`).
 *
 * Exit codes: 0 ok (with `--status`: Complete, no failed task); 1 AWS refused the request; 2 bad
 * arguments or configuration; 3 (`--status`) the job is not complete yet, or has failed tasks.
 */
import "../config/requireNode"; // first: refuses Node < 22 before anything else loads
import * as path from "node:path";
import { S3ControlClient } from "@aws-sdk/client-s3-control";
import { backfillRoleName } from "../components/replication/policies";
import { batchJobId } from "../config/replication";
import {
    BackfillPlan,
    buildCreateJobInput,
    createBackfillJob,
    describeBackfillJob,
    findLatestBackfillJob,
    formatBackfillStatus,
    planFromConfig,
    recordCommands,
} from "./backfill/batchReplication";
import { parseStackCommandLine, runTool, stackLoadFailure } from "./cli";
import { parseStackFiles } from "./offline/stackFiles";

const USAGE = [
    "usage: npm run backfill:replication -- --stack <name> [--config-file <path>] [--dry-run] [--role-arn <arn>] [--priority <n>] [--no-confirmation]",
    "       npm run backfill:replication -- --stack <name> [--config-file <path>] --status [--job-id <id>]",
    "",
    "  --status        report the backfill job's progress (S3 Control DescribeJob); once it is Complete with",
    "                  no failed task, print the pulumi config commands that record replication.backfill",
    "  --job-id <id>   the job to report (default: the stack's newest backfill job, found with ListJobs)",
    "exit codes: 0 ok; 1 AWS refused a request; 2 bad arguments or configuration; 3 (--status) not complete or failed tasks",
].join("\n");

/** `--status`: prints the job's progress and, when it completed cleanly, the record commands. */
async function reportStatus(stack: string, plan: BackfillPlan, jobId: string | undefined, alreadyRecorded: string | undefined): Promise<number> {
    const client = new S3ControlClient({ region: plan.region });
    let id = jobId;
    try {
        id ??= await findLatestBackfillJob(client, plan);
        if (id === undefined) {
            process.stderr.write(`error: no backfill job of stack ${stack} in ${plan.region} (ListJobs); create it with npm run backfill:replication -- --stack ${stack}\n`);
            return 3;
        }
        const status = await describeBackfillJob(client, plan.accountId, id);
        process.stdout.write(`${formatBackfillStatus(status)}\n`);
        if (!status.completedClean) {
            process.stdout.write(
                status.status === "Complete"
                    ? "not recordable: some tasks failed; read the completion report under replication-backfill/reports/ and run a new backfill (its manifest includes FAILED)\n"
                    : "not complete yet: the archive transitions stay held; run --status again later\n",
            );
            return 3;
        }
        if (alreadyRecorded) {
            process.stdout.write(`already recorded: replication.backfill.completedJobId = ${alreadyRecorded}\n`);
        }
        process.stdout.write("record the completed backfill (then pulumi up enables the GLACIER/DEEP_ARCHIVE transitions):\n");
        for (const command of recordCommands(stack, status)) {
            process.stdout.write(`  ${command}\n`);
        }
        return 0;
    } catch (err) {
        process.stderr.write(`error: ${id === undefined ? "ListJobs" : "DescribeJob"} failed: ${(err as Error).name}: ${(err as Error).message}\n`);
        return 1;
    }
}

async function main(): Promise<number> {
    const { stack, configFile, values } = parseStackCommandLine(process.argv.slice(2), USAGE, {
        "dry-run": { type: "boolean", default: false },
        "role-arn": { type: "string" },
        priority: { type: "string" },
        "no-confirmation": { type: "boolean", default: false },
        status: { type: "boolean", default: false },
        "job-id": { type: "string" },
    });
    const priority = values.priority === undefined ? undefined : Number(values.priority);
    if (priority !== undefined && (!Number.isInteger(priority) || priority < 0)) {
        process.stderr.write(`error: --priority must be a whole number ≥ 0\n`);
        return 2;
    }

    if (values["job-id"] !== undefined && !values.status) {
        process.stderr.write("error: --job-id needs --status\n");
        return 2;
    }
    if (values["job-id"] !== undefined && !batchJobId.safeParse(values["job-id"]).success) {
        process.stderr.write(`error: --job-id ${values["job-id"]}: an S3 Batch Operations job id (5–36 letters, digits, - or _)\n`);
        return 2;
    }

    let input;
    let region: string;
    let plan: BackfillPlan;
    let recorded: string | undefined;
    try {
        const { config } = parseStackFiles(path.resolve(__dirname, ".."), stack, configFile);
        const sourceAccountId = config.replication.sourceAccountId ?? "";
        const roleArn = values["role-arn"] ?? `arn:aws:iam::${sourceAccountId}:role/${backfillRoleName(config.project, config.stack)}`;
        plan = planFromConfig(config, roleArn);
        recorded = config.replication.backfill?.completedJobId;
        region = plan.region;
        input = buildCreateJobInput(plan, { confirmationRequired: !values["no-confirmation"], priority });
    } catch (err) {
        process.stderr.write(stackLoadFailure(err, stack) ?? `error: ${(err as Error).message}\n`);
        return 2;
    }
    if (values.status) {
        return reportStatus(stack, plan, values["job-id"], recorded);
    }

    process.stderr.write(
        "note: objects in GLACIER or DEEP_ARCHIVE are excluded (S3 cannot replicate archived objects); see docs/replication.md \"Objects already archived\".\n",
    );
    if (values["dry-run"]) {
        process.stdout.write(`${JSON.stringify({ region, CreateJob: input }, null, 2)}\n`);
        return 0;
    }
    try {
        const jobId = await createBackfillJob(new S3ControlClient({ region }), input);
        process.stdout.write(
            `created S3 Batch Replication job ${jobId} in ${region}` +
                (input.ConfirmationRequired ? ": review and confirm it in the S3 console (Batch Operations) to start it\n" : "\n"),
        );
        return 0;
    } catch (err) {
        process.stderr.write(`error: CreateJob failed: ${(err as Error).name}: ${(err as Error).message}\n`);
        return 1;
    }
}

runTool(main, 2);

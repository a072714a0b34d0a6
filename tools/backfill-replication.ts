/**
 * `npm run backfill:replication -- --stack <name> [--config-file <path>] [--dry-run]
 *     [--role-arn <arn>] [--priority <n>] [--no-confirmation]`
 *
 * Creates the S3 Batch Replication job that copies the objects which existed before replication
 * was configured into the DR bucket (see tools/backfill/batchReplication.ts and
 * docs/replication.md "Backfill"). Reads the stack's configuration from the stack file (validated
 * like the program does); needs the main account's credentials (s3:CreateJob, iam:PassRole on the
 * backfill role) unless `--dry-run`, which only prints the request and calls nothing.
 *
 * Exit codes: 0 ok; 1 AWS refused the request; 2 bad arguments or configuration.
 */
import * as path from "node:path";
import { parseArgs } from "node:util";
import { S3ControlClient } from "@aws-sdk/client-s3-control";
import { backfillRoleName } from "../components/replicationPolicies";
import { ConfigError, parseStackConfig } from "../config";
import { formatProblem } from "../config/problems";
import { buildCreateJobInput, createBackfillJob, planFromConfig } from "./backfill/batchReplication";
import { readStackConfig, StackFileError } from "./offline/stackFiles";
import { exitAfterFlush } from "./exit";

const USAGE =
    "usage: npm run backfill:replication -- --stack <name> [--config-file <path>] [--dry-run] [--role-arn <arn>] [--priority <n>] [--no-confirmation]";

async function main(): Promise<number> {
    let values;
    try {
        ({ values } = parseArgs({
            args: process.argv.slice(2),
            options: {
                stack: { type: "string", short: "s" },
                "config-file": { type: "string" },
                "dry-run": { type: "boolean", default: false },
                "role-arn": { type: "string" },
                priority: { type: "string" },
                "no-confirmation": { type: "boolean", default: false },
                help: { type: "boolean", short: "h", default: false },
            },
            strict: true,
            allowPositionals: false,
        }));
    } catch (err) {
        process.stderr.write(`error: ${(err as Error).message}\n${USAGE}\n`);
        return 2;
    }
    if (values.help) {
        process.stdout.write(`${USAGE}\n`);
        return 0;
    }
    if (!values.stack) {
        process.stderr.write(`error: --stack is required\n${USAGE}\n`);
        return 2;
    }
    const priority = values.priority === undefined ? undefined : Number(values.priority);
    if (priority !== undefined && (!Number.isInteger(priority) || priority < 0)) {
        process.stderr.write(`error: --priority must be a whole number ≥ 0\n`);
        return 2;
    }

    let input;
    let region: string;
    try {
        const files = readStackConfig(path.resolve(__dirname, ".."), values.stack, values["config-file"]);
        const { config } = parseStackConfig(files.values, files.stack, files.project);
        const sourceAccountId = config.replication.sourceAccountId ?? "";
        const roleArn = values["role-arn"] ?? `arn:aws:iam::${sourceAccountId}:role/${backfillRoleName(config.project, config.stack)}`;
        const plan = planFromConfig(config, roleArn);
        region = plan.region;
        input = buildCreateJobInput(plan, { confirmationRequired: !values["no-confirmation"], priority });
    } catch (err) {
        if (ConfigError.isConfigError(err)) {
            process.stderr.write(`error: the configuration of stack "${values.stack}" is invalid:\n`);
            for (const problem of err.problems) process.stderr.write(`  - ${formatProblem(problem)}\n`);
        } else if (err instanceof StackFileError) {
            process.stderr.write(`error: ${err.message}\n`);
        } else {
            process.stderr.write(`error: ${(err as Error).message}\n`);
        }
        return 2;
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

main().then(
    (code) => exitAfterFlush(code),
    (err: unknown) => {
        process.stderr.write(`error: ${(err as Error).stack ?? String(err)}\n`);
        void exitAfterFlush(2);
    },
);

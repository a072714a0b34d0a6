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
import "../config/requireNode"; // first: refuses Node < 22 before anything else loads
import * as path from "node:path";
import { S3ControlClient } from "@aws-sdk/client-s3-control";
import { backfillRoleName } from "../components/replicationPolicies";
import { buildCreateJobInput, createBackfillJob, planFromConfig } from "./backfill/batchReplication";
import { parseStackCommandLine, runTool, stackLoadFailure } from "./cli";
import { parseStackFiles } from "./offline/stackFiles";

const USAGE =
    "usage: npm run backfill:replication -- --stack <name> [--config-file <path>] [--dry-run] [--role-arn <arn>] [--priority <n>] [--no-confirmation]";

async function main(): Promise<number> {
    const { stack, configFile, values } = parseStackCommandLine(process.argv.slice(2), USAGE, {
        "dry-run": { type: "boolean", default: false },
        "role-arn": { type: "string" },
        priority: { type: "string" },
        "no-confirmation": { type: "boolean", default: false },
    });
    const priority = values.priority === undefined ? undefined : Number(values.priority);
    if (priority !== undefined && (!Number.isInteger(priority) || priority < 0)) {
        process.stderr.write(`error: --priority must be a whole number ≥ 0\n`);
        return 2;
    }

    let input;
    let region: string;
    try {
        const { config } = parseStackFiles(path.resolve(__dirname, ".."), stack, configFile);
        const sourceAccountId = config.replication.sourceAccountId ?? "";
        const roleArn = values["role-arn"] ?? `arn:aws:iam::${sourceAccountId}:role/${backfillRoleName(config.project, config.stack)}`;
        const plan = planFromConfig(config, roleArn);
        region = plan.region;
        input = buildCreateJobInput(plan, { confirmationRequired: !values["no-confirmation"], priority });
    } catch (err) {
        process.stderr.write(stackLoadFailure(err, stack) ?? `error: ${(err as Error).message}\n`);
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

runTool(main, 2);

/**
 * `npm run restore -- --stack <name> --prefix <key prefix> [--tier Bulk|Standard|Expedited]
 *     [--days N] [--dry-run] [--status] [--profile P] [--concurrency N] [--config-file <path>]`
 *
 * Restores every archived object (GLACIER, DEEP_ARCHIVE) under a project folder of the backup
 * bucket, after printing the plan (objects and bytes per storage class, cost and ready time per
 * tier); `--status` reports restored / in progress / not requested and, once everything is ready,
 * the download command. See tools/restore/run.ts and README "For lab staff".
 *
 * Exit codes: 0 ok; 1 some restore requests failed (rerun); 2 refused (arguments, configuration,
 * prefix, tier, days); 3 an AWS call failed (access denied, credentials, bucket).
 */
import "../config/requireNode"; // first: refuses Node < 22 before anything else loads
import * as path from "node:path";
import { parseStackCommandLine, runTool } from "./cli";
import { DEFAULT_CONCURRENCY, runRestore } from "./restore/run";
import { DEFAULT_DAYS, DEFAULT_TIER } from "./restore/plan";

const USAGE = `usage: npm run restore -- --stack <name> --prefix <key prefix> [options]

Restores the archived objects (S3 Glacier Flexible Retrieval, Deep Archive) under a project folder
of the stack's backup bucket, e.g. --prefix Analysis_2019/P2019-004/. Prints the plan first: objects
and bytes per storage class, retrieval cost and ready time per tier. Rerun-safe: objects already
restored or being restored are skipped.

options:
  --stack, -s <name>      stack whose bucket and Region to use (required)
  --prefix <key prefix>   Analysis_<year>/<project>/… (required)
  --tier <tier>           Bulk (default ${DEFAULT_TIER}; cheapest), Standard, or Expedited (Glacier Flexible Retrieval only)
  --days <n>              days the restored copies stay readable (default ${DEFAULT_DAYS}; at least 1)
  --dry-run               print the plan, restore nothing
  --status                report restored / in progress / not requested; the download command when all are ready
  --profile <name>        AWS CLI profile of the lab identity (default: AWS_PROFILE or the SDK's default chain)
  --concurrency <n>       requests in flight (default ${DEFAULT_CONCURRENCY})
  --config-file <path>    stack file to read instead of Pulumi.<stack>.yaml
  --help, -h              this text

exit codes: 0 ok; 1 some restore requests failed (run again); 2 refused (arguments, configuration,
prefix outside the layout or matching nothing, tier not offered, days out of range); 3 an AWS call
failed (AccessDenied is explained in terms of the stack's lab identity).`;

const { stack, configFile, values } = parseStackCommandLine(process.argv.slice(2), USAGE, {
    prefix: { type: "string" },
    tier: { type: "string" },
    days: { type: "string" },
    "dry-run": { type: "boolean", default: false },
    status: { type: "boolean", default: false },
    profile: { type: "string" },
    concurrency: { type: "string" },
});

runTool(
    () =>
        runRestore({
            projectDir: path.resolve(__dirname, ".."),
            stack,
            configFile,
            prefix: values.prefix,
            tier: values.tier,
            days: values.days,
            dryRun: values["dry-run"],
            status: values.status,
            profile: values.profile,
            concurrency: values.concurrency,
        }),
    3,
);

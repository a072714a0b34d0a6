/**
 * `npm run adopt:preflight -- --stack <name> [--out <file>] [--config-file <path>]`
 *
 * Before the first `pulumi up` of a stack that adopts an existing bucket (`bucket.adoptExisting`):
 * reads the live bucket with read-only AWS SDK v3 calls (the stack's `aws:region`, the default
 * credential chain: AWS_PROFILE, SSO, …), prints setting by setting what the first `up` would keep,
 * change or replace (and the config key that keeps a live value), and writes a snapshot JSON to
 * restore from (docs/adoption.md). See tools/adopt/.
 *
 * Exit codes: 0 no replacement of the bucket; 1 a replacement of the bucket itself would follow
 * (wrong Region, Object Lock); 2 bad arguments or configuration; 3 the bucket could not be read
 * completely (missing, access denied, throttled after retries).
 */
import "../config/requireNode"; // first: refuses Node < 22 before anything else loads
import * as path from "node:path";
import { defaultClients } from "./adopt/liveBucket";
import { runPreflight } from "./adopt/run";
import { parseStackCommandLine, runTool } from "./cli";

const USAGE = [
    "usage: npm run adopt:preflight -- --stack <name> [--out <file>] [--config-file <path>]",
    "",
    "Reads the existing bucket of an adopting stack (bucket.adoptExisting: true) with read-only AWS calls",
    "(region, versioning, Object Lock, tags, policy, ACL, ownership, public access block, encryption,",
    "lifecycle, replication, notifications, CORS, logging, CloudWatch storage per class) and prints what the",
    "first pulumi up keeps, changes or replaces, with the config key that keeps a live value.",
    "",
    "  --stack, -s <name>    the stack (reads Pulumi.<name>.yaml; region and bucket from it)",
    "  --out <file>          snapshot JSON to write (default adopt-preflight-<stack>-<bucket>-<UTC time>.json)",
    "  --config-file <path>  a stack file to use instead of Pulumi.<name>.yaml",
    "  --help, -h            this text",
    "",
    "Credentials: the default AWS SDK chain (AWS_PROFILE, SSO, environment); read-only permissions listed in docs/adoption.md.",
    "Restore from the snapshot: docs/adoption.md \"Restoring from the snapshot\".",
    "exit codes: 0 no replacement; 1 the bucket itself would be replaced; 2 bad arguments/config; 3 bucket not (fully) readable",
].join("\n");

const args = parseStackCommandLine(process.argv.slice(2), USAGE, { out: { type: "string" } });
runTool(
    () =>
        runPreflight({
            projectDir: path.resolve(__dirname, ".."),
            stack: args.stack,
            configFile: args.configFile,
            out: args.values.out,
            clients: defaultClients,
        }),
    3,
);

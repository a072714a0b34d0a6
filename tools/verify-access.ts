/**
 * `npm run verify:access -- --stack <name> [--config-file <path>]`
 *
 * Checks the deployed bucket identities of a stack against the access case table with IAM's
 * SimulatePrincipalPolicy (see tools/access/verify.ts) and prints a table. Needs AWS credentials
 * allowed `iam:GetUser` and `iam:SimulatePrincipalPolicy` (standard SDK chain: AWS_PROFILE, …).
 * Exit codes: 0 every case as expected; 1 a mismatch; 2 bad arguments or configuration; 3 an AWS
 * call failed.
 */
import "../config/requireNode"; // first: refuses Node < 22 before anything else loads
import * as path from "node:path";
import { runVerify } from "./access/verify";
import { parseStackCommandLine, runTool } from "./cli";

const USAGE = "usage: npm run verify:access -- --stack <name> [--config-file <path>]";

const args = parseStackCommandLine(process.argv.slice(2), USAGE, {});
runTool(() => runVerify({ projectDir: path.resolve(__dirname, ".."), stack: args.stack, configFile: args.configFile }), 3);

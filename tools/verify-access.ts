/**
 * `npm run verify:access -- --stack <name> [--config-file <path>]`
 *
 * Checks the deployed bucket identities of a stack against the access case table with IAM's
 * SimulatePrincipalPolicy (see tools/access/verify.ts) and prints a table. Needs AWS credentials
 * allowed `iam:GetUser` and `iam:SimulatePrincipalPolicy` (standard SDK chain: AWS_PROFILE, …).
 * Exit codes: 0 every case as expected; 1 a mismatch; 2 bad arguments or configuration; 3 an AWS
 * call failed.
 */
import * as path from "node:path";
import { parseArgs } from "node:util";
import { runVerify } from "./access/verify";
import { exitAfterFlush } from "./exit";

const USAGE = "usage: npm run verify:access -- --stack <name> [--config-file <path>]";

/** Parses the command line; exits 2 with the usage on bad arguments. */
function parseCommandLine(argv: string[]): { stack: string; configFile?: string } {
    try {
        const { values } = parseArgs({
            args: argv,
            options: {
                stack: { type: "string", short: "s" },
                "config-file": { type: "string" },
                help: { type: "boolean", short: "h", default: false },
            },
            strict: true,
            allowPositionals: false,
        });
        if (values.help) {
            process.stdout.write(`${USAGE}\n`);
            process.exit(0);
        }
        if (!values.stack) {
            throw new Error("--stack is required");
        }
        return { stack: values.stack, configFile: values["config-file"] };
    } catch (err) {
        process.stderr.write(`error: ${(err as Error).message}\n${USAGE}\n`);
        process.exit(2);
    }
}

const args = parseCommandLine(process.argv.slice(2));
runVerify({ projectDir: path.resolve(__dirname, ".."), stack: args.stack, configFile: args.configFile }).then(
    (code) => exitAfterFlush(code),
    (err: unknown) => {
        process.stderr.write(`error: ${(err as Error).stack ?? String(err)}\n`);
        void exitAfterFlush(3);
    },
);

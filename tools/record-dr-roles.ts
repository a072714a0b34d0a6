/**
 * `npm run iam:docs -- --stack prod [--config-file <path>]`
 *
 * Runs the offline preview of the stack (the real program under Pulumi's mock runtime) and writes
 * its `drDeployRolePolicyJson` and `drPreviewRolePolicyJson` outputs — the DR account's deploy and
 * preview roles' permissions, generated from the calls the AWS provider makes
 * (`components/replication/drRolePolicies.ts`) — to `docs/iam/dr-deploy-role.json` and
 * `docs/iam/dr-preview-role.json`. A test keeps the files equal to prod's outputs. Exit 1 when the
 * stack has no managed replication (no such outputs), 2 on an invalid configuration, 3 when the
 * preview fails.
 */
import "../config/requireNode"; // first: refuses Node < 22 before anything else loads
import * as fs from "node:fs";
import * as path from "node:path";
import { onStack, parseStackCommandLine, runTool } from "./cli";
import { runProgram } from "./offline/run";

const USAGE = "usage: npm run iam:docs -- --stack <name> [--config-file <path>]   (writes docs/iam/dr-deploy-role.json and dr-preview-role.json)";

/** The generated files, by the stack output they hold. */
export const DR_ROLE_DOCS = {
    drDeployRolePolicyJson: path.join("docs", "iam", "dr-deploy-role.json"),
    drPreviewRolePolicyJson: path.join("docs", "iam", "dr-preview-role.json"),
} as const;

async function main(): Promise<number> {
    const { stack, configFile } = parseStackCommandLine(process.argv.slice(2), USAGE, {});
    const projectDir = path.resolve(__dirname, "..");
    return onStack(stack, "the offline preview", async () => {
        const run = await runProgram({ projectDir, stack, configFile });
        for (const [output, file] of Object.entries(DR_ROLE_DOCS)) {
            const value = run.outputs[output];
            if (typeof value !== "string") {
                process.stderr.write(`error: stack ${stack} has no ${output} output (replication.mode must be managed)\n`);
                return 1;
            }
            fs.mkdirSync(path.join(projectDir, path.dirname(file)), { recursive: true });
            fs.writeFileSync(path.join(projectDir, file), `${value}\n`);
            process.stdout.write(`wrote ${file}\n`);
        }
        return 0;
    });
}

if (require.main === module) {
    runTool(main, 3);
}

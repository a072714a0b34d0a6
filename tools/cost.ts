/**
 * `npm run cost -- --stack <name> [--config-file <path>] [--json]`
 *
 * The monthly cost of what the stack declares, offline: evaluates the real program under Pulumi's
 * mock runtime (the same `runProgram` as the offline preview) and prices its registrations with the
 * project's price table (`tools/pricing/`); see docs/cost.md. `--json` prints
 * `{ stack, currency, monthlyTotal, lines[], unpriced[], assumptions[], free[], oneTime, comparisons[] }`.
 * Exit codes: 0 ok; 2 bad arguments or an invalid configuration (every problem listed); 3 a bug.
 */
import "../config/requireNode"; // first: refuses Node < 22 before anything else loads
import * as path from "node:path";
import { runProgram } from "./offline/run";
import { onStack, parseStackCommandLine, runTool } from "./cli";
import { estimateRun } from "./cost/fromRun";
import { renderCostTable } from "./cost/render";

const USAGE = "usage: npm run cost -- --stack <name> [--config-file <path>] [--json]";

async function main(): Promise<number> {
    const { stack, configFile, values } = parseStackCommandLine(process.argv.slice(2), USAGE, { json: { type: "boolean", default: false } });
    const projectDir = path.resolve(__dirname, "..");
    return onStack(stack, "the cost estimate", async () => {
        const run = await runProgram({ projectDir, stack, configFile });
        const estimate = estimateRun(run, projectDir, configFile);
        process.stdout.write(values.json ? `${JSON.stringify(estimate, null, 2)}\n` : `${renderCostTable(estimate)}\n`);
        return 0;
    });
}

runTool(main, 3);

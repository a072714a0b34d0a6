/**
 * `npm run urns:record -- --stack <name> [--config-file <path>]`
 *
 * Runs the offline preview of the stack (the real program under Pulumi's mock runtime) and writes
 * the sorted URNs of every resource it registers to `tests/fixtures/urns-<stack>.json`, the pins
 * `tests/urnPins.test.ts` compares the program with. Run it only for a deliberate change (a
 * resource added or removed); for a rename add `aliases` instead. Exit 2 on an invalid
 * configuration, 3 when the preview fails.
 */
import "../config/requireNode"; // first: refuses Node < 22 before anything else loads
import * as path from "node:path";
import { onStack, parseStackCommandLine, runTool } from "./cli";
import { runProgram } from "./offline/run";
import { pinsOf, writeUrnPins } from "./offline/urns";

const USAGE = "usage: npm run urns:record -- --stack <name> [--config-file <path>]   (writes tests/fixtures/urns-<name>.json)";

async function main(): Promise<number> {
    const { stack, configFile } = parseStackCommandLine(process.argv.slice(2), USAGE, {});
    const projectDir = path.resolve(__dirname, "..");
    return onStack(stack, "the offline preview", async () => {
        const run = await runProgram({ projectDir, stack, configFile });
        const pins = pinsOf(stack, run.steps);
        const file = writeUrnPins(projectDir, pins);
        process.stdout.write(`wrote ${pins.urns.length} URNs of stack ${stack} to ${path.relative(projectDir, file)}\n`);
        return 0;
    });
}

runTool(main, 3);

/**
 * `npm run dataflow -- --stack <name> [--config-file <path>] [--json]`
 *
 * Offline (no AWS, no Pulumi runtime): reads the stack file, validates it as the program does, and
 * prints the data-flow report of `config/dataFlow.ts` — for each sync source and for the data
 * the adopted bucket already holds: source → Lustre path → association → `s3://bucket/prefix` →
 * storage class at day 0, 90, 180 → replicated, DR storage class → how to get it back.
 * `--json` prints one document `{ stack, paths, problems, warnings }`.
 *
 * Exit codes: 0 every path reaches the bucket; 2 bad arguments, an unreadable stack file, an invalid
 * configuration (e.g. a source whose destination no exporting association covers — every problem
 * listed, naming the source's key) or a path that ends before the bucket; 3 a bug.
 */
import "../config/requireNode"; // first: refuses Node < 22 before anything else loads
import * as path from "node:path";
import { archiveHold } from "../config/replication";
import { buildDataFlowReport, DataFlowReport, renderDataFlowTable } from "../config/dataFlow";
import { formatProblem } from "../components/common/problems";
import { parseStackCommandLine, runTool, stackLoadFailure } from "./cli";
import { parseStackFiles } from "./offline/stackFiles";
import { ConfigError } from "../config/configError";

const USAGE = "usage: npm run dataflow -- --stack <name> [--config-file <path>] [--json]";

/** The command; returns the exit code (synchronous work, wrapped for runTool). */
function report(): number {
    const { stack, configFile, values } = parseStackCommandLine(process.argv.slice(2), USAGE, { json: { type: "boolean", default: false } });
    const projectDir = path.resolve(__dirname, "..");
    let report: DataFlowReport;
    try {
        const { config, warnings } = parseStackFiles(projectDir, stack, configFile);
        const built = buildDataFlowReport(config, { holdArchive: archiveHold(config).held });
        report = { ...built, warnings: [...warnings.map(formatProblem), ...built.warnings] };
    } catch (err) {
        const failure = stackLoadFailure(err, stack);
        if (failure === undefined) throw err;
        if (values.json) {
            const problems = ConfigError.isConfigError(err) ? err.problems.map(formatProblem) : [failure.replace(/^error: /, "").trim()];
            process.stdout.write(`${JSON.stringify({ stack, paths: [], problems, warnings: [] }, null, 2)}\n`);
        }
        process.stderr.write(failure);
        return 2;
    }
    process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : `${renderDataFlowTable(report)}\n`);
    if (report.problems.length > 0) {
        process.stderr.write(`error: ${report.problems.length} path(s) end before the bucket:\n${report.problems.map((p) => `  - ${p}\n`).join("")}`);
        return 2;
    }
    return 0;
}

runTool(() => Promise.resolve().then(report), 3);

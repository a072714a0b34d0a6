/**
 * Offline preview of a fixture program (instead of index.ts), in a child process: the Pulumi
 * runtime is process-global, so every program run needs a process of its own.
 *
 * As a script: `ts-node tests/helpers/fixturePreview.ts <program.ts> <stack> [config-file]` prints
 * the preview JSON (the `pulumi preview --json` shape) on stdout; exit 2 on invalid config.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { ConfigError, formatProblem } from "../../config/problems";
import { evaluatePolicies } from "../../tools/offline/policies";
import { PreviewDocument, toPreviewDocument } from "../../tools/offline/render";
import { runProgram } from "../../tools/offline/run";
import { PROJECT_DIR } from "./preview";

const cache = new Map<string, PreviewDocument>();

/**
 * The `--json` preview of `program` with a committed stack's configuration, run once per test process.
 *
 * @param program path of the fixture program, relative to the project root.
 * @param stack `dev` or `prod` (the stack file supplies the config the fixture reads).
 * @throws when the child process fails.
 */
export function previewFixture(program: string, stack: string): PreviewDocument {
    const key = `${program}|${stack}`;
    const cached = cache.get(key);
    if (cached) return cached;
    const result = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", __filename, program, stack], {
        cwd: PROJECT_DIR,
        encoding: "utf8",
        env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true" },
        maxBuffer: 64 * 1024 * 1024,
    });
    if (result.status !== 0) {
        throw new Error(`fixture preview of ${program} (${stack}) exited ${result.status}:\n${result.stderr}`);
    }
    const doc = JSON.parse(result.stdout) as PreviewDocument;
    cache.set(key, doc);
    return doc;
}

async function main(): Promise<number> {
    const [program, stack, configFile] = process.argv.slice(2);
    if (!program || !stack) {
        process.stderr.write("usage: fixturePreview.ts <program.ts> <stack> [config-file]\n");
        return 2;
    }
    try {
        const run = await runProgram({ projectDir: PROJECT_DIR, stack, configFile, programPath: path.resolve(PROJECT_DIR, program) });
        process.stdout.write(`${JSON.stringify(toPreviewDocument(run, evaluatePolicies(run)), null, 2)}\n`);
        return 0;
    } catch (err) {
        if (ConfigError.isConfigError(err)) {
            for (const p of err.problems) process.stderr.write(`  - ${formatProblem(p)}\n`);
            return 2;
        }
        process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
        return 3;
    }
}

if (require.main === module) {
    main().then(
        (code) => process.exit(code),
        (err: unknown) => {
            process.stderr.write(`${String(err)}\n`);
            process.exit(3);
        },
    );
}

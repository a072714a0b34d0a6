/**
 * Runs the real offline preview (`tools/preview-offline.ts`, the real `index.ts` under Pulumi's
 * mock runtime) in a child process, as `npm run preview:offline` does, and returns its result.
 * Results of the committed stack files are cached per test process: every test reads the same run.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import type { PreviewDocument } from "../../tools/offline/render";
import type { Step, StepState } from "../../tools/offline/run";

/** The project root. */
export const PROJECT_DIR = path.resolve(__dirname, "..", "..");

/** What one offline preview run printed. */
export interface PreviewRun {
    status: number | null;
    stdout: string;
    stderr: string;
}

/**
 * Runs `preview-offline` with the given arguments in a child process.
 *
 * @param args command-line arguments, e.g. `["--stack", "dev", "--json"]`.
 */
export function runPreview(args: string[]): PreviewRun {
    const result = spawnSync(
        process.execPath,
        ["-r", "ts-node/register/transpile-only", path.join(PROJECT_DIR, "tools", "preview-offline.ts"), ...args],
        { cwd: PROJECT_DIR, encoding: "utf8", env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true" }, maxBuffer: 64 * 1024 * 1024 },
    );
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const cache = new Map<string, PreviewDocument>();

/**
 * The `--json` preview of a committed stack (`dev` or `prod`), run once per test process.
 *
 * @throws when the preview does not exit 0 or prints no JSON.
 */
export function previewStack(stack: string): PreviewDocument {
    const cached = cache.get(stack);
    if (cached) {
        return cached;
    }
    const run = runPreview(["--stack", stack, "--json"]);
    if (run.status !== 0) {
        throw new Error(`offline preview of ${stack} exited ${run.status}:\n${run.stderr}`);
    }
    const doc = JSON.parse(run.stdout) as PreviewDocument;
    cache.set(stack, doc);
    return doc;
}

/** Every resource of a type in a preview, e.g. `aws:s3/bucket:Bucket`. */
export function resourcesOfType(doc: PreviewDocument, type: string): StepState[] {
    return doc.steps.filter((s: Step) => s.newState.type === type).map((s: Step) => s.newState);
}

/** The single resource of a type (asserts there is exactly one). */
export function onlyResource(doc: PreviewDocument, type: string): StepState {
    const found = resourcesOfType(doc, type);
    if (found.length !== 1) {
        throw new Error(`expected exactly one ${type} in the ${doc.stack} preview, found ${found.length}`);
    }
    return found[0];
}

/** The resource whose URN ends with `::<name>` and has the given type. */
export function resourceNamed(doc: PreviewDocument, type: string, name: string): StepState {
    const found = resourcesOfType(doc, type).filter((r) => r.urn.endsWith(`::${name}`));
    if (found.length !== 1) {
        throw new Error(`expected one ${type} named ${name} in the ${doc.stack} preview, found ${found.length}`);
    }
    return found[0];
}

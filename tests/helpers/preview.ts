/**
 * Runs the real offline preview (`tools/preview-offline.ts`, the real `index.ts` under Pulumi's
 * mock runtime) in a child process, as `npm run preview:offline` does, and returns its result:
 * of a committed stack file (cached per test process: every test reads the same run), or of a
 * variant of one written to a temporary stack file (`previewVariant`, `previewVariantDocument`).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse, stringify } from "yaml";
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

/** A resource's engine URN and the URNs its `aliases` stand for. */
export interface AliasedResource {
    readonly urn: string;
    readonly aliases: readonly string[];
}

/**
 * Every resource of a committed stack with the URNs of its aliases: the real program under the mock
 * runtime with `aliasUrns` (tools/offline/run.ts `RunOptions.aliasUrns`), in a child process so the
 * runtime's state stays its own.
 *
 * @throws when the run fails.
 */
export function aliasedResources(stack: string): AliasedResource[] {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "aliases-")), "resources.json");
    const script = [
        'const { runProgram } = require("./tools/offline/run");',
        'const { engineUrns } = require("./tools/offline/urns");',
        `runProgram({ projectDir: process.cwd(), stack: ${JSON.stringify(stack)}, aliasUrns: true }).then((run) => {`,
        "    const urns = engineUrns(run.steps);",
        `    require("node:fs").writeFileSync(${JSON.stringify(out)}, JSON.stringify(run.steps.map((s, i) => ({ urn: urns[i], aliases: s.newState.aliases ?? [] }))));`,
        "}, (err) => { console.error(err); process.exit(3); });",
    ].join("\n");
    const result = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], {
        cwd: PROJECT_DIR,
        encoding: "utf8",
        env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true" },
        maxBuffer: 64 * 1024 * 1024,
    });
    if (result.status !== 0 || !fs.existsSync(out)) {
        throw new Error(`the program with alias URNs (${stack}) exited ${result.status}:\n${result.stderr}`);
    }
    return JSON.parse(fs.readFileSync(out, "utf8")) as AliasedResource[];
}

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

/** A copy of the `config:` mapping of `Pulumi.<stack>.yaml` (fully qualified keys, e.g. `microbiome-backup:fsx`). */
export function stackConfig(stack: string): Record<string, unknown> {
    const doc = parse(fs.readFileSync(path.join(PROJECT_DIR, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> };
    return doc.config;
}

/** Writes `{ config }` as `Pulumi.<stackName>.yaml` into a fresh temporary folder; returns the file and a cleanup. */
function writeStackFile(stackName: string, config: Record<string, unknown>): { file: string; cleanup: () => void } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "microbiome-backup-"));
    const file = path.join(dir, `Pulumi.${stackName}.yaml`);
    fs.writeFileSync(file, stringify({ config }));
    return { file, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Writes a variant of `Pulumi.<stack>.yaml` to a temporary folder, for a tool that takes
 * `--config-file` (the folder is left to the OS).
 *
 * @param stack the committed stack to start from (`dev` or `prod`).
 * @param edit changes the config mapping in place (fully qualified keys).
 * @returns the path of the written file.
 */
export function tempStackFile(stack: string, edit: (config: Record<string, unknown>) => void): string {
    const config = stackConfig(stack);
    edit(config);
    return writeStackFile(stack, config).file;
}

/** Options of {@link previewConfig} and {@link previewVariant}. */
export interface VariantOptions {
    /** `--stack` name (default: the committed stack's name; `previewConfig` requires it). */
    readonly stackName?: string;
    /** Ask for the `--json` document. Default false. */
    readonly json?: boolean;
}

/**
 * Runs the offline preview on a temporary stack file with this `config:` mapping, removed
 * afterwards.
 *
 * @param stackName the `--stack` name.
 * @param config the whole config mapping (fully qualified keys).
 */
export function previewConfig(stackName: string, config: Record<string, unknown>, options: Pick<VariantOptions, "json"> = {}): PreviewRun {
    const { file, cleanup } = writeStackFile(stackName, config);
    try {
        return runPreview(["--stack", stackName, "--config-file", file, ...(options.json ? ["--json"] : [])]);
    } finally {
        cleanup();
    }
}

/**
 * Runs the offline preview on a variant of a committed stack file.
 *
 * @param stack the committed stack to start from (`dev` or `prod`).
 * @param edit changes a copy of its config mapping in place (fully qualified keys).
 * @param options `--stack` name and `--json`.
 */
export function previewVariant(stack: string, edit: (config: Record<string, unknown>) => void, options: VariantOptions = {}): PreviewRun {
    const config = stackConfig(stack);
    edit(config);
    return previewConfig(options.stackName ?? stack, config, options);
}

/**
 * The `--json` preview document of a variant of a committed stack file (see {@link previewVariant}).
 *
 * @throws when the preview does not exit 0 (with its stderr).
 */
export function previewVariantDocument(stack: string, edit: (config: Record<string, unknown>) => void, options: Pick<VariantOptions, "stackName"> = {}): PreviewDocument {
    const run = previewVariant(stack, edit, { ...options, json: true });
    if (run.status !== 0) {
        throw new Error(`offline preview of a ${stack} variant exited ${run.status}:\n${run.stderr}`);
    }
    return JSON.parse(run.stdout) as PreviewDocument;
}

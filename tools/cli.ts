/**
 * What the project's command-line tools (`preview:offline`, `verify:access`, `backfill:replication`, `restore`)
 * share: parsing `--stack`, `--config-file` and `--help` beside each tool's own options, reporting a
 * stack configuration that cannot be read or is invalid, and ending without losing output.
 *
 * Ending: `process.exit()` right after a large write to a pipe drops what Node has not flushed yet
 * (stdout to a pipe is asynchronous), so a `--json` document read by another program would be cut
 * short; {@link exitAfterFlush} waits for both streams first.
 */
import { parseArgs, ParseArgsOptionsConfig } from "node:util";
import { formatProblem } from "../components/common/problems";
import { StackFileError } from "./offline/stackFiles";
import { ConfigError } from "../config/configError";

/** Resolves once everything written so far to `stream` has been handed to the OS. */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
    return new Promise((resolve) => stream.write("", () => resolve()));
}

/**
 * Exits with `code` after stdout and stderr are flushed.
 *
 * @param code the process exit code.
 */
export async function exitAfterFlush(code: number): Promise<never> {
    await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
    process.exit(code);
}

/** The parsed values of a tool's own options (as `util.parseArgs` types them). */
type ToolValues<T extends ParseArgsOptionsConfig> = ReturnType<typeof parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: false }>>["values"];

/** The options every tool takes. */
const STACK_OPTIONS = {
    stack: { type: "string", short: "s" },
    "config-file": { type: "string" },
    help: { type: "boolean", short: "h", default: false },
} as const;

/**
 * Parses a tool's command line: `--stack <name>` (required), `--config-file <path>`, `--help`, and
 * the tool's own `options` (no positionals). Prints the usage and exits 0 on `--help`; prints the
 * error and the usage and exits 2 on bad arguments or a missing `--stack`.
 *
 * @param argv the arguments after the script name.
 * @param usage the usage line.
 * @param options the tool's own options, in `util.parseArgs` form.
 * @returns the stack name, the config file, and every option's value.
 */
export function parseStackCommandLine<const T extends ParseArgsOptionsConfig>(
    argv: string[],
    usage: string,
    options: T,
): { stack: string; configFile?: string; values: ToolValues<T> } {
    try {
        const { values } = parseArgs({ args: argv, options: { ...STACK_OPTIONS, ...options }, strict: true, allowPositionals: false });
        const common = values as { stack?: string; "config-file"?: string; help?: boolean };
        if (common.help) {
            process.stdout.write(`${usage}\n`);
            process.exit(0);
        }
        if (common.stack === undefined) {
            throw new Error("--stack is required");
        }
        return { stack: common.stack, configFile: common["config-file"], values };
    } catch (err) {
        process.stderr.write(`error: ${(err as Error).message}\n${usage}\n`);
        process.exit(2);
    }
}

/**
 * The message for a stack configuration that could not be loaded: every problem of a
 * `ConfigError`, or the reason of a `StackFileError` (unreadable project or stack file).
 *
 * @returns the text to print on stderr (exit code 2), or `undefined` for any other error.
 */
export function stackLoadFailure(err: unknown, stack: string): string | undefined {
    if (ConfigError.isConfigError(err)) {
        const notes = Array.isArray(err.notes) ? err.notes : [];
        return (
            `error: the configuration of stack "${stack}" is invalid (${err.problems.length} problem(s)):\n${err.problems.map((p) => `  - ${formatProblem(p)}\n`).join("")}` +
            notes.map((n) => `  (${n})\n`).join("")
        );
    }
    if (err instanceof StackFileError) {
        return `error: ${err.message}\n`;
    }
    return undefined;
}

/**
 * Runs a tool's work on one stack with the tools' shared exit codes: the work's own code; 2 when the
 * stack's configuration cannot be loaded or is invalid (every problem listed, no stack trace); 3
 * when the work itself fails (a bug: the stack trace is shown).
 *
 * @param stack the stack name (named in the messages).
 * @param what what the work is, for the crash message (e.g. "the cost estimate").
 * @param work the tool's work; returns its exit code.
 */
export async function onStack(stack: string, what: string, work: () => Promise<number>): Promise<number> {
    try {
        return await work();
    } catch (err) {
        const failure = stackLoadFailure(err, stack);
        if (failure !== undefined) {
            process.stderr.write(failure);
            return 2;
        }
        process.stderr.write(`error: ${what} failed: ${(err as Error).stack ?? String(err)}\n`);
        return 3;
    }
}

/**
 * Runs a tool's `main` and exits with the code it returns, after the output is flushed; an error
 * `main` did not handle prints its stack trace and exits `crashCode`.
 */
export function runTool(main: () => Promise<number>, crashCode: number): void {
    main().then(
        (code) => exitAfterFlush(code),
        (err: unknown) => {
            process.stderr.write(`error: ${(err as Error).stack ?? String(err)}\n`);
            void exitAfterFlush(crashCode);
        },
    );
}

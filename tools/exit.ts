/**
 * Ending a command-line tool without losing output: `process.exit()` right after a large write to
 * a pipe drops what Node has not flushed yet (stdout to a pipe is asynchronous), so a `--json`
 * document read by another program would be cut short.
 */

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

/**
 * External tools some tests need (Debian packages CI installs: shellcheck, cloud-init, lftp,
 * systemd). A missing tool fails the test with the install command — it is never a skip.
 */
import { spawnSync, SpawnSyncReturns } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** Debian package providing each tool. */
const PACKAGES: Record<string, string> = {
    shellcheck: "shellcheck",
    "cloud-init": "cloud-init",
    lftp: "lftp",
    "systemd-analyze": "systemd",
    bash: "bash",
    sshd: "openssh-server",
    ssh: "openssh-client",
    "ssh-keygen": "openssh-client",
    rsync: "rsync",
    flock: "util-linux",
    aws: "awscli",
};

/**
 * Asserts a command is on PATH.
 *
 * @throws Error naming the Debian package to install when it is not.
 */
export function requireTool(command: string): void {
    // Daemons such as sshd live in /usr/sbin, which a non-login PATH may lack.
    const found = spawnSync("sh", ["-c", `PATH="$PATH:/usr/sbin:/sbin" command -v ${command}`], { encoding: "utf8" });
    if (found.status !== 0) {
        throw new Error(`this test needs "${command}": apt-get update && apt-get install -y ${PACKAGES[command] ?? command}`);
    }
}

/** Runs a command (no shell) and returns its result as text. */
export function run(command: string, args: string[], options: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): SpawnSyncReturns<string> {
    return spawnSync(command, args, { encoding: "utf8", input: options.input, env: options.env ?? process.env, cwd: options.cwd });
}

/** A fresh temporary directory, removed by the returned cleanup function. */
export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Writes an executable stub script. */
export function writeStub(dir: string, name: string, body: string): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, `#!/bin/bash\n${body}\n`, { mode: 0o755 });
    return file;
}

/** The Debian package of each tool, for CI installs (tests/policies/workflows.test.ts compares the workflow and .ci/run with it). */
export { PACKAGES as TOOL_PACKAGES };

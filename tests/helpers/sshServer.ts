/**
 * A real OpenSSH server for sandbox tests: `sshd -D -e -f <temp config>` on 127.0.0.1 at a free
 * port, with a host key and a client key generated into a temp dir at test time (never committed),
 * public-key login only, `internal-sftp`, `UsePAM no`, `StrictModes no`. Stopped by `stop()`.
 * A missing sshd/ssh-keygen fails the test with the install command (never a skip).
 */
import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import { freePort } from "./freePort";
import * as os from "node:os";
import * as path from "node:path";
import { requireTool, run, tempDir } from "./tools";

/** A running sshd. */
export interface SshServer {
    /** TCP port on 127.0.0.1. */
    readonly port: number;
    /** Login name (the user running the tests). */
    readonly user: string;
    /** The server's public host key, `ssh-ed25519 AAAA…` (what a config pins). */
    readonly hostKey: string;
    /** The client's OpenSSH private key (what the secret holds). */
    readonly clientPrivateKey: string;
    /** Stops the server and removes its keys. */
    stop(): Promise<void>;
}

async function waitListening(port: number, child: ChildProcess, log: () => string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
        if (child.exitCode !== null) throw new Error(`sshd exited with code ${child.exitCode}: ${log()}`);
        const ok = await new Promise<boolean>((resolve) => {
            const s = net.connect(port, "127.0.0.1", () => {
                s.destroy();
                resolve(true);
            });
            s.on("error", () => resolve(false));
        });
        if (ok) return;
        await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`sshd did not listen on 127.0.0.1:${port} within ${timeoutMs} ms: ${log()}`);
}

/**
 * Starts sshd on 127.0.0.1 at a free port.
 *
 * @throws Error when sshd or ssh-keygen is missing, or sshd does not start.
 */
export async function startSshServer(): Promise<SshServer> {
    requireTool("sshd");
    requireTool("ssh-keygen");
    const { dir, cleanup } = tempDir("sshd-");
    for (const name of ["host_key", "client_key"]) {
        const res = run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", name, "-f", path.join(dir, name)]);
        if (res.status !== 0) throw new Error(`ssh-keygen failed: ${res.stderr}`);
    }
    fs.copyFileSync(path.join(dir, "client_key.pub"), path.join(dir, "authorized_keys"));
    const port = await freePort();
    const config = [
        `Port ${port}`,
        "ListenAddress 127.0.0.1",
        `HostKey ${path.join(dir, "host_key")}`,
        `PidFile ${path.join(dir, "sshd.pid")}`,
        `AuthorizedKeysFile ${path.join(dir, "authorized_keys")}`,
        "UsePAM no",
        "StrictModes no",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "PubkeyAuthentication yes",
        "PermitRootLogin prohibit-password",
        "Subsystem sftp internal-sftp",
        "LogLevel ERROR",
    ].join("\n");
    fs.writeFileSync(path.join(dir, "sshd_config"), `${config}\n`);
    // Debian's sshd refuses to start without its privilege separation directory.
    if (!fs.existsSync("/run/sshd")) fs.mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });
    const sshd = run("sh", ["-c", 'PATH="$PATH:/usr/sbin:/sbin" command -v sshd']).stdout.trim();
    let log = "";
    const child = spawn(sshd, ["-D", "-e", "-f", path.join(dir, "sshd_config")], { stdio: ["ignore", "ignore", "pipe"] });
    child.stderr?.on("data", (d: Buffer) => (log += d.toString()));
    try {
        await waitListening(port, child, () => log, 10_000);
    } catch (e) {
        child.kill("SIGKILL");
        cleanup();
        throw e;
    }
    const hostKey = fs.readFileSync(path.join(dir, "host_key.pub"), "utf8").trim().split(/\s+/).slice(0, 2).join(" ");
    return {
        port,
        user: os.userInfo().username,
        hostKey,
        clientPrivateKey: fs.readFileSync(path.join(dir, "client_key"), "utf8"),
        stop: () =>
            new Promise<void>((resolve) => {
                const done = () => {
                    cleanup();
                    resolve();
                };
                if (child.exitCode !== null) return done();
                child.once("exit", done);
                child.kill("SIGTERM");
            }),
    };
}

/**
 * A local S3 API for tests: moto's server (`moto_server`, or `python3 -m moto.server`) on
 * 127.0.0.1 at a free port, started per test file and stopped after it. Nothing leaves the machine.
 * A missing moto fails the test with the install command — it is never a skip (`.ci/run` installs it).
 */
import { ChildProcess, spawn, spawnSync } from "node:child_process";
import { freePort } from "./freePort";

/** A running moto server. */
export interface MotoServer {
    /** Endpoint URL for SDK clients and `aws --endpoint-url`, e.g. `http://127.0.0.1:40123`. */
    readonly endpoint: string;
    /** Environment for child processes (AWS CLI, scripts) that must talk to this server only. */
    readonly env: NodeJS.ProcessEnv;
    /** Stops the server. */
    stop(): Promise<void>;
}

/** Dummy credentials moto accepts; never real ones. */
export const MOTO_CREDENTIALS = { accessKeyId: "testing", secretAccessKey: "testing" } as const;

/** Returns the command that starts moto's server on this machine, or undefined. */
function motoCommand(): string[] | undefined {
    if (spawnSync("sh", ["-c", "command -v moto_server"]).status === 0) return ["moto_server"];
    if (spawnSync("python3", ["-c", "import moto.server"]).status === 0) return ["python3", "-m", "moto.server"];
    return undefined;
}

/** Polls the server until it answers HTTP (at most `timeoutMs`). */
async function waitReady(endpoint: string, child: ChildProcess, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
        if (child.exitCode !== null) throw new Error(`moto server exited with code ${child.exitCode}`);
        try {
            const res = await fetch(`${endpoint}/moto-api/`);
            if (res.status < 500) return;
        } catch {
            // not listening yet
        }
        await new Promise((r) => setTimeout(r, 150));
    }
    throw new Error(`moto server did not answer at ${endpoint} within ${timeoutMs} ms`);
}

/**
 * Starts moto's server on 127.0.0.1.
 *
 * @throws Error naming how to install moto when it is missing, or when the server does not start.
 */
export async function startMotoServer(): Promise<MotoServer> {
    const cmd = motoCommand();
    if (cmd === undefined) {
        throw new Error('this test needs moto\'s S3 server: pip install "moto[server]" (or apt-get install -y python3-moto python3-flask python3-flask-cors)');
    }
    const port = await freePort();
    const child = spawn(cmd[0], [...cmd.slice(1), "-H", "127.0.0.1", "-p", String(port)], { stdio: "ignore" });
    const endpoint = `http://127.0.0.1:${port}`;
    try {
        await waitReady(endpoint, child, 20_000);
    } catch (err) {
        child.kill("SIGKILL");
        throw err;
    }
    const env: NodeJS.ProcessEnv = {
        ...process.env,
        AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
        AWS_DEFAULT_REGION: "us-east-1",
        AWS_REGION: "us-east-1",
        AWS_ENDPOINT_URL: endpoint,
        AWS_EC2_METADATA_DISABLED: "true",
        AWS_CONFIG_FILE: "/dev/null",
        AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    };
    return {
        endpoint,
        env,
        stop: () =>
            new Promise<void>((resolve) => {
                if (child.exitCode !== null) return resolve();
                child.once("exit", () => resolve());
                child.kill("SIGTERM");
            }),
    };
}

/**
 * The moto release CI installs (with pipx; Debian ships no python3-moto): `.ci/run` and
 * `.github/workflows/checks.yml` install exactly this requirement (tests/policies/workflows.test.ts
 * checks both). 5.2.1 is the release these machines carry.
 */
export const MOTO_SERVER_REQUIREMENT = "moto[server]==5.2.1";

/**
 * A stand-in sync host for sandbox tests: the rendered user data's files installed into a temp
 * directory (exactly the shipped copies, read back from the rendered `#cloud-config`), a directory
 * standing in for the Lustre mount, and on PATH a fake `lfs` (HSM states kept per path and inode,
 * `lfs df` capacity), `findmnt` (mounted while a flag file exists) and `mount` (always fails). The
 * real AWS CLI talks to moto; a fake exporter plays FSx's auto-export: it ships closed files under
 * association paths only to the bucket and marks them "exists archived" for the fake lfs.
 */
import { ChildProcess, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { HOST_PATHS, readUserDataFiles, renderUserData, ResolvedSyncSource, SyncRunOptions, UserDataInput } from "../../components/syncHost/userData";
import type { MotoServer } from "./motoServer";
import { tempDir, writeStub } from "./tools";

/** The fake `lfs`: hsm_state / hsm_release against a state directory, df from a capacity file. */
const FAKE_LFS = String.raw`db="$FAKE_LFS_DB"
key() { printf '%s:%s' "$1" "$(stat -c %i -- "$1")" | sha1sum | cut -c1-40; }
case "$1" in
    df)
        [[ ! -e "$db/df-fails" ]] || { echo "lfs df: Input/output error" >&2; exit 5; }
        read -r total avail <"$db/capacity"
        printf 'UUID                   1K-blocks        Used   Available Use%% Mounted on\n'
        printf 'fs-MDT0000_UUID  %s  %s  %s  1%% %s[MDT:0]\n' 100000 1000 99000 "$2"
        printf 'fs-OST0000_UUID  %s  %s  %s  1%% %s[OST:0]\n\n' "$total" "$((total - avail))" "$avail" "$2"
        printf 'filesystem_summary:  %s  %s  %s  1%% %s\n\n' "$total" "$((total - avail))" "$avail" "$2" ;;
    hsm_state)
        shift
        [[ ! -e "$db/state-fails" ]] || { echo "lfs hsm_state: Input/output error" >&2; exit 5; }
        for f in "$@"; do
            [[ -e "$f" ]] || { echo "lfs hsm_state: $f: No such file or directory" >&2; exit 2; }
            case "$(cat "$db/$(key "$f")" 2>/dev/null)" in
                archived) echo "$f: (0x00000009) exists archived, archive_id:1" ;;
                released) echo "$f: (0x0000000d) released exists archived, archive_id:1" ;;
                dirty) echo "$f: (0x0000000b) exists dirty archived, archive_id:1" ;;
                lost) echo "$f: (0x00000019) exists archived lost_from_hsm, archive_id:1" ;;
                *) echo "$f: (0x00000000)" ;;
            esac
        done ;;
    hsm_release)
        shift
        for f in "$@"; do
            k="$(key "$f")"
            [[ "$(cat "$db/$k" 2>/dev/null)" == archived ]] || { echo "lfs hsm_release: $f: not archived: Operation not permitted" >&2; exit 1; }
            echo released >"$db/$k"
            printf '%s\0' "$f" >>"$db/released.log"
        done ;;
    *) echo "fake lfs: unsupported: $*" >&2; exit 9 ;;
esac`;

/** An association of the stand-in file system: a directory under the mount exported to a key prefix. */
export interface SandboxAssociation {
    /** Path below the mount, e.g. `/microbiome`. */
    readonly fileSystemPath: string;
    /** Key prefix in the bucket, `""` or ending in `/`. */
    readonly prefix: string;
}

/** How a sandbox is built. */
export interface SandboxOptions {
    readonly moto: MotoServer;
    /** Backup bucket (created in moto). */
    readonly bucket: string;
    /** Value of the metrics' Stack dimension (unique per test keeps metrics apart). */
    readonly metricsStack: string;
    readonly associations: readonly SandboxAssociation[];
    /** Sources, given the stand-in mount point. */
    readonly sources: (mount: string) => ResolvedSyncSource[];
    readonly run?: SyncRunOptions;
}

/** What a run of a script printed. */
export interface RunResult {
    readonly status: number | null;
    readonly signal: NodeJS.Signals | null;
    readonly stdout: string;
    readonly stderr: string;
    readonly ms: number;
}

/** Files open in any process (the exporter ships closed files only, as FSx auto-export does). */
function openFiles(): Set<string> {
    const open = new Set<string>();
    for (const pid of fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
        let fds: string[] = [];
        try {
            fds = fs.readdirSync(`/proc/${pid}/fd`);
        } catch {
            continue;
        }
        for (const fd of fds) {
            try {
                open.add(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
            } catch {
                // closed meanwhile
            }
        }
    }
    return open;
}

/** Every regular file under `dir` (absolute paths). */
function walk(dir: string): string[] {
    if (!fs.existsSync(dir)) return [];
    return fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).map((p) => path.join(dir, p)).filter((p) => fs.lstatSync(p).isFile());
}

/** The fake exporter's knobs: keys it marks archived without shipping, ships truncated, or holds back. */
export interface ExporterFaults {
    /** Marked "exists archived" but never put in the bucket (a lost object). */
    readonly omit?: readonly string[];
    /** Shipped with its last byte cut off. */
    readonly truncate?: readonly string[];
    /** Never exported (stays "not archived"). */
    readonly hold?: readonly string[];
}

/** A stand-in sync host. */
export class SyncSandbox {
    readonly dir: string;
    readonly mount: string;
    readonly bin: string;
    readonly etc: string;
    readonly libexec: string;
    readonly state: string;
    readonly lfsDb: string;
    readonly lock: string;
    readonly command: string;
    readonly input: UserDataInput;
    /** Keys the exporter put in the bucket, in order. */
    readonly exported: string[] = [];
    faults: ExporterFaults = {};
    private readonly cleanupDir: () => void;

    constructor(private readonly opts: SandboxOptions) {
        const { dir, cleanup } = tempDir("synchost-sandbox-");
        this.dir = dir;
        this.cleanupDir = cleanup;
        this.mount = path.join(dir, "fsx");
        this.bin = path.join(dir, "bin");
        this.etc = path.join(dir, "etc");
        this.libexec = path.join(dir, "libexec");
        this.state = path.join(dir, "state");
        this.lfsDb = path.join(dir, "lfs-db");
        this.lock = path.join(dir, "lock", "microbiome-sync.lock");
        this.command = path.join(dir, "sbin", "microbiome-sync");
        for (const d of [this.mount, this.bin, this.etc, this.libexec, this.state, this.lfsDb, path.dirname(this.command)]) fs.mkdirSync(d, { recursive: true });
        for (const a of opts.associations) fs.mkdirSync(path.join(this.mount, a.fileSystemPath), { recursive: true });
        this.input = {
            fileSystemDnsName: "fs-0123456789abcdef0.fsx.us-east-1.amazonaws.com",
            mountName: "abcdef12",
            mountPoint: this.mount,
            schedule: "daily",
            region: "us-east-1",
            backupBucketName: opts.bucket,
            metricsStack: opts.metricsStack,
            reportsPrefix: `_sync-reports/${opts.metricsStack}/`,
            sources: opts.sources(this.mount),
            ...(opts.run ? { run: opts.run } : {}),
        };
        // Install exactly what the user data writes, under the sandbox's directories.
        const map: [string, string][] = [
            [HOST_PATHS.command, this.command],
            [`${HOST_PATHS.libexec}/`, `${this.libexec}/`],
            [`${HOST_PATHS.etc}/`, `${this.etc}/`],
        ];
        for (const f of readUserDataFiles(renderUserData(this.input))) {
            const hit = map.find(([from]) => f.path === from || (from.endsWith("/") && f.path.startsWith(from)));
            if (!hit) continue;
            const target = hit[0].endsWith("/") ? hit[1] + f.path.slice(hit[0].length) : hit[1];
            fs.mkdirSync(path.dirname(target), { recursive: true });
            fs.writeFileSync(target, f.content, { mode: parseInt(f.permissions, 8) });
        }
        writeStub(this.bin, "lfs", FAKE_LFS);
        writeStub(this.bin, "findmnt", `[[ -e "${path.join(dir, "mounted")}" ]]`);
        writeStub(this.bin, "mount", 'echo "mount: $1: fake mount, never mounts" >&2; exit 32');
        writeStub(this.bin, "logger", "exit 0");
        this.setMounted(true);
        this.setCapacityKiB(1_200_000_000, 1_000_000_000);
        const mb = spawnSync("aws", ["s3api", "create-bucket", "--bucket", opts.bucket], { env: opts.moto.env, encoding: "utf8" });
        if (mb.status !== 0) throw new Error(mb.stderr);
    }

    /** Environment of the host's scripts: fakes first on PATH, moto credentials, sandbox directories. */
    get env(): NodeJS.ProcessEnv {
        return {
            ...this.opts.moto.env,
            PATH: `${this.bin}:${process.env.PATH ?? ""}`,
            FAKE_LFS_DB: this.lfsDb,
            MICROBIOME_SYNC_ETC: this.etc,
            MICROBIOME_SYNC_LIBEXEC: this.libexec,
            MICROBIOME_SYNC_STATE: this.state,
            MICROBIOME_SYNC_LOCK: this.lock,
            RUNTIME_DIRECTORY: path.join(this.dir, "run"),
            JOURNAL_STREAM: "",
            INVOCATION_ID: "",
        };
    }

    /** The stand-in file system is mounted (or not). */
    setMounted(mounted: boolean): void {
        const flag = path.join(this.dir, "mounted");
        if (mounted) fs.writeFileSync(flag, "");
        else fs.rmSync(flag, { force: true });
    }

    /** What `lfs df` reports: capacity and available KiB. */
    setCapacityKiB(total: number, available: number): void {
        fs.writeFileSync(path.join(this.lfsDb, "capacity"), `${total} ${available}\n`);
    }

    /** The fake lfs's state key of a file (path and inode, like an HSM state that belongs to the inode). */
    private stateFile(file: string): string {
        const ino = fs.statSync(file).ino;
        return path.join(this.lfsDb, createHash("sha1").update(`${file}:${ino}`).digest("hex"));
    }

    /** Sets a file's HSM state for the fake lfs. */
    setHsmState(file: string, state: "archived" | "released" | "dirty" | "lost" | "new"): void {
        fs.writeFileSync(this.stateFile(file), `${state}\n`);
    }

    /** A file's HSM state as the fake lfs sees it. */
    hsmState(file: string): string {
        try {
            return fs.readFileSync(this.stateFile(file), "utf8").trim();
        } catch {
            return "new";
        }
    }

    /** Files the fake lfs released (absolute paths). */
    released(): string[] {
        const log = path.join(this.lfsDb, "released.log");
        return fs.existsSync(log) ? fs.readFileSync(log, "utf8").split("\0").filter((s) => s !== "") : [];
    }

    /**
     * One pass of the fake exporter: every closed regular file under an association path that is
     * not archived yet goes to `s3://<bucket>/<prefix><path below the association>` (plain PUT to
     * moto), then is marked "exists archived". Nothing outside association paths is ever shipped.
     */
    async exportOnce(): Promise<void> {
        const open = openFiles();
        for (const a of this.opts.associations) {
            const root = path.join(this.mount, a.fileSystemPath);
            for (const file of walk(root)) {
                if (open.has(file) || this.hsmState(file) !== "new") continue;
                const key = a.prefix + path.relative(root, file);
                if (this.faults.hold?.includes(key)) continue;
                let body = fs.readFileSync(file);
                if (this.faults.truncate?.includes(key)) body = body.subarray(0, Math.max(0, body.length - 1));
                if (!this.faults.omit?.includes(key)) {
                    const url = `${this.opts.moto.endpoint}/${this.opts.bucket}/${key.split("/").map(encodeURIComponent).join("/")}`;
                    const res = await fetch(url, { method: "PUT", body });
                    if (!res.ok) throw new Error(`fake exporter: PUT ${key}: ${res.status} ${await res.text()}`);
                    this.exported.push(key);
                }
                this.setHsmState(file, "archived");
            }
        }
    }

    /**
     * Runs a host command (e.g. `["run"]`, `["pull", "lab-sftp"]`) asynchronously while the fake
     * exporter works every 200 ms (when `exporter` is true).
     */
    async runCommand(args: string[], options: { exporter?: boolean; env?: NodeJS.ProcessEnv; onStart?: (child: ChildProcess) => void } = {}): Promise<RunResult> {
        const started = Date.now();
        const child = spawn(this.command, args, { env: { ...this.env, ...options.env }, detached: true, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on("close", (code, signal) => resolve([code, signal])));
        options.onStart?.(child);
        let done = false;
        void exited.then(() => (done = true));
        while (options.exporter && !done) {
            await this.exportOnce();
            await new Promise((r) => setTimeout(r, 200));
        }
        const [status, signal] = await exited;
        return { status, signal, stdout, stderr, ms: Date.now() - started };
    }

    /** Keys under a prefix in the bucket, with sizes. */
    objects(prefix = ""): Map<string, number> {
        const res = spawnSync(
            "aws",
            ["s3api", "list-objects-v2", "--bucket", this.opts.bucket, "--prefix", prefix, "--query", "Contents[].[Key, Size]", "--output", "json"],
            { env: this.opts.moto.env, encoding: "utf8" },
        );
        if (res.status !== 0) throw new Error(res.stderr);
        const rows = (JSON.parse(res.stdout || "null") as [string, number][] | null) ?? [];
        return new Map(rows);
    }

    /** An object's bytes (read with the AWS CLI). */
    object(key: string): string {
        const res = spawnSync("aws", ["s3", "cp", "--only-show-errors", `s3://${this.opts.bucket}/${key}`, "-"], { env: this.opts.moto.env, encoding: "utf8" });
        if (res.status !== 0) throw new Error(`aws s3 cp s3://${this.opts.bucket}/${key}: ${res.stderr}`);
        return res.stdout;
    }

    /** Sum of a metric's data points (dimension Stack = this sandbox's). */
    metricSum(name: string): number {
        const res = spawnSync(
            "aws",
            [
                "cloudwatch", "get-metric-statistics", "--namespace", "MicrobiomeBackup/SyncHost", "--metric-name", name,
                "--dimensions", `Name=Stack,Value=${this.opts.metricsStack}`, "--statistics", "Sum", "--period", "86400",
                "--start-time", "2000-01-01T00:00:00Z", "--end-time", "2100-01-01T00:00:00Z", "--output", "json",
            ],
            { env: this.opts.moto.env, encoding: "utf8" },
        );
        if (res.status !== 0) throw new Error(res.stderr);
        const points = (JSON.parse(res.stdout) as { Datapoints: { Sum: number }[] }).Datapoints;
        return points.reduce((s, p) => s + p.Sum, 0);
    }

    /** Regular files under a directory, relative, sorted. */
    files(dir: string): string[] {
        return walk(dir).map((f) => path.relative(dir, f)).sort();
    }

    /** Removes the sandbox. */
    cleanup(): void {
        this.cleanupDir();
    }
}

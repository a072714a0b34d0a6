/**
 * The sync host's rendered scripts, run for real on a stand-in host (tests/helpers/syncSandbox.ts):
 * real lftp/rsync/ssh against a real sshd on 127.0.0.1, the real AWS CLI against moto (S3, Secrets
 * Manager, CloudWatch), a temp directory standing in for the Lustre mount with a fake `lfs`, and a
 * fake exporter that ships closed files under association paths only. Real systemd cannot run here:
 * the units are checked with `systemd-analyze verify` in tests/components/syncHostUserData.test.ts.
 */
import * as assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { ResolvedSyncSource, SyncRunOptions } from "../../components/syncHost/userData";
import { MotoServer, startMotoServer } from "../helpers/motoServer";
import { SshServer, startSshServer } from "../helpers/sshServer";
import { SyncSandbox } from "../helpers/syncSandbox";
import { requireTool, tempDir } from "../helpers/tools";

const FAST: SyncRunOptions = { settleMinutes: 0, exportWaitMinutes: 1, exportPollSeconds: 1, releaseExported: true };

describe("sync host scripts in a sandbox (real lftp/rsync/ssh/sshd, AWS CLI against moto, fake lfs and exporter)", function () {
    let moto: MotoServer;
    let ssh: SshServer;
    let secretArn: string;
    let remote: { dir: string; cleanup: () => void };
    const sandboxes: SyncSandbox[] = [];
    let counter = 0;

    before(async function () {
        for (const tool of ["lftp", "rsync", "ssh", "sshd", "ssh-keygen", "aws", "flock", "bash"]) requireTool(tool);
        moto = await startMotoServer();
        ssh = await startSshServer();
        const res = spawnSync("aws", ["secretsmanager", "create-secret", "--name", "lab-sftp-key", "--secret-string", ssh.clientPrivateKey, "--query", "ARN", "--output", "text"], {
            env: moto.env,
            encoding: "utf8",
        });
        assert.equal(res.status, 0, res.stderr);
        secretArn = res.stdout.trim();
    });
    after(async function () {
        for (const s of sandboxes) s.cleanup();
        await ssh?.stop();
        await moto?.stop();
    });
    beforeEach(() => {
        remote = tempDir("sftp-remote-");
    });
    afterEach(() => remote.cleanup());

    /** A remote file (absolute under the sftp server's tree). */
    function put(rel: string, content: string | Buffer): string {
        const file = path.join(remote.dir, rel);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, content);
        return file;
    }

    function sftpSource(mount: string, bucket: string, tool: "lftp" | "rsync" = "lftp"): ResolvedSyncSource {
        return {
            type: "sftp",
            name: "lab-sftp",
            host: "127.0.0.1",
            port: ssh.port,
            user: ssh.user,
            remotePath: remote.dir,
            hostKey: ssh.hostKey,
            privateKeySecretArn: secretArn,
            tool,
            lustrePath: `${mount}/microbiome/Analysis_2024/lab-sftp/`,
            stagingPath: `${mount}/.staging/lab-sftp/`,
            s3Uri: `s3://${bucket}/Analysis_2024/lab-sftp/`,
        };
    }

    function sandbox(options: { tool?: "lftp" | "rsync"; run?: SyncRunOptions; sources?: (mount: string, bucket: string) => ResolvedSyncSource[] } = {}): SyncSandbox {
        counter += 1;
        const bucket = `backup-sandbox-${counter}`;
        const sb = new SyncSandbox({
            moto,
            bucket,
            metricsStack: `microbiome-backup-sandbox${counter}`,
            associations: [{ fileSystemPath: "/microbiome", prefix: "" }],
            sources: (mount) => (options.sources ? options.sources(mount, bucket) : [sftpSource(mount, bucket, options.tool)]),
            run: options.run ?? FAST,
        });
        sandboxes.push(sb);
        return sb;
    }

    const lustre = (sb: SyncSandbox) => path.join(sb.mount, "microbiome", "Analysis_2024", "lab-sftp");
    const staging = (sb: SyncSandbox) => path.join(sb.mount, ".staging", "lab-sftp");

    it("lftp: files land under the association path and in the bucket, whole and verified; symlinked run folders are copied; staging keeps only placeholders; a second run pulls nothing new", async function () {
        const fastq = "ACGT".repeat(5000);
        put("run1/sample 1_R1.fastq.gz", fastq);
        const md5 = spawnSync("md5sum", { input: fastq, encoding: "utf8" }).stdout.split(" ")[0];
        put("run1/sample 1_R1.fastq.gz.md5", `${md5}  sample 1_R1.fastq.gz\n`);
        put(`run1/it's "odd" $x & y.txt`, "odd\n");
        put("real-run2/a.txt", "second run\n");
        fs.symlinkSync(path.join(remote.dir, "real-run2"), path.join(remote.dir, "run2"));
        put("top.txt", "top\n");
        const sb = sandbox();

        const res = await sb.runCommand(["run"], { exporter: true });
        assert.equal(res.status, 0, res.stderr + res.stdout);
        const expected = ["real-run2/a.txt", `run1/it's "odd" $x & y.txt`, "run1/sample 1_R1.fastq.gz", "run1/sample 1_R1.fastq.gz.md5", "run2/a.txt", "top.txt"].sort();
        assert.deepEqual(sb.files(lustre(sb)), expected, "under the association path");
        assert.deepEqual([...sb.objects("Analysis_2024/").keys()].sort(), expected.map((f) => `Analysis_2024/lab-sftp/${f}`).sort(), "in the bucket");
        assert.equal(sb.object("Analysis_2024/lab-sftp/run1/sample 1_R1.fastq.gz"), fastq);
        assert.equal(sb.object("Analysis_2024/lab-sftp/run2/a.txt"), "second run\n", "the symlinked folder's content, not a link");
        // Staging: a sparse placeholder per moved file, nothing else (never exported: outside every association).
        assert.deepEqual(sb.files(staging(sb)), expected);
        for (const f of expected) assert.equal(fs.statSync(path.join(staging(sb), f)).blocks, 0, `${f} is a sparse placeholder`);
        assert.ok(sb.exported.every((k) => k.startsWith("Analysis_2024/lab-sftp/")), "the exporter shipped nothing else");
        // Report and manifest in the bucket under the reports prefix.
        const reports = [...sb.objects("_sync-reports/").keys()];
        assert.equal(reports.length, 2, reports.join(", "));
        const reportKey = reports.find((k) => k.endsWith("/report.txt")) ?? "";
        assert.match(reportKey, new RegExp(`^_sync-reports/microbiome-backup-sandbox\\d+/\\d{8}T\\d{6}Z/report\\.txt$`));
        assert.match(sb.object(reportKey), /pulled: 6 {2}exported: 6 {2}verified: 6 {2}missing: 0 {2}mismatched: 0 {2}lost: 0/);
        const manifest = sb.object(reportKey.replace("report.txt", "manifest.tsv"));
        assert.match(manifest, new RegExp(`^lab-sftp\\t${spawnSync("sha256sum", { input: fastq, encoding: "utf8" }).stdout.split(" ")[0]}\\t20000\\t${"backup-sandbox-\\d+"}\\tAnalysis_2024/lab-sftp/run1/sample 1_R1\\.fastq\\.gz\\t`, "m"));
        // Verified data was released; metrics published.
        assert.deepEqual(sb.released().map((f) => path.relative(lustre(sb), f)).sort(), expected);
        assert.equal(sb.metricSum("VerifiedRun"), 1);
        assert.equal(sb.metricSum("FailedRun"), 0);
        assert.equal(sb.metricSum("UnexportedFilesOverAge"), 0);
        assert.equal(sb.metricSum("FreeCapacityPercent"), 83);

        const again = await sb.runCommand(["run"], { exporter: true });
        assert.equal(again.status, 0, again.stderr);
        assert.match(again.stdout, /source lab-sftp: moved 0 file\(s\), 0 bytes/);
        assert.equal(sb.metricSum("VerifiedRun"), 2);
    });

    it("rsync: moves checked files, refuses and lists names FSx cannot export (not UTF-8, key > 1024 bytes) and a file failing its provider checksum", async function () {
        put("ok/a.txt", "fine\n");
        put("ok/b.dat", "payload\n");
        put("ok/b.dat.sha256", `${"0".repeat(64)}  b.dat\n`);
        const latin1 = Buffer.from("bad-\xe9t\xe9.txt", "latin1").toString("latin1");
        fs.writeFileSync(Buffer.concat([Buffer.from(`${remote.dir}/`), Buffer.from("bad-\xe9t\xe9.txt", "latin1")]), "latin-1 name\n");
        const deep = Array.from({ length: 5 }, (_, i) => `${String(i)}${"d".repeat(210)}`).join("/");
        put(`${deep}/long.txt`, "too long a key\n");
        const sb = sandbox({ tool: "rsync" });

        const res = await sb.runCommand(["pull", "lab-sftp"], { exporter: true });
        assert.equal(res.status, 1, res.stdout);
        assert.match(res.stderr, /ERROR: source lab-sftp: 2 file\(s\) refused, FSx could not export them/);
        assert.match(res.stderr, /refused: \$'bad-\\351t\\351\.txt': not UTF-8 \(FSx exports only UTF-8 names\)/);
        assert.match(res.stderr, /refused: .*long\.txt'?: the S3 key would exceed 1,024 bytes/);
        assert.match(res.stderr, /ok\/b\.dat: sha256 [0-9a-f]{64} differs from the provider's checksum 0{64}: not moved/);
        assert.deepEqual(sb.files(lustre(sb)), ["ok/a.txt", "ok/b.dat.sha256"]);
        assert.ok(!fs.existsSync(path.join(lustre(sb), latin1)));
        assert.deepEqual([...sb.objects("Analysis_2024/").keys()].sort(), ["Analysis_2024/lab-sftp/ok/a.txt", "Analysis_2024/lab-sftp/ok/b.dat.sha256"]);
        assert.equal(sb.metricSum("FailedRun"), 1, "a failed manual pull reports itself");
        assert.equal(sb.metricSum("VerifiedRun"), 0);
    });

    it("completionMarker: a run folder at any depth moves once it holds the marker (e.g. ProjA/run1/CopyComplete.txt); the others wait for a later run", async function () {
        put("ProjA/run1/sample_R1.fastq.gz", "run one\n");
        put("ProjA/run1/sub/stats.json", "{}\n");
        put("ProjA/run1/CopyComplete.txt", "");
        put("ProjA/run2/sample_R1.fastq.gz", "run two, still copying\n");
        put("loose.txt", "not in a run folder\n");
        const sb = sandbox({ run: { ...FAST, completionMarker: "CopyComplete.txt" } });

        const first = await sb.runCommand(["pull", "lab-sftp"], { exporter: true });
        assert.equal(first.status, 0, first.stderr + first.stdout);
        assert.deepEqual(sb.files(lustre(sb)), ["ProjA/run1/CopyComplete.txt", "ProjA/run1/sample_R1.fastq.gz", "ProjA/run1/sub/stats.json"]);
        assert.match(first.stdout, /moved 3 file\(s\).*; 2 still being written/);

        put("ProjA/run2/CopyComplete.txt", "");
        const second = await sb.runCommand(["pull", "lab-sftp"], { exporter: true });
        assert.equal(second.status, 0, second.stderr + second.stdout);
        assert.deepEqual(sb.files(lustre(sb)), [
            "ProjA/run1/CopyComplete.txt",
            "ProjA/run1/sample_R1.fastq.gz",
            "ProjA/run1/sub/stats.json",
            "ProjA/run2/CopyComplete.txt",
            "ProjA/run2/sample_R1.fastq.gz",
        ]);
        assert.equal(sb.object("Analysis_2024/lab-sftp/ProjA/run2/sample_R1.fastq.gz"), "run two, still copying\n");
    });

    it("an interrupted pull never leaves a partial file where it is exported; the next run copies it whole", async function () {
        const big = path.join(remote.dir, "run3", "big.bam");
        fs.mkdirSync(path.dirname(big), { recursive: true });
        spawnSync("head", ["-c", String(300 * 1024 * 1024), "/dev/urandom"], { stdio: ["ignore", fs.openSync(big, "w"), "ignore"] });
        put("run3/small.txt", "small\n");
        const sb = sandbox();
        let sawPart = false;
        const res = await sb.runCommand(["pull", "lab-sftp"], {
            exporter: true,
            onStart: (child) => {
                const timer = setInterval(() => {
                    const parts = sb.files(staging(sb)).filter((f) => path.basename(f).startsWith(".mbsync-part.") && fs.statSync(path.join(staging(sb), f)).size > 1024 * 1024);
                    if (parts.length > 0) {
                        sawPart = true;
                        clearInterval(timer);
                        process.kill(-(child.pid as number), "SIGKILL"); // the host dies mid-transfer
                    }
                }, 5);
                child.on("close", () => clearInterval(timer));
            },
        });
        assert.ok(sawPart, `the transfer finished before it could be interrupted: ${res.stdout}`);
        assert.equal(res.signal, "SIGKILL");
        await sb.exportOnce();
        assert.ok(!fs.existsSync(path.join(lustre(sb), "run3", "big.bam")), "no partial file under the exported path");
        assert.ok(!sb.objects().has("Analysis_2024/lab-sftp/run3/big.bam"), "nothing partial reached the bucket");
        assert.ok(sb.exported.every((k) => !k.includes(".mbsync-part.")), "no temp file was ever exported");

        const rerun = await sb.runCommand(["pull", "lab-sftp"], { exporter: true });
        assert.equal(rerun.status, 0, rerun.stderr + rerun.stdout);
        assert.equal(fs.statSync(path.join(lustre(sb), "run3", "big.bam")).size, 300 * 1024 * 1024);
        assert.equal(sb.objects().get("Analysis_2024/lab-sftp/run3/big.bam"), 300 * 1024 * 1024);
        assert.ok(sb.files(staging(sb)).every((f) => !f.includes(".mbsync-part.")), "leftover temp files are removed");
    });

    it("a full file system stops the pull before it starts, quickly and with a clear error", async function () {
        fs.mkdirSync(path.join(remote.dir, "run4"));
        fs.writeFileSync(path.join(remote.dir, "run4", "huge.fastq"), "");
        fs.truncateSync(path.join(remote.dir, "run4", "huge.fastq"), 200 * 1024 * 1024);
        const sb = sandbox();
        sb.setCapacityKiB(1_000_000, 250_000); // 250 MB free of 1 GB; 10% reserve leaves 150 MB
        const res = await sb.runCommand(["run"], { exporter: true });
        assert.equal(res.status, 1, res.stdout);
        // Quickly: before any transfer, in the time of a few AWS CLI calls (not "waits for ever").
        assert.ok(res.ms < 120_000, `took ${res.ms} ms`);
        assert.match(res.stderr, /ERROR: source lab-sftp: needs about 0 GiB \(204800 KiB\) but .* has 0 GiB \(250000 KiB\) free, of which 10% of the capacity stays in reserve: not pulled\. A source is pulled whole or not at all: .*split this source into several smaller ones/);
        assert.deepEqual(sb.files(staging(sb)), []);
        assert.deepEqual(sb.files(lustre(sb)), []);
        assert.equal(sb.metricSum("FailedRun"), 1);
    });

    it("release touches only files verified in the bucket; a file not exported in time is carried over and released after a later run verifies it", async function () {
        put("run5/a.txt", "a\n");
        put("run5/held.txt", "held\n");
        const sb = sandbox({ run: { ...FAST, exportWaitMinutes: 0 } });
        // Exported before, by someone else: archived but never verified by the host.
        const foreign = path.join(lustre(sb), "older", "foreign.txt");
        fs.mkdirSync(path.dirname(foreign), { recursive: true });
        fs.writeFileSync(foreign, "older data\n");
        sb.setHsmState(foreign, "archived");
        await sb.exportOnce();
        sb.faults = { hold: ["Analysis_2024/lab-sftp/run5/held.txt"] };
        const first = await sb.runCommand(["run"], { exporter: true });
        assert.equal(first.status, 0, first.stderr + first.stdout);
        assert.match(first.stderr, /not yet verified: some files are not exported yet/);
        assert.deepEqual(sb.released().map((f) => path.relative(lustre(sb), f)), ["run5/a.txt"]);
        assert.equal(sb.hsmState(foreign), "archived", "a file this host did not verify is never released");
        assert.equal(sb.hsmState(path.join(lustre(sb), "run5", "held.txt")), "new");
        assert.equal(sb.metricSum("VerifiedRun"), 0, "no heartbeat while a file is unverified");
        assert.match(fs.readFileSync(path.join(sb.state, "pending.tsv"), "utf8"), /run5\/held\.txt/);

        sb.faults = {};
        const second = await sb.runCommand(["run"], { exporter: true, env: {} });
        assert.equal(second.status, 0, second.stderr + second.stdout);
        assert.deepEqual(sb.released().map((f) => path.relative(lustre(sb), f)).sort(), ["run5/a.txt", "run5/held.txt"]);
        assert.equal(sb.metricSum("VerifiedRun"), 1);
    });

    it("verification catches a missing and a truncated object: the run fails, both are named in the report, neither is released", async function () {
        put("run6/ok.txt", "fine\n");
        put("run6/missing.txt", "never arrives\n");
        put("run6/truncated.txt", "cut short\n");
        const sb = sandbox();
        sb.faults = { omit: ["Analysis_2024/lab-sftp/run6/missing.txt"], truncate: ["Analysis_2024/lab-sftp/run6/truncated.txt"] };
        const res = await sb.runCommand(["run"], { exporter: true });
        assert.equal(res.status, 1, res.stdout);
        assert.match(res.stderr, /verification failed: 1 missing, 1 mismatched, 0 lost/);
        const reportKey = [...sb.objects("_sync-reports/").keys()].find((k) => k.endsWith("report.txt")) ?? "";
        const report = sb.object(reportKey);
        assert.match(report, /pulled: 3 {2}exported: 3 {2}verified: 1 {2}missing: 1 {2}mismatched: 1/);
        assert.match(report, /^missing: lab-sftp: s3:\/\/backup-sandbox-\d+\/Analysis_2024\/lab-sftp\/run6\/missing\.txt/m);
        assert.match(report, /^mismatched: lab-sftp: s3:\/\/backup-sandbox-\d+\/Analysis_2024\/lab-sftp\/run6\/truncated\.txt has 9 bytes, the file had 10$/m);
        assert.deepEqual(sb.released().map((f) => path.relative(lustre(sb), f)), ["run6/ok.txt"]);
        assert.equal(sb.metricSum("FailedRun"), 1);
        assert.equal(sb.metricSum("VerifiedRun"), 0);
    });

    it("an unmounted file system fails the run visibly (error priority, FailedRun) instead of leaving the unit silently inactive", async function () {
        put("run7/a.txt", "a\n");
        const sb = sandbox();
        sb.setMounted(false);
        const res = await sb.runCommand(["run"], { env: { JOURNAL_STREAM: "8:12345" } });
        assert.equal(res.status, 1);
        assert.match(res.stderr, /^<3>ERROR: the Lustre file system is not mounted at .*\/fsx: nothing pulled/m);
        assert.deepEqual(sb.files(sb.mount), []);
        assert.equal(sb.metricSum("FailedRun"), 1);
        // Under systemd (INVOCATION_ID set) the OnFailure= unit reports instead: exactly once.
        const scheduled = await sb.runCommand(["run"], { env: { INVOCATION_ID: "0123456789abcdef", JOURNAL_STREAM: "8:12345" } });
        assert.equal(scheduled.status, 1);
        assert.equal(sb.metricSum("FailedRun"), 1);
        const onFailure = await sb.runCommand(["on-failure"], { env: { INVOCATION_ID: "fedcba9876543210", JOURNAL_STREAM: "8:12345" } });
        assert.equal(onFailure.status, 0, onFailure.stderr);
        assert.match(onFailure.stderr, /^<3>ERROR: a microbiome-sync run failed/m);
        assert.equal(sb.metricSum("FailedRun"), 2);
    });

    it("a manual pull during a scheduled run fails at once, naming the lock, and leaves the running sync's key alone", async function () {
        put("run8/a.txt", "a\n");
        const sb = sandbox();
        fs.mkdirSync(path.dirname(sb.lock), { recursive: true });
        const holder = spawn("flock", ["-n", sb.lock, "sleep", "60"], { detached: true, stdio: "ignore" });
        try {
            await new Promise((r) => setTimeout(r, 300));
            const keyDir = path.join(sb.dir, "run");
            fs.mkdirSync(keyDir, { recursive: true });
            fs.writeFileSync(path.join(keyDir, "lab-sftp.key.scheduled"), "the scheduled run's key");
            const res = await sb.runCommand(["pull", "lab-sftp"]);
            assert.equal(res.status, 1);
            assert.ok(res.ms < 60_000, `took ${res.ms} ms`);
            assert.match(res.stderr, /ERROR: another microbiome-sync run holds .*microbiome-sync\.lock \(the scheduled run or a manual pull\): not started/);
            assert.ok(fs.existsSync(path.join(keyDir, "lab-sftp.key.scheduled")));
            assert.deepEqual(sb.files(sb.mount), []);
        } finally {
            process.kill(-(holder.pid as number), "SIGKILL");
        }
    });

    it("s3 source: aws s3 sync exit 2 (skipped GLACIER objects) fails the source and lists them unless allowed", async function () {
        const sourceBucket = `partner-runs-${++counter}`;
        const aws = (...args: string[]) => {
            const r = spawnSync("aws", args, { env: moto.env, encoding: "utf8" });
            assert.equal(r.status, 0, r.stderr);
        };
        aws("s3api", "create-bucket", "--bucket", sourceBucket);
        const body = path.join(remote.dir, "body.txt");
        fs.writeFileSync(body, "partner data\n");
        aws("s3api", "put-object", "--bucket", sourceBucket, "--key", "exports/r1/a.txt", "--body", body);
        aws("s3api", "put-object", "--bucket", sourceBucket, "--key", "exports/r1/cold.txt", "--body", body, "--storage-class", "GLACIER");
        const source = (allow: boolean) =>
            sandbox({
                run: { ...FAST, allowSkippedS3Objects: allow },
                sources: (mount, bucket) => [
                    {
                        type: "s3",
                        name: "partner",
                        bucket: sourceBucket,
                        prefix: "exports/",
                        requesterPays: false,
                        lustrePath: `${mount}/microbiome/partner/`,
                        stagingPath: `${mount}/.staging/partner/`,
                        s3Uri: `s3://${bucket}/partner/`,
                    },
                ],
            });
        const strict = source(false);
        const res = await strict.runCommand(["pull", "partner"], { exporter: true });
        assert.equal(res.status, 1, res.stdout);
        assert.match(res.stderr, /warning: Skipping file s3:\/\/partner-runs-\d+\/exports\/r1\/cold\.txt/);
        assert.match(res.stderr, /ERROR: source partner: aws s3 sync exited 2: 1 object\(s\) skipped, listed above; a partial copy is a failure/);
        assert.deepEqual(strict.files(path.join(strict.mount, "microbiome", "partner")), ["r1/a.txt"]);
        const lenient = source(true);
        const ok = await lenient.runCommand(["pull", "partner"], { exporter: true });
        assert.equal(ok.status, 0, ok.stderr + ok.stdout);
        assert.match(ok.stderr, /WARNING: source partner: aws s3 sync skipped 1 object\(s\), listed above \(allowed by configuration\)/);
        assert.deepEqual([...lenient.objects("partner/").keys()], ["partner/r1/a.txt"]);
    });

    it("export report: counts exported, released, pending, dirty and lost files (names with newlines too), fails on lost files and on lfs errors", async function () {
        const sb = sandbox();
        const dir = lustre(sb);
        const names = ["exported.txt", "released.txt", "pending.txt", "dirty.txt", "new\nline: (0x9) exists archived.txt"];
        fs.mkdirSync(dir, { recursive: true });
        for (const n of names) fs.writeFileSync(path.join(dir, n), "x");
        sb.setHsmState(path.join(dir, "exported.txt"), "archived");
        sb.setHsmState(path.join(dir, "released.txt"), "released");
        sb.setHsmState(path.join(dir, "dirty.txt"), "dirty");
        const old = new Date(Date.now() - 48 * 3600 * 1000);
        fs.utimesSync(path.join(dir, "pending.txt"), old, old);
        const clean = await sb.runCommand(["report"]);
        assert.equal(clean.status, 0, clean.stderr);
        assert.match(clean.stdout, /export report: lab-sftp \(.* -> s3:\/\/backup-sandbox-\d+\/Analysis_2024\/lab-sftp\/\): exported 1, released 1 \(of which 0 on GLACIER\/DEEP_ARCHIVE objects: restore before reading\), not yet exported 2, dirty 1, lost 0, not exported after 24 h: 1/);
        assert.match(clean.stderr, /WARNING: export report: lab-sftp: not exported after 24 h \(pending\): .*pending\.txt/);
        assert.equal(sb.metricSum("UnexportedFilesOverAge"), 1);

        sb.setHsmState(path.join(dir, "exported.txt"), "lost");
        const lost = await sb.runCommand(["report"]);
        assert.equal(lost.status, 1);
        assert.match(lost.stderr, /ERROR: export report: lab-sftp: lost from HSM \(its S3 object is gone\): .*exported\.txt/);

        fs.writeFileSync(path.join(sb.lfsDb, "state-fails"), "");
        const broken = await sb.runCommand(["report"]);
        assert.equal(broken.status, 1);
        assert.match(broken.stderr, /ERROR: lfs hsm_state failed/);
        assert.match(broken.stderr, /ERROR: export report: lab-sftp: lfs failed; the counts below are incomplete/);
    });
});

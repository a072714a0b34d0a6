/**
 * `npm run restore` (tools/restore.ts, tools/restore/*) against a local S3 server (moto, on
 * 127.0.0.1) with the real dev stack file (bucket microbiome-backup-dev-111111111111, us-east-1,
 * access.keyPrefixes [Analysis_]); AccessDenied and RestoreAlreadyInProgress under
 * aws-sdk-client-mock; throttling against a small local HTTP endpoint that answers S3's `SlowDown`
 * (so the SDK's own retry runs — aws-sdk-client-mock replaces `send` and skips the retry middleware).
 *
 * What moto does (moto 5, `moto/s3/models.py` FakeKey.restore and the state manager model
 * `s3::keyrestore`, default progression "immediate"): RestoreObject on a GLACIER or DEEP_ARCHIVE
 * object sets the expiry at once and the restore is complete at the next read — HeadObject returns
 * `ongoing-request="false", expiry-date="…"` right away (there is no "in progress" phase unless the
 * state manager is reconfigured), and a second RestoreObject answers 200 instead of S3's 409
 * `RestoreAlreadyInProgress`. RestoreObject on any other class fails with InvalidObjectState.
 * The in-progress state is therefore tested with aws-sdk-client-mock. The download command that
 * `--status` prints is run for real with the AWS CLI against moto.
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as net from "node:net";
import * as path from "node:path";
import {
    CreateBucketCommand,
    HeadObjectCommand,
    ListObjectsV2Command,
    PutObjectCommand,
    RestoreObjectCommand,
    S3Client,
    StorageClass,
} from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { BYTES_PER_GB, parseRestoreHeader, restoreCost } from "../../tools/restore/plan";
import { issueRestores, MAX_ATTEMPTS, runRestore, s3ClientConfig } from "../../tools/restore/run";
import { MOTO_CREDENTIALS, MotoServer, startMotoServer } from "../helpers/motoServer";
import { PROJECT_DIR } from "../helpers/preview";
import { requireTool, run as run_, tempDir } from "../helpers/tools";

const BUCKET = "microbiome-backup-dev-111111111111";
const PREFIX = "Analysis_2019/P2019-004/";
const MiB = 1024 * 1024;

/** The test bucket's objects: key, storage class, size in bytes. */
const OBJECTS: ReadonlyArray<[string, StorageClass, number]> = [
    [`${PREFIX}raw/s1_R1.fastq.gz`, "DEEP_ARCHIVE", 3 * MiB],
    [`${PREFIX}raw/s1_R2.fastq.gz`, "DEEP_ARCHIVE", 2 * MiB],
    [`${PREFIX}raw/s2_R1.fastq.gz`, "DEEP_ARCHIVE", 1 * MiB],
    [`${PREFIX}raw/s2_R2.fastq.gz`, "DEEP_ARCHIVE", 512 * 1024],
    [`${PREFIX}results/otu_table.tsv`, "GLACIER_IR", 200_000],
    [`${PREFIX}results/taxonomy.tsv`, "GLACIER_IR", 100_000],
    [`${PREFIX}report.pdf`, "STANDARD", 50_000],
    // A neighbouring project whose id starts the same: never part of the P2019-004/ plan.
    ["Analysis_2019/P2019-0041/raw/x.fastq.gz", "DEEP_ARCHIVE", 4096],
];
const DEEP_KEYS = OBJECTS.filter(([k, c]) => c === "DEEP_ARCHIVE" && k.startsWith(PREFIX)).map(([k]) => k);

/** Captures a run's output. */
function capture() {
    const text = { out: "", err: "" };
    return { text, out: (t: string) => void (text.out += t), err: (t: string) => void (text.err += t) };
}

/** An S3 client for moto that records the name and key of every command it sends. */
function recordingClient(endpoint: string): { client: S3Client; calls: Array<{ command: string; key?: string }> } {
    const client = new S3Client({ region: "us-east-1", endpoint, forcePathStyle: true, credentials: MOTO_CREDENTIALS, maxAttempts: 1 });
    const calls: Array<{ command: string; key?: string }> = [];
    client.middlewareStack.add(
        (next, context) => async (args) => {
            calls.push({ command: context.commandName ?? "", key: (args.input as { Key?: string }).Key });
            return next(args);
        },
        { step: "initialize", name: "recordCalls" },
    );
    return { client, calls };
}

describe("npm run restore", () => {
    describe("against moto (real S3 API calls on 127.0.0.1)", () => {
        let moto: MotoServer;
        before(async () => {
            moto = await startMotoServer();
            const { client } = recordingClient(moto.endpoint);
            await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
            for (const [Key, StorageClass, size] of OBJECTS) {
                await client.send(new PutObjectCommand({ Bucket: BUCKET, Key, StorageClass, Body: Buffer.alloc(size, 1) }));
            }
        });
        after(async () => moto?.stop());

        function run(extra: Partial<Parameters<typeof runRestore>[0]>) {
            const rec = recordingClient(moto.endpoint);
            const io = capture();
            return {
                rec,
                io,
                done: runRestore({ projectDir: PROJECT_DIR, stack: "dev", prefix: PREFIX, client: rec.client, progressBar: false, out: io.out, err: io.err, ...extra }),
            };
        }

        it("--status before any restore: 4 not requested, not ready", async () => {
            const { io, done } = run({ status: true });
            assert.equal(await done, 0, io.text.err);
            assert.match(io.text.out, /restored: +0\n/);
            assert.match(io.text.out, /in progress: +0\n/);
            assert.match(io.text.out, /not requested: +4\n/);
            assert.match(io.text.out, /no restore needed \(not archived\): 3\n/);
            assert.doesNotMatch(io.text.out, /aws s3 sync/);
        });

        it("--dry-run prints counts, bytes and cost per tier, and sends no RestoreObject", async () => {
            const { io, rec, done } = run({ dryRun: true, tier: "Standard" });
            assert.equal(await done, 0, io.text.err);
            // Per class: DEEP_ARCHIVE 4 objects 3+2+1+0.5 MiB = 6.5 MiB = 6,815,744 bytes; GLACIER_IR 2 objects 300,000 bytes; STANDARD 1 object 50,000 bytes.
            assert.match(io.text.out, /DEEP_ARCHIVE +4 +0\.01 GB \(6,815,744 bytes\)/);
            assert.match(io.text.out, /GLACIER_IR +2 +0\.00 GB \(300,000 bytes\)/);
            assert.match(io.text.out, /STANDARD +1 +0\.00 GB \(50,000 bytes\)/);
            assert.match(io.text.out, /DEEP_ARCHIVE: 4 object\(s\); restored 0, in progress 0, to restore 4/);
            // Hand calculation, us-east-1 Deep Archive: GB = 6,815,744 / 2^30 = 0.00634765625.
            //   Standard: 0.00634765625 × $0.02 + 4 / 1000 × $0.10 = $0.000126953125 + $0.0004 = $0.000526953125 → $0.0005
            //   Bulk:     0.00634765625 × $0.0025 + 4 / 1000 × $0.025 = $0.0000158691 + $0.0001 = $0.0001158691 → $0.0001
            assert.equal(6_815_744 / BYTES_PER_GB, 0.00634765625);
            assert.match(io.text.out, /Standard \(chosen\) +0\.02 +0\.1 +\$0\.0005 +within 12 hours/);
            assert.match(io.text.out, /Bulk +0\.0025 +0\.025 +\$0\.0001 +within 48 hours/);
            assert.doesNotMatch(io.text.out, /Expedited/, "Deep Archive offers no Expedited tier");
            assert.deepEqual(rec.calls.filter((c) => c.command === "RestoreObjectCommand"), []);
            // Only the archived objects are inspected with HeadObject.
            assert.deepEqual(rec.calls.filter((c) => c.command === "HeadObjectCommand").map((c) => c.key).sort(), [...DEEP_KEYS].sort());
        });

        it("refuses Expedited for Deep Archive objects (exit 2) and sends no restore", async () => {
            const { io, rec, done } = run({ tier: "Expedited" });
            assert.equal(await done, 2);
            assert.match(io.text.err, /--tier = Expedited: 4 object\(s\) under the prefix are in DEEP_ARCHIVE, which offers only Standard or Bulk/);
            assert.equal(rec.calls.filter((c) => c.command === "RestoreObjectCommand").length, 0);
        });

        it("refuses --days outside S3's range and a prefix outside the layout or the access keyPrefixes (exit 2), before any AWS call", async () => {
            const days = run({ days: "0" });
            assert.equal(await days.done, 2);
            assert.match(days.io.text.err, /--days = 0: a whole number of days from 1 to 2,147,483,647/);
            const outside = run({ prefix: "scratch/P1/" });
            assert.equal(await outside.done, 2);
            assert.match(outside.io.text.err, /Analysis_<year>\/<project>\//);
            assert.match(outside.io.text.err, /outside the stack's access\.keyPrefixes \(Analysis_\)/);
            const noSlash = run({ prefix: "Analysis_2019/P2019-004" });
            assert.equal(await noSlash.done, 2, "P2019-004 without / would also match P2019-0041");
            assert.deepEqual([...days.rec.calls, ...outside.rec.calls, ...noSlash.rec.calls], []);
        });

        it("refuses a prefix that matches nothing (exit 2)", async () => {
            const { io, done } = run({ prefix: "Analysis_2019/P2019-999/" });
            assert.equal(await done, 2);
            assert.match(io.text.err, /no object in s3:\/\/microbiome-backup-dev-111111111111\/ starts with it/);
        });

        it("restores only the archived objects, once; a rerun issues none; --status then shows them ready, and its download command works", async () => {
            requireTool("aws");
            const first = run({ tier: "Bulk", days: "3" });
            assert.equal(await first.done, 0, first.io.text.err);
            const restores = first.rec.calls.filter((c) => c.command === "RestoreObjectCommand").map((c) => c.key);
            assert.deepEqual([...restores].sort(), [...DEEP_KEYS].sort(), "one RestoreObject per Deep Archive object under the prefix, none for GLACIER_IR/STANDARD or P2019-0041");
            assert.match(first.io.text.out, /Restore requests accepted: 4; already in progress: 0; failed: 0/);
            assert.match(first.io.text.out, /restore requests: 4\/4/, "plain progress lines when not on a terminal");

            const second = run({ tier: "Bulk", days: "3" });
            assert.equal(await second.done, 0, second.io.text.err);
            assert.equal(second.rec.calls.filter((c) => c.command === "RestoreObjectCommand").length, 0, "a rerun requests nothing twice");
            assert.match(second.io.text.out, /restored 4, in progress 0, to restore 0/);
            assert.match(second.io.text.out, /Nothing to restore/);

            const status = run({ status: true, profile: "microbiome-backup-dev" });
            assert.equal(await status.done, 0, status.io.text.err);
            assert.match(status.io.text.out, /restored: +4\n/);
            assert.match(status.io.text.out, /not requested: +0\n/);
            assert.ok(
                status.io.text.out.includes(
                    "aws s3 sync s3://microbiome-backup-dev-111111111111/Analysis_2019/P2019-004/ ./P2019-004/ --force-glacier-transfer --profile microbiome-backup-dev",
                ),
                status.io.text.out,
            );
            // The printed download step works: every object under the prefix (7) arrives, the
            // restored Deep Archive ones included (moto serves a GET of an archived object only once
            // it is restored, and the AWS CLI skips DEEP_ARCHIVE objects without --force-glacier-transfer).
            const command = /aws s3 sync (\S+) (\S+) --force-glacier-transfer --profile \S+/.exec(status.io.text.out);
            assert.ok(command, status.io.text.out);
            const local = tempDir("restore-download-");
            try {
                const sync = run_(
                    "aws",
                    ["s3", "sync", command[1], path.join(local.dir, command[2]), "--force-glacier-transfer", "--endpoint-url", moto.endpoint],
                    { env: moto.env },
                );
                assert.equal(sync.status, 0, sync.stderr);
                const files = fs.readdirSync(path.join(local.dir, command[2]), { recursive: true, withFileTypes: true }).filter((d) => d.isFile());
                assert.equal(files.length, 7);
                assert.equal(fs.statSync(path.join(local.dir, command[2], "raw", "s1_R1.fastq.gz")).size, 3 * MiB);
            } finally {
                local.cleanup();
            }
            // moto sets the expiry to now + Days (3) at the restore.
            const until = /stay until (\S+?);/.exec(status.io.text.out)?.[1] ?? /stay until (\S+) /.exec(status.io.text.out)?.[1];
            assert.ok(until, status.io.text.out);
            const daysLeft = (new Date(until).getTime() - Date.now()) / 86_400_000;
            assert.ok(daysLeft > 2 && daysLeft <= 3.01, `expiry ${until} is about 3 days away`);
        });

        it("the command line: --help documents it; --status runs against the endpoint in AWS_ENDPOINT_URL", () => {
            const cli = (args: string[]) =>
                spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(PROJECT_DIR, "tools", "restore.ts"), ...args], {
                    cwd: PROJECT_DIR,
                    encoding: "utf8",
                    env: { ...moto.env, TS_NODE_TRANSPILE_ONLY: "true" },
                });
            const help = cli(["--help"]);
            assert.equal(help.status, 0);
            for (const flag of ["--stack", "--prefix", "--tier", "--days", "--dry-run", "--status", "--profile", "--concurrency"]) {
                assert.ok(help.stdout.includes(flag), `--help documents ${flag}`);
            }
            const status = cli(["--stack", "dev", "--prefix", PREFIX, "--status"]);
            assert.equal(status.status, 0, status.stderr);
            assert.match(status.stdout, /restored: +4\n/);
        });
    });

    describe("with aws-sdk-client-mock", () => {
        // mockClient stubs S3Client.prototype.send for every client: only inside this block.
        let s3: ReturnType<typeof mockClient>;
        before(() => {
            s3 = mockClient(S3Client);
        });
        afterEach(() => s3.reset());
        after(() => s3.restore());

        function runMocked(extra: Partial<Parameters<typeof runRestore>[0]> = {}) {
            const io = capture();
            return { io, done: runRestore({ projectDir: PROJECT_DIR, stack: "dev", prefix: PREFIX, client: new S3Client({ region: "us-east-1" }), progressBar: false, out: io.out, err: io.err, ...extra }) };
        }

        it("explains AccessDenied in terms of the lab identity (exit 3)", async () => {
            s3.on(ListObjectsV2Command).rejects(Object.assign(new Error("Access Denied"), { name: "AccessDenied" }));
            const { io, done } = runMocked({ profile: "someone-else" });
            assert.equal(await done, 3);
            assert.match(io.text.err, /AccessDenied/);
            assert.match(io.text.err, /IAM group microbiome-backup-dev-bucket-access/);
            assert.match(io.text.err, /machine user microbiome-backup-dev-lab-machine, console user dev\.tester@example\.com/);
            assert.match(io.text.err, /profile microbiome-backup-dev \(you used --profile someone-else\)/);
            assert.match(io.text.err, /s3:RestoreObject/);
            assert.match(io.text.err, /arn:aws:s3:::microbiome-backup-dev-111111111111\/Analysis_\*/, "names the keyPrefixes the group is confined to");
        });

        it("a refusal in any of its forms (AccessDenied, a bodiless 403 Forbidden, AccessDeniedException) stops the restores at once (and returns: no hang) instead of failing every key", async () => {
            const refusals = [
                Object.assign(new Error("Access Denied"), { name: "AccessDenied" }),
                Object.assign(new Error("Forbidden"), { name: "Forbidden", $metadata: { httpStatusCode: 403 } }),
                Object.assign(new Error("denied"), { name: "AccessDeniedException" }),
            ];
            const keys = Array.from({ length: 20 }, (_, i) => ({ key: `${PREFIX}k${i}`, storageClass: "DEEP_ARCHIVE" as const }));
            for (const refusal of refusals) {
                s3.reset();
                s3.on(RestoreObjectCommand).rejects(refusal);
                await assert.rejects(issueRestores(new S3Client({ region: "us-east-1" }), "b", keys, "Bulk", 1, 2), (e: Error) => e.name === refusal.name);
                assert.ok(s3.commandCalls(RestoreObjectCommand).length <= 2, `${refusal.name}: stopped after the requests already in flight`);
            }
        });

        it("counts in-progress restores from the Restore header and RestoreAlreadyInProgress as in progress", async () => {
            s3.on(ListObjectsV2Command).resolves({
                Contents: [
                    { Key: `${PREFIX}a`, Size: 10, StorageClass: "DEEP_ARCHIVE" },
                    { Key: `${PREFIX}b`, Size: 10, StorageClass: "DEEP_ARCHIVE" },
                    { Key: `${PREFIX}c`, Size: 10, StorageClass: "GLACIER" },
                ],
            });
            s3.on(HeadObjectCommand, { Key: `${PREFIX}a` }).resolves({ Restore: 'ongoing-request="true"' });
            s3.on(HeadObjectCommand, { Key: `${PREFIX}b` }).resolves({});
            s3.on(HeadObjectCommand, { Key: `${PREFIX}c` }).resolves({});
            s3.on(RestoreObjectCommand, { Key: `${PREFIX}b` }).rejects(Object.assign(new Error("Object restore is already in progress"), { name: "RestoreAlreadyInProgress" }));
            s3.on(RestoreObjectCommand, { Key: `${PREFIX}c` }).resolves({});
            const { io, done } = runMocked({ tier: "Standard" });
            assert.equal(await done, 0, io.text.err);
            assert.match(io.text.out, /DEEP_ARCHIVE: 2 object\(s\); restored 0, in progress 1, to restore 1/);
            assert.match(io.text.out, /GLACIER: 1 object\(s\); restored 0, in progress 0, to restore 1/);
            assert.deepEqual(s3.commandCalls(RestoreObjectCommand).map((c) => c.args[0].input.Key).sort(), [`${PREFIX}b`, `${PREFIX}c`]);
            assert.deepEqual(s3.commandCalls(RestoreObjectCommand)[0].args[0].input.RestoreRequest, { Days: 7, GlacierJobParameters: { Tier: "Standard" } });
            assert.match(io.text.out, /Restore requests accepted: 1; already in progress: 1; failed: 0/);
        });

        it("costs a restore from the price table (hand-calculated)", () => {
            // 2,000 objects, 500 GB from Deep Archive in us-east-1:
            //   Bulk:     500 × $0.0025 + 2,000 / 1,000 × $0.025 = $1.25 + $0.05 = $1.30
            //   Standard: 500 × $0.02   + 2,000 / 1,000 × $0.10  = $10.00 + $0.20 = $10.20
            const project = { objects: 2000, bytes: 500 * BYTES_PER_GB };
            assert.ok(Math.abs((restoreCost("DEEP_ARCHIVE", "Bulk", "us-east-1", project).usd ?? NaN) - 1.3) < 1e-9);
            assert.ok(Math.abs((restoreCost("DEEP_ARCHIVE", "Standard", "us-east-1", project).usd ?? NaN) - 10.2) < 1e-9);
            // Glacier Flexible Retrieval: Expedited 500 × $0.03 + 2 × $10.00 = $35.00; Bulk is free.
            assert.ok(Math.abs((restoreCost("GLACIER", "Expedited", "us-east-1", project).usd ?? NaN) - 35) < 1e-9);
            assert.equal(restoreCost("GLACIER", "Bulk", "us-east-1", project).usd, 0);
            // The moto fixture: 6,815,744 bytes, 4 objects, Standard = 0.00634765625 × 0.02 + 0.004 × 0.10.
            assert.ok(Math.abs((restoreCost("DEEP_ARCHIVE", "Standard", "us-east-1", { objects: 4, bytes: 6_815_744 }).usd ?? NaN) - 0.000526953125) < 1e-12);
            // No recorded price: no figure rather than a guess.
            const frankfurt = restoreCost("DEEP_ARCHIVE", "Bulk", "eu-central-1", project);
            assert.equal(frankfurt.usd, undefined);
            assert.equal(frankfurt.readyTime, "within 48 hours");
        });

        it("names the lab profile when no credentials are found for --profile", async () => {
            s3.restore();
            const saved = { config: process.env.AWS_CONFIG_FILE, creds: process.env.AWS_SHARED_CREDENTIALS_FILE };
            process.env.AWS_CONFIG_FILE = "/dev/null";
            process.env.AWS_SHARED_CREDENTIALS_FILE = "/dev/null";
            try {
                const io = capture();
                const code = await runRestore({ projectDir: PROJECT_DIR, stack: "dev", prefix: PREFIX, profile: "no-such-profile", progressBar: false, out: io.out, err: io.err });
                assert.equal(code, 3);
                assert.match(io.text.err, /no AWS credentials: pass --profile microbiome-backup-dev \(the lab profile\)/);
            } finally {
                process.env.AWS_CONFIG_FILE = saved.config;
                process.env.AWS_SHARED_CREDENTIALS_FILE = saved.creds;
                if (saved.config === undefined) delete process.env.AWS_CONFIG_FILE;
                if (saved.creds === undefined) delete process.env.AWS_SHARED_CREDENTIALS_FILE;
                s3 = mockClient(S3Client);
            }
        });

        it("reads the Restore header forms S3 returns", () => {
            assert.deepEqual(parseRestoreHeader(undefined), { state: "not-requested" });
            assert.deepEqual(parseRestoreHeader('ongoing-request="true"'), { state: "in-progress" });
            assert.deepEqual(parseRestoreHeader('ongoing-request="false", expiry-date="Fri, 21 Dec 2012 00:00:00 GMT"'), {
                state: "restored",
                expiry: new Date("2012-12-21T00:00:00Z"),
            });
        });
    });

    describe("throttling (a local endpoint answering 503 SlowDown; the SDK's own retry)", () => {
        let server: http.Server;
        let endpoint: string;
        const attempts = new Map<string, number>();
        before(async () => {
            server = http.createServer((req, res) => {
                const key = decodeURIComponent((req.url ?? "").split("?")[0]);
                const n = (attempts.get(key) ?? 0) + 1;
                attempts.set(key, n);
                req.resume();
                // "throttled-once": SlowDown on the first attempt, then accepted; "always-throttled": SlowDown every time.
                if ((key.endsWith("throttled-once") && n === 1) || key.endsWith("always-throttled")) {
                    res.writeHead(503, { "content-type": "application/xml" });
                    res.end("<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>");
                    return;
                }
                res.writeHead(202);
                res.end();
            });
            await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
            endpoint = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
        });
        after(() => new Promise<void>((resolve) => server.close(() => resolve())));

        it("uses adaptive retry with backoff", () => {
            const config = s3ClientConfig("us-east-1", undefined);
            assert.equal(config.retryMode, "adaptive");
            assert.equal(config.maxAttempts, MAX_ATTEMPTS);
        });

        it("retries a throttled restore until accepted, and reports one that stays throttled without stopping the others", async () => {
            const client = new S3Client({ ...s3ClientConfig("us-east-1", undefined), maxAttempts: 3, endpoint, forcePathStyle: true, credentials: MOTO_CREDENTIALS });
            const keys = ["p/throttled-once", "p/always-throttled", "p/fine"].map((key) => ({ key, storageClass: "DEEP_ARCHIVE" as const }));
            const outcome = await issueRestores(client, "b", keys, "Bulk", 1, 2);
            assert.equal(outcome.issued, 2);
            assert.deepEqual(outcome.failed.map((f) => [f.key, f.error.name]), [["p/always-throttled", "SlowDown"]]);
            assert.equal(attempts.get("/b/p/throttled-once"), 2, "retried once after SlowDown");
            assert.equal(attempts.get("/b/p/always-throttled"), 3, "retried up to maxAttempts");
            assert.equal(attempts.get("/b/p/fine"), 1);
        });
    });
});

import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import {
    decodeUserDataBase64,
    fstabLine,
    HOST_PATHS,
    readUserDataFiles,
    renderSourceConf,
    renderUserData,
    renderUserDataBase64,
    ResolvedSyncSource,
    SCRIPTS,
    SCRIPTS_DIR,
    shellQuote,
    shippedScript,
    sizeEstimatePaths,
    SIZE_ESTIMATE_PLACEHOLDERS,
    SYNC_METRICS,
    syncReportsPrefix,
    UserDataInput,
    userDataSize,
    USER_DATA_LIMIT_BYTES,
} from "../../components/syncHost/userData";
import { requireTool, run, tempDir } from "../helpers/tools";

const HOST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHeEp6+73sgQM0B6KsXtv0VaMARnEE4suaQIHx4dbMdw";
const SECRET = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:microbiome-backup/lab-key-AbCdEf";

/** Paths with every character a shell or lftp could misread. */
const ODD = [`runs with spaces`, `it's "quoted"`, "dollar $HOME and `cmd` $(x)", "back\\slash", "glob *?[a]", "semi;colon & pipe | hash #", "ünïcode"];

function sftp(overrides: Partial<Extract<ResolvedSyncSource, { type: "sftp" }>> = {}): ResolvedSyncSource {
    return {
        type: "sftp",
        name: "lab-sftp",
        host: "sftp.example.com",
        port: 2222,
        user: "microbiome",
        remotePath: "/data/runs",
        hostKey: HOST_KEY,
        privateKeySecretArn: SECRET,
        tool: "lftp",
        lustrePath: "/fsx/microbiome/Analysis_2024/lab-sftp/",
        stagingPath: "/fsx/.staging/lab-sftp/",
        s3Uri: "s3://3bigsmicrobiome/Analysis_2024/lab-sftp/",
        ...overrides,
    };
}

function s3(overrides: Partial<Extract<ResolvedSyncSource, { type: "s3" }>> = {}): ResolvedSyncSource {
    return {
        type: "s3",
        name: "partner",
        bucket: "partner-runs-example",
        prefix: "exports/",
        requesterPays: false,
        lustrePath: "/fsx/microbiome/partner/",
        stagingPath: "/fsx/.staging/partner/",
        s3Uri: "s3://3bigsmicrobiome/partner/",
        ...overrides,
    };
}

function input(overrides: Partial<UserDataInput> = {}): UserDataInput {
    return {
        fileSystemDnsName: "fs-0123456789abcdef0.fsx.us-east-1.amazonaws.com",
        mountName: "abcdef12",
        mountPoint: "/fsx",
        schedule: "Mon..Fri 22:30",
        region: "us-east-1",
        backupBucketName: "3bigsmicrobiome",
        metricsStack: "microbiome-backup-prod",
        reportsPrefix: syncReportsPrefix("prod"),
        sources: [sftp(), s3({ region: "eu-central-1", requesterPays: true })],
        cloudWatchLogGroup: "/microbiome-backup/prod/sync-host",
        ...overrides,
    };
}

function file(text: string, p: string): string {
    const f = readUserDataFiles(text).find((w) => w.path === p);
    assert.ok(f, `no ${p} in write_files`);
    return f.content;
}

describe("syncHostUserData", () => {
    describe("rendering", () => {
        it("writes the fstab line (with _netdev, noatime, flock, nofail), packages and run settings into sync.conf", () => {
            const line = "fs-0123456789abcdef0.fsx.us-east-1.amazonaws.com@tcp:/abcdef12 /fsx lustre defaults,noatime,flock,_netdev,nofail 0 0";
            assert.equal(fstabLine("fs-0123456789abcdef0.fsx.us-east-1.amazonaws.com", "abcdef12", "/fsx"), line);
            const conf = file(renderUserData(input()), HOST_PATHS.syncConf);
            assert.ok(conf.includes(`FSTAB_LINE='${line}'`));
            assert.match(conf, /^PACKAGES='lustre-client lftp rsync logrotate amazon-cloudwatch-agent'$/m);
            assert.match(conf, /^BUCKET='3bigsmicrobiome'$/m);
            assert.match(conf, /^REPORTS_PREFIX='_sync-reports\/prod\/'$/m);
            assert.match(conf, /^METRIC_NAMESPACE='MicrobiomeBackup\/SyncHost'$/m);
            assert.match(conf, /^METRIC_STACK='microbiome-backup-prod'$/m);
            // Defaults, documented in SYNC_RUN_DEFAULTS.
            assert.match(conf, /^RELEASE_EXPORTED='yes'$/m);
            assert.match(conf, /^UNEXPORTED_AGE_HOURS='24'$/m);
            assert.match(conf, /^SETTLE_MINUTES='30'$/m);
            assert.match(conf, /^COMPLETION_MARKER=''$/m);
            assert.match(conf, /^EXPORT_WAIT_MINUTES='120'$/m);
            assert.match(conf, /^FREE_SPACE_RESERVE_PERCENT='10'$/m);
            assert.match(conf, /^ALLOW_SKIPPED_S3_OBJECTS='no'$/m);
            assert.match(conf, /^SOURCES=\('lab-sftp' 'partner'\)$/m);
            const custom = file(renderUserData(input({ run: { releaseExported: false, completionMarker: "CopyComplete.txt", settleMinutes: 5, maxRunMinutes: 240, exportWaitMinutes: 60 } })), HOST_PATHS.syncConf);
            assert.match(custom, /^RELEASE_EXPORTED='no'$/m);
            assert.match(custom, /^COMPLETION_MARKER='CopyComplete\.txt'$/m);
            assert.match(custom, /^SETTLE_MINUTES='5'$/m);
            assert.throws(() => renderUserData(input({ run: { completionMarker: "../x" } })), /completionMarker must be a plain file name/);
            assert.throws(() => renderUserData(input({ run: { maxRunMinutes: 60, exportWaitMinutes: 120 } })), /exportWaitMinutes \(120\) must be below run\.maxRunMinutes \(60\)/);
            assert.throws(() => fstabLine("fs-1 evil", "abc", "/fsx"), /unexpected file system DNS name/);
        });

        it("a oneshot service with a maximum run time, OnFailure= reporter and its own mount check (no RequiresMountsFor=); the timer", () => {
            const text = renderUserData(input({ run: { maxRunMinutes: 600 } }));
            const timer = file(text, HOST_PATHS.timer);
            assert.match(timer, /^OnCalendar=Mon\.\.Fri 22:30$/m);
            assert.match(timer, /^Persistent=true$/m);
            const service = file(text, HOST_PATHS.service);
            assert.match(service, /^Type=oneshot$/m);
            assert.match(service, /^ExecStart=\/usr\/local\/sbin\/microbiome-sync run$/m);
            assert.match(service, /^TimeoutStartSec=600min$/m);
            assert.match(service, /^OnFailure=microbiome-sync-failure\.service$/m);
            assert.doesNotMatch(service, /RequiresMountsFor/);
            assert.match(service, /^StateDirectory=microbiome-sync$/m);
            assert.match(file(text, HOST_PATHS.failureService), /^ExecStart=\/usr\/local\/sbin\/microbiome-sync on-failure$/m);
            assert.ok(readUserDataFiles(text).length > 0);
            assert.ok(text.includes("runcmd:\n  - - /usr/local/sbin/microbiome-sync-setup"));
        });

        it("writes each source's resolved paths and settings single-quoted, the pinned host keys, and no private key", () => {
            const text = renderUserData(input());
            const conf = file(text, `${HOST_PATHS.sources}/lab-sftp.conf`);
            assert.match(conf, /^TYPE='sftp'$/m);
            assert.match(conf, /^LUSTRE_PATH='\/fsx\/microbiome\/Analysis_2024\/lab-sftp\/'$/m);
            assert.match(conf, /^STAGING_PATH='\/fsx\/\.staging\/lab-sftp\/'$/m);
            assert.match(conf, /^S3_URI='s3:\/\/3bigsmicrobiome\/Analysis_2024\/lab-sftp\/'$/m);
            assert.match(conf, /^PORT='2222'$/m);
            assert.match(conf, /^SECRET_REGION='eu-west-1'$/m);
            assert.equal(file(text, HOST_PATHS.knownHosts), `lab-sftp ${HOST_KEY}\n`);
            const s3conf = file(text, `${HOST_PATHS.sources}/partner.conf`);
            assert.match(s3conf, /^SOURCE_URI='s3:\/\/partner-runs-example\/exports\/'$/m);
            assert.match(s3conf, /^REQUESTER_PAYS='yes'$/m);
            assert.doesNotMatch(text, /PRIVATE KEY/);
            assert.throws(() => renderSourceConf(sftp({ lustrePath: "/elsewhere/x/" }), "/fsx"), /lustrePath "\/elsewhere\/x\/" must be an absolute directory under \/fsx/);
            assert.throws(() => renderSourceConf(sftp({ stagingPath: "/fsx/../etc/" }), "/fsx"), /stagingPath/);
        });

        it("ships the scripts from components/syncHost/scripts without comment lines, and the transfers use whole-file settings", () => {
            const files = readUserDataFiles(renderUserData(input()));
            for (const s of SCRIPTS) {
                const shipped = files.find((f) => f.path === s.hostPath);
                assert.ok(shipped, s.hostPath);
                assert.equal(shipped.content, shippedScript(fs.readFileSync(path.join(SCRIPTS_DIR, s.file), "utf8")));
                assert.equal(shipped.permissions, s.permissions);
            }
            const pull = files.find((f) => f.path === `${HOST_PATHS.libexec}/pull`)?.content ?? "";
            assert.match(pull, /^set xfer:use-temp-file yes$/m);
            assert.match(pull, /^set xfer:disk-full-fatal yes$/m);
            assert.match(pull, /mirror -L --no-perms/);
            assert.doesNotMatch(pull, /--continue|--partial|--inplace|--delete/);
        });

        it("the shipped scripts publish every metric the stack's alarms watch (SYNC_METRICS), and no other", () => {
            const shipped = readUserDataFiles(renderUserData(input()))
                .map((f) => f.content)
                .join("\n");
            const published = new Set([...shipped.matchAll(/\bput_metric ([A-Za-z]+) /g)].map((m) => m[1]));
            assert.deepEqual([...published].sort(), Object.values(SYNC_METRICS).sort());
        });

        it("ships the CloudWatch agent config only with a log group", () => {
            const withLogs = renderUserData(input());
            const agent = JSON.parse(file(withLogs, HOST_PATHS.cloudWatchConfig)) as { logs: { logs_collected: { files: { collect_list: { file_path: string }[] } } } };
            assert.deepEqual(agent.logs.logs_collected.files.collect_list.map((c) => c.file_path), [HOST_PATHS.logFile, "/var/log/cloud-init-output.log"]);
            assert.match(file(withLogs, HOST_PATHS.syncConf), /^LOG_FILE='\/var\/log\/microbiome-sync\/sync\.log'$/m);
            const journalOnly = renderUserData(input({ cloudWatchLogGroup: undefined }));
            assert.equal(readUserDataFiles(journalOnly).some((f) => f.path === HOST_PATHS.cloudWatchConfig), false);
            assert.match(file(journalOnly, HOST_PATHS.syncConf), /^LOG_FILE=''$/m);
        });

        it("is gzip-compressed for the instance and stays under EC2's 16 KB with 20 long sources", () => {
            const b64 = renderUserDataBase64(input());
            assert.equal(decodeUserDataBase64(b64), renderUserData(input()));
            assert.equal(Buffer.from(b64, "base64").length, userDataSize(input()));
            const twenty = Array.from({ length: 20 }, (_, i) => {
                const s = sftp({ name: `source-${i}-${"x".repeat(30)}`, remotePath: `/${"r".repeat(300)}` });
                return { ...s, ...sizeEstimatePaths("/fsx", s.name) };
            });
            const size = userDataSize({ ...input(), ...SIZE_ESTIMATE_PLACEHOLDERS, sources: twenty });
            assert.ok(size < USER_DATA_LIMIT_BYTES, `${size} bytes`);
            assert.ok(Buffer.byteLength(renderUserData({ ...input(), sources: twenty })) > USER_DATA_LIMIT_BYTES, "uncompressed it would not fit");
        });
    });

    describe("quoting of odd paths", () => {
        it("shellQuote round-trips through bash", () => {
            requireTool("bash");
            for (const value of ODD) {
                assert.equal(run("bash", ["-c", `printf %s ${shellQuote(value)}`]).stdout, value);
            }
        });

        it("a source settings file gives the scripts the exact odd paths", () => {
            const { dir, cleanup } = tempDir("conf-");
            try {
                const conf = path.join(dir, "s.conf");
                fs.writeFileSync(conf, renderSourceConf(sftp({ remotePath: `/data/${ODD.join("/")}`, lustrePath: `/fsx/${ODD.join("/")}/` }), "/fsx"));
                const out = run("bash", ["-c", `. "$1"; printf '%s\\n%s' "$REMOTE_PATH" "$LUSTRE_PATH"`, "bash", conf]);
                assert.equal(out.stderr, "");
                assert.equal(out.stdout, `/data/${ODD.join("/")}\n/fsx/${ODD.join("/")}/`);
            } finally {
                cleanup();
            }
        });
    });

    describe("checked by the real tools", () => {
        const variants: [string, UserDataInput][] = [
            ["sftp (lftp) + s3 with CloudWatch", input()],
            ["rsync + odd paths, journal only", input({ cloudWatchLogGroup: undefined, sources: [sftp({ tool: "rsync", remotePath: `/d/${ODD.join("/")}`, lustrePath: `/fsx/m/${ODD.join("/")}/` }), s3({ prefix: "" })] })],
            ["no sources", input({ sources: [], schedule: "daily" })],
        ];

        it("every script passes shellcheck (sources following common.sh), as written and as shipped", () => {
            requireTool("shellcheck");
            const files = SCRIPTS.map((s) => path.join(SCRIPTS_DIR, s.file));
            const res = run("shellcheck", ["--severity=style", "--shell=bash", "-x", ...files], { cwd: SCRIPTS_DIR });
            assert.equal(res.status, 0, res.stdout + res.stderr);
            const { dir, cleanup } = tempDir("shipped-");
            try {
                for (const f of readUserDataFiles(renderUserData(input())).filter((w) => SCRIPTS.some((s) => s.hostPath === w.path))) {
                    fs.writeFileSync(path.join(dir, path.basename(f.path).replace("microbiome-sync-setup", "setup")), f.content);
                }
                const shipped = run("shellcheck", ["--severity=style", "--shell=bash", "-x", ...fs.readdirSync(dir).map((f) => path.join(dir, f))], { cwd: dir });
                assert.equal(shipped.status, 0, shipped.stdout + shipped.stderr);
            } finally {
                cleanup();
            }
        });

        it("cloud-init's schema validator accepts the user data (and rejects a broken one)", () => {
            requireTool("cloud-init");
            const { dir, cleanup } = tempDir("cloudinit-");
            try {
                const f = path.join(dir, "user-data");
                for (const [label, data] of variants) {
                    fs.writeFileSync(f, renderUserData(data));
                    const res = run("cloud-init", ["schema", "--config-file", f]);
                    assert.equal(res.status, 0, `${label}:\n${res.stdout}${res.stderr}`);
                    assert.match(res.stdout, /Valid cloud-config/);
                }
                fs.writeFileSync(f, renderUserData(input()).replace("runcmd:", "runcmd: 5\nbogus_runcmd:"));
                assert.notEqual(run("cloud-init", ["schema", "--config-file", f]).status, 0);
            } finally {
                cleanup();
            }
        });

        it("systemd-analyze verify accepts the units", () => {
            requireTool("systemd-analyze");
            const { dir, cleanup } = tempDir("units-");
            try {
                // The units name the host's command; point ExecStart= at a stand-in copy so verify can check it.
                const command = path.join(dir, "microbiome-sync");
                fs.writeFileSync(command, "#!/bin/bash\n", { mode: 0o755 });
                const units = [HOST_PATHS.service, HOST_PATHS.failureService, HOST_PATHS.timer].map((u) => {
                    const target = path.join(dir, path.basename(u));
                    fs.writeFileSync(target, file(renderUserData(input()), u).replaceAll(HOST_PATHS.command, command));
                    return target;
                });
                const res = run("systemd-analyze", ["verify", ...units]);
                assert.equal(res.status, 0, res.stdout + res.stderr);
                assert.equal(res.stdout + res.stderr, "");
                fs.writeFileSync(units[0], fs.readFileSync(units[0], "utf8").replace("TimeoutStartSec=720min", "TimeoutStartSec=720 minutes please"));
                const bad = run("systemd-analyze", ["verify", units[0]]);
                assert.match(bad.stdout + bad.stderr, /TimeoutStartSec/);
            } finally {
                cleanup();
            }
        });
    });
});

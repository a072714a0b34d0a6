import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import {
    fstabLine,
    HOST_PATHS,
    renderFiles,
    renderPullScript,
    renderSourceConf,
    renderUserData,
    shellQuote,
    SyncSourceSettings,
    targetDirectory,
    UserDataInput,
    userDataSize,
    USER_DATA_LIMIT_BYTES,
} from "../../components/syncHostUserData";
import { requireTool, run, tempDir, writeStub } from "../helpers/tools";

const HOST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHeEp6+73sgQM0B6KsXtv0VaMARnEE4suaQIHx4dbMdw";
const SECRET = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:microbiome-backup/lab-key-AbCdEf";

/** Paths with every character a shell or lftp could misread. */
const ODD = [`runs with spaces`, `it's "quoted"`, "dollar $HOME and `cmd` $(x)", "back\\slash", "glob *?[a]", "semi;colon & pipe | hash #", "ünïcode"];

function sftp(overrides: Partial<Extract<SyncSourceSettings, { type: "sftp" }>> = {}): SyncSourceSettings {
    return {
        type: "sftp",
        name: "lab-sftp",
        host: "sftp.example.com",
        port: 2222,
        user: "microbiome",
        remotePath: "/data/runs",
        targetPath: "incoming/lab-sftp",
        hostKey: HOST_KEY,
        privateKeySecretArn: SECRET,
        tool: "lftp",
        ...overrides,
    };
}

function s3(overrides: Partial<Extract<SyncSourceSettings, { type: "s3" }>> = {}): SyncSourceSettings {
    return { type: "s3", name: "partner", bucket: "partner-runs-example", prefix: "exports/", targetPath: "incoming/partner", requesterPays: false, ...overrides };
}

function input(overrides: Partial<UserDataInput> = {}): UserDataInput {
    return {
        fileSystemDnsName: "fs-0123456789abcdef0.fsx.us-east-1.amazonaws.com",
        mountName: "abcdef12",
        mountPoint: "/fsx",
        schedule: "Mon..Fri 22:30",
        region: "us-east-1",
        backupBucketName: "3bigsmicrobiome",
        sources: [sftp(), s3({ region: "eu-central-1", requesterPays: true })],
        cloudWatchLogGroup: "/microbiome-backup/prod/sync-host",
        ...overrides,
    };
}

interface CloudConfig {
    write_files: { path: string; permissions: string; owner: string; content: string }[];
    runcmd: string[][];
}

function parsed(text: string): CloudConfig {
    assert.ok(text.startsWith("#cloud-config\n"), "user data must start with #cloud-config");
    return parse(text) as CloudConfig;
}

function file(cfg: CloudConfig, p: string): string {
    const f = cfg.write_files.find((w) => w.path === p);
    assert.ok(f, `no ${p} in write_files`);
    return f.content;
}

describe("syncHostUserData", () => {
    describe("rendering", () => {
        it("mounts the file system through an fstab line with _netdev, noatime, flock and nofail", () => {
            const line = "fs-0123456789abcdef0.fsx.us-east-1.amazonaws.com@tcp:/abcdef12 /fsx lustre defaults,noatime,flock,_netdev,nofail 0 0";
            assert.equal(fstabLine("fs-0123456789abcdef0.fsx.us-east-1.amazonaws.com", "abcdef12", "/fsx"), line);
            const setup = file(parsed(renderUserData(input())), HOST_PATHS.setupScript);
            assert.ok(setup.includes(`readonly FSTAB_LINE='${line}'`));
            assert.match(setup, /^dnf install -y lustre-client lftp rsync logrotate amazon-cloudwatch-agent$/m);
            assert.match(setup, /grep -qxF -- "\$FSTAB_LINE" \/etc\/fstab \|\| printf/);
            assert.throws(() => fstabLine("fs-1 evil", "abc", "/fsx"), /unexpected file system DNS name/);
            assert.throws(() => fstabLine("fs-1.example", "abc def", "/fsx"), /unexpected Lustre mount name/);
        });

        it("installs the timer with the configured OnCalendar and a oneshot service that needs the mount", () => {
            const cfg = parsed(renderUserData(input()));
            const timer = file(cfg, HOST_PATHS.timer);
            assert.match(timer, /^OnCalendar=Mon\.\.Fri 22:30$/m);
            assert.match(timer, /^Persistent=true$/m);
            assert.match(timer, /^WantedBy=timers\.target$/m);
            const service = file(cfg, HOST_PATHS.service);
            assert.match(service, /^Type=oneshot$/m);
            assert.match(service, /^RequiresMountsFor=\/fsx$/m);
            assert.match(service, /^RuntimeDirectory=microbiome-sync$/m);
            assert.match(service, /^Environment=AWS_DEFAULT_REGION=us-east-1$/m);
            assert.match(file(cfg, HOST_PATHS.setupScript), /^systemctl enable --now microbiome-sync\.timer$/m);
            assert.deepEqual(cfg.runcmd, [[HOST_PATHS.setupScript]]);
        });

        it("writes each source's settings single-quoted, the pinned host keys, and no private key", () => {
            const text = renderUserData(input());
            const cfg = parsed(text);
            const conf = file(cfg, `${HOST_PATHS.sources}/lab-sftp.conf`);
            assert.match(conf, /^TYPE='sftp'$/m);
            assert.match(conf, /^TARGET='\/fsx\/incoming\/lab-sftp'$/m);
            assert.match(conf, /^PORT='2222'$/m);
            assert.match(conf, /^REMOTE_PATH='\/data\/runs'$/m);
            assert.match(conf, /^SECRET_REGION='eu-west-1'$/m);
            assert.equal(file(cfg, HOST_PATHS.knownHosts), `lab-sftp ${HOST_KEY}\n`);
            const s3conf = file(cfg, `${HOST_PATHS.sources}/partner.conf`);
            assert.match(s3conf, /^SOURCE_URI='s3:\/\/partner-runs-example\/exports\/'$/m);
            assert.match(s3conf, /^SOURCE_REGION='eu-central-1'$/m);
            assert.match(s3conf, /^REQUESTER_PAYS='yes'$/m);
            assert.doesNotMatch(text, /PRIVATE KEY/);
        });

        it("pulls sftp with lftp mirror or rsync over ssh with the pinned key, s3 with aws s3 sync, never deleting", () => {
            const pull = renderPullScript();
            assert.match(pull, /StrictHostKeyChecking=yes/);
            assert.match(pull, /UserKnownHostsFile=\$KNOWN_HOSTS -o GlobalKnownHostsFile=\/dev\/null -o HostKeyAlias=\$NAME/);
            assert.match(pull, /aws secretsmanager get-secret-value --region "\$SECRET_REGION" --secret-id "\$SECRET_ARN"/);
            assert.match(pull, /trap 'rm -f -- "\$KEY_FILE"' EXIT/);
            assert.match(pull, /^mirror --continue --no-perms --parallel=4 --verbose=1 \$\(lftp_quote "\$REMOTE_PATH"\) \$\(lftp_quote "\$TARGET"\)$/m);
            assert.match(pull, /rsync --recursive --links --times --partial --protect-args/);
            assert.match(pull, /aws s3 sync "\$SOURCE_URI" "\$TARGET" "\$\{args\[@\]\}"/);
            assert.doesNotMatch(pull, /--delete/);
        });

        it("ships the sync log and cloud-init's output to CloudWatch only when a log group is given", () => {
            const withLogs = parsed(renderUserData(input()));
            const agent = JSON.parse(file(withLogs, HOST_PATHS.cloudWatchConfig)) as { logs: { logs_collected: { files: { collect_list: { file_path: string; log_group_name: string }[] } } } };
            assert.deepEqual(
                agent.logs.logs_collected.files.collect_list.map((c) => [c.file_path, c.log_group_name]),
                [
                    [HOST_PATHS.logFile, "/microbiome-backup/prod/sync-host"],
                    ["/var/log/cloud-init-output.log", "/microbiome-backup/prod/sync-host"],
                ],
            );
            assert.match(file(withLogs, HOST_PATHS.syncScript), /exec > >\(tee -a "\$LOG_FILE"\) 2>&1/);
            const journalOnly = parsed(renderUserData(input({ cloudWatchLogGroup: undefined })));
            assert.equal(journalOnly.write_files.some((f) => f.path === HOST_PATHS.cloudWatchConfig), false);
            assert.doesNotMatch(file(journalOnly, HOST_PATHS.syncScript), /tee/);
            assert.doesNotMatch(file(journalOnly, HOST_PATHS.setupScript), /amazon-cloudwatch-agent/);
        });

        it("joins target paths below the mount point", () => {
            assert.equal(targetDirectory("/fsx", "./incoming//lab/"), "/fsx/incoming/lab");
            assert.equal(targetDirectory("/fsx/", "a b"), "/fsx/a b");
        });

        it("refuses user data above EC2's 16 KB limit", () => {
            const many = Array.from({ length: 40 }, (_, i) => sftp({ name: `source-${i}`, targetPath: `incoming/${"x".repeat(200)}-${i}`, remotePath: `/${"r".repeat(300)}` }));
            assert.ok(userDataSize(input({ sources: many })) > USER_DATA_LIMIT_BYTES);
            assert.throws(() => renderUserData(input({ sources: many })), /above EC2's 16384-byte limit/);
        });
    });

    describe("quoting of odd paths", () => {
        it("shellQuote round-trips through bash", () => {
            requireTool("bash");
            for (const value of ODD) {
                const out = run("bash", ["-c", `printf %s ${shellQuote(value)}`]);
                assert.equal(out.stdout, value);
            }
        });

        it("a source settings file gives the pull script the exact odd paths", () => {
            const { dir, cleanup } = tempDir("conf-");
            try {
                const conf = path.join(dir, "s.conf");
                fs.writeFileSync(conf, renderSourceConf(sftp({ remotePath: `/data/${ODD.join("/")}`, targetPath: ODD.join("/") }), "/fsx"));
                const out = run("bash", ["-c", `. "$1"; printf '%s\\n%s' "$REMOTE_PATH" "$TARGET"`, "bash", conf]);
                assert.equal(out.stderr, "");
                assert.equal(out.stdout, `/data/${ODD.join("/")}\n/fsx/${ODD.join("/")}`);
            } finally {
                cleanup();
            }
        });
    });

    describe("on a stand-in host (stub aws, lftp, lfs on PATH)", () => {
        let dir: string;
        let cleanup: () => void;
        let bin: string;
        let pull: string;

        beforeEach(() => {
            ({ dir, cleanup } = tempDir("synchost-"));
            bin = path.join(dir, "bin");
            fs.mkdirSync(bin);
            pull = path.join(dir, "pull");
            fs.writeFileSync(pull, renderPullScript(), { mode: 0o755 });
        });
        afterEach(() => cleanup());

        const env = () => ({ ...process.env, PATH: `${bin}:${process.env.PATH ?? ""}`, STUB_LOG: path.join(dir, "calls"), RUNTIME_DIRECTORY: path.join(dir, "run") });

        it("s3: runs aws s3 sync with the exact odd target and the region / requester-pays options", () => {
            writeStub(bin, "aws", 'printf "%s\\0" "$@" >"$STUB_LOG"');
            const mount = path.join(dir, "mnt");
            const source = s3({ targetPath: ODD[1], prefix: "odd prefix/", region: "eu-central-1", requesterPays: true });
            const conf = path.join(dir, "s.conf");
            fs.writeFileSync(conf, renderSourceConf(source, mount));
            const res = run(pull, [conf], { env: env() });
            assert.equal(res.status, 0, res.stderr);
            const args = fs.readFileSync(path.join(dir, "calls"), "utf8").split("\0").slice(0, -1);
            assert.deepEqual(args, ["s3", "sync", "s3://partner-runs-example/odd prefix/", `${mount}/${ODD[1]}`, "--no-progress", "--only-show-errors", "--region", "eu-central-1", "--request-payer", "requester"]);
            assert.ok(fs.statSync(`${mount}/${ODD[1]}`).isDirectory());
        });

        it("s3: exit 2 (skipped archived objects) is a warning, other failures fail the source", () => {
            const conf = path.join(dir, "s.conf");
            fs.writeFileSync(conf, renderSourceConf(s3(), path.join(dir, "mnt")));
            writeStub(bin, "aws", "exit 2");
            const skipped = run(pull, [conf], { env: env() });
            assert.equal(skipped.status, 0);
            assert.match(skipped.stderr, /WARNING: source partner: some objects were skipped/);
            writeStub(bin, "aws", "exit 1");
            const failed = run(pull, [conf], { env: env() });
            assert.equal(failed.status, 1);
            assert.match(failed.stderr, /ERROR: source partner: aws s3 sync failed \(exit 1\)/);
        });

        it("sftp: fetches the key into a 0600 file for lftp only, pins the host key, removes the key afterwards", () => {
            const name = "lab-sftp";
            const keyFile = path.join(dir, "run", `${name}.key`);
            writeStub(bin, "aws", 'printf "%s\\0" "$@" >"$STUB_LOG.aws"; printf "FAKE KEY\\n"');
            writeStub(bin, "lftp", `cat >"$STUB_LOG.lftp"; stat -c %a ${keyFile} >"$STUB_LOG.mode"; cat ${keyFile} >"$STUB_LOG.key"`);
            const conf = path.join(dir, "s.conf");
            fs.writeFileSync(conf, renderSourceConf(sftp({ name, remotePath: `/remote/${ODD[2]}`, targetPath: ODD[0] }), path.join(dir, "mnt")));
            const res = run(pull, [conf], { env: env() });
            assert.equal(res.status, 0, res.stderr);
            const log = (suffix: string) => fs.readFileSync(path.join(dir, `calls.${suffix}`), "utf8");
            assert.deepEqual(log("aws").split("\0").slice(0, -1), ["secretsmanager", "get-secret-value", "--region", "eu-west-1", "--secret-id", SECRET, "--query", "SecretString", "--output", "text"]);
            assert.equal(log("mode").trim(), "600");
            assert.equal(log("key"), "FAKE KEY\n");
            assert.equal(fs.existsSync(keyFile), false, "the key file must be removed when the script ends");
            const script = log("lftp");
            assert.match(script, new RegExp(`^set sftp:connect-program "ssh -a -x -i ${keyFile} .*-o StrictHostKeyChecking=yes -o UserKnownHostsFile=/etc/microbiome-sync/known_hosts -o GlobalKnownHostsFile=/dev/null -o HostKeyAlias=${name} .*"$`, "m"));
            assert.match(script, /^open -u "microbiome," -p 2222 "sftp:\/\/sftp\.example\.com"$/m);
        });

        it("sftp: the lftp commands it generates copy odd-named directories exactly (real lftp, file:// instead of sftp://)", () => {
            requireTool("lftp");
            writeStub(bin, "aws", 'printf "FAKE KEY\\n"');
            // Stand-in lftp: keep the generated commands, point "open" at file:/// and run the real lftp on them.
            const realLftp = run("sh", ["-c", "command -v lftp"]).stdout.trim();
            writeStub(bin, "lftp", `cat >"$STUB_LOG.lftp"; sed 's#^open .*#open file:///#' "$STUB_LOG.lftp" >"$STUB_LOG.local"; exec ${realLftp} -f "$STUB_LOG.local"`);
            const remote = path.join(dir, "remote", ODD.join(" "));
            fs.mkdirSync(remote, { recursive: true });
            fs.writeFileSync(path.join(remote, `file ${ODD[1]}.txt`), "data\n");
            const mount = path.join(dir, "mnt");
            const conf = path.join(dir, "s.conf");
            fs.writeFileSync(conf, renderSourceConf(sftp({ remotePath: remote, targetPath: ODD.slice(0, 4).join("/") }), mount));
            const res = run(pull, [conf], { env: env() });
            assert.equal(res.status, 0, res.stderr + res.stdout);
            assert.match(fs.readFileSync(path.join(dir, "calls.lftp"), "utf8"), /^open -u "microbiome," -p 2222 "sftp:\/\/sftp\.example\.com"$/m);
            assert.equal(fs.readFileSync(path.join(mount, ...ODD.slice(0, 4), `file ${ODD[1]}.txt`), "utf8"), "data\n");
        });

        it("export report: lists files whose HSM state is not 'exists archived' (or is dirty), odd names included", () => {
            writeStub(
                bin,
                "lfs",
                [
                    '[[ "$1" == hsm_state ]] || exit 9',
                    "shift",
                    'for f in "$@"; do',
                    '    case "$f" in',
                    '        *exported*) echo "$f: (0x00000009) exists archived, archive_id:1" ;;',
                    '        *released*) echo "$f: (0x0000000d) released exists archived, archive_id:1" ;;',
                    '        *changed*) echo "$f: (0x0000000b) exists dirty archived, archive_id:1" ;;',
                    '        *) echo "$f: (0x00000000)" ;;',
                    "    esac",
                    "done",
                ].join("\n"),
            );
            const mount = path.join(dir, "mnt");
            const target = path.join(mount, "incoming", "lab");
            fs.mkdirSync(path.join(target, "sub dir"), { recursive: true });
            const files = ["exported.fastq", "released.fastq", "changed.fastq", "new.fastq", "sub dir/new 'odd' $x: (0x9) exists archived.txt"];
            for (const f of files) fs.writeFileSync(path.join(target, f), "x");
            const rendered = renderFiles(input({ mountPoint: mount, sources: [s3({ targetPath: "incoming/lab" }), s3({ name: "absent", targetPath: "incoming/none" })] }));
            const confDir = path.join(dir, "sources");
            fs.mkdirSync(confDir);
            for (const f of rendered.filter((r) => r.path.startsWith(`${HOST_PATHS.sources}/`))) {
                fs.writeFileSync(path.join(confDir, path.basename(f.path)), f.content);
            }
            const report = rendered.find((f) => f.path === HOST_PATHS.exportReport);
            assert.ok(report);
            const script = path.join(dir, "export-report");
            fs.writeFileSync(script, report.content, { mode: 0o755 });
            const res = run(script, [confDir], { env: env() });
            assert.equal(res.status, 0, res.stderr);
            const listed = res.stdout
                .split("\n")
                .filter((l) => l.startsWith("  not yet in s3://3bigsmicrobiome: "))
                .map((l) => l.slice("  not yet in s3://3bigsmicrobiome: ".length))
                .sort();
            assert.deepEqual(listed, [`${target}/changed.fastq`, `${target}/new.fastq`, `${target}/sub dir/new 'odd' $x: (0x9) exists archived.txt`].sort());
            assert.match(res.stdout, new RegExp(`export report: ${target.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: 3 file\\(s\\) not yet exported`));
            assert.match(res.stdout, /export report: 3 file\(s\) under the synced directories not yet exported to s3:\/\/3bigsmicrobiome/);
        });
    });

    describe("checked by the real tools", () => {
        const variants: [string, UserDataInput][] = [
            ["sftp (lftp) + s3 with CloudWatch", input()],
            ["rsync + odd paths, journal only", input({ cloudWatchLogGroup: undefined, sources: [sftp({ tool: "rsync", remotePath: `/d/${ODD.join("/")}`, targetPath: ODD.join("/") }), s3({ prefix: "" })] })],
            ["no sources", input({ sources: [], schedule: "daily" })],
        ];

        it("every rendered script passes shellcheck", () => {
            requireTool("shellcheck");
            for (const [label, data] of variants) {
                const scripts = parsed(renderUserData(data)).write_files.filter((f) => f.content.startsWith("#!"));
                assert.ok(scripts.length >= 4, label);
                for (const s of scripts) {
                    const res = run("shellcheck", ["--severity=style", "--shell=bash", "-"], { input: s.content });
                    assert.equal(res.status, 0, `${label}: ${s.path}\n${res.stdout}${res.stderr}`);
                }
            }
        });

        it("cloud-init's schema validator accepts the user data", () => {
            requireTool("cloud-init");
            const { dir, cleanup } = tempDir("cloudinit-");
            try {
                for (const [label, data] of variants) {
                    const f = path.join(dir, "user-data");
                    fs.writeFileSync(f, renderUserData(data));
                    const res = run("cloud-init", ["schema", "--config-file", f]);
                    assert.equal(res.status, 0, `${label}:\n${res.stdout}${res.stderr}`);
                    assert.match(res.stdout, /Valid cloud-config/);
                }
            } finally {
                cleanup();
            }
        });

        it("cloud-init's schema validator is not a rubber stamp", () => {
            requireTool("cloud-init");
            const { dir, cleanup } = tempDir("cloudinit-");
            try {
                const f = path.join(dir, "user-data");
                fs.writeFileSync(f, renderUserData(input()).replace("runcmd:", "runcmd: 5\nbogus_runcmd:"));
                assert.notEqual(run("cloud-init", ["schema", "--config-file", f]).status, 0);
            } finally {
                cleanup();
            }
        });
    });
});

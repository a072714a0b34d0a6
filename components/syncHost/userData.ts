/**
 * Renders the sync host's user data: a `#cloud-config` document (emitted with the `yaml` package)
 * whose `write_files` install the sync scripts, systemd units, settings files, pinned host keys and
 * (optionally) the CloudWatch agent configuration, and whose `runcmd` runs the setup script once.
 *
 * The scripts are static files (`components/syncHost/scripts/`), the same for every stack, shipped
 * without their comment lines in a gzip-compressed document (`userDataBase64`) to stay well under
 * EC2's 16 KB user data limit; everything stack-specific is in small settings files of single-quoted bash
 * assignments ({@link shellQuote}): `/etc/microbiome-sync/sync.conf` and one
 * `/etc/microbiome-sync/sources/<name>.conf` per source.
 *
 * What runs on the host (Amazon Linux 2023; docs/synchost.md):
 * - `microbiome-sync.timer` starts the oneshot `microbiome-sync.service` on the configured
 *   `OnCalendar` schedule, with a maximum run time (`TimeoutStartSec=`; systemd.service(5):
 *   `RuntimeMaxSec=` has no effect on `Type=oneshot`) and `OnFailure=microbiome-sync-failure.service`,
 *   which publishes the `FailedRun` metric. The service checks the mount itself and fails visibly
 *   (no `RequiresMountsFor=`, which leaves the unit silently inactive when the mount failed).
 * - `microbiome-sync run` (and the manual `microbiome-sync pull <source>…`, which shares the lock
 *   and mount check): per source, pull into the staging path (outside every association), check
 *   the files there (exportable names, settled, provider checksums, sha256), move them into the
 *   exported `lustrePath` by rename; then verify against the bucket after the export window, write
 *   the manifest and report to `s3://<bucket>/<reportsPrefix><run>/`, release verified data
 *   (`lfs hsm_release` of `exists archived` files), run the export report, publish the metrics
 *   `VerifiedRun`, `FreeCapacityPercent`, `UnexportedFilesOverAge` (namespace
 *   {@link SYNC_METRIC_NAMESPACE}, dimension `Stack`).
 * - first boot (`setup`): `dnf install` with bounded retries, `modprobe lustre` or fail loudly, the
 *   kernel and Lustre client excluded from dnf upgrades, the fstab line, the timer.
 *
 * Packages: `lustre-client` (FSx for Lustre User Guide, "Installing the Lustre client", AL2023),
 * `lftp` (AL2023 User Guide "ftp package"), `rsync`, `logrotate`; the AWS CLI v2 is on the AL2023
 * AMI; `amazon-cloudwatch-agent` only with CloudWatch Logs.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { parse, stringify } from "yaml";

/** EC2 user data limit: 16 KB before base64 encoding (EC2 User Guide "instance user data"). */
export const USER_DATA_LIMIT_BYTES = 16384;

/** CloudWatch namespace of the sync host's metrics (the alarms of the stack read it). */
export const SYNC_METRIC_NAMESPACE = "MicrobiomeBackup/SyncHost";

/** Metric names the host publishes (dimension `Stack` = `<project>-<stack>`). */
export const SYNC_METRICS = {
    /** 1 per fully verified run: the heartbeat. */
    verifiedRun: "VerifiedRun",
    /** 1 per failed run (OnFailure= unit, or a failed manual pull). */
    failedRun: "FailedRun",
    /** Files under the sources' exported paths not exported after `unexportedAgeHours`. */
    unexportedFilesOverAge: "UnexportedFilesOverAge",
    /** Free capacity of the file system, percent (`lfs df`). */
    freeCapacityPercent: "FreeCapacityPercent",
} as const;

/** Top-level key prefix of the run reports in the backup bucket; exclude it from replication and every association. */
export const SYNC_REPORTS_ROOT = "_sync-reports/";

/** Key prefix of one stack's run reports: `_sync-reports/<stack>/` (each run writes `<run id>/report.txt` and `manifest.tsv`). */
export function syncReportsPrefix(stack: string): string {
    return `${SYNC_REPORTS_ROOT}${stack}/`;
}

/** Where the scripts and their data live on the host. */
export const HOST_PATHS = {
    command: "/usr/local/sbin/microbiome-sync",
    setupScript: "/usr/local/sbin/microbiome-sync-setup",
    libexec: "/usr/local/libexec/microbiome-sync",
    etc: "/etc/microbiome-sync",
    syncConf: "/etc/microbiome-sync/sync.conf",
    knownHosts: "/etc/microbiome-sync/known_hosts",
    sources: "/etc/microbiome-sync/sources",
    runtime: "/run/microbiome-sync",
    state: "/var/lib/microbiome-sync",
    logDir: "/var/log/microbiome-sync",
    logFile: "/var/log/microbiome-sync/sync.log",
    service: "/etc/systemd/system/microbiome-sync.service",
    failureService: "/etc/systemd/system/microbiome-sync-failure.service",
    timer: "/etc/systemd/system/microbiome-sync.timer",
    cloudWatchConfig: "/opt/aws/amazon-cloudwatch-agent/etc/microbiome-sync.json",
    logrotate: "/etc/logrotate.d/microbiome-sync",
} as const;

/** systemd unit name of the sync service (operators: `systemctl start`, `journalctl -u`). */
export const SYNC_SERVICE = "microbiome-sync.service";
/** systemd unit name of the timer. */
export const SYNC_TIMER = "microbiome-sync.timer";
/** systemd unit the service's `OnFailure=` starts. */
export const SYNC_FAILURE_SERVICE = "microbiome-sync-failure.service";

/** The static scripts (`components/syncHost/scripts/<file>`) and where each goes on the host. */
export const SCRIPTS: readonly { readonly file: string; readonly hostPath: string; readonly permissions: string }[] = [
    { file: "common.sh", hostPath: `${HOST_PATHS.libexec}/common.sh`, permissions: "0644" },
    { file: "microbiome-sync", hostPath: HOST_PATHS.command, permissions: "0755" },
    { file: "pull", hostPath: `${HOST_PATHS.libexec}/pull`, permissions: "0755" },
    { file: "verify", hostPath: `${HOST_PATHS.libexec}/verify`, permissions: "0755" },
    { file: "release", hostPath: `${HOST_PATHS.libexec}/release`, permissions: "0755" },
    { file: "export-report", hostPath: `${HOST_PATHS.libexec}/export-report`, permissions: "0755" },
    { file: "setup", hostPath: HOST_PATHS.setupScript, permissions: "0755" },
];

/** Directory of the static scripts in this repository. */
export const SCRIPTS_DIR = path.join(__dirname, "scripts");

/** The text of one static script. */
export function scriptText(file: string): string {
    return fs.readFileSync(path.join(SCRIPTS_DIR, file), "utf8");
}

/** An SFTP source (validated by `config/syncHost.ts`). */
export interface SftpSourceSettings {
    readonly type: "sftp";
    /** Unique name, `[a-z0-9-]`. */
    readonly name: string;
    /** Server DNS name or IPv4 address. */
    readonly host: string;
    /** TCP port. */
    readonly port: number;
    /** Login user. */
    readonly user: string;
    /** Absolute directory on the server. */
    readonly remotePath: string;
    /** Pinned host key, `<type> <base64>`. */
    readonly hostKey: string;
    /** Secrets Manager ARN of the OpenSSH private key. */
    readonly privateKeySecretArn: string;
    /** `lftp` (SFTP protocol) or `rsync` (over ssh). */
    readonly tool: "lftp" | "rsync";
    /** Egress CIDR for the security group (not used by the renderer). */
    readonly egressCidr?: string;
}

/** An S3 source (validated by `config/syncHost.ts`). */
export interface S3SourceSettings {
    readonly type: "s3";
    /** Unique name, `[a-z0-9-]`. */
    readonly name: string;
    /** Bucket name. */
    readonly bucket: string;
    /** Key prefix, `""` for the whole bucket. */
    readonly prefix: string;
    /** Bucket Region when it differs from the host's. */
    readonly region?: string;
    /** Send `--request-payer requester`. */
    readonly requesterPays: boolean;
}

/** One configured source. */
export type SyncSourceSettings = SftpSourceSettings | S3SourceSettings;

/**
 * A source with the paths its files take (issue 10's interface between config and host; the
 * config side resolves them, see `resolveSyncPaths`):
 * - `lustrePath`: absolute directory on the host where finished files go, under the mount point and
 *   inside an association that auto-exports new and changed files, e.g. `/fsx/microbiome/Analysis_2024/lab-sftp/`;
 * - `stagingPath`: absolute directory on the same file system outside every association, e.g. `/fsx/.staging/lab-sftp/`;
 * - `s3Uri`: `s3://<bucket>/<key prefix>/` where the files of `lustrePath` land.
 */
export type ResolvedSyncSource = SyncSourceSettings & {
    readonly lustrePath: string;
    readonly stagingPath: string;
    readonly s3Uri: string;
};

/** How each run behaves; every field has a default (documented per field). */
export interface SyncRunOptions {
    /** Release (`lfs hsm_release`) the data of files verified in the bucket after each run. Default true. */
    readonly releaseExported?: boolean;
    /** A file under an exported path not exported after this many hours counts in `UnexportedFilesOverAge`. Default 24. */
    readonly unexportedAgeHours?: number;
    /** Maximum run time of the service, minutes (`TimeoutStartSec=`; then it is killed and fails). Default 720 (12 h). */
    readonly maxRunMinutes?: number;
    /** A file modified within this many minutes is left for the next run (still being written). Default 30. */
    readonly settleMinutes?: number;
    /** File name that marks a finished run folder (e.g. `CopyComplete.txt`); when set, a file moves on only once its own folder or one above it (below the source's top) contains it. Default none. */
    readonly completionMarker?: string;
    /** How long a run waits for FSx to export the files it moved before verifying, minutes. Default 120. */
    readonly exportWaitMinutes?: number;
    /** How often it looks at the files' HSM states while waiting, seconds. Default 30. */
    readonly exportPollSeconds?: number;
    /** Capacity share kept free: a pull that would leave less is not started, percent. Default 10. */
    readonly freeSpaceReservePercent?: number;
    /** Accept `aws s3 sync` exit 2 (skipped objects, listed in the log) instead of failing the source. Default false. */
    readonly allowSkippedS3Objects?: boolean;
}

/** The defaults of {@link SyncRunOptions}. */
export const SYNC_RUN_DEFAULTS: Required<Omit<SyncRunOptions, "completionMarker">> & { readonly completionMarker: string } = {
    releaseExported: true,
    unexportedAgeHours: 24,
    maxRunMinutes: 720,
    settleMinutes: 30,
    completionMarker: "",
    exportWaitMinutes: 120,
    exportPollSeconds: 30,
    freeSpaceReservePercent: 10,
    allowSkippedS3Objects: false,
};

/** Everything the renderer needs, as plain values. */
export interface UserDataInput {
    /** The file system's DNS name (`aws.fsx.LustreFileSystem.dnsName`). */
    readonly fileSystemDnsName: string;
    /** The file system's Lustre mount name (`mountName`). */
    readonly mountName: string;
    /** Absolute mount point, e.g. `/fsx`. */
    readonly mountPoint: string;
    /** systemd OnCalendar expression of the timer. */
    readonly schedule: string;
    /** The host's AWS Region (AWS CLI default). */
    readonly region: string;
    /** The backup bucket (reports are written to it; objects are verified in it). */
    readonly backupBucketName: string;
    /** Value of the metrics' `Stack` dimension: `<project>-<stack>`. */
    readonly metricsStack: string;
    /** Key prefix of the run reports in the backup bucket, {@link syncReportsPrefix}. */
    readonly reportsPrefix: string;
    /** Sources in the order they run. */
    readonly sources: readonly ResolvedSyncSource[];
    /** Run behaviour; defaults in {@link SYNC_RUN_DEFAULTS}. */
    readonly run?: SyncRunOptions;
    /** CloudWatch Logs log group name; omitted = journal only. */
    readonly cloudWatchLogGroup?: string;
    /**
     * Files and one first-boot command added by another unit (the scheduled-start run mode,
     * `syncHostSchedule.ts`); the command runs after the setup script. Default none.
     */
    readonly additions?: { readonly files: readonly RenderedFile[]; readonly runCommand: readonly string[] };
}

/** A file the user data writes. */
export interface RenderedFile {
    /** Absolute path on the host. */
    readonly path: string;
    /** Octal permissions, e.g. `0755`. */
    readonly permissions: string;
    /** File content. */
    readonly content: string;
    /** True for shell scripts (checked with shellcheck by the tests). */
    readonly script: boolean;
}

/**
 * Quotes a value for bash: single quotes, with each `'` written as `'\''`. Nothing inside is
 * expanded (`$`, backquotes, `\`, `*`, spaces).
 */
export function shellQuote(value: string): string {
    return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * The /etc/fstab line for the Lustre mount: `<dns>@tcp:/<mountName> <mount> lustre
 * defaults,noatime,flock,_netdev,nofail 0 0` (FSx for Lustre User Guide "Mounting Amazon FSx
 * automatically": `_netdev` is required; `nofail` keeps boot from hanging when the file system is
 * unreachable — each sync run checks the mount itself and fails visibly).
 *
 * @throws Error when a value contains characters fstab cannot carry.
 */
export function fstabLine(fileSystemDnsName: string, mountName: string, mountPoint: string): string {
    if (!/^[A-Za-z0-9.-]+$/.test(fileSystemDnsName)) throw new Error(`unexpected file system DNS name ${JSON.stringify(fileSystemDnsName)}`);
    if (!/^[A-Za-z0-9]+$/.test(mountName)) throw new Error(`unexpected Lustre mount name ${JSON.stringify(mountName)}`);
    if (!/^\/[A-Za-z0-9._/-]*$/.test(mountPoint)) throw new Error(`unexpected mount point ${JSON.stringify(mountPoint)}`);
    return `${fileSystemDnsName}@tcp:/${mountName} ${mountPoint} lustre defaults,noatime,flock,_netdev,nofail 0 0`;
}

/** Path of a source's settings file (bash assignments, sourced by the pull script). */
export function sourceConfPath(name: string): string {
    return `${HOST_PATHS.sources}/${name}.conf`;
}

/** Region of a Secrets Manager ARN (`arn:aws:secretsmanager:<region>:…`). */
function arnRegion(arn: string): string {
    return arn.split(":")[3] ?? "";
}

/** `KEY='value'` lines. */
function assignments(values: readonly (readonly [string, string])[]): string {
    return values.map(([k, v]) => `${k}=${shellQuote(v)}`).join("\n");
}

/**
 * A source's settings file: one `KEY='value'` line per setting, every value single-quoted, read by
 * the pull script.
 *
 * @throws Error when `lustrePath`/`stagingPath` are not absolute directories under the mount point, or `s3Uri` is not `s3://…`.
 */
export function renderSourceConf(source: ResolvedSyncSource, mountPoint: string): string {
    const under = `${mountPoint.replace(/\/+$/, "")}/`;
    for (const [key, value] of [
        ["lustrePath", source.lustrePath],
        ["stagingPath", source.stagingPath],
    ] as const) {
        // eslint-disable-next-line no-control-regex -- matching control characters is the point
        if (!`${value}/`.startsWith(under) || value.split("/").includes("..") || /[\u0000-\u001f]/.test(value)) {
            throw new Error(`source ${source.name}: ${key} ${JSON.stringify(value)} must be an absolute directory under ${mountPoint}`);
        }
    }
    if (!/^s3:\/\/[a-z0-9][a-z0-9.-]*[a-z0-9](\/.*)?$/.test(source.s3Uri)) throw new Error(`source ${source.name}: s3Uri ${JSON.stringify(source.s3Uri)} is not s3://<bucket>/<prefix>`);
    const values: [string, string][] = [
        ["TYPE", source.type],
        ["NAME", source.name],
        ["LUSTRE_PATH", source.lustrePath],
        ["STAGING_PATH", source.stagingPath],
        ["S3_URI", source.s3Uri],
    ];
    if (source.type === "sftp") {
        values.push(
            ["TOOL", source.tool],
            ["HOST", source.host],
            ["PORT", String(source.port)],
            ["LOGIN", source.user],
            ["REMOTE_PATH", source.remotePath],
            ["SECRET_ARN", source.privateKeySecretArn],
            ["SECRET_REGION", arnRegion(source.privateKeySecretArn)],
        );
    } else {
        values.push(
            ["SOURCE_URI", `s3://${source.bucket}/${source.prefix}`],
            ["SOURCE_REGION", source.region ?? ""],
            ["REQUESTER_PAYS", source.requesterPays ? "yes" : "no"],
        );
    }
    return `# Source "${source.name}" (rendered by Pulumi from microbiome-backup:syncHost.sources)\n${assignments(values)}\n`;
}

/** Checks a positive whole number option. */
function wholeNumber(name: string, value: number, min: number): string {
    if (!Number.isInteger(value) || value < min) throw new Error(`run.${name} must be a whole number ≥ ${min}, got ${value}`);
    return String(value);
}

/** Run options with their defaults filled in. */
export function runOptions(run: SyncRunOptions | undefined): typeof SYNC_RUN_DEFAULTS {
    const given = Object.fromEntries(Object.entries(run ?? {}).filter(([, v]) => v !== undefined)) as Partial<typeof SYNC_RUN_DEFAULTS>;
    return { ...SYNC_RUN_DEFAULTS, ...given };
}

/**
 * `/etc/microbiome-sync/sync.conf`: the stack's settings for every script (mount point, bucket,
 * reports prefix, metric dimension, run options, fstab line and packages for setup).
 *
 * @throws Error on a run option out of range or a completion marker that is not a plain file name.
 */
export function renderSyncConf(input: UserDataInput): string {
    const run = runOptions(input.run);
    if (run.completionMarker !== "" && !/^[A-Za-z0-9._-]+$/.test(run.completionMarker)) {
        throw new Error(`run.completionMarker must be a plain file name ([A-Za-z0-9._-]), got ${JSON.stringify(run.completionMarker)}`);
    }
    for (const s of input.sources) {
        if (!/^[a-z0-9][a-z0-9-]*$/.test(s.name)) throw new Error(`unexpected source name ${JSON.stringify(s.name)}`);
    }
    const packages = ["lustre-client", "lftp", "rsync", "logrotate", ...(input.cloudWatchLogGroup ? ["amazon-cloudwatch-agent"] : [])];
    const values: [string, string][] = [
        ["MOUNT_POINT", input.mountPoint],
        ["REGION", input.region],
        ["BUCKET", input.backupBucketName],
        ["REPORTS_PREFIX", input.reportsPrefix],
        ["METRIC_NAMESPACE", SYNC_METRIC_NAMESPACE],
        ["METRIC_STACK", input.metricsStack],
        ["RELEASE_EXPORTED", run.releaseExported ? "yes" : "no"],
        ["UNEXPORTED_AGE_HOURS", wholeNumber("unexportedAgeHours", run.unexportedAgeHours, 1)],
        ["SETTLE_MINUTES", wholeNumber("settleMinutes", run.settleMinutes, 0)],
        ["COMPLETION_MARKER", run.completionMarker],
        ["EXPORT_WAIT_MINUTES", wholeNumber("exportWaitMinutes", run.exportWaitMinutes, 0)],
        ["EXPORT_POLL_SECONDS", wholeNumber("exportPollSeconds", run.exportPollSeconds, 1)],
        ["FREE_SPACE_RESERVE_PERCENT", wholeNumber("freeSpaceReservePercent", run.freeSpaceReservePercent, 0)],
        ["ALLOW_SKIPPED_S3_OBJECTS", run.allowSkippedS3Objects ? "yes" : "no"],
        ["LOG_FILE", input.cloudWatchLogGroup ? HOST_PATHS.logFile : ""],
        ["FSTAB_LINE", fstabLine(input.fileSystemDnsName, input.mountName, input.mountPoint)],
        ["PACKAGES", packages.join(" ")],
        ["CLOUDWATCH_CONFIG", input.cloudWatchLogGroup ? HOST_PATHS.cloudWatchConfig : ""],
    ];
    if (run.exportWaitMinutes >= run.maxRunMinutes) throw new Error(`run.exportWaitMinutes (${run.exportWaitMinutes}) must be below run.maxRunMinutes (${run.maxRunMinutes})`);
    return `# microbiome-sync settings (rendered by Pulumi from the stack config; edit the config, not this file)\n${assignments(values)}\nSOURCES=(${input.sources.map((s) => shellQuote(s.name)).join(" ")})\n`;
}

/** The pinned host keys of all sftp sources, one `<source name> <type> <base64>` line each (ssh HostKeyAlias = source name). */
export function renderKnownHosts(sources: readonly SyncSourceSettings[]): string {
    return sources.flatMap((s) => (s.type === "sftp" ? [`${s.name} ${s.hostKey.trim().split(/\s+/).slice(0, 2).join(" ")}\n`] : [])).join("");
}

/**
 * The systemd service unit: oneshot, at most `maxRunMinutes` (`TimeoutStartSec=`, which bounds a
 * oneshot's whole run; systemd.service(5)), `OnFailure=` the failure reporter. No
 * `RequiresMountsFor=`: the command checks the mount and fails visibly.
 */
export function renderServiceUnit(input: UserDataInput): string {
    const run = runOptions(input.run);
    return [
        "[Unit]",
        `Description=Pull the configured sources into the Lustre file system at ${input.mountPoint}, verify them in S3 (microbiome-backup)`,
        "Wants=network-online.target",
        "After=network-online.target",
        `OnFailure=${SYNC_FAILURE_SERVICE}`,
        "",
        "[Service]",
        "Type=oneshot",
        `ExecStart=${HOST_PATHS.command} run`,
        `TimeoutStartSec=${wholeNumber("maxRunMinutes", run.maxRunMinutes, 10)}min`,
        "RuntimeDirectory=microbiome-sync",
        "RuntimeDirectoryMode=0700",
        "StateDirectory=microbiome-sync",
        "StateDirectoryMode=0700",
        `Environment=AWS_DEFAULT_REGION=${input.region}`,
        "SyslogIdentifier=microbiome-sync",
        "Nice=5",
        "",
    ].join("\n");
}

/** The unit `OnFailure=` starts: logs the failure at error priority and publishes `FailedRun`. */
export function renderFailureUnit(input: UserDataInput): string {
    return [
        "[Unit]",
        `Description=Report a failed ${SYNC_SERVICE} run (metric ${SYNC_METRICS.failedRun}, error in the journal)`,
        "",
        "[Service]",
        "Type=oneshot",
        `ExecStart=${HOST_PATHS.command} on-failure`,
        "TimeoutStartSec=5min",
        `Environment=AWS_DEFAULT_REGION=${input.region}`,
        "SyslogIdentifier=microbiome-sync",
        "",
    ].join("\n");
}

/** The systemd timer unit (`OnCalendar` from config; `Persistent` catches up after downtime). */
export function renderTimerUnit(input: UserDataInput): string {
    if (/[\r\n]/.test(input.schedule)) throw new Error("the schedule must be one line");
    return [
        "[Unit]",
        "Description=Scheduled pull of remote data into the Lustre file system (microbiome-backup)",
        "",
        "[Timer]",
        `OnCalendar=${input.schedule}`,
        "Persistent=true",
        "RandomizedDelaySec=120",
        "",
        "[Install]",
        "WantedBy=timers.target",
        "",
    ].join("\n");
}

/** The CloudWatch agent configuration: the sync log and cloud-init's output, one stream per instance. */
export function renderCloudWatchConfig(logGroupName: string): string {
    const config = {
        agent: { run_as_user: "root" },
        logs: {
            logs_collected: {
                files: {
                    collect_list: [
                        { file_path: HOST_PATHS.logFile, log_group_name: logGroupName, log_stream_name: "{instance_id}/sync" },
                        { file_path: "/var/log/cloud-init-output.log", log_group_name: logGroupName, log_stream_name: "{instance_id}/cloud-init" },
                    ],
                },
            },
        },
    };
    return `${JSON.stringify(config, null, 2)}\n`;
}

/** Every file the user data writes, in order (contents uncompressed). */
export function renderFiles(input: UserDataInput): RenderedFile[] {
    const files: RenderedFile[] = SCRIPTS.map((s) => ({ path: s.hostPath, permissions: s.permissions, content: scriptText(s.file), script: true }));
    files.push(
        { path: HOST_PATHS.syncConf, permissions: "0644", content: renderSyncConf(input), script: false },
        { path: HOST_PATHS.service, permissions: "0644", content: renderServiceUnit(input), script: false },
        { path: HOST_PATHS.failureService, permissions: "0644", content: renderFailureUnit(input), script: false },
        { path: HOST_PATHS.timer, permissions: "0644", content: renderTimerUnit(input), script: false },
    );
    for (const source of input.sources) {
        files.push({ path: sourceConfPath(source.name), permissions: "0644", content: renderSourceConf(source, input.mountPoint), script: false });
    }
    if (input.sources.some((s) => s.type === "sftp")) {
        files.push({ path: HOST_PATHS.knownHosts, permissions: "0644", content: renderKnownHosts(input.sources), script: false });
    }
    if (input.cloudWatchLogGroup) {
        files.push({ path: HOST_PATHS.cloudWatchConfig, permissions: "0644", content: renderCloudWatchConfig(input.cloudWatchLogGroup), script: false });
        files.push({
            path: HOST_PATHS.logrotate,
            permissions: "0644",
            content: `${HOST_PATHS.logFile} {\n    weekly\n    rotate 8\n    compress\n    missingok\n    notifempty\n}\n`,
            script: false,
        });
    }
    return files;
}

/** One `write_files` entry of the cloud-config document. */
interface WriteFile {
    path: string;
    permissions: string;
    owner: string;
    content: string;
}

/**
 * The copy of a script that ships: without its full-line comments (the documented source stays in
 * `components/syncHost/scripts/`; the `#!` line and `# shellcheck` directives are kept). The sandbox
 * tests run exactly this copy.
 */
export function shippedScript(text: string): string {
    const lines = text.split("\n");
    return [lines[0], ...lines.slice(1).filter((l) => !/^\s*#(?!\s*shellcheck)/.test(l) && l.trim() !== "")].join("\n") + "\n";
}

/** The `#cloud-config` text for `input` (uncompressed), without the size check. */
function buildUserData(input: UserDataInput): string {
    const files = [...renderFiles(input), ...(input.additions?.files ?? [])];
    const doc = {
        write_files: files.map((f): WriteFile => ({ path: f.path, permissions: f.permissions, owner: "root:root", content: f.script ? shippedScript(f.content) : f.content })),
        runcmd: [[HOST_PATHS.setupScript], ...(input.additions ? [[...input.additions.runCommand]] : [])],
    };
    return `#cloud-config\n${stringify(doc, { lineWidth: 0 })}`;
}

/** gzip (level 9, no file name or time in the header: deterministic) of the user data text. */
function compress(text: string): Buffer {
    return gzipSync(Buffer.from(text, "utf8"), { level: 9 });
}

/** The files of a rendered `#cloud-config` document — what cloud-init writes on the host. */
export function readUserDataFiles(userData: string): { path: string; permissions: string; content: string }[] {
    const doc = parse(userData) as { write_files: WriteFile[] };
    return doc.write_files.map((f) => ({ path: f.path, permissions: f.permissions, content: f.content }));
}

/** The `#cloud-config` text inside `userDataBase64` (base64 of gzip), as cloud-init sees it after decompressing. */
export function decodeUserDataBase64(userDataBase64: string): string {
    return gunzipSync(Buffer.from(userDataBase64, "base64")).toString("utf8");
}

/** Size in bytes of the gzip-compressed user data for `input` (what EC2's 16 KB limit applies to: raw bytes before base64). */
export function userDataSize(input: UserDataInput): number {
    return compress(buildUserData(input)).length;
}

/** Placeholder values as long as the real ones get, for estimating the size from config alone. */
export const SIZE_ESTIMATE_PLACEHOLDERS = {
    fileSystemDnsName: "fs-0123456789abcdef0.fsx.ap-southeast-2.amazonaws.com",
    mountName: "abcdefgh",
    region: "ap-southeast-2",
    backupBucketName: "b".repeat(63),
    metricsStack: `microbiome-backup-${"s".repeat(40)}`,
    reportsPrefix: syncReportsPrefix("s".repeat(40)),
    cloudWatchLogGroup: `/microbiome-backup/${"s".repeat(40)}/sync-host`,
} as const;

/**
 * Resolved paths as long as real ones plausibly get (a 200-character destination prefix), for
 * estimating the user data size from config alone, before the paths are resolved.
 */
export function sizeEstimatePaths(mountPoint: string, name: string): { lustrePath: string; stagingPath: string; s3Uri: string } {
    const prefix = `Analysis_2024/${"p".repeat(186)}/`;
    return {
        lustrePath: `${mountPoint}/${"a".repeat(40)}/${prefix}${name}/`,
        stagingPath: `${mountPoint}/.staging/${name}/`,
        s3Uri: `s3://${SIZE_ESTIMATE_PLACEHOLDERS.backupBucketName}/${prefix}${name}/`,
    };
}

/**
 * Renders the complete `#cloud-config` user data (uncompressed text; the instance gets it gzipped,
 * {@link renderUserDataBase64}).
 *
 * @param input plain values (resolved Outputs).
 * @returns the user data text, starting with `#cloud-config`.
 * @throws Error when, gzip-compressed, it exceeds EC2's 16 KB user data limit (config validation
 *   refuses such source lists first, see `config/syncHost.ts`), or a value has characters that
 *   cannot be placed safely.
 */
export function renderUserData(input: UserDataInput): string {
    const text = buildUserData(input);
    const size = compress(text).length;
    if (size > USER_DATA_LIMIT_BYTES) {
        throw new Error(
            `the sync host's user data is ${size} bytes gzip-compressed, above EC2's ${USER_DATA_LIMIT_BYTES}-byte limit: configure fewer sources in microbiome-backup:syncHost.sources`,
        );
    }
    return text;
}

/**
 * The user data as the instance gets it (`aws.ec2.Instance.userDataBase64`): the `#cloud-config`
 * text gzip-compressed, base64-encoded. cloud-init decompresses gzip user data before reading it
 * (cloud-init docs, "User data formats": gzip compressed content); EC2's 16 KB limit applies to the
 * compressed bytes before base64 (EC2 User Guide "instance user data"). The provider documents
 * `userDataBase64` for gzip-compressed data (`userData` must be UTF-8 text).
 *
 * @throws Error as {@link renderUserData}.
 */
export function renderUserDataBase64(input: UserDataInput): string {
    return compress(renderUserData(input)).toString("base64");
}

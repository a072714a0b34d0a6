/**
 * Renders the sync host's user data: a `#cloud-config` document (emitted with the `yaml` package)
 * whose `write_files` install the sync scripts, systemd units, pinned host keys and (optionally)
 * the CloudWatch agent configuration, and whose `runcmd` runs the setup script once at first boot.
 *
 * On the host (Amazon Linux 2023):
 * - setup: `dnf install -y lustre-client lftp rsync …`, an `/etc/fstab` line for the Lustre mount
 *   (`_netdev`, `noatime`, `flock`, `nofail`: boot never waits for the file system), mount, enable
 *   the timer;
 * - `microbiome-sync.timer` starts `microbiome-sync.service` on the configured `OnCalendar`
 *   schedule; the service runs `/usr/local/sbin/microbiome-sync`, which runs one script per source
 *   and then the export report, logging to the journal (and a file the CloudWatch agent ships);
 * - sftp sources: the private key is fetched at run time from Secrets Manager into a 0600 file on
 *   the tmpfs `/run/microbiome-sync` and deleted when the script ends; the server's host key is
 *   pinned (`StrictHostKeyChecking yes` against a known_hosts file written from config);
 * - s3 sources: `aws s3 sync` (never `--delete`; no transfer ever deletes on the mount);
 * - export report: files under the synced directories whose Lustre HSM state is not
 *   "exists archived" (or is "dirty") have not been exported to the bucket yet. Source: FSx for
 *   Lustre User Guide "Exporting files using HSM commands": "A return value of
 *   `states: (0x00000009) exists archived` indicates that the file has successfully been exported".
 *
 * Packages: `lustre-client` (FSx for Lustre User Guide, "Installing the Lustre client", AL2023),
 * `lftp` (AL2023 User Guide "ftp package": "lftp (available in AL2 and AL2023) … dnf install
 * lftp"), `rsync` and the AWS CLI v2 (preinstalled on the AL2023 AMI), `amazon-cloudwatch-agent`
 * (AL2023 repositories) only with CloudWatch Logs.
 *
 * Every value that reaches a shell script is single-quoted by {@link shellQuote}; values in lftp
 * scripts are double-quoted by {@link lftpQuote}. Names, the mount point, DNS and mount names are
 * restricted to safe characters by config validation and re-checked here.
 */
import { stringify } from "yaml";

/** EC2 user data limit: 16 KB before base64 encoding (EC2 User Guide "instance user data"). */
export const USER_DATA_LIMIT_BYTES = 16384;

/** Where the scripts and their data live on the host. */
export const HOST_PATHS = {
    syncScript: "/usr/local/sbin/microbiome-sync",
    setupScript: "/usr/local/sbin/microbiome-sync-setup",
    libexec: "/usr/local/libexec/microbiome-sync",
    exportReport: "/usr/local/libexec/microbiome-sync/export-report",
    etc: "/etc/microbiome-sync",
    knownHosts: "/etc/microbiome-sync/known_hosts",
    runtime: "/run/microbiome-sync",
    logDir: "/var/log/microbiome-sync",
    logFile: "/var/log/microbiome-sync/sync.log",
    service: "/etc/systemd/system/microbiome-sync.service",
    timer: "/etc/systemd/system/microbiome-sync.timer",
    cloudWatchConfig: "/opt/aws/amazon-cloudwatch-agent/etc/microbiome-sync.json",
    logrotate: "/etc/logrotate.d/microbiome-sync",
} as const;

/** systemd unit name of the sync service (operators: `systemctl start`, `journalctl -u`). */
export const SYNC_SERVICE = "microbiome-sync.service";
/** systemd unit name of the timer. */
export const SYNC_TIMER = "microbiome-sync.timer";

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
    /** Directory below the mount point (relative). */
    readonly targetPath: string;
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
    /** Directory below the mount point (relative). */
    readonly targetPath: string;
    /** Bucket Region when it differs from the host's. */
    readonly region?: string;
    /** Send `--request-payer requester`. */
    readonly requesterPays: boolean;
}

/** One configured source. */
export type SyncSourceSettings = SftpSourceSettings | S3SourceSettings;

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
    /** The backup bucket the file system exports to (named in the report). */
    readonly backupBucketName: string;
    /** Sources in the order they run. */
    readonly sources: readonly SyncSourceSettings[];
    /** CloudWatch Logs log group name; omitted = journal only. */
    readonly cloudWatchLogGroup?: string;
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
 * Quotes a value for an lftp command: double quotes, with `\` and `"` backslash-escaped (lftp's
 * command parser; lftp does not expand `$` or globs inside quotes for `mirror` arguments).
 */
export function lftpQuote(value: string): string {
    return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** Joins the mount point and a relative target path (`.` and empty segments dropped). */
export function targetDirectory(mountPoint: string, targetPath: string): string {
    const parts = targetPath.split("/").filter((s) => s !== "" && s !== ".");
    return [mountPoint.replace(/\/+$/, ""), ...parts].join("/");
}

/**
 * The /etc/fstab line for the Lustre mount: `<dns>@tcp:/<mountName> <mount> lustre
 * defaults,noatime,flock,_netdev,nofail 0 0` (FSx for Lustre User Guide "Mounting Amazon FSx
 * automatically": `_netdev` is required; `nofail` keeps boot from hanging when the file system is
 * unreachable).
 *
 * @throws Error when a value contains characters fstab cannot carry.
 */
export function fstabLine(fileSystemDnsName: string, mountName: string, mountPoint: string): string {
    if (!/^[A-Za-z0-9.-]+$/.test(fileSystemDnsName)) throw new Error(`unexpected file system DNS name ${JSON.stringify(fileSystemDnsName)}`);
    if (!/^[A-Za-z0-9]+$/.test(mountName)) throw new Error(`unexpected Lustre mount name ${JSON.stringify(mountName)}`);
    if (!/^\/[A-Za-z0-9._/-]*$/.test(mountPoint)) throw new Error(`unexpected mount point ${JSON.stringify(mountPoint)}`);
    return `${fileSystemDnsName}@tcp:/${mountName} ${mountPoint} lustre defaults,noatime,flock,_netdev,nofail 0 0`;
}

/** Path of a source's script. */
export function sourceScriptPath(name: string): string {
    return `${HOST_PATHS.libexec}/source-${name}`;
}

/** Path of a source's pinned known_hosts file. */
function knownHostsPath(name: string): string {
    return `${HOST_PATHS.knownHosts}/${name}`;
}

/** Path of a source's private key while it runs (tmpfs). */
function keyPath(name: string): string {
    return `${HOST_PATHS.runtime}/${name}.key`;
}

/** Region of a Secrets Manager ARN (`arn:aws:secretsmanager:<region>:…`). */
function arnRegion(arn: string): string {
    return arn.split(":")[3] ?? "";
}

/** The ssh command line (no user-controlled characters) used by lftp and rsync for a source. */
function sshCommand(source: SftpSourceSettings): string {
    return [
        "ssh -a -x",
        `-i ${keyPath(source.name)}`,
        "-o IdentitiesOnly=yes",
        "-o BatchMode=yes",
        "-o StrictHostKeyChecking=yes",
        `-o UserKnownHostsFile=${knownHostsPath(source.name)}`,
        "-o GlobalKnownHostsFile=/dev/null",
        `-o HostKeyAlias=${source.name}`,
        "-o ConnectTimeout=30",
        "-o ServerAliveInterval=30",
    ].join(" ");
}

/** The lftp script of an sftp source: connect with the pinned key, mirror the remote directory (never deleting). */
export function renderLftpScript(source: SftpSourceSettings, mountPoint: string): string {
    return [
        `# lftp script of source "${source.name}" (rendered by Pulumi; edit the stack config, not this file)`,
        "set cmd:fail-exit yes",
        "set net:max-retries 5",
        "set net:reconnect-interval-base 10",
        "set net:timeout 60",
        "set sftp:auto-confirm no",
        `set sftp:connect-program ${lftpQuote(sshCommand(source))}`,
        `open -u ${lftpQuote(`${source.user},`)} -p ${source.port} ${lftpQuote(`sftp://${source.host}`)}`,
        `mirror --continue --no-perms --parallel=4 --verbose=1 ${lftpQuote(source.remotePath)} ${lftpQuote(targetDirectory(mountPoint, source.targetPath))}`,
        "",
    ].join("\n");
}

/** Shell lines that fetch the private key into the tmpfs and remove it when the script exits. */
function fetchKeyLines(source: SftpSourceSettings): string[] {
    return [
        `readonly SECRET_ARN=${shellQuote(source.privateKeySecretArn)}`,
        `readonly KEY_FILE=${shellQuote(keyPath(source.name))}`,
        "",
        "# The private key lives only in the tmpfs, 0600, for the duration of this script.",
        "umask 077",
        `install -d -m 0700 ${shellQuote(HOST_PATHS.runtime)}`,
        `trap 'rm -f -- "$KEY_FILE"' EXIT`,
        `aws secretsmanager get-secret-value --region ${shellQuote(arnRegion(source.privateKeySecretArn))} --secret-id "$SECRET_ARN" \\`,
        `    --query SecretString --output text >"$KEY_FILE"`,
        `chmod 0600 "$KEY_FILE"`,
    ];
}

/** The bash script that pulls one source into its target directory. */
export function renderSourceScript(source: SyncSourceSettings, mountPoint: string): string {
    const target = targetDirectory(mountPoint, source.targetPath);
    const head = [
        "#!/bin/bash",
        `# Source "${source.name}" (rendered by Pulumi from microbiome-backup:syncHost.sources; edit the stack config, not this file).`,
        "set -euo pipefail",
        "",
        `readonly TARGET=${shellQuote(target)}`,
    ];
    if (source.type === "s3") {
        const uri = `s3://${source.bucket}/${source.prefix}`;
        const extra = [
            ...(source.region ? [`--region ${shellQuote(source.region)}`] : []),
            ...(source.requesterPays ? ["--request-payer requester"] : []),
        ];
        return [
            ...head,
            `readonly SOURCE_URI=${shellQuote(uri)}`,
            "",
            `mkdir -p -- "$TARGET"`,
            `echo "s3 source ${source.name}: aws s3 sync $SOURCE_URI -> $TARGET"`,
            "rc=0",
            `aws s3 sync "$SOURCE_URI" "$TARGET" --no-progress --only-show-errors${extra.length ? ` ${extra.join(" ")}` : ""} || rc=$?`,
            "if [[ $rc -eq 2 ]]; then",
            `    echo "WARNING: s3 source ${source.name}: some objects were skipped (exit 2), e.g. objects in GLACIER/DEEP_ARCHIVE need a restore first" >&2`,
            "elif [[ $rc -ne 0 ]]; then",
            `    echo "ERROR: s3 source ${source.name}: aws s3 sync failed (exit $rc)" >&2`,
            "    exit \"$rc\"",
            "fi",
            "",
        ].join("\n");
    }
    const lines = [...head, ...fetchKeyLines(source), "", `mkdir -p -- "$TARGET"`];
    if (source.tool === "rsync") {
        lines.push(
            `echo "sftp source ${source.name}: rsync ${source.user}@${source.host}:${source.port} -> $TARGET"`,
            `readonly REMOTE=${shellQuote(`${source.user}@${source.host}:${source.remotePath.replace(/\/*$/, "/")}`)}`,
            "# --protect-args: the remote path reaches the server unsplit (spaces, quotes, $ are safe); never --delete.",
            `rsync --recursive --links --times --partial --protect-args --human-readable --stats \\`,
            `    --rsh=${shellQuote(`${sshCommand(source)} -p ${source.port}`)} \\`,
            `    -- "$REMOTE" "$TARGET/"`,
        );
    } else {
        lines.push(
            `echo "sftp source ${source.name}: lftp mirror ${source.user}@${source.host}:${source.port} -> $TARGET"`,
            `lftp -f ${shellQuote(`${HOST_PATHS.etc}/${source.name}.lftp`)}`,
        );
    }
    lines.push("");
    return lines.join("\n");
}

/** The export report: files under the synced directories not yet exported to the bucket. */
export function renderExportReport(input: UserDataInput): string {
    const targets = input.sources.map((s) => shellQuote(targetDirectory(input.mountPoint, s.targetPath)));
    return [
        "#!/bin/bash",
        "# Reports files under the synced directories that FSx has not exported to the bucket yet",
        '# (Lustre HSM state without "archived", or "dirty": changed since the last export). Source: FSx for',
        '# Lustre User Guide, "Exporting files using HSM commands": "exists archived" means exported.',
        "# Auto-export is asynchronous, so files synced minutes ago are normally still listed.",
        "set -uo pipefail",
        "",
        "readonly MAX_LISTED=20",
        `readonly BUCKET=${shellQuote(input.backupBucketName)}`,
        `targets=(${targets.join(" ")})`,
        "",
        "# lfs hsm_state prints '<path>: (0x<flags>) <words>[, archive_id:<n>]' per file; keep the paths",
        "# whose words lack 'archived' or include 'dirty'.",
        "not_exported() {",
        "    find \"$1\" -type f -print0 | xargs -0 -r lfs hsm_state | awk '",
        "        match($0, /: \\(0x[0-9a-fA-F]+\\)[^()]*$/) {",
        "            words = substr($0, RSTART); path = substr($0, 1, RSTART - 1)",
        "            if (words !~ / archived/ || words ~ / dirty/) print path",
        "        }'",
        "}",
        "",
        "total=0",
        'for target in "${targets[@]}"; do',
        '    [[ -d "$target" ]] || continue',
        "    count=0",
        "    while IFS= read -r path; do",
        "        count=$((count + 1))",
        '        if ((count <= MAX_LISTED)); then echo "  not yet in s3://$BUCKET: $path"; fi',
        '    done < <(not_exported "$target")',
        '    if ((count > MAX_LISTED)); then echo "  … and $((count - MAX_LISTED)) more"; fi',
        '    echo "export report: $target: $count file(s) not yet exported to s3://$BUCKET"',
        "    total=$((total + count))",
        "done",
        'echo "export report: $total file(s) under the synced directories not yet exported to s3://$BUCKET"',
        "",
    ].join("\n");
}

/** The main sync script the service runs. */
export function renderSyncScript(input: UserDataInput): string {
    const names = input.sources.map((s) => shellQuote(s.name));
    return [
        "#!/bin/bash",
        "# microbiome-sync: pulls every configured source into the Lustre file system, then reports what the",
        "# file system has not exported to the bucket yet. Rendered by Pulumi; edit the stack config, not this file.",
        "set -uo pipefail",
        "",
        `readonly MOUNT_POINT=${shellQuote(input.mountPoint)}`,
        `readonly LIBEXEC=${shellQuote(HOST_PATHS.libexec)}`,
        `sources=(${names.join(" ")})`,
        "",
        ...(input.cloudWatchLogGroup
            ? [
                  "# Also append to the file the CloudWatch agent ships (stdout still goes to the journal).",
                  `readonly LOG_FILE=${shellQuote(HOST_PATHS.logFile)}`,
                  `install -d -m 0750 "\${LOG_FILE%/*}"`,
                  'exec > >(tee -a "$LOG_FILE") 2>&1',
                  "",
              ]
            : []),
        "is_mounted() { findmnt --mountpoint \"$MOUNT_POINT\" --types lustre >/dev/null; }",
        "if ! is_mounted; then",
        '    mount "$MOUNT_POINT" || true',
        "fi",
        "if ! is_mounted; then",
        '    echo "ERROR: the Lustre file system is not mounted at $MOUNT_POINT; nothing synced (see journalctl -b -u \'*.mount\')" >&2',
        "    exit 1",
        "fi",
        "",
        "failed=()",
        'echo "sync started: ${#sources[@]} source(s)"',
        'for name in "${sources[@]}"; do',
        '    if "$LIBEXEC/source-$name"; then',
        '        echo "source $name: ok"',
        "    else",
        '        echo "ERROR: source $name failed (exit $?)" >&2',
        '        failed+=("$name")',
        "    fi",
        "done",
        "",
        `"${HOST_PATHS.exportReport}" || echo "WARNING: the export report failed" >&2`,
        "",
        "if ((${#failed[@]} > 0)); then",
        '    echo "sync finished with ${#failed[@]} failed source(s): ${failed[*]}" >&2',
        "    exit 1",
        "fi",
        'echo "sync finished: all ${#sources[@]} source(s) ok"',
        "",
    ].join("\n");
}

/** The first-boot setup script (run once by cloud-init's runcmd). */
export function renderSetupScript(input: UserDataInput): string {
    const packages = ["lustre-client", "lftp", "rsync", "logrotate", ...(input.cloudWatchLogGroup ? ["amazon-cloudwatch-agent"] : [])];
    const line = fstabLine(input.fileSystemDnsName, input.mountName, input.mountPoint);
    return [
        "#!/bin/bash",
        "# First-boot setup of the sync host (run once by cloud-init). Rendered by Pulumi.",
        "set -euo pipefail",
        "",
        `readonly MOUNT_POINT=${shellQuote(input.mountPoint)}`,
        `readonly FSTAB_LINE=${shellQuote(line)}`,
        "",
        "# Lustre client for Amazon Linux 2023 (FSx for Lustre User Guide, \"Installing the Lustre client\").",
        `dnf install -y ${packages.join(" ")}`,
        "",
        'install -d -m 0755 "$MOUNT_POINT"',
        "grep -qxF -- \"$FSTAB_LINE\" /etc/fstab || printf '%s\\n' \"$FSTAB_LINE\" >>/etc/fstab",
        "systemctl daemon-reload",
        'mount "$MOUNT_POINT" || echo "WARNING: mounting $MOUNT_POINT failed; every sync run retries" >&2',
        "",
        ...(input.cloudWatchLogGroup
            ? [
                  `install -d -m 0750 ${shellQuote(HOST_PATHS.logDir)}`,
                  `/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c ${shellQuote(`file:${HOST_PATHS.cloudWatchConfig}`)}`,
                  "",
              ]
            : []),
        `systemctl enable --now ${SYNC_TIMER}`,
        `echo "sync host ready: ${SYNC_TIMER} scheduled; run a sync now with: systemctl start ${SYNC_SERVICE}"`,
        "",
    ].join("\n");
}

/** The systemd service unit. */
export function renderServiceUnit(input: UserDataInput): string {
    return [
        "[Unit]",
        `Description=Pull the configured sources into the Lustre file system at ${input.mountPoint} (microbiome-backup)`,
        "Wants=network-online.target",
        "After=network-online.target",
        `RequiresMountsFor=${input.mountPoint}`,
        "",
        "[Service]",
        "Type=oneshot",
        `ExecStart=${HOST_PATHS.syncScript}`,
        "RuntimeDirectory=microbiome-sync",
        "RuntimeDirectoryMode=0700",
        `Environment=AWS_DEFAULT_REGION=${input.region}`,
        "SyslogIdentifier=microbiome-sync",
        "Nice=5",
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

/** Every file the user data writes, in order. */
export function renderFiles(input: UserDataInput): RenderedFile[] {
    const files: RenderedFile[] = [
        { path: HOST_PATHS.setupScript, permissions: "0755", content: renderSetupScript(input), script: true },
        { path: HOST_PATHS.syncScript, permissions: "0755", content: renderSyncScript(input), script: true },
        { path: HOST_PATHS.exportReport, permissions: "0755", content: renderExportReport(input), script: true },
        { path: HOST_PATHS.service, permissions: "0644", content: renderServiceUnit(input), script: false },
        { path: HOST_PATHS.timer, permissions: "0644", content: renderTimerUnit(input), script: false },
    ];
    for (const source of input.sources) {
        if (!/^[a-z0-9][a-z0-9-]*$/.test(source.name)) throw new Error(`unexpected source name ${JSON.stringify(source.name)}`);
        files.push({ path: sourceScriptPath(source.name), permissions: "0755", content: renderSourceScript(source, input.mountPoint), script: true });
        if (source.type === "sftp") {
            files.push({ path: knownHostsPath(source.name), permissions: "0644", content: `${source.name} ${source.hostKey.trim()}\n`, script: false });
            if (source.tool === "lftp") {
                files.push({ path: `${HOST_PATHS.etc}/${source.name}.lftp`, permissions: "0644", content: renderLftpScript(source, input.mountPoint), script: false });
            }
        }
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

/**
 * Renders the complete `#cloud-config` user data.
 *
 * @param input plain values (resolved Outputs).
 * @returns the user data text, starting with `#cloud-config`.
 * @throws Error when it exceeds EC2's 16 KB user data limit (fewer sources), or a value has
 *   characters that cannot be placed safely (config validation prevents both).
 */
export function renderUserData(input: UserDataInput): string {
    const files = renderFiles(input);
    const doc = {
        write_files: files.map((f) => ({ path: f.path, permissions: f.permissions, owner: "root:root", content: f.content })),
        runcmd: [[HOST_PATHS.setupScript]],
    };
    const text = `#cloud-config\n${stringify(doc, { lineWidth: 0 })}`;
    const size = Buffer.byteLength(text, "utf8");
    if (size > USER_DATA_LIMIT_BYTES) {
        throw new Error(
            `the sync host's user data is ${size} bytes, above EC2's ${USER_DATA_LIMIT_BYTES}-byte limit: configure fewer sources in microbiome-backup:syncHost.sources`,
        );
    }
    return text;
}

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
 *   schedule; the service runs `/usr/local/sbin/microbiome-sync`, which runs the pull script once
 *   per source (in config order) and then the export report, logging to the journal (and a file the CloudWatch agent ships);
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
 * Per-source settings are small files of single-quoted bash assignments ({@link shellQuote}) read by
 * one generic pull script, which quotes values for lftp at run time; this keeps the user data
 * small (EC2 allows 16 KB) and every script the same for all sources. Names, the mount point, DNS
 * and mount names are restricted to safe characters by config validation and re-checked here.
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
    sources: "/etc/microbiome-sync/sources",
    pullScript: "/usr/local/libexec/microbiome-sync/pull",
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

/** Path of a source's settings file (bash assignments, sourced by the pull script). */
export function sourceConfPath(name: string): string {
    return `${HOST_PATHS.sources}/${name}.conf`;
}

/** Region of a Secrets Manager ARN (`arn:aws:secretsmanager:<region>:…`). */
function arnRegion(arn: string): string {
    return arn.split(":")[3] ?? "";
}

/**
 * A source's settings file: one `KEY='value'` line per setting, every value single-quoted, read by
 * the generic pull script. Keeping per-source data this small keeps the user data under 16 KB.
 */
export function renderSourceConf(source: SyncSourceSettings, mountPoint: string): string {
    const values: [string, string][] = [
        ["TYPE", source.type],
        ["NAME", source.name],
        ["TARGET", targetDirectory(mountPoint, source.targetPath)],
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
    return `# Source "${source.name}" (rendered by Pulumi from microbiome-backup:syncHost.sources)\n${values.map(([k, v]) => `${k}=${shellQuote(v)}`).join("\n")}\n`;
}

/** The pinned host keys of all sftp sources, one `<source name> <type> <base64>` line each (ssh HostKeyAlias = source name). */
export function renderKnownHosts(sources: readonly SyncSourceSettings[]): string {
    return sources.flatMap((s) => (s.type === "sftp" ? [`${s.name} ${s.hostKey.trim().split(/\s+/).slice(0, 2).join(" ")}\n`] : [])).join("");
}

/**
 * The generic pull script: `pull <source.conf>` copies one source into its directory on the mount.
 * sftp: the private key is read from Secrets Manager into a 0600 file on the tmpfs and removed on
 * exit; ssh checks the pinned host key (StrictHostKeyChecking yes, the source name as HostKeyAlias);
 * lftp mirror (default) or rsync over ssh. s3: aws s3 sync. Nothing ever deletes on the mount.
 */
export function renderPullScript(): string {
    return [
        "#!/bin/bash",
        "# pull <source.conf>: copies one configured source into its directory on the Lustre mount, never deleting",
        "# anything there. Rendered by Pulumi; the per-source settings live in " + HOST_PATHS.sources + ".",
        "set -euo pipefail",
        "",
        "TYPE='' NAME='' TARGET='' TOOL='' HOST='' PORT='' LOGIN='' REMOTE_PATH='' SECRET_ARN='' SECRET_REGION=''",
        "SOURCE_URI='' SOURCE_REGION='' REQUESTER_PAYS=''",
        "# shellcheck source=/dev/null",
        '. "$1"',
        "",
        "# systemd sets RUNTIME_DIRECTORY for RuntimeDirectory= (a tmpfs directory, 0700, removed when the run ends).",
        `readonly RUNTIME_DIR="\${RUNTIME_DIRECTORY:-${HOST_PATHS.runtime}}"`,
        `readonly KNOWN_HOSTS=${shellQuote(HOST_PATHS.knownHosts)}`,
        "",
        "# Quotes a value for an lftp command: double quotes, with backslash and double quote backslash-escaped.",
        "lftp_quote() {",
        `    printf '"%s"' "$(printf '%s' "$1" | sed 's/[\\\\"]/\\\\&/g')"`,
        "}",
        "",
        "pull_s3() {",
        "    local args=(--no-progress --only-show-errors)",
        '    if [[ -n "$SOURCE_REGION" ]]; then args+=(--region "$SOURCE_REGION"); fi',
        '    if [[ "$REQUESTER_PAYS" == yes ]]; then args+=(--request-payer requester); fi',
        '    echo "source $NAME: aws s3 sync $SOURCE_URI -> $TARGET"',
        "    local rc=0",
        '    aws s3 sync "$SOURCE_URI" "$TARGET" "${args[@]}" || rc=$?',
        "    if ((rc == 2)); then",
        '        echo "WARNING: source $NAME: some objects were skipped (exit 2), e.g. GLACIER/DEEP_ARCHIVE objects need a restore first" >&2',
        "    elif ((rc != 0)); then",
        '        echo "ERROR: source $NAME: aws s3 sync failed (exit $rc)" >&2',
        '        return "$rc"',
        "    fi",
        "}",
        "",
        "pull_sftp() {",
        "    # The private key exists only on the tmpfs, 0600, while this script runs.",
        '    install -d -m 0700 "$RUNTIME_DIR"',
        '    KEY_FILE="$RUNTIME_DIR/$NAME.key"',
        "    trap 'rm -f -- \"$KEY_FILE\"' EXIT",
        '    (umask 077 && aws secretsmanager get-secret-value --region "$SECRET_REGION" --secret-id "$SECRET_ARN" \\',
        '        --query SecretString --output text >"$KEY_FILE")',
        '    chmod 0600 "$KEY_FILE"',
        '    local ssh_cmd="ssh -a -x -i $KEY_FILE -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=yes"',
        '    ssh_cmd+=" -o UserKnownHostsFile=$KNOWN_HOSTS -o GlobalKnownHostsFile=/dev/null -o HostKeyAlias=$NAME"',
        '    ssh_cmd+=" -o ConnectTimeout=30 -o ServerAliveInterval=30"',
        '    if [[ "$TOOL" == rsync ]]; then',
        '        echo "source $NAME: rsync $LOGIN@$HOST:$PORT:$REMOTE_PATH -> $TARGET"',
        "        # --protect-args: the remote path reaches the server unsplit (spaces, quotes, $ are safe).",
        "        rsync --recursive --links --times --partial --protect-args --human-readable --stats \\",
        '            --rsh="$ssh_cmd -p $PORT" -- "$LOGIN@$HOST:${REMOTE_PATH%/}/" "$TARGET/"',
        "    else",
        '        echo "source $NAME: lftp mirror $LOGIN@$HOST:$PORT:$REMOTE_PATH -> $TARGET"',
        "        lftp -f /dev/stdin <<EOF",
        "set cmd:fail-exit yes",
        "set net:max-retries 5",
        "set net:reconnect-interval-base 10",
        "set net:timeout 60",
        "set sftp:auto-confirm no",
        'set sftp:connect-program $(lftp_quote "$ssh_cmd")',
        'open -u $(lftp_quote "$LOGIN,") -p $PORT $(lftp_quote "sftp://$HOST")',
        'mirror --continue --no-perms --parallel=4 --verbose=1 $(lftp_quote "$REMOTE_PATH") $(lftp_quote "$TARGET")',
        "EOF",
        "    fi",
        "}",
        "",
        'mkdir -p -- "$TARGET"',
        'case "$TYPE" in',
        "    s3) pull_s3 ;;",
        "    sftp) pull_sftp ;;",
        '    *) echo "ERROR: $1: unknown source type $TYPE" >&2; exit 2 ;;',
        "esac",
        "",
    ].join("\n");
}

/**
 * The export report: files under the synced directories not yet exported to the bucket. It reads
 * the target directories from the source settings files, so no configured path is part of a script.
 */
export function renderExportReport(input: UserDataInput): string {
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
        `readonly SOURCES_DIR="\${1:-${HOST_PATHS.sources}}"`,
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
        'for conf in "$SOURCES_DIR"/*.conf; do',
        '    [[ -e "$conf" ]] || continue',
        "    # shellcheck source=/dev/null",
        "    target=\"$(TARGET='' && . \"$conf\" && printf '%s' \"$TARGET\")\"",
        '    [[ -n "$target" && -d "$target" ]] || continue',
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
        `readonly PULL=${shellQuote(HOST_PATHS.pullScript)}`,
        `readonly SOURCES_DIR=${shellQuote(HOST_PATHS.sources)}`,
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
        '    if "$PULL" "$SOURCES_DIR/$name.conf"; then',
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
    files.push({ path: HOST_PATHS.pullScript, permissions: "0755", content: renderPullScript(), script: true });
    for (const source of input.sources) {
        if (!/^[a-z0-9][a-z0-9-]*$/.test(source.name)) throw new Error(`unexpected source name ${JSON.stringify(source.name)}`);
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

/** The `#cloud-config` text for `input`, without the size check. */
function buildUserData(input: UserDataInput): string {
    const files = [...renderFiles(input), ...(input.additions?.files ?? [])];
    const doc = {
        write_files: files.map((f) => ({ path: f.path, permissions: f.permissions, owner: "root:root", content: f.content })),
        runcmd: [[HOST_PATHS.setupScript], ...(input.additions ? [[...input.additions.runCommand]] : [])],
    };
    return `#cloud-config\n${stringify(doc, { lineWidth: 0 })}`;
}

/** Size in bytes of the user data for `input` (what EC2's 16 KB limit applies to). */
export function userDataSize(input: UserDataInput): number {
    return Buffer.byteLength(buildUserData(input), "utf8");
}

/** Placeholder values as long as the real ones get, for estimating the size from config alone. */
export const SIZE_ESTIMATE_PLACEHOLDERS = {
    fileSystemDnsName: "fs-0123456789abcdef0.fsx.ap-southeast-2.amazonaws.com",
    mountName: "abcdefgh",
    region: "ap-southeast-2",
    backupBucketName: "b".repeat(63),
    cloudWatchLogGroup: `/microbiome-backup/${"s".repeat(40)}/sync-host`,
} as const;

/**
 * Renders the complete `#cloud-config` user data.
 *
 * @param input plain values (resolved Outputs).
 * @returns the user data text, starting with `#cloud-config`.
 * @throws Error when it exceeds EC2's 16 KB user data limit (config validation refuses such source
 *   lists first, see `config/syncHost.ts`), or a value has characters that cannot be placed safely.
 */
export function renderUserData(input: UserDataInput): string {
    const text = buildUserData(input);
    const size = Buffer.byteLength(text, "utf8");
    if (size > USER_DATA_LIMIT_BYTES) {
        throw new Error(
            `the sync host's user data is ${size} bytes, above EC2's ${USER_DATA_LIMIT_BYTES}-byte limit: configure fewer sources in microbiome-backup:syncHost.sources`,
        );
    }
    return text;
}

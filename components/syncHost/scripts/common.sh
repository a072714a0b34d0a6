# shellcheck shell=bash
# common.sh — sourced by every microbiome-sync script: settings, logging, metrics, the mount check,
# the run lock and Lustre HSM states. Installed by the sync host's user data (Pulumi renders only the
# settings files under /etc/microbiome-sync; the scripts are the same for every stack).

# shellcheck disable=SC2034 # settings used by the scripts that source this file
ETC_DIR="${MICROBIOME_SYNC_ETC:-/etc/microbiome-sync}"
LIBEXEC_DIR="${MICROBIOME_SYNC_LIBEXEC:-/usr/local/libexec/microbiome-sync}"
STATE_DIR="${MICROBIOME_SYNC_STATE:-${STATE_DIRECTORY:-/var/lib/microbiome-sync}}"
LOCK_FILE="${MICROBIOME_SYNC_LOCK:-/run/lock/microbiome-sync.lock}"
RUNTIME_DIR="${RUNTIME_DIRECTORY:-/run/microbiome-sync}"

# Settings (sync.conf, rendered from the stack config, overrides these defaults).
MOUNT_POINT='' REGION='' BUCKET='' REPORTS_PREFIX='' METRIC_NAMESPACE='MicrobiomeBackup/SyncHost' METRIC_STACK=''
RELEASE_EXPORTED=yes UNEXPORTED_AGE_HOURS=24 SETTLE_MINUTES=30 COMPLETION_MARKER='' EXPORT_WAIT_MINUTES=120
EXPORT_POLL_SECONDS=30 FREE_SPACE_RESERVE_PERCENT=10 ALLOW_SKIPPED_S3_OBJECTS=no SOURCES=() LOG_FILE=''
# shellcheck source=/dev/null
. "$ETC_DIR/sync.conf"
if [[ -n "$REGION" ]]; then export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-$REGION}"; fi

# Logging. Under systemd, stdout/stderr go to the journal, which reads a leading "<N>" as the
# syslog priority (sd-daemon(3); systemd.exec(5) SyslogLevelPrefix=, on by default): errors are
# logged at priority 3 (err), warnings at 4. Outside systemd (a manual run from a shell) errors
# also go to syslog through logger(1) at user.err.
_prefix() { if [[ -n "${JOURNAL_STREAM:-}" ]]; then printf '<%s>' "$1"; fi; }
info() { printf '%s\n' "$*"; }
warn() { printf '%sWARNING: %s\n' "$(_prefix 4)" "$*" >&2; }
err() {
    printf '%sERROR: %s\n' "$(_prefix 3)" "$*" >&2
    if [[ -z "${JOURNAL_STREAM:-}" ]] && command -v logger >/dev/null 2>&1; then
        logger -t microbiome-sync -p user.err -- "ERROR: $*" 2>/dev/null || true
    fi
}

# put_metric NAME VALUE UNIT: one data point in the sync host's namespace, dimension Stack.
put_metric() {
    if ! aws cloudwatch put-metric-data --namespace "$METRIC_NAMESPACE" --metric-name "$1" --value "$2" --unit "$3" \
        --dimensions "Stack=$METRIC_STACK" >/dev/null; then
        err "could not publish the CloudWatch metric $METRIC_NAMESPACE $1=$2 (Stack=$METRIC_STACK)"
        return 1
    fi
}

# The file system must be a mounted Lustre file system: the service checks it itself (and fails
# visibly) instead of RequiresMountsFor=, which leaves the unit silently inactive.
is_mounted() { findmnt --mountpoint "$MOUNT_POINT" --types lustre >/dev/null 2>&1; }
require_mount() {
    if ! is_mounted; then mount "$MOUNT_POINT" >/dev/null 2>&1 || true; fi
    if ! is_mounted; then
        err "the Lustre file system is not mounted at $MOUNT_POINT: nothing pulled (check findmnt -t lustre $MOUNT_POINT, lsmod | grep lustre, journalctl -b)"
        return 1
    fi
}

# One run at a time: the scheduled run and a manual pull take the same lock, without waiting.
take_lock() {
    install -d -m 0755 "${LOCK_FILE%/*}"
    exec 9>>"$LOCK_FILE"
    if ! flock -n 9; then
        err "another microbiome-sync run holds $LOCK_FILE (the scheduled run or a manual pull): not started; see systemctl status microbiome-sync.service"
        return 1
    fi
}

# File system capacity from `lfs df` (KiB): prints "<total> <available>".
lfs_capacity() {
    local out
    out="$(lfs df "$MOUNT_POINT")" || { err "lfs df $MOUNT_POINT failed"; return 1; }
    awk '$1 == "filesystem_summary:" { print $2, $4; found = 1 } END { exit !found }' <<<"$out" || {
        err "lfs df $MOUNT_POINT printed no filesystem_summary line"
        return 1
    }
}

# Lustre HSM states. hsm_states reads NUL-separated file paths on stdin and writes one
# "<flags>\t<path>\0" record per file, where <flags> is what `lfs hsm_state` prints after "<path>: ",
# e.g. "(0x00000009) exists archived, archive_id:1". Paths are matched to lfs's output by their own
# text, so names with newlines are handled (one lfs call each). Any lfs error fails (status 1).
_hsm_batch() {
    local out path line i=0
    local -a lines
    if ! out="$(lfs hsm_state "$@")"; then err "lfs hsm_state failed on ${#} file(s) from $1"; return 1; fi
    mapfile -t lines <<<"$out"
    if ((${#lines[@]} != $#)); then err "lfs hsm_state printed ${#lines[@]} line(s) for $# file(s) from $1"; return 1; fi
    for path in "$@"; do
        line="${lines[i]}"
        i=$((i + 1))
        if [[ "$line" != "$path: "* ]]; then err "unexpected lfs hsm_state output: $line"; return 1; fi
        printf '%s\t%s\0' "${line#"$path: "}" "$path"
    done
}
hsm_states() {
    local path out
    local -a batch=()
    while IFS= read -r -d '' path; do
        if [[ "$path" == *$'\n'* ]]; then
            if ! out="$(lfs hsm_state "$path")" || [[ "$out" != "$path: "* ]]; then err "lfs hsm_state failed on a file named with a newline: ${path@Q}"; return 1; fi
            printf '%s\t%s\0' "${out#"$path: "}" "$path"
            continue
        fi
        batch+=("$path")
        if ((${#batch[@]} >= 200)); then _hsm_batch "${batch[@]}" || return 1; batch=(); fi
    done
    if ((${#batch[@]} > 0)); then _hsm_batch "${batch[@]}" || return 1; fi
    return 0
}

# hsm_class FLAGS: lost (lost_from_hsm: the S3 copy is gone), dirty (changed since its export),
# released (exported; data only in S3), exported ("exists archived"), or pending (not exported).
# FSx for Lustre User Guide, "Exporting files using HSM commands": "states: (0x00000009) exists
# archived" means exported.
hsm_class() {
    case "$1" in
        *lost_from_hsm*) echo lost ;;
        *dirty*) echo dirty ;;
        *released*) echo released ;;
        *exists*archived*) echo exported ;;
        *) echo pending ;;
    esac
}

# s3_split URI: prints "<bucket>\t<key prefix>" of s3://bucket/prefix/.
s3_split() {
    local rest="${1#s3://}"
    if [[ "$rest" == */* ]]; then printf '%s\t%s' "${rest%%/*}" "${rest#*/}"; else printf '%s\t' "$rest"; fi
}

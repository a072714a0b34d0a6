/**
 * "Pay only while working": the sync host's `scheduled-start` run mode. Instead of running around
 * the clock for a nightly pull, the instance is stopped between runs:
 *
 * - an EventBridge Scheduler schedule starts it with the universal target
 *   `arn:aws:scheduler:::aws-sdk:ec2:startInstances` (EventBridge Scheduler User Guide, "Using
 *   universal targets": `arn:aws:scheduler:::aws-sdk:<service>:<apiAction>`, the input is the API
 *   request as JSON), through a role trusted by `scheduler.amazonaws.com` and allowed exactly
 *   `ec2:StartInstances` on that instance;
 * - at every boot, `microbiome-sync-boot.service` runs one sync (`microbiome-sync.service`, at most
 *   `maxRunHours`), then powers the host off — but never while an operator is working on it: not
 *   while a Session Manager session is open (the SSM agent runs one `ssm-session-worker` process per
 *   session), not while a sync an operator started is still running, and not at all when
 *   `/etc/microbiome-sync/stay-on` exists;
 * - the systemd timer of the always-on mode is disabled (the instance is off at its time anyway;
 *   its `Persistent=true` catch-up would run a second sync at boot).
 *
 * Only runs started at boot power the host off: `systemctl start microbiome-sync.service` by an
 * operator never does. EC2 bills a Linux instance per second while it runs (60 s minimum per start);
 * the root volume is billed while stopped (EC2 User Guide, "Amazon EC2 billing and purchasing
 * options"; "Stop and start Amazon EC2 instances").
 *
 * Kept apart from `syncHostUserData.ts` (the sync scripts): this module only adds files and one
 * first-boot command to the user data.
 */
import type { PolicyDocument } from "../common/policyDocument";
import type { RenderedFile } from "./userData";

/** The sync host's run modes (`syncHost.runMode`). */
export const RUN_MODES = ["always-on", "scheduled-start"] as const;
/** A run mode. */
export type RunMode = (typeof RUN_MODES)[number];

/** EventBridge Scheduler universal target that calls EC2 StartInstances. */
export const START_INSTANCES_TARGET_ARN = "arn:aws:scheduler:::aws-sdk:ec2:startInstances";

/** Instance tags that record the run mode for readers of the stack (the cost estimate among them). */
export const RUN_MODE_TAGS = { runMode: "microbiome-backup:run-mode", maxRunHours: "microbiome-backup:max-run-hours" } as const;

/** Host paths of the scheduled-start mode. */
export const SCHEDULED_START_PATHS = {
    bootUnit: "/etc/systemd/system/microbiome-sync-boot.service",
    script: "/usr/local/libexec/microbiome-sync/boot-run",
    stayOn: "/etc/microbiome-sync/stay-on",
} as const;

/** The boot unit's name. */
export const BOOT_UNIT = "microbiome-sync-boot.service";

/** Average days per month (365/12), the month every estimate in this project uses. */
export const DAYS_PER_MONTH = 365 / 12;

/**
 * Converts the daily systemd `OnCalendar` forms the project uses into an EventBridge Scheduler cron
 * expression (UTC): `*-*-* HH:MM[:SS]` → `cron(MM HH * * ? *)`, and
 * `Mon,Wed *-*-* HH:MM` → `cron(MM HH ? * MON,WED *)`.
 *
 * @returns the cron expression, or `undefined` for any other form (then `syncHost.scheduledStart.scheduleExpression` is required).
 */
export function onCalendarToCron(onCalendar: string): string | undefined {
    const m = /^(?:((?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)(?:,(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun))*) )?\*-\*-\* (\d{1,2}):(\d{2})(?::00)?$/.exec(onCalendar.trim());
    if (!m) return undefined;
    const hour = Number(m[2]);
    const minute = Number(m[3]);
    if (hour > 23 || minute > 59) return undefined;
    return m[1] ? `cron(${minute} ${hour} ? * ${m[1].toUpperCase()} *)` : `cron(${minute} ${hour} * * ? *)`;
}

/** Number of values a cron field selects (`*`/`?` = `all`; lists, ranges and steps counted). */
function fieldCount(field: string, all: number): number {
    if (field === "*" || field === "?") return all;
    let n = 0;
    for (const part of field.split(",")) {
        const step = /^(.+)\/(\d+)$/.exec(part);
        const base = step ? step[1] : part;
        const range = /^(\w+)-(\w+)$/.exec(base);
        const span = base === "*" ? all : range ? rangeLength(range[1], range[2]) : 1;
        n += step ? Math.ceil(span / Number(step[2])) : span;
    }
    return n;
}

const DAY_NAMES = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
function rangeLength(a: string, b: string): number {
    const num = (v: string) => (/^\d+$/.test(v) ? Number(v) : DAY_NAMES.indexOf(v.toUpperCase()) + 1);
    return Math.max(1, num(b) - num(a) + 1);
}

/**
 * Runs per month of an EventBridge Scheduler expression: `cron(min hour dom month dow year)` or
 * `rate(n unit)`. Months of 365/12 days; a day-of-week list counts 365/12/7 runs per listed day.
 *
 * @returns runs per month, or `undefined` when the expression is not understood.
 */
export function runsPerMonth(expression: string): number | undefined {
    const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
    if (rate) {
        const perDay = { minute: 1440, minutes: 1440, hour: 24, hours: 24, day: 1, days: 1 }[rate[2] as "day"];
        return (perDay / Number(rate[1])) * DAYS_PER_MONTH;
    }
    const cron = /^cron\((\S+) (\S+) (\S+) (\S+) (\S+) (\S+)\)$/.exec(expression);
    if (!cron) return undefined;
    const [, min, hour, dom, month, dow] = cron;
    const perDay = fieldCount(min, 60) * fieldCount(hour, 24);
    const days = dom === "?" || dom === "*" ? (dow === "?" || dow === "*" ? DAYS_PER_MONTH : (fieldCount(dow, 7) * DAYS_PER_MONTH) / 7) : fieldCount(dom, 31);
    return perDay * days * (fieldCount(month, 12) / 12);
}

/**
 * Trust policy of the scheduler's role: EventBridge Scheduler of this account only (EventBridge
 * Scheduler User Guide, "Set up the execution role": `aws:SourceAccount` condition).
 */
export function schedulerTrustPolicy(accountId: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Service: "scheduler.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "aws:SourceAccount": accountId } },
            },
        ],
    };
}

/** The role's only permission: start this one instance. */
export function startInstancePolicy(instanceArn: string): PolicyDocument {
    return { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "ec2:StartInstances", Resource: instanceArn }] };
}

/**
 * The script the boot unit runs: one sync (stopped after `maxRunHours`), then power off unless an
 * operator is working on the host.
 */
export function renderBootRunScript(maxRunHours: number, syncService: string): string {
    const maxSeconds = Math.round(maxRunHours * 3600);
    return [
        "#!/bin/bash",
        "# After a (scheduled) start: run one sync, then power the host off unless an operator is working on it.",
        "# Rendered by Pulumi (syncHost.runMode: scheduled-start); see docs/synchost.md \"Pay only while working\".",
        "set -uo pipefail",
        "",
        `readonly MAX_RUN_SECONDS=${maxSeconds}`,
        `readonly SYNC_SERVICE=${syncService}`,
        `readonly STAY_ON=${SCHEDULED_START_PATHS.stayOn}`,
        "",
        "# systemctl start waits for a oneshot service to finish; timeout ends the wait, then the run is stopped.",
        'timeout "$MAX_RUN_SECONDS" systemctl start "$SYNC_SERVICE"',
        "rc=$?",
        "if ((rc == 124)); then",
        '    echo "WARNING: the sync ran longer than $MAX_RUN_SECONDS s (syncHost.maxRunHours): stopping it" >&2',
        '    systemctl stop "$SYNC_SERVICE"',
        "elif ((rc != 0)); then",
        '    echo "WARNING: the sync failed (exit $rc): journalctl -u $SYNC_SERVICE" >&2',
        "fi",
        "",
        "# Session Manager runs one ssm-session-worker process per open session.",
        "operator_present() {",
        "    pgrep -x ssm-session-worker >/dev/null && return 0",
        '    systemctl is-active --quiet "$SYNC_SERVICE" && return 0',
        "    [[ \"$(systemctl show -p ActiveState --value \"$SYNC_SERVICE\")\" == activating ]]",
        "}",
        "while :; do",
        '    if [[ -e "$STAY_ON" ]]; then',
        '        echo "$STAY_ON exists: staying on (remove it to let scheduled runs power the host off)"',
        "        exit 0",
        "    fi",
        "    operator_present || break",
        "    sleep 60",
        "done",
        'echo "scheduled run finished: powering off until the next scheduled start"',
        "systemctl poweroff",
        "",
    ].join("\n");
}

/** The boot unit: after cloud-init's first-boot setup and on every later boot. */
export function renderBootUnit(): string {
    return [
        "[Unit]",
        "Description=One sync after a (scheduled) start, then power off (microbiome-backup scheduled-start)",
        "Wants=network-online.target",
        "After=network-online.target cloud-final.service",
        "",
        "[Service]",
        "Type=oneshot",
        `ExecStart=${SCHEDULED_START_PATHS.script}`,
        "TimeoutStartSec=infinity",
        "SyslogIdentifier=microbiome-sync-boot",
        "",
        "[Install]",
        "WantedBy=multi-user.target",
        "",
    ].join("\n");
}

/** What the scheduled-start mode adds to the user data: two files and one first-boot command. */
export interface ScheduledStartUserData {
    readonly files: RenderedFile[];
    /** Run after the setup script (cloud-init `runcmd` entry). */
    readonly runCommand: string[];
}

/**
 * The user-data additions of the scheduled-start mode.
 *
 * @param maxRunHours longest sync run, hours (> 0).
 * @param syncService the sync service's unit name.
 * @param syncTimer the always-on timer's unit name (disabled).
 */
export function scheduledStartUserData(maxRunHours: number, syncService: string, syncTimer: string): ScheduledStartUserData {
    return {
        files: [
            { path: SCHEDULED_START_PATHS.script, permissions: "0755", content: renderBootRunScript(maxRunHours, syncService), script: true },
            { path: SCHEDULED_START_PATHS.bootUnit, permissions: "0644", content: renderBootUnit(), script: false },
        ],
        // --no-block: cloud-final must finish before the boot unit (After=cloud-final.service) starts.
        runCommand: ["sh", "-c", `systemctl daemon-reload && systemctl disable --now ${syncTimer} && systemctl enable ${BOOT_UNIT} && systemctl start --no-block ${BOOT_UNIT}`],
    };
}

/**
 * Pure rules of the stack's alarms (no Pulumi runtime, so config validation and the offline tools
 * load fast): the sync host's metric names, CloudWatch's alarm-window limits, and the heartbeat
 * window derived from the sync schedule. The alarms themselves are declared in `components/monitoring/alerts.ts`.
 */

/** CloudWatch namespace of the sync host's metrics. */
export const SYNC_HOST_METRIC_NAMESPACE = "MicrobiomeBackup/SyncHost";

/** The sync host's metric names (see the module comment). */
export const SYNC_HOST_METRICS = {
    heartbeat: "VerifiedRun",
    failedRun: "FailedRun",
    unexported: "UnexportedFilesOverAge",
    freeCapacity: "FreeCapacityPercent",
} as const;

/**
 * Longest evaluation range of a CloudWatch metric alarm: Period × EvaluationPeriods ≤ 604,800 s
 * (7 days); for a Period below one hour, ≤ 86,400 s (CloudWatch API Reference, PutMetricAlarm,
 * "Period").
 */
export const MAX_ALARM_EVALUATION_SECONDS = 604_800;

/** Longest evaluation range when the Period is below 3,600 s (same source). */
export const MAX_SHORT_PERIOD_EVALUATION_SECONDS = 86_400;

/** The `Stack` dimension value of the sync host's metrics: `<project>-<stack>`. */
export function syncHostMetricStack(project: string, stack: string): string {
    return `${project}-${stack}`;
}

/**
 * Checks an alarm's evaluation range against CloudWatch's limits (see
 * {@link MAX_ALARM_EVALUATION_SECONDS}); Period must be 10, 20, 30 or a multiple of 60.
 *
 * @returns an error message, or `undefined` when PutMetricAlarm accepts it.
 */
export function checkAlarmWindow(periodSeconds: number, evaluationPeriods: number): string | undefined {
    if (!([10, 20, 30].includes(periodSeconds) || (periodSeconds > 0 && periodSeconds % 60 === 0))) {
        return `a period of ${periodSeconds} s: CloudWatch accepts 10, 20, 30 or a multiple of 60 seconds (CloudWatch API Reference, PutMetricAlarm)`;
    }
    const range = periodSeconds * evaluationPeriods;
    const max = periodSeconds < 3600 ? MAX_SHORT_PERIOD_EVALUATION_SECONDS : MAX_ALARM_EVALUATION_SECONDS;
    if (range > max) {
        return `Period × EvaluationPeriods = ${range} s exceeds CloudWatch's ${max} s (${max / 86_400} day(s)) for ${periodSeconds < 3600 ? "periods below one hour" : "an alarm"} (CloudWatch API Reference, PutMetricAlarm "Period")`;
    }
    return undefined;
}

/**
 * The interval of a systemd OnCalendar schedule in hours, for the forms whose interval is fixed:
 * `hourly` (1), `daily` or one time a day such as `*-*-* 02:00:00` / `02:00` (24), `weekly` or one
 * weekday and time such as `Sun 03:00` (168). Other expressions return `undefined` (then
 * `syncHost.alarms.heartbeatHours` must be given).
 */
export function scheduleIntervalHours(schedule: string): number | undefined {
    const text = schedule.trim().replace(/ (UTC|[A-Z][A-Za-z_]+(\/[A-Za-z0-9_+-]+)+)$/, "");
    if (text === "hourly") return 1;
    if (text === "daily") return 24;
    if (text === "weekly") return 168;
    const time = /^(\d{1,2}):(\d{1,2})(:\d{1,2})?$/;
    const tokens = text.split(/ +/);
    if (tokens.length === 1 && time.test(tokens[0])) return 24;
    if (tokens.length === 2 && tokens[0] === "*-*-*" && time.test(tokens[1])) return 24;
    if (tokens.length === 2 && /^(mon|tue|wed|thu|fri|sat|sun)[a-z]*$/i.test(tokens[0]) && time.test(tokens[1])) return 168;
    return undefined;
}

/**
 * The heartbeat window: `syncHost.alarms.heartbeatHours` when given, else the schedule's interval
 * plus `maxRunHours` (a run may end that late), or `undefined` when the schedule's interval is not
 * fixed ({@link scheduleIntervalHours}).
 */
export function heartbeatHours(settings: { readonly schedule: string; readonly maxRunHours: number; readonly alarms: { readonly heartbeatHours?: number } }): number | undefined {
    if (settings.alarms.heartbeatHours !== undefined) {
        return settings.alarms.heartbeatHours;
    }
    const interval = scheduleIntervalHours(settings.schedule);
    return interval === undefined ? undefined : interval + settings.maxRunHours;
}

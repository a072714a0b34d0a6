/**
 * Pure rules of the stack's alarms (no Pulumi runtime, so config validation and the offline tools
 * load fast): CloudWatch's alarm-window limits and the heartbeat
 * window derived from the sync schedule. The alarms themselves are declared in `components/monitoring/alerts.ts`;
 * the metric names they watch are the host's own (`SYNC_METRICS` of `components/syncHost/userData.ts`).
 */

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

const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/** The weekdays (0 = Monday) of a systemd weekday list such as `Sat,Sun` or `Mon..Fri`, or undefined. */
function weekdaySet(spec: string): Set<number> | undefined {
    const day = (name: string) => WEEKDAYS.indexOf(name.slice(0, 3).toLowerCase());
    const days = new Set<number>();
    for (const item of spec.split(",")) {
        const [from, to] = item.split("..");
        const a = day(from);
        const b = to === undefined ? a : day(to);
        if (a < 0 || b < 0 || !/^[a-z]+$/i.test(from) || (to !== undefined && !/^[a-z]+$/i.test(to))) return undefined;
        for (let d = a; ; d = (d + 1) % 7) {
            days.add(d);
            if (d === b) break;
        }
    }
    return days;
}

/**
 * The longest interval between two runs of a systemd OnCalendar schedule in hours, for the forms
 * whose runs fall at one time of day: `hourly` (1), `daily` or one time a day such as
 * `*-*-* 02:00:00` / `02:00` (24), `weekly` (168), or weekdays and one time such as `Sun 03:00`
 * (168), `Sat,Sun 03:00` (144: Sunday to Saturday) or `Mon..Fri *-*-* 02:00` (72: Friday to
 * Monday). A trailing time zone (`UTC`, `CET`, `Europe/Berlin`; systemd.time(7)) is ignored. Other
 * expressions return `undefined` (then `syncHost.alarms.heartbeatHours` must be given).
 */
export function scheduleIntervalHours(schedule: string): number | undefined {
    const tokens = schedule.trim().split(/ +/);
    if (tokens.length > 1 && /^[A-Za-z][A-Za-z0-9_+/-]*$/.test(tokens[tokens.length - 1]) && !/^(mon|tue|wed|thu|fri|sat|sun)/i.test(tokens[tokens.length - 1])) {
        tokens.pop();
    }
    const text = tokens.join(" ");
    if (text === "hourly") return 1;
    if (text === "daily") return 24;
    if (text === "weekly") return 168;
    const time = /^(\d{1,2}):(\d{1,2})(:\d{1,2})?$/;
    if (!time.test(tokens[tokens.length - 1])) return undefined;
    const rest = tokens.slice(0, -1);
    if (rest.length > 0 && rest[rest.length - 1] === "*-*-*") rest.pop();
    if (rest.length === 0) return 24;
    if (rest.length !== 1) return undefined;
    const days = weekdaySet(rest[0]);
    if (days === undefined || days.size === 0) return undefined;
    const sorted = [...days].sort((x, y) => x - y);
    const gaps = sorted.map((d, i) => (i + 1 < sorted.length ? sorted[i + 1] - d : sorted[0] + 7 - d));
    return Math.max(...gaps) * 24;
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

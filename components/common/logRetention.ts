/**
 * CloudWatch Logs retention: the values the PutRetentionPolicy API accepts for `retentionInDays`
 * (CloudWatch Logs API Reference, PutRetentionPolicy). One list for every log group the stack
 * declares (the file system's `/aws/fsx/…` group, the sync host's group), read by config validation.
 */

/** Days a log group may keep events (PutRetentionPolicy `retentionInDays`). */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/**
 * Whether a number of days is a retention CloudWatch Logs accepts.
 *
 * @param days the proposed `retentionInDays`.
 */
export function isLogRetentionDays(days: number): boolean {
    return (LOG_RETENTION_DAYS as readonly number[]).includes(days);
}

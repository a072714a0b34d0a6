/**
 * Who the stack's alert topic (`components/monitoring/alerts.ts` Alerts) notifies, from the sections that
 * declare alarms: `replication.alarm.emails` (when replication is enabled) and
 * `syncHost.alarms.emails` (when the sync host is enabled).
 */
import type { ReplicationConfig } from "./replication";
import type { SyncHostConfig } from "./syncHost";

/** The parts of the project settings the alert addresses come from. */
export interface AlertInput {
    readonly replication: Pick<ReplicationConfig, "enabled" | "alarm">;
    readonly syncHost: Pick<SyncHostConfig, "enabled" | "alarms">;
}

/**
 * The alert topic's e-mail subscriptions, in order and without duplicates: replication's first
 * (their subscription indexes stay those the replication component gave them), then the sync host's.
 *
 * @returns `[]` when no enabled section alarms (then no topic is declared).
 */
export function alertEmails(cfg: AlertInput): string[] {
    const all = [...(cfg.replication.enabled ? (cfg.replication.alarm?.emails ?? []) : []), ...(cfg.syncHost.enabled ? cfg.syncHost.alarms.emails : [])];
    return [...new Set(all)];
}

/**
 * The stack's alerting: one SNS topic with e-mail subscriptions ({@link Alerts}) that every alarm of
 * the stack notifies (the failed-replication alarm of CrossAccountReplication, the sync host's
 * alarms of {@link SyncHostAlarms}), and the sync host's alarms on the metrics its scripts publish.
 *
 * Metrics (published by the host with `aws cloudwatch put-metric-data`): namespace
 * {@link SYNC_METRIC_NAMESPACE}, dimension `Stack` = `<project>-<stack>`:
 * `VerifiedRun` (1 per fully verified run — the heartbeat), `FailedRun` (1 per failed run),
 * `UnexportedFilesOverAge` (files not exported after `syncHost.alarms.unexportedAgeHours`),
 * `FreeCapacityPercent` (free space of the file system, percent).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { SYNC_METRIC_NAMESPACE, SYNC_METRICS } from "../syncHost/userData";
import { checkAlarmWindow, heartbeatHours, syncHostMetricStack } from "./alarmRules";
import type { StackContext } from "../common/stack";

/**
 * Where the topic and its subscriptions lived before {@link Alerts} owned them: children
 * `<name>-alerts` and `<name>-alert-email-<i>` of the component with this URN (the
 * CrossAccountReplication component named `replication`). Aliases keep those resources (and so the
 * topic ARN the e-mail subscriptions were confirmed for) instead of replacing them.
 */
export interface PreviousAlertOwner {
    /** URN of the previous parent component. */
    readonly parentUrn: pulumi.Input<string>;
    /** Its logical name (children were `<name>-alerts`, `<name>-alert-email-<i>`). */
    readonly name: string;
}

/** Arguments of {@link Alerts}. */
export interface AlertsArgs {
    /** E-mail addresses subscribed to the topic, in order (each must confirm the subscription); at least one. */
    readonly emails: readonly string[];
    /** The topic's display name (the e-mail sender name). Default `microbiome-backup alerts`. */
    readonly displayName?: string;
    /** Where the topic lived before (aliases); see {@link PreviousAlertOwner}. */
    readonly previousOwner?: PreviousAlertOwner;
}

/**
 * The first owner of the stack's alert topic: the CrossAccountReplication component `replication`
 * declared it (as `replication-alerts`, subscriptions `replication-alert-email-<i>`) before
 * {@link Alerts} existed. {@link Alerts.fromConfig} aliases to it so deployed stacks keep the topic.
 */
export const FIRST_ALERT_OWNER = { name: "replication", type: "microbiome-backup:replication:CrossAccountReplication" } as const;

/**
 * The {@link AlertsArgs} of the stack's alert addresses: one subscription per address, aliased to
 * the topic's first owner ({@link FIRST_ALERT_OWNER}) in the same project and stack.
 *
 * @param emails the stack's alert addresses (`config/alerts.ts` `alertEmails`), in order.
 * @returns `undefined` when there is no address (nothing alarms, so no topic).
 */
export function alertsArgs(emails: readonly string[]): AlertsArgs | undefined {
    if (emails.length === 0) {
        return undefined;
    }
    return { emails, previousOwner: { parentUrn: pulumi.createUrn(FIRST_ALERT_OWNER.name, FIRST_ALERT_OWNER.type), name: FIRST_ALERT_OWNER.name } };
}

/** The stack's alert topic and its e-mail subscriptions. */
export class Alerts extends pulumi.ComponentResource {
    /** The SNS topic every alarm of the stack notifies. */
    public readonly topic: aws.sns.Topic;
    /** Its ARN. */
    public readonly topicArn: pulumi.Output<string>;

    /**
     * The stack's alert topic when anything alarms ({@link alertsArgs}).
     *
     * @param name logical name (the stack uses `alerts`; a new name is a new topic, whose e-mail
     *   subscriptions must be confirmed again).
     * @param emails the stack's alert addresses (`config/alerts.ts` `alertEmails`), in order.
     * @param opts component options.
     * @returns `undefined` when `emails` is empty (nothing alarms, so no topic).
     */
    static fromConfig(name: string, emails: readonly string[], opts?: pulumi.ComponentResourceOptions): Alerts | undefined {
        const args = alertsArgs(emails);
        return args === undefined ? undefined : new Alerts(name, args, opts);
    }

    /**
     * @param name logical name; children are `${name}-topic` and `${name}-email-<i>`.
     * @param args see {@link AlertsArgs}.
     * @param opts component options.
     */
    constructor(name: string, args: AlertsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("microbiome-backup:monitoring:Alerts", name, {}, opts);
        const prev = args.previousOwner;
        this.topic = new aws.sns.Topic(
            `${name}-topic`,
            { displayName: args.displayName ?? "microbiome-backup alerts" },
            { parent: this, aliases: prev ? [{ name: `${prev.name}-alerts`, parent: prev.parentUrn }] : [] },
        );
        this.topicArn = this.topic.arn;
        args.emails.forEach((email, i) => {
            new aws.sns.TopicSubscription(
                `${name}-email-${i}`,
                { topic: this.topic.arn, protocol: "email", endpoint: email },
                { parent: this, aliases: prev ? [{ name: `${prev.name}-alert-email-${i}`, parent: prev.parentUrn }] : [] },
            );
        });
        this.registerOutputs({ topicArn: this.topicArn });
    }
}

/** Arguments of {@link SyncHostAlarms}. */
export interface SyncHostAlarmsArgs {
    /** The alert topic's ARN (alarm and OK actions). */
    readonly topicArn: pulumi.Input<string>;
    /** The metrics' `Stack` dimension, `<project>-<stack>` ({@link syncHostMetricStack}). */
    readonly stackDimension: string;
    /** Hours within which a verified run must report (`VerifiedRun`); the heartbeat alarm's period. 1–168. */
    readonly heartbeatHours: number;
    /** Free capacity (percent) below which the low-capacity alarm fires. */
    readonly freeCapacityPercent: number;
    /** Age in hours the host counts unexported files after (named in the alarm description). */
    readonly unexportedAgeHours: number;
}

/**
 * The validated `microbiome-backup:syncHost` section, as far as its alarms read it (`config/syncHost.ts`
 * `SyncHostConfig` has this shape).
 */
export interface SyncHostAlarmsSection {
    /** systemd OnCalendar expression of the sync runs (the heartbeat window follows it). */
    readonly schedule: string;
    /** Longest sync run, hours. */
    readonly maxRunHours: number;
    /** The alarms' settings: heartbeat hours (when the schedule has no fixed interval), free-capacity percent, unexported age in hours. */
    readonly alarms: { readonly heartbeatHours?: number; readonly freeCapacityPercent: number; readonly unexportedAgeHours: number };
}

/**
 * The {@link SyncHostAlarmsArgs} of a validated `syncHost` section.
 *
 * @param syncHost the validated `syncHost` section.
 * @param stack the stack settings (`project`, `stack`: the metrics' `Stack` dimension).
 * @param alerts the alert topic (an {@link Alerts}).
 * @throws Error when the schedule has no fixed interval and `alarms.heartbeatHours` is not set
 *   (config validation refuses that first: `config/crossChecks.ts`).
 */
export function syncHostAlarmsArgs(
    syncHost: SyncHostAlarmsSection,
    stack: Pick<StackContext, "project" | "stack">,
    alerts: { readonly topicArn: pulumi.Input<string> },
): SyncHostAlarmsArgs {
    const hours = heartbeatHours(syncHost);
    if (hours === undefined) {
        throw new Error(`sync host heartbeat alarm: the schedule ${JSON.stringify(syncHost.schedule)} has no fixed interval; set syncHost.alarms.heartbeatHours`);
    }
    return {
        topicArn: alerts.topicArn,
        stackDimension: syncHostMetricStack(stack.project, stack.stack),
        heartbeatHours: hours,
        freeCapacityPercent: syncHost.alarms.freeCapacityPercent,
        unexportedAgeHours: syncHost.alarms.unexportedAgeHours,
    };
}

/**
 * The sync host's alarms, all notifying the alert topic:
 * - `<name>-missing-heartbeat`: `VerifiedRun` Sum < 1 over `heartbeatHours`, missing data treated
 *   as breaching (a host that never reports, or is gone, alarms);
 * - `<name>-failed-run`: `FailedRun` Sum > 0 in 5 minutes;
 * - `<name>-unexported-files`: `UnexportedFilesOverAge` Maximum > 0 in an hour;
 * - `<name>-low-free-capacity`: `FreeCapacityPercent` Minimum < `freeCapacityPercent` in an hour.
 * The last three treat missing data as not breaching: a silent host is the heartbeat alarm's case.
 *
 * @throws Error when the heartbeat window exceeds CloudWatch's limits ({@link checkAlarmWindow};
 *   config validation refuses that first).
 */
export class SyncHostAlarms extends pulumi.ComponentResource {
    /** The alarms, by purpose. */
    public readonly alarms: {
        readonly heartbeat: aws.cloudwatch.MetricAlarm;
        readonly failedRun: aws.cloudwatch.MetricAlarm;
        readonly unexported: aws.cloudwatch.MetricAlarm;
        readonly freeCapacity: aws.cloudwatch.MetricAlarm;
    };

    /**
     * The sync host's alarms, from its validated `syncHost` section ({@link syncHostAlarmsArgs}).
     *
     * @param name logical name (the stack uses `sync-host-alarms`).
     * @param syncHost the validated `syncHost` section.
     * @param stack the stack settings (`project`, `stack`).
     * @param alerts the alert topic the alarms notify.
     * @param opts component options.
     * @throws Error when the schedule has no fixed interval and no `alarms.heartbeatHours` is set, or
     *   the heartbeat window exceeds CloudWatch's limits (config validation refuses both first).
     */
    static fromConfig(
        name: string,
        syncHost: SyncHostAlarmsSection,
        stack: Pick<StackContext, "project" | "stack">,
        alerts: { readonly topicArn: pulumi.Input<string> },
        opts?: pulumi.ComponentResourceOptions,
    ): SyncHostAlarms {
        return new SyncHostAlarms(name, syncHostAlarmsArgs(syncHost, stack, alerts), opts);
    }

    /**
     * @param name logical name; children are `${name}-<alarm>`.
     * @param args see {@link SyncHostAlarmsArgs}.
     * @param opts component options.
     * @throws Error when the heartbeat window exceeds CloudWatch's limits.
     */
    constructor(name: string, args: SyncHostAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("microbiome-backup:monitoring:SyncHostAlarms", name, {}, opts);
        const heartbeatPeriod = args.heartbeatHours * 3600;
        const problem = checkAlarmWindow(heartbeatPeriod, 1);
        if (problem) {
            throw new Error(`sync host heartbeat alarm: ${problem}`);
        }
        const common = {
            namespace: SYNC_METRIC_NAMESPACE,
            dimensions: { Stack: args.stackDimension },
            evaluationPeriods: 1,
            alarmActions: [args.topicArn],
            okActions: [args.topicArn],
        };
        const childOpts = { parent: this };
        this.alarms = {
            heartbeat: new aws.cloudwatch.MetricAlarm(
                `${name}-missing-heartbeat`,
                {
                    ...common,
                    alarmDescription: `${args.stackDimension}: no fully verified sync run reported (metric ${SYNC_METRICS.verifiedRun}) in ${args.heartbeatHours} h; see docs/synchost.md "Alarms"`,
                    metricName: SYNC_METRICS.verifiedRun,
                    statistic: "Sum",
                    period: heartbeatPeriod,
                    threshold: 1,
                    comparisonOperator: "LessThanThreshold",
                    treatMissingData: "breaching",
                },
                childOpts,
            ),
            failedRun: new aws.cloudwatch.MetricAlarm(
                `${name}-failed-run`,
                {
                    ...common,
                    alarmDescription: `${args.stackDimension}: a sync run failed (metric ${SYNC_METRICS.failedRun}); see the sync log and docs/synchost.md "Alarms"`,
                    metricName: SYNC_METRICS.failedRun,
                    statistic: "Sum",
                    period: 300,
                    threshold: 0,
                    comparisonOperator: "GreaterThanThreshold",
                    treatMissingData: "notBreaching",
                },
                childOpts,
            ),
            unexported: new aws.cloudwatch.MetricAlarm(
                `${name}-unexported-files`,
                {
                    ...common,
                    alarmDescription: `${args.stackDimension}: files in an exported path still not exported to S3 after ${args.unexportedAgeHours} h (metric ${SYNC_METRICS.unexportedFilesOverAge}); see docs/synchost.md "Alarms"`,
                    metricName: SYNC_METRICS.unexportedFilesOverAge,
                    statistic: "Maximum",
                    period: 3600,
                    threshold: 0,
                    comparisonOperator: "GreaterThanThreshold",
                    treatMissingData: "notBreaching",
                },
                childOpts,
            ),
            freeCapacity: new aws.cloudwatch.MetricAlarm(
                `${name}-low-free-capacity`,
                {
                    ...common,
                    alarmDescription: `${args.stackDimension}: the file system has less than ${args.freeCapacityPercent} % free capacity (metric ${SYNC_METRICS.freeCapacityPercent}); see docs/synchost.md "Alarms"`,
                    metricName: SYNC_METRICS.freeCapacityPercent,
                    statistic: "Minimum",
                    period: 3600,
                    threshold: args.freeCapacityPercent,
                    comparisonOperator: "LessThanThreshold",
                    treatMissingData: "notBreaching",
                },
                childOpts,
            ),
        };
        this.registerOutputs({});
    }
}

/**
 * Config section `microbiome-backup:syncHost` — the EC2 sync host that mounts the Lustre file
 * system and pulls remote data (SFTP servers, other S3 buckets) into it on a schedule.
 *
 * AWS rules are checked by the pure functions of `components/syncHost/rules.ts`.
 */
import { z } from "zod";
import { checkHostName, checkIpv4Cidr } from "../components/common/addressRules";
import {
    checkHostBandwidth,
    checkHostKey,
    checkInstanceType,
    checkOnCalendar,
    checkSources,
    DEFAULT_INSTANCE_TYPE,
    fileSystemBaselineMBps,
} from "../components/syncHost/rules";
import { SIZE_ESTIMATE_PLACEHOLDERS, sizeEstimatePaths, USER_DATA_LIMIT_BYTES, userDataSize } from "../components/syncHost/userData";
import { onCalendarToCron, RUN_MODES, runsPerMonth } from "../components/syncHost/schedule";
import { heartbeatHours, MAX_ALARM_EVALUATION_SECONDS } from "../components/monitoring/alarmRules";
import { bucketName, regionName } from "./common";
import type { RuleFinding } from "../components/common/problems";
import { addFindings } from "./report";
import { fitsS3KeyLength, S3_KEY_LENGTH_MESSAGE } from "../components/common/s3Keys";
import { isLogRetentionDays, LOG_RETENTION_DAYS } from "../components/common/logRetention";

/** Source names: they name files, scripts and log lines on the host. */
const sourceName = z
    .string({ message: "a source name: 1–40 lowercase letters, digits and hyphens, starting with a letter or digit" })
    .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, { message: "1–40 lowercase letters, digits and hyphens, starting with a letter or digit (it names files and log lines on the host)" });

/** Characters no path handed to the scripts may contain (they break line-based tools and unit files). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Where a source's files end up: an S3 key prefix of the backup bucket (`Analysis_2024/`, or `""`
 * for the bucket root when the remote tree is already laid out as `Analysis_<year>/<project>/…`).
 * The Lustre directory is derived from the data repository association that covers the prefix
 * (a DRA maps its file system path 1:1 to its S3 prefix; FSx for Lustre User Guide "Linking your
 * file system to an Amazon S3 bucket"), see `config/syncPaths.ts`. Normalised to end with `/`
 * (or `""`).
 */
const destination = z
    .string({ message: "an S3 key prefix of the backup bucket the source's files land under, e.g. Analysis_2024/ (or \"\" for the bucket root)" })
    .refine(fitsS3KeyLength, { message: S3_KEY_LENGTH_MESSAGE })
    .superRefine((p, ctx) => {
        if (p.startsWith("/") || p.startsWith("s3://")) {
            ctx.addIssue({ code: "custom", message: "a key prefix inside the backup bucket without s3:// or a leading /, e.g. Analysis_2024/ (the bucket is bucket.name)" });
        } else if (p.replace(/\/+$/, "").includes("//")) {
            ctx.addIssue({ code: "custom", message: "no empty segments (//): a Lustre directory cannot map them" });
        } else if (p.split("/").some((s) => s === ".." || s === ".")) {
            ctx.addIssue({ code: "custom", message: "no . or .. segments: the prefix names a directory on the file system 1:1" });
        } else if (CONTROL.test(p)) {
            ctx.addIssue({ code: "custom", message: "no control characters (newlines, tabs) in prefixes" });
        }
    })
    .transform((p) => (p === "" || p.endsWith("/") ? p : `${p}/`));

/** A Secrets Manager secret ARN (complete, with the 6-character suffix Secrets Manager appends). */
const secretArn = z
    .string({ message: "the ARN of the Secrets Manager secret holding the SSH private key" })
    .regex(/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}$/, {
        message:
            "the complete Secrets Manager secret ARN, arn:aws:secretsmanager:<region>:<account-id>:secret:<name>-<6 characters> " +
            "(aws secretsmanager describe-secret --secret-id <name> --query ARN); the instance role may read exactly this secret",
    });

/** An SFTP source: a directory on a remote server, pulled with lftp mirror (or rsync over ssh). */
const sftpSource = z.strictObject({
    type: z.literal("sftp"),
    /** Unique name. */
    name: sourceName,
    /** DNS name or IPv4 address of the server. */
    host: z.string({ message: "the SFTP server's DNS name or IPv4 address" }).superRefine((h, ctx) => {
        const problem = checkHostName(h);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
    /** TCP port. Default 22. */
    port: z.number({ message: "a TCP port number" }).int().min(1).max(65535, { message: "a TCP port, 1–65535" }).default(22),
    /** Login user. */
    user: z
        .string({ message: "the login user on the SFTP server" })
        .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/, { message: "a login name: letters, digits, _ . - (at most 64)" }),
    /** Absolute directory on the server to copy from. */
    remotePath: z
        .string({ message: "the absolute directory on the server to copy from, e.g. /data/runs" })
        .superRefine((p, ctx) => {
            if (!p.startsWith("/")) {
                ctx.addIssue({ code: "custom", message: "must be an absolute path on the server, starting with / (e.g. /data/runs); a relative path depends on the login directory" });
            } else if (CONTROL.test(p)) {
                ctx.addIssue({ code: "custom", message: "no control characters (newlines, tabs) in paths" });
            }
        }),
    destination,
    /** Pinned host key, `<type> <base64>`. */
    hostKey: z
        .string({ message: "the server's host key, pinned (\"ssh-ed25519 AAAA…\" from ssh-keyscan -t ed25519 <host>); the host refuses unknown keys" })
        .superRefine((k, ctx) => {
            const problem = checkHostKey(k);
            if (problem) ctx.addIssue({ code: "custom", message: problem });
        }),
    /** Secrets Manager ARN of the private key (OpenSSH format, the whole SecretString). */
    privateKeySecretArn: secretArn,
    /** Transfer tool: `lftp` (SFTP protocol, works on sftp-only servers; default) or `rsync` (needs rsync and a shell on the server). */
    tool: z.enum(["lftp", "rsync"], { message: "lftp (SFTP protocol; default) or rsync (rsync over ssh; the server needs rsync and a shell)" }).default("lftp"),
    /** CIDR the security group lets the host reach on `port`. Default: the host's /32 when it is an IPv4 address, else 0.0.0.0/0. */
    egressCidr: z
        .string({ message: "an IPv4 CIDR block such as 203.0.113.10/32" })
        .superRefine((c, ctx) => {
            const problem = checkIpv4Cidr(c);
            if (problem) ctx.addIssue({ code: "custom", message: problem });
        })
        .optional(),
});

/** An S3 source: another bucket (e.g. in another account), pulled with aws s3 sync. */
const s3Source = z
    .strictObject({
        type: z.literal("s3"),
        /** Unique name. */
        name: sourceName,
        /** Bucket name, or an `s3://bucket/prefix` URI (then `prefix` must be omitted). */
        bucket: z.string({ message: "the source bucket name or an s3://bucket/prefix URI" }),
        /** Key prefix to copy (no leading slash). Default: the whole bucket. */
        prefix: z
            .string()
            .refine((p) => !p.startsWith("/"), { message: "an S3 key prefix, without a leading slash" })
            .refine((p) => !CONTROL.test(p), { message: "no control characters" })
            .optional(),
        destination,
        /** The source bucket's Region, when it differs from the stack's. */
        region: regionName.optional(),
        /** The bucket is Requester Pays (the stack's account pays the transfer). Default false. */
        requesterPays: z.boolean().default(false),
    })
    .transform((s, ctx) => {
        const uri = /^s3:\/\/([^/]+)\/?(.*)$/.exec(s.bucket);
        const name = uri ? uri[1] : s.bucket;
        const prefix = uri ? uri[2] : (s.prefix ?? "");
        if (uri && s.prefix !== undefined) {
            ctx.addIssue({ code: "custom", path: ["prefix"], message: "give the prefix either in the s3:// URI of bucket or here, not both" });
        }
        const check = bucketName.safeParse(name);
        if (!check.success) {
            ctx.addIssue({ code: "custom", path: ["bucket"], message: check.error.issues[0]?.message ?? "not a bucket name" });
        }
        return { ...s, bucket: name, prefix };
    });

/** One source: `type` selects the shape. */
const source = z.discriminatedUnion("type", [sftpSource, s3Source], {
    error: (issue) =>
        issue.code === "invalid_union"
            ? "unknown source type: type must be sftp (a directory on an SFTP server) or s3 (another S3 bucket)"
            : undefined,
});


const cloudWatchLogs = z
    .strictObject({
        /** Ship the sync log (and cloud-init's output) to CloudWatch Logs with the CloudWatch agent. Default false (journal only). */
        enabled: z.boolean().default(false),
        /** Retention of the log group in days. Default 90. */
        retentionInDays: z
            .number()
            .refine(isLogRetentionDays, {
                message: `a CloudWatch Logs retention: ${LOG_RETENTION_DAYS.join(", ")} (PutRetentionPolicy)`,
            })
            .default(90),
    })
    .default({ enabled: false, retentionInDays: 90 });

/**
 * Releasing exported file data from the file system's SSD (the file stays visible; its data is read
 * back from S3 on access). FSx for Lustre User Guide "Releasing data from your file system":
 * PERSISTENT_2 with a DRA supports release data repository tasks and `lfs hsm_release`; only files
 * whose HSM state is `exists archived` (exported) are released, never a file not yet exported.
 */
const release = z
    .strictObject({
        /** Release file data once exported. Default true (otherwise the 1.2 TiB SSD fills during the migration). */
        enabled: z.boolean({ message: "true or false" }).default(true),
    })
    .default({ enabled: true });

/**
 * Sync-host alarms (declared by the stack, notifying the stack's alert topic — see
 * `components/monitoring/alerts.ts`); the host publishes the metrics they watch (namespace
 * `MicrobiomeBackup/SyncHost`, dimension `Stack`).
 */
const alarms = z
    .strictObject({
        /** Extra e-mail addresses subscribed to the stack's alert topic (besides replication.alarm.emails). Default none. */
        emails: z.array(z.email({ message: "an e-mail address" })).default([]),
        /**
         * Hours within which a fully verified run must report its heartbeat (metric `VerifiedRun`)
         * before the missing-heartbeat alarm fires. Default: the schedule's interval plus
         * `maxRunHours` (known for daily/weekly/hourly schedules; required for other schedules).
         * At most 168 h: a CloudWatch alarm's Period × EvaluationPeriods is at most 7 days
         * (CloudWatch API Reference, PutMetricAlarm "Period").
         */
        heartbeatHours: z
            .number({ message: "a whole number of hours, 1–168" })
            .int({ message: "a whole number of hours, 1–168" })
            .min(1, { message: "1–168 hours" })
            .max(168, { message: "at most 168 hours: a CloudWatch alarm evaluates at most 7 days (Period × EvaluationPeriods ≤ 604,800 s; CloudWatch API Reference, PutMetricAlarm)" })
            .optional(),
        /** Age in hours after which a file moved into an exported path but still not exported counts (metric `UnexportedFilesOverAge`). Default 24. */
        unexportedAgeHours: z.number({ message: "a whole number of hours, 1 or more" }).int({ message: "a whole number of hours, 1 or more" }).min(1, { message: "1 or more hours" }).default(24),
        /** Free capacity of the file system, percent, below which the low-capacity alarm fires (metric `FreeCapacityPercent`). Default 10. */
        freeCapacityPercent: z.number({ message: "a percentage, 1–99" }).min(1, { message: "1–99 percent" }).max(99, { message: "1–99 percent" }).default(10),
    })
    .default({ emails: [], unexportedAgeHours: 24, freeCapacityPercent: 10 });

/** Schema of `microbiome-backup:syncHost`. */
export const syncHostSection = z
    .strictObject({
        /** Declare the sync host. Default false. */
        enabled: z.boolean().default(false),
        /** EC2 instance type (x86_64). Default c6in.large (3.125 Gbps baseline). */
        instanceType: z
            .string({ message: "an EC2 instance type such as c6in.large" })
            .superRefine((t, ctx) => {
                const problem = checkInstanceType(t);
                if (problem) ctx.addIssue({ code: "custom", message: problem });
            })
            .default(DEFAULT_INSTANCE_TYPE),
        /** Root volume size, GiB (encrypted gp3). Default 16; at least the AMI's 8 GiB. */
        rootVolumeSizeGiB: z
            .number()
            .int()
            .min(8, { message: "at least 8 GiB: the Amazon Linux 2023 AMI's root snapshot is 8 GiB" })
            .max(16384, { message: "at most 16384 GiB (gp3 limit)" })
            .default(16),
        /** systemd OnCalendar expression of the sync timer (UTC unless a time zone is given). Default `*-*-* 02:00:00`. */
        schedule: z
            .string()
            .superRefine((s, ctx) => {
                const problem = checkOnCalendar(s);
                if (problem) ctx.addIssue({ code: "custom", message: problem });
            })
            .default("*-*-* 02:00:00"),
        /** Mount point of the Lustre file system. Default /fsx. */
        mountPoint: z
            .string()
            .regex(/^\/[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/, {
                message: "an absolute directory of letters, digits, . _ - (it goes into /etc/fstab and systemd units), e.g. /fsx",
            })
            .refine((p) => !/^\/(bin|boot|dev|etc|lib|lib64|proc|root|run|sbin|sys|tmp|usr|var)(\/|$)/.test(p), {
                message: "not inside a system directory; use a directory of its own such as /fsx",
            })
            .default("/fsx"),
        cloudWatchLogs,
        /**
         * Turn on EBS encryption by default for the account in this Region (aws.ebs.EncryptionByDefault,
         * Security Hub EC2.7). Account-wide: exactly one stack per account and Region should set it.
         * Default false (the host's own root volume is encrypted either way).
         */
        ebsEncryptionByDefault: z.boolean().default(false),
        /**
         * `always-on` (default): the instance runs around the clock and a systemd timer starts each
         * sync. `scheduled-start`: EventBridge Scheduler starts the stopped instance, it runs one sync
         * and powers itself off (docs/synchost.md "Pay only while working").
         */
        runMode: z.enum(RUN_MODES, { message: `one of ${RUN_MODES.join(", ")}` }).default("always-on"),
        /** Settings of the scheduled-start mode (the run's time limit is `maxRunHours`). */
        scheduledStart: z
            .strictObject({
                /**
                 * EventBridge Scheduler expression, UTC: `cron(min hour day-of-month month day-of-week year)`
                 * or `rate(…)`. Default: `schedule` converted (daily `*-*-* HH:MM` and weekday forms).
                 */
                scheduleExpression: z
                    .string()
                    .refine((e) => runsPerMonth(e) !== undefined, {
                        message: "an EventBridge Scheduler expression such as cron(0 2 * * ? *) or rate(1 day) (EventBridge Scheduler User Guide, \"Schedule types\")",
                    })
                    .optional(),
            })
            .default({}),
        /**
         * Expected volume of the migration (the data the sources will pull in, GiB). Used by the
         * capacity warning: more than fsx.storageCapacity with release off means the file system
         * fills. Optional (no estimate = no warning).
         */
        expectedMigrationGiB: z.number({ message: "a number of GiB, 0 or more" }).min(0, { message: "0 or more GiB" }).optional(),
        /** Maximum run time of one sync run, hours (systemd `RuntimeMaxSec=`); a run that reaches it is stopped and fails. Default 20. */
        maxRunHours: z.number({ message: "a whole number of hours, 1–168" }).int({ message: "a whole number of hours, 1–168" }).min(1, { message: "1–168 hours" }).max(168, { message: "1–168 hours" }).default(20),
        /** Skip files modified in the last N minutes (still being written, e.g. by a sequencer). Default 60. */
        settleMinutes: z.number({ message: "a whole number of minutes, 0 or more" }).int({ message: "a whole number of minutes, 0 or more" }).min(0, { message: "0 or more minutes" }).default(60),
        /**
         * A run folder is pulled only once it contains this file (the sequencer's completion
         * marker, e.g. Illumina's `CopyComplete.txt`). Optional: without it only `settleMinutes` applies.
         */
        completionMarker: z
            .string()
            .regex(/^[A-Za-z0-9._-]{1,255}$/, { message: "a file name (letters, digits, . _ -), e.g. CopyComplete.txt" })
            .optional(),
        release,
        alarms,
        /** What to pull, in order. Default none (the host only mounts the file system). */
        sources: z.array(source).max(20, { message: "at most 20 sources (the rendered user data must stay below EC2's 16 KB)" }).default([]),
    })
    .superRefine((s, ctx) => {
        if (s.runMode === "scheduled-start" && s.scheduledStart.scheduleExpression === undefined && onCalendarToCron(s.schedule) === undefined) {
            ctx.addIssue({
                code: "custom",
                path: ["scheduledStart", "scheduleExpression"],
                message: `required with runMode scheduled-start: schedule ${JSON.stringify(s.schedule)} is not a daily "*-*-* HH:MM" (or "Mon,Fri *-*-* HH:MM") form that converts to an EventBridge Scheduler cron expression; give one such as cron(0 2 * * ? *)`,
            });
        }
        addFindings(ctx, checkSources(s.sources).errors.map((f) => ({ ...f, path: ["sources", ...f.path] })));
        // The missing-heartbeat alarm's period: one CloudWatch evaluation of at most 7 days.
        if (s.enabled) {
            const hours = heartbeatHours(s);
            if (hours === undefined) {
                ctx.addIssue({
                    code: "custom",
                    path: ["alarms", "heartbeatHours"],
                    message: `required for the schedule ${JSON.stringify(s.schedule)}: its interval is not fixed (hourly, daily or one time a day, weekly or one weekday and time are); give the hours within which a verified run must report, 1–168`,
                });
            } else if (hours * 3600 > MAX_ALARM_EVALUATION_SECONDS) {
                ctx.addIssue({
                    code: "custom",
                    path: ["maxRunHours"],
                    message: `the schedule's interval plus maxRunHours is ${hours} h, above the 168 h a CloudWatch alarm can evaluate (Period × EvaluationPeriods ≤ 604,800 s; CloudWatch API Reference, PutMetricAlarm): lower maxRunHours or set alarms.heartbeatHours`,
                });
            }
        }
        // EC2 user data is limited to 16 KB: render it with the longest plausible FSx/bucket values.
        // (zod runs this refinement even when entries are invalid; those are reported already.)
        let size = 0;
        try {
            size = userDataSize({
                ...SIZE_ESTIMATE_PLACEHOLDERS,
                mountPoint: s.mountPoint,
                schedule: s.schedule,
                sources: s.sources.map((src) => ({ ...src, ...sizeEstimatePaths(s.mountPoint, src.name) })),
                cloudWatchLogGroup: s.cloudWatchLogs.enabled ? SIZE_ESTIMATE_PLACEHOLDERS.cloudWatchLogGroup : undefined,
            });
        } catch {
            return;
        }
        if (size > USER_DATA_LIMIT_BYTES) {
            ctx.addIssue({
                code: "custom",
                path: ["sources"],
                message: `these sources make the host's user data about ${size} bytes, above EC2's ${USER_DATA_LIMIT_BYTES}-byte user data limit: configure fewer sources or shorter paths`,
            });
        }
    })
    .default({
        enabled: false,
        instanceType: DEFAULT_INSTANCE_TYPE,
        rootVolumeSizeGiB: 16,
        schedule: "*-*-* 02:00:00",
        mountPoint: "/fsx",
        cloudWatchLogs: { enabled: false, retentionInDays: 90 },
        ebsEncryptionByDefault: false,
        runMode: "always-on",
        scheduledStart: {},
        maxRunHours: 20,
        settleMinutes: 60,
        release: { enabled: true },
        alarms: { emails: [], unexportedAgeHours: 24, freeCapacityPercent: 10 },
        sources: [],
    });

/** Validated `microbiome-backup:syncHost`. */
export type SyncHostConfig = z.output<typeof syncHostSection>;

/** A validated source entry. */
export type SyncSourceConfig = SyncHostConfig["sources"][number];

/** Reads a positive number at `key` of an unknown object, or `undefined`. */
function positiveNumber(obj: unknown, key: string): number | undefined {
    if (obj === null || typeof obj !== "object") return undefined;
    const v = (obj as Record<string, unknown>)[key];
    return typeof v === "number" && v > 0 ? v : undefined;
}

/**
 * The parts of the configuration {@link syncHostWarnings} reads: the `syncHost` section, and the
 * `fsx` section as an unknown value (only its `storageCapacity` and `perUnitStorageThroughput`
 * numbers, when present). The whole stack configuration is one.
 */
export interface SyncHostWarningsInput {
    /** The validated `syncHost` section. */
    readonly syncHost: SyncHostConfig;
    /** The `fsx` section, read defensively: any shape (or none) is accepted. */
    readonly fsx?: unknown;
}

/**
 * Warnings for a valid `syncHost` section (paths relative to the section): the instance type's
 * baseline bandwidth below the file system's baseline throughput. The `fsx` section is read
 * defensively (`storageCapacity` GiB and `perUnitStorageThroughput` MB/s/TiB, when present), so
 * this works whatever shape that section has.
 */
export function syncHostWarnings(config: SyncHostWarningsInput): RuleFinding[] {
    const host = config.syncHost;
    if (!host.enabled) {
        return [];
    }
    const fsx: unknown = config.fsx;
    const capacity = positiveNumber(fsx, "storageCapacity");
    const perUnit = positiveNumber(fsx, "perUnitStorageThroughput");
    if (capacity === undefined || perUnit === undefined) {
        return [];
    }
    return checkHostBandwidth(host.instanceType, fileSystemBaselineMBps(capacity, perUnit)).warnings;
}

/**
 * Config section `microbiome-backup:replication` — cross-account replication of the backup bucket
 * to a disaster-recovery (DR) bucket owned by a second AWS account.
 *
 * Two modes: `managed` (this stack declares the DR bucket in the DR account through a second AWS
 * provider that assumes `managed.deployRoleArn`) and `external` (another team owns the DR bucket;
 * the stack outputs the bucket policy they must apply). See docs/replication.md.
 */
import { z } from "zod";
import {
    checkCrossAccount,
    checkKeyLocation,
    checkObjectLockRetention,
    parseBucketReference,
    REPLICA_MIN_STORAGE_DAYS,
    REPLICA_STORAGE_CLASSES,
} from "../components/replication/rules";
import { checkTiers, isArchiveStorageClass, STORAGE_CLASS_FACTS } from "../components/bucket/lifecycle";
import { lifecycleTierSchema, transitionDefaultMinimumObjectSizeSchema } from "./bucket";
import { accountId, bucketName, days, regionName, roleArn, s3KeyPrefix } from "./common";
import { nestFindings, Problem, RuleFinding } from "../components/common/problems";
import { addFindings } from "./report";
import type { ArchiveHoldState } from "../components/bucket/backupBucket";
import { ConfigError } from "./configError";

/** The replica's destination. */
const destination = z.strictObject({
    /** DR account id, 12 digits, different from `sourceAccountId`. API name: Destination.Account. */
    account: accountId,
    /** DR bucket name or ARN (`arn:aws:s3:::<name>`). API name: Destination.Bucket. */
    bucket: z.string({ message: "the DR bucket's name or ARN (arn:aws:s3:::<name>)" }),
    /** DR bucket Region (a different Region from the source also satisfies Security Hub S3.7). */
    region: regionName,
    /** Storage class of the replicas. Default DEEP_ARCHIVE (cheapest; restore needed, up to 48 h). */
    storageClass: z
        .enum(REPLICA_STORAGE_CLASSES, { message: `a replica storage class: ${REPLICA_STORAGE_CLASSES.join(", ")} (S3 API Destination.StorageClass)` })
        .default("DEEP_ARCHIVE"),
    /**
     * Customer managed KMS key in the DR account and Region that replicas of SSE-KMS objects are
     * encrypted with. Required exactly when the backup bucket uses `aws:kms`. API name:
     * EncryptionConfiguration.ReplicaKmsKeyID.
     */
    replicaKmsKeyId: z.string().optional(),
});

/** The DR bucket's own lifecycle (managed mode). */
const drLifecycle = z
    .strictObject({
        /** Current-version transitions. Default none: replicas are written in `destination.storageClass`. */
        tiers: z.array(lifecycleTierSchema).default([]),
        noncurrentVersions: z
            .strictObject({
                /** Noncurrent-version transitions. Default none. */
                tiers: z.array(lifecycleTierSchema).default([]),
                /** Days after which a noncurrent version is deleted for good. Default 365. */
                expireAfterDays: days(1).default(365),
                /** Newest noncurrent versions kept regardless of age, 0–100. Default 0. */
                keepNewest: z.number().int().min(0).max(100, { message: "S3 keeps at most 100 newer noncurrent versions" }).default(0),
            })
            .default({ tiers: [], expireAfterDays: 365, keepNewest: 0 }),
        /** Days after which incomplete multipart uploads are aborted. Default 7. */
        abortIncompleteMultipartUploadDays: days(1).default(7),
        /** S3 TransitionDefaultMinimumObjectSize. Default all_storage_classes_128K. */
        transitionDefaultMinimumObjectSize: transitionDefaultMinimumObjectSizeSchema,
    })
    .superRefine((lc, ctx) => {
        addFindings(ctx, nestFindings(checkTiers(lc.tiers), ["tiers"]));
        addFindings(ctx, nestFindings(checkTiers(lc.noncurrentVersions.tiers, lc.noncurrentVersions.expireAfterDays), ["noncurrentVersions", "tiers"]));
    });

const DEFAULT_DR_LIFECYCLE = {
    tiers: [],
    noncurrentVersions: { tiers: [], expireAfterDays: 365, keepNewest: 0 },
    abortIncompleteMultipartUploadDays: 7,
    transitionDefaultMinimumObjectSize: "all_storage_classes_128K" as const,
};

/** Managed mode: the DR bucket declared by this stack in the DR account. */
const managed = z.strictObject({
    /** Role in the DR account the second AWS provider assumes to declare the DR bucket (`pulumi up`). Required. */
    deployRoleArn: roleArn,
    /**
     * Read-only role in the DR account the second provider assumes instead when the program runs
     * with `MICROBIOME_BACKUP_DR_ROLE=preview` (the pull-request preview of prod; see
     * {@link selectDrProviderRole}). Permissions: `drPreviewRolePolicyJson`. Optional; required for
     * that mode.
     */
    previewRoleArn: roleArn.optional(),
    /** The DR bucket's lifecycle: noncurrent-version expiry, expired delete markers, aborted uploads. */
    lifecycle: drLifecycle.default(DEFAULT_DR_LIFECYCLE),
    /** Optional default Object Lock retention (GOVERNANCE); the DR bucket is then created with Object Lock. */
    objectLock: z
        .strictObject({
            /** Only GOVERNANCE is accepted. */
            mode: z.string(),
            /** Default retention in days, 1–36500. */
            days: z.number({ message: "a whole number of days" }),
        })
        .superRefine((ol, ctx) => addFindings(ctx, checkObjectLockRetention(ol)))
        .optional(),
});

/** External mode: the DR bucket belongs to another team. */
const external = z.strictObject({
    /**
     * Set to true once the DR bucket's owners applied the `drBucketPolicyJson` stack output and
     * enabled versioning. Until then the replication configuration is not declared (S3 would refuse
     * it). Default false.
     */
    destinationReady: z.boolean().default(false),
});

/** Failed-replication alarm. */
const alarm = z.strictObject({
    /** E-mail addresses subscribed to the alarm's SNS topic (each must confirm the subscription). */
    emails: z
        .array(z.email({ message: "an e-mail address" }))
        .min(1, { message: "at least one e-mail address: replication failures must reach someone" })
        .superRefine((emails, ctx) => {
            emails.forEach((e, i) => {
                const first = emails.findIndex((o) => o.toLowerCase() === e.toLowerCase());
                if (first < i) {
                    ctx.addIssue({
                        code: "custom",
                        path: [i],
                        message: `the same address as emails[${first}] (e-mail addresses are compared without case): each address gets one SNS subscription, list it once`,
                    });
                }
            });
        }),
    /** Alarm period in seconds: 60, 300, 900 or 3600. Default 300. */
    periodSeconds: z
        .union([z.literal(60), z.literal(300), z.literal(900), z.literal(3600)], { message: "60, 300, 900 or 3600 seconds" })
        .default(300),
});

/** S3 Batch Operations job id (S3 Control API `DescribeJob` JobId: 5–36 characters of `[a-zA-Z0-9_-]`). */
export const batchJobId = z.string({ message: "the S3 Batch Operations job id" }).regex(/^[A-Za-z0-9_-]{5,36}$/, {
    message: "an S3 Batch Operations job id: 5–36 letters, digits, - or _ (S3 Control API DescribeJob JobId)",
});

/**
 * The record that the backfill of the objects which existed before replication is complete:
 * written with the commands `npm run backfill:replication -- --status` prints once the Batch
 * Replication job is Complete with no failed task. Releases the archive-transition hold.
 */
const backfill = z.strictObject({
    /** Id of the S3 Batch Replication job that completed with no failed task. */
    completedJobId: batchJobId,
    /** Day the job completed, `YYYY-MM-DD` (UTC). */
    completedAt: z.iso.date({ message: "a date YYYY-MM-DD (the day the job completed)" }),
});

/** Schema of `microbiome-backup:replication`. */
export const replicationSection = z
    .strictObject({
        /** Replicate the backup bucket to the DR bucket. Default false. */
        enabled: z.boolean({ message: "true or false" }).default(false),
        /** `managed` (this stack declares the DR bucket) or `external` (another team owns it). Required when enabled. */
        mode: z.enum(["managed", "external"], { message: "managed or external" }).optional(),
        /**
         * The main (source) account id, 12 digits. Pulumi config cannot know it offline; the stack
         * compares it with the deploying credentials' account at deploy time. Required when enabled.
         */
        sourceAccountId: accountId.optional(),
        destination: destination.optional(),
        /** Replication rule id. Default `dr-replication`. */
        ruleId: z.string().min(1).max(255, { message: "at most 255 characters (S3 ReplicationRule.ID)" }).default("dr-replication"),
        /** Rule priority (S3 ReplicationRule.Priority). Default 1. */
        priority: z.number().int().min(0).default(1),
        /** Replicate only keys under this prefix (S3 filter prefix). Omitted = the whole bucket. */
        prefix: s3KeyPrefix.optional(),
        /** Replicate delete markers. Default Disabled: a delete in the main account never hides the DR copy. */
        deleteMarkerReplication: z.enum(["Enabled", "Disabled"], { message: "Enabled or Disabled" }).default("Disabled"),
        /** S3 Replication Time Control (15-minute SLA, billed per GB). Default Disabled. */
        replicationTime: z.enum(["Enabled", "Disabled"], { message: "Enabled or Disabled" }).default("Disabled"),
        alarm: alarm.optional(),
        /**
         * Completion record of the Batch Replication backfill (`{ completedJobId, completedAt }`).
         * Until it is set, an adopted bucket's GLACIER / DEEP_ARCHIVE transitions are held
         * ({@link archiveHold}). Default none.
         */
        backfill: backfill.optional(),
        managed: managed.optional(),
        external: external.optional(),
    })
    .default({ enabled: false, ruleId: "dr-replication", priority: 1, deleteMarkerReplication: "Disabled", replicationTime: "Disabled" })
    .superRefine((r, ctx) => {
        if (!r.enabled) {
            return;
        }
        const required = (key: string, what: string) => ctx.addIssue({ code: "custom", path: [key], message: `required when enabled: ${what}` });
        if (!r.mode) required("mode", "managed or external");
        if (!r.sourceAccountId) required("sourceAccountId", "the main account's 12-digit id");
        if (!r.destination) required("destination", "{ account, bucket, region } of the DR bucket");
        if (!r.alarm) required("alarm", "{ emails: [...] } to notify on failed replication");
        if (r.mode === "managed" && !r.managed) required("managed", "{ deployRoleArn } of the DR account's deploy role");
        if (r.mode === "managed" && r.external) {
            ctx.addIssue({ code: "custom", path: ["external"], message: "only allowed with mode external" });
        }
        if (r.mode === "external" && r.managed) {
            ctx.addIssue({ code: "custom", path: ["managed"], message: "only allowed with mode managed (in external mode the DR bucket's owners manage it)" });
        }
        const dest = r.destination;
        if (!dest) {
            return;
        }
        const ref = parseBucketReference(dest.bucket);
        if (!ref) {
            ctx.addIssue({ code: "custom", path: ["destination", "bucket"], message: "a bucket name or a bucket ARN arn:aws:s3:::<name> (no Region, account or key in a bucket ARN)" });
        } else {
            const name = bucketName.safeParse(ref.name);
            if (!name.success) {
                ctx.addIssue({ code: "custom", path: ["destination", "bucket"], message: name.error.issues[0]?.message ?? "not a valid S3 bucket name" });
            }
        }
        if (r.sourceAccountId) {
            addFindings(ctx, checkCrossAccount(r.sourceAccountId, dest.account));
        }
        if (r.managed) {
            const roles: [string, string | undefined][] = [
                ["deployRoleArn", r.managed.deployRoleArn],
                ["previewRoleArn", r.managed.previewRoleArn],
            ];
            for (const [key, arn] of roles) {
                const roleAccount = arn === undefined ? undefined : /^arn:aws[a-z-]*:iam::(\d{12}):/.exec(arn)?.[1];
                if (roleAccount && roleAccount !== dest.account) {
                    ctx.addIssue({
                        code: "custom",
                        path: ["managed", key],
                        message: `must be a role in the DR account ${dest.account} (it is in ${roleAccount}): the second provider declares the DR bucket there`,
                    });
                }
            }
            if (r.managed.previewRoleArn !== undefined && r.managed.previewRoleArn === r.managed.deployRoleArn) {
                ctx.addIssue({
                    code: "custom",
                    path: ["managed", "previewRoleArn"],
                    message: "must differ from deployRoleArn: the preview role is the read-only one (drPreviewRolePolicyJson) that a pull-request preview may assume",
                });
            }
        }
        if (dest.replicaKmsKeyId !== undefined) {
            addFindings(ctx, nestFindings(checkKeyLocation(dest.replicaKmsKeyId, dest.account, dest.region, "replica key"), ["destination", "replicaKmsKeyId"]));
        }
    });

/** Validated `microbiome-backup:replication`. */
export type ReplicationConfig = z.output<typeof replicationSection>;

/** A validated replication section with replication enabled: every field it needs is present. */
export type EnabledReplicationConfig = ReplicationConfig & {
    enabled: true;
    mode: "managed" | "external";
    sourceAccountId: string;
    destination: NonNullable<ReplicationConfig["destination"]>;
    alarm: NonNullable<ReplicationConfig["alarm"]>;
};

/** True when replication is enabled (the schema then guarantees mode, accounts, destination and alarm). */
export function isReplicationEnabled(r: ReplicationConfig): r is EnabledReplicationConfig {
    return r.enabled && r.mode !== undefined && r.sourceAccountId !== undefined && r.destination !== undefined && r.alarm !== undefined;
}

/**
 * Whether the stack declares the replication configuration on the backup bucket: replication is
 * enabled, and in external mode the DR bucket's owners are ready (`external.destinationReady`; until
 * then the configuration would fail, so it is not declared). What the data-flow report, the
 * backfill (Batch Replication needs the configuration) and the adoption pre-flight read.
 *
 * @param r the validated `replication` section.
 */
export function replicationConfigurationDeclared(r: ReplicationConfig): r is EnabledReplicationConfig {
    return isReplicationEnabled(r) && (r.mode === "managed" || (r.external?.destinationReady ?? false));
}

/**
 * The parts of the configuration {@link replicationWarnings} reads: the `replication` section and
 * the stack's Region (compared with the DR bucket's). The whole stack configuration is one.
 */
export interface ReplicationWarningsInput {
    /** `aws:region`, the backup bucket's Region. */
    readonly region: string;
    /** The validated `replication` section. */
    readonly replication: ReplicationConfig;
}

/**
 * Warnings for a valid `replication` section (paths relative to the section):
 * - delete-marker replication Enabled (a delete in the main account then hides the object in the DR copy);
 * - DR bucket in the stack's own Region (one regional outage hits both copies; Security Hub S3.7);
 * - DR noncurrent versions expiring before the replica class's minimum storage duration (early-deletion charge);
 * - Object Lock retention longer than the noncurrent-version expiry (locked versions are kept until retention ends);
 * - lifecycle tiers of the DR bucket to a class not below the replica class (they never apply);
 * - external mode before `destinationReady` (no replication yet).
 */
export function replicationWarnings(config: ReplicationWarningsInput): RuleFinding[] {
    const r = config.replication;
    if (!isReplicationEnabled(r)) {
        return [];
    }
    const findings: RuleFinding[] = [];
    if (r.deleteMarkerReplication === "Enabled") {
        findings.push({
            path: ["deleteMarkerReplication"],
            message: "Enabled: a delete in the main account then adds a delete marker in the DR bucket too (versions stay, but the object looks deleted there); Disabled keeps the DR copy untouched by deletes",
        });
    }
    if (r.destination.region === config.region) {
        findings.push({
            path: ["destination", "region"],
            message: `the DR bucket is in the stack's own Region ${config.region}: an outage of that Region takes both copies; a second Region also satisfies Security Hub S3.7 (cross-Region replication)`,
        });
    }
    if (r.mode === "managed" && r.managed) {
        const lc = r.managed.lifecycle;
        const expiry = lc.noncurrentVersions.expireAfterDays;
        const minDays = REPLICA_MIN_STORAGE_DAYS[r.destination.storageClass];
        if (lc.noncurrentVersions.tiers.length === 0 && expiry < minDays) {
            findings.push({
                path: ["managed", "lifecycle", "noncurrentVersions", "expireAfterDays"],
                message: `noncurrent replicas in ${r.destination.storageClass} may be deleted after ${expiry} days, before that class's ${minDays}-day minimum storage duration: S3 bills an early-deletion charge for the rest`,
            });
        }
        if (r.managed.objectLock && r.managed.objectLock.days > expiry) {
            findings.push({
                path: ["managed", "objectLock", "days"],
                message: `retention (${r.managed.objectLock.days} days) outlasts the noncurrent-version expiry (${expiry} days): lifecycle cannot delete a locked version, so noncurrent versions are kept (and billed) until their retention ends`,
            });
        }
        const replicaRank = STORAGE_CLASS_FACTS[r.destination.storageClass as keyof typeof STORAGE_CLASS_FACTS]?.rank ?? 0;
        lc.tiers.forEach((t, i) => {
            if (STORAGE_CLASS_FACTS[t.storageClass].rank <= replicaRank) {
                findings.push({
                    path: ["managed", "lifecycle", "tiers", i, "storageClass"],
                    message: `replicas are already written in ${r.destination.storageClass}; a transition to ${t.storageClass} never applies (S3 lifecycle only moves down the waterfall)`,
                });
            }
        });
        findings.push(...nestFindings(checkTiers(lc.tiers), ["managed", "lifecycle", "tiers"]).warnings);
        findings.push(...nestFindings(checkTiers(lc.noncurrentVersions.tiers, expiry), ["managed", "lifecycle", "noncurrentVersions", "tiers"]).warnings);
    }
    if (r.mode === "external" && !(r.external?.destinationReady ?? false)) {
        findings.push({
            path: ["external", "destinationReady"],
            message: "false: the replication configuration is not declared yet; give the drBucketPolicyJson output to the DR bucket's owners, and set true once they applied it and enabled versioning (docs/replication.md)",
        });
    }
    return findings;
}

/** Environment variable that selects the DR provider's role: `deploy` (default) or `preview`. */
export const DR_ROLE_ENV = "MICROBIOME_BACKUP_DR_ROLE";

/** The role the DR provider assumes, and the session name it shows in CloudTrail. */
export interface DrProviderRole {
    /** `deploy` (pulumi up, and previews by the deploying principal) or `preview` (read-only). */
    readonly mode: "deploy" | "preview";
    /** Role ARN in the DR account. */
    readonly roleArn: string;
    /** STS session name. */
    readonly sessionName: string;
}

/**
 * Chooses the role the DR provider assumes. By default the deploy role
 * (`replication.managed.deployRoleArn`). With the environment variable
 * `MICROBIOME_BACKUP_DR_ROLE=preview` — set only by the pull-request workflow's prod preview — the
 * read-only preview role (`replication.managed.previewRoleArn`), and only during a preview: an
 * update with the preview role is refused before anything is declared (it would fail on its
 * first write to the DR account after changing the main account).
 *
 * @param managed the validated `replication.managed` section.
 * @param envValue the variable's value (`undefined` when unset).
 * @param dryRun whether the program runs in a preview (`pulumi.runtime.isDryRun()`).
 * @returns the role, or the problems (full key = value: what is allowed).
 */
export function selectDrProviderRole(
    managed: { readonly deployRoleArn: string; readonly previewRoleArn?: string },
    envValue: string | undefined,
    dryRun: boolean,
): { role?: DrProviderRole; problems: Problem[] } {
    const mode = envValue === undefined || envValue === "" ? "deploy" : envValue;
    if (mode === "deploy") {
        return { role: { mode, roleArn: managed.deployRoleArn, sessionName: "microbiome-backup-dr-deploy" }, problems: [] };
    }
    const key = `${DR_ROLE_ENV} (environment variable)`;
    if (mode !== "preview") {
        return { problems: [{ key, value: envValue, message: "deploy (default) or preview: selects the DR provider's role (docs/replication.md, \"DR roles\")" }] };
    }
    const problems: Problem[] = [];
    if (managed.previewRoleArn === undefined) {
        problems.push({
            key: "microbiome-backup:replication.managed.previewRoleArn",
            value: undefined,
            message: `required when ${DR_ROLE_ENV}=preview: the read-only role in the DR account (policy: the drPreviewRolePolicyJson output, docs/iam/dr-preview-role.json)`,
        });
    }
    if (!dryRun) {
        problems.push({
            key,
            value: envValue,
            message: "preview is read-only and allowed only in pulumi preview: unset it for pulumi up (the update needs the deploy role)",
        });
    }
    if (problems.length > 0 || managed.previewRoleArn === undefined) {
        return { problems };
    }
    return { role: { mode, roleArn: managed.previewRoleArn, sessionName: "microbiome-backup-dr-preview" }, problems: [] };
}

/**
 * The role the DR provider assumes in this run ({@link selectDrProviderRole}), for the program:
 * `undefined` unless replication is enabled in managed mode.
 *
 * @param replication the validated `replication` section.
 * @param envValue the value of {@link DR_ROLE_ENV} (`undefined` when unset).
 * @param dryRun whether the program runs in a preview (`pulumi.runtime.isDryRun()`).
 * @throws ConfigError naming the variable or `replication.managed.previewRoleArn` when the role
 *   cannot be chosen — before anything is declared.
 */
export function drProviderRole(replication: ReplicationConfig, envValue: string | undefined, dryRun: boolean): DrProviderRole | undefined {
    if (!isReplicationEnabled(replication) || replication.managed === undefined) {
        return undefined;
    }
    const { role, problems } = selectDrProviderRole(replication.managed, envValue, dryRun);
    if (problems.length > 0) {
        throw new ConfigError(problems);
    }
    return role;
}

/**
 * Whether the backup bucket's archive transitions are held, and why (see {@link archiveHold}): the
 * shape `BackupBucket.fromConfig` takes.
 */
export type ArchiveHold = ArchiveHoldState;

/** The parts of the configuration {@link archiveHold} reads. */
interface ArchiveHoldInput {
    readonly bucket: { readonly name: string; readonly adoptExisting: boolean; readonly lifecycle: { readonly holdArchiveTransitions?: boolean } };
    readonly replication: ReplicationConfig;
}

/**
 * True when the backfill is still owed: replication is enabled, the bucket is adopted (it holds
 * objects that existed before the replication rule; live replication never copies them, S3 User
 * Guide "What does Amazon S3 replicate?"), and `replication.backfill` is not recorded. A bucket this
 * stack creates has no pre-existing objects: every object is written after the rule and replicated
 * live, so no hold is needed.
 */
export function backfillOwed(cfg: ArchiveHoldInput): boolean {
    return cfg.replication.enabled && cfg.bucket.adoptExisting && cfg.replication.backfill === undefined;
}

/**
 * Decides whether the lifecycle's archive transitions (GLACIER, DEEP_ARCHIVE; current and
 * noncurrent) are held: explicitly by `bucket.lifecycle.holdArchiveTransitions`, otherwise while
 * the backfill is owed ({@link backfillOwed}). S3 (Batch) Replication cannot copy archived
 * objects, so archiving before the backfill would leave them out of the DR copy.
 */
export function archiveHold(cfg: ArchiveHoldInput): ArchiveHold {
    const explicit = cfg.bucket.lifecycle.holdArchiveTransitions;
    if (explicit === true) {
        return { held: true, reason: "bucket.lifecycle.holdArchiveTransitions is true: the GLACIER/DEEP_ARCHIVE transitions are declared Disabled" };
    }
    if (explicit === undefined && backfillOwed(cfg)) {
        return {
            held: true,
            reason:
                `archive transitions held: replication is enabled on the adopted bucket ${cfg.bucket.name} and replication.backfill is not recorded, ` +
                "so the lifecycle's GLACIER/DEEP_ARCHIVE transitions (current and noncurrent) are declared Disabled — S3 Batch Replication cannot copy archived objects " +
                '(S3 User Guide "What does Amazon S3 replicate?"). Run the backfill (npm run backfill:replication), then record it with the commands ' +
                "`npm run backfill:replication -- --status` prints; the next pulumi up enables them (README \"Adopting the existing production bucket\")",
        };
    }
    return { held: false };
}

/** The parts of the configuration {@link unreplicatedArchiveWarnings} reads. */
export interface UnreplicatedArchiveInput {
    readonly bucket: {
        readonly name: string;
        readonly adoptExisting: boolean;
        readonly lifecycle: {
            readonly holdArchiveTransitions?: boolean;
            readonly tiers: readonly { readonly storageClass: string }[];
            readonly noncurrentVersions: { readonly tiers: readonly { readonly storageClass: string }[] };
        };
    };
    readonly replication: ReplicationConfig;
}

/**
 * Warns when the adopted bucket archives without replication: its lifecycle moves objects to
 * GLACIER or DEEP_ARCHIVE (not held), and replication is off. Objects archived before replication
 * is enabled can never be copied to a DR bucket by S3 Batch Replication (S3 User Guide "What does
 * Amazon S3 replicate?"): turning replication on later would leave the archived part of the
 * existing data without a DR copy. Paths are relative to the `replication` section.
 */
export function unreplicatedArchiveWarnings(cfg: UnreplicatedArchiveInput): RuleFinding[] {
    const lc = cfg.bucket.lifecycle;
    const archives = [...lc.tiers, ...lc.noncurrentVersions.tiers].some((t) => isArchiveStorageClass(t.storageClass));
    if (!cfg.bucket.adoptExisting || cfg.replication.enabled || lc.holdArchiveTransitions === true || !archives) {
        return [];
    }
    return [
        {
            path: ["enabled"],
            message:
                `false on the adopted bucket ${cfg.bucket.name}, whose lifecycle archives objects (GLACIER/DEEP_ARCHIVE): S3 Batch Replication cannot copy archived objects ` +
                '(S3 User Guide "What does Amazon S3 replicate?"), so what archives before replication is enabled never gets a DR copy. ' +
                "Enable replication before the first pulumi up (the archive tiers then wait for the backfill), or set bucket.lifecycle.holdArchiveTransitions: true until it is",
        },
    ];
}

/**
 * Refuses `bucket.lifecycle.holdArchiveTransitions: false` while the backfill is owed: that would
 * archive objects the DR copy does not have yet. Paths are from the project namespace root.
 */
export function archiveHoldErrors(cfg: ArchiveHoldInput): RuleFinding[] {
    if (cfg.bucket.lifecycle.holdArchiveTransitions === false && backfillOwed(cfg)) {
        return [
            {
                path: ["bucket", "lifecycle", "holdArchiveTransitions"],
                message:
                    "cannot be false before the replication backfill is recorded (replication.backfill = { completedJobId, completedAt }): S3 Batch Replication cannot copy objects archived to GLACIER or DEEP_ARCHIVE " +
                    '(S3 User Guide "What does Amazon S3 replicate?"); run npm run backfill:replication -- --stack <stack> --status',
            },
        ];
    }
    return [];
}

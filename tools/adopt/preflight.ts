/**
 * The adoption pre-flight: compares the live bucket (tools/adopt/liveBucket.ts) with what the
 * program declares for it — built from the validated stack configuration with the same builders the
 * BackupBucket component uses (`buildLifecycleRules`, `tlsOnlyStatements`, `archiveHold`) — and says,
 * setting by setting, what the first `pulumi up` does: keep, change or replace, with the config key
 * to set where the live value should be kept.
 *
 * Pulumi semantics this relies on (checked in the sources; docs/adoption.md):
 * - The bucket is imported (`import` resource option). Since Pulumi CLI 3.174 (pulumi/pulumi#19339)
 *   an import whose declared inputs differ from the live resource imports and then updates it in
 *   the same `up` (a replace diff is an error); older CLIs fail the import ("inputs to import do
 *   not match the existing resource"). With `aws:defaultTags`, the bucket's `tagsAll` is the
 *   default tags merged with `bucket.tags` (pulumi/pulumi-aws#5284): tags not declared are removed.
 * - `objectLockEnabled` and the Region force a new bucket: a replacement (refused by `protect`).
 * - Each side resource (policy, public access block, ownership, encryption, lifecycle, replication
 *   configuration) is created over the live setting: S3 keeps one per bucket, the Put replaces it.
 * - The program never declares notifications, CORS or logging: those stay as they are; the
 *   FSx data repository association's auto-import adds an event configuration named `FSx`.
 */
import { tlsOnlyStatements } from "../../components/bucket/bucketPolicy";
import { policyDocument } from "../../components/common/policyDocument";
import { parseBucketReference } from "../../components/replication/rules";
import { buildLifecycleRules, LifecycleRuleInput } from "../../components/bucket/lifecycle";
import type { StackConfig } from "../../config";
import { archiveHold, replicationConfigurationDeclared } from "../../config/replication";
import { ARCHIVED_STORAGE_TYPES, LiveBucket, STORAGE_TYPES } from "./liveBucket";

/** What the first `pulumi up` does to one setting. */
export type Action = "keep" | "change" | "replace" | "info";

/** One setting's verdict. */
export interface Finding {
    /** Setting name, e.g. `tags`, `lifecycle`. */
    readonly setting: string;
    readonly action: Action;
    /** The live value, summarised. */
    readonly live: string;
    /** What the program declares, summarised. */
    readonly declared: string;
    /** Why, and what happens. */
    readonly detail?: string;
    /** Commands or config keys that keep the live value, when the stack offers one. */
    readonly keepWith?: readonly string[];
}

/** The pre-flight's result. */
export interface AdoptionPlan {
    readonly stack: string;
    readonly bucket: string;
    readonly findings: readonly Finding[];
    /** True when a replacement of the bucket itself would follow (exit code 1). */
    readonly bucketReplaced: boolean;
}

/** S3 API shape of a declared lifecycle rule (as GetBucketLifecycleConfiguration returns it). */
export function lifecycleRuleToApi(rule: LifecycleRuleInput): Record<string, unknown> {
    const api: Record<string, unknown> = { ID: rule.id, Status: rule.status, Filter: rule.filter.prefix !== undefined ? { Prefix: rule.filter.prefix } : {} };
    if (rule.transitions) api.Transitions = rule.transitions.map((t) => ({ Days: t.days, StorageClass: t.storageClass }));
    if (rule.noncurrentVersionTransitions) {
        api.NoncurrentVersionTransitions = rule.noncurrentVersionTransitions.map((t) => ({
            NoncurrentDays: t.noncurrentDays,
            StorageClass: t.storageClass,
            ...(t.newerNoncurrentVersions !== undefined ? { NewerNoncurrentVersions: t.newerNoncurrentVersions } : {}),
        }));
    }
    if (rule.noncurrentVersionExpiration) {
        api.NoncurrentVersionExpiration = {
            NoncurrentDays: rule.noncurrentVersionExpiration.noncurrentDays,
            ...(rule.noncurrentVersionExpiration.newerNoncurrentVersions !== undefined ? { NewerNoncurrentVersions: rule.noncurrentVersionExpiration.newerNoncurrentVersions } : {}),
        };
    }
    if (rule.abortIncompleteMultipartUpload) api.AbortIncompleteMultipartUpload = { DaysAfterInitiation: rule.abortIncompleteMultipartUpload.daysAfterInitiation };
    if (rule.expiration) api.Expiration = { ExpiredObjectDeleteMarker: rule.expiration.expiredObjectDeleteMarker };
    return api;
}

/** A canonical, order-independent JSON text (object keys sorted; empty objects/arrays and undefined dropped). */
export function canonical(value: unknown): string {
    const norm = (v: unknown): unknown => {
        if (Array.isArray(v)) return v.map(norm);
        if (v instanceof Date) return v.toISOString();
        if (v !== null && typeof v === "object") {
            const out: Record<string, unknown> = {};
            for (const k of Object.keys(v).sort()) {
                const n = norm((v as Record<string, unknown>)[k]);
                if (n === undefined || (typeof n === "object" && n !== null && Object.keys(n).length === 0)) continue;
                out[k] = n;
            }
            return out;
        }
        return v;
    };
    return JSON.stringify(norm(value));
}

/** A value as text: strings as they are, anything else as JSON; `fallback` for null/undefined. */
function text(value: unknown, fallback: string): string {
    if (value === undefined || value === null) return fallback;
    return typeof value === "string" ? value : JSON.stringify(value);
}

/** A short text of a lifecycle rule: `id (Status): transitions …`. */
function describeRule(rule: Record<string, unknown>): string {
    const parts: string[] = [];
    const transitions = (rule.Transitions as { Days?: number; StorageClass?: string }[] | undefined) ?? [];
    if (transitions.length) parts.push(transitions.map((t) => `day ${t.Days} ${t.StorageClass}`).join(" → "));
    const nc = (rule.NoncurrentVersionTransitions as { NoncurrentDays?: number; StorageClass?: string }[] | undefined) ?? [];
    if (nc.length) parts.push(`noncurrent ${nc.map((t) => `day ${t.NoncurrentDays} ${t.StorageClass}`).join(" → ")}`);
    const nce = rule.NoncurrentVersionExpiration as { NoncurrentDays?: number } | undefined;
    if (nce?.NoncurrentDays !== undefined) parts.push(`noncurrent expire day ${nce.NoncurrentDays}`);
    const exp = rule.Expiration as { Days?: number; ExpiredObjectDeleteMarker?: boolean } | undefined;
    if (exp?.Days !== undefined) parts.push(`expire day ${exp.Days}`);
    if (exp?.ExpiredObjectDeleteMarker) parts.push("expired delete markers");
    const abort = rule.AbortIncompleteMultipartUpload as { DaysAfterInitiation?: number } | undefined;
    if (abort?.DaysAfterInitiation !== undefined) parts.push(`abort uploads day ${abort.DaysAfterInitiation}`);
    return `${text(rule.ID, "(no id)")} (${String(rule.Status)}): ${parts.join("; ") || "no action"}`;
}

/** Formats a byte count in GiB/TiB (binary units), e.g. `2.00 TiB`. */
export function formatBytes(bytes: number): string {
    const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
    let v = bytes;
    let i = 0;
    while (v >= 1024 && i < units.length - 1) {
        v /= 1024;
        i++;
    }
    return i === 0 ? `${bytes} B` : `${v.toFixed(2)} ${units[i]}`;
}

function tagFindings(config: StackConfig, live: LiveBucket): Finding {
    const declared: Record<string, string> = { ...config.defaultTags, ...config.bucket.tags };
    const liveTags = live.tags ?? {};
    const keys = [...new Set([...Object.keys(liveTags), ...Object.keys(declared)])].sort();
    const removed = keys.filter((k) => k in liveTags && !(k in declared));
    const added = keys.filter((k) => !(k in liveTags) && k in declared);
    const changed = keys.filter((k) => k in liveTags && k in declared && liveTags[k] !== declared[k]);
    const show = (t: Record<string, string>) => (Object.keys(t).length ? Object.keys(t).sort().map((k) => `${k}=${t[k]}`).join(", ") : "none");
    if (removed.length + added.length + changed.length === 0) {
        return { setting: "tags", action: "keep", live: show(liveTags), declared: show(declared) };
    }
    const lines: string[] = [];
    if (removed.length) lines.push(`removed: ${removed.map((k) => `${k}=${liveTags[k]}`).join(", ")}`);
    if (added.length) lines.push(`added: ${added.map((k) => `${k}=${declared[k]}${k in config.defaultTags && !(k in config.bucket.tags) ? " (aws:defaultTags)" : ""}`).join(", ")}`);
    if (changed.length) lines.push(`changed: ${changed.map((k) => `${k}=${liveTags[k]} → ${declared[k]}${k in config.bucket.tags ? "" : " (aws:defaultTags)"}`).join(", ")}`);
    const keepWith = [...removed, ...changed].map((k) => `pulumi config set --stack ${config.stack} --path 'bucket.tags.${k}' '${liveTags[k]}'`);
    return {
        setting: "tags",
        action: "change",
        live: show(liveTags),
        declared: `${show(declared)} (aws:defaultTags merged with bucket.tags)`,
        detail:
            `${lines.join("; ")}. The import sees a tags/tagsAll difference: Pulumi CLI ≥ 3.174 imports and then replaces the whole tag set in the same up (pulumi/pulumi#19339); ` +
            "older CLIs fail the import (pulumi/pulumi-aws#5284)",
        keepWith,
    };
}

function summariseEncryption(rules: NonNullable<LiveBucket["encryption"]>["Rules"]): string {
    const r = rules?.[0];
    if (!r) return "none";
    const d = r.ApplyServerSideEncryptionByDefault;
    return `${d?.SSEAlgorithm ?? "?"}${d?.KMSMasterKeyID ? ` key ${d.KMSMasterKeyID}` : ""}, bucket key ${r.BucketKeyEnabled ? "on" : "off"}`;
}

function encryptionFinding(config: StackConfig, live: LiveBucket): Finding {
    const enc = config.bucket.encryption;
    const declared = summariseEncryption([{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: enc.sseAlgorithm, KMSMasterKeyID: enc.kmsKeyArn }, BucketKeyEnabled: true }]);
    const liveText = summariseEncryption(live.encryption?.Rules);
    if (liveText === declared) return { setting: "encryption", action: "keep", live: liveText, declared };
    const liveDefault = live.encryption?.Rules?.[0]?.ApplyServerSideEncryptionByDefault;
    const keepWith: string[] = [];
    if (liveDefault?.SSEAlgorithm === "aws:kms" && liveDefault.KMSMasterKeyID) {
        keepWith.push(`pulumi config set --stack ${config.stack} --path bucket.encryption.sseAlgorithm aws:kms`, `pulumi config set --stack ${config.stack} --path bucket.encryption.kmsKeyArn ${liveDefault.KMSMasterKeyID}`);
    } else if (liveDefault?.SSEAlgorithm === "AES256" && enc.sseAlgorithm !== "AES256") {
        keepWith.push(`pulumi config set --stack ${config.stack} --path bucket.encryption.sseAlgorithm AES256`);
    }
    return {
        setting: "encryption",
        action: "change",
        live: liveText,
        declared,
        detail: "the default encryption is replaced (existing objects keep the encryption they were written with; only new writes change)",
        keepWith,
    };
}

function policyFinding(config: StackConfig, live: LiveBucket): Finding {
    const declaredDoc = policyDocument(tlsOnlyStatements(`arn:aws:s3:::${config.bucket.name}`));
    const declaredSids = declaredDoc.Statement.map((s) => s.Sid ?? "?");
    const declared = `TLS-only policy (${declaredSids.join(", ")})`;
    if (live.policy === null) return { setting: "policy", action: "change", live: "none", declared, detail: "a bucket policy is added" };
    let liveDoc: { Statement?: { Sid?: string }[] | { Sid?: string } } = {};
    try {
        liveDoc = JSON.parse(live.policy) as typeof liveDoc;
    } catch {
        // kept as text below
    }
    const statements = Array.isArray(liveDoc.Statement) ? liveDoc.Statement : liveDoc.Statement ? [liveDoc.Statement] : [];
    const liveText = `${statements.length} statement(s): ${statements.map((s) => s.Sid ?? "(no Sid)").join(", ")}`;
    if (canonical(liveDoc) === canonical(declaredDoc)) return { setting: "policy", action: "keep", live: liveText, declared };
    const lost = statements.filter((s) => !declaredDoc.Statement.some((d) => canonical(d) === canonical(s)));
    return {
        setting: "policy",
        action: "change",
        live: liveText,
        declared,
        detail: `the policy is replaced; ${lost.length} live statement(s) would be lost (${lost.map((s) => s.Sid ?? "(no Sid)").join(", ")}): no config key keeps them — move their grants into IAM (access section) or add them to components/bucket/bucketPolicy.ts before the first up`,
    };
}

function lifecycleFinding(config: StackConfig, live: LiveBucket): Finding {
    const hold = archiveHold(config);
    const declaredRules = buildLifecycleRules(config.bucket.lifecycle, { holdArchiveTransitions: hold.held }).map(lifecycleRuleToApi);
    const declaredMin = config.bucket.lifecycle.transitionDefaultMinimumObjectSize;
    const declared = `${declaredRules.map(describeRule).join(" | ")}; TransitionDefaultMinimumObjectSize ${declaredMin}${hold.held ? " — archive transitions held until the replication backfill is recorded" : ""}`;
    if (live.lifecycle === null) return { setting: "lifecycle", action: "change", live: "none", declared, detail: "a lifecycle configuration is added" };
    const liveRules = live.lifecycle.Rules ?? [];
    const liveText = `${liveRules.map(describeRule).join(" | ") || "no rules"}; TransitionDefaultMinimumObjectSize ${live.lifecycle.TransitionDefaultMinimumObjectSize ?? "(default)"}`;
    const sortById = (rules: Record<string, unknown>[]) => [...rules].sort((a, b) => String(a.ID).localeCompare(String(b.ID)));
    const same = canonical(sortById(liveRules)) === canonical(sortById(declaredRules)) && (live.lifecycle.TransitionDefaultMinimumObjectSize ?? "all_storage_classes_128K") === declaredMin;
    if (same) return { setting: "lifecycle", action: "keep", live: liveText, declared };
    const declaredIds = new Set(declaredRules.map((r) => String(r.ID)));
    const dropped = liveRules.filter((r) => !declaredIds.has(String(r.ID))).map((r) => text(r.ID, "(no id)"));
    return {
        setting: "lifecycle",
        action: "change",
        live: liveText,
        declared,
        detail: `the whole lifecycle configuration is replaced${dropped.length ? `; live rules dropped: ${dropped.join(", ")}` : ""}. To keep a live transition or expiry, express it in bucket.lifecycle (tiers, prefix, noncurrentVersions.*, abortIncompleteMultipartUploadDays)`,
        keepWith: ["bucket.lifecycle.tiers", "bucket.lifecycle.noncurrentVersions", "bucket.lifecycle.abortIncompleteMultipartUploadDays", "bucket.lifecycle.transitionDefaultMinimumObjectSize"],
    };
}

function replicationFinding(config: StackConfig, live: LiveBucket): Finding {
    const r = config.replication;
    const liveRules = live.replication?.Rules ?? [];
    const liveText = live.replication
        ? `role ${live.replication.Role ?? "?"}; ${liveRules
              .map((x) => {
                  const d = x.Destination as { Bucket?: string; StorageClass?: string } | undefined;
                  return `${text(x.ID, "(no id)")} (${String(x.Status)}) → ${d?.Bucket ?? "?"} ${d?.StorageClass ?? ""}`.trim();
              })
              .join(", ")}`
        : "none";
    const declares = replicationConfigurationDeclared(r);
    if (!declares) {
        if (!live.replication) return { setting: "replication", action: "keep", live: "none", declared: "none" };
        return {
            setting: "replication",
            action: "keep",
            live: liveText,
            declared: "none (replication not declared by this stack)",
            detail: "left as is and unmanaged; enabling replication in this stack would replace it (one replication configuration per bucket)",
        };
    }
    const dest = parseBucketReference(r.destination.bucket);
    const declared = `${r.ruleId} (Enabled) → ${dest?.arn ?? r.destination.bucket} ${r.destination.storageClass}, delete markers ${r.deleteMarkerReplication}, RTC ${r.replicationTime}`;
    if (!live.replication) return { setting: "replication", action: "change", live: "none", declared, detail: "a replication configuration is added (new writes replicate; existing objects need the backfill)" };
    return {
        setting: "replication",
        action: "change",
        live: liveText,
        declared,
        detail: "the live replication configuration is replaced by the declared one (S3 keeps one per bucket): live rules not declared stop replicating",
    };
}

function notificationFinding(config: StackConfig, live: LiveBucket): Finding {
    const n = live.notifications ?? {};
    const all = [...(n.TopicConfigurations ?? []), ...(n.QueueConfigurations ?? []), ...(n.LambdaFunctionConfigurations ?? [])];
    const ids = all.map((c) => text(c.Id, "(no id)"));
    const eventBridge = n.EventBridgeConfiguration !== undefined;
    const liveText = ids.length || eventBridge ? `${ids.join(", ")}${eventBridge ? `${ids.length ? ", " : ""}EventBridge on` : ""}` : "none";
    const autoImport = config.fsx.enabled && config.fsx.dataRepositoryAssociations.some((d) => d.s3.autoImportPolicy.events.length > 0);
    const declared = autoImport ? "none declared; the DRA's auto-import puts an event configuration named FSx" : "none declared";
    const fsxIds = ids.filter((id) => id.startsWith("FSx"));
    const others = ids.filter((id) => !id.startsWith("FSx"));
    if (!autoImport) {
        return { setting: "notifications", action: "keep", live: liveText, declared, detail: ids.length ? "left as is (this stack declares no aws.s3.BucketNotification)" : undefined };
    }
    const details: string[] = [];
    if (fsxIds.length) {
        details.push(`${fsxIds.join(", ")} already exists: expected only if a data repository association with auto-import already serves this bucket; if it belongs to a retired file system, the new association conflicts with it — remove it first (aws s3api put-bucket-notification-configuration without it)`);
    } else {
        details.push("the association's auto-import adds the FSx event configuration");
    }
    if (others.length) {
        details.push(`other configurations (${others.join(", ")}) stay, but S3 refuses overlapping prefixes for the same event types, so FSx's configuration can fail to be created over them (S3 User Guide "Event notification configurations with overlapping prefixes/suffixes")`);
    }
    return { setting: "notifications", action: "change", live: liveText, declared, detail: details.join("; ") };
}

/**
 * Compares the live bucket with the stack's declarations.
 *
 * @param config the validated stack configuration.
 * @param live the bucket as read by `readLiveBucket`.
 */
export function planAdoption(config: StackConfig, live: LiveBucket): AdoptionPlan {
    const findings: Finding[] = [];
    const stack = config.stack;

    findings.push(
        live.region === config.region
            ? { setting: "region", action: "keep", live: live.region, declared: config.region }
            : {
                  setting: "region",
                  action: "replace",
                  live: live.region,
                  declared: config.region,
                  detail: `the stack's provider works in ${config.region}: the import cannot find the bucket there and a bucket of that name cannot be created — set aws:region to the bucket's Region (every other resource of the stack moves with it)`,
                  keepWith: [`pulumi config set --stack ${stack} aws:region ${live.region}`],
              },
    );

    const liveLock = live.objectLock?.ObjectLockEnabled === "Enabled";
    findings.push(
        liveLock
            ? {
                  setting: "objectLock",
                  action: "replace",
                  live: `Enabled${live.objectLock?.Rule ? ` (default retention ${canonical(live.objectLock.Rule)})` : ""}`,
                  declared: "not enabled (the backup bucket declares no Object Lock)",
                  detail: "objectLockEnabled forces a new bucket (the provider replaces on a change; S3 cannot turn Object Lock off): this stack cannot adopt an Object Lock bucket — stop and extend BackupBucket first",
              }
            : { setting: "objectLock", action: "keep", live: "not enabled", declared: "not enabled" },
    );

    const versioning = live.versioning?.Status ?? "never enabled";
    const mfa = live.versioning?.MFADelete === "Enabled";
    findings.push(
        versioning === "Enabled" && !mfa
            ? { setting: "versioning", action: "keep", live: "Enabled", declared: "Enabled" }
            : {
                  setting: "versioning",
                  action: "change",
                  live: `${versioning}${mfa ? ", MFA delete Enabled" : ""}`,
                  declared: "Enabled",
                  detail: mfa
                      ? "MFA delete is on: PutBucketVersioning then needs the root user's MFA, so the up fails on the versioning resource — turn MFA delete off first (root user) or import versioning too"
                      : "versioning is turned on (it cannot be turned off again, only suspended); needed by replication and the noncurrent-version rules",
              },
    );

    findings.push(tagFindings(config, live));
    findings.push(policyFinding(config, live));

    const grants = live.acl?.Grants ?? [];
    const ownerId = live.acl?.Owner?.ID;
    const foreign = grants.filter((g) => !(g.Grantee?.Type === "CanonicalUser" && g.Grantee.ID === ownerId));
    findings.push(
        foreign.length === 0
            ? { setting: "acl", action: "keep", live: live.acl ? "owner FULL_CONTROL only" : "not readable", declared: "ACLs disabled (BucketOwnerEnforced)" }
            : {
                  setting: "acl",
                  action: "change",
                  live: foreign.map((g) => `${text(g.Grantee?.URI ?? g.Grantee?.ID ?? g.Grantee?.EmailAddress, "?")}: ${g.Permission ?? "?"}`).join(", "),
                  declared: "ACLs disabled (BucketOwnerEnforced)",
                  detail: "BucketOwnerEnforced disables ACLs: these grants stop working (S3 refuses the change while the bucket ACL grants access outside the account) — move them into IAM or the bucket policy first",
              },
    );

    const ownership = live.ownershipControls?.Rules?.[0]?.ObjectOwnership ?? "none";
    findings.push({
        setting: "ownershipControls",
        action: ownership === "BucketOwnerEnforced" ? "keep" : "change",
        live: ownership,
        declared: "BucketOwnerEnforced",
        ...(ownership === "BucketOwnerEnforced" ? {} : { detail: "object ownership becomes BucketOwnerEnforced (ACLs off)" }),
    });

    const pabKeys = ["BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"];
    const pab = live.publicAccessBlock;
    const pabText = pab ? pabKeys.map((k) => `${k}=${String(pab[k] ?? false)}`).join(", ") : "none";
    const allOn = pab !== null && pabKeys.every((k) => pab[k] === true);
    findings.push({
        setting: "publicAccessBlock",
        action: allOn ? "keep" : "change",
        live: pabText,
        declared: pabKeys.map((k) => `${k}=true`).join(", "),
        ...(allOn ? {} : { detail: "all four public-access blocks are turned on: public grants (ACL or policy) stop working" }),
    });

    findings.push(encryptionFinding(config, live));
    findings.push(lifecycleFinding(config, live));
    findings.push(replicationFinding(config, live));
    findings.push(notificationFinding(config, live));

    const corsRules = live.cors?.CORSRules ?? [];
    findings.push({ setting: "cors", action: "keep", live: corsRules.length ? `${corsRules.length} rule(s)` : "none", declared: "not managed", ...(corsRules.length ? { detail: "left as is (not declared by this stack)" } : {}) });
    const target = live.logging?.LoggingEnabled as { TargetBucket?: string; TargetPrefix?: string } | undefined;
    findings.push({
        setting: "logging",
        action: "keep",
        live: target ? `to s3://${target.TargetBucket ?? "?"}/${target.TargetPrefix ?? ""}` : "off",
        declared: "not managed",
        ...(target ? { detail: "left as is (not declared by this stack)" } : {}),
    });

    const m = live.metrics;
    if (!m.available) {
        findings.push({
            setting: "storage",
            action: "info",
            live: "no CloudWatch storage metrics",
            declared: "-",
            detail: "S3 publishes BucketSizeBytes/NumberOfObjects once a day; a new or empty bucket (or a Region without them) has none — count the objects with S3 Inventory or Storage Lens instead",
        });
    } else {
        const classes = Object.entries(m.bytesByStorageType)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([type, bytes]) => `${STORAGE_TYPES[type] ?? type} ${formatBytes(bytes)}`);
        const archived = ARCHIVED_STORAGE_TYPES.reduce((sum, t) => sum + (m.bytesByStorageType[t] ?? 0), 0);
        findings.push({
            setting: "storage",
            action: "info",
            live: `${classes.join(", ")}; ${m.numberOfObjects ?? "?"} objects (as of ${m.asOf})`,
            declared: "-",
            ...(archived > 0
                ? { detail: `${formatBytes(archived)} already archived (GLACIER/DEEP_ARCHIVE/Intelligent-Tiering archive tiers): Batch Replication cannot copy it — see docs/replication.md "Objects already archived"` }
                : {}),
        });
    }

    for (const failure of live.failures) {
        findings.push({ setting: `read ${failure.action}`, action: "info", live: "unknown", declared: "-", detail: failure.message });
    }
    return { stack, bucket: config.bucket.name, findings, bucketReplaced: findings.some((f) => f.action === "replace") };
}

/** Human rendering: one block per setting, then the verdict. */
export function renderPlan(plan: AdoptionPlan): string {
    const lines = [`adoption pre-flight: bucket ${plan.bucket}, stack ${plan.stack}`, ""];
    for (const f of plan.findings) {
        lines.push(`${f.action.toUpperCase().padEnd(7)} ${f.setting}`);
        lines.push(`        live:     ${f.live}`);
        lines.push(`        declared: ${f.declared}`);
        if (f.detail) lines.push(`        ${f.detail}`);
        for (const k of f.keepWith ?? []) lines.push(`        keep it: ${k}`);
    }
    const counts = (["keep", "change", "replace"] as const).map((a) => `${plan.findings.filter((f) => f.action === a).length} ${a}`).join(", ");
    lines.push("", `summary: ${counts}`);
    lines.push(
        plan.bucketReplaced
            ? "STOP: the first pulumi up would replace the bucket itself (refused by protect, but the stack cannot be deployed): fix the settings marked REPLACE first"
            : "no replacement of the bucket: review every CHANGE, set the config keys above for what must be kept, then run pulumi preview",
    );
    return lines.join("\n");
}

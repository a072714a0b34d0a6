/**
 * S3 guardrails: every bucket of the stack is versioned, blocks public access, refuses plain-HTTP
 * requests, is encrypted by default, has ACLs disabled, and carries valid lifecycle tiers (checked
 * with the same `checkTiers` the stack config validation uses).
 *
 * Sources: S3 User Guide ("Blocking public access", "Enforce encryption in transit", "Controlling
 * ownership of objects", "Transitioning objects using Lifecycle"); Security Hub "s3-controls".
 */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { insecureTransportDenyResources, missingTlsOnlyCoverage } from "../components/bucket/bucketPolicy";
import { checkTiers, HELD_ARCHIVE_RULE_ID, LifecycleTier } from "../components/bucket/lifecycle";
import { formatPath } from "../components/common/problems";
import {
    asList,
    asNumber,
    asRecord,
    asString,
    isEveryonePrincipal,
    parsePolicyDocument,
    resourceGuardrail,
    shortName,
    stackGuardrail,
    statementLabel,
    StackNode,
    StackView,
    toPolicyDocument,
    TYPES,
    UNKNOWN,
} from "./lib";

/** Every bucket has a BucketVersioning resource with status Enabled. */
export const bucketVersioningEnabled: StackValidationPolicy = stackGuardrail(
    {
        name: "s3-bucket-versioning-enabled",
        description:
            "Every S3 bucket has versioning Enabled (an aws.s3.BucketVersioning with versioningConfiguration.status \"Enabled\"), so an overwrite or delete never loses data.",
        severity: "high",
        controls: ["S3.14"],
        remediation:
            "Declare an aws.s3.BucketVersioning for the bucket with versioningConfiguration: { status: \"Enabled\" } (BackupBucket does this), and never Suspended.",
    },
    (stack, _args, report) => {
        for (const bucket of stack.ofType(TYPES.bucket)) {
            const versionings = stack.sideResources(bucket, TYPES.bucketVersioning);
            if (versionings.length === 0) {
                report(`bucket ${shortName(bucket.urn)} has no aws.s3.BucketVersioning: versioning stays off`, bucket.urn);
            }
        }
        for (const v of stack.ofType(TYPES.bucketVersioning)) {
            const status = asRecord(v.props.versioningConfiguration)?.status;
            if (status !== UNKNOWN && status !== "Enabled") {
                report(`versioningConfiguration.status is ${JSON.stringify(status)}; it must be "Enabled"`, v.urn);
            }
        }
    },
);

/** The four public-access-block settings. */
const PUBLIC_ACCESS_FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;

/** Every bucket has exactly one BucketPublicAccessBlock with all four settings true. */
export const publicAccessBlock: StackValidationPolicy = stackGuardrail(
    {
        name: "s3-public-access-block",
        description:
            "Every S3 bucket has exactly one aws.s3.BucketPublicAccessBlock with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets all true.",
        severity: "critical",
        controls: ["S3.1", "S3.8"],
        remediation:
            "Declare one aws.s3.BucketPublicAccessBlock per bucket with all four settings true (BackupBucket does this). A second one for the same bucket would overwrite the first.",
    },
    (stack, _args, report) => {
        for (const bucket of stack.ofType(TYPES.bucket)) {
            const blocks = stack.sideResources(bucket, TYPES.bucketPublicAccessBlock);
            if (blocks.length === 0) {
                report(`bucket ${shortName(bucket.urn)} has no aws.s3.BucketPublicAccessBlock`, bucket.urn);
            } else if (blocks.length > 1) {
                report(
                    `bucket ${shortName(bucket.urn)} has ${blocks.length} public access blocks (${blocks.map((b) => shortName(b.urn)).join(", ")}); S3 keeps one per bucket, so they overwrite each other`,
                    bucket.urn,
                );
            }
        }
        for (const block of stack.ofType(TYPES.bucketPublicAccessBlock)) {
            const off = PUBLIC_ACCESS_FLAGS.filter((flag) => block.props[flag] !== UNKNOWN && block.props[flag] !== true);
            if (off.length > 0) {
                report(`${off.join(", ")} must be true (S3 treats a missing setting as false)`, block.urn);
            }
        }
    },
);

/** Every bucket's policy denies every S3 action on the bucket and its objects when aws:SecureTransport is false. */
export const tlsOnlyBucketPolicy: StackValidationPolicy = stackGuardrail(
    {
        name: "s3-tls-only-bucket-policy",
        description:
            "Every S3 bucket has one bucket policy with a Deny of s3:* to every principal on the bucket and its objects when aws:SecureTransport is false, so no request travels unencrypted (missingTlsOnlyCoverage, beside the tlsOnlyStatements builder in components/bucket/bucketPolicy.ts).",
        severity: "high",
        controls: ["S3.5"],
        remediation:
            "Give the bucket an aws.s3.BucketPolicy built from tlsOnlyStatements(bucketArn) (components/bucket/bucketPolicy.ts): Deny, Principal \"*\", Action s3:*, Resource [bucketArn, bucketArn/*], Condition Bool aws:SecureTransport \"false\".",
    },
    (stack, _args, report) => {
        for (const bucket of stack.ofType(TYPES.bucket)) {
            const policies = stack.sideResources(bucket, TYPES.bucketPolicy);
            const name = shortName(bucket.urn);
            if (policies.length === 0) {
                report(`bucket ${name} has no bucket policy, so nothing refuses plain-HTTP requests`, bucket.urn);
                continue;
            }
            if (policies.length > 1) {
                report(`bucket ${name} has ${policies.length} aws.s3.BucketPolicy resources; S3 keeps one policy per bucket, so they overwrite each other`, bucket.urn);
            }
            for (const policy of policies) {
                const parsed = parsePolicyDocument(policy.props.policy);
                if (parsed.ok === "unknown") {
                    continue; // not known until the bucket exists; checked again by `pulumi up`
                }
                if (parsed.ok === false) {
                    report(parsed.error, policy.urn);
                    continue;
                }
                const statements = toPolicyDocument(parsed.statements).Statement;
                const arn = stack.bucketArn(bucket);
                // With the bucket's ARN not known yet (preview), a deny of some ARN and its objects is enough.
                const covered = insecureTransportDenyResources(statements);
                const missing = arn
                    ? missingTlsOnlyCoverage(arn, statements)
                    : covered.some((p) => covered.includes(`${p}/*`))
                      ? []
                      : ["<bucket ARN>", "<bucket ARN>/*"];
                if (missing.length > 0) {
                    report(
                        `the bucket policy of ${name} does not deny insecure transport on ${missing.join(" and ")}: it needs a Deny of s3:* to Principal "*" with Condition Bool aws:SecureTransport "false" covering the bucket and its objects`,
                        policy.urn,
                    );
                }
            }
        }
    },
);

/** Server-side encryption algorithms S3 default encryption accepts. */
const SSE_ALGORITHMS = ["AES256", "aws:kms", "aws:kms:dsse"];

/** Every bucket has a default-encryption configuration. */
export const defaultEncryption: StackValidationPolicy = stackGuardrail(
    {
        name: "s3-default-encryption",
        description:
            "Every S3 bucket has an aws.s3.BucketServerSideEncryptionConfiguration whose rules set applyServerSideEncryptionByDefault.sseAlgorithm to AES256 (SSE-S3), aws:kms or aws:kms:dsse, so the encryption setting is explicit and reviewed.",
        severity: "medium",
        controls: [],
        remediation:
            "Declare an aws.s3.BucketServerSideEncryptionConfiguration for the bucket (BackupBucket does: SSE-S3 by default, SSE-KMS with bucket.encryption.sseAlgorithm aws:kms and a key ARN).",
    },
    (stack, _args, report) => {
        for (const bucket of stack.ofType(TYPES.bucket)) {
            const configs = stack.sideResources(bucket, TYPES.bucketEncryption);
            if (configs.length === 0) {
                report(`bucket ${shortName(bucket.urn)} has no aws.s3.BucketServerSideEncryptionConfiguration`, bucket.urn);
            }
        }
        for (const config of stack.ofType(TYPES.bucketEncryption)) {
            const rules = config.props.rules;
            if (rules === UNKNOWN) {
                continue;
            }
            const list = asList(rules);
            if (list.length === 0) {
                report("the encryption configuration has no rules", config.urn);
            }
            list.forEach((rule, i) => {
                const algorithm = asRecord(asRecord(rule)?.applyServerSideEncryptionByDefault)?.sseAlgorithm;
                if (algorithm !== UNKNOWN && !SSE_ALGORITHMS.includes(asString(algorithm) ?? "")) {
                    report(`rules[${i}].applyServerSideEncryptionByDefault.sseAlgorithm is ${JSON.stringify(algorithm)}; allowed: ${SSE_ALGORITHMS.join(", ")}`, config.urn);
                }
            });
        }
    },
);

/** Every bucket has ACLs disabled (BucketOwnerEnforced) and no BucketAcl. */
export const bucketOwnerEnforced: StackValidationPolicy = stackGuardrail(
    {
        name: "s3-bucket-owner-enforced",
        description:
            "Every S3 bucket has ACLs disabled: an aws.s3.BucketOwnershipControls with rule.objectOwnership \"BucketOwnerEnforced\" and no aws.s3.BucketAcl, so access is governed by policies alone.",
        severity: "medium",
        controls: ["S3.12"],
        remediation:
            "Declare aws.s3.BucketOwnershipControls with rule: { objectOwnership: \"BucketOwnerEnforced\" } for the bucket and remove any aws.s3.BucketAcl; grant access through IAM and bucket policies.",
    },
    (stack, _args, report) => {
        for (const bucket of stack.ofType(TYPES.bucket)) {
            const name = shortName(bucket.urn);
            const controls = stack.sideResources(bucket, TYPES.bucketOwnershipControls);
            if (controls.length === 0) {
                report(`bucket ${name} has no aws.s3.BucketOwnershipControls, so object ACLs stay in effect`, bucket.urn);
            }
            for (const c of controls) {
                const ownership = asRecord(c.props.rule)?.objectOwnership;
                if (ownership !== UNKNOWN && ownership !== "BucketOwnerEnforced") {
                    report(`rule.objectOwnership is ${JSON.stringify(ownership)}; it must be "BucketOwnerEnforced" (ACLs disabled)`, c.urn);
                }
            }
            for (const acl of stack.sideResources(bucket, TYPES.bucketAcl)) {
                report(`bucket ${name} must not have an aws.s3.BucketAcl: ACLs are disabled (BucketOwnerEnforced)`, acl.urn);
            }
        }
    },
);

/** No bucket policy allows anything to everyone without a condition. */
export const bucketPolicyNoPublicAllow: ResourceValidationPolicy = resourceGuardrail(
    {
        name: "s3-bucket-policy-no-public-allow",
        description:
            "No S3 bucket policy has an Allow statement for Principal \"*\" without a Condition: the bucket is never readable or writable by everyone.",
        severity: "critical",
        controls: ["S3.2", "S3.3"],
        remediation:
            "Name the principals that need access (role or account ARNs) in the Allow statement, or add a Condition (for example aws:PrincipalOrgID or aws:SourceAccount) that restricts it.",
    },
    [TYPES.bucketPolicy],
    (props, _args, report) => {
        const parsed = parsePolicyDocument(props.policy);
        if (parsed.ok !== true) {
            return;
        }
        for (const s of parsed.statements) {
            if (s.effect === "Allow" && (isEveryonePrincipal(s.principal) || s.notPrincipal !== undefined) && Object.keys(s.condition).length === 0) {
                report(`${statementLabel(s)} allows ${s.actions.join(", ") || "actions"} to everyone without a Condition`);
            }
        }
    },
);

/** Storage classes that make a replica cheap without lifecycle tiers. */
const ARCHIVE_REPLICA_CLASSES = ["GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"];

/** The Enabled rules of a lifecycle configuration. */
function enabledRules(lifecycle: StackNode): Record<string, unknown>[] | typeof UNKNOWN {
    if (lifecycle.props.rules === UNKNOWN) {
        return UNKNOWN;
    }
    return asList(lifecycle.props.rules)
        .map((r) => asRecord(r) ?? {})
        .filter((r) => r.status === "Enabled");
}

/** True when the bucket receives replicas in an archive storage class. */
function isArchiveReplicaDestination(stack: StackView, bucket: StackNode): boolean {
    return stack.ofType(TYPES.bucketReplication).some((repl) =>
        asList(repl.props.rules).some((rule) => {
            const destination = asRecord(asRecord(rule)?.destination);
            const target = stack.bucketFor(repl, "rules", destination?.bucket);
            return target?.urn === bucket.urn && ARCHIVE_REPLICA_CLASSES.includes(asString(destination?.storageClass) ?? "");
        }),
    );
}

/** Every bucket has a lifecycle configuration with tiers and a noncurrent-version expiry. */
export const lifecycleConfigured: StackValidationPolicy = stackGuardrail(
    {
        name: "s3-lifecycle-configured",
        description:
            "Every S3 bucket has one aws.s3.BucketLifecycleConfiguration with Enabled rules: storage-class tiers for current versions (unless the bucket only receives replicas in an archive class), and an expiry of noncurrent versions when the bucket is versioned, so storage stays cheap and old versions do not pile up.",
        severity: "medium",
        controls: ["S3.13", "S3.10"],
        remediation:
            "Declare one aws.s3.BucketLifecycleConfiguration per bucket (BackupBucket builds it from bucket.lifecycle: tiers at 90/180 days and noncurrentVersions.expireAfterDays).",
    },
    (stack, _args, report) => {
        for (const bucket of stack.ofType(TYPES.bucket)) {
            const name = shortName(bucket.urn);
            const lifecycles = stack.sideResources(bucket, TYPES.bucketLifecycle);
            if (lifecycles.length === 0) {
                report(`bucket ${name} has no aws.s3.BucketLifecycleConfiguration: objects never move to cheaper storage classes`, bucket.urn);
                continue;
            }
            if (lifecycles.length > 1) {
                report(`bucket ${name} has ${lifecycles.length} lifecycle configurations; S3 keeps one per bucket, so they overwrite each other`, bucket.urn);
            }
            const rules = lifecycles.map(enabledRules);
            if (rules.includes(UNKNOWN)) {
                continue;
            }
            const enabled = (rules as Record<string, unknown>[][]).flat();
            if (enabled.length === 0) {
                report(`the lifecycle configuration of ${name} has no Enabled rule`, lifecycles[0].urn);
                continue;
            }
            const hasTiers = enabled.some((r) => asList(r.transitions).length > 0);
            // Tiers held until the replication backfill (BackupBucket archiveHold) are tiers too: the
            // Disabled rule that carries them is enabled once the backfill is recorded.
            const heldTiers = lifecycles.some((l) => asList(l.props.rules).some((r) => asRecord(r)?.id === HELD_ARCHIVE_RULE_ID && asList(asRecord(r)?.transitions).length > 0));
            if (!hasTiers && !heldTiers && !isArchiveReplicaDestination(stack, bucket)) {
                report(`the lifecycle configuration of ${name} has no Enabled rule with transitions (storage-class tiers)`, lifecycles[0].urn);
            }
            const versioned = stack
                .sideResources(bucket, TYPES.bucketVersioning)
                .some((v) => asRecord(v.props.versioningConfiguration)?.status === "Enabled");
            const expiresNoncurrent = enabled.some((r) => asNumber(asRecord(r.noncurrentVersionExpiration)?.noncurrentDays) !== undefined);
            if (versioned && !expiresNoncurrent) {
                report(
                    `bucket ${name} is versioned but no Enabled lifecycle rule has noncurrentVersionExpiration.noncurrentDays: overwritten and deleted versions are kept (and billed) forever`,
                    lifecycles[0].urn,
                );
            }
        }
    },
);

/** Tiers of a list of lifecycle transitions, or undefined when one is given by date or not known. */
function tiersOf(list: unknown, daysKey: "days" | "noncurrentDays"): LifecycleTier[] | undefined {
    const tiers: LifecycleTier[] = [];
    for (const t of asList(list)) {
        const rec = asRecord(t) ?? {};
        const days = asNumber(rec[daysKey]);
        if (days === undefined) {
            return undefined;
        }
        tiers.push({ days, storageClass: asString(rec.storageClass) as LifecycleTier["storageClass"] });
    }
    return tiers;
}

/** Every lifecycle rule's transitions pass S3's rules (`checkTiers`, shared with config validation). */
export const lifecycleTiersValid: ResourceValidationPolicy = resourceGuardrail(
    {
        name: "s3-lifecycle-tiers-valid",
        description:
            "Every lifecycle rule's transitions (current and noncurrent versions) follow S3's rules: ascending days, only down the storage-class waterfall, Standard-IA/One Zone-IA from day 30, Glacier classes at least 30 days after an IA class; and no expiredObjectDeleteMarker together with days or date.",
        severity: "medium",
        controls: ["S3.13"],
        remediation:
            "Fix the tiers in the stack's bucket.lifecycle settings (config validation runs the same checkTiers from components/bucket/lifecycle.ts and names the offending key).",
    },
    [TYPES.bucketLifecycle],
    (props, _args, report) => {
        asList(props.rules).forEach((r, i) => {
            const rule = asRecord(r) ?? {};
            const label = `rules[${i}]${typeof rule.id === "string" ? ` (${rule.id})` : ""}`;
            const expiration = asRecord(rule.expiration);
            const current = tiersOf(rule.transitions, "days");
            if (current) {
                for (const e of checkTiers(current, asNumber(expiration?.days)).errors) {
                    report(`${label}.transitions${formatPath(e.path)}: ${e.message}`);
                }
            }
            const noncurrent = tiersOf(rule.noncurrentVersionTransitions, "noncurrentDays");
            if (noncurrent) {
                const expire = asNumber(asRecord(rule.noncurrentVersionExpiration)?.noncurrentDays);
                for (const e of checkTiers(noncurrent, expire).errors) {
                    report(`${label}.noncurrentVersionTransitions${formatPath(e.path)}: ${e.message}`);
                }
            }
            if (expiration?.expiredObjectDeleteMarker === true && (expiration.days !== undefined || expiration.date !== undefined)) {
                report(`${label}.expiration: expiredObjectDeleteMarker cannot be combined with days or date (S3 API LifecycleExpiration; pulumi/pulumi-aws#2128)`);
            }
        });
    },
);

/** The S3 policies, in the order the pack lists them. */
export const s3Policies = [
    bucketVersioningEnabled,
    publicAccessBlock,
    tlsOnlyBucketPolicy,
    defaultEncryption,
    bucketOwnerEnforced,
    bucketPolicyNoPublicAllow,
    lifecycleConfigured,
    lifecycleTiersValid,
];

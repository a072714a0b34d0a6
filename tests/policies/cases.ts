/**
 * For every policy of the pack: compliant resource sets (no violation expected) and violating ones
 * (the policy must fire, with a message matching `expect`, on the resource `urn` when given).
 * `policies.test.ts` runs them all and fails when a policy of the pack has no case here.
 */
import type { PolicyPackConfig } from "@pulumi/policy";
import { DECOMMISSION_TAG } from "../../components/fsx/decommission";
import { replicationRolePolicy } from "../../components/replication/policies";
import type { PolicyTestResource } from "../../tools/offline/policyArgs";
import {
    accessGroup,
    ACCOUNT,
    bucketSet,
    doc,
    DR_ACCOUNT,
    DR_ARN,
    instance,
    labStatements,
    lustreSet,
    replicationSet,
    replicationStatements,
    res,
    SOURCE_ARN,
    TYPES,
    urn,
} from "../helpers/policyFixtures";

/** One case. */
export interface PolicyCase {
    readonly title: string;
    readonly resources: PolicyTestResource[];
    readonly config?: PolicyPackConfig;
    /** Violating cases: what a message must say. */
    readonly expect?: RegExp;
    /** Violating cases: the URN the violation names. */
    readonly urn?: string;
}

/** Cases per policy name. */
export type CaseTable = Record<string, { compliant: PolicyCase[]; violating: PolicyCase[] }>;

const BUCKET_URN = urn(TYPES.bucket, "data");
const LIFECYCLE_URN = urn(TYPES.bucketLifecycle, "data-lifecycle");

/** Replaces the inputs of the resource named `name` in a set. */
function withProps(resources: PolicyTestResource[], name: string, props: Record<string, unknown>): PolicyTestResource[] {
    return resources.map((r) => (r.name === name ? { ...r, props: { ...r.props, ...props }, stackProps: r.stackProps ? { ...r.stackProps, ...props } : undefined } : r));
}

/** Replaces the options of the resource named `name` in a set. */
function withOptions(resources: PolicyTestResource[], name: string, options: Partial<PolicyTestResource>): PolicyTestResource[] {
    return resources.map((r) => (r.name === name ? { ...r, ...options } : r));
}

const policy = (name: string, statements: Parameters<typeof doc>[0], type: string = TYPES.iamPolicy) => res(type, name, { policy: doc(statements) });

export const CASES: CaseTable = {
    "s3-bucket-versioning-enabled": {
        compliant: [
            { title: "a bucket with Enabled versioning (linked by value and dependency)", resources: bucketSet() },
            { title: "linked by value only", resources: bucketSet({ link: "value" }) },
            { title: "linked by property dependency only (bucket id unknown in preview)", resources: bucketSet({ link: "dependency" }) },
        ],
        violating: [
            { title: "no BucketVersioning", resources: bucketSet({ without: [TYPES.bucketVersioning] }), expect: /no aws\.s3\.BucketVersioning/, urn: BUCKET_URN },
            {
                title: "versioning Suspended",
                resources: bucketSet({ override: { [TYPES.bucketVersioning]: { versioningConfiguration: { status: "Suspended" } } } }),
                expect: /"Suspended"; it must be "Enabled"/,
                urn: urn(TYPES.bucketVersioning, "data-versioning"),
            },
        ],
    },
    "s3-public-access-block": {
        compliant: [{ title: "all four settings true", resources: bucketSet() }],
        violating: [
            { title: "no public access block", resources: bucketSet({ without: [TYPES.bucketPublicAccessBlock] }), expect: /no aws\.s3\.BucketPublicAccessBlock/, urn: BUCKET_URN },
            {
                title: "restrictPublicBuckets false and ignorePublicAcls missing",
                resources: bucketSet({ override: { [TYPES.bucketPublicAccessBlock]: { blockPublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: false } } }),
                expect: /ignorePublicAcls, restrictPublicBuckets must be true/,
            },
            {
                title: "two public access blocks for one bucket",
                resources: [
                    ...bucketSet(),
                    res(TYPES.bucketPublicAccessBlock, "second-pab", { bucket: "example-bucket", blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }),
                ],
                expect: /2 public access blocks/,
            },
        ],
    },
    "s3-tls-only-bucket-policy": {
        compliant: [
            { title: "the project's tlsOnlyStatements", resources: bucketSet() },
            { title: "policy unknown during preview (checked at up)", resources: bucketSet({ link: "dependency" }) },
        ],
        violating: [
            { title: "no bucket policy", resources: bucketSet({ without: [TYPES.bucketPolicy] }), expect: /no bucket policy/, urn: BUCKET_URN },
            {
                title: "only a TLS-version deny, no SecureTransport deny",
                resources: bucketSet({
                    override: {
                        [TYPES.bucketPolicy]: {
                            policy: doc([
                                {
                                    Effect: "Deny",
                                    Principal: "*",
                                    Action: "s3:*",
                                    Resource: [SOURCE_ARN, `${SOURCE_ARN}/*`],
                                    Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } },
                                },
                            ]),
                        },
                    },
                }),
                expect: /does not deny insecure transport on arn:aws:s3:::example-bucket and arn:aws:s3:::example-bucket\/\*/,
            },
            {
                title: "deny covers the bucket but not its objects",
                resources: bucketSet({
                    override: {
                        [TYPES.bucketPolicy]: {
                            policy: doc([{ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: SOURCE_ARN, Condition: { Bool: { "aws:SecureTransport": "false" } } }]),
                        },
                    },
                }),
                expect: /on arn:aws:s3:::example-bucket\/\*/,
            },
            {
                title: "deny of some actions only",
                resources: bucketSet({
                    override: {
                        [TYPES.bucketPolicy]: {
                            policy: doc([
                                { Effect: "Deny", Principal: "*", Action: "s3:GetObject", Resource: [SOURCE_ARN, `${SOURCE_ARN}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } },
                            ]),
                        },
                    },
                }),
                expect: /does not deny insecure transport/,
            },
        ],
    },
    "s3-default-encryption": {
        compliant: [
            { title: "SSE-S3", resources: bucketSet() },
            {
                title: "SSE-KMS with a key",
                resources: bucketSet({
                    override: {
                        [TYPES.bucketEncryption]: {
                            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: `arn:aws:kms:us-east-1:${ACCOUNT}:key/abc` }, bucketKeyEnabled: true }],
                        },
                    },
                }),
            },
        ],
        violating: [
            { title: "no encryption configuration", resources: bucketSet({ without: [TYPES.bucketEncryption] }), expect: /no aws\.s3\.BucketServerSideEncryptionConfiguration/, urn: BUCKET_URN },
            {
                title: "an unknown algorithm",
                resources: bucketSet({ override: { [TYPES.bucketEncryption]: { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "none" } }] } } }),
                expect: /sseAlgorithm is "none"; allowed: AES256, aws:kms, aws:kms:dsse/,
            },
            { title: "no rules", resources: bucketSet({ override: { [TYPES.bucketEncryption]: { rules: [] } } }), expect: /has no rules/ },
        ],
    },
    "s3-bucket-owner-enforced": {
        compliant: [{ title: "BucketOwnerEnforced", resources: bucketSet() }],
        violating: [
            { title: "no ownership controls", resources: bucketSet({ without: [TYPES.bucketOwnershipControls] }), expect: /no aws\.s3\.BucketOwnershipControls/ },
            { title: "ObjectWriter", resources: bucketSet({ override: { [TYPES.bucketOwnershipControls]: { rule: { objectOwnership: "ObjectWriter" } } } }), expect: /must be "BucketOwnerEnforced"/ },
            {
                title: "a BucketAcl",
                resources: [...bucketSet(), res(TYPES.bucketAcl, "data-acl", { bucket: "example-bucket", acl: "private" })],
                expect: /must not have an aws\.s3\.BucketAcl/,
                urn: urn(TYPES.bucketAcl, "data-acl"),
            },
        ],
    },
    "s3-bucket-policy-no-public-allow": {
        compliant: [
            { title: "TLS-only deny statements", resources: bucketSet() },
            {
                title: "an Allow for a named role",
                resources: [
                    res(TYPES.bucketPolicy, "dr-policy", {
                        bucket: "example-dr-bucket",
                        policy: doc([{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/microbiome-replication` }, Action: ["s3:ReplicateObject"], Resource: `${DR_ARN}/*` }]),
                    }),
                ],
            },
        ],
        violating: [
            {
                title: "public read",
                resources: [res(TYPES.bucketPolicy, "public", { bucket: "example-bucket", policy: doc([{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `${SOURCE_ARN}/*` }]) })],
                expect: /allows s3:GetObject to everyone without a Condition/,
                urn: urn(TYPES.bucketPolicy, "public"),
            },
            {
                title: "public via {AWS: *}",
                resources: [res(TYPES.bucketPolicy, "public", { bucket: "example-bucket", policy: doc([{ Effect: "Allow", Principal: { AWS: "*" }, Action: "s3:PutObject", Resource: `${SOURCE_ARN}/*` }]) })],
                expect: /to everyone/,
            },
        ],
    },
    "s3-lifecycle-configured": {
        compliant: [
            { title: "tiers and noncurrent expiry", resources: bucketSet() },
            { title: "a DR bucket receiving DEEP_ARCHIVE replicas with a noncurrent expiry only", resources: replicationSet() },
        ],
        violating: [
            { title: "no lifecycle configuration", resources: bucketSet({ without: [TYPES.bucketLifecycle] }), expect: /no aws\.s3\.BucketLifecycleConfiguration/, urn: BUCKET_URN },
            {
                title: "no transitions",
                resources: bucketSet({
                    override: { [TYPES.bucketLifecycle]: { rules: [{ id: "nc", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays: 30 } }] } },
                }),
                expect: /no Enabled rule with transitions/,
                urn: LIFECYCLE_URN,
            },
            {
                title: "versioned without noncurrent expiry",
                resources: bucketSet({
                    override: { [TYPES.bucketLifecycle]: { rules: [{ id: "t", status: "Enabled", filter: {}, transitions: [{ days: 90, storageClass: "GLACIER_IR" }] }] } },
                }),
                expect: /noncurrentVersionExpiration/,
            },
            {
                title: "rules all Disabled",
                resources: bucketSet({
                    override: { [TYPES.bucketLifecycle]: { rules: [{ id: "t", status: "Disabled", filter: {}, transitions: [{ days: 90, storageClass: "GLACIER_IR" }] }] } },
                }),
                expect: /has no Enabled rule/,
            },
            {
                title: "a DR bucket receiving STANDARD replicas without tiers",
                resources: replicationSet({ storageClass: "STANDARD" }),
                expect: /no Enabled rule with transitions/,
                urn: urn(TYPES.bucketLifecycle, "dr-lifecycle"),
            },
        ],
    },
    "s3-lifecycle-tiers-valid": {
        compliant: [{ title: "the 90/180-day tiers from buildLifecycleRules", resources: bucketSet() }],
        violating: [
            {
                title: "Standard-IA before day 30",
                resources: bucketSet({
                    override: { [TYPES.bucketLifecycle]: { rules: [{ id: "t", status: "Enabled", filter: {}, transitions: [{ days: 10, storageClass: "STANDARD_IA" }] }] } },
                }),
                expect: /rules\[0\] \(t\)\.transitions\[0\]\.days: STANDARD_IA needs objects at least 30 days old/,
                urn: LIFECYCLE_URN,
            },
            {
                title: "back up the waterfall",
                resources: bucketSet({
                    override: {
                        [TYPES.bucketLifecycle]: {
                            rules: [
                                {
                                    id: "t",
                                    status: "Enabled",
                                    filter: {},
                                    transitions: [
                                        { days: 90, storageClass: "DEEP_ARCHIVE" },
                                        { days: 180, storageClass: "GLACIER_IR" },
                                    ],
                                },
                            ],
                        },
                    },
                }),
                expect: /transitions\[1\]\.storageClass: S3 lifecycle transitions only go down the waterfall/,
            },
            {
                title: "noncurrent tiers out of order",
                resources: bucketSet({
                    override: {
                        [TYPES.bucketLifecycle]: {
                            rules: [
                                {
                                    id: "nc",
                                    status: "Enabled",
                                    filter: {},
                                    noncurrentVersionTransitions: [
                                        { noncurrentDays: 60, storageClass: "GLACIER" },
                                        { noncurrentDays: 30, storageClass: "DEEP_ARCHIVE" },
                                    ],
                                },
                            ],
                        },
                    },
                }),
                expect: /noncurrentVersionTransitions\[1\]\.days: tiers must be in ascending order/,
            },
            {
                title: "expiredObjectDeleteMarker with days",
                resources: bucketSet({
                    override: { [TYPES.bucketLifecycle]: { rules: [{ id: "e", status: "Enabled", filter: {}, expiration: { expiredObjectDeleteMarker: true, days: 30 } }] } },
                }),
                expect: /expiredObjectDeleteMarker cannot be combined with days or date/,
            },
        ],
    },
    "data-retain-on-delete": {
        compliant: [
            { title: "protected bucket, versioning and side resources retainOnDelete", resources: bucketSet() },
            { title: "dev: unprotected bucket and side resources not retained (disposable)", resources: bucketSet({ protect: false, forceDestroy: true }) },
            { title: "retainOnDelete not sent (real CLI): not applicable", resources: withOptions(bucketSet(), "data", { retainOnDelete: undefined }) },
            { title: "a protected, retained Lustre file system", resources: lustreSet() },
            { title: "dev: an unprotected, unretained Lustre file system", resources: withOptions(lustreSet(), "lustre", { protect: false, retainOnDelete: false }) },
            { title: "a file system drained under the decommission record need not be retained", resources: withOptions(lustreSet({ fs: { tags: { [DECOMMISSION_TAG]: "export report clean 2027-03-31" } } }), "lustre", { protect: false, retainOnDelete: false }) },
        ],
        violating: [
            {
                title: "protected bucket not retained",
                resources: withOptions(bucketSet(), "data", { retainOnDelete: false }),
                expect: /Bucket data is protected but not retainOnDelete/,
                urn: BUCKET_URN,
            },
            {
                title: "protected versioning not retained",
                resources: withOptions(bucketSet(), "data-versioning", { retainOnDelete: false }),
                expect: /BucketVersioning data-versioning is protected but not retainOnDelete/,
            },
            {
                title: "protected bucket policy not retained",
                resources: withOptions(bucketSet(), "data-policy", { retainOnDelete: false }),
                expect: /BucketPolicy data-policy is protected but not retainOnDelete/,
                urn: urn(TYPES.bucketPolicy, "data-policy"),
            },
            {
                title: "protected replication configuration not retained",
                resources: withOptions(replicationSet(), "replication", { retainOnDelete: false }),
                expect: /BucketReplicationConfig replication is protected but not retainOnDelete/,
            },
            {
                title: "protected file system not retained",
                resources: withOptions(lustreSet(), "lustre", { retainOnDelete: false }),
                expect: /LustreFileSystem lustre is protected but not retainOnDelete/,
                urn: urn(TYPES.lustreFileSystem, "lustre"),
            },
        ],
    },
    "data-protected": {
        compliant: [
            { title: "protected, not force-destroyable", resources: bucketSet() },
            { title: "dev: unprotected and force-destroyable", resources: bucketSet({ protect: false, forceDestroy: true }) },
            { title: "prod config: bucket and side resources protected", resources: bucketSet(), config: { "data-protected": { requireProtect: true } } },
            {
                title: "prod config: a file system drained under the decommission record (tagged)",
                resources: withOptions(lustreSet({ fs: { tags: { [DECOMMISSION_TAG]: "export report clean 2027-03-31" } } }), "lustre", { protect: false, retainOnDelete: false }),
                config: { "data-protected": { requireProtect: true } },
            },
        ],
        violating: [
            { title: "protected but force-destroyable", resources: bucketSet({ forceDestroy: true }), expect: /bucket data: forceDestroy = true: must be false when the bucket is protected/, urn: BUCKET_URN },
            {
                title: "prod config: bucket and versioning unprotected",
                resources: bucketSet({ protect: false }),
                config: { "data-protected": { requireProtect: true } },
                expect: /not protected \(requireProtect is set/,
            },
            {
                title: "prod config: an unprotected file system without the decommission tag",
                resources: withOptions(lustreSet(), "lustre", { protect: false }),
                config: { "data-protected": { requireProtect: true } },
                expect: /LustreFileSystem lustre holds or guards data but is not protected/,
                urn: urn(TYPES.lustreFileSystem, "lustre"),
            },
            {
                title: "prod config: a lifecycle configuration unprotected",
                resources: withOptions(bucketSet(), "data-lifecycle", { protect: false }),
                config: { "data-protected": { requireProtect: true } },
                expect: /BucketLifecycleConfiguration data-lifecycle holds or guards data but is not protected/,
                urn: LIFECYCLE_URN,
            },
        ],
    },
    "data-side-resources-protected": {
        compliant: [
            { title: "protected bucket, every side resource protected", resources: bucketSet() },
            { title: "dev: unprotected bucket, unprotected side resources", resources: bucketSet({ protect: false, forceDestroy: true }) },
            { title: "preview of a new bucket: side resources linked by dependency only", resources: bucketSet({ link: "dependency" }) },
            { title: "protected replication configuration of a protected bucket", resources: replicationSet() },
        ],
        violating: [
            {
                title: "an unprotected bucket policy on a protected bucket",
                resources: withOptions(bucketSet(), "data-policy", { protect: false }),
                expect: /BucketPolicy data-policy configures the protected bucket data but is not protected/,
                urn: urn(TYPES.bucketPolicy, "data-policy"),
            },
            {
                title: "an unprotected public access block (side resource linked by dependency only)",
                resources: withOptions(bucketSet({ link: "dependency" }), "data-public-access-block", { protect: false }),
                expect: /BucketPublicAccessBlock data-public-access-block configures the protected bucket/,
            },
            {
                title: "an unprotected replication configuration on a protected source bucket",
                resources: withOptions(replicationSet(), "replication", { protect: false }),
                expect: /BucketReplicationConfig replication configures the protected bucket data/,
                urn: urn(TYPES.bucketReplication, "replication"),
            },
        ],
    },
    "iam-no-user-policies": {
        compliant: [
            { title: "a group policy", resources: accessGroup(labStatements()) },
            { title: "PolicyAttachment to groups only", resources: [res(TYPES.iamPolicyAttachment, "attach", { policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess", groups: ["lab"] })] },
            { title: "UserPoliciesExclusive enforcing none", resources: [res(TYPES.iamUserPoliciesExclusive, "none", { userName: "lab-machine", policyNames: [] })] },
        ],
        violating: [
            { title: "a UserPolicy", resources: [policy("inline", labStatements(), TYPES.iamUserPolicy)], expect: /puts an inline policy on user/, urn: urn(TYPES.iamUserPolicy, "inline") },
            { title: "a UserPolicyAttachment", resources: [res(TYPES.iamUserPolicyAttachment, "attach", { user: "lab-machine", policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" })], expect: /attaches a policy to user "lab-machine"/ },
            { title: "PolicyAttachment with users", resources: [res(TYPES.iamPolicyAttachment, "attach", { policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess", users: ["lab-machine"] })], expect: /attaches a policy to users/ },
            { title: "UserPolicyAttachmentsExclusive naming policies", resources: [res(TYPES.iamUserPolicyAttachmentsExclusive, "keep", { userName: "u", policyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] })], expect: /the list must be empty/ },
        ],
    },
    "iam-no-wildcard-allow-actions": {
        compliant: [
            { title: "explicit actions", resources: [policy("lab", labStatements())] },
            { title: "Deny s3:* in the TLS bucket policy", resources: bucketSet() },
            { title: "a trust policy with sts:AssumeRole", resources: replicationSet() },
        ],
        violating: [
            { title: "s3:*", resources: [policy("wild", [{ Effect: "Allow", Action: "s3:*", Resource: SOURCE_ARN }])], expect: /policy: statement #1 allows s3:\*/, urn: urn(TYPES.iamPolicy, "wild") },
            { title: "* in a role policy", resources: [policy("admin", [{ Sid: "Admin", Effect: "Allow", Action: ["*"], Resource: "*" }], TYPES.iamRolePolicy)], expect: /statement "Admin" allows \*/ },
            {
                title: "s3:* in a role's inlinePolicies",
                resources: [res(TYPES.iamRole, "r", { assumeRolePolicy: doc([{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }]), inlinePolicies: [{ name: "x", policy: doc([{ Effect: "Allow", Action: "s3:*", Resource: "*" }]) }] })],
                expect: /inlinePolicies\[0\]\.policy: statement #1 allows s3:\*/,
            },
            {
                title: "a bucket policy allowing s3:* to a role",
                resources: [res(TYPES.bucketPolicy, "bp", { bucket: "b", policy: doc([{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "s3:*", Resource: SOURCE_ARN }]) })],
                expect: /allows s3:\*/,
            },
            { title: "a malformed document", resources: [res(TYPES.iamGroupPolicy, "bad", { group: "g", policy: "{not json" })], expect: /not valid JSON/ },
        ],
    },
    "iam-no-allow-not-action": {
        compliant: [
            { title: "explicit actions", resources: [policy("lab", labStatements())] },
            { title: "Deny with NotAction", resources: [policy("deny", [{ Effect: "Deny", NotAction: ["s3:GetObject"], Resource: "*" }])] },
        ],
        violating: [
            {
                title: "Allow with NotAction",
                resources: [policy("notaction", [{ Effect: "Allow", NotAction: "iam:*", Resource: "*" }], TYPES.iamGroupPolicy)],
                expect: /Allow with NotAction \["iam:\*"\]/,
                urn: urn(TYPES.iamGroupPolicy, "notaction"),
            },
        ],
    },
    "iam-access-identity-confined-to-bucket": {
        compliant: [
            { title: "bucket-scoped lab statements", resources: [...bucketSet(), ...accessGroup(labStatements())] },
            {
                title: "plus password/MFA self-service for console users",
                resources: [
                    ...bucketSet(),
                    ...accessGroup([
                        ...labStatements(),
                        { Sid: "ViewAccountInfo", Effect: "Allow", Action: ["iam:GetAccountPasswordPolicy", "iam:ListVirtualMFADevices"], Resource: "*" },
                        {
                            Sid: "ManageOwnCredentials",
                            Effect: "Allow",
                            Action: ["iam:ChangePassword", "iam:GetUser", "iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:ListMFADevices"],
                            Resource: ["arn:aws:iam::*:user/${aws:username}", "arn:aws:iam::*:mfa/${aws:username}"],
                        },
                        { Sid: "DenyWithoutMfa", Effect: "Deny", NotAction: ["iam:ChangePassword", "iam:ListMFADevices"], Resource: "*", Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } } },
                    ]),
                ],
            },
            {
                title: "with a managed policy declared in the stack and attached to the group",
                resources: [
                    ...bucketSet(),
                    res(TYPES.iamGroup, "lab-access", { name: "lab" }, { stackProps: { name: "lab", id: "lab", arn: `arn:aws:iam::${ACCOUNT}:group/lab` } }),
                    res(TYPES.iamPolicy, "lab-policy", { policy: doc(labStatements()) }, { stackProps: { policy: doc(labStatements()), arn: `arn:aws:iam::${ACCOUNT}:policy/lab` } }),
                    res(TYPES.iamGroupPolicyAttachment, "attach", { group: "lab", policyArn: `arn:aws:iam::${ACCOUNT}:policy/lab` }),
                ],
            },
        ],
        violating: [
            {
                title: "objects of any bucket",
                resources: [...bucketSet(), ...accessGroup([{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::*/*" }])],
                expect: /reaches arn:aws:s3:::\*\/\*, outside the backup bucket/,
                urn: urn(TYPES.iamGroupPolicy, "lab-access-policy"),
            },
            {
                title: "another service",
                resources: [...bucketSet(), ...accessGroup([{ Effect: "Allow", Action: ["iam:PassRole"], Resource: `arn:aws:iam::${ACCOUNT}:role/x` }])],
                expect: /allows iam:PassRole: the access identity may only use S3/,
            },
            {
                title: "self-service on every user",
                resources: [...bucketSet(), ...accessGroup([{ Effect: "Allow", Action: ["iam:ChangePassword", "iam:EnableMFADevice"], Resource: "arn:aws:iam::*:user/*" }])],
                expect: /lets users manage IAM identities other than their own \(arn:aws:iam::\*:user\/\*\)/,
            },
            {
                title: "bucket administration",
                resources: [...bucketSet(), ...accessGroup([{ Effect: "Allow", Action: ["s3:PutBucketPolicy", "s3:DeleteObjectVersion"], Resource: [SOURCE_ARN, `${SOURCE_ARN}/*`] }])],
                expect: /s3:DeleteObjectVersion: bucket identities never get configuration or version-deletion actions/,
            },
            {
                title: "s3:*Object matches s3:ReplicateObject",
                resources: [...bucketSet(), ...accessGroup([{ Effect: "Allow", Action: ["s3:*Object"], Resource: `${SOURCE_ARN}/*` }])],
                expect: /s3:\*Object: wildcard actions are not allowed .*it would grant s3:ReplicateObject/,
            },
            {
                title: "a read of the bucket policy (a configuration action)",
                resources: [...bucketSet(), ...accessGroup([{ Effect: "Allow", Action: ["s3:GetBucketPolicy"], Resource: SOURCE_ARN }])],
                expect: /statement #1 of the access group lab-access's policy: s3:GetBucketPolicy: bucket identities never get/,
            },
            {
                title: "Allow with NotAction",
                resources: [...bucketSet(), ...accessGroup([{ Effect: "Allow", NotAction: ["iam:*"], Resource: `${SOURCE_ARN}/*` }])],
                expect: /an Allow with NotAction grants every other action/,
            },
            {
                title: "the DR bucket",
                resources: [...replicationSet(), ...accessGroup([{ Effect: "Allow", Action: ["s3:GetObject"], Resource: `${DR_ARN}/*` }])],
                expect: /reaches arn:aws:s3:::example-dr-bucket\/\*/,
            },
            {
                title: "an AWS managed policy attached to the group",
                resources: [
                    ...bucketSet(),
                    ...accessGroup(labStatements()),
                    res(TYPES.iamGroupPolicyAttachment, "managed", { group: "microbiome-lab-access", policyArn: "arn:aws:iam::aws:policy/AmazonS3FullAccess" }),
                ],
                expect: /attaches arn:aws:iam::aws:policy\/AmazonS3FullAccess to the access group/,
                urn: urn(TYPES.iamGroupPolicyAttachment, "managed"),
            },
        ],
    },
    "s3-replication-requires-versioning": {
        compliant: [
            { title: "both buckets versioned, configuration depends on both", resources: replicationSet() },
            { title: "an external DR bucket (S3 checks its versioning)", resources: replicationSet({ drInStack: false }) },
        ],
        violating: [
            { title: "DR bucket unversioned", resources: replicationSet({ drVersioning: "none" }), expect: /versioning Enabled on the destination bucket dr \(found no versioning resource\)/, urn: urn(TYPES.bucketReplication, "replication") },
            { title: "DR versioning Suspended", resources: replicationSet({ drVersioning: "Suspended" }), expect: /versioning Enabled on the destination bucket dr \(found Suspended\)/ },
            { title: "no dependsOn the versioning", resources: replicationSet({ dependsOnVersioning: false }), expect: /does not depend on data-versioning/ },
            {
                title: "source bucket unversioned",
                resources: replicationSet().filter((r) => r.name !== "data-versioning"),
                expect: /versioning Enabled on the source bucket data \(found no versioning resource\)/,
            },
        ],
    },
    "s3-replication-role-minimal": {
        compliant: [
            { title: "the documented actions on the two buckets", resources: replicationSet() },
            {
                title: "the builder's SSE-KMS statements (Decrypt on the source key, Encrypt on the replica key)",
                resources: replicationSet({
                    statements: replicationRolePolicy({
                        sourceBucketArn: SOURCE_ARN,
                        destinationBucketArn: DR_ARN,
                        sourceRegion: "us-east-1",
                        destinationRegion: "us-west-2",
                        sourceKmsKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/source`,
                        replicaKmsKeyArn: `arn:aws:kms:us-west-2:${DR_ACCOUNT}:key/replica`,
                    }).Statement,
                }),
            },
            {
                title: "owner override with accessControlTranslation",
                resources: replicationSet({
                    statements: [...replicationStatements(), { Effect: "Allow", Action: "s3:ObjectOwnerOverrideToBucketOwner", Resource: `${DR_ARN}/*` }],
                    destination: { accessControlTranslation: { owner: "Destination" } },
                }),
            },
        ],
        violating: [
            {
                title: "an extra action",
                resources: replicationSet({ statements: [...replicationStatements(), { Effect: "Allow", Action: "s3:GetObject", Resource: `${SOURCE_ARN}/*` }] }),
                expect: /allows s3:GetObject, which replication does not need/,
                urn: urn(TYPES.iamRolePolicy, "replication-role-policy"),
            },
            { title: "s3:*", resources: replicationSet({ statements: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] }), expect: /allows s3:\*/ },
            {
                title: "replicate into another bucket",
                resources: replicationSet({ statements: [{ Effect: "Allow", Action: ["s3:ReplicateObject"], Resource: "arn:aws:s3:::someone-elses-bucket/*" }] }),
                expect: /applies to arn:aws:s3:::someone-elses-bucket\/\*/,
            },
            {
                title: "trust to another account",
                resources: replicationSet({ trust: doc([{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${DR_ACCOUNT}:root` }, Action: "sts:AssumeRole" }]) }),
                expect: /lets .* assume the role; only s3\.amazonaws\.com/,
                urn: urn(TYPES.iamRole, "replication-role"),
            },
            {
                title: "owner override without accessControlTranslation",
                resources: replicationSet({ statements: [...replicationStatements(), { Effect: "Allow", Action: "s3:ObjectOwnerOverrideToBucketOwner", Resource: `${DR_ARN}/*` }] }),
                expect: /ObjectOwnerOverrideToBucketOwner but no rule sets/,
            },
            {
                title: "an AWS managed policy attached",
                resources: [
                    ...replicationSet(),
                    res(TYPES.iamRolePolicyAttachment, "managed", { role: "microbiome-replication", policyArn: "arn:aws:iam::aws:policy/AmazonS3FullAccess" }),
                ],
                expect: /attaches arn:aws:iam::aws:policy\/AmazonS3FullAccess to the replication role/,
            },
        ],
    },
    "fsx-lustre-persistent2-settings": {
        compliant: [
            { title: "1200 GiB at 125 MB/s/TiB, 2.15", resources: lustreSet() },
            { title: "4800 GiB at 250 with user-provisioned metadata", resources: lustreSet({ fs: { storageCapacity: 4800, perUnitStorageThroughput: 250, metadataConfiguration: { mode: "USER_PROVISIONED", iops: 24000 } } }) },
        ],
        violating: [
            { title: "throughput 200", resources: lustreSet({ fs: { perUnitStorageThroughput: 200 } }), expect: /perUnitStorageThroughput = 200: PERSISTENT_2 SSD throughput tiers are 125, 250, 500, 1000/, urn: urn(TYPES.lustreFileSystem, "lustre") },
            { title: "capacity 1800", resources: lustreSet({ fs: { storageCapacity: 1800 } }), expect: /storageCapacity = 1800: must be 1200 GiB or a multiple of 2400 GiB/ },
            { title: "Lustre 2.10", resources: lustreSet({ fs: { fileSystemTypeVersion: "2.10" } }), expect: /fileSystemTypeVersion = "2\.10": Lustre 2\.10 is not available with PERSISTENT_2/ },
            { title: "version not set", resources: lustreSet({ fs: { fileSystemTypeVersion: undefined } }), expect: /fileSystemTypeVersion = \(missing\): set it explicitly to 2\.15/ },
            { title: "PERSISTENT_1", resources: lustreSet({ fs: { deploymentType: "PERSISTENT_1", perUnitStorageThroughput: 50 } }), expect: /deploymentType = "PERSISTENT_1": this stack uses PERSISTENT_2/ },
            { title: "metadata iops 5000", resources: lustreSet({ fs: { metadataConfiguration: { mode: "USER_PROVISIONED", iops: 5000 } } }), expect: /metadataConfiguration\.iops = 5000: metadata IOPS must be 1500, 3000, 6000/ },
            { title: "an import path", resources: lustreSet({ fs: { importPath: "s3://example-bucket" } }), expect: /importPath = "s3:\/\/example-bucket": not supported with PERSISTENT_2: link S3 through aws\.fsx\.DataRepositoryAssociation/ },
            { title: "backups kept for 91 days", resources: lustreSet({ dra: false, fs: { automaticBackupRetentionDays: 91 } }), expect: /automaticBackupRetentionDays = 91: a whole number of days from 0/ },
            { title: "HDD storage", resources: lustreSet({ fs: { storageType: "HDD" } }), expect: /storageType = "HDD"/ },
        ],
    },
    "fsx-data-repository-associations-valid": {
        compliant: [
            { title: "one association for the whole bucket at /data", resources: lustreSet() },
            { title: "a data repository path not known yet (preview)", resources: withProps(lustreSet(), "lustre-dra", { dataRepositoryPath: "[unknown]" }) },
        ],
        violating: [
            {
                title: "a file system path without the leading /",
                resources: withProps(lustreSet(), "lustre-dra", { fileSystemPath: "data" }),
                expect: /fileSystemPath = "data": must start with \//,
                urn: urn(TYPES.dataRepositoryAssociation, "lustre-dra"),
            },
            { title: "deleteDataInFilesystem true", resources: withProps(lustreSet(), "lustre-dra", { deleteDataInFilesystem: true }), expect: /deleteDataInFilesystem = true: must be false/ },
            { title: "an unknown event", resources: withProps(lustreSet(), "lustre-dra", { s3: { autoImportPolicy: { events: ["NEW", "RENAMED"] } } }), expect: /s3\.autoImportPolicy\.events\[1\] = "RENAMED": one of NEW, CHANGED, DELETED/ },
            {
                title: "two associations with nested paths",
                resources: [
                    ...lustreSet(),
                    res(
                        TYPES.dataRepositoryAssociation,
                        "lustre-dra-raw",
                        { fileSystemId: "fs-0123456789abcdef0", fileSystemPath: "/data/raw", dataRepositoryPath: "s3://other-bucket/raw/" },
                        { dependencies: [urn(TYPES.lustreFileSystem, "lustre")], propertyDependencies: { fileSystemId: [urn(TYPES.lustreFileSystem, "lustre")] } },
                    ),
                ],
                expect: /fileSystemPath = "\/data\/raw": nested with dataRepositoryAssociations\[0\]/,
                urn: urn(TYPES.dataRepositoryAssociation, "lustre-dra-raw"),
            },
        ],
    },
    "fsx-no-backups-with-dra": {
        compliant: [
            { title: "linked, retention 0", resources: lustreSet() },
            { title: "no DRA: backups allowed", resources: lustreSet({ dra: false, fs: { automaticBackupRetentionDays: 7, dailyAutomaticBackupStartTime: "05:00" } }) },
        ],
        violating: [
            { title: "linked, retention 7", resources: lustreSet({ fs: { automaticBackupRetentionDays: 7 } }), expect: /automaticBackupRetentionDays = 7: must be 0: FSx takes no backups/, urn: urn(TYPES.lustreFileSystem, "lustre") },
            { title: "linked, copyTagsToBackups", resources: lustreSet({ fs: { copyTagsToBackups: true } }), expect: /copyTagsToBackups = true: not allowed/ },
            { title: "linked, daily backup time", resources: lustreSet({ fs: { dailyAutomaticBackupStartTime: "05:00" } }), expect: /dailyAutomaticBackupStartTime = "05:00": not allowed/ },
        ],
    },
    "fsx-lustre-security-group-ports": {
        compliant: [
            { title: "inline self-referencing ingress", resources: lustreSet() },
            { title: "separate SecurityGroupIngressRule resources", resources: lustreSet({ ports: "rules" }) },
            {
                title: "an ingress aws.ec2.SecurityGroupRule with self for all traffic",
                resources: [
                    ...lustreSet({ ports: "none" }),
                    res(TYPES.securityGroupRule, "lustre-all", { type: "ingress", securityGroupId: "sg-0123456789abcdef0", protocol: "-1", fromPort: 0, toPort: 0, self: true }),
                ],
            },
        ],
        violating: [
            { title: "only 988", resources: lustreSet({ ports: "988-only" }), expect: /security groups lustre-sg: .*must allow TCP 1018–1023 inbound from itself \(missing: 1018, 1019, 1020, 1021, 1022, 1023\)/, urn: urn(TYPES.lustreFileSystem, "lustre") },
            { title: "no rules", resources: lustreSet({ ports: "none" }), expect: /must allow TCP 988 inbound from itself/ },
            { title: "a group not declared in the stack", resources: lustreSet({ fs: { securityGroupIds: ["sg-external"] } }).filter((r) => r.type !== TYPES.securityGroup), expect: /are not declared in this stack/ },
            {
                title: "ports open from a CIDR, not from the group",
                resources: withProps(lustreSet({ ports: "none" }), "lustre-sg", { ingress: [{ protocol: "tcp", fromPort: 988, toPort: 1023, cidrBlocks: ["10.0.0.0/16"] }] }),
                expect: /TCP 988/,
            },
        ],
    },
    "s3-no-notification-on-auto-import-bucket": {
        compliant: [
            { title: "auto-import without a BucketNotification", resources: lustreSet() },
            {
                title: "a BucketNotification without auto-import",
                resources: [...lustreSet({ autoImport: [] }), res(TYPES.bucketNotification, "events", { bucket: "example-bucket", eventbridge: true })],
            },
            {
                title: "a BucketNotification on another bucket",
                resources: [...lustreSet(), res(TYPES.bucketNotification, "events", { bucket: "other-bucket", eventbridge: true })],
            },
        ],
        violating: [
            {
                title: "a BucketNotification on the auto-imported bucket",
                resources: [...lustreSet(), res(TYPES.bucketNotification, "events", { bucket: "example-bucket", eventbridge: true })],
                expect: /bucket example-bucket is auto-imported by lustre-dra/,
                urn: urn(TYPES.bucketNotification, "events"),
            },
            {
                title: "linked by property dependency during preview",
                resources: [
                    ...lustreSet(),
                    res(TYPES.bucketNotification, "events", { bucket: "[unknown]" }, { propertyDependencies: { bucket: [urn(TYPES.bucket, "data")] } }),
                ],
                expect: /auto-imported/,
            },
        ],
    },
    "ec2-imdsv2-required": {
        compliant: [
            { title: "httpTokens required", resources: [instance()] },
            { title: "metadata from a launch template", resources: [instance({ metadataOptions: undefined, launchTemplate: { id: "lt-1" } })] },
        ],
        violating: [
            { title: "httpTokens optional", resources: [instance({ metadataOptions: { httpTokens: "optional" } })], expect: /httpTokens is "optional"; it must be "required"/, urn: urn(TYPES.instance, "sync-host") },
            { title: "no metadataOptions", resources: [instance({ metadataOptions: undefined })], expect: /httpTokens is undefined/ },
            { title: "a launch template without IMDSv2", resources: [res(TYPES.launchTemplate, "lt", { metadataOptions: { httpTokens: "optional" } })], expect: /must be "required"/ },
        ],
    },
    "ec2-no-public-ip": {
        compliant: [{ title: "associatePublicIpAddress false", resources: [instance()] }],
        violating: [
            { title: "true", resources: [instance({ associatePublicIpAddress: true })], expect: /would get a public IPv4 address/, urn: urn(TYPES.instance, "sync-host") },
            { title: "unset", resources: [instance({ associatePublicIpAddress: undefined })], expect: /is not set: the subnet's mapPublicIpOnLaunch would decide/ },
            { title: "a launch template asking for one", resources: [res(TYPES.launchTemplate, "lt", { networkInterfaces: [{ associatePublicIpAddress: "true" }] })], expect: /networkInterfaces\[0\]\.associatePublicIpAddress is true/ },
        ],
    },
    "ec2-encrypted-volumes": {
        compliant: [
            { title: "encrypted root volume", resources: [instance()] },
            { title: "an encrypted EBS volume", resources: [res(TYPES.ebsVolume, "data", { availabilityZone: "us-east-1a", size: 100, encrypted: true })] },
        ],
        violating: [
            { title: "unencrypted root", resources: [instance({ rootBlockDevice: { encrypted: false } })], expect: /rootBlockDevice\.encrypted must be true/, urn: urn(TYPES.instance, "sync-host") },
            { title: "no root block device declared", resources: [instance({ rootBlockDevice: undefined })], expect: /declare rootBlockDevice with encrypted: true/ },
            { title: "an unencrypted extra volume", resources: [instance({ ebsBlockDevices: [{ deviceName: "/dev/sdf", volumeSize: 10 }] })], expect: /ebsBlockDevices\[0\]\.encrypted must be true/ },
            { title: "an unencrypted EBS volume", resources: [res(TYPES.ebsVolume, "data", { availabilityZone: "us-east-1a", size: 100 })], expect: /encrypted must be true/ },
            { title: "a launch template volume", resources: [res(TYPES.launchTemplate, "lt", { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "false" } }] })], expect: /blockDeviceMappings\[0\]\.ebs\.encrypted must be "true"/ },
        ],
    },
    "ec2-no-admin-ports-from-anywhere": {
        compliant: [
            { title: "HTTPS egress-only host group", resources: [res(TYPES.securityGroup, "host", { ingress: [], egress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }] })] },
            { title: "SSH from a private range", resources: [res(TYPES.securityGroup, "host", { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.0.0.0/8"] }] })] },
            { title: "443 from anywhere", resources: [res(TYPES.securityGroupIngressRule, "https", { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" })] },
            { title: "an egress rule to 22", resources: [res(TYPES.securityGroupRule, "out", { type: "egress", securityGroupId: "sg-1", protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] })] },
        ],
        violating: [
            {
                title: "inline SSH from 0.0.0.0/0",
                resources: [res(TYPES.securityGroup, "host", { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }] })],
                expect: /ingress\[0\] allows port 22 from 0\.0\.0\.0\/0/,
                urn: urn(TYPES.securityGroup, "host"),
            },
            { title: "RDP from ::/0 in an ingress rule resource", resources: [res(TYPES.securityGroupIngressRule, "rdp", { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 3389, toPort: 3389, cidrIpv6: "::/0" })], expect: /port 3389 from ::\/0/ },
            { title: "all traffic from anywhere", resources: [res(TYPES.securityGroupRule, "all", { type: "ingress", securityGroupId: "sg-1", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] })], expect: /port 22 and 3389 from 0\.0\.0\.0\/0/ },
            { title: "a range containing 22", resources: [res(TYPES.securityGroup, "host", { ingress: [{ protocol: "tcp", fromPort: 0, toPort: 1024, ipv6CidrBlocks: ["::/0"] }] })], expect: /port 22 from ::\/0/ },
        ],
    },
};

/**
 * The IAM policy documents of the bucket's identities, as pure builders (tested on their own and
 * through IAM policy simulation, see tests/access/): the bucket-scoped identity policy of the access
 * group, the permissions boundary every user carries, and the MFA policy of console users.
 *
 * Design rules (issue "least-privilege access"):
 * - only the actions `aws s3 cp/sync`, `restore-object` and the S3 console need; every action named,
 *   no wildcard (Security Hub IAM.21), never `s3:DeleteObjectVersion` (a delete on the versioned
 *   bucket must only add a delete marker, which stays recoverable), no ACL, policy, lifecycle,
 *   versioning, replication or encryption-configuration action;
 * - every Allow requires TLS (`aws:SecureTransport` true), so the identity itself refuses plain
 *   HTTP even where no bucket policy is evaluated (e.g. IAM's SimulatePrincipalPolicy);
 * - KMS actions only for an SSE-KMS bucket, only on its key and only through S3 (`kms:ViaService`).
 *
 * Sources: S3 User Guide "Policy actions for Amazon S3" (`using-with-s3-policy-actions`),
 * "Uploading and copying objects using multipart upload" (PutObject covers every multipart step),
 * "Protecting data with SSE-KMS" (GenerateDataKey/Decrypt); IAM User Guide examples
 * "s3_rw-bucket-console" and "aws_my-sec-creds-self-manage-mfa-only" (MFA pattern);
 * Security Hub controls IAM.1, IAM.2, IAM.5, IAM.21.
 */
import { parentFolders } from "./iamRules";
import { actionMatches, bucketKeyThroughS3, PolicyDocument, policyDocument, PolicyStatement } from "../common/policyDocument";
import { emptyResult, RuleResult } from "../common/problems";

/** Bucket-level actions: list keys, find the Region, list unfinished multipart uploads. */
export const BUCKET_ACTIONS = ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads"] as const;

/**
 * Object-level actions: download, upload (every multipart step is `s3:PutObject`), delete (adds a
 * delete marker on the versioned bucket), restore from an archive class, abort and inspect
 * multipart uploads.
 */
export const OBJECT_ACTIONS = [
    "s3:GetObject",
    "s3:PutObject",
    "s3:DeleteObject",
    "s3:RestoreObject",
    "s3:AbortMultipartUpload",
    "s3:ListMultipartUploadParts",
] as const;

/** Listing every bucket of the account: only the S3 console's bucket list needs it (resource `*`). */
export const CONSOLE_BUCKET_LIST_ACTION = "s3:ListAllMyBuckets";

/**
 * What a console user may do for their own identity before and after MFA sign-in: see the password
 * policy, change the forced first password, enrol and manage their own MFA device. AWS's example
 * "Allows MFA-authenticated IAM users to manage their own MFA device" plus `iam:ChangePassword` and
 * `iam:GetAccountPasswordPolicy`, which AWS says to add so a user can reset the password at first
 * sign-in. No access-key, signing-certificate, SSH-key or `sts:GetSessionToken` rights: console users
 * are people without long-term keys.
 */
export const SELF_SERVICE_ACTIONS = {
    /** Actions without resource-level permissions (resource `*`). */
    account: ["iam:GetAccountPasswordPolicy", "iam:ListVirtualMFADevices"],
    /** Creating a virtual MFA device (resource `mfa/*`: the console lets the person name it). */
    mfaDevice: ["iam:CreateVirtualMFADevice"],
    /** On the person's own user only (`user/${aws:username}`). */
    ownUser: [
        "iam:ChangePassword",
        "iam:GetUser",
        "iam:EnableMFADevice",
        "iam:GetMFADevice",
        "iam:ListMFADevices",
        "iam:ResyncMFADevice",
        "iam:DeactivateMFADevice",
    ],
} as const;

/** Actions a console user may call without MFA (everything else is denied until they sign in with MFA). */
export const WITHOUT_MFA_ACTIONS = [
    "iam:ChangePassword",
    "iam:GetAccountPasswordPolicy",
    "iam:CreateVirtualMFADevice",
    "iam:EnableMFADevice",
    "iam:GetUser",
    "iam:GetMFADevice",
    "iam:ListMFADevices",
    "iam:ListVirtualMFADevices",
    "iam:ResyncMFADevice",
] as const;

/** The IAM policy variable for the calling user's name (kept out of template literals). */
export const USERNAME_VARIABLE = "${aws:username}";

/** Condition that every Allow carries: the request came over TLS. */
const TLS_ONLY = { Bool: { "aws:SecureTransport": "true" } } as const;

/** What the bucket identities may reach. */
export interface BucketScope {
    /** The bucket's ARN, `arn:aws:s3:::<name>`. */
    readonly bucketArn: string;
    /**
     * Confine object access and listing to keys under these prefixes (e.g. `Analysis_`); empty =
     * the whole bucket. Prefixes are validated by `checkKeyPrefixes` (no wildcards, no leading `/`).
     */
    readonly keyPrefixes: readonly string[];
    /** Also allow `s3:ListAllMyBuckets` (the S3 console's bucket list; reveals every bucket name). */
    readonly consoleBucketList: boolean;
    /** The bucket's default encryption; KMS statements only for `aws:kms` with a key ARN. */
    readonly encryption: { readonly sseAlgorithm: "AES256" | "aws:kms"; readonly kmsKeyArn?: string };
    /** The bucket's Region, for `kms:ViaService` (`s3.<region>.amazonaws.com`). */
    readonly region: string;
}

/** Where IAM ARNs of the account point (self-service statements). */
export interface AccountRef {
    /** The 12-digit account id the users live in. */
    readonly accountId: string;
    /** The ARN partition, `aws` unless GovCloud or China. Default `aws`. */
    readonly partition?: string;
}

function withTls(condition?: PolicyStatement["Condition"]): NonNullable<PolicyStatement["Condition"]> {
    return { ...TLS_ONLY, ...(condition ?? {}) };
}

/** The S3 (and KMS) statements for a scope; with `confine` false the prefixes are ignored (boundary). */
function bucketStatements(scope: BucketScope, confine: boolean): PolicyStatement[] {
    const prefixes = confine ? scope.keyPrefixes : [];
    const statements: PolicyStatement[] = [
        {
            Sid: "BucketLocationAndUploads",
            Effect: "Allow",
            Action: ["s3:GetBucketLocation", "s3:ListBucketMultipartUploads"],
            Resource: scope.bucketArn,
            Condition: withTls(),
        },
    ];
    if (prefixes.length === 0) {
        statements.push({ Sid: "ListBucket", Effect: "Allow", Action: "s3:ListBucket", Resource: scope.bucketArn, Condition: withTls() });
        statements.push({
            Sid: "ObjectReadWriteRestore",
            Effect: "Allow",
            Action: [...OBJECT_ACTIONS],
            Resource: `${scope.bucketArn}/*`,
            Condition: withTls(),
        });
    } else {
        statements.push({
            Sid: "ListUnderKeyPrefixes",
            Effect: "Allow",
            Action: "s3:ListBucket",
            Resource: scope.bucketArn,
            Condition: withTls({ StringLike: { "s3:prefix": prefixes.map((p) => `${p}*`) } }),
        });
        const folders = [...new Set(prefixes.flatMap(parentFolders))];
        statements.push({
            Sid: "ListFoldersAboveKeyPrefixes",
            Effect: "Allow",
            Action: "s3:ListBucket",
            Resource: scope.bucketArn,
            Condition: withTls({ StringEquals: { "s3:prefix": folders, "s3:delimiter": "/" } }),
        });
        statements.push({
            Sid: "ObjectReadWriteRestore",
            Effect: "Allow",
            Action: [...OBJECT_ACTIONS],
            Resource: prefixes.map((p) => `${scope.bucketArn}/${p}*`),
            Condition: withTls(),
        });
    }
    if (scope.consoleBucketList) {
        statements.push({ Sid: "ConsoleBucketList", Effect: "Allow", Action: CONSOLE_BUCKET_LIST_ACTION, Resource: "*", Condition: withTls() });
    }
    if (scope.encryption.sseAlgorithm === "aws:kms" && scope.encryption.kmsKeyArn) {
        statements.push(bucketKeyThroughS3("BucketKeyThroughS3", scope.encryption.kmsKeyArn, scope.region));
    }
    return statements;
}

/** ARNs of the self-service statements. */
function iamArns(account: AccountRef): { ownUser: string; mfaDevices: string } {
    const partition = account.partition ?? "aws";
    return {
        ownUser: `arn:${partition}:iam::${account.accountId}:user/${USERNAME_VARIABLE}`,
        mfaDevices: `arn:${partition}:iam::${account.accountId}:mfa/*`,
    };
}

/** Allow statements of console self-service (password and own MFA device). */
function selfServiceStatements(account: AccountRef): PolicyStatement[] {
    const arns = iamArns(account);
    return [
        { Sid: "SelfServiceAccountInfo", Effect: "Allow", Action: [...SELF_SERVICE_ACTIONS.account], Resource: "*", Condition: withTls() },
        { Sid: "SelfServiceCreateMfaDevice", Effect: "Allow", Action: [...SELF_SERVICE_ACTIONS.mfaDevice], Resource: arns.mfaDevices, Condition: withTls() },
        { Sid: "SelfServiceOwnUser", Effect: "Allow", Action: [...SELF_SERVICE_ACTIONS.ownUser], Resource: arns.ownUser, Condition: withTls() },
    ];
}

/**
 * The identity policy of the access group: bucket-level {@link BUCKET_ACTIONS} on the bucket,
 * {@link OBJECT_ACTIONS} on its objects (or only under `keyPrefixes`, with listing confined to
 * those prefixes and their parent folders), `s3:ListAllMyBuckets` when `consoleBucketList` is on,
 * KMS GenerateDataKey/Decrypt through S3 for an SSE-KMS bucket. Every S3 Allow requires TLS.
 *
 * @param scope the bucket, prefixes, console switch, encryption and Region.
 * @returns a policy document (attach it to a group, never to a user: Security Hub IAM.2).
 */
export function bucketAccessPolicy(scope: BucketScope): PolicyDocument {
    return policyDocument(bucketStatements(scope, true));
}

/**
 * The permissions boundary of every bucket user: the most the user can ever be granted, whatever
 * policies are attached later — the bucket's actions on the whole bucket (prefixes are the identity
 * policy's business), the console bucket list when switched on, the bucket key through S3 for
 * SSE-KMS and, for console users (`consoleSelfService`), their password and MFA self-service.
 * Nothing outside the bucket; no IAM for the machine user.
 *
 * @param scope the bucket scope (prefixes are ignored: the boundary caps at the bucket).
 * @param options `consoleSelfService`: add the console self-service actions; `account`: the
 *   account the users live in (required with `consoleSelfService`).
 * @returns a policy document for `aws.iam.User.permissionsBoundary` (as a managed policy).
 * @throws Error when `consoleSelfService` is set without `account`.
 */
export function permissionsBoundary(scope: BucketScope, options: { consoleSelfService: boolean; account?: AccountRef }): PolicyDocument {
    const statements = bucketStatements(scope, false).map((s) => ({ ...s, Sid: `Boundary${s.Sid ?? ""}` }));
    if (options.consoleSelfService) {
        if (!options.account) {
            throw new Error("permissionsBoundary: consoleSelfService needs the account (accountId) of the users");
        }
        statements.push(...selfServiceStatements(options.account).map((s) => ({ ...s, Sid: `Boundary${s.Sid ?? ""}` })));
    }
    return policyDocument(statements);
}

/**
 * The MFA policy of console users (a person's identity, never the machine's): lets a person change
 * the forced first password and enrol their own MFA device, and denies everything else — every
 * action of every service — while the session was not signed in with MFA
 * (`BoolIfExists aws:MultiFactorAuthPresent false`, which also blocks any long-term access key).
 * Security Hub IAM.5.
 *
 * @param account the account the users live in (for the user and MFA-device ARNs).
 * @returns a policy document to attach to the console users' group.
 */
export function consoleMfaPolicy(account: AccountRef): PolicyDocument {
    return policyDocument([
        ...selfServiceStatements(account),
        {
            Sid: "DenyAllExceptSelfServiceWithoutMfa",
            Effect: "Deny",
            NotAction: [...WITHOUT_MFA_ACTIONS],
            Resource: "*",
            Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } },
        },
    ]);
}

/**
 * Substrings of S3 action names this stack never grants to a bucket identity: configuration
 * (ACL, policy, lifecycle, versioning, replication, encryption, public access block, ownership,
 * event notifications — a BucketNotification would also erase FSx's auto-import configuration —,
 * object lock, retention, legal hold) and version deletion. Compared case-insensitively, as IAM
 * compares action names.
 */
const FORBIDDEN_S3_ACTION_PARTS = [
    "DeleteObjectVersion",
    "Acl",
    "Policy",
    "Lifecycle",
    "Versioning",
    "Replicat",
    "Encryption",
    "PublicAccessBlock",
    "OwnershipControls",
    "Notification",
    "DeleteBucket",
    "ObjectLock",
    "Retention",
    "LegalHold",
    "BypassGovernance",
] as const;

/**
 * S3 actions that change the bucket's protections or destroy history, by name: what a wildcard
 * pattern in a bucket identity's policy must not reach (`s3:*Object` reaches s3:ReplicateObject).
 * Each of them is also refused by name ({@link forbiddenS3Actions}).
 */
export const BUCKET_ADMIN_ACTIONS = [
    "s3:DeleteBucket",
    "s3:DeleteBucketPolicy",
    "s3:PutBucketPolicy",
    "s3:PutBucketAcl",
    "s3:PutObjectAcl",
    "s3:PutObjectVersionAcl",
    "s3:PutBucketVersioning",
    "s3:PutLifecycleConfiguration",
    "s3:PutBucketPublicAccessBlock",
    "s3:PutEncryptionConfiguration",
    "s3:PutReplicationConfiguration",
    "s3:PutBucketOwnershipControls",
    "s3:PutBucketNotification",
    "s3:PutBucketObjectLockConfiguration",
    "s3:BypassGovernanceRetention",
    "s3:DeleteObjectVersion",
    "s3:ReplicateObject",
    "s3:ReplicateDelete",
] as const;

/**
 * The actions a bucket identity must never get that one `Action` entry grants: for an action name,
 * itself when it is an S3 action with a forbidden part ({@link FORBIDDEN_S3_ACTION_PARTS}); for a
 * wildcard pattern, every {@link BUCKET_ADMIN_ACTIONS} entry it matches.
 *
 * @param action an action name or pattern from a policy statement.
 * @returns the forbidden actions it grants (empty when none).
 */
export function forbiddenS3Actions(action: string): string[] {
    if (/[*?]/.test(action)) {
        return BUCKET_ADMIN_ACTIONS.filter((admin) => actionMatches(action, admin));
    }
    const lower = action.toLowerCase();
    return lower.startsWith("s3:") && FORBIDDEN_S3_ACTION_PARTS.some((part) => lower.includes(part.toLowerCase())) ? [action] : [];
}

function asList(v: string | string[] | undefined): string[] {
    return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/**
 * Checks a bucket-identity policy document against this stack's least-privilege rules: no wildcard
 * in any action (Security Hub IAM.1/IAM.21), no `NotAction` in an Allow, and no action that changes
 * the bucket's configuration or deletes a version ({@link forbiddenS3Actions}). The builders' tests
 * run it on every document they build, and the policy pack's
 * `iam-access-identity-confined-to-bucket` on the access group's policies.
 *
 * @param doc an identity policy or permissions boundary.
 * @returns errors with paths `["Statement", i, "Action" | "NotAction"]`.
 */
export function checkLeastPrivilege(doc: PolicyDocument): RuleResult {
    const result = emptyResult();
    doc.Statement.forEach((statement, i) => {
        if (statement.Effect !== "Allow") {
            return;
        }
        if (statement.NotAction !== undefined) {
            result.errors.push({ path: ["Statement", i, "NotAction"], message: "an Allow with NotAction grants every other action" });
        }
        for (const action of asList(statement.Action)) {
            const forbidden = forbiddenS3Actions(action);
            if (/[*?]/.test(action)) {
                result.errors.push({
                    path: ["Statement", i, "Action"],
                    message: `${action}: wildcard actions are not allowed (Security Hub IAM.1, IAM.21)${forbidden.length > 0 ? `; it would grant ${forbidden.join(", ")}` : ""}`,
                });
            } else if (forbidden.length > 0) {
                result.errors.push({
                    path: ["Statement", i, "Action"],
                    message: `${action}: bucket identities never get configuration or version-deletion actions (deletes must stay recoverable)`,
                });
            }
        }
    });
    return result;
}

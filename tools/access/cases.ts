/**
 * The access case table — the single source of truth for what the bucket identities may and may
 * not do. It is run by:
 * - the mocha simulation tests (`tests/access/simulation.test.ts`), with `@cloud-copilot/iam-simulate`
 *   against the policy documents the real program renders in the offline preview;
 * - `npm run verify:access -- --stack <name>` (`tools/verify-access.ts`), with IAM's
 *   `SimulatePrincipalPolicy` against the deployed users.
 *
 * Each case names a principal kind (the machine user or a console user), an action, a resource and
 * the request context — `aws:SecureTransport` always explicit (simulators do not default it),
 * `aws:MultiFactorAuthPresent` explicit for console users — and the expected decision. A few
 * expectations depend on the stack's settings (key prefixes, console bucket list, SSE-KMS); they are
 * functions of the {@link AccessTarget}, which is built from the validated stack configuration.
 *
 * Resource and context strings are templates: `{bucket}` bucket name, `{in}` a folder inside the
 * allowed key prefixes, `{out}` a folder outside them, `{account}`, `{region}`, `{user}` the user the
 * case runs as, `{kmsKey}` the bucket key (or a placeholder key when the bucket uses SSE-S3).
 */
import type { StackConfig } from "../../config";
import { resolveAccessNames } from "../../config/access";

/** A simulated authorization decision (explicit and implicit denies are both `denied`). */
export type Decision = "allowed" | "denied";

/** Which identity a case runs as. */
export type PrincipalKind = "machine" | "console";

/** The deployment a case table is resolved against. */
export interface AccessTarget {
    /** Account the bucket and users live in. */
    readonly accountId: string;
    /** The stack's Region. */
    readonly region: string;
    /** The backup bucket's name. */
    readonly bucketName: string;
    /** Configured key prefixes (empty = whole bucket). */
    readonly keyPrefixes: readonly string[];
    /** Whether the console bucket list (`s3:ListAllMyBuckets`) is switched on. */
    readonly consoleBucketList: boolean;
    /** The bucket's KMS key when it uses SSE-KMS. */
    readonly kmsKeyArn?: string;
    /** The machine user's name, when there is one. */
    readonly machineUser?: string;
    /** Console users' names. */
    readonly consoleUsers: readonly string[];
}

/** One row of the case table. */
export interface AccessCase {
    /** Stable, unique id (kebab-case), shown in reports. */
    readonly id: string;
    /** Why the decision is what it is. */
    readonly why: string;
    /** Which identity makes the request. */
    readonly principal: PrincipalKind;
    /** The IAM action, `service:Action`. */
    readonly action: string;
    /** Resource ARN template, or `*`. */
    readonly resource: string;
    /** `aws:SecureTransport`: the request came over TLS. Always stated. */
    readonly secureTransport: boolean;
    /** `aws:MultiFactorAuthPresent` for console users (required for them, ignored for the machine user). */
    readonly mfa?: boolean;
    /** Further context keys (templates), e.g. `s3:prefix`. */
    readonly context?: Readonly<Record<string, string | readonly string[]>>;
    /** The expected decision, or a function of the target for setting-dependent cases. */
    readonly expected: Decision | ((target: AccessTarget) => Decision);
}

/** A case resolved for one user of a target: concrete ARNs, context and decision. */
export interface ResolvedCase {
    readonly id: string;
    readonly why: string;
    readonly principal: PrincipalKind;
    /** The IAM user the case runs as. */
    readonly userName: string;
    /** That user's ARN (`arn:aws:iam::<account>:user/<name>` unless given otherwise). */
    readonly userArn: string;
    readonly action: string;
    readonly resource: string;
    /** Full request context, `aws:SecureTransport` and `aws:username` included. */
    readonly context: Readonly<Record<string, string | string[]>>;
    readonly expected: Decision;
}

/** Allowed when the whole bucket is granted, denied when key prefixes confine the access. */
const onlyWithoutPrefixes = (t: AccessTarget): Decision => (t.keyPrefixes.length === 0 ? "allowed" : "denied");
/** Allowed only with the console bucket list switched on. */
const withBucketList = (t: AccessTarget): Decision => (t.consoleBucketList ? "allowed" : "denied");
/** Allowed only for an SSE-KMS bucket. */
const withKms = (t: AccessTarget): Decision => (t.kmsKeyArn ? "allowed" : "denied");

const OBJ = "arn:aws:s3:::{bucket}/{in}R1.fastq.gz";
const BUCKET = "arn:aws:s3:::{bucket}";
const OTHER_BUCKET = "arn:aws:s3:::another-bucket-{account}";
const OWN_USER = "arn:aws:iam::{account}:user/{user}";
const VIA_S3 = { "kms:ViaService": "s3.{region}.amazonaws.com" };

/** Machine-user cases: the allowed operations (over TLS) and everything that must stay denied. */
const MACHINE_CASES: AccessCase[] = [
    // What `aws s3 cp/sync`, restores and multipart uploads need.
    { id: "list-bucket", why: "sync and ls list keys", principal: "machine", action: "s3:ListBucket", resource: BUCKET, secureTransport: true, context: { "s3:prefix": "{in}", "s3:delimiter": "/" }, expected: "allowed" },
    { id: "list-top-level-folders", why: "navigating from the bucket's top level (folder names only)", principal: "machine", action: "s3:ListBucket", resource: BUCKET, secureTransport: true, context: { "s3:prefix": "", "s3:delimiter": "/" }, expected: "allowed" },
    { id: "get-bucket-location", why: "the CLI finds the bucket's Region", principal: "machine", action: "s3:GetBucketLocation", resource: BUCKET, secureTransport: true, expected: "allowed" },
    { id: "list-multipart-uploads", why: "finding unfinished uploads", principal: "machine", action: "s3:ListBucketMultipartUploads", resource: BUCKET, secureTransport: true, expected: "allowed" },
    { id: "get-object", why: "download", principal: "machine", action: "s3:GetObject", resource: OBJ, secureTransport: true, expected: "allowed" },
    { id: "put-object", why: "upload (every multipart step is PutObject)", principal: "machine", action: "s3:PutObject", resource: OBJ, secureTransport: true, expected: "allowed" },
    { id: "delete-object", why: "delete adds a recoverable delete marker on the versioned bucket", principal: "machine", action: "s3:DeleteObject", resource: OBJ, secureTransport: true, expected: "allowed" },
    { id: "restore-object", why: "restore from an archive tier", principal: "machine", action: "s3:RestoreObject", resource: OBJ, secureTransport: true, expected: "allowed" },
    { id: "abort-multipart-upload", why: "clean up a failed upload", principal: "machine", action: "s3:AbortMultipartUpload", resource: OBJ, secureTransport: true, expected: "allowed" },
    { id: "list-multipart-upload-parts", why: "resume a multipart upload", principal: "machine", action: "s3:ListMultipartUploadParts", resource: OBJ, secureTransport: true, expected: "allowed" },
    { id: "list-all-buckets", why: "only with the console bucket list switched on", principal: "machine", action: "s3:ListAllMyBuckets", resource: "*", secureTransport: true, expected: withBucketList },
    { id: "kms-decrypt-through-s3", why: "SSE-KMS downloads (only for an SSE-KMS bucket)", principal: "machine", action: "kms:Decrypt", resource: "{kmsKey}", secureTransport: true, context: VIA_S3, expected: withKms },
    { id: "kms-generate-data-key-through-s3", why: "SSE-KMS uploads (only for an SSE-KMS bucket)", principal: "machine", action: "kms:GenerateDataKey", resource: "{kmsKey}", secureTransport: true, context: VIA_S3, expected: withKms },
    // Outside the configured key prefixes.
    { id: "get-object-outside-prefixes", why: "key prefixes confine downloads", principal: "machine", action: "s3:GetObject", resource: "arn:aws:s3:::{bucket}/{out}notes.txt", secureTransport: true, expected: onlyWithoutPrefixes },
    { id: "put-object-outside-prefixes", why: "key prefixes confine uploads", principal: "machine", action: "s3:PutObject", resource: "arn:aws:s3:::{bucket}/{out}notes.txt", secureTransport: true, expected: onlyWithoutPrefixes },
    { id: "list-bucket-outside-prefixes", why: "key prefixes confine listing", principal: "machine", action: "s3:ListBucket", resource: BUCKET, secureTransport: true, context: { "s3:prefix": "{out}" }, expected: onlyWithoutPrefixes },
    // Without TLS.
    { id: "get-object-without-tls", why: "every Allow requires aws:SecureTransport", principal: "machine", action: "s3:GetObject", resource: OBJ, secureTransport: false, expected: "denied" },
    { id: "put-object-without-tls", why: "every Allow requires aws:SecureTransport", principal: "machine", action: "s3:PutObject", resource: OBJ, secureTransport: false, expected: "denied" },
    { id: "delete-object-without-tls", why: "every Allow requires aws:SecureTransport", principal: "machine", action: "s3:DeleteObject", resource: OBJ, secureTransport: false, expected: "denied" },
    { id: "restore-object-without-tls", why: "every Allow requires aws:SecureTransport", principal: "machine", action: "s3:RestoreObject", resource: OBJ, secureTransport: false, expected: "denied" },
    { id: "list-bucket-without-tls", why: "every Allow requires aws:SecureTransport", principal: "machine", action: "s3:ListBucket", resource: BUCKET, secureTransport: false, context: { "s3:prefix": "{in}", "s3:delimiter": "/" }, expected: "denied" },
    // Versions and bucket configuration.
    { id: "delete-object-version", why: "a delete must stay recoverable", principal: "machine", action: "s3:DeleteObjectVersion", resource: OBJ, secureTransport: true, expected: "denied" },
    { id: "get-object-version", why: "old versions are an administrator's business", principal: "machine", action: "s3:GetObjectVersion", resource: OBJ, secureTransport: true, expected: "denied" },
    { id: "list-bucket-versions", why: "old versions are an administrator's business", principal: "machine", action: "s3:ListBucketVersions", resource: BUCKET, secureTransport: true, expected: "denied" },
    { id: "put-bucket-policy", why: "bucket configuration", principal: "machine", action: "s3:PutBucketPolicy", resource: BUCKET, secureTransport: true, expected: "denied" },
    { id: "delete-bucket-policy", why: "bucket configuration", principal: "machine", action: "s3:DeleteBucketPolicy", resource: BUCKET, secureTransport: true, expected: "denied" },
    { id: "put-lifecycle-configuration", why: "bucket configuration", principal: "machine", action: "s3:PutLifecycleConfiguration", resource: BUCKET, secureTransport: true, expected: "denied" },
    { id: "put-bucket-versioning", why: "bucket configuration", principal: "machine", action: "s3:PutBucketVersioning", resource: BUCKET, secureTransport: true, expected: "denied" },
    { id: "put-bucket-acl", why: "ACLs", principal: "machine", action: "s3:PutBucketAcl", resource: BUCKET, secureTransport: true, expected: "denied" },
    { id: "put-object-acl", why: "ACLs", principal: "machine", action: "s3:PutObjectAcl", resource: OBJ, secureTransport: true, expected: "denied" },
    { id: "put-encryption-configuration", why: "bucket configuration", principal: "machine", action: "s3:PutEncryptionConfiguration", resource: BUCKET, secureTransport: true, expected: "denied" },
    { id: "put-public-access-block", why: "bucket configuration", principal: "machine", action: "s3:PutBucketPublicAccessBlock", resource: BUCKET, secureTransport: true, expected: "denied" },
    { id: "put-replication-configuration", why: "bucket configuration", principal: "machine", action: "s3:PutReplicationConfiguration", resource: BUCKET, secureTransport: true, expected: "denied" },
    { id: "delete-bucket", why: "bucket configuration", principal: "machine", action: "s3:DeleteBucket", resource: BUCKET, secureTransport: true, expected: "denied" },
    // Other buckets.
    { id: "other-bucket-list", why: "nothing outside the backup bucket", principal: "machine", action: "s3:ListBucket", resource: OTHER_BUCKET, secureTransport: true, expected: "denied" },
    { id: "other-bucket-get-object", why: "nothing outside the backup bucket", principal: "machine", action: "s3:GetObject", resource: `${OTHER_BUCKET}/data.csv`, secureTransport: true, expected: "denied" },
    { id: "other-bucket-put-object", why: "nothing outside the backup bucket", principal: "machine", action: "s3:PutObject", resource: `${OTHER_BUCKET}/data.csv`, secureTransport: true, expected: "denied" },
    { id: "other-bucket-delete-object", why: "nothing outside the backup bucket", principal: "machine", action: "s3:DeleteObject", resource: `${OTHER_BUCKET}/data.csv`, secureTransport: true, expected: "denied" },
    // KMS outside S3, other services.
    { id: "kms-decrypt-directly", why: "the key is usable only through S3", principal: "machine", action: "kms:Decrypt", resource: "{kmsKey}", secureTransport: true, expected: "denied" },
    { id: "kms-other-key", why: "only the bucket's key", principal: "machine", action: "kms:Decrypt", resource: "arn:aws:kms:{region}:{account}:key/11111111-2222-3333-4444-555555555555", secureTransport: true, context: VIA_S3, expected: "denied" },
    { id: "iam-create-user", why: "no IAM", principal: "machine", action: "iam:CreateUser", resource: "arn:aws:iam::{account}:user/intruder", secureTransport: true, expected: "denied" },
    { id: "iam-create-own-access-key", why: "keys are issued by the stack only", principal: "machine", action: "iam:CreateAccessKey", resource: OWN_USER, secureTransport: true, expected: "denied" },
    { id: "iam-attach-own-policy", why: "no privilege escalation", principal: "machine", action: "iam:AttachUserPolicy", resource: OWN_USER, secureTransport: true, expected: "denied" },
    { id: "iam-delete-own-boundary", why: "no privilege escalation", principal: "machine", action: "iam:DeleteUserPermissionsBoundary", resource: OWN_USER, secureTransport: true, expected: "denied" },
    { id: "iam-change-password", why: "the machine has no console self-service", principal: "machine", action: "iam:ChangePassword", resource: OWN_USER, secureTransport: true, expected: "denied" },
    { id: "ec2-run-instances", why: "no EC2", principal: "machine", action: "ec2:RunInstances", resource: "arn:aws:ec2:{region}:{account}:instance/i-0123456789abcdef0", secureTransport: true, expected: "denied" },
    { id: "ec2-describe-instances", why: "no EC2", principal: "machine", action: "ec2:DescribeInstances", resource: "*", secureTransport: true, expected: "denied" },
    { id: "efs-delete-file-system", why: "no EFS", principal: "machine", action: "elasticfilesystem:DeleteFileSystem", resource: "arn:aws:elasticfilesystem:{region}:{account}:file-system/fs-0123456789abcdef0", secureTransport: true, expected: "denied" },
    { id: "fsx-describe-file-systems", why: "no FSx", principal: "machine", action: "fsx:DescribeFileSystems", resource: "*", secureTransport: true, expected: "denied" },
    { id: "fsx-delete-file-system", why: "no FSx", principal: "machine", action: "fsx:DeleteFileSystem", resource: "arn:aws:fsx:{region}:{account}:file-system/fs-0123456789abcdef0", secureTransport: true, expected: "denied" },
    { id: "ssm-start-session", why: "no SSM", principal: "machine", action: "ssm:StartSession", resource: "arn:aws:ec2:{region}:{account}:instance/i-0123456789abcdef0", secureTransport: true, expected: "denied" },
    { id: "ssm-get-parameter", why: "no SSM", principal: "machine", action: "ssm:GetParameter", resource: "arn:aws:ssm:{region}:{account}:parameter/app/db-password", secureTransport: true, expected: "denied" },
    { id: "sts-assume-role", why: "no STS", principal: "machine", action: "sts:AssumeRole", resource: "arn:aws:iam::{account}:role/Admin", secureTransport: true, expected: "denied" },
    { id: "secrets-get-secret-value", why: "the key's secret is fetched by an administrator", principal: "machine", action: "secretsmanager:GetSecretValue", resource: "arn:aws:secretsmanager:{region}:{account}:secret:any-secret-AbCdEf", secureTransport: true, expected: "denied" },
];

/** Console-user cases: the bucket with MFA, self-service without MFA, nothing else. */
const CONSOLE_CASES: AccessCase[] = [
    { id: "console-get-object-with-mfa", why: "people download after an MFA sign-in", principal: "console", action: "s3:GetObject", resource: OBJ, secureTransport: true, mfa: true, expected: "allowed" },
    { id: "console-put-object-with-mfa", why: "people upload after an MFA sign-in", principal: "console", action: "s3:PutObject", resource: OBJ, secureTransport: true, mfa: true, expected: "allowed" },
    { id: "console-restore-object-with-mfa", why: "people restore after an MFA sign-in", principal: "console", action: "s3:RestoreObject", resource: OBJ, secureTransport: true, mfa: true, expected: "allowed" },
    { id: "console-list-bucket-with-mfa", why: "the console lists folders", principal: "console", action: "s3:ListBucket", resource: BUCKET, secureTransport: true, mfa: true, context: { "s3:prefix": "{in}", "s3:delimiter": "/" }, expected: "allowed" },
    { id: "console-list-all-buckets-with-mfa", why: "only with the console bucket list switched on", principal: "console", action: "s3:ListAllMyBuckets", resource: "*", secureTransport: true, mfa: true, expected: withBucketList },
    { id: "console-get-object-without-mfa", why: "everything but self-service needs MFA", principal: "console", action: "s3:GetObject", resource: OBJ, secureTransport: true, mfa: false, expected: "denied" },
    { id: "console-list-bucket-without-mfa", why: "everything but self-service needs MFA", principal: "console", action: "s3:ListBucket", resource: BUCKET, secureTransport: true, mfa: false, context: { "s3:prefix": "{in}", "s3:delimiter": "/" }, expected: "denied" },
    { id: "console-get-object-without-tls", why: "every Allow requires aws:SecureTransport", principal: "console", action: "s3:GetObject", resource: OBJ, secureTransport: false, mfa: true, expected: "denied" },
    { id: "console-delete-object-version", why: "a delete must stay recoverable", principal: "console", action: "s3:DeleteObjectVersion", resource: OBJ, secureTransport: true, mfa: true, expected: "denied" },
    { id: "console-change-own-password-without-mfa", why: "the forced first password change happens before MFA exists", principal: "console", action: "iam:ChangePassword", resource: OWN_USER, secureTransport: true, mfa: false, expected: "allowed" },
    { id: "console-get-password-policy-without-mfa", why: "the password form shows the rules", principal: "console", action: "iam:GetAccountPasswordPolicy", resource: "*", secureTransport: true, mfa: false, expected: "allowed" },
    { id: "console-create-mfa-device-without-mfa", why: "enrolling the first MFA device", principal: "console", action: "iam:CreateVirtualMFADevice", resource: "arn:aws:iam::{account}:mfa/{user}", secureTransport: true, mfa: false, expected: "allowed" },
    { id: "console-enable-own-mfa-without-mfa", why: "enrolling the first MFA device", principal: "console", action: "iam:EnableMFADevice", resource: OWN_USER, secureTransport: true, mfa: false, expected: "allowed" },
    { id: "console-deactivate-own-mfa-without-mfa", why: "removing MFA needs an MFA sign-in", principal: "console", action: "iam:DeactivateMFADevice", resource: OWN_USER, secureTransport: true, mfa: false, expected: "denied" },
    { id: "console-change-other-password", why: "only their own user", principal: "console", action: "iam:ChangePassword", resource: "arn:aws:iam::{account}:user/someone-else", secureTransport: true, mfa: true, expected: "denied" },
    { id: "console-create-own-access-key", why: "people get no long-term keys", principal: "console", action: "iam:CreateAccessKey", resource: OWN_USER, secureTransport: true, mfa: true, expected: "denied" },
    { id: "console-iam-create-user", why: "no IAM", principal: "console", action: "iam:CreateUser", resource: "arn:aws:iam::{account}:user/intruder", secureTransport: true, mfa: true, expected: "denied" },
    { id: "console-ec2-describe-instances", why: "no EC2, even with MFA", principal: "console", action: "ec2:DescribeInstances", resource: "*", secureTransport: true, mfa: true, expected: "denied" },
    { id: "console-other-bucket-get-object", why: "nothing outside the backup bucket", principal: "console", action: "s3:GetObject", resource: `${OTHER_BUCKET}/data.csv`, secureTransport: true, mfa: true, expected: "denied" },
];

/** The case table: every case, machine user first. */
export const ACCESS_CASES: readonly AccessCase[] = [...MACHINE_CASES, ...CONSOLE_CASES];

/** A folder inside the allowed prefixes: `Analysis_2024/P001/` when that is allowed, else under the first prefix. */
export function insideFolder(t: AccessTarget): string {
    const base = "Analysis_2024/P001/";
    if (t.keyPrefixes.length === 0 || t.keyPrefixes.some((p) => base.startsWith(p))) {
        return base;
    }
    return `${t.keyPrefixes[0]}${t.keyPrefixes[0].endsWith("/") ? "" : "/"}P001/`;
}

/**
 * A folder outside every allowed prefix.
 *
 * @throws Error when every candidate falls under a configured prefix (prefixes that cover
 *   everything make the "outside" cases meaningless).
 */
export function outsideFolder(t: AccessTarget): string {
    for (const candidate of ["Unsorted_2019/", "zz-outside-prefixes/", "~outside/"]) {
        if (!t.keyPrefixes.some((p) => candidate.startsWith(p))) {
            return candidate;
        }
    }
    throw new Error(`no key outside the prefixes ${JSON.stringify(t.keyPrefixes)} found for the outside-prefix cases`);
}

function fill(template: string, vars: Readonly<Record<string, string>>): string {
    return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
        const value = vars[name];
        if (value === undefined) {
            throw new Error(`unknown placeholder ${whole} in access case template ${JSON.stringify(template)}`);
        }
        return value;
    });
}

/**
 * Resolves the case table for a target: one concrete case per (case, user of that case's kind).
 * Console cases are skipped when there are no console users, machine cases without a machine user.
 *
 * @param target the deployment (from {@link accessTarget}).
 * @param cases the table (default {@link ACCESS_CASES}).
 * @param userArns optional ARNs by user name (e.g. from IAM GetUser); default
 *   `arn:aws:iam::<account>:user/<name>`.
 * @returns resolved cases, in table order.
 */
export function resolveCases(target: AccessTarget, cases: readonly AccessCase[] = ACCESS_CASES, userArns: Readonly<Record<string, string>> = {}): ResolvedCase[] {
    const out: ResolvedCase[] = [];
    const inFolder = insideFolder(target);
    const outFolder = outsideFolder(target);
    for (const c of cases) {
        const users = c.principal === "machine" ? (target.machineUser !== undefined ? [target.machineUser] : []) : target.consoleUsers;
        for (const user of users) {
            const vars = {
                bucket: target.bucketName,
                in: inFolder,
                out: outFolder,
                account: target.accountId,
                region: target.region,
                user,
                kmsKey: target.kmsKeyArn ?? fill("arn:aws:kms:{region}:{account}:key/00000000-0000-0000-0000-000000000000", { region: target.region, account: target.accountId }),
            };
            const context: Record<string, string | string[]> = {
                "aws:SecureTransport": String(c.secureTransport),
                "aws:username": user,
            };
            if (c.principal === "console") {
                if (c.mfa === undefined) {
                    throw new Error(`access case ${c.id}: console cases must state mfa`);
                }
                context["aws:MultiFactorAuthPresent"] = String(c.mfa);
            }
            for (const [key, value] of Object.entries(c.context ?? {})) {
                context[key] = typeof value === "string" ? fill(value, vars) : value.map((v) => fill(v, vars));
            }
            out.push({
                id: c.id,
                why: c.why,
                principal: c.principal,
                userName: user,
                userArn: userArns[user] ?? `arn:aws:iam::${target.accountId}:user/${user}`,
                action: c.action,
                resource: c.resource === "*" ? "*" : fill(c.resource, vars),
                context,
                expected: typeof c.expected === "function" ? c.expected(target) : c.expected,
            });
        }
    }
    return out;
}

/**
 * Builds the target of a stack from its validated configuration (the same names `index.ts` uses).
 *
 * @param config the validated stack configuration.
 * @param accountId the account the stack is deployed in.
 * @throws ConfigError when the access names cannot be resolved (see `resolveAccessNames`).
 */
export function accessTarget(config: StackConfig, accountId: string): AccessTarget {
    const names = resolveAccessNames(config);
    const enc = config.bucket.encryption;
    return {
        accountId,
        region: config.region,
        bucketName: config.bucket.name,
        keyPrefixes: config.access.keyPrefixes,
        consoleBucketList: config.access.consoleBucketList,
        ...(enc.sseAlgorithm === "aws:kms" && enc.kmsKeyArn ? { kmsKeyArn: enc.kmsKeyArn } : {}),
        ...(names.machineUser !== undefined ? { machineUser: names.machineUser } : {}),
        consoleUsers: names.consoleUsers,
    };
}

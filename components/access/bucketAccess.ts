/**
 * BucketAccess — the IAM identities that may use the backup bucket, and nothing else:
 *
 * - an IAM group carrying the bucket-scoped identity policy (a managed policy attached to the
 *   group: Security Hub IAM.2, no policy is ever attached to a user);
 * - a machine user for lab PCs and analysis servers, member of that group, with up to two access
 *   keys (slots `a`/`b`, for rotation without downtime) whose secrets go to AWS Secrets Manager —
 *   never to a stack output;
 * - optional console users (people), members of the group and of a second group whose policy
 *   denies everything without an MFA sign-in, each with a login profile that forces a password
 *   change and an initial password kept in Secrets Manager;
 * - a permissions boundary on every user capping it at the bucket (console users' boundary adds
 *   their password and MFA self-service).
 *
 * The policy documents come from the pure builders in `accessPolicies.ts`.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AccountRef, bucketAccessPolicy, BucketScope, consoleMfaPolicy, permissionsBoundary } from "./policies";
import type { BucketEncryptionArgs } from "../bucket/backupBucket";
import type { StackContext } from "../common/stack";

/** Access-key slot name (IAM allows two keys per user: one per slot). */
export type AccessKeySlotName = "a" | "b";

/** IAM access key status. */
export type AccessKeyStatus = "Active" | "Inactive";

/** Every IAM and Secrets Manager name the component uses (resolved by `config/access.ts` `resolveAccessNames`). */
export interface BucketAccessNames {
    /** Group with the bucket policy (machine user and console users). */
    readonly group: string;
    /** Managed policy attached to {@link group}. */
    readonly groupPolicy: string;
    /** Managed policy used as the machine user's permissions boundary. */
    readonly machineBoundary: string;
    /** Group with the MFA policy (console users only). */
    readonly consoleGroup: string;
    /** Managed policy attached to {@link consoleGroup}. */
    readonly consoleMfaPolicy: string;
    /** Managed policy used as console users' permissions boundary. */
    readonly consoleBoundary: string;
    /** Start of every secret name, ending with `/` (e.g. `microbiome-backup-prod/`). */
    readonly secretPath: string;
    /** Name of the AWS CLI profile the set-up commands write (e.g. `microbiome-backup-prod`). */
    readonly cliProfile: string;
    /** The machine user's name; absent = no machine user. */
    readonly machineUser?: string;
    /** Console users' names (people). */
    readonly consoleUsers: readonly string[];
}

/** Arguments of {@link BucketAccess}. */
export interface BucketAccessArgs {
    /** The bucket's ARN, `arn:aws:s3:::<name>`. */
    readonly bucketArn: pulumi.Input<string>;
    /** The bucket's Region (commands, `kms:ViaService`, Secrets Manager). */
    readonly region: string;
    /** IAM and secret names (see {@link BucketAccessNames}). */
    readonly names: BucketAccessNames;
    /**
     * Access-key slots of the machine user and their status, e.g. `{ a: "Active" }`. A slot that is
     * absent has no key. Ignored without a machine user. Default: no key.
     */
    readonly accessKeys?: Readonly<Partial<Record<AccessKeySlotName, AccessKeyStatus>>>;
    /** Confine access to keys under these S3 key prefixes (validated: no `*`, `?`, `$`, no leading `/`). Default: whole bucket. */
    readonly keyPrefixes?: readonly string[];
    /** Allow `s3:ListAllMyBuckets` for the S3 console's bucket list. Default false. */
    readonly consoleBucketList?: boolean;
    /** The bucket's default encryption: SSE-KMS adds the key's GenerateDataKey/Decrypt through S3. Default SSE-S3. */
    readonly encryption?: BucketEncryptionArgs;
}

/**
 * The validated `microbiome-backup:access` section, as far as the component reads it
 * (`config/access.ts` `AccessConfig` has this shape; the names come from `resolveAccessNames`).
 */
export interface BucketAccessSection {
    /** The machine user's access-key slots and their status, e.g. `{ a: "Active" }`. */
    readonly machineUser: { readonly accessKeys?: Readonly<Partial<Record<AccessKeySlotName, AccessKeyStatus>>> };
    /** S3 key prefixes access is confined to; `[]` = the whole bucket. */
    readonly keyPrefixes: readonly string[];
    /** Allow `s3:ListAllMyBuckets` (the console's bucket list). */
    readonly consoleBucketList: boolean;
}

/** What {@link BucketAccess.fromConfig} takes from other concerns. */
export interface BucketAccessDependencies {
    /** The backup bucket (a `BackupBucket`): its ARN. */
    readonly bucket: { readonly bucketArn: pulumi.Input<string> };
    /** The bucket's default encryption (`bucket.encryption`): SSE-KMS adds the key's grants. */
    readonly encryption: BucketEncryptionArgs;
    /** Every IAM and secret name (`config/access.ts` `resolveAccessNames`). */
    readonly names: BucketAccessNames;
}

/**
 * The {@link BucketAccessArgs} of a validated access section.
 *
 * @param access the validated `access` section.
 * @param stack the stack settings (`region`).
 * @param deps the bucket's ARN and encryption and the resolved names.
 */
export function bucketAccessArgs(access: BucketAccessSection, stack: Pick<StackContext, "region">, deps: BucketAccessDependencies): BucketAccessArgs {
    return {
        bucketArn: deps.bucket.bucketArn,
        region: stack.region,
        names: deps.names,
        accessKeys: access.machineUser.accessKeys,
        keyPrefixes: access.keyPrefixes,
        consoleBucketList: access.consoleBucketList,
        encryption: deps.encryption,
    };
}

/** What operators need for one access key: never the secret itself. */
export interface AccessKeyInfo {
    /** The access key id (not secret). */
    readonly accessKeyId: string;
    /** Active or Inactive. */
    readonly status: AccessKeyStatus;
    /** ARN of the Secrets Manager secret whose SecretString is the secret access key. */
    readonly secretArn: string;
    /** Command that prints the secret access key (run with administrator credentials). */
    readonly fetchSecretCommand: string;
    /** Commands that write the AWS CLI profile on a lab machine (bash or PowerShell). */
    readonly configureProfileCommands: string[];
}

/** What operators need to hand a console user their first sign-in. */
export interface ConsoleUserInfo {
    /** ARN of the secret holding the initial password (must be changed at first sign-in). */
    readonly initialPasswordSecretArn: string;
    /** Command that prints the initial password (run with administrator credentials). */
    readonly fetchInitialPasswordCommand: string;
}

/** Stack-output summary of the access identities (no secret value anywhere). */
export interface AccessSummary {
    /** The bucket-access group's name. */
    readonly groupName: string;
    /** The machine user's name, when there is one. */
    readonly machineUserName?: string;
    /** AWS CLI profile name the set-up commands write. */
    readonly cliProfile: string;
    /** Per configured key slot (`a`, `b`): key id, status, secret ARN, commands. */
    readonly accessKeys: Record<string, AccessKeyInfo>;
    /** Per console user name: initial-password secret ARN and the command to read it. */
    readonly consoleUsers: Record<string, ConsoleUserInfo>;
    /** The account's console sign-in URL, when there are console users. */
    readonly consoleSignInUrl?: string;
}

/**
 * A user name as part of a Secrets Manager secret name: IAM user names may contain `,`, which secret
 * names may not (Secrets Manager CreateSecret Name: letters, digits and `/_+=.@-`).
 */
export function secretNamePart(userName: string): string {
    return userName.replace(/,/g, "-");
}

/** The command that prints a secret's SecretString. */
function getSecretCommand(region: string, secretArn: string): string {
    return `aws secretsmanager get-secret-value --region ${region} --secret-id ${secretArn} --query SecretString --output text`;
}

/**
 * The bucket's IAM group, policies, boundary, machine user with its access keys, and console users.
 * Nothing here is data-bearing: identities can be recreated (a recreated access key has a new secret).
 */
export class BucketAccess extends pulumi.ComponentResource {
    /** The group carrying the bucket policy. */
    public readonly group: aws.iam.Group;
    /** The bucket-scoped managed policy attached to {@link group}. */
    public readonly groupPolicy: aws.iam.Policy;
    /** The machine user's permissions boundary. */
    public readonly machineBoundary: aws.iam.Policy;
    /** The machine user, when configured. */
    public readonly machineUser?: aws.iam.User;
    /** The console users, by name. */
    public readonly consoleUsers: Readonly<Record<string, aws.iam.User>>;
    /** Operator summary (ids, secret ARNs, commands); carries no secret value. */
    public readonly summary: pulumi.Output<AccessSummary>;

    /**
     * The lab identities of a stack, from its validated `access` section ({@link bucketAccessArgs}).
     *
     * @param name logical name (the stack uses `access`; a new name is a new URN).
     * @param access the validated `access` section.
     * @param stack the stack settings (`region`).
     * @param deps the bucket and the resolved names.
     * @param opts component options.
     */
    static fromConfig(name: string, access: BucketAccessSection, stack: Pick<StackContext, "region">, deps: BucketAccessDependencies, opts?: pulumi.ComponentResourceOptions): BucketAccess {
        return new BucketAccess(name, bucketAccessArgs(access, stack, deps), opts);
    }

    /**
     * @param name logical name; children are named `${name}-<role>`.
     * @param args see {@link BucketAccessArgs}.
     * @param opts component options (parent, providers).
     */
    constructor(name: string, args: BucketAccessArgs, opts?: pulumi.ComponentResourceOptions) {
        super("microbiome-backup:access:BucketAccess", name, {}, opts);
        const names = args.names;
        const keyPrefixes = args.keyPrefixes ?? [];
        const consoleBucketList = args.consoleBucketList ?? false;
        const encryption = args.encryption ?? { sseAlgorithm: "AES256" as const };
        const accessKeys = names.machineUser !== undefined ? (args.accessKeys ?? {}) : {};
        const region = args.region;
        const child: pulumi.CustomResourceOptions = { parent: this };

        const identity = aws.getCallerIdentityOutput({}, { parent: this });
        const account = identity.apply((id): AccountRef => ({ accountId: id.accountId, partition: id.arn.split(":")[1] ?? "aws" }));
        const scope = pulumi.output(args.bucketArn).apply(
            (bucketArn): BucketScope => ({ bucketArn, keyPrefixes, consoleBucketList, encryption, region }),
        );

        this.groupPolicy = new aws.iam.Policy(
            `${name}-group-policy`,
            {
                name: names.groupPolicy,
                description: "Least-privilege access to the microbiome backup bucket (read, write, delete-marker, restore; TLS only)",
                policy: scope.apply((s) => JSON.stringify(bucketAccessPolicy(s))),
            },
            child,
        );
        this.group = new aws.iam.Group(`${name}-group`, { name: names.group }, child);
        new aws.iam.GroupPolicyAttachment(`${name}-group-policy-attachment`, { group: this.group.name, policyArn: this.groupPolicy.arn }, child);

        this.machineBoundary = new aws.iam.Policy(
            `${name}-machine-boundary`,
            {
                name: names.machineBoundary,
                description: "Permissions boundary of the bucket's machine user: nothing outside the backup bucket",
                policy: scope.apply((s) => JSON.stringify(permissionsBoundary(s, { consoleSelfService: false }))),
            },
            child,
        );

        const members: pulumi.Output<string>[] = [];
        const keyInfos: Record<string, pulumi.Output<AccessKeyInfo>> = {};
        if (names.machineUser !== undefined) {
            const user = new aws.iam.User(
                `${name}-machine-user`,
                { name: names.machineUser, permissionsBoundary: this.machineBoundary.arn, tags: { Role: "lab-machine" } },
                child,
            );
            this.machineUser = user;
            members.push(user.name);
            for (const slot of ["a", "b"] as const) {
                const status = accessKeys[slot];
                if (status === undefined) {
                    continue;
                }
                keyInfos[slot] = this.accessKey(name, slot, status, user, names, region);
            }
        }

        const consoleUsers: Record<string, aws.iam.User> = {};
        const consoleInfos: Record<string, pulumi.Output<ConsoleUserInfo>> = {};
        if (names.consoleUsers.length > 0) {
            const consoleBoundary = new aws.iam.Policy(
                `${name}-console-boundary`,
                {
                    name: names.consoleBoundary,
                    description: "Permissions boundary of the bucket's console users: the backup bucket plus their own password and MFA device",
                    policy: pulumi.all([scope, account]).apply(([s, a]) => JSON.stringify(permissionsBoundary(s, { consoleSelfService: true, account: a }))),
                },
                child,
            );
            const mfaPolicy = new aws.iam.Policy(
                `${name}-console-mfa-policy`,
                {
                    name: names.consoleMfaPolicy,
                    description: "Console users: change the first password and enrol MFA; everything else is denied without an MFA sign-in",
                    policy: account.apply((a) => JSON.stringify(consoleMfaPolicy(a))),
                },
                child,
            );
            const consoleGroup = new aws.iam.Group(`${name}-console-group`, { name: names.consoleGroup }, child);
            new aws.iam.GroupPolicyAttachment(`${name}-console-group-policy-attachment`, { group: consoleGroup.name, policyArn: mfaPolicy.arn }, child);

            const consoleMembers: pulumi.Output<string>[] = [];
            for (const userName of names.consoleUsers) {
                const user = new aws.iam.User(
                    `${name}-console-user-${userName}`,
                    // forceDestroy: the person's self-enrolled MFA device is not managed here and must not block removal.
                    { name: userName, permissionsBoundary: consoleBoundary.arn, forceDestroy: true, tags: { Role: "console-user" } },
                    child,
                );
                consoleUsers[userName] = user;
                members.push(user.name);
                consoleMembers.push(user.name);
                const login = new aws.iam.UserLoginProfile(`${name}-console-login-${userName}`, { user: user.name, passwordResetRequired: true }, child);
                const secret = new aws.secretsmanager.Secret(
                    `${name}-console-password-${userName}`,
                    {
                        name: `${names.secretPath}console/${secretNamePart(userName)}/initial-password`,
                        description: pulumi.interpolate`Initial console password of IAM user ${user.name} (must be changed at first sign-in)`,
                        recoveryWindowInDays: 0,
                    },
                    { ...child, deleteBeforeReplace: true },
                );
                new aws.secretsmanager.SecretVersion(
                    `${name}-console-password-${userName}-value`,
                    { secretId: secret.id, secretString: pulumi.secret(login.password) },
                    child,
                );
                consoleInfos[userName] = secret.arn.apply((arn) => ({
                    initialPasswordSecretArn: arn,
                    fetchInitialPasswordCommand: getSecretCommand(region, arn),
                }));
            }
            new aws.iam.GroupMembership(`${name}-console-group-membership`, { group: consoleGroup.name, users: consoleMembers }, child);
        }
        this.consoleUsers = consoleUsers;

        if (members.length > 0) {
            // Exclusive: a member added by hand is removed at the next update.
            new aws.iam.GroupMembership(`${name}-group-membership`, { group: this.group.name, users: members }, child);
        }

        const machineUserName: pulumi.Output<string | undefined> = this.machineUser ? this.machineUser.name : pulumi.output(undefined);
        const keys: pulumi.Output<Record<string, AccessKeyInfo>> = pulumi.all(keyInfos);
        const people: pulumi.Output<Record<string, ConsoleUserInfo>> = pulumi.all(consoleInfos);
        this.summary = pulumi.all([this.group.name, machineUserName, keys, people, identity.accountId]).apply(
            ([groupName, machineName, keyMap, peopleMap, accountId]): AccessSummary => ({
                groupName,
                ...(machineName !== undefined ? { machineUserName: machineName } : {}),
                cliProfile: names.cliProfile,
                accessKeys: keyMap,
                consoleUsers: peopleMap,
                ...(names.consoleUsers.length > 0 ? { consoleSignInUrl: `https://${accountId}.signin.aws.amazon.com/console` } : {}),
            }),
        );
        this.registerOutputs({ summary: this.summary });
    }

    /** Declares one access-key slot: the key and the secret that holds its secret access key. */
    private accessKey(
        name: string,
        slot: AccessKeySlotName,
        status: AccessKeyStatus,
        user: aws.iam.User,
        names: BucketAccessNames,
        region: string,
    ): pulumi.Output<AccessKeyInfo> {
        const child: pulumi.CustomResourceOptions = { parent: this };
        const key = new aws.iam.AccessKey(`${name}-machine-key-${slot}`, { user: user.name, status }, child);
        const secret = new aws.secretsmanager.Secret(
            `${name}-machine-key-${slot}-secret`,
            {
                name: pulumi.interpolate`${names.secretPath}machine/${user.name.apply(secretNamePart)}/access-key-${slot}`,
                description: pulumi.interpolate`Secret access key of ${key.id} (slot ${slot}) of IAM user ${user.name}; the key id is in the stack outputs`,
                // The secret is useless once its key is gone; deleting it at once lets the slot be reused.
                recoveryWindowInDays: 0,
                tags: { AccessKeyId: key.id, AccessKeySlot: slot },
            },
            { ...child, deleteBeforeReplace: true },
        );
        new aws.secretsmanager.SecretVersion(`${name}-machine-key-${slot}-secret-value`, { secretId: secret.id, secretString: pulumi.secret(key.secret) }, child);
        const profile = names.cliProfile;
        return pulumi.all([key.id, secret.arn]).apply(([accessKeyId, secretArn]) => ({
            accessKeyId,
            status,
            secretArn,
            fetchSecretCommand: getSecretCommand(region, secretArn),
            configureProfileCommands: [
                `aws configure set aws_access_key_id ${accessKeyId} --profile ${profile}`,
                `aws configure set aws_secret_access_key "$(${getSecretCommand(region, secretArn)})" --profile ${profile}`,
                `aws configure set region ${region} --profile ${profile}`,
            ],
        }));
    }
}

/**
 * Config section `microbiome-backup:access` — the bucket's IAM identities: one machine user for lab
 * PCs and analysis servers (with up to two access-key slots for rotation without downtime), optional
 * console users for people (password + MFA, never an access key), optional key prefixes that confine
 * the access, and the console bucket-list switch. See docs/access.md for the reference table.
 *
 * Name rules: IAM API Reference CreateUser (UserName 1–64 characters `[\w+=,.@-]+`), CreateGroup /
 * CreatePolicy (1–128, same characters); names are unique per account regardless of case.
 */
import { z } from "zod";
import type { BucketAccessNames } from "../components/access/bucketAccess";
import { checkIamName, checkKeyPrefixes, checkUniqueUserNames, IAM_NAME_PATTERN } from "../components/access/iamRules";
import { nestFindings, Problem, RuleFinding } from "../components/common/problems";
import { addFindings } from "./report";
import { ConfigError } from "./configError";

/** The two access-key slots of the machine user (IAM allows at most two keys per user). */
export const ACCESS_KEY_SLOTS = ["a", "b"] as const;

/** An access-key slot name. */
export type AccessKeySlot = (typeof ACCESS_KEY_SLOTS)[number];

/** Status of an access key (IAM `UpdateAccessKey` Status; `aws.iam.AccessKey.status`). */
const keyStatus = z.enum(["Active", "Inactive"], { message: "Active or Inactive (IAM access key status)" });

/** An IAM user name (IAM API CreateUser UserName). */
const iamUserName = z.string({ message: "a string" }).superRefine((name, ctx) => addFindings(ctx, checkIamName("user", name)));

/** Longest `namePrefix`: leaves room for the longest suffix (`-console-boundary`, `-lab-machine`) within IAM's limits. */
export const NAME_PREFIX_MAX_LENGTH = 48;

const namePrefix = z
    .string({ message: "a string" })
    .min(1, { message: "at least 1 character" })
    .max(NAME_PREFIX_MAX_LENGTH, { message: `at most ${NAME_PREFIX_MAX_LENGTH} characters, so the IAM names built from it stay within 64 (users) and 128 (groups, policies) characters` })
    .regex(IAM_NAME_PATTERN, { message: "only ASCII letters, digits and + = , . @ _ - (IAM name characters, pattern [\\w+=,.@-]+)" });

/**
 * The machine user: the identity lab PCs and analysis servers use with the AWS CLI. Its access keys
 * live in two slots, `a` and `b`; a slot that is set gets a key with that status, whose secret is
 * kept in AWS Secrets Manager. Rotation: add the other slot, move every machine to the new key,
 * remove the old slot. Revocation: set the slot `Inactive` (reversible) or remove it (deletes the key).
 */
const machineUser = z
    .strictObject({
        /** Create the machine user. Default true. */
        enabled: z.boolean({ message: "true or false" }).default(true),
        /** IAM user name. Default `<namePrefix>-lab-machine`. */
        name: iamUserName.optional(),
        /** Access-key slots: `{ a: Active }`, `{ a: Active, b: Active }` while rotating, … Default none. */
        accessKeys: z
            .strictObject({
                /** Slot a: Active or Inactive; absent = no key in this slot. */
                a: keyStatus.optional(),
                /** Slot b: Active or Inactive; absent = no key in this slot. */
                b: keyStatus.optional(),
            })
            .default({}),
    })
    .default({ enabled: true, accessKeys: {} })
    .superRefine((m, ctx) => {
        if (!m.enabled && (m.accessKeys.a || m.accessKeys.b)) {
            ctx.addIssue({ code: "custom", path: ["accessKeys"], message: "an access key needs the machine user: set machineUser.enabled to true or remove the key slots" });
        }
    });

/** A console user: a person who signs in to the AWS console with a password and MFA. */
const consoleUser = z
    .strictObject({
        /** IAM user name, e.g. `jane.doe` or `jane.doe@example.com` (1–64 characters `[\w+=,.@-]`). */
        name: iamUserName,
        /** Not allowed: accepted only to refuse it with a clear reason. */
        accessKeys: z.unknown().optional(),
    })
    .superRefine((u, ctx) => {
        if (u.accessKeys !== undefined) {
            ctx.addIssue({
                code: "custom",
                path: ["accessKeys"],
                message:
                    "console users never get an access key: they are people whose MFA policy denies every call without an MFA sign-in, which blocks long-term keys (Security Hub IAM.5); lab machines use machineUser.accessKeys",
            });
        }
    });

/** Schema of `microbiome-backup:access`. */
export const accessSection = z
    .strictObject({
        /**
         * Start of the IAM group, policy and secret names and of the default machine user name.
         * Default `<project>-<stack>` (e.g. `microbiome-backup-prod`).
         */
        namePrefix: namePrefix.optional(),
        /** The machine user for lab PCs and servers. Default: enabled, no access key. */
        machineUser,
        /** People who use the S3 console (password with forced reset, MFA enforced). Default none. */
        consoleUsers: z.array(consoleUser).default([]),
        /**
         * Confine object access and listing to keys under these prefixes (S3 key prefix form, no
         * leading slash, e.g. `Analysis_`). Default: the whole bucket.
         */
        keyPrefixes: z.array(z.string({ message: "a string" })).default([]),
        /** Allow `s3:ListAllMyBuckets`, so the console's bucket list works (reveals every bucket name). Default false. */
        consoleBucketList: z.boolean({ message: "true or false" }).default(false),
    })
    .default({ machineUser: { enabled: true, accessKeys: {} }, consoleUsers: [], keyPrefixes: [], consoleBucketList: false })
    .superRefine((access, ctx) => {
        addFindings(ctx, nestFindings(checkKeyPrefixes(access.keyPrefixes), ["keyPrefixes"]));
        addFindings(
            ctx,
            nestFindings(
                checkUniqueUserNames(access.consoleUsers.map((u) => u.name)),
                ["consoleUsers"],
            ).errors.map((f) => ({ path: [...f.path, "name"], message: f.message })),
        );
        const machineName = access.machineUser.enabled ? access.machineUser.name : undefined;
        if (machineName !== undefined) {
            access.consoleUsers.forEach((u, i) => {
                if (u.name.toLowerCase() === machineName.toLowerCase()) {
                    ctx.addIssue({
                        code: "custom",
                        path: ["consoleUsers", i, "name"],
                        message: "is the machine user's name: people and machines need separate identities (the MFA policy would block the machine's key)",
                    });
                }
            });
        }
    });

/** Validated `microbiome-backup:access`. */
export type AccessConfig = z.output<typeof accessSection>;

/**
 * The parts of the configuration the access functions read: the `access` section, and the project
 * and stack names the default name prefix (`<project>-<stack>`) and the messages' keys are built
 * from. {@link accessWarnings} reads only `access`. The whole stack configuration is one.
 */
export interface AccessInput {
    /** Pulumi project name (`microbiome-backup`). */
    readonly project: string;
    /** Pulumi stack name (`dev`, `prod`, …). */
    readonly stack: string;
    /** The validated `access` section. */
    readonly access: AccessConfig;
}

/**
 * Warnings for a valid `access` section (paths relative to the section): both key slots active
 * (finish the rotation: Security Hub IAM.3/IAM.8), no identity at all, the console bucket list
 * without console users, and key prefixes covered by others.
 */
export function accessWarnings(config: Pick<AccessInput, "access">): RuleFinding[] {
    const access = config.access;
    const warnings: RuleFinding[] = [...nestFindings(checkKeyPrefixes(access.keyPrefixes), ["keyPrefixes"]).warnings];
    const keys = access.machineUser.accessKeys;
    if (keys.a === "Active" && keys.b === "Active") {
        warnings.push({
            path: ["machineUser", "accessKeys"],
            message:
                "both access-key slots are Active: a rotation is under way — once every machine uses the new key, remove the old slot (Security Hub IAM.3 rotates keys within 90 days, IAM.8 removes unused credentials)",
        });
    }
    if (!access.machineUser.enabled && access.consoleUsers.length === 0) {
        warnings.push({ path: [], message: "no machine user and no console users: nobody gets access to the bucket through this stack" });
    }
    if (access.consoleBucketList && access.consoleUsers.length === 0) {
        warnings.push({
            path: ["consoleBucketList"],
            message: "only the S3 console's bucket list needs s3:ListAllMyBuckets, and no consoleUsers are configured: it reveals every bucket name of the account to the machine user",
        });
    }
    return warnings;
}

/**
 * Resolves the IAM names of the access identities from the validated config: the name prefix
 * (default `<project>-<stack>`), the group, policy and boundary names, the machine user's name
 * (default `<namePrefix>-lab-machine`), the console users and the AWS CLI profile name. Used by
 * `index.ts` and by `npm run verify:access` so both name the same users.
 *
 * @param config the validated `access` section with the project and stack names (the whole stack
 *   configuration will do).
 * @returns every name the access component and the live check need.
 * @throws ConfigError when a name derived from the project and stack names breaks IAM's rules (a
 *   long stack name): the message names `access.namePrefix` or `access.machineUser.name` to set.
 */
export function resolveAccessNames(config: AccessInput): BucketAccessNames {
    const access = config.access;
    const key = (path: string) => `${config.project}:access.${path}`;
    const prefix = access.namePrefix ?? `${config.project}-${config.stack}`;
    const problems: Problem[] = [];
    if (access.namePrefix === undefined && (prefix.length > NAME_PREFIX_MAX_LENGTH || !IAM_NAME_PATTERN.test(prefix))) {
        problems.push({
            key: key("namePrefix"),
            value: undefined,
            message: `the default name prefix ${JSON.stringify(prefix)} (<project>-<stack>) is not usable in IAM names (1–${NAME_PREFIX_MAX_LENGTH} characters [\\w+=,.@-]): set access.namePrefix`,
        });
    }
    const machineName = access.machineUser.enabled ? (access.machineUser.name ?? `${prefix}-lab-machine`) : undefined;
    if (machineName !== undefined && access.machineUser.name === undefined) {
        for (const e of checkIamName("user", machineName).errors) {
            problems.push({ key: key("machineUser.name"), value: undefined, message: `the default name ${JSON.stringify(machineName)} is ${e.message}: set machineUser.name` });
        }
    }
    if (problems.length > 0) {
        throw new ConfigError(problems);
    }
    return {
        group: `${prefix}-bucket-access`,
        groupPolicy: `${prefix}-bucket-access`,
        machineBoundary: `${prefix}-machine-boundary`,
        consoleGroup: `${prefix}-console-users`,
        consoleMfaPolicy: `${prefix}-console-mfa`,
        consoleBoundary: `${prefix}-console-boundary`,
        secretPath: `${prefix}/`,
        cliProfile: prefix,
        ...(machineName !== undefined ? { machineUser: machineName } : {}),
        consoleUsers: access.consoleUsers.map((u) => u.name),
    };
}

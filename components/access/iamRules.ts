/**
 * AWS rules for the names and key prefixes the access configuration uses, as pure checks returning
 * {@link RuleResult}s (shared by config validation, the component and the tests).
 *
 * Sources:
 * - IAM API Reference `CreateUser` (UserName: 1–64 characters, pattern `[\w+=,.@-]+`), `CreateGroup`
 *   (GroupName: 1–128, same pattern), `CreatePolicy` (PolicyName: 1–128, same pattern).
 * - IAM User Guide "IAM identifiers" / "IAM object quotas": names of users, groups and policies are
 *   unique within an account and not distinguished by case ("TESTUSER" and "testuser" collide).
 * - S3 User Guide "Naming Amazon S3 objects": a key is up to 1024 bytes of UTF-8; keys have no
 *   leading slash (the console and the CLI would show an empty top-level folder).
 * - IAM User Guide "IAM JSON policy elements: Resource" and "Condition operators": `*` and `?` are
 *   wildcards in ARNs and in StringLike values, and `${…}` is a policy variable — a prefix containing
 *   them would grant more (or other) keys than it names.
 */
import { fitsS3KeyLength, S3_KEY_LENGTH_MESSAGE } from "../common/s3Keys";
import { emptyResult, RuleResult } from "../common/problems";

/** Kinds of IAM names this stack creates. */
export type IamNameKind = "user" | "group" | "policy";

/** Maximum length per IAM name kind (IAM API Reference CreateUser / CreateGroup / CreatePolicy). */
export const IAM_NAME_MAX_LENGTH: Readonly<Record<IamNameKind, number>> = { user: 64, group: 128, policy: 128 };

/** Characters IAM allows in user, group and policy names: `[\w+=,.@-]` (ASCII letters, digits, `_+=,.@-`). */
export const IAM_NAME_PATTERN = /^[\w+=,.@-]+$/;

/**
 * Checks one IAM user, group or policy name.
 *
 * @param kind what the name is for (sets the length limit).
 * @param name the name.
 * @returns one error (path `[]`) naming every broken rule, or nothing.
 */
export function checkIamName(kind: IamNameKind, name: string): RuleResult {
    const result = emptyResult();
    const max = IAM_NAME_MAX_LENGTH[kind];
    const problems: string[] = [];
    if (name.length < 1 || name.length > max) {
        problems.push(`1–${max} characters (this one has ${name.length})`);
    }
    if (name.length > 0 && !IAM_NAME_PATTERN.test(name)) {
        problems.push("only ASCII letters, digits and the characters + = , . @ _ - (no spaces, no slashes)");
    }
    if (problems.length > 0) {
        const api = kind === "user" ? "CreateUser UserName" : kind === "group" ? "CreateGroup GroupName" : "CreatePolicy PolicyName";
        result.errors.push({
            path: [],
            message: `not a valid IAM ${kind} name: it needs ${problems.join(" and ")} (IAM API ${api}: pattern [\\w+=,.@-]+, 1–${max} characters)`,
        });
    }
    return result;
}

/**
 * Checks that IAM user names are unique in the way IAM compares them (case-insensitively).
 *
 * @param names user names in configuration order.
 * @returns an error at `[i]` for every name that repeats an earlier one.
 */
export function checkUniqueUserNames(names: readonly string[]): RuleResult {
    const result = emptyResult();
    const seen = new Map<string, number>();
    names.forEach((name, i) => {
        const key = name.toLowerCase();
        const first = seen.get(key);
        if (first !== undefined) {
            result.errors.push({
                path: [i],
                message: `repeats the user name of entry [${first}]: IAM user names are unique per account and not distinguished by case (IAM User Guide "IAM identifiers")`,
            });
        } else {
            seen.set(key, i);
        }
    });
    return result;
}

/**
 * Checks one S3 key prefix that confines the bucket access (e.g. `Analysis_` or `Analysis_2024/`).
 *
 * Errors: empty; a leading `/`; more than 1024 bytes; `*`, `?` or `$` (IAM wildcards and policy
 * variables); control characters; an empty path segment (`//`).
 *
 * @param prefix the prefix as configured.
 * @returns errors with path `[]`.
 */
export function checkKeyPrefix(prefix: string): RuleResult {
    const result = emptyResult();
    const problems: string[] = [];
    if (prefix.length === 0) {
        problems.push("at least one character");
    }
    if (prefix.startsWith("/")) {
        problems.push("no leading slash (S3 keys start with the first folder name, e.g. Analysis_2024/)");
    }
    if (!fitsS3KeyLength(prefix)) {
        problems.push(S3_KEY_LENGTH_MESSAGE);
    }
    if (/[*?$]/.test(prefix)) {
        problems.push("no *, ? or $ (IAM reads * and ? as wildcards and ${…} as a policy variable in ARNs and StringLike conditions)");
    }
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(prefix)) {
        problems.push("no control characters");
    }
    if (prefix.includes("//")) {
        problems.push("no empty folder name (//)");
    }
    if (problems.length > 0) {
        result.errors.push({
            path: [],
            message: `not a valid S3 key prefix: it needs ${problems.join("; ")} (S3 User Guide "Naming Amazon S3 objects")`,
        });
    }
    return result;
}

/**
 * Checks a list of key prefixes: each one ({@link checkKeyPrefix}), duplicates (error) and prefixes
 * already covered by a shorter one (warning: redundant, the shorter one grants those keys anyway).
 *
 * @param prefixes prefixes in configuration order.
 * @returns findings with paths `[i]`.
 */
export function checkKeyPrefixes(prefixes: readonly string[]): RuleResult {
    const result = emptyResult();
    prefixes.forEach((prefix, i) => {
        for (const e of checkKeyPrefix(prefix).errors) {
            result.errors.push({ path: [i, ...e.path], message: e.message });
        }
        const first = prefixes.indexOf(prefix);
        if (first < i) {
            result.errors.push({ path: [i], message: `repeats keyPrefixes[${first}]` });
            return;
        }
        const cover = prefixes.findIndex((other, j) => j !== i && other !== prefix && prefix.startsWith(other));
        if (cover >= 0) {
            result.warnings.push({
                path: [i],
                message: `is already covered by keyPrefixes[${cover}] (${JSON.stringify(prefixes[cover])}): every key under it is granted anyway`,
            });
        }
    });
    return result;
}

/**
 * The folder prefixes above a key prefix that a person must be able to list (with delimiter `/`) to
 * navigate down to it in the console or with `aws s3 ls`: `""` (the bucket's top level) and every
 * parent folder. `Analysis_2024/P001/` → `["", "Analysis_2024/"]`; `Analysis_` → `[""]`.
 *
 * @param prefix a valid key prefix.
 * @returns the ancestor folder prefixes, shortest first.
 */
export function parentFolders(prefix: string): string[] {
    const parents = [""];
    for (let i = 0; i < prefix.length - 1; i++) {
        if (prefix[i] === "/") {
            parents.push(prefix.slice(0, i + 1));
        }
    }
    return parents;
}

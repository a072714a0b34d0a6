/**
 * The stack configuration module: the single place where stack settings are read, validated and
 * defaulted. `index.ts` calls {@link loadStackConfig} before it declares any resource.
 *
 * Keys live in the project namespace (`microbiome-backup:<section>`), plus `aws:region`. Unknown
 * keys are errors, so a typo is never silently ignored. Every problem is collected and thrown at
 * once as a {@link ConfigError}.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { accessSection, accessWarnings } from "./access";
import { bucketSection, bucketWarnings } from "./bucket";
import { accountId, regionName } from "./common";
import { fsxErrors, fsxSection, fsxWarnings } from "./fsx";
import { networkErrors, networkSection, networkWarnings } from "./network";
import { CROSS_CHECKS } from "./crossChecks";
import { checkDefaultTags, checkNamespaces } from "./keys";
import { isGenericMessage } from "./messages";
import { formatPath, PathSegment, Problem, RuleFinding, valueAt } from "../components/common/problems";
import { replicationSection, replicationWarnings, unreplicatedArchiveWarnings } from "./replication";
import { syncHostSection, syncHostWarnings } from "./syncHost";
import { dataPathWarnings } from "./dataPath";
import { checkKeyLocation } from "../components/replication/rules";
import { secretStrings } from "./secrets";
import { closestMatch } from "../components/common/suggest";
import { ConfigError } from "./configError";
import type { StackContext } from "../components/common/stack";

/** The Pulumi project name; config keys are `${PROJECT}:<key>`. */
export const PROJECT = "microbiome-backup";

/**
 * Schema of every key in the project namespace (without the `microbiome-backup:` prefix). Each
 * section is validated on its own by {@link parseStackConfig} (so one invalid section does not
 * hide another's problems); the checks across sections are `CROSS_CHECKS` (`config/crossChecks.ts`).
 */
export const projectSchema = z.strictObject({
    /** Protect data-bearing resources against delete/replace. Default false (Pulumi.yaml). */
    protect: z.boolean({ message: "true or false" }).default(false),
    /** Allow config changes that replace a data-bearing resource. Default false (Pulumi.yaml). */
    allowDataReplacement: z.boolean({ message: "true or false" }).default(false),
    /** The backup bucket (required). */
    bucket: bucketSection,
    /** IAM identities for lab machines and staff. */
    access: accessSection,
    /** Cross-account replication to the DR bucket. */
    replication: replicationSection,
    /** VPC and subnet for FSx and the sync host. */
    network: networkSection,
    /** FSx for Lustre file system and data repository associations. */
    fsx: fsxSection,
    /** EC2 sync host. */
    syncHost: syncHostSection,
});

/** Where each section is documented: the source named by generic messages (type, bounds, required). */
const SECTION_REFERENCE: Readonly<Record<string, string>> = {
    access: "docs/access.md \"Configuration reference\"",
    replication: "docs/replication.md \"Configuration reference\"",
    network: "docs/fsx.md \"Configuration reference\"",
    fsx: "docs/fsx.md \"Configuration reference\"",
    syncHost: "docs/synchost.md \"Configuration reference\"",
};

/** The reference of a section (README "Configuration" unless the section has its own page). */
function sectionReference(section: string): string {
    return SECTION_REFERENCE[section] ?? "README \"Configuration\"";
}

/**
 * `aws:allowedAccountIds` (AWS provider configuration): the only accounts the default provider may
 * act in — the provider refuses to run with credentials of any other account (pulumi-aws provider
 * configuration `allowedAccountIds`). Optional for the schema; both committed stacks set it.
 */
const allowedAccountIdsSchema = z
    .array(z.string({ message: "an AWS account id is exactly 12 digits, as a quoted string (e.g. \"111111111111\")" }).pipe(accountId), {
        message: "a list of 12-digit account ids as quoted strings, e.g. [\"111111111111\"]",
    })
    .min(1, { message: "at least one account id (an empty list allows none)" })
    .optional();

/** Validated project settings. */
export type ProjectSettings = z.output<typeof projectSchema>;

/**
 * The whole validated stack configuration: the project's sections and the stack-level settings
 * ({@link StackContext}, which each component's `fromConfig` reads; `protect` is a project key).
 */
export interface StackConfig extends ProjectSettings, Omit<StackContext, "protect"> {
    /** `aws:allowedAccountIds`: the accounts the default provider may act in; empty when unset. */
    readonly allowedAccountIds: readonly string[];
}

/** A validated configuration and the warnings it raised. */
export interface LoadedConfig {
    readonly config: StackConfig;
    /** Allowed but questionable settings (e.g. early-deletion charges); reported as diagnostics. */
    readonly warnings: readonly Problem[];
    /**
     * The text values of secret keys (every string in a secret key's value): a stack output that
     * contains one is made secret (`markSecretOutputs`, `config/secrets.ts`). Empty without secrets.
     */
    readonly secretValues: readonly string[];
}

/**
 * Parses one raw config value as Pulumi hands it to the program: structured values arrive as JSON
 * text, scalars as strings.
 */
function parseRawValue(text: string): unknown {
    const trimmed = text.trim();
    if (/^[[{]/.test(trimmed) || trimmed === "true" || trimmed === "false" || /^-?\d+(\.\d+)?$/.test(trimmed)) {
        try {
            return JSON.parse(trimmed);
        } catch {
            return text;
        }
    }
    return text;
}

/**
 * Reads the raw stack configuration from the Pulumi runtime (works under `pulumi up` and under the
 * mock runtime once `pulumi.runtime.setAllConfig` ran).
 *
 * @returns every config key (fully qualified, e.g. `microbiome-backup:bucket`) with its value parsed.
 */
export function readRawConfig(): Record<string, unknown> {
    const raw: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
        raw[key] = parseRawValue(value);
    }
    return raw;
}

/**
 * The keys of the current stack's configuration that are secrets (`pulumi config set --secret`,
 * `secure:` in the stack file), as the Pulumi runtime marks them (`isConfigSecret` of
 * `@pulumi/pulumi/runtime/config`, not in its type declarations).
 */
export function readSecretKeys(): string[] {
    const runtime = pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean };
    return Object.keys(pulumi.runtime.allConfig()).filter((key) => runtime.isConfigSecret?.(key) === true);
}

/** Returns the keys a schema accepts at `path` (for "unknown key" messages). */
function allowedKeysAt(schema: z.ZodType, path: readonly PathSegment[]): string[] {
    let current: z.ZodType | undefined = schema;
    const unwrap = (s: z.ZodType | undefined): z.ZodType | undefined => {
        let t = s;
        for (let i = 0; i < 10 && t; i++) {
            const def = (t as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;
            if (def.type === "default" || def.type === "optional" || def.type === "nullable" || def.type === "prefault") {
                t = def.innerType as z.ZodType;
            } else if (def.type === "pipe") {
                t = def.in as z.ZodType;
            } else {
                break;
            }
        }
        return t;
    };
    for (const segment of path) {
        current = unwrap(current);
        if (current instanceof z.ZodObject) {
            current = (current.shape as Record<string, z.ZodType>)[String(segment)];
        } else if (current instanceof z.ZodArray) {
            current = current.element as z.ZodType;
        } else if (current instanceof z.ZodRecord) {
            current = current.valueType as z.ZodType;
        } else {
            return [];
        }
    }
    current = unwrap(current);
    return current instanceof z.ZodObject ? Object.keys(current.shape) : [];
}

/** Turns zod issues of one section into problems with full keys, values and allowed values. */
function issuesToProblems(issues: readonly z.core.$ZodIssue[], section: string, input: Record<string, unknown>, project: string, secret: boolean): Problem[] {
    const problems: Problem[] = [];
    for (const issue of issues) {
        const path = [section, ...(issue.path as PathSegment[])];
        if (issue.code === "unrecognized_keys") {
            const allowed = allowedKeysAt(projectSchema, path);
            for (const key of issue.keys) {
                const full = [...path, key];
                const near = closestMatch(key, allowed);
                problems.push({
                    key: `${project}:${formatPath(full)}`,
                    value: valueAt(input, full),
                    message: `unknown key${allowed.length ? `; allowed here: ${allowed.join(", ")}` : ""}${near ? ` — did you mean ${near}?` : ""} (${sectionReference(section)})`,
                    ...(secret ? { secret } : {}),
                });
            }
            continue;
        }
        const value = valueAt(input, path);
        let message = issue.message;
        if (issue.code === "invalid_type" && value === undefined && !message.startsWith("required")) {
            message = `required: ${message}`;
        }
        if (isGenericMessage(issue.message) || !message.trimEnd().endsWith(")")) {
            // Every message names its source: a rule's own, or the section's reference.
            message = `${message} (${sectionReference(section)})`;
        }
        problems.push({ key: `${project}:${formatPath(path)}`, value, message, ...(secret ? { secret } : {}) });
    }
    return problems;
}

/** Converts rule findings under a section into problems with full keys. */
function findingsToProblems(findings: readonly RuleFinding[], section: string, input: Record<string, unknown>, project: string, secretKeys: readonly string[] = []): Problem[] {
    return findings.map((f) => {
        const path = [section, ...f.path];
        const top = `${project}:${String(path[0])}`;
        return { key: `${project}:${formatPath(path)}`, value: valueAt(input, path), message: f.message, ...(secretKeys.includes(top) ? { secret: true } : {}) };
    });
}

/** Converts findings with paths from the project namespace root into problems. */
function rootFindingsToProblems(findings: readonly RuleFinding[], input: Record<string, unknown>, project: string, secretKeys: readonly string[]): Problem[] {
    return findings.map((f) => {
        const [section, ...rest] = f.path;
        return findingsToProblems([{ path: rest, message: f.message }], String(section), input, project, secretKeys)[0];
    });
}

/**
 * A section's value with its defaults applied even when the section is invalid, so that the checks
 * reading only its valid keys can still run. Uses zod's internal `_zod.run` (zod pinned in
 * package.json); `undefined` if that is not available.
 */
function defaultedValue(schema: z.ZodType, value: unknown): unknown {
    const internal = schema as unknown as { _zod?: { run?: (payload: { value: unknown; issues: unknown[] }, ctx: { async: boolean }) => { value: unknown } } };
    try {
        const result = internal._zod?.run?.({ value, issues: [] }, { async: false });
        return result && !(result instanceof Promise) ? result.value : undefined;
    } catch {
        return undefined;
    }
}

/** True when a problem is a replacement-guard difference (reported after the real causes). */
function isGuardFinding(problem: Problem, project: string): boolean {
    return problem.key.startsWith(`${project}:fsx.replacementGuard`);
}

/**
 * Validates a raw stack configuration.
 *
 * @param raw fully qualified keys (`microbiome-backup:bucket`, `aws:region`, …) with parsed values.
 * @param stack the stack name.
 * @param project the project name (default {@link PROJECT}).
 * @param secretKeys fully qualified keys whose values are secrets: problems there never show the value.
 * @returns the typed, defaulted configuration and its warnings.
 * @throws ConfigError listing every problem (full key, value, what is allowed) when invalid.
 */
export function parseStackConfig(raw: Record<string, unknown>, stack: string, project: string = PROJECT, secretKeys: readonly string[] = []): LoadedConfig {
    const prefix = `${project}:`;
    const input: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(raw)) {
        if (key.startsWith(prefix)) {
            input[key.slice(prefix.length)] = value;
        }
    }
    const sections = Object.keys(projectSchema.shape);
    const hide = (key: string) => (secretKeys.includes(key) ? { secret: true } : {});
    // 1. Keys Pulumi or the provider would ignore (typos in a key or a namespace).
    const problems: Problem[] = checkNamespaces(raw, project, sections).map((p) => ({ ...p, ...hide(p.key) }));
    // 2. The provider's keys the program reads.
    const region = regionName.safeParse(raw["aws:region"]);
    if (!region.success) {
        const message = region.error.issues[0]?.message ?? "an AWS Region code";
        problems.push({
            key: "aws:region",
            value: raw["aws:region"],
            message: `${raw["aws:region"] === undefined && !message.startsWith("required") ? "required: " : ""}${message} (pulumi config set aws:region us-east-1)`,
            ...hide("aws:region"),
        });
    }
    const defaultTags = checkDefaultTags(raw["aws:defaultTags"]);
    problems.push(...defaultTags.problems.map((p) => ({ ...p, ...hide("aws:defaultTags") })));
    const allowedAccountIds = allowedAccountIdsSchema.safeParse(raw["aws:allowedAccountIds"]);
    if (!allowedAccountIds.success) {
        for (const issue of allowedAccountIds.error.issues) {
            const path = issue.path as PathSegment[];
            problems.push({
                key: `aws:allowedAccountIds${path.length ? formatPath(path).replace(/^(?!\[)/, ".") : ""}`,
                value: valueAt(raw["aws:allowedAccountIds"], path),
                message: `${issue.message} (the AWS provider refuses credentials of any account not listed)`,
            });
        }
    }
    // 3. Every section on its own, so one invalid section does not hide another's problems.
    const settings: Record<string, unknown> = {};
    const issues: { path: PathSegment[]; code: string }[] = [];
    for (const section of sections) {
        const schema = (projectSchema.shape as Record<string, z.ZodType>)[section];
        const parsed = schema.safeParse(input[section]);
        if (parsed.success) {
            settings[section] = parsed.data;
        } else {
            settings[section] = defaultedValue(schema, input[section]);
            issues.push(...parsed.error.issues.map((i) => ({ path: [section, ...(i.path as PathSegment[])], code: i.code })));
            problems.push(...issuesToProblems(parsed.error.issues, section, input, project, secretKeys.includes(`${project}:${section}`)));
        }
    }
    // 4. Checks across sections and checks that need the Region: each runs when the keys it reads
    //    are valid (the others are named as not checked, so no error lands on a key that is fine).
    //    Replacement-guard differences come last, after the problems that cause them.
    const notes: string[] = [];
    const later: Problem[] = [];
    const runWhenValid = (check: { what: string; needs: readonly string[]; needsRegion?: boolean; ruleIssuesOk?: boolean }, run: () => Problem[]) => {
        const missing = check.needs.filter((need) => {
            const at = need.split(".");
            return settings[at[0]] === undefined || issues.some(
                (i) => !(check.ruleIssuesOk && i.code === "custom") && at.every((seg, k) => k >= i.path.length || String(i.path[k]) === seg),
            );
        });
        const named = missing.map((n) => `${project}:${n}`);
        if (check.needsRegion && !region.success) named.push("aws:region");
        if (named.length > 0) {
            notes.push(`not checked: ${check.what}, because ${named.join(" and ")} ${named.length === 1 ? "is" : "are"} invalid`);
            return;
        }
        for (const problem of run()) {
            (isGuardFinding(problem, project) ? later : problems).push(problem);
        }
    };
    const partial = {
        ...settings,
        project,
        stack,
        region: region.success ? region.data : "",
        allowedAccountIds: allowedAccountIds.success ? (allowedAccountIds.data ?? []) : [],
        defaultTags: defaultTags.tags,
    } as unknown as StackConfig;
    // The main account of replication must be one the default provider may act in.
    runWhenValid({ what: "aws:allowedAccountIds against replication.sourceAccountId", needs: ["replication"] }, () => {
        const source = partial.replication.enabled ? partial.replication.sourceAccountId : undefined;
        return source !== undefined && allowedAccountIds.success && partial.allowedAccountIds.length > 0 && !partial.allowedAccountIds.includes(source)
            ? [
                  {
                      key: "aws:allowedAccountIds",
                      value: raw["aws:allowedAccountIds"],
                      message: `must include replication.sourceAccountId ${source}: the default provider deploys the backup bucket and the replication role in that account (pulumi-aws provider configuration allowedAccountIds)`,
                  },
              ]
            : [];
    });
    for (const check of CROSS_CHECKS) {
        runWhenValid(check, () => rootFindingsToProblems(check.run(partial), input, project, secretKeys));
    }
    runWhenValid({ what: "bucket.encryption.kmsKeyArn against aws:region", needs: ["bucket.encryption"], needsRegion: true }, () => {
        const enc = partial.bucket.encryption;
        const findings = enc.sseAlgorithm === "aws:kms" && enc.kmsKeyArn ? checkKeyLocation(enc.kmsKeyArn, undefined, partial.region, "bucket's KMS key").errors : [];
        return findingsToProblems(
            findings.map((f) => ({ path: ["encryption", "kmsKeyArn", ...f.path], message: f.message })),
            "bucket",
            input,
            project,
            secretKeys,
        );
    });
    runWhenValid({ what: "network.availabilityZone against aws:region", needs: ["network.availabilityZone"], needsRegion: true }, () =>
        findingsToProblems(networkErrors(partial), "network", input, project, secretKeys),
    );
    runWhenValid(
        { what: "the file system's associations against aws:region, and fsx.replacementGuard", needs: ["fsx", "network", "bucket.name", "allowDataReplacement"], needsRegion: true },
        () => findingsToProblems(fsxErrors(partial), "fsx", input, project, secretKeys),
    );
    problems.push(...later);
    if (problems.length > 0 || !region.success || issues.length > 0) {
        // A rule checked twice (e.g. by a section and again with the Region) is reported once.
        const seen = new Set<string>();
        const secrets = secretStrings(raw, secretKeys);
        const mask = (text: string) => secrets.reduce((t, secret) => t.split(secret).join("[secret]"), text);
        throw new ConfigError(
            problems
                .filter((p) => {
                    const id = `${p.key}\u0000${p.message}`;
                    return seen.has(id) ? false : (seen.add(id), true);
                })
                .map((p) => (secrets.length > 0 ? { ...p, message: mask(p.message) } : p)),
            notes,
        );
    }
    const config: StackConfig = partial;
    const warnings: Problem[] = [
        ...findingsToProblems(bucketWarnings(config.bucket), "bucket", input, project, secretKeys),
        ...findingsToProblems(accessWarnings(config), "access", input, project, secretKeys),
        ...findingsToProblems(replicationWarnings(config), "replication", input, project, secretKeys),
        ...findingsToProblems(unreplicatedArchiveWarnings(config), "replication", input, project, secretKeys),
        ...findingsToProblems(networkWarnings(config), "network", input, project, secretKeys),
        ...findingsToProblems(fsxWarnings(config), "fsx", input, project, secretKeys),
        ...findingsToProblems(syncHostWarnings(config), "syncHost", input, project, secretKeys),
    ];
    const dataPath = dataPathWarnings(config, project);
    warnings.push(...findingsToProblems(dataPath.fsx, "fsx", input, project, secretKeys), ...findingsToProblems(dataPath.syncHost, "syncHost", input, project, secretKeys));
    return { config, warnings, secretValues: secretStrings(raw, secretKeys) };
}

/**
 * Loads and validates the current stack's configuration from the Pulumi runtime.
 *
 * @throws ConfigError when the configuration is invalid (nothing has been declared yet).
 */
export function loadStackConfig(): LoadedConfig {
    return parseStackConfig(readRawConfig(), pulumi.getStack(), pulumi.getProject(), readSecretKeys());
}

export { ConfigError } from "./configError";
export type { BucketConfig } from "./bucket";
export type { FsxConfig } from "./fsx";
export type { NetworkConfig } from "./network";

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
import { ConfigError, formatPath, PathSegment, Problem, RuleFinding, valueAt } from "./problems";
import { replicationSection, replicationWarnings } from "./replication";
import { syncHostSection, syncHostWarnings } from "./syncHost";
import { crossSectionChecks } from "./crossChecks";
import { dataPathWarnings } from "./dataPath";

/** The Pulumi project name; config keys are `${PROJECT}:<key>`. */
export const PROJECT = "microbiome-backup";

/** Schema of every key in the project namespace (without the `microbiome-backup:` prefix). */
export const projectSchema = z
    .strictObject({
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
    })
    .superRefine((cfg, ctx) => crossSectionChecks(cfg, ctx));

/** `aws:defaultTags` (AWS provider configuration): `{ tags: { key: value } }`, optional. */
const defaultTagsSchema = z
    .object({
        tags: z.record(z.string().min(1).max(128), z.string().max(256, { message: "a tag value is at most 256 characters" })).optional(),
    })
    .optional();

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

/** The whole validated stack configuration. */
export interface StackConfig extends ProjectSettings {
    /** Pulumi project name. */
    readonly project: string;
    /** Pulumi stack name (`dev`, `prod`, …). */
    readonly stack: string;
    /** `aws:region`, the Region every resource of the default provider is created in. */
    readonly region: string;
    /** `aws:allowedAccountIds`: the accounts the default provider may act in; empty when unset. */
    readonly allowedAccountIds: readonly string[];
    /**
     * `aws:defaultTags.tags`: the tags the default AWS provider puts on every resource; components
     * that create a provider of their own (the DR account's) pass them on. Empty when unset.
     */
    readonly defaultTags: Readonly<Record<string, string>>;
}

/** A validated configuration and the warnings it raised. */
export interface LoadedConfig {
    readonly config: StackConfig;
    /** Allowed but questionable settings (e.g. early-deletion charges); reported as diagnostics. */
    readonly warnings: readonly Problem[];
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

/** Turns zod issues into problems with full keys, values and allowed values. */
function issuesToProblems(issues: readonly z.core.$ZodIssue[], input: Record<string, unknown>, project: string): Problem[] {
    const problems: Problem[] = [];
    for (const issue of issues) {
        const path = issue.path as PathSegment[];
        if (issue.code === "unrecognized_keys") {
            const allowed = allowedKeysAt(projectSchema, path);
            for (const key of issue.keys) {
                const full = [...path, key];
                problems.push({
                    key: `${project}:${formatPath(full)}`,
                    value: valueAt(input, full),
                    message: `unknown key${allowed.length ? `; allowed here: ${allowed.join(", ")}` : ""} (see README "Configuration")`,
                });
            }
            continue;
        }
        let message = issue.message;
        if (issue.code === "invalid_type" && valueAt(input, path) === undefined) {
            message = `required: ${message.replace(/^Invalid input: expected (\w+), received undefined$/, "a $1")}`;
        }
        problems.push({ key: `${project}:${formatPath(path)}`, value: valueAt(input, path), message });
    }
    return problems;
}

/** Converts rule findings under a section into problems with full keys. */
function findingsToProblems(findings: readonly RuleFinding[], section: string, input: Record<string, unknown>, project: string): Problem[] {
    return findings.map((f) => {
        const path = [section, ...f.path];
        return { key: `${project}:${formatPath(path)}`, value: valueAt(input, path), message: f.message };
    });
}

/**
 * Validates a raw stack configuration.
 *
 * @param raw fully qualified keys (`microbiome-backup:bucket`, `aws:region`, …) with parsed values.
 * @param stack the stack name.
 * @param project the project name (default {@link PROJECT}).
 * @returns the typed, defaulted configuration and its warnings.
 * @throws ConfigError listing every problem (full key, value, what is allowed) when invalid.
 */
export function parseStackConfig(raw: Record<string, unknown>, stack: string, project: string = PROJECT): LoadedConfig {
    const prefix = `${project}:`;
    const input: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(raw)) {
        if (key.startsWith(prefix)) {
            input[key.slice(prefix.length)] = value;
        }
    }
    const problems: Problem[] = [];
    const region = regionName.safeParse(raw["aws:region"]);
    if (!region.success) {
        problems.push({
            key: "aws:region",
            value: raw["aws:region"],
            message: `required: ${region.error.issues[0]?.message ?? "an AWS Region code"} (pulumi config set aws:region us-east-1)`,
        });
    }
    const defaultTags = defaultTagsSchema.safeParse(raw["aws:defaultTags"]);
    if (!defaultTags.success) {
        for (const issue of defaultTags.error.issues) {
            const path = issue.path as PathSegment[];
            problems.push({
                key: `aws:defaultTags${path.length ? `.${formatPath(path)}` : ""}`,
                value: valueAt(raw["aws:defaultTags"], path),
                message: `${issue.message} (the AWS provider's default tags: { tags: { <key>: <value> } }; tag keys 1–128 and values up to 256 characters)`,
            });
        }
    }
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
    const parsed = projectSchema.safeParse(input);
    if (!parsed.success) {
        problems.push(...issuesToProblems(parsed.error.issues, input, project));
    }
    if (problems.length > 0 || !parsed.success || !region.success || !defaultTags.success || !allowedAccountIds.success) {
        throw new ConfigError(problems);
    }
    const config: StackConfig = {
        ...parsed.data,
        project,
        stack,
        region: region.data,
        allowedAccountIds: allowedAccountIds.data ?? [],
        defaultTags: defaultTags.data?.tags ?? {},
    };
    // The main account of replication must be one the default provider may act in.
    const source = config.replication.enabled ? config.replication.sourceAccountId : undefined;
    if (source !== undefined && config.allowedAccountIds.length > 0 && !config.allowedAccountIds.includes(source)) {
        throw new ConfigError([
            {
                key: "aws:allowedAccountIds",
                value: raw["aws:allowedAccountIds"],
                message: `must include replication.sourceAccountId ${source}: the default provider deploys the backup bucket and the replication role in that account`,
            },
        ]);
    }
    // Checks that need the Region or several sections at once (run on a valid configuration).
    const stackErrors: Problem[] = [
        ...findingsToProblems(networkErrors(config), "network", input, project),
        ...findingsToProblems(fsxErrors(config), "fsx", input, project),
    ];
    if (stackErrors.length > 0) {
        throw new ConfigError(stackErrors);
    }
    const warnings: Problem[] = [
        ...findingsToProblems(bucketWarnings(config.bucket), "bucket", input, project),
        ...findingsToProblems(accessWarnings(config), "access", input, project),
        ...findingsToProblems(replicationWarnings(config), "replication", input, project),
        ...findingsToProblems(networkWarnings(config), "network", input, project),
        ...findingsToProblems(fsxWarnings(config), "fsx", input, project),
        ...findingsToProblems(syncHostWarnings(config), "syncHost", input, project),
    ];
    const dataPath = dataPathWarnings(config, project);
    warnings.push(...findingsToProblems(dataPath.fsx, "fsx", input, project), ...findingsToProblems(dataPath.syncHost, "syncHost", input, project));
    return { config, warnings };
}

/**
 * Loads and validates the current stack's configuration from the Pulumi runtime.
 *
 * @throws ConfigError when the configuration is invalid (nothing has been declared yet).
 */
export function loadStackConfig(): LoadedConfig {
    return parseStackConfig(readRawConfig(), pulumi.getStack(), pulumi.getProject());
}

export { ConfigError } from "./problems";
export type { BucketConfig } from "./bucket";
export type { FsxConfig } from "./fsx";
export type { NetworkConfig } from "./network";

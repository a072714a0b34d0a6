/**
 * Keys outside the project's sections: the namespaces a stack file may use, the AWS provider's
 * own keys (`aws:*`) and `aws:defaultTags`. A key Pulumi or the provider would silently ignore is an
 * error naming the closest valid key, so a typo (`aws:defaultTag`, `microbiome-backups:protect`)
 * never drops a setting.
 *
 * Sources: the AWS provider's config keys are read from `@pulumi/aws`'s generated config module
 * (`@pulumi/aws/config/vars`, one export per provider key); tag rules from the AWS Tagging
 * User Guide "Tag naming limits and requirements" (keys 1–128 characters, values up to 256, the
 * `aws:` prefix reserved for AWS) and the provider's `defaultTags` input (`{ tags: { … } }`).
 */
import { tagKeyProblem, tagValueProblem } from "../components/common/tags";
import type { Problem } from "../components/common/problems";
import { closestMatch } from "../components/common/suggest";

/** Namespaces besides the project's and the providers': the Pulumi engine's own settings. */
const ENGINE_NAMESPACES = ["pulumi"] as const;

/** Provider namespaces whose keys the stack may set, with where their key list comes from. */
const PROVIDER_NAMESPACES = ["aws"] as const;

/**
 * The AWS provider's configuration keys (`aws:<key>`), from @pulumi/aws's generated config module:
 * `region`, `allowedAccountIds`, `assumeRoles`, `defaultTags`, … — whatever the pinned provider has.
 */
export function awsProviderKeys(): readonly string[] {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const vars = require("@pulumi/aws/config/vars") as object;
    return Object.getOwnPropertyNames(vars).filter((k) => k !== "__esModule" && k !== "default");
}

/**
 * Checks every fully qualified key of a stack configuration for its namespace: the project's keys
 * must be sections the project declares, `aws:` keys must be AWS provider keys, and any other
 * namespace than the project's, a provider's or the engine's (`pulumi:`) is refused.
 *
 * @param raw fully qualified keys with their values.
 * @param project the project name (the project's namespace).
 * @param projectKeys the top-level keys the project declares (`protect`, `bucket`, …).
 * @returns a problem per key that would be ignored.
 */
export function checkNamespaces(raw: Record<string, unknown>, project: string, projectKeys: readonly string[]): Problem[] {
    const problems: Problem[] = [];
    const awsKeys = awsProviderKeys();
    const namespaces = [project, ...PROVIDER_NAMESPACES, ...ENGINE_NAMESPACES];
    for (const [full, value] of Object.entries(raw)) {
        const colon = full.indexOf(":");
        const ns = colon < 0 ? "" : full.slice(0, colon);
        const name = colon < 0 ? full : full.slice(colon + 1);
        if (ns === project) {
            if (!projectKeys.includes(name)) {
                const near = closestMatch(name, projectKeys);
                problems.push({
                    key: full,
                    value,
                    message: `unknown key; allowed here: ${projectKeys.join(", ")}${near ? ` — did you mean ${project}:${near}?` : ""} (see README "Configuration")`,
                });
            }
        } else if (ns === "aws") {
            if (!awsKeys.includes(name)) {
                const near = closestMatch(name, awsKeys);
                problems.push({
                    key: full,
                    value,
                    message: `not a configuration key of the AWS provider${near ? `; did you mean aws:${near}?` : ""} (the provider refuses unknown aws: keys; its keys: @pulumi/aws config, ${awsKeys.slice(0, 6).join(", ")}, …)`,
                });
            }
        } else if (!(ENGINE_NAMESPACES as readonly string[]).includes(ns)) {
            const nearNs = closestMatch(ns, namespaces) ?? project;
            const suggestion = nearNs === project && projectKeys.includes(name) ? `${project}:${name}` : nearNs === "aws" && awsKeys.includes(name) ? `aws:${name}` : `${nearNs}:<key>`;
            problems.push({
                key: full,
                value,
                message: `unknown namespace "${ns}": no provider or program reads it, so the setting would be ignored; keys are ${project}:<key> (this project) or aws:<key> (the AWS provider) — did you mean ${suggestion}? (Pulumi "Configuration": <namespace>:<key>)`,
            });
        }
    }
    return problems;
}

/**
 * Checks `aws:defaultTags`: a mapping `{ tags: { <key>: <value> } }` (the AWS provider's
 * `defaultTags` input — tags written without the `tags:` wrapper are ignored by the provider, so
 * they are refused here), tag keys 1–128 characters not starting with the reserved `aws:` prefix,
 * values text up to 256 characters.
 *
 * @param value the raw `aws:defaultTags` value (`undefined` when unset).
 * @returns the tags, and a problem per bad entry.
 */
export function checkDefaultTags(value: unknown): { tags: Record<string, string>; problems: Problem[] } {
    const key = "aws:defaultTags";
    const problems: Problem[] = [];
    const tags: Record<string, string> = {};
    const source = "the AWS provider's default tags; AWS Tagging User Guide \"Tag naming limits and requirements\"";
    if (value === undefined) {
        return { tags, problems };
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
        problems.push({ key, value, message: `a mapping { tags: { <key>: <value> } } (${source})` });
        return { tags, problems };
    }
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (k !== "tags") {
            problems.push({
                key: `${key}.${k}`,
                value: v,
                message: `defaultTags takes only tags: write the tag under it, aws:defaultTags: { tags: { ${k}: … } } — the AWS provider would ignore it here (${source})`,
            });
        }
    }
    const inner = (value as Record<string, unknown>).tags;
    if (inner === undefined) {
        return { tags, problems };
    }
    if (inner === null || typeof inner !== "object" || Array.isArray(inner)) {
        problems.push({ key: `${key}.tags`, value: inner, message: `a mapping of tag keys to values (${source})` });
        return { tags, problems };
    }
    for (const [k, v] of Object.entries(inner as Record<string, unknown>)) {
        const at = `${key}.tags${/^[A-Za-z_][A-Za-z0-9_-]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`}`;
        const keyProblem = tagKeyProblem(k);
        const valueProblem = typeof v === "string" ? tagValueProblem(v) : undefined;
        if (keyProblem) {
            problems.push({ key: at, value: v, message: `${keyProblem} (${source})` });
        } else if (typeof v !== "string") {
            problems.push({ key: at, value: v, message: `a tag value is text: quote it, e.g. "${String(v)}" (${source})` });
        } else if (valueProblem) {
            problems.push({ key: at, value: v, message: `${valueProblem} (${source})` });
        } else {
            tags[k] = v;
        }
    }
    return { tags, problems };
}

/**
 * Reads a Pulumi project's configuration the way the Pulumi CLI assembles it for a stack: project
 * defaults from `Pulumi.yaml`, overridden by the stack file's `config:` values. `secure:` values
 * are kept opaque: the program sees a placeholder and the key is marked secret.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { LoadedConfig, parseStackConfig } from "../../config";

/** A stack's assembled configuration. */
export interface StackConfigFiles {
    /** Project name from `Pulumi.yaml`. */
    readonly project: string;
    /** Stack name. */
    readonly stack: string;
    /** Fully qualified keys (`project:key`, `aws:region`) with their values (objects as objects). */
    readonly values: Record<string, unknown>;
    /** Keys whose value is, or contains, a `secure:` value. */
    readonly secretKeys: string[];
    /** The stack file that was read. */
    readonly stackFile: string;
}

/** Placeholder the program sees for a `secure:` value (the real value needs the stack's secrets provider). */
export const SECRET_PLACEHOLDER = "offline-preview-secret-placeholder";

/** Thrown when a project or stack file cannot be read; the message says which and why. */
export class StackFileError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "StackFileError";
    }
}

function readYaml(file: string): unknown {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (err) {
        throw new StackFileError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
    try {
        return parse(text);
    } catch (err) {
        throw new StackFileError(`${file} is not valid YAML: ${(err as Error).message}`);
    }
}

/** Replaces `{ secure: … }` values by the placeholder; reports whether any was found. */
function stripSecure(value: unknown): { value: unknown; secret: boolean } {
    if (Array.isArray(value)) {
        let secret = false;
        const out = value.map((v) => {
            const r = stripSecure(v);
            secret ||= r.secret;
            return r.value;
        });
        return { value: out, secret };
    }
    if (value !== null && typeof value === "object") {
        const entries = Object.entries(value as Record<string, unknown>);
        if (entries.length === 1 && entries[0][0] === "secure" && typeof entries[0][1] === "string") {
            return { value: SECRET_PLACEHOLDER, secret: true };
        }
        let secret = false;
        const out: Record<string, unknown> = {};
        for (const [k, v] of entries) {
            const r = stripSecure(v);
            secret ||= r.secret;
            out[k] = r.value;
        }
        return { value: out, secret };
    }
    return { value, secret: false };
}

/** Qualifies a config key with the project name unless it already names a namespace. */
function qualify(key: string, project: string): string {
    return key.includes(":") ? key : `${project}:${key}`;
}

/**
 * Assembles a stack's configuration from the project folder.
 *
 * @param projectDir folder with `Pulumi.yaml`.
 * @param stack stack name; the stack file is `Pulumi.<stack>.yaml` unless `configFile` is given.
 * @param configFile optional path of the stack config file to use instead (like `--config-file`).
 * @throws StackFileError when a file is missing or malformed.
 */
export function readStackConfig(projectDir: string, stack: string, configFile?: string): StackConfigFiles {
    const projectFile = path.join(projectDir, "Pulumi.yaml");
    const project = readYaml(projectFile) as { name?: unknown; config?: Record<string, unknown> } | null;
    if (!project || typeof project.name !== "string") {
        throw new StackFileError(`${projectFile} has no project name`);
    }
    const values: Record<string, unknown> = {};
    for (const [key, decl] of Object.entries(project.config ?? {})) {
        if (decl !== null && typeof decl === "object" && !Array.isArray(decl)) {
            const d = decl as { default?: unknown; value?: unknown };
            const v = d.value !== undefined ? d.value : d.default;
            if (v !== undefined) {
                values[qualify(key, project.name)] = v;
            }
        } else {
            values[qualify(key, project.name)] = decl;
        }
    }
    const stackFile = configFile ? path.resolve(configFile) : path.join(projectDir, `Pulumi.${stack}.yaml`);
    const stackDoc = readYaml(stackFile) as { config?: unknown } | null;
    if (stackDoc !== null && stackDoc !== undefined && (typeof stackDoc !== "object" || Array.isArray(stackDoc))) {
        throw new StackFileError(`${stackFile} must be a YAML mapping with a config: section`);
    }
    const stackConfig = stackDoc?.config ?? {};
    if (typeof stackConfig !== "object" || stackConfig === null || Array.isArray(stackConfig)) {
        throw new StackFileError(`${stackFile}: config: must be a mapping of keys to values`);
    }
    const secretKeys: string[] = [];
    for (const [key, raw] of Object.entries(stackConfig as Record<string, unknown>)) {
        const full = qualify(key, project.name);
        const { value, secret } = stripSecure(raw);
        values[full] = value;
        if (secret) {
            secretKeys.push(full);
        }
    }
    return { project: project.name, stack, values, secretKeys, stackFile };
}

/**
 * Encodes values the way the Pulumi engine hands config to a Node.js program (`PULUMI_CONFIG`):
 * strings as they are, everything else as JSON text.
 */
export function toPulumiConfig(values: Record<string, unknown>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(values)) {
        out[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return out;
}

/**
 * A stack's configuration read from the project folder ({@link readStackConfig}) and validated the
 * way the program validates it (`parseStackConfig`): what the tools and tests that need a stack's
 * settings without running the program use.
 *
 * @param projectDir folder with `Pulumi.yaml`.
 * @param stack stack name.
 * @param configFile optional stack config file to use instead of `Pulumi.<stack>.yaml`.
 * @throws StackFileError when a file is missing or malformed; ConfigError when the configuration is invalid.
 */
export function parseStackFiles(projectDir: string, stack: string, configFile?: string): LoadedConfig {
    const files = readStackConfig(projectDir, stack, configFile);
    return parseStackConfig(files.values, files.stack, files.project, files.secretKeys);
}

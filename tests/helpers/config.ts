/**
 * Builds raw stack configurations for config-validation tests and runs `parseStackConfig` on them.
 */
import { ConfigError, LoadedConfig, parseStackConfig } from "../../config";
import type { Problem } from "../../config/problems";

/** Bucket name used by the test configurations. */
export const TEST_BUCKET = "test-bucket-111111111111";

/** A minimal valid raw configuration (fully qualified keys) plus the given project keys. */
export function rawConfig(project: Record<string, unknown> = {}, region = "us-east-1"): Record<string, unknown> {
    const raw: Record<string, unknown> = { "aws:region": region, "microbiome-backup:bucket": { name: TEST_BUCKET } };
    for (const [key, value] of Object.entries(project)) {
        raw[`microbiome-backup:${key}`] = value;
    }
    return raw;
}

/** A valid enabled fsx section with one association (the whole bucket at /microbiome), plus overrides. */
export function fsxEnabled(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return { enabled: true, dataRepositoryAssociations: [{ fileSystemPath: "/microbiome", prefix: "" }], ...overrides };
}

/** Parses; returns the config, or the problems of the ConfigError. */
export function tryParse(raw: Record<string, unknown>): { loaded?: LoadedConfig; problems: Problem[] } {
    try {
        return { loaded: parseStackConfig(raw, "test"), problems: [] };
    } catch (err) {
        if (ConfigError.isConfigError(err)) {
            return { problems: [...err.problems] };
        }
        throw err;
    }
}

/** The keys of the problems of a raw configuration (empty when it is valid). */
export function problemKeys(raw: Record<string, unknown>): string[] {
    return tryParse(raw).problems.map((p) => p.key);
}

/** Parses a configuration that must be valid. */
export function parseValid(raw: Record<string, unknown>): LoadedConfig {
    const { loaded, problems } = tryParse(raw);
    if (!loaded) {
        throw new Error(`expected a valid configuration, got:\n${problems.map((p) => `${p.key}: ${p.message}`).join("\n")}`);
    }
    return loaded;
}

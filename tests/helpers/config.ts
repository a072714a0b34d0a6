/**
 * Builds raw stack configurations for config-validation tests and runs `parseStackConfig` on them.
 */
import { strict as assert } from "node:assert";
import { ConfigError, LoadedConfig, parseStackConfig } from "../../config";
import type { Problem } from "../../components/common/problems";

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

/** Parses (as stack `stack`, default `test`); returns the config, or the problems of the ConfigError. */
export function tryParse(raw: Record<string, unknown>, stack = "test"): { loaded?: LoadedConfig; problems: Problem[] } {
    try {
        return { loaded: parseStackConfig(raw, stack), problems: [] };
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

/** The problems of a configuration that must be invalid (fails the test when it is accepted). */
export function problemsOf(raw: Record<string, unknown>, stack = "test"): Problem[] {
    const { loaded, problems } = tryParse(raw, stack);
    assert.ok(!loaded, "the configuration was accepted");
    return problems;
}

/** The problem at the full key `key` (fails the test, listing every problem, when there is none). */
export function problemAt(problems: readonly Problem[], key: string): Problem {
    const found = problems.find((p) => p.key === key);
    assert.ok(found, `no problem at ${key}; got:\n${problems.map((p) => `${p.key}: ${p.message}`).join("\n")}`);
    return found;
}

/**
 * Keeping secret configuration values secret in the stack's outputs. The program reads its
 * configuration as plain text (`pulumi.runtime.allConfig()`), which drops Pulumi's secret marking;
 * so every stack output that contains the text of a secret key's value is wrapped in
 * `pulumi.secret`, and `pulumi stack output` / the offline preview show it as `[secret]`
 * (README "The offline preview").
 *
 * Pulumi hands a structured key with a nested `secure:` value to the program as one decrypted
 * object marked secret as a whole, so every string in a secret key's value counts as secret
 * (short ones excepted: they would match unrelated text). That errs towards hiding.
 */
import * as pulumi from "@pulumi/pulumi";

/** Strings shorter than this are not matched (`a`, `Active`-like values would mark everything). */
const MIN_SECRET_LENGTH = 8;

/**
 * Every string inside the values of the secret keys.
 *
 * @param raw fully qualified keys with parsed values.
 * @param secretKeys the keys marked secret.
 */
export function secretStrings(raw: Record<string, unknown>, secretKeys: readonly string[]): string[] {
    const out = new Set<string>();
    const walk = (v: unknown) => {
        if (typeof v === "string") {
            if (v.length >= MIN_SECRET_LENGTH) out.add(v);
        } else if (Array.isArray(v)) {
            v.forEach(walk);
        } else if (v !== null && typeof v === "object") {
            Object.values(v as Record<string, unknown>).forEach(walk);
        }
    };
    for (const key of secretKeys) {
        walk(raw[key]);
    }
    return [...out];
}

/**
 * Marks as secret each stack output whose resolved value contains one of `secretValues`.
 *
 * @param outputs the stack outputs, as the program returns them.
 * @param secretValues from `LoadedConfig.secretValues`.
 * @returns the same outputs; those holding secret text wrapped in `pulumi.secret` (unchanged when
 *   there are no secrets).
 */
export function markSecretOutputs(outputs: Record<string, unknown>, secretValues: readonly string[]): Record<string, unknown> {
    if (secretValues.length === 0) {
        return outputs;
    }
    const holdsSecret = (value: unknown) => {
        const text = JSON.stringify(value) ?? "";
        return secretValues.some((s) => text.includes(JSON.stringify(s).slice(1, -1)));
    };
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(outputs)) {
        const wrapped: pulumi.Output<unknown> = pulumi.output(value);
        out[key] = wrapped.apply((resolved: unknown) => (holdsSecret(resolved) ? pulumi.secret(resolved) : resolved));
    }
    return out;
}

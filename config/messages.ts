/**
 * The project's wording for zod's built-in checks, installed once for the process with zod 4's
 * global error customization (`z.config({ customError })`, https://zod.dev/error-customization):
 * no raw schema-library text ("Invalid input: expected string, received undefined") reaches an
 * operator. A schema's own `{ message }` still wins (zod's precedence: schema-level error, then the
 * global `customError`); `config/index.ts` adds "required: " for missing keys and the section's
 * reference as the source of these generic messages.
 */
import { z } from "zod";

/** What an expected type is called in messages. */
const TYPE_NOUNS: Readonly<Record<string, string>> = {
    string: "a text value (string)",
    number: "a number",
    int: "a whole number",
    boolean: "true or false",
    array: "a list",
    object: "a mapping of keys to values",
    record: "a mapping of keys to values",
    bigint: "a whole number",
    date: "a date",
    null: "null",
};

/** Messages this module produced (so `config/index.ts` can add the section's reference to them). */
const generated = new Set<string>();

/** True when `message` is one of this module's generic messages (no source of its own). */
export function isGenericMessage(message: string): boolean {
    return generated.has(message);
}

function plural(n: number | bigint, one: string, many: string): string {
    return `${n} ${Number(n) === 1 ? one : many}`;
}

/**
 * The project's message for a zod issue, or `undefined` to leave it to a schema's own message.
 *
 * @param issue the raw issue zod is about to report.
 */
export function projectMessage(issue: z.core.$ZodRawIssue): string | undefined {
    const i = issue;
    switch (issue.code) {
        case "invalid_type": {
            const expected = String(i.expected);
            const noun = TYPE_NOUNS[expected] ?? `a ${expected}`;
            if (issue.input === undefined) return `required: ${noun}`;
            if (expected === "int" && typeof issue.input === "number") return "a whole number (no fraction)";
            return noun;
        }
        case "too_small": {
            const min = i.minimum as number;
            const bound = i.inclusive === false ? `more than` : `at least`;
            if (i.origin === "string") return `${bound} ${plural(min, "character", "characters")}`;
            if (i.origin === "array" || i.origin === "set") return `${bound} ${plural(min, "entry", "entries")}`;
            return `${bound} ${min}`;
        }
        case "too_big": {
            const max = i.maximum as number;
            const bound = i.inclusive === false ? `less than` : `at most`;
            if (i.origin === "string") return `${bound} ${plural(max, "character", "characters")}`;
            if (i.origin === "array" || i.origin === "set") return `${bound} ${plural(max, "entry", "entries")}`;
            return `${bound} ${max}`;
        }
        case "invalid_value":
            return `one of ${((i.values as unknown[]) ?? []).map((v) => String(v)).join(", ")}`;
        case "invalid_format":
            if (i.format === "email") return "an e-mail address such as storage-oncall@example.com";
            if (i.format === "regex") return `text of the form ${String(i.pattern)}`;
            return `a valid ${String(i.format)}`;
        case "not_multiple_of":
            return `a multiple of ${String(i.divisor)}`;
        case "invalid_union":
            return "none of the accepted forms";
        case "invalid_key":
            return "an invalid key";
        case "invalid_element":
            return "an invalid entry";
        case "custom":
            return "not allowed here";
        default:
            return undefined;
    }
}

z.config({
    customError: (issue) => {
        const message = projectMessage(issue);
        if (message !== undefined) generated.add(message);
        return message;
    },
});

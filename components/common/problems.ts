/** One path segment: an object key or an array index. */
export type PathSegment = string | number;

/** A problem with one configuration value. */
export interface Problem {
    /** Full config key with path, e.g. `microbiome-backup:bucket.lifecycle.tiers[1].days`. */
    readonly key: string;
    /** The offending value as the stack file gives it (`undefined` when the key is missing). */
    readonly value: unknown;
    /** What is wrong and what is allowed, naming the AWS source of the rule where there is one. */
    readonly message: string;
    /** The value comes from a secret (`pulumi config set --secret`): it is never shown. */
    readonly secret?: boolean;
}

/** A problem found by a pure rule check, with a path relative to what the check was given. */
export interface RuleFinding {
    /** Path below the checked object, e.g. `["tiers", 1, "days"]`. */
    readonly path: readonly PathSegment[];
    /** What is wrong and what is allowed. */
    readonly message: string;
}

/** Result of a pure rule check: errors refuse the configuration, warnings are reported. */
export interface RuleResult {
    readonly errors: RuleFinding[];
    readonly warnings: RuleFinding[];
}

/** An empty {@link RuleResult}, to collect findings into. */
export function emptyResult(): RuleResult {
    return { errors: [], warnings: [] };
}

/** Prefixes every finding of `result` with `prefix` (e.g. `["lifecycle"]`), in place; returns it. */
export function nestFindings(result: RuleResult, prefix: readonly PathSegment[]): RuleResult {
    return {
        errors: result.errors.map((f) => ({ path: [...prefix, ...f.path], message: f.message })),
        warnings: result.warnings.map((f) => ({ path: [...prefix, ...f.path], message: f.message })),
    };
}

/**
 * Formats a path the way `pulumi config set --path` writes it: `a.b[2].c`.
 *
 * @param segments object keys and array indexes, outermost first.
 * @returns the dotted path; an empty string for an empty path.
 */
export function formatPath(segments: readonly PathSegment[]): string {
    let out = "";
    for (const segment of segments) {
        if (typeof segment === "number") {
            out += `[${segment}]`;
        } else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment)) {
            out += out === "" ? segment : `.${segment}`;
        } else {
            out += `[${JSON.stringify(segment)}]`;
        }
    }
    return out;
}

/**
 * Reads the value at `segments` inside `root`, or `undefined` when the path does not exist.
 *
 * @param root any JSON-like value.
 * @param segments the path to follow.
 */
export function valueAt(root: unknown, segments: readonly PathSegment[]): unknown {
    let current: unknown = root;
    for (const segment of segments) {
        if (current === null || typeof current !== "object") {
            return undefined;
        }
        current = (current as Record<PathSegment, unknown>)[segment];
    }
    return current;
}

/** Renders a value for a message: JSON for data, `(missing)` for `undefined`. */
export function showValue(value: unknown): string {
    if (value === undefined) {
        return "(missing)";
    }
    const text = JSON.stringify(value);
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** How a secret value is shown in messages (never the value, nor the offline preview's placeholder). */
export const SECRET_VALUE_TEXT = "(a secret value; not shown)";

/** Renders one problem as a single line: `key = value: message` (a secret's value is not shown). */
export function formatProblem(problem: Problem): string {
    return `${problem.key} = ${problem.secret ? SECRET_VALUE_TEXT : showValue(problem.value)}: ${problem.message}`;
}

/**
 * The error an invalid stack configuration raises (config's part of the problem reporting; the
 * problem types and their formatting live below, in `components/common/problems.ts`).
 */
import * as pulumi from "@pulumi/pulumi";
import { formatProblem, Problem } from "../components/common/problems";

/**
 * The stack configuration is invalid. Thrown before any resource is declared; carries every
 * problem found, so one run shows them all. A `pulumi.RunError`, so `pulumi preview/up` print the
 * message without a stack trace.
 */
export class ConfigError extends pulumi.RunError {
    /** Every problem found, in the order of the config keys. */
    public readonly problems: readonly Problem[];
    /** Checks that could not run because a section they read is invalid ("not checked: …"). */
    public readonly notes: readonly string[];

    constructor(problems: readonly Problem[], notes: readonly string[] = []) {
        super(
            `The stack configuration is invalid (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
                problems.map((p) => `  - ${formatProblem(p)}`).join("\n") +
                notes.map((n) => `\n  (${n})`).join(""),
        );
        this.name = "ConfigError";
        this.problems = problems;
        this.notes = notes;
    }

    /** True for a ConfigError, also across module copies (checks the name, not the prototype). */
    static isConfigError(err: unknown): err is ConfigError {
        return err instanceof Error && err.name === "ConfigError" && Array.isArray((err as ConfigError).problems);
    }
}

/**
 * Glue between the pure rule checks (which return {@link RuleResult}s) and zod refinements.
 */
import type { z } from "zod";
import type { RuleFinding, RuleResult } from "../components/common/problems";

/**
 * Adds the errors of a rule check to a zod refinement context, each at its own path; warnings are
 * not issues (they are collected after parsing by each section's warnings function).
 *
 * @param ctx the `superRefine` context of the object the check was run on.
 * @param result the findings, with paths relative to that object.
 */
export function addFindings(ctx: z.RefinementCtx, result: RuleResult | readonly RuleFinding[]): void {
    const errors = Array.isArray(result) ? (result as readonly RuleFinding[]) : (result as RuleResult).errors;
    for (const finding of errors) {
        ctx.addIssue({ code: "custom", path: [...finding.path], message: finding.message });
    }
}

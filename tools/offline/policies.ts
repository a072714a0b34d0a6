/**
 * Runs the policy pack's policies over a recorded program run (placeholder until the policy-pack
 * issue lands: evaluates nothing).
 */
import type { ProgramRun } from "./run";

/** One policy violation, in the `pulumi preview --json` policy event shape. */
export interface PolicyViolation {
    policy: string;
    urn: string;
    message: string;
    enforcementLevel: "advisory" | "mandatory" | "remediate" | "disabled";
}

/** The `policies` field of the offline preview JSON. */
export interface PolicyReport {
    pack: string;
    evaluated: number;
    violations: PolicyViolation[];
}

/** Evaluates the policy pack over `run`'s resources. */
export function evaluatePolicies(_run: ProgramRun): PolicyReport {
    return { pack: "microbiome-backup-policies", evaluated: 0, violations: [] };
}

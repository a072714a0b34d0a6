/**
 * Runs every policy of the pack (`policies/all.ts`, never the pack entry, whose constructor starts a
 * gRPC server) over a recorded program run, as `pulumi preview --policy-pack policies` would:
 * resource policies over each custom resource's inputs, stack policies over every resource.
 *
 * What the policies see (see `policyArgs.ts` for the argument shapes):
 * - resource policies: the recorded inputs and resource options (with `retainOnDelete`, which the
 *   real engine does not send — the offline preview checks it, the CLI reports it not applicable);
 * - stack policies: the state the mocks returned (inputs merged with mock provider outputs such as
 *   ids and ARNs; `run.states`), or the inputs alone when the run carries no states (a run rebuilt
 *   from a preview JSON document), with dependencies and property dependencies as recorded.
 *
 * Policy config: `options.config`, else `policies/config/<stack>.json` when it exists — the file the
 * CI passes to the real CLI with `--policy-pack-config` (e.g. prod's `requireProtect`).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { PolicyPackConfig } from "@pulumi/policy";
import { PACK_NAME, policies as packPolicies } from "../../policies/all";
import { AnyPolicy, enforcementOf, HarnessViolation, PolicyTestResource, runPolicy } from "./policyArgs";
import type { ProgramRun } from "./run";
import { StackFileError } from "./stackFiles";

/** One policy violation, in the `pulumi preview --json` policy event shape. */
export type PolicyViolation = HarnessViolation;

/** The `policies` field of the offline preview JSON. */
export interface PolicyReport {
    /** Policy pack name. */
    pack: string;
    /** Number of policies evaluated (every policy of the pack not disabled by the config). */
    evaluated: number;
    /** Violations, mandatory and advisory, each naming the policy and the resource's URN. */
    violations: PolicyViolation[];
}

/** Options of {@link evaluatePolicies}. */
export interface EvaluateOptions {
    /** Policy pack config; default: `policies/config/<stack>.json` if present. */
    readonly config?: PolicyPackConfig;
    /** Policies to run; default: every policy of the pack. */
    readonly policies?: readonly AnyPolicy[];
}

/** Folder of the per-stack policy config files. */
export const POLICY_CONFIG_DIR = path.resolve(__dirname, "..", "..", "policies", "config");

/**
 * Reads a policy pack config file (the `--policy-pack-config` JSON: policy name → enforcement level
 * or `{enforcementLevel?, ...settings}`).
 *
 * @throws StackFileError when the file cannot be read, is not valid JSON or not an object.
 */
export function readPolicyConfig(file: string): PolicyPackConfig {
    let parsed: unknown;
    try {
        parsed = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (err) {
        throw new StackFileError(`cannot read the policy pack config ${file}: ${(err as Error).message}`);
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
        throw new StackFileError(`${file}: a policy pack config must be a JSON object of policy name → settings`);
    }
    return parsed as PolicyPackConfig;
}

/** The stack's policy config, `policies/config/<stack>.json`, or an empty config. */
export function stackPolicyConfig(stack: string): PolicyPackConfig {
    const file = path.join(POLICY_CONFIG_DIR, `${stack}.json`);
    return fs.existsSync(file) ? readPolicyConfig(file) : {};
}

/** The recorded run as the resources a policy pack sees. */
export function resourcesOfRun(run: ProgramRun): PolicyTestResource[] {
    return run.steps.map((step) => {
        const s = step.newState;
        return {
            type: s.type,
            urn: s.urn,
            name: s.urn.split("::").pop() ?? s.urn,
            props: s.inputs,
            stackProps: run.states?.[s.urn] ?? s.inputs,
            protect: s.protect,
            retainOnDelete: s.retainOnDelete,
            parent: s.parent,
            dependencies: s.dependencies,
            propertyDependencies: s.propertyDependencies ?? {},
            ...(s.deleteBeforeReplace !== undefined ? { deleteBeforeReplace: s.deleteBeforeReplace } : {}),
            ...(s.ignoreChanges ? { ignoreChanges: s.ignoreChanges } : {}),
            custom: s.custom,
        };
    });
}

/**
 * Evaluates the policy pack over `run`'s resources.
 *
 * @returns the pack name, the number of policies evaluated and every violation.
 * @throws when a policy fails with an error of its own (a bug in the pack).
 */
export async function evaluatePolicies(run: ProgramRun, options: EvaluateOptions = {}): Promise<PolicyReport> {
    const config = options.config ?? stackPolicyConfig(run.stack);
    const selected = options.policies ?? packPolicies;
    const resources = resourcesOfRun(run);
    const stackUrn = run.steps.find((s) => s.newState.type === "pulumi:pulumi:Stack")?.urn ?? "";
    const violations: PolicyViolation[] = [];
    let evaluated = 0;
    for (const policy of selected) {
        if (enforcementOf(policy, { config }) === "disabled") {
            continue;
        }
        evaluated += 1;
        violations.push(...(await runPolicy(policy, resources, { config, stackUrn })));
    }
    return { pack: PACK_NAME, evaluated, violations };
}

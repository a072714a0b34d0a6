/**
 * Runs CrossGuard policies without the Pulumi CLI: builds the arguments `@pulumi/policy` 1.21's
 * analyzer server builds (`server.js`: `makeAnalyzeRpcFun` / `makeAnalyzeStackRpcFun`) and collects
 * the violations the same way. Shared by the offline preview (`policies.ts`) and the policy tests,
 * so both see resources exactly as the CLI would show them to the pack:
 *
 * - `props` go through CrossGuard's unknown-checking proxy; a value recorded as `[unknown]` reads as
 *   unknown, and a policy that touches it is reported "can't run during preview" at advisory level;
 * - `opts` carry protect, ignoreChanges, aliases, customTimeouts, additionalSecretOutputs, parent,
 *   and — an offline extension the real engine does not send — `retainOnDelete`;
 * - stack policies get every resource with `parent`, `dependencies` and `propertyDependencies`
 *   resolved to resource objects;
 * - `notApplicable(reason)` ends the policy for that resource without a violation;
 * - the enforcement level is the policy config's, else the policy's, else the pack's (mandatory).
 *
 * Relies on the pinned @pulumi/policy 1.21.0 (its proxy's unknown sentinel and `UnknownValueError`).
 */
import type {
    EnforcementLevel,
    PolicyPackConfig,
    PolicyResource,
    PolicyResourceOptions,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";

// Internals of the pinned @pulumi/policy: the proxy CrossGuard wraps props in, and its sentinel for
// an unknown value (see node_modules/@pulumi/policy/proxy.js).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const proxy = require("@pulumi/policy/proxy") as {
    unknownCheckingProxy<T>(value: T): T;
    unknownStringValue: string;
    UnknownValueError: new (...args: unknown[]) => Error;
};

/** How the offline preview records a value not known during preview (see run.ts). */
export const UNKNOWN_MARKER = "[unknown]";

/** A resource as the harness sees it: what the engine knows about one registration. */
export interface PolicyTestResource {
    /** Type token, e.g. `aws:s3/bucket:Bucket`. */
    readonly type: string;
    /** URN; derived from type and name when omitted. */
    readonly urn?: string;
    /** Logical name; derived from the URN when omitted. */
    readonly name?: string;
    /** Inputs (resource policies) — and, for stack policies, outputs merged in (see `stackProps`). */
    readonly props: Record<string, unknown>;
    /** Properties for stack policies when they differ from `props` (engine state: inputs + outputs). */
    readonly stackProps?: Record<string, unknown>;
    readonly protect?: boolean;
    /** Offline extension: the engine does not send retainOnDelete to policy packs. Omit to mimic the CLI. */
    readonly retainOnDelete?: boolean;
    readonly parent?: string;
    readonly dependencies?: readonly string[];
    readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
    readonly deleteBeforeReplace?: boolean;
    readonly ignoreChanges?: readonly string[];
    /** Custom resource (default true); resource policies run on custom resources only. */
    readonly custom?: boolean;
}

/** A policy of a pack. */
export type AnyPolicy = ResourceValidationPolicy | StackValidationPolicy;

/** One violation, in the offline preview's JSON shape. */
export interface HarnessViolation {
    policy: string;
    urn: string;
    message: string;
    enforcementLevel: EnforcementLevel;
}

/** Options of a harness run. */
export interface HarnessOptions {
    /** Policy pack config, as given to `pulumi preview --policy-pack-config` (policy name → level or settings). */
    readonly config?: PolicyPackConfig;
    /** URN violations of stack policies get when they name no resource (the stack's). */
    readonly stackUrn?: string;
    /** The pack's default enforcement level (default mandatory). */
    readonly packEnforcementLevel?: EnforcementLevel;
}

/** URN of a resource given by type and name, under a test stack. */
export function testUrn(type: string, name: string, stack = "test", project = "microbiome-backup"): string {
    return `urn:pulumi:${stack}::${project}::${type}::${name}`;
}

function urnOf(r: PolicyTestResource, index: number): string {
    return r.urn ?? testUrn(r.type, r.name ?? `r${index}`);
}

function nameOf(r: PolicyTestResource, index: number): string {
    return r.name ?? urnOf(r, index).split("::").pop() ?? `r${index}`;
}

/** Replaces the offline `[unknown]` marker by CrossGuard's unknown sentinel, recursively. */
function withUnknowns(value: unknown): unknown {
    if (value === UNKNOWN_MARKER) {
        return proxy.unknownStringValue;
    }
    if (Array.isArray(value)) {
        return value.map(withUnknowns);
    }
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, withUnknowns(v)]));
    }
    return value;
}

/** Props as CrossGuard hands them to a policy: behind the unknown-checking proxy. */
export function proxiedProps(props: Record<string, unknown>): Record<string, unknown> {
    return proxy.unknownCheckingProxy(withUnknowns(props) as Record<string, unknown>);
}

/** Resource options as the analyzer server builds them (plus the offline retainOnDelete). */
export function policyOptions(r: PolicyTestResource): PolicyResourceOptions & { retainOnDelete?: boolean } {
    return {
        protect: r.protect ?? false,
        ignoreChanges: [...(r.ignoreChanges ?? [])],
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [],
        ...(r.deleteBeforeReplace !== undefined ? { deleteBeforeReplace: r.deleteBeforeReplace } : {}),
        ...(r.parent ? { parent: r.parent } : {}),
        ...(r.retainOnDelete !== undefined ? { retainOnDelete: r.retainOnDelete } : {}),
    };
}

class NotApplicable extends Error {
    constructor(public readonly reason?: string) {
        super(reason ?? "Policy does not apply");
    }
}

function throwNotApplicable(reason?: string): never {
    throw new NotApplicable(reason);
}

function typeMatcher(type: string) {
    return (resourceClass: unknown): boolean => (resourceClass as { __pulumiType?: string } | undefined)?.__pulumiType === type;
}

function getConfigFor(config: PolicyPackConfig | undefined, policy: string) {
    return <T extends object>(): T => {
        const c = config?.[policy];
        if (!c || typeof c === "string") {
            return {} as T;
        }
        const { enforcementLevel: _level, ...properties } = c;
        return properties as T;
    };
}

/** The policy's enforcement level under a config: config's, else the policy's, else the pack's. */
export function enforcementOf(policy: AnyPolicy, options: HarnessOptions = {}): EnforcementLevel {
    const c = options.config?.[policy.name];
    const fromConfig = typeof c === "string" ? c : c?.enforcementLevel;
    return fromConfig ?? policy.enforcementLevel ?? options.packEnforcementLevel ?? "mandatory";
}

/** Builds `ResourceValidationArgs` for one resource, as the analyzer server does. */
export function resourceValidationArgs(r: PolicyTestResource, policyName: string, options: HarnessOptions = {}, index = 0): ResourceValidationArgs {
    const props = proxiedProps(r.props);
    const isType = typeMatcher(r.type);
    return {
        type: r.type,
        props,
        urn: urnOf(r, index),
        name: nameOf(r, index),
        opts: policyOptions(r),
        stackTags: new Map<string, string>(),
        isType,
        asType: ((resourceClass: unknown) => (isType(resourceClass) ? props : undefined)) as ResourceValidationArgs["asType"],
        getConfig: getConfigFor(options.config, policyName),
        notApplicable: throwNotApplicable,
    };
}

/** Builds `StackValidationArgs` over resources, as the analyzer server does. */
export function stackValidationArgs(resources: readonly PolicyTestResource[], policyName: string, options: HarnessOptions = {}): StackValidationArgs {
    const built: PolicyResource[] = resources.map((r, i) => {
        const props = proxiedProps(r.stackProps ?? r.props);
        const isType = typeMatcher(r.type);
        return {
            type: r.type,
            props,
            urn: urnOf(r, i),
            name: nameOf(r, i),
            opts: policyOptions(r),
            dependencies: [],
            propertyDependencies: {},
            isType,
            asType: ((resourceClass: unknown) => (isType(resourceClass) ? props : undefined)) as PolicyResource["asType"],
        };
    });
    const byUrn = new Map(built.map((b) => [b.urn, b]));
    resources.forEach((r, i) => {
        const b = built[i];
        const parent = r.parent ? byUrn.get(r.parent) : undefined;
        if (parent) {
            b.parent = parent;
        }
        b.dependencies = (r.dependencies ?? []).map((u) => byUrn.get(u)).filter((d): d is PolicyResource => d !== undefined);
        for (const [key, urns] of Object.entries(r.propertyDependencies ?? {})) {
            b.propertyDependencies[key] = urns.map((u) => byUrn.get(u)).filter((d): d is PolicyResource => d !== undefined);
        }
    });
    return {
        resources: built,
        stackTags: new Map<string, string>(),
        getConfig: getConfigFor(options.config, policyName),
        notApplicable: throwNotApplicable,
    };
}

/** True when a policy validates whole stacks. */
export function isStackPolicy(policy: AnyPolicy): policy is StackValidationPolicy {
    return typeof (policy as StackValidationPolicy).validateStack === "function";
}

/**
 * Runs one policy over resources as the CLI would (resource policies on each custom resource, stack
 * policies once over all of them) and returns its violations. A disabled policy reports nothing.
 *
 * @throws what a policy throws, other than "not applicable" and unknown-value errors (like the CLI,
 *   which fails the preview).
 */
export async function runPolicy(policy: AnyPolicy, resources: readonly PolicyTestResource[], options: HarnessOptions = {}): Promise<HarnessViolation[]> {
    let level = enforcementOf(policy, options);
    if (level === "disabled") {
        return [];
    }
    const violations: HarnessViolation[] = [];
    const unknown = (err: Error): HarnessViolation => ({
        policy: policy.name,
        urn: "",
        message: `can't run policy '${policy.name}' during preview: ${err.message}`,
        enforcementLevel: "advisory",
    });
    if (isStackPolicy(policy)) {
        if (level === "remediate") {
            level = "mandatory"; // stack policies cannot remediate (as in the analyzer server)
        }
        const stackUrn = options.stackUrn ?? "";
        const report: ReportViolation = (message: string, urn?: string) =>
            violations.push({ policy: policy.name, urn: urn ?? stackUrn, message, enforcementLevel: level });
        try {
            await Promise.resolve(policy.validateStack(stackValidationArgs(resources, policy.name, options), report));
        } catch (err) {
            if (err instanceof proxy.UnknownValueError) {
                violations.push({ ...unknown(err), urn: stackUrn });
            } else if (!(err instanceof NotApplicable)) {
                throw err;
            }
        }
        return violations;
    }
    const validations = policy.validateResource === undefined ? [] : Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
    for (const [index, r] of resources.entries()) {
        if (r.custom === false) {
            continue;
        }
        const urn = urnOf(r, index);
        const report: ReportViolation = (message: string) => violations.push({ policy: policy.name, urn, message, enforcementLevel: level });
        for (const validation of validations) {
            try {
                await Promise.resolve(validation(resourceValidationArgs(r, policy.name, options, index), report));
            } catch (err) {
                if (err instanceof proxy.UnknownValueError) {
                    violations.push({ ...unknown(err), urn });
                } else if (!(err instanceof NotApplicable)) {
                    throw err;
                }
            }
        }
    }
    return violations;
}

/**
 * Runs the real Pulumi program (`index.ts`) under Pulumi's mock runtime and records what a
 * `pulumi preview` would show: one step per resource registration, with the inputs and the
 * resource options (protect, retainOnDelete, dependencies, provider, import id) exactly as the
 * program set them at run time — read from the registration requests themselves — plus stack
 * outputs (secrets masked) and diagnostics.
 *
 * The Pulumi runtime is process-global: call {@link runProgram} once per process.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { OfflineMocks } from "./mocks";
import { readStackConfig, toPulumiConfig } from "./stackFiles";

// Internals of @pulumi/pulumi used to observe registrations (pinned version: see package.json).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const settings = require("@pulumi/pulumi/runtime/settings") as { getMonitor(): MonitorLike; waitForRPCs(): Promise<void> };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const resourceProto = require("@pulumi/pulumi/proto/resource_pb") as { ResourceMonitorFeature: { RESOURCE_MONITOR_FEATURE_ALIAS_SPECS: number } };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const rpc = require("@pulumi/pulumi/runtime/rpc") as { specialSigKey: string; specialSecretSig: string; unknownValue: string };

/** The parts of the mock monitor and of a RegisterResourceRequest this module reads. */
interface MonitorLike {
    registerResource(
        req: RegisterRequest,
        cb: (err: unknown, resp?: { getUrn(): string; getId(): string; getObject(): StructLike | undefined }) => void,
    ): void;
    registerResourceOutputs(req: { getUrn(): string; getOutputs(): StructLike | undefined }, cb: (err: unknown) => void): void;
    getDeploymentInfo(req: unknown, cb: (err: unknown, resp?: { getSupportedfeaturesList(): number[]; setSupportedfeaturesList(features: number[]): void }) => void): void;
}
interface StructLike {
    toJavaScript(): Record<string, unknown>;
}
interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getRemote(): boolean;
    getProtect(): boolean | undefined;
    getRetainondelete(): boolean | undefined;
    getDependenciesList(): string[];
    getProvider(): string;
    getImportid(): string;
    getObject(): StructLike | undefined;
    getIgnorechangesList(): string[];
    getReplaceonchangesList(): string[];
    getDeletebeforereplace(): boolean;
    getPropertydependenciesMap(): { forEach(cb: (value: { getUrnsList(): string[] }, key: string) => void): void };
    getCustomtimeouts(): { getCreate(): string; getUpdate(): string; getDelete(): string } | undefined;
    getAliasurnsList(): string[];
}

/** Marker for a secret value in inputs and outputs, as `pulumi preview --json` shows it. */
export const SECRET_MARKER = "[secret]";
/** Marker for a value not known until the resource exists. */
export const UNKNOWN_MARKER = "[unknown]";

/** The new state of a resource in a preview step (the `pulumi preview --json` shape). */
export interface StepState {
    type: string;
    urn: string;
    id?: string;
    custom: boolean;
    parent: string;
    provider: string;
    inputs: Record<string, unknown>;
    protect: boolean;
    retainOnDelete: boolean;
    dependencies: string[];
    /** Per input property, the URNs of the resources its value came from (as the engine records them; omitted when empty). */
    propertyDependencies?: Record<string, string[]>;
    /** Extra options a reviewer needs (not in the CLI's shape; omitted when empty). */
    ignoreChanges?: string[];
    replaceOnChanges?: string[];
    deleteBeforeReplace?: boolean;
    customTimeouts?: { create?: string; update?: string; delete?: string };
    remote?: boolean;
    /**
     * The URNs the resource's `aliases` stand for (only with {@link RunOptions.aliasUrns}; omitted
     * when it has none): the state entries a real `pulumi up` would take as this resource.
     */
    aliases?: string[];
}

/** One preview step. */
export interface Step {
    op: "create" | "import";
    urn: string;
    newState: StepState;
}

/** A diagnostic message the program logged. */
export interface Diagnostic {
    severity: "info" | "warning" | "error";
    message: string;
    urn?: string;
}

/** What one evaluation of the program produced. */
export interface ProgramRun {
    project: string;
    stack: string;
    steps: Step[];
    outputs: Record<string, unknown>;
    diagnostics: Diagnostic[];
    /** Invokes the program made, answered by the mocks. */
    invokes: { token: string; args: Record<string, unknown> }[];
    /**
     * Per URN, the state the mocks returned for the resource (inputs plus provider-computed outputs
     * such as ids and ARNs): what the engine would hand a stack policy. Not part of the JSON document.
     */
    states?: Record<string, Record<string, unknown>>;
}

/** Options of {@link runProgram}. */
export interface RunOptions {
    /** Project folder (with Pulumi.yaml and index.ts). */
    readonly projectDir: string;
    /** Stack name. */
    readonly stack: string;
    /** Stack config file to use instead of `Pulumi.<stack>.yaml`. */
    readonly configFile?: string;
    /**
     * Record each resource's aliases as URNs ({@link StepState.aliases}). The mock monitor accepts
     * alias specs, which the engine turns into URNs (pulumi/pulumi `pkg/resource/deploy/step_generator.go`
     * `generateAliases`, `collapseAliasToUrn`); with this option the run tells the SDK that the
     * monitor does not, so the SDK computes the same URNs itself (@pulumi/pulumi `resource.js`
     * `allAliases`) and sends them, where they can be read. Default false (the real run's shape).
     */
    readonly aliasUrns?: boolean;
}

/** Replaces Pulumi's secret and unknown wire encodings by readable markers, recursively. */
export function maskWireValues(value: unknown): unknown {
    if (value === rpc.unknownValue) {
        return UNKNOWN_MARKER;
    }
    if (Array.isArray(value)) {
        return value.map(maskWireValues);
    }
    if (value !== null && typeof value === "object") {
        const obj = value as Record<string, unknown>;
        if (obj[rpc.specialSigKey] === rpc.specialSecretSig) {
            return SECRET_MARKER;
        }
        if (typeof obj[rpc.specialSigKey] === "string" && typeof obj.urn === "string") {
            return obj.urn; // a resource reference
        }
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(obj)) {
            out[k] = maskWireValues(v);
        }
        return out;
    }
    return value;
}

/**
 * Evaluates the program of `projectDir` for a stack under mocks and records the preview.
 *
 * @throws whatever the program throws (a `ConfigError` for invalid configuration), or a
 *   `StackFileError` when the project or stack file cannot be read.
 */
export async function runProgram(options: RunOptions): Promise<ProgramRun> {
    const files = readStackConfig(options.projectDir, options.stack, options.configFile);
    const regionValue = files.values["aws:region"];
    const region = typeof regionValue === "string" ? regionValue : "us-east-1";
    // The mocked credentials belong to the configured main account (the replication section names
    // it and the program checks the caller against it); the placeholder account otherwise.
    const replication = files.values[`${files.project}:replication`] as { sourceAccountId?: unknown } | undefined;
    const sourceAccount = typeof replication?.sourceAccountId === "string" && /^\d{12}$/.test(replication.sourceAccountId) ? replication.sourceAccountId : undefined;
    const mocks = new OfflineMocks(region, sourceAccount);
    await pulumi.runtime.setMocks(mocks, files.project, files.stack, false);
    pulumi.runtime.setAllConfig(toPulumiConfig(files.values), files.secretKeys);

    const steps: Step[] = [];
    const states: Record<string, Record<string, unknown>> = {};
    const stackOutputs: Record<string, unknown> = {};
    const diagnostics: Diagnostic[] = [];
    const monitor = settings.getMonitor();
    if (options.aliasUrns) {
        // The SDK asks the monitor for its features once the program starts (runtime/settings.js
        // awaitFeatureSupport); without alias specs it sends aliases as URNs it computed.
        const getDeploymentInfo = monitor.getDeploymentInfo.bind(monitor);
        monitor.getDeploymentInfo = (req, cb) =>
            getDeploymentInfo(req, (err, resp) => {
                const aliasSpecs = resourceProto.ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_ALIAS_SPECS;
                resp?.setSupportedfeaturesList(resp.getSupportedfeaturesList().filter((f) => f !== aliasSpecs));
                cb(err, resp);
            });
    }
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, cb) => {
        register(req, (err, resp) => {
            if (!err && resp) {
                const timeouts = req.getCustomtimeouts();
                const state: StepState = {
                    type: req.getType(),
                    urn: resp.getUrn(),
                    custom: req.getCustom(),
                    parent: req.getParent(),
                    provider: req.getProvider(),
                    inputs: maskWireValues(req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>,
                    protect: req.getProtect() === true,
                    retainOnDelete: req.getRetainondelete() === true,
                    dependencies: [...req.getDependenciesList()],
                };
                const propertyDependencies: Record<string, string[]> = {};
                req.getPropertydependenciesMap().forEach((deps, key) => {
                    if (deps.getUrnsList().length > 0) propertyDependencies[key] = [...deps.getUrnsList()];
                });
                if (Object.keys(propertyDependencies).length > 0) state.propertyDependencies = propertyDependencies;
                states[resp.getUrn()] = {
                    ...(maskWireValues(resp.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>),
                    ...(resp.getId() ? { id: resp.getId() } : {}),
                };
                if (req.getImportid()) state.id = req.getImportid();
                if (req.getIgnorechangesList().length) state.ignoreChanges = [...req.getIgnorechangesList()];
                if (req.getReplaceonchangesList().length) state.replaceOnChanges = [...req.getReplaceonchangesList()];
                if (req.getDeletebeforereplace()) state.deleteBeforeReplace = true;
                if (req.getRemote()) state.remote = true;
                if (req.getAliasurnsList().length) state.aliases = [...req.getAliasurnsList()];
                if (timeouts && (timeouts.getCreate() || timeouts.getUpdate() || timeouts.getDelete())) {
                    state.customTimeouts = {
                        ...(timeouts.getCreate() ? { create: timeouts.getCreate() } : {}),
                        ...(timeouts.getUpdate() ? { update: timeouts.getUpdate() } : {}),
                        ...(timeouts.getDelete() ? { delete: timeouts.getDelete() } : {}),
                    };
                }
                steps.push({ op: req.getImportid() ? "import" : "create", urn: resp.getUrn(), newState: state });
            }
            cb(err, resp);
        });
    };
    const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
    monitor.registerResourceOutputs = (req, cb) => {
        if (req.getUrn().includes("::pulumi:pulumi:Stack::")) {
            Object.assign(stackOutputs, maskWireValues(req.getOutputs()?.toJavaScript() ?? {}));
        }
        registerOutputs(req, cb);
    };

    // Diagnostics: the mock runtime has no engine to log to, so capture the SDK's log calls.
    const log = pulumi.log as unknown as Record<string, (msg: string, resource?: pulumi.Resource) => Promise<void>>;
    const capture = (severity: Diagnostic["severity"]) => async (message: string, resource?: pulumi.Resource) => {
        const urn = resource ? await new Promise<string>((resolve) => resource.urn.apply((u) => resolve(u))) : undefined;
        diagnostics.push({ severity, message, ...(urn ? { urn } : {}) });
    };
    log.info = capture("info");
    log.warn = capture("warning");
    log.error = capture("error");

    const programPath = path.join(options.projectDir, "index.ts");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const program = require(programPath) as (() => Promise<Record<string, unknown>>) | Record<string, unknown>;
    await pulumi.runtime.runInPulumiStack(async () => (typeof program === "function" ? await program() : program));
    await settings.waitForRPCs();
    if (!steps.some((s) => s.newState.type === "pulumi:pulumi:Stack")) {
        throw new Error("no registration reached the mock monitor: Pulumi's mocks were not in effect, so this run shows nothing real");
    }

    return { project: files.project, stack: files.stack, steps, outputs: stackOutputs, diagnostics, invokes: mocks.invokes, states };
}

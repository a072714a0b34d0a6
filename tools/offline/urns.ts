/**
 * URN pins: the sorted URNs of every resource a stack's program registers, recorded in
 * `tests/fixtures/urns-<stack>.json` and compared with the current program by a test.
 *
 * Why: a resource's URN is its identity in the stack's state (stack, project, parent type chain,
 * type, name). A changed URN — a renamed resource or component, a new parent — makes `pulumi up`
 * create a new resource and delete the old one, unless the new declaration carries
 * `aliases: [{ name: "<old name>" }]` (Pulumi docs, "Resource option: aliases"). For the adopted
 * bucket's side resources that delete would rewrite the live bucket's settings; for protected
 * resources the update fails half-way. A pin makes every URN change a deliberate, reviewed edit.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Step } from "./run";

/** The command that re-records a stack's pins (after adding `aliases`, or for a deliberate change). */
export function recordCommand(stack: string): string {
    return `npm run urns:record -- --stack ${stack}`;
}

/** The pin file of a stack, `tests/fixtures/urns-<stack>.json` under the project folder. */
export function urnPinFile(projectDir: string, stack: string): string {
    return path.join(projectDir, "tests", "fixtures", `urns-${stack}.json`);
}

/** Contents of a pin file. */
export interface UrnPins {
    /** Stack name. */
    readonly stack: string;
    /** How the file was made (the command to run again). */
    readonly recordedWith: string;
    /** Every URN the program registers, sorted. */
    readonly urns: readonly string[];
}

/** The root stack resource's type: the engine leaves it out of its children's URNs. */
const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

/** The part of a step the URN computation reads. */
type UrnStep = { readonly urn: string; readonly newState: Pick<Step["newState"], "type" | "parent"> };

/**
 * The URNs the Pulumi engine gives the preview's resources (what `pulumi stack --show-urns` lists
 * and `pulumi state delete` takes). Pulumi's mock runtime names a child after the last type of its
 * parent only, and keeps the root stack's type (@pulumi/pulumi `runtime/mocks.js` `newUrn`); the
 * engine prefixes a child's type with its parent's whole qualified type chain and leaves out the
 * root stack (pulumi/pulumi `pkg/resource/deploy/deployment.go` `generateURN`,
 * `sdk/go/common/resource/urn/urn.go` `New`). This recomputes the engine's form from the recorded
 * parent links: `urn:pulumi:<stack>::<project>::<parent chain>$<type>::<name>`.
 *
 * @param steps the preview's steps (each with its mock URN, type and parent's mock URN).
 * @returns the engine URN of each step, in step order.
 */
export function engineUrns(steps: readonly UrnStep[]): string[] {
    const byUrn = new Map(steps.map((s) => [s.urn, s]));
    const memo = new Map<string, string>();
    const qualifiedType = (urn: string) => urn.split("::")[2];
    const resolve = (step: UrnStep): string => {
        const cached = memo.get(step.urn);
        if (cached !== undefined) return cached;
        const parts = step.urn.split("::");
        const prefix = `${parts[0]}::${parts[1]}::`;
        const name = parts.slice(3).join("::");
        const parent = step.newState.parent ? byUrn.get(step.newState.parent) : undefined;
        const parentType = parent && parent.newState.type !== ROOT_STACK_TYPE ? `${qualifiedType(resolve(parent))}$` : "";
        const result = `${prefix}${parentType}${step.newState.type}::${name}`;
        memo.set(step.urn, result);
        return result;
    };
    return steps.map(resolve);
}

/** The sorted engine URNs of a preview's steps. */
export function sortedUrns(steps: readonly UrnStep[]): string[] {
    return engineUrns(steps).sort();
}

/** The pins of a stack from a preview's steps. */
export function pinsOf(stack: string, steps: readonly UrnStep[]): UrnPins {
    return { stack, recordedWith: recordCommand(stack), urns: sortedUrns(steps) };
}

/** Reads a stack's pin file. @throws Error when it is missing or not valid JSON. */
export function readUrnPins(projectDir: string, stack: string): UrnPins {
    const file = urnPinFile(projectDir, stack);
    try {
        return JSON.parse(fs.readFileSync(file, "utf8")) as UrnPins;
    } catch (err) {
        throw new Error(`cannot read the URN pins ${file} (${(err as Error).message}); record them with: ${recordCommand(stack)}`);
    }
}

/** Writes a stack's pin file (stable formatting, one URN per line). */
export function writeUrnPins(projectDir: string, pins: UrnPins): string {
    const file = urnPinFile(projectDir, pins.stack);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(pins, null, 2)}\n`);
    return file;
}

/**
 * Compares pinned and current URNs.
 *
 * @returns `undefined` when equal, else a message listing the URNs that disappeared and appeared,
 *   and what to do: add `aliases` on a rename, or re-record deliberately.
 */
export function urnDrift(pinned: readonly string[], current: readonly string[]): string | undefined {
    const before = new Set(pinned);
    const now = new Set(current);
    const gone = pinned.filter((u) => !now.has(u));
    const added = current.filter((u) => !before.has(u));
    if (gone.length === 0 && added.length === 0) {
        return undefined;
    }
    return [
        `the program's resource URNs changed (${gone.length} gone, ${added.length} new).`,
        ...(gone.length ? ["  gone (pulumi up would DELETE these):", ...gone.map((u) => `    - ${u}`)] : []),
        ...(added.length ? ["  new (pulumi up would CREATE these):", ...added.map((u) => `    + ${u}`)] : []),
        "A rename of a deployed resource must keep its identity: add `aliases: [{ name: \"<old name>\" }]` (or `{ parent: … }` for a new parent)",
        "to the renamed resource's options, so Pulumi moves it instead of replacing it. If the change is deliberate (a resource really added",
        "or removed), re-record the pins and have the diff reviewed: npm run urns:record -- --stack <dev|prod> (README \"URN pins\").",
    ].join("\n");
}

/**
 * Renders an offline preview: the `pulumi preview --json` document and the human view, laid out
 * like the Pulumi CLI's: the resource tree (short type tokens, tree glyphs, aligned columns), a
 * one-line legend, the diagnostics, the policy results, the outputs (long values summarised; the
 * full values are in `--json`), then the summary line.
 *
 * Pulumi CLI sources mimicked (pulumi/pulumi at commit 1b5949891b3cefcb9974752b24a5ecef0acc86c8):
 * `sdk/go/common/tokens/tokens.go` `Type.DisplayName` (the short type token, used for the Type
 * column by `pkg/backend/display/rows.go`), `pkg/backend/display/progress.go`
 * `addIndentations` (the `├─ ` / `└─ ` / `│  ` glyphs) and `rows.go` (the columns Type, Name,
 * Plan, Info).
 */
import { renderDataFlowShort } from "../../config/dataFlow";
import { awsxVpcLayout } from "./awsxVpc";
import type { PolicyReport } from "./policies";
import type { Diagnostic, ProgramRun, Step } from "./run";
import { costSectionLines } from "../cost/render";

/** The offline preview's JSON document (the shape of `pulumi preview --json`; see docs/architecture.md). */
export interface PreviewDocument {
    stack: string;
    project: string;
    steps: Step[];
    outputs: Record<string, unknown>;
    policies: PolicyReport;
    diagnostics: Diagnostic[];
    changeSummary: Record<string, number>;
}

/** Builds the JSON document from a program run and its policy report. */
export function toPreviewDocument(run: ProgramRun, policies: PolicyReport): PreviewDocument {
    const changeSummary: Record<string, number> = {};
    for (const step of run.steps) {
        changeSummary[step.op] = (changeSummary[step.op] ?? 0) + 1;
    }
    return {
        stack: run.stack,
        project: run.project,
        steps: run.steps,
        outputs: run.outputs,
        policies,
        diagnostics: run.diagnostics,
        changeSummary,
    };
}

/** Longest line the Outputs section prints (characters); longer values are cut, see `--json`. */
export const MAX_OUTPUT_LINE = 200;

/** Marker of the rows computed for a remote awsx component's children (not registered offline). */
export const AWSX_CHILD_MARKER = "(awsx child, computed)";

/** The legend of the Info column, one line. */
export const LEGEND =
    "Info: [protect] Pulumi refuses to delete or replace it · [retain] retainOnDelete: a delete leaves it in AWS · [import <id>] adopted, not created · (awsx child, computed) from awsx's subnet layout";

/** Last segment of a URN: the resource's name. */
function urnName(urn: string): string {
    return urn.split("::").pop() ?? urn;
}

/**
 * The type token as the Pulumi CLI displays it: `{package}:{module up to its last slash}:{name}`
 * when the module's last path segment is the name with its first letter lowercased
 * (`aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration` →
 * `aws:s3:BucketServerSideEncryptionConfiguration`), else the token unchanged. A port of
 * `tokens.Type.DisplayName` (pulumi/pulumi `sdk/go/common/tokens/tokens.go`).
 */
export function displayTypeName(type: string): string {
    const components = type.split(":");
    if (components.length !== 3) {
        return type;
    }
    const [pkg, module, name] = components;
    if (name.length === 0) {
        return type;
    }
    const lastSlash = module.lastIndexOf("/");
    if (lastSlash === -1) {
        return type;
    }
    const file = module.slice(lastSlash + 1);
    const camelCase = name.length === 0 ? name : name[0].toLowerCase() + name.slice(1);
    if (file !== camelCase) {
        return type;
    }
    return `${pkg}:${module.slice(0, lastSlash)}:${name}`;
}

/** One row of the resource table. */
interface Row {
    op: "create" | "import";
    type: string;
    name: string;
    info: string;
    children: Row[];
    computed: boolean;
}

/** The Info column: the options a reviewer must see. */
function infoOf(step: Step): string {
    const flags = [
        step.newState.protect ? "protect" : "",
        step.newState.retainOnDelete ? "retain" : "",
        step.op === "import" ? `import ${step.newState.id}` : "",
    ].filter(Boolean);
    return [flags.length ? `[${flags.join(", ")}]` : "", step.newState.remote ? "remote component" : ""].filter(Boolean).join(" ");
}

/** Rows of a remote awsx VPC's children, computed from its inputs (see `awsxVpc.ts`). */
function awsxChildRows(step: Step): Row[] {
    const layout = awsxVpcLayout(urnName(step.urn), step.newState.inputs);
    if ("unsupported" in layout) {
        return [];
    }
    const rows = layout.children.map(
        (c): Row => ({ op: "create", type: c.type, name: c.name, info: `${AWSX_CHILD_MARKER}${c.detail ? ` ${c.detail}` : ""}`, children: [], computed: true }),
    );
    const top: Row[] = [];
    layout.children.forEach((c, i) => (c.parent === -1 ? top : rows[c.parent].children).push(rows[i]));
    return top;
}

/** The resource tree: steps under their parents, with the computed children of awsx VPCs. */
function resourceRows(doc: PreviewDocument): Row[] {
    const urns = new Set(doc.steps.map((s) => s.urn));
    const rowOf = new Map<string, Row>();
    const roots: Row[] = [];
    for (const step of doc.steps) {
        const row: Row = { op: step.op, type: step.newState.type, name: urnName(step.urn), info: infoOf(step), children: [], computed: false };
        if (step.newState.type === "awsx:ec2:Vpc") {
            row.children.push(...awsxChildRows(step));
        }
        rowOf.set(step.urn, row);
        const parent = urns.has(step.newState.parent) ? rowOf.get(step.newState.parent) : undefined;
        (parent ? parent.children : roots).push(row);
    }
    return roots;
}

/** Flattens the tree with Pulumi's glyphs in front of the type (`addIndentations`). */
function flatten(rows: Row[], isRoot: boolean, indentation: string, out: { prefix: string; row: Row }[]): void {
    rows.forEach((row, i) => {
        const isLast = i === rows.length - 1;
        let prefix = indentation;
        let nested = indentation;
        if (!isRoot) {
            prefix += isLast ? "└─ " : "├─ ";
            nested = indentation + (isLast ? "   " : "│  ");
        }
        out.push({ prefix, row });
        flatten(row.children, false, nested, out);
    });
}

/** Pads the columns of a table to their widest cell (the last column is not padded). */
function alignColumns(table: string[][], gap = "  "): string[] {
    const widths = table[0].map((_, col) => Math.max(...table.map((r) => [...r[col]].length)));
    return table.map((r) =>
        r
            .map((cell, col) => (col === r.length - 1 ? cell : cell + " ".repeat(widths[col] - [...cell].length)))
            .join(gap)
            .trimEnd(),
    );
}

/** The resource table, like `pulumi preview`'s: op symbol, Type, Name, Plan, Info. */
function renderResources(doc: PreviewDocument): { lines: string[]; computed: number } {
    const flat: { prefix: string; row: Row }[] = [];
    flatten(resourceRows(doc), true, "", flat);
    const table = [[" ", "Type", "Name", "Plan", "Info"]];
    for (const { prefix, row } of flat) {
        table.push([row.op === "import" ? "=" : "+", prefix + displayTypeName(row.type), row.name, row.op, row.info]);
    }
    return { lines: alignColumns(table, "   ").map((l) => ` ${l}`), computed: flat.filter((f) => f.row.computed).length };
}

/** Diagnostics grouped by resource, as the CLI prints them. */
function renderDiagnostics(doc: PreviewDocument): string[] {
    if (doc.diagnostics.length === 0) {
        return [];
    }
    const stackUrn = doc.steps.find((s) => s.newState.type === "pulumi:pulumi:Stack")?.urn ?? "";
    const groups = new Map<string, Diagnostic[]>();
    for (const d of doc.diagnostics) {
        const urn = d.urn ?? stackUrn;
        groups.set(urn, [...(groups.get(urn) ?? []), d]);
    }
    const lines = ["Diagnostics:"];
    for (const [urn, diags] of groups) {
        const type = urn.split("::")[2]?.split("$").pop() ?? "";
        lines.push(`  ${displayTypeName(type)} (${urnName(urn)}):`);
        for (const d of diags) lines.push(`    ${d.severity}: ${d.message}`);
        lines.push("");
    }
    return lines;
}

/** Policy results: the pack, how many policies ran, each violation. */
function renderPolicies(doc: PreviewDocument): string[] {
    const p = doc.policies;
    const lines = ["Policies:", `    ${p.pack}: ${p.evaluated} policies evaluated, ${p.violations.length === 0 ? "no violations" : `${p.violations.length} violation(s)`}`];
    for (const v of p.violations) {
        lines.push(`    [${v.enforcementLevel}] ${v.policy}: ${urnName(v.urn)} — ${v.message}`);
    }
    return [...lines, ""];
}

/** A short description of a string that holds a JSON document (a policy, a statement). */
function summariseJson(text: string): string | undefined {
    if (!/^\s*[[{]/.test(text)) return undefined;
    try {
        const value = JSON.parse(text) as unknown;
        if (value !== null && typeof value === "object" && !Array.isArray(value)) {
            const doc = value as { Statement?: unknown; Sid?: unknown };
            const statements = Array.isArray(doc.Statement) ? (doc.Statement as { Sid?: unknown }[]) : doc.Sid !== undefined ? [doc] : undefined;
            if (statements) {
                const sids = statements.map((s) => (typeof s.Sid === "string" ? s.Sid : "no Sid")).join(", ");
                return `<policy JSON, ${statements.length} statement(s): ${sids}; see --json>`;
            }
            return `<JSON object (${Object.keys(value).join(", ")}); see --json>`;
        }
        return `<JSON, ${text.length} chars; see --json>`;
    } catch {
        return undefined;
    }
}

/** Cuts a line to {@link MAX_OUTPUT_LINE}, saying how much is left out. */
function fit(line: string): string {
    if ([...line].length <= MAX_OUTPUT_LINE) return line;
    const chars = [...line];
    let note = "";
    for (let cut = 0, i = 0; i < 3; i++) {
        // the note's length depends on the number it states: settle it in a few rounds
        note = `… (+${cut} chars, see --json)`;
        cut = chars.length - (MAX_OUTPUT_LINE - [...note].length);
    }
    return chars.slice(0, MAX_OUTPUT_LINE - [...note].length).join("") + note;
}

/** A value in the CLI's output style: objects `{ key: value }` one key per line, keys aligned; arrays `[i]: value`. */
function renderValue(value: unknown, indent: string): string[] {
    if (typeof value === "string") {
        return [summariseJson(value) ?? JSON.stringify(value)];
    }
    if (Array.isArray(value)) {
        if (value.length === 0) return ["[]"];
        const inner = indent + "    ";
        const lines = ["["];
        value.forEach((v, i) => {
            const [first, ...rest] = renderValue(v, inner);
            lines.push(`${inner}[${i}]: ${first}`, ...rest);
        });
        return [...lines, `${indent}]`];
    }
    if (value !== null && typeof value === "object") {
        const entries = Object.entries(value as Record<string, unknown>);
        if (entries.length === 0) return ["{}"];
        const inner = indent + "    ";
        const width = Math.max(...entries.map(([k]) => k.length));
        const lines = ["{"];
        for (const [k, v] of entries) {
            const [first, ...rest] = renderValue(v, inner);
            lines.push(`${inner}${k.padEnd(width)}: ${first}`, ...rest);
        }
        return [...lines, `${indent}}`];
    }
    return [JSON.stringify(value)];
}

/** The stack outputs, keys aligned, long values summarised or cut (full values: `--json`). */
function renderOutputs(doc: PreviewDocument): string[] {
    const entries = Object.entries(doc.outputs);
    if (entries.length === 0) return [];
    const width = Math.max(...entries.map(([k]) => k.length));
    const lines = ["Outputs:"];
    for (const [key, value] of entries) {
        const [first, ...rest] = renderValue(value, "    ");
        lines.push(`    ${key.padEnd(width)}: ${first}`, ...rest);
    }
    return [...lines.map(fit), ""];
}

/** The summary, last: counts per operation, as `pulumi preview` prints them. */
function renderSummary(doc: PreviewDocument, computed: number): string[] {
    const create = doc.changeSummary.create ?? 0;
    const imports = doc.changeSummary.import ?? 0;
    const lines = ["Resources:"];
    if (create + computed > 0) {
        lines.push(`    + ${create + computed} to create${computed > 0 ? ` (${computed} of them awsx children, computed)` : ""}`);
    }
    if (imports > 0) lines.push(`    = ${imports} to import`);
    lines.push(`    ${create + computed + imports} changes`);
    return lines;
}

/**
 * Renders the human view of a preview document.
 *
 * @returns the text, lines joined by `\n`, no trailing newline.
 */
export function renderHuman(doc: PreviewDocument): string {
    const resources = renderResources(doc);
    return [
        `Previewing update (${doc.project}/${doc.stack}) — offline: the real program under Pulumi's mock runtime, no cloud calls`,
        "",
        ...resources.lines,
        "",
        LEGEND,
        "",
        ...renderDiagnostics(doc),
        ...renderPolicies(doc),
        ...renderOutputs(doc),
        // Further sections, each rendered by its owner's module from the document:
        ...renderDataFlowShort(doc.outputs.dataFlow),
        ...costSectionLines(doc),
        ...renderSummary(doc, resources.computed),
    ].join("\n");
}

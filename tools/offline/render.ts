/**
 * Renders an offline preview: the `pulumi preview --json` document and the human view (a tree of
 * resources under their parents, outputs, diagnostics, policy results, summary).
 */
import { renderDataFlowShort } from "../../components/dataFlow";
import type { PolicyReport } from "./policies";
import type { Diagnostic, ProgramRun, Step } from "./run";
import { costSectionLines } from "../cost/render";

/** The offline preview's JSON document (shape of `pulumi preview --json`, see architecture.md). */
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

/** Last segment of a URN: the resource's name. */
function urnName(urn: string): string {
    return urn.split("::").pop() ?? urn;
}

/** Renders the human view of a preview document. */
export function renderHuman(doc: PreviewDocument): string {
    const lines: string[] = [];
    lines.push(`Previewing update (${doc.project}/${doc.stack}) — offline, under Pulumi's mock runtime; no cloud calls`);
    lines.push("");
    const children = new Map<string, Step[]>();
    const urns = new Set(doc.steps.map((s) => s.urn));
    for (const step of doc.steps) {
        const parent = urns.has(step.newState.parent) ? step.newState.parent : "";
        children.set(parent, [...(children.get(parent) ?? []), step]);
    }
    const width = 10;
    const walk = (parent: string, depth: number) => {
        for (const step of children.get(parent) ?? []) {
            const flags = [
                step.newState.protect ? "protect" : "",
                step.newState.retainOnDelete ? "retain" : "",
                step.op === "import" ? `import ${step.newState.id}` : "",
            ].filter(Boolean);
            const op = step.op === "import" ? "= import" : "+ create";
            lines.push(
                `  ${op.padEnd(width)}${"   ".repeat(depth)}${step.newState.type}  ${urnName(step.urn)}${flags.length ? `  [${flags.join(", ")}]` : ""}`,
            );
            walk(step.urn, depth + 1);
        }
    };
    lines.push("     Type                 Name");
    walk("", 0);
    lines.push("");
    lines.push("Outputs:");
    for (const [key, value] of Object.entries(doc.outputs)) {
        lines.push(`    ${key}: ${typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value, null, 2).replace(/\n/g, "\n    ")}`);
    }
    if (doc.diagnostics.length > 0) {
        lines.push("");
        lines.push("Diagnostics:");
        for (const d of doc.diagnostics) {
            lines.push(`    ${d.severity}: ${d.message}${d.urn ? ` (${urnName(d.urn)})` : ""}`);
        }
    }
    lines.push("");
    lines.push(`Policies: ${doc.policies.pack} — ${doc.policies.evaluated} evaluated, ${doc.policies.violations.length} violation(s)`);
    for (const v of doc.policies.violations) {
        lines.push(`    [${v.enforcementLevel}] ${v.policy}: ${urnName(v.urn)} — ${v.message}`);
    }
    lines.push("");
    const summary = Object.entries(doc.changeSummary)
        .map(([op, n]) => `${n} to ${op}`)
        .join(", ");
    lines.push(`Resources:\n    ${summary || "no changes"}`);
    lines.push(...renderDataFlowShort(doc.outputs.dataFlow));
    lines.push(...costSectionLines(doc));
    return lines.join("\n");
}

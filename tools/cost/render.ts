/**
 * Human rendering of a cost estimate: the table of `npm run cost` and the short cost section at the
 * end of the offline preview's human output.
 */
import type { CostEstimate } from "./estimate";

/** `$1,234.56`. */
export function usd(v: number): string {
    return `$${v.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** Last segment of a URN: the resource's name. */
function urnName(urn: string): string {
    return urn.split("::").pop() ?? urn;
}

/**
 * The full table: every priced line (name, item, quantity × unit price = monthly), the total, the
 * unpriced items, one-time costs, comparisons and assumptions.
 */
export function renderCostTable(c: CostEstimate): string {
    const out: string[] = [`Estimated monthly cost of stack ${c.stack} (USD, on-demand prices; no cloud call made)`, ""];
    const width = Math.max(...c.lines.map((l) => urnName(l.urn).length), 8);
    for (const l of [...c.lines].sort((a, b) => b.monthly - a.monthly)) {
        out.push(`  ${usd(l.monthly).padStart(10)}  ${urnName(l.urn).padEnd(width)}  ${l.item}: ${l.quantity} ${l.unit} × $${l.unitPrice}`);
    }
    out.push(`  ${"-".repeat(10)}`, `  ${usd(c.monthlyTotal).padStart(10)}  total per month`);
    if (c.unpriced.length > 0) {
        out.push("", `Unpriced (not in the total): ${c.unpriced.length}`);
        for (const u of c.unpriced) out.push(`    ${urnName(u.urn)} (${u.type}): ${u.reason}`);
    }
    if (c.oneTime.lines.length > 0) {
        out.push("", `One-time costs of the first deployment: ${usd(c.oneTime.total)}`);
        for (const l of c.oneTime.lines) out.push(`  ${usd(l.total).padStart(10)}  ${l.item}: ${l.quantity} ${l.unit} × $${l.unitPrice}`);
    }
    if (c.comparisons.length > 0) {
        out.push("", "For comparison (per month):");
        for (const k of c.comparisons) out.push(`  ${usd(k.monthly).padStart(10)}  ${k.item} — ${k.note}`);
    }
    out.push("", `Free (no charge of their own): ${c.free.length} resources`, "", "Assumptions:");
    for (const a of c.assumptions) out.push(`  - ${a}`);
    out.push("", "Sources: every line's price page, date read and confirmation are in `npm run cost -- --stack <name> --json` (lines[].source).");
    return out.join("\n");
}

/**
 * The cost section of the offline preview's human output (empty when the document has no `cost`):
 * the total, the five largest lines, the unpriced count.
 *
 * @param doc the preview document (its `cost` field, when present, is a {@link CostEstimate}).
 */
export function costSectionLines(doc: object): string[] {
    const c = (doc as { cost?: CostEstimate }).cost;
    if (!c) return [];
    const top = [...c.lines].sort((a, b) => b.monthly - a.monthly).slice(0, 5);
    return [
        "",
        `Cost: ≈ ${usd(c.monthlyTotal)} per month (on-demand; details: npm run cost -- --stack ${c.stack})`,
        ...top.map((l) => `    ${usd(l.monthly).padStart(10)}  ${urnName(l.urn)}: ${l.item}`),
        ...(c.unpriced.length > 0 ? [`    ${c.unpriced.length} item(s) unpriced (not in the total)`] : []),
        ...(c.oneTime.total > 0 ? [`    one-time costs of the first deployment: ${usd(c.oneTime.total)}`] : []),
    ];
}

/**
 * The hand-back procedure of docs/deploy.md, played on the dependency graph of the real prod program (the
 * offline preview's recorded parents and dependencies, in the engine's URN form) with the rules of
 * the Pulumi CLI sources: `pulumi destroy --exclude-protected` keeps every protected resource and
 * everything it depends on (pulumi/pulumi `pkg/cmd/pulumi/operations/destroy.go`
 * `getProtectedExcludes`), and `pulumi state delete` refuses a resource others depend on unless
 * `--target-dependents` removes them too (`pkg/resource/edit/operations.go` `DeleteResource`).
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { engineUrns, readUrnPins } from "../tools/offline/urns";
import { PROJECT_DIR, previewStack } from "./helpers/preview";

interface Node {
    urn: string;
    type: string;
    custom: boolean;
    protect: boolean;
    retainOnDelete: boolean;
    /** URNs this resource depends on: its parent and its dependencies. */
    deps: string[];
}

/** The prod program as a graph keyed by engine URN. */
function prodGraph(): Map<string, Node> {
    const steps = previewStack("prod").steps;
    const engine = engineUrns(steps);
    const toEngine = new Map(steps.map((s, i) => [s.urn, engine[i]]));
    const graph = new Map<string, Node>();
    steps.forEach((s, i) => {
        const deps = [s.newState.parent, ...s.newState.dependencies].filter((u) => u !== "").map((u) => toEngine.get(u) ?? u);
        graph.set(engine[i], { urn: engine[i], type: s.newState.type, custom: s.newState.custom, protect: s.newState.protect, retainOnDelete: s.newState.retainOnDelete, deps });
    });
    return graph;
}

/** Closure of `start` over dependencies (what the start resources need). */
function dependenciesOf(graph: Map<string, Node>, start: string[]): Set<string> {
    const out = new Set(start);
    for (let changed = true; changed; ) {
        changed = false;
        for (const urn of [...out]) {
            for (const d of graph.get(urn)?.deps ?? []) {
                if (!out.has(d) && graph.has(d)) {
                    out.add(d);
                    changed = true;
                }
            }
        }
    }
    return out;
}

/** Resources of `within` that depend (transitively) on `target`. */
function dependentsOf(graph: Map<string, Node>, target: string, within: Set<string>): Set<string> {
    const out = new Set<string>();
    for (let changed = true; changed; ) {
        changed = false;
        for (const urn of within) {
            if (out.has(urn)) continue;
            if ((graph.get(urn)?.deps ?? []).some((d) => d === target || out.has(d))) {
                out.add(urn);
                changed = true;
            }
        }
    }
    return out;
}

/** The URNs docs/deploy.md's hand-back passes to `pulumi state delete`. */
function readmeStateDeleteUrns(): string[] {
    const readme = fs.readFileSync(path.join(PROJECT_DIR, "docs", "deploy.md"), "utf8");
    return [...readme.matchAll(/pulumi state delete [^\n]*--target-dependents[^\n]*\\\n\s*'([^']+)'/g)].map((m) => m[1]);
}

describe("hand-back of the production bucket (docs/deploy.md), on prod's dependency graph", () => {
    it("the state delete URNs of docs/deploy.md are prod's backup and DR buckets, as the engine names them (tests/fixtures/urns-prod.json)", () => {
        const urns = readmeStateDeleteUrns();
        assert.equal(urns.length, 2);
        const pinned = new Set(readUrnPins(PROJECT_DIR, "prod").urns);
        for (const urn of urns) {
            assert.ok(pinned.has(urn), `${urn} is not a URN of prod`);
            assert.match(urn, /\$aws:s3\/bucket:Bucket::(backup|replication-dr)$/);
        }
    });

    it("destroy --exclude-protected keeps each bucket's settings and the replication configuration with its role and role policy (replication keeps working)", () => {
        const graph = prodGraph();
        const protectedUrns = [...graph.values()].filter((n) => n.protect).map((n) => n.urn);
        const kept = dependenciesOf(graph, protectedUrns);
        const name = (urn: string) => urn.split("::").pop();
        const keptNames = new Set([...kept].map(name));
        for (const n of ["backup", "backup-policy", "backup-public-access-block", "backup-ownership", "backup-encryption", "backup-lifecycle", "backup-versioning", "replication-config", "replication-role", "replication-role-policy", "replication-dr", "replication-dr-object-lock"]) {
            assert.ok(keptNames.has(n), `${n} must survive step 3`);
        }
        // What step 3 deletes: the lab identities, the alarm, the sync host (no protected resource needs them).
        for (const n of ["access-group-policy", "replication-failed-replication", "sync-host"]) {
            assert.ok(!keptNames.has(n), `${n} is deleted in step 3`);
        }
    });

    it("after step 3 a plain state delete of the bucket is refused (dependents remain), --target-dependents removes only protected, retained settings and the replication role's policy", () => {
        const graph = prodGraph();
        const kept = dependenciesOf(graph, [...graph.values()].filter((n) => n.protect).map((n) => n.urn));
        const [backupUrn, drUrn] = readmeStateDeleteUrns();
        const dependents = new Set([...dependentsOf(graph, backupUrn, kept), ...dependentsOf(graph, drUrn, kept)]);
        assert.ok(dependents.size > 0, "without --target-dependents, pulumi state delete refuses (ResourceHasDependenciesError)");
        for (const urn of dependents) {
            const node = graph.get(urn)!;
            if (!node.custom) continue;
            const unretainedOk = urn.endsWith("::replication-role-policy"); // stays in AWS for the kept replication configuration
            assert.ok((node.protect && node.retainOnDelete) || unretainedOk, `${urn} would leave the state unprotected or unretained`);
        }
    });
});

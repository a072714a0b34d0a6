/**
 * URN pins: the URNs of every resource the real program registers (offline preview of the
 * committed stack files) equal `tests/fixtures/urns-<stack>.json`. A rename without `aliases`
 * would make `pulumi up` create the renamed resource and delete the old one — for the adopted
 * bucket's side resources, a rewrite of the live settings — so it must fail here. The comparison
 * itself is tested so it cannot pass vacuously.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { engineUrns, readUrnPins, recordCommand, sortedUrns, urnDrift } from "../tools/offline/urns";
import { aliasedResources, PROJECT_DIR, previewStack } from "./helpers/preview";

/** `tests/fixtures/urns-moved.json`: per stack, the resources whose URN changed (`from` → `to`). */
interface UrnMoves {
    readonly moves: Readonly<Record<string, readonly { readonly why: string; readonly from: string; readonly to: string }[]>>;
}
const MOVES = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "tests", "fixtures", "urns-moved.json"), "utf8")) as UrnMoves;

for (const stack of ["dev", "prod"]) {
    describe(`URN pins (${stack})`, () => {
        it(`the program's URNs equal tests/fixtures/urns-${stack}.json`, () => {
            const pins = readUrnPins(PROJECT_DIR, stack);
            assert.equal(pins.stack, stack);
            assert.equal(pins.recordedWith, recordCommand(stack));
            assert.deepEqual([...pins.urns], [...pins.urns].sort(), "the pin file is sorted");
            const drift = urnDrift(pins.urns, sortedUrns(previewStack(stack).steps));
            if (drift !== undefined) {
                assert.fail(`${stack}: ${drift}`);
            }
        });
    });
}

for (const stack of ["dev", "prod"]) {
    describe(`moved resources keep their identity (${stack})`, () => {
        // The alias URNs as the SDK computes them when the monitor takes no alias specs; the engine
        // computes the same from the specs (pulumi/pulumi step_generator.go collapseAliasToUrn:
        // CreateURN(name, type, alias parent, project, stack)). A real `pulumi up` then finds the old
        // state entry under the alias and updates it in place instead of replacing it.
        let resources: ReturnType<typeof aliasedResources>;
        before(function () {
            this.timeout(300_000);
            resources = aliasedResources(stack);
        });

        it("every move in tests/fixtures/urns-moved.json: `to` is declared and one of its aliases is `from`", () => {
            const moves = MOVES.moves[stack] ?? [];
            assert.ok(moves.length > 0, "the fixture lists the stack's moves");
            const byUrn = new Map(resources.map((r) => [r.urn, r]));
            for (const move of moves) {
                const moved = byUrn.get(move.to);
                assert.ok(moved, `${move.to} is declared`);
                assert.ok(moved.aliases.includes(move.from), `${move.to} has an alias for ${move.from} (${move.why}); its aliases: ${JSON.stringify(moved.aliases)}`);
                assert.ok(!byUrn.has(move.from), `${move.from} is no longer declared (it moved)`);
            }
        });

        it("no alias stands for a URN another resource of the program is declared with (the engine refuses duplicate claims)", () => {
            const urns = new Set(resources.map((r) => r.urn));
            const claimed = resources.flatMap((r) => r.aliases.filter((a) => urns.has(a) && a !== r.urn).map((a) => `${r.urn} → ${a}`));
            assert.deepEqual(claimed, []);
        });
    });
}

describe("URN drift message", () => {
    const base = "urn:pulumi:prod::microbiome-backup::microbiome-backup:storage:BackupBucket$aws:s3/bucketPolicy:BucketPolicy::";
    it("names the URNs that would be deleted and created, and says to add aliases or re-record", () => {
        const message = urnDrift([`${base}backup-policy`], [`${base}backup-bucket-policy`]) ?? "";
        assert.match(message, /1 gone, 1 new/);
        assert.match(message, /would DELETE these\):\n {4}- .*::backup-policy\n/);
        assert.match(message, /would CREATE these\):\n {4}\+ .*::backup-bucket-policy\n/);
        assert.match(message, /aliases: \[\{ name: "<old name>" \}\]/);
        assert.match(message, /npm run urns:record -- --stack/);
    });

    it("is silent when the sets are equal, whatever the order", () => {
        assert.equal(urnDrift(["b", "a"], ["a", "b"]), undefined);
    });
});

describe("engine URNs from the mock runtime's registrations", () => {
    it("drops the root stack type and prefixes a child with its parent's whole type chain (as pulumi/pulumi generateURN)", () => {
        const stackUrn = "urn:pulumi:prod::microbiome-backup::pulumi:pulumi:Stack::microbiome-backup-prod";
        const repl = "urn:pulumi:prod::microbiome-backup::pulumi:pulumi:Stack$microbiome-backup:replication:CrossAccountReplication::replication";
        const dr = "urn:pulumi:prod::microbiome-backup::microbiome-backup:replication:CrossAccountReplication$microbiome-backup:storage:BackupBucket::replication-dr";
        const policy = "urn:pulumi:prod::microbiome-backup::microbiome-backup:storage:BackupBucket$aws:s3/bucketPolicy:BucketPolicy::replication-dr-policy";
        const steps = [
            { urn: stackUrn, newState: { type: "pulumi:pulumi:Stack", parent: "" } },
            { urn: repl, newState: { type: "microbiome-backup:replication:CrossAccountReplication", parent: stackUrn } },
            { urn: dr, newState: { type: "microbiome-backup:storage:BackupBucket", parent: repl } },
            { urn: policy, newState: { type: "aws:s3/bucketPolicy:BucketPolicy", parent: dr } },
        ];
        assert.deepEqual(engineUrns(steps), [
            stackUrn,
            "urn:pulumi:prod::microbiome-backup::microbiome-backup:replication:CrossAccountReplication::replication",
            "urn:pulumi:prod::microbiome-backup::microbiome-backup:replication:CrossAccountReplication$microbiome-backup:storage:BackupBucket::replication-dr",
            "urn:pulumi:prod::microbiome-backup::microbiome-backup:replication:CrossAccountReplication$microbiome-backup:storage:BackupBucket$aws:s3/bucketPolicy:BucketPolicy::replication-dr-policy",
        ]);
    });
});

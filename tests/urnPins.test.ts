/**
 * URN pins: the URNs of every resource the real program registers (offline preview of the
 * committed stack files) equal `tests/fixtures/urns-<stack>.json`. A rename without `aliases`
 * would make `pulumi up` create the renamed resource and delete the old one — for the adopted
 * bucket's side resources, a rewrite of the live settings — so it must fail here. The comparison
 * itself is tested so it cannot pass vacuously.
 */
import * as assert from "node:assert/strict";
import { engineUrns, readUrnPins, recordCommand, sortedUrns, urnDrift } from "../tools/offline/urns";
import { PROJECT_DIR, previewStack } from "./helpers/preview";

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

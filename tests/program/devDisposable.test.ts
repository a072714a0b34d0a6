/**
 * dev is disposable: nothing in dev's preview is protected or retainOnDelete, so `pulumi destroy`
 * of dev deletes every resource it declared — in particular the FSx file system, whose network
 * interfaces would otherwise keep the subnet and security groups from being deleted (EC2
 * DependencyViolation). prod retains exactly its data-bearing resources and the side resources
 * that guard its buckets (plus the account-wide EBS encryption default), as docs/fsx.md and
 * README "Data safety" list them.
 */
import { strict as assert } from "node:assert";
import { previewStack } from "../helpers/preview";

describe("dev is disposable, prod retains its data", () => {
    it("dev: no resource is protected or retainOnDelete (walk of every resource of the preview)", () => {
        const kept = previewStack("dev")
            .steps.filter((s) => s.newState.protect || s.newState.retainOnDelete)
            .map((s) => `${s.newState.type} ${s.urn.split("::").pop()}`);
        assert.deepEqual(kept, [], "a retained dev resource outlives pulumi destroy (and a retained file system blocks deleting the network)");
    });

    it("prod: exactly the buckets, their side resources, the replication configuration, the file system and the EBS default are retained", () => {
        const retained = previewStack("prod")
            .steps.filter((s) => s.newState.retainOnDelete)
            .map((s) => s.urn.split("::").pop())
            .sort();
        assert.deepEqual(retained, [
            "backup",
            "backup-encryption",
            "backup-lifecycle",
            "backup-ownership",
            "backup-policy",
            "backup-public-access-block",
            "backup-versioning",
            "fsx",
            "replication-config",
            "replication-dr",
            "replication-dr-encryption",
            "replication-dr-lifecycle",
            "replication-dr-object-lock",
            "replication-dr-ownership",
            "replication-dr-policy",
            "replication-dr-public-access-block",
            "replication-dr-versioning",
            "sync-host-ebs-encryption-by-default",
        ]);
    });
});

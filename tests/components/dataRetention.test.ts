/**
 * The data-retention rules shared by config validation and the policy pack.
 */
import { strict as assert } from "node:assert";
import { bucketRetention, checkForceDestroy, checkRetainedWhenProtected } from "../../components/common/dataRetention";
import { fileSystemRetention } from "../../components/fsx/decommission";

describe("dataRetention: checkForceDestroy", () => {
    it("refuses forceDestroy on a protected bucket only", () => {
        assert.deepEqual(checkForceDestroy(true, true).map((f) => f.path), [["forceDestroy"]]);
        assert.deepEqual(checkForceDestroy(true, false), []);
        assert.deepEqual(checkForceDestroy(true, undefined), []);
        assert.deepEqual(checkForceDestroy(false, true), []);
    });
});

describe("dataRetention: protect and retainOnDelete", () => {
    it("a bucket (and its side resources) is retained when protected or adopted", () => {
        assert.deepEqual(bucketRetention({ protect: true, adopted: true }), { protect: true, retainOnDelete: true });
        assert.deepEqual(bucketRetention({ protect: true, adopted: false }), { protect: true, retainOnDelete: true });
        assert.deepEqual(bucketRetention({ protect: false, adopted: true }), { protect: false, retainOnDelete: true });
        assert.deepEqual(bucketRetention({ protect: false, adopted: false }), { protect: false, retainOnDelete: false });
    });

    it("the file system is retained only when protected (dev's is deleted by pulumi destroy)", () => {
        assert.deepEqual(fileSystemRetention({ protect: true }), { protect: true, retainOnDelete: true });
        assert.deepEqual(fileSystemRetention({ protect: false }), { protect: false, retainOnDelete: false });
    });

    it("a decommission record lifts both options of a protected file system (post-migration drain step)", () => {
        const record = { exportReportClean: "2027-03-31" };
        assert.deepEqual(fileSystemRetention({ protect: true, decommission: record }), { protect: false, retainOnDelete: false });
        assert.deepEqual(fileSystemRetention({ protect: false, decommission: record }), { protect: false, retainOnDelete: false });
    });

    it("the pack's rule: protected implies retained", () => {
        assert.match(checkRetainedWhenProtected(true, false)[0]?.message ?? "", /protected but not retainOnDelete/);
        assert.deepEqual(checkRetainedWhenProtected(true, true), []);
        assert.deepEqual(checkRetainedWhenProtected(false, false), []);
        assert.deepEqual(checkRetainedWhenProtected(false, true), []);
    });
});

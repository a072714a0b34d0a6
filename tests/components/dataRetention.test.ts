/**
 * The data-retention rules shared by config validation and the policy pack.
 */
import { strict as assert } from "node:assert";
import { checkForceDestroy } from "../../components/dataRetention";

describe("dataRetention: checkForceDestroy", () => {
    it("refuses forceDestroy on a protected bucket only", () => {
        assert.deepEqual(checkForceDestroy(true, true).map((f) => f.path), [["forceDestroy"]]);
        assert.deepEqual(checkForceDestroy(true, false), []);
        assert.deepEqual(checkForceDestroy(true, undefined), []);
        assert.deepEqual(checkForceDestroy(false, true), []);
    });
});

/** Pure AWS rule checks and the rule builder of components/replication/rules.ts. */
import * as assert from "node:assert/strict";
import {
    buildReplicationRule,
    checkCrossAccount,
    checkKeyLocation,
    checkObjectLockRetention,
    checkReplicationVersioning,
    parseBucketReference,
    ReplicationRuleSettings,
    sourceAccountMismatch,
} from "../../components/replication/rules";

const RULE: ReplicationRuleSettings = {
    id: "dr-replication",
    priority: 1,
    destinationBucketArn: "arn:aws:s3:::dr-bucket",
    destinationAccount: "222222222222",
    storageClass: "DEEP_ARCHIVE",
    deleteMarkerReplication: "Disabled",
    replicationTime: "Disabled",
};

describe("replicationRules", () => {
    describe("parseBucketReference", () => {
        it("reads names and bucket ARNs", () => {
            assert.deepEqual(parseBucketReference("dr-bucket"), { name: "dr-bucket", arn: "arn:aws:s3:::dr-bucket" });
            assert.deepEqual(parseBucketReference("arn:aws:s3:::dr-bucket"), { name: "dr-bucket", arn: "arn:aws:s3:::dr-bucket" });
        });
        it("rejects object, access point and regional ARNs", () => {
            assert.equal(parseBucketReference("arn:aws:s3:::dr-bucket/key"), undefined);
            assert.equal(parseBucketReference("arn:aws:s3:us-west-2:222222222222:accesspoint/ap"), undefined);
            assert.equal(parseBucketReference("arn:aws:iam::222222222222:role/x"), undefined);
        });
    });

    describe("checkObjectLockRetention", () => {
        it("accepts GOVERNANCE from 1 to 36500 days", () => {
            assert.deepEqual(checkObjectLockRetention({ mode: "GOVERNANCE", days: 1 }).errors, []);
            assert.deepEqual(checkObjectLockRetention({ mode: "GOVERNANCE", days: 36500 }).errors, []);
        });
        it("refuses COMPLIANCE and out-of-range or fractional days", () => {
            assert.deepEqual(checkObjectLockRetention({ mode: "COMPLIANCE", days: 30 }).errors.map((e) => e.path), [["mode"]]);
            for (const days of [0, 36501, 2.5, Number.NaN]) {
                assert.deepEqual(checkObjectLockRetention({ mode: "GOVERNANCE", days }).errors.map((e) => e.path), [["days"]], `days ${days}`);
            }
        });
    });

    it("checkCrossAccount refuses the same account only", () => {
        assert.equal(checkCrossAccount("111111111111", "111111111111").errors.length, 1);
        assert.equal(checkCrossAccount("111111111111", "222222222222").errors.length, 0);
    });

    it("checkKeyLocation names the wrong Region and account", () => {
        const key = "arn:aws:kms:us-west-2:222222222222:key/abc";
        assert.equal(checkKeyLocation(key, "222222222222", "us-west-2", "replica key").errors.length, 0);
        const both = checkKeyLocation(key, "333333333333", "eu-west-1", "replica key").errors.map((e) => e.message).join("\n");
        assert.match(both, /Region eu-west-1/);
        assert.match(both, /account 333333333333/);
        assert.equal(checkKeyLocation("alias/aws/s3", "222222222222", "us-west-2", "replica key").errors.length, 1);
    });

    describe("checkReplicationVersioning (replication without versioning)", () => {
        it("passes when both buckets have versioning Enabled", () => {
            const r = checkReplicationVersioning("src", "dst", [
                { bucket: "src", status: "Enabled" },
                { bucket: "dst", status: "Enabled" },
            ]);
            assert.deepEqual(r.errors, []);
        });
        it("fails for a source without versioning and for a Suspended destination", () => {
            const r = checkReplicationVersioning("src", "dst", [{ bucket: "dst", status: "Suspended" }]);
            assert.deepEqual(r.errors.map((e) => e.path), [["bucket"], ["destination"]]);
            assert.match(r.errors[0].message, /no versioning resource/);
            assert.match(r.errors[1].message, /found Suspended/);
        });
        it("does not require a destination versioning resource when the destination is external", () => {
            assert.deepEqual(checkReplicationVersioning("src", undefined, [{ bucket: "src", status: "Enabled" }]).errors, []);
        });
        it("checks only the destination when the source is not declared, and counts a bucket versioned when any declaration is Enabled", () => {
            assert.deepEqual(checkReplicationVersioning(undefined, "dst", []).errors.map((e) => e.path), [["destination"]]);
            const twice = [
                { bucket: "dst", status: "Suspended" },
                { bucket: "dst", status: "Enabled" },
            ];
            assert.deepEqual(checkReplicationVersioning(undefined, "dst", twice).errors, []);
        });
    });

    describe("buildReplicationRule", () => {
        it("states the filter, priority, delete markers, account, storage class and metrics; no owner override", () => {
            const rule = buildReplicationRule(RULE);
            assert.deepEqual(rule, {
                id: "dr-replication",
                status: "Enabled",
                priority: 1,
                filter: { prefix: "" },
                deleteMarkerReplication: { status: "Disabled" },
                destination: { bucket: "arn:aws:s3:::dr-bucket", account: "222222222222", storageClass: "DEEP_ARCHIVE", metrics: { status: "Enabled" } },
            });
        });
        it("adds RTC with the 15-minute metrics threshold RTC requires", () => {
            const rule = buildReplicationRule({ ...RULE, replicationTime: "Enabled", prefix: "Analysis_" });
            assert.deepEqual(rule.destination.replicationTime, { status: "Enabled", time: { minutes: 15 } });
            assert.deepEqual(rule.destination.metrics, { status: "Enabled", eventThreshold: { minutes: 15 } });
            assert.deepEqual(rule.filter, { prefix: "Analysis_" });
        });
        it("opts SSE-KMS objects in with the replica key", () => {
            const rule = buildReplicationRule({ ...RULE, replicaKmsKeyArn: "arn:aws:kms:us-west-2:222222222222:key/abc" });
            assert.deepEqual(rule.sourceSelectionCriteria, { sseKmsEncryptedObjects: { status: "Enabled" } });
            assert.deepEqual(rule.destination.encryptionConfiguration, { replicaKmsKeyId: "arn:aws:kms:us-west-2:222222222222:key/abc" });
        });
    });

    it("sourceAccountMismatch explains a credentials/config mismatch", () => {
        assert.equal(sourceAccountMismatch("111111111111", "111111111111"), undefined);
        assert.match(sourceAccountMismatch("111111111111", "999999999999") ?? "", /deploying credentials belong to account 999999999999/);
    });
});

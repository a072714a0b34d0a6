/**
 * Validation of `microbiome-backup:replication` (config/replication.ts and the replication part of
 * config/crossChecks.ts), through the real config module.
 */
import * as assert from "node:assert/strict";
import { parseStackConfig } from "../../config";
import type { Problem } from "../../components/common/problems";
import { problemAt as problemAtKey, problemsOf as problemsOfConfig } from "../helpers/config";
import { previewConfig } from "../helpers/preview";

const BUCKET = { name: "microbiome-backup-test-111111111111", encryption: { sseAlgorithm: "AES256" } };

/** The raw `replication` section as a stack file gives it (values deliberately loose: tests put wrong types in). */
interface RawReplication {
    enabled?: unknown;
    mode?: unknown;
    sourceAccountId?: unknown;
    deleteMarkerReplication?: unknown;
    destination: Record<string, unknown>;
    alarm: { emails: unknown[] };
    managed?: { deployRoleArn?: unknown; objectLock: { mode: unknown; days: unknown }; lifecycle?: unknown };
    external?: unknown;
}

/** A valid managed-mode replication section; tests override parts of it. */
function managedReplication(): RawReplication {
    return {
        enabled: true,
        mode: "managed",
        sourceAccountId: "111111111111",
        destination: { account: "222222222222", bucket: "microbiome-backup-dr-222222222222", region: "us-west-2" },
        alarm: { emails: ["oncall@example.com"] },
        managed: { deployRoleArn: "arn:aws:iam::222222222222:role/dr-deploy", objectLock: { mode: "GOVERNANCE", days: 30 } },
    };
}

function parse(replication: unknown, bucket: unknown = BUCKET) {
    return parseStackConfig(rawOf(replication, bucket), "test");
}

/** The raw stack configuration with these replication and bucket sections. */
function rawOf(replication: unknown, bucket: unknown = BUCKET): Record<string, unknown> {
    return { "aws:region": "us-east-1", "microbiome-backup:bucket": bucket, "microbiome-backup:replication": replication };
}

/** The problems of an invalid configuration (fails the test when it is valid). */
function problemsOf(replication: unknown, bucket: unknown = BUCKET): Problem[] {
    return problemsOfConfig(rawOf(replication, bucket));
}

/** The problem at `replication.<key>`. */
function problemAt(problems: Problem[], key: string): Problem {
    return problemAtKey(problems, `microbiome-backup:replication.${key}`);
}

/** A managed section with `patch` applied (the managed block is always there to patch). */
function with_(patch: (r: RawReplication & { managed: NonNullable<RawReplication["managed"]> }) => void): RawReplication {
    const r = managedReplication() as RawReplication & { managed: NonNullable<RawReplication["managed"]> };
    patch(r);
    return r;
}

describe("config: replication section", () => {
    it("defaults to disabled when the section is absent", () => {
        const { config } = parse(undefined);
        assert.equal(config.replication.enabled, false);
    });

    it("accepts a managed configuration and applies the defaults", () => {
        const { config } = parse(managedReplication());
        const r = config.replication;
        assert.equal(r.destination?.storageClass, "DEEP_ARCHIVE");
        assert.equal(r.deleteMarkerReplication, "Disabled");
        assert.equal(r.replicationTime, "Disabled");
        assert.equal(r.managed?.lifecycle.noncurrentVersions.expireAfterDays, 365);
        assert.deepEqual(r.managed?.lifecycle.tiers, []);
    });

    it("accepts the destination bucket as an ARN", () => {
        const { config } = parse(with_((r) => (r.destination.bucket = "arn:aws:s3:::microbiome-backup-dr-222222222222")));
        assert.equal(config.replication.destination?.bucket, "arn:aws:s3:::microbiome-backup-dr-222222222222");
    });

    describe("account ids", () => {
        for (const bad of ["22222222222", "2222222222222", "22222222222a", 222222222222]) {
            it(`refuses destination.account ${JSON.stringify(bad)} (not 12 digits as a string)`, () => {
                const p = problemAt(problemsOf(with_((r) => (r.destination.account = bad))), "destination.account");
                assert.equal(p.value, bad);
            });
        }
        it("refuses a sourceAccountId that is not 12 digits", () => {
            const p = problemAt(problemsOf(with_((r) => (r.sourceAccountId = "1111"))), "sourceAccountId");
            assert.match(p.message, /12 digits/);
        });
        it("refuses a destination account equal to the source account", () => {
            const p = problemAt(problemsOf(with_((r) => (r.destination.account = "111111111111"))), "destination.account");
            assert.match(p.message, /must differ from sourceAccountId 111111111111/);
        });
        it("refuses a deploy role outside the DR account", () => {
            const p = problemAt(problemsOf(with_((r) => (r.managed.deployRoleArn = "arn:aws:iam::333333333333:role/dr-deploy"))), "managed.deployRoleArn");
            assert.match(p.message, /DR account 222222222222/);
        });
    });

    describe("buckets", () => {
        it("refuses the backup bucket itself as destination (source = destination)", () => {
            const p = problemAt(problemsOf(with_((r) => (r.destination.bucket = BUCKET.name))), "destination.bucket");
            assert.match(p.message, /must differ from the backup bucket/);
        });
        it("refuses the backup bucket's ARN as destination", () => {
            problemAt(problemsOf(with_((r) => (r.destination.bucket = `arn:aws:s3:::${BUCKET.name}`))), "destination.bucket");
        });
        it("refuses an object ARN and an invalid bucket name", () => {
            assert.match(problemAt(problemsOf(with_((r) => (r.destination.bucket = "arn:aws:s3:::dr-bucket/prefix"))), "destination.bucket").message, /bucket ARN/);
            assert.match(problemAt(problemsOf(with_((r) => (r.destination.bucket = "DR_Bucket"))), "destination.bucket").message, /S3 bucket naming rules/);
        });
    });

    describe("Object Lock", () => {
        for (const days of [0, -1, 36501, 1.5]) {
            it(`refuses a retention of ${days} days`, () => {
                const p = problemAt(problemsOf(with_((r) => (r.managed.objectLock.days = days))), "managed.objectLock.days");
                assert.match(p.message, /1 to 36500/);
            });
        }
        it("refuses COMPLIANCE mode", () => {
            const p = problemAt(problemsOf(with_((r) => (r.managed.objectLock.mode = "COMPLIANCE"))), "managed.objectLock.mode");
            assert.match(p.message, /only GOVERNANCE/);
        });
        it("accepts 1 and 36500 days", () => {
            parse(with_((r) => (r.managed.objectLock.days = 1)));
            parse(with_((r) => (r.managed.objectLock.days = 36500)));
        });
    });

    describe("encryption (SSE-KMS)", () => {
        const kmsBucket = { ...BUCKET, encryption: { sseAlgorithm: "aws:kms", kmsKeyArn: "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab" } };
        const replicaKey = "arn:aws:kms:us-west-2:222222222222:key/abcd1234-12ab-34cd-56ef-1234567890ab";

        it("refuses an SSE-KMS backup bucket without a replica key, saying what is missing", () => {
            const p = problemAt(problemsOf(managedReplication(), kmsBucket), "destination.replicaKmsKeyId");
            assert.match(p.message, /required because bucket.encryption.sseAlgorithm is aws:kms/);
        });
        it("accepts an SSE-KMS backup bucket with a replica key in the DR account and Region", () => {
            parse(with_((r) => (r.destination.replicaKmsKeyId = replicaKey)), kmsBucket);
        });
        it("refuses a replica key in another Region or account", () => {
            const wrongRegion = problemAt(problemsOf(with_((r) => (r.destination.replicaKmsKeyId = replicaKey.replace("us-west-2", "us-east-1"))), kmsBucket), "destination.replicaKmsKeyId");
            assert.match(wrongRegion.message, /Region us-west-2/);
            const wrongAccount = problemAt(problemsOf(with_((r) => (r.destination.replicaKmsKeyId = replicaKey.replace("222222222222", "111111111111"))), kmsBucket), "destination.replicaKmsKeyId");
            assert.match(wrongAccount.message, /account 222222222222/);
        });
        it("refuses a replica key with an SSE-S3 backup bucket", () => {
            const p = problemAt(problemsOf(with_((r) => (r.destination.replicaKmsKeyId = replicaKey))), "destination.replicaKmsKeyId");
            assert.match(p.message, /only allowed when bucket.encryption.sseAlgorithm is aws:kms/);
        });
    });

    describe("modes", () => {
        it("requires mode, sourceAccountId, destination and alarm when enabled", () => {
            const problems = problemsOf({ enabled: true });
            for (const key of ["mode", "sourceAccountId", "destination", "alarm"]) {
                assert.match(problemAt(problems, key).message, /required when enabled/);
            }
        });
        it("requires the managed block (deploy role) in managed mode", () => {
            problemAt(problemsOf(with_((r) => delete (r as RawReplication).managed)), "managed");
        });
        it("refuses the managed block in external mode and the external block in managed mode", () => {
            problemAt(problemsOf(with_((r) => (r.mode = "external"))), "managed");
            problemAt(problemsOf(with_((r) => (r.external = { destinationReady: true }))), "external");
        });
        it("refuses unknown keys and an empty e-mail list", () => {
            const unknown = problemAt(problemsOf(with_((r) => (r.destination.acount = "222222222222"))), "destination.acount");
            assert.match(unknown.message, /unknown key; allowed here: account, bucket, region/);
            problemAt(problemsOf(with_((r) => (r.alarm.emails = []))), "alarm.emails");
            problemAt(problemsOf(with_((r) => (r.alarm.emails = ["not-an-address"]))), "alarm.emails[0]");
        });
    });

    describe("warnings", () => {
        const keys = (r: RawReplication) => parse(r).warnings.map((w) => w.key);
        it("warns about a DR bucket in the stack's own Region and about delete-marker replication", () => {
            const w = keys(with_((r) => ((r.destination.region = "us-east-1"), (r.deleteMarkerReplication = "Enabled"))));
            assert.ok(w.includes("microbiome-backup:replication.destination.region"));
            assert.ok(w.includes("microbiome-backup:replication.deleteMarkerReplication"));
        });
        it("warns when noncurrent DEEP_ARCHIVE replicas expire before 180 days and when retention outlasts expiry", () => {
            const w = keys(with_((r) => ((r.managed.lifecycle = { noncurrentVersions: { expireAfterDays: 90 } }), (r.managed.objectLock.days = 120))));
            assert.ok(w.includes("microbiome-backup:replication.managed.lifecycle.noncurrentVersions.expireAfterDays"));
            assert.ok(w.includes("microbiome-backup:replication.managed.objectLock.days"));
        });
        it("has no warnings for the recommended settings", () => {
            assert.deepEqual(keys(managedReplication()), []);
        });
        it("warns in external mode until destinationReady", () => {
            const external = with_((r) => {
                r.mode = "external";
                delete (r as RawReplication).managed;
            });
            assert.ok(keys(external).includes("microbiome-backup:replication.external.destinationReady"));
        });
    });

    it("the offline preview exits 2 and names every bad key, value and rule (temp stack file)", () => {
        const r = with_((x) => ((x.destination.account = "111111111111"), (x.managed.objectLock.days = 0)));
        const run = previewConfig("bad", { "aws:region": "us-east-1", "microbiome-backup:bucket": BUCKET, "microbiome-backup:replication": r });
        assert.equal(run.status, 2, run.stderr);
        assert.match(run.stderr, /microbiome-backup:replication\.destination\.account = "111111111111": must differ from sourceAccountId/);
        assert.match(run.stderr, /microbiome-backup:replication\.managed\.objectLock\.days = 0: a whole number of days from 1 to 36500/);
        assert.doesNotMatch(run.stderr, /\n\s+at /, "no stack trace");
    });
});

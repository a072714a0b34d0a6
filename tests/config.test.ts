import { strict as assert } from "node:assert";
import { parseStackConfig } from "../config";
import { problemsOf } from "./helpers/config";
import { stackConfig } from "./helpers/preview";

/** The committed stack file's config values, as fully qualified keys. */
const stackValues = stackConfig;

function bucketOf(raw: Record<string, unknown>): Record<string, unknown> {
    return raw["microbiome-backup:bucket"] as Record<string, unknown>;
}

describe("stack configuration (config/)", () => {
    it("accepts the committed dev and prod stack files", () => {
        for (const stack of ["dev", "prod"]) {
            const { config, warnings } = parseStackConfig(stackValues(stack), stack);
            assert.equal(config.region, "us-east-1");
            assert.deepEqual(
                config.bucket.lifecycle.tiers.map((t) => [t.days, t.storageClass]),
                [
                    [90, "GLACIER_IR"],
                    [180, "DEEP_ARCHIVE"],
                ],
            );
            assert.deepEqual(warnings, [], `${stack} raises no warnings`);
        }
    });

    it("reads prod as the adopted, protected production bucket", () => {
        const { config } = parseStackConfig(stackValues("prod"), "prod");
        assert.equal(config.bucket.name, "3bigsmicrobiome");
        assert.equal(config.bucket.adoptExisting, true);
        assert.equal(config.bucket.forceDestroy, false);
        assert.equal(config.protect, true);
    });

    it("applies the documented defaults to a minimal configuration", () => {
        const { config } = parseStackConfig({ "aws:region": "eu-west-1", "microbiome-backup:bucket": { name: "lab-data-bucket" } }, "t");
        assert.equal(config.protect, false);
        assert.equal(config.bucket.adoptExisting, false);
        assert.equal(config.bucket.forceDestroy, false);
        assert.deepEqual(config.bucket.encryption, { sseAlgorithm: "AES256" });
        assert.deepEqual(config.bucket.lifecycle.tiers, [
            { days: 90, storageClass: "GLACIER_IR" },
            { days: 180, storageClass: "DEEP_ARCHIVE" },
        ]);
        assert.equal(config.bucket.lifecycle.noncurrentVersions.expireAfterDays, 365);
        assert.equal(config.bucket.lifecycle.abortIncompleteMultipartUploadDays, 7);
        assert.equal(config.bucket.lifecycle.transitionDefaultMinimumObjectSize, "all_storage_classes_128K");
    });

    it("names the full key, the value and the rule for an invalid tier", () => {
        const raw = stackValues("dev");
        (bucketOf(raw).lifecycle as { tiers: unknown[] }).tiers = [{ days: 10, storageClass: "STANDARD_IA" }];
        const problems = problemsOf(raw);
        assert.equal(problems.length, 1);
        assert.equal(problems[0].key, "microbiome-backup:bucket.lifecycle.tiers[0].days");
        assert.equal(problems[0].value, 10);
        assert.match(problems[0].message, /STANDARD_IA needs objects at least 30 days old/);
    });

    it("refuses unknown keys at every level and lists what is allowed", () => {
        const raw = stackValues("dev");
        raw["microbiome-backup:protct"] = true;
        bucketOf(raw).lifecyle = {};
        (bucketOf(raw).lifecycle as Record<string, unknown>).tier = [];
        const keys = problemsOf(raw).map((p) => [p.key, p.message] as const);
        const byKey = new Map(keys);
        assert.match(byKey.get("microbiome-backup:protct") ?? "", /unknown key; allowed here: protect, allowDataReplacement, bucket/);
        assert.match(byKey.get("microbiome-backup:bucket.lifecyle") ?? "", /unknown key; allowed here: name, adoptExisting/);
        assert.match(byKey.get("microbiome-backup:bucket.lifecycle.tier") ?? "", /unknown key; allowed here: tiers, prefix/);
    });

    it("reports every problem at once", () => {
        const raw: Record<string, unknown> = {
            "microbiome-backup:bucket": {
                name: "Not_A_Bucket",
                encryption: { sseAlgorithm: "aws:kms" },
                lifecycle: { tiers: [{ days: 200, storageClass: "GLACIER" }, { days: 100, storageClass: "STANDARD_IA" }] },
            },
        };
        const keys = problemsOf(raw).map((p) => p.key);
        assert.deepEqual(
            [...keys].sort(),
            [
                "aws:region",
                "microbiome-backup:bucket.encryption.kmsKeyArn",
                "microbiome-backup:bucket.lifecycle.tiers[1].days",
                "microbiome-backup:bucket.lifecycle.tiers[1].storageClass",
                "microbiome-backup:bucket.name",
            ].sort(),
        );
    });

    it("requires the bucket section and a region", () => {
        const keys = problemsOf({}).map((p) => `${p.key}: ${p.message}`);
        assert.ok(keys.some((k) => k.startsWith("aws:region: required")), keys.join("\n"));
        assert.ok(keys.some((k) => k.startsWith("microbiome-backup:bucket: required")), keys.join("\n"));
    });

    it("refuses forceDestroy on a protected stack or an adopted bucket", () => {
        const raw = stackValues("prod");
        bucketOf(raw).forceDestroy = true;
        const problems = problemsOf(raw).filter((p) => p.key === "microbiome-backup:bucket.forceDestroy");
        assert.equal(problems.length, 2);
        assert.ok(problems.some((p) => /adopted bucket/.test(p.message)));
        assert.ok(problems.some((p) => /protect is true/.test(p.message)));
    });

    it("refuses a wrong type with what is allowed", () => {
        const raw = stackValues("dev");
        raw["microbiome-backup:protect"] = "yes";
        (bucketOf(raw).lifecycle as { tiers: unknown[] }).tiers = [{ days: 90.5, storageClass: "GLACIER_DEEP" }];
        const problems = problemsOf(raw);
        const byKey = new Map(problems.map((p) => [p.key, p.message]));
        assert.match(byKey.get("microbiome-backup:protect") ?? "", /true or false/);
        assert.match(byKey.get("microbiome-backup:bucket.lifecycle.tiers[0].days") ?? "", /whole number of days/);
        assert.match(byKey.get("microbiome-backup:bucket.lifecycle.tiers[0].storageClass") ?? "", /GLACIER_IR, GLACIER, DEEP_ARCHIVE/);
    });

    it("warns about early-deletion charges without refusing", () => {
        const raw = stackValues("dev");
        (bucketOf(raw).lifecycle as { tiers: unknown[] }).tiers = [
            { days: 90, storageClass: "GLACIER_IR" },
            { days: 120, storageClass: "DEEP_ARCHIVE" },
        ];
        const { warnings } = parseStackConfig(raw, "dev");
        assert.equal(warnings.length, 1);
        assert.equal(warnings[0].key, "microbiome-backup:bucket.lifecycle.tiers[0].days");
        assert.match(warnings[0].message, /early-deletion charge/);
    });

    it("reads aws:defaultTags for providers of our own, and refuses a malformed one", () => {
        const { config } = parseStackConfig(stackValues("prod"), "prod");
        assert.deepEqual(config.defaultTags, { Project: "microbiome-backup", Environment: "prod", ManagedBy: "pulumi" });
        const raw = stackValues("prod");
        raw["aws:defaultTags"] = { tags: { Project: 42 } };
        const problems = problemsOf(raw);
        assert.equal(problems.length, 1);
        assert.equal(problems[0].key, "aws:defaultTags.tags.Project");
        assert.match(problems[0].message, /default tags/);
    });

    it("validates S3 bucket naming rules", () => {
        for (const bad of ["ab", "a".repeat(64), "Upper", "under_score", "-dash", "dot..dot", "192.168.1.1", "xn--abc", "name-s3alias"]) {
            const raw = stackValues("dev");
            bucketOf(raw).name = bad;
            const problems = problemsOf(raw);
            assert.equal(problems[0].key, "microbiome-backup:bucket.name", bad);
            assert.match(problems[0].message, /S3 bucket naming rules/, bad);
        }
    });
});

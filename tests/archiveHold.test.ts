/**
 * Issue 11 items 2 and 3 on the real program (index.ts through the offline preview, real stack
 * files): the adopted bucket declares its live tags, and the lifecycle holds its GLACIER /
 * DEEP_ARCHIVE transitions until the replication backfill is recorded; plus the config rules and
 * the rule builder behind them.
 */
import { strict as assert } from "node:assert";
import { buildLifecycleRules, HELD_ARCHIVE_CLASSES, HELD_ARCHIVE_RULE_ID, HELD_NONCURRENT_ARCHIVE_RULE_ID, LifecycleRuleInput, RESTORE_READY_TIME } from "../components/bucket/lifecycle";
import { UNREPLICABLE_SOURCE_CLASSES } from "../components/replication/rules";
import { parseStackConfig } from "../config";
import { archiveHold } from "../config/replication";
import type { PreviewDocument } from "../tools/offline/render";
import { tryParse } from "./helpers/config";
import { previewStack, previewVariant, previewVariantDocument, resourceNamed, stackConfig } from "./helpers/preview";

const LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration";
const BUCKET = "aws:s3/bucket:Bucket";
const RECORD = { completedJobId: "a1b2c3d4-0000-4000-8000-123456789abc", completedAt: "2026-12-01" };

function lifecycleRules(doc: PreviewDocument): LifecycleRuleInput[] {
    return resourceNamed(doc, LIFECYCLE, "backup-lifecycle").inputs.rules as LifecycleRuleInput[];
}

/** Every transition of the Enabled rules, as `<class>@<days>` (current) or `nc:<class>@<days>` (noncurrent). */
function enabledTransitions(rules: readonly LifecycleRuleInput[]): string[] {
    return rules
        .filter((r) => r.status === "Enabled")
        .flatMap((r) => [
            ...(r.transitions ?? []).map((t) => `${t.storageClass}@${t.days}`),
            ...(r.noncurrentVersionTransitions ?? []).map((t) => `nc:${t.storageClass}@${t.noncurrentDays}`),
        ]);
}

function withBackfill(config: Record<string, unknown>): void {
    (config["microbiome-backup:replication"] as Record<string, unknown>).backfill = { ...RECORD };
}

describe("archive transitions wait for the replication backfill (issue 11, item 3)", () => {
    it("holds only GLACIER and DEEP_ARCHIVE: the classes S3 replication cannot read", () => {
        assert.deepEqual([...HELD_ARCHIVE_CLASSES], ["GLACIER", "DEEP_ARCHIVE"]);
        assert.deepEqual([...UNREPLICABLE_SOURCE_CLASSES], ["GLACIER", "DEEP_ARCHIVE"]);
        // Every archive class has its restore times, and nothing else has: the restore command and the data-flow report read them.
        assert.deepEqual(Object.keys(RESTORE_READY_TIME).sort(), [...HELD_ARCHIVE_CLASSES].sort());
        assert.ok(!(HELD_ARCHIVE_CLASSES as readonly string[]).includes("GLACIER_IR"), "Glacier Instant Retrieval objects replicate; their tier stays on");
    });

    describe("prod as committed (adopted bucket, replication on, no backfill record)", () => {
        let doc: PreviewDocument;
        before(() => {
            doc = previewStack("prod");
        });

        it("declares no enabled transition to GLACIER or DEEP_ARCHIVE, current or noncurrent", () => {
            const rules = lifecycleRules(doc);
            assert.deepEqual(enabledTransitions(rules), ["GLACIER_IR@90"]);
        });

        it("keeps the archive transitions in Disabled rules, and the clean-up rules Enabled", () => {
            const rules = lifecycleRules(doc);
            const byId = new Map(rules.map((r) => [r.id, r]));
            assert.deepEqual(byId.get(HELD_ARCHIVE_RULE_ID), { id: HELD_ARCHIVE_RULE_ID, status: "Disabled", filter: {}, transitions: [{ days: 180, storageClass: "DEEP_ARCHIVE" }] });
            assert.deepEqual(byId.get(HELD_NONCURRENT_ARCHIVE_RULE_ID), {
                id: HELD_NONCURRENT_ARCHIVE_RULE_ID,
                status: "Disabled",
                filter: {},
                noncurrentVersionTransitions: [{ noncurrentDays: 30, storageClass: "DEEP_ARCHIVE" }],
            });
            assert.deepEqual(byId.get("noncurrent-versions"), { id: "noncurrent-versions", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays: 365 } });
            assert.equal(byId.get("abort-incomplete-multipart-uploads")?.status, "Enabled");
            assert.equal(byId.get("expired-delete-markers")?.status, "Enabled");
        });

        it("says why in a warning diagnostic on the backup bucket", () => {
            const warning = doc.diagnostics.find((d) => d.severity === "warning" && d.message.startsWith("archive transitions held"));
            assert.ok(warning, JSON.stringify(doc.diagnostics));
            assert.match(warning.message, /adopted bucket 3bigsmicrobiome and replication\.backfill is not recorded/);
            assert.match(warning.message, /What does Amazon S3 replicate\?/);
            assert.match(String(warning.urn), /BackupBucket::backup$/);
            assert.match(String(doc.outputs.lifecycleTiers), /held \(Disabled\) until the replication backfill is recorded$/);
        });
    });

    it("enables them once prod records the completed backfill", () => {
        const doc = previewVariantDocument("prod", withBackfill);
        const rules = lifecycleRules(doc);
        assert.deepEqual(enabledTransitions(rules), ["GLACIER_IR@90", "DEEP_ARCHIVE@180", "nc:DEEP_ARCHIVE@30"]);
        assert.ok(rules.every((r) => r.status === "Enabled"));
        assert.deepEqual(
            rules.map((r) => r.id),
            ["archive-tiers", "noncurrent-versions", "abort-incomplete-multipart-uploads", "expired-delete-markers"],
        );
        assert.ok(!doc.diagnostics.some((d) => d.message.startsWith("archive transitions held")));
    });

    it("does not hold a bucket the stack creates (dev: no object predates the replication rule)", () => {
        const rules = lifecycleRules(previewStack("dev"));
        assert.deepEqual(enabledTransitions(rules), ["GLACIER_IR@90", "DEEP_ARCHIVE@180", "nc:DEEP_ARCHIVE@30"]);
    });

    it("holds on request (holdArchiveTransitions: true) even with the record", () => {
        const doc = previewVariantDocument("prod", (config) => {
            withBackfill(config);
            ((config["microbiome-backup:bucket"] as { lifecycle: Record<string, unknown> }).lifecycle).holdArchiveTransitions = true;
        });
        assert.deepEqual(enabledTransitions(lifecycleRules(doc)), ["GLACIER_IR@90"]);
    });

    it("refuses an explicit enable without the record (exit 2, the key and the reason)", () => {
        const run = previewVariant("prod", (config) => {
            ((config["microbiome-backup:bucket"] as { lifecycle: Record<string, unknown> }).lifecycle).holdArchiveTransitions = false;
        });
        assert.equal(run.status, 2, run.stderr);
        assert.match(run.stderr, /microbiome-backup:bucket\.lifecycle\.holdArchiveTransitions = false: cannot be false before the replication backfill is recorded/);
        assert.doesNotMatch(run.stderr, /\n\s+at /, "no stack trace");
    });

    it("accepts the explicit enable with the record, and validates the record itself", () => {
        const base = stackConfig("prod");
        const replication = base["microbiome-backup:replication"] as Record<string, unknown>;
        const bucket = base["microbiome-backup:bucket"] as { lifecycle: Record<string, unknown> };
        const withRecord = { ...base, "microbiome-backup:replication": { ...replication, backfill: RECORD }, "microbiome-backup:bucket": { ...bucket, lifecycle: { ...bucket.lifecycle, holdArchiveTransitions: false } } };
        const { config } = parseStackConfig(withRecord, "prod");
        assert.deepEqual(archiveHold(config), { held: false });
        const bad = tryParse({ ...base, "microbiome-backup:replication": { ...replication, backfill: { completedJobId: "x", completedAt: "01/12/2026" } } }, "prod");
        assert.deepEqual(bad.problems.map((p) => p.key).sort(), ["microbiome-backup:replication.backfill.completedAt", "microbiome-backup:replication.backfill.completedJobId"]);
        assert.match(bad.problems.find((p) => p.key.endsWith("completedAt"))?.message ?? "", /YYYY-MM-DD/);
    });

    it("does not hold when replication is disabled (nothing to backfill)", () => {
        const doc = previewVariantDocument("prod", (config) => {
            config["microbiome-backup:replication"] = { enabled: false };
        });
        assert.deepEqual(enabledTransitions(lifecycleRules(doc)), ["GLACIER_IR@90", "DEEP_ARCHIVE@180", "nc:DEEP_ARCHIVE@30"]);
    });
});

describe("buildLifecycleRules with the hold", () => {
    it("omits an enabled rule left without transitions and keeps keepNewest on the held noncurrent rule", () => {
        const rules = buildLifecycleRules(
            {
                tiers: [{ days: 180, storageClass: "DEEP_ARCHIVE" }],
                prefix: "Analysis_",
                noncurrentVersions: { tiers: [{ days: 30, storageClass: "GLACIER" }], expireAfterDays: 365, keepNewest: 3 },
                abortIncompleteMultipartUploadDays: 7,
                transitionDefaultMinimumObjectSize: "all_storage_classes_128K",
            },
            { holdArchiveTransitions: true },
        );
        assert.deepEqual(
            rules.map((r) => [r.id, r.status]),
            [
                [HELD_ARCHIVE_RULE_ID, "Disabled"],
                ["noncurrent-versions", "Enabled"],
                [HELD_NONCURRENT_ARCHIVE_RULE_ID, "Disabled"],
                ["abort-incomplete-multipart-uploads", "Enabled"],
                ["expired-delete-markers", "Enabled"],
            ],
        );
        assert.deepEqual(rules[0].filter, { prefix: "Analysis_" });
        assert.deepEqual(rules[2].noncurrentVersionTransitions, [{ noncurrentDays: 30, storageClass: "GLACIER", newerNoncurrentVersions: 3 }]);
        assert.deepEqual(rules[1].noncurrentVersionExpiration, { noncurrentDays: 365, newerNoncurrentVersions: 3 });
    });
});

describe("the adopted bucket keeps its tags (issue 11, item 2)", () => {
    it("prod's bucket declares tags that, merged with the default tags, are exactly the stack's intent", () => {
        const doc = previewStack("prod");
        const bucket = resourceNamed(doc, BUCKET, "backup");
        // What the AWS provider computes as tagsAll: aws:defaultTags, overridden by the resource's tags.
        const defaultTags = (stackConfig("prod")["aws:defaultTags"] as { tags: Record<string, string> }).tags;
        const tagsAll = { ...defaultTags, ...(bucket.inputs.tags as Record<string, string>) };
        // The intent, written out by hand: the live bucket's tags (placeholders in Pulumi.prod.yaml,
        // as the pre-flight would list them) plus the stack's default tags.
        assert.deepEqual(tagsAll, {
            Project: "microbiome-backup",
            Environment: "prod",
            ManagedBy: "pulumi",
            Owner: "ngs-service@example.com",
            CostCenter: "0000",
            DataClassification: "research",
        });
        assert.deepEqual(bucket.inputs.tags, { Owner: "ngs-service@example.com", CostCenter: "0000", DataClassification: "research" });
    });

    it("dev declares no bucket tags of its own (defaults only)", () => {
        assert.equal(resourceNamed(previewStack("dev"), BUCKET, "backup").inputs.tags, undefined);
    });

    it("validates tag keys and values against S3's rules", () => {
        const base = stackConfig("dev");
        const bucket = base["microbiome-backup:bucket"] as Record<string, unknown>;
        const r = tryParse({ ...base, "microbiome-backup:bucket": { ...bucket, tags: { "aws:created-by": "x", Ok: "y".repeat(257) } } }, "dev");
        assert.deepEqual(r.problems.map((p) => p.key).sort(), ["microbiome-backup:bucket.tags.Ok", "microbiome-backup:bucket.tags[\"aws:created-by\"]"]);
        const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, "v"]));
        assert.match(tryParse({ ...base, "microbiome-backup:bucket": { ...bucket, tags: many } }, "dev").problems[0]?.message ?? "", /at most 50 tags/);
    });
});

describe("an adopted bucket that archives without replication is warned about", () => {
    /** Prod's configuration with replication changed, parsed as the program does; its warnings' keys and messages. */
    function warningsWith(edit: (config: Record<string, unknown>) => void): string[] {
        const config = structuredClone(stackConfig("prod"));
        edit(config);
        return parseStackConfig(config, "prod").warnings.map((w) => `${w.key}: ${w.message}`);
    }

    it("replication off on the adopted prod bucket: a warning on replication.enabled naming Batch Replication's limit", () => {
        const warnings = warningsWith((c) => {
            c["microbiome-backup:replication"] = { enabled: false };
        });
        const found = warnings.filter((w) => w.startsWith("microbiome-backup:replication.enabled: "));
        assert.equal(found.length, 1, warnings.join("\n"));
        assert.match(found[0], /adopted bucket 3bigsmicrobiome.*cannot copy archived objects.*holdArchiveTransitions: true/);
    });

    it("none when the archive is held by hand, when replication is on (the hold applies), or when the bucket is created", () => {
        const cases: ((c: Record<string, unknown>) => void)[] = [
            (c) => {
                c["microbiome-backup:replication"] = { enabled: false };
                const bucket = c["microbiome-backup:bucket"] as { lifecycle: Record<string, unknown> };
                bucket.lifecycle.holdArchiveTransitions = true;
            },
            () => undefined,
        ];
        for (const edit of cases) {
            assert.deepEqual(warningsWith(edit).filter((w) => w.includes("never gets a DR copy")), []);
        }
        const dev = parseStackConfig(structuredClone(stackConfig("dev")), "dev").warnings;
        assert.deepEqual(dev.filter((w) => w.message.includes("never gets a DR copy")), []);
    });
});

describe("an adoption whose only tiers are held passes the policy pack", () => {
    it("prod with tiers [180 d → DEEP_ARCHIVE] only: the held Disabled rule counts as tiers for s3-lifecycle-configured (the first up is not blocked)", () => {
        const doc = previewVariantDocument("prod", (c) => {
            const bucket = c["microbiome-backup:bucket"] as { lifecycle: Record<string, unknown> };
            bucket.lifecycle.tiers = [{ days: 180, storageClass: "DEEP_ARCHIVE" }];
        });
        const rules = lifecycleRules(doc);
        assert.deepEqual(enabledTransitions(rules), []);
        assert.ok(rules.some((r) => r.id === HELD_ARCHIVE_RULE_ID && r.status === "Disabled"));
        assert.deepEqual(doc.policies.violations, []);
    });
});

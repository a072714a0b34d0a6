import { strict as assert } from "node:assert";
import { buildLifecycleRules, checkTiers, describeTiers, LifecycleSettings, LifecycleTier } from "../components/bucket/lifecycle";

const tier = (days: number, storageClass: LifecycleTier["storageClass"]): LifecycleTier => ({ days, storageClass });

describe("S3 lifecycle tier rules (checkTiers)", () => {
    it("accepts the default 90 → GLACIER_IR, 180 → DEEP_ARCHIVE without errors or warnings", () => {
        const r = checkTiers([tier(90, "GLACIER_IR"), tier(180, "DEEP_ARCHIVE")]);
        assert.deepEqual(r, { errors: [], warnings: [] });
    });

    it("refuses STANDARD_IA and ONEZONE_IA before day 30", () => {
        for (const cls of ["STANDARD_IA", "ONEZONE_IA"] as const) {
            const r = checkTiers([tier(10, cls)]);
            assert.equal(r.errors.length, 1);
            assert.deepEqual(r.errors[0].path, [0, "days"]);
            assert.match(r.errors[0].message, /at least 30 days/);
        }
        assert.equal(checkTiers([tier(30, "STANDARD_IA")]).errors.length, 0);
    });

    it("allows day 0 for Glacier classes and Intelligent-Tiering", () => {
        for (const cls of ["GLACIER_IR", "GLACIER", "DEEP_ARCHIVE", "INTELLIGENT_TIERING"] as const) {
            assert.equal(checkTiers([tier(0, cls)]).errors.length, 0, cls);
        }
    });

    it("refuses days that are not ascending", () => {
        const r = checkTiers([tier(180, "GLACIER_IR"), tier(90, "DEEP_ARCHIVE")]);
        assert.ok(r.errors.some((e) => e.path[0] === 1 && e.path[1] === "days" && /ascending/.test(e.message)));
        const same = checkTiers([tier(90, "GLACIER_IR"), tier(90, "DEEP_ARCHIVE")]);
        assert.ok(same.errors.some((e) => /ascending/.test(e.message)));
    });

    it("refuses moves up the waterfall and ONEZONE_IA → GLACIER_IR", () => {
        const up = checkTiers([tier(90, "DEEP_ARCHIVE"), tier(180, "GLACIER")]);
        assert.ok(up.errors.some((e) => e.path[1] === "storageClass" && /waterfall/.test(e.message)));
        const same = checkTiers([tier(90, "GLACIER"), tier(180, "GLACIER")]);
        assert.ok(same.errors.some((e) => /cannot move to GLACIER/.test(e.message)));
        const oz = checkTiers([tier(30, "ONEZONE_IA"), tier(90, "GLACIER_IR")]);
        assert.ok(oz.errors.some((e) => /ONEZONE_IA cannot move to GLACIER_IR/.test(e.message)));
        assert.equal(checkTiers([tier(30, "ONEZONE_IA"), tier(90, "GLACIER")]).errors.length, 0);
    });

    it("needs 30 days between an infrequent-access tier and a Glacier tier", () => {
        const r = checkTiers([tier(30, "STANDARD_IA"), tier(45, "GLACIER")]);
        assert.ok(r.errors.some((e) => e.path[0] === 1 && /at least 30 days after the STANDARD_IA/.test(e.message)));
        assert.equal(checkTiers([tier(30, "STANDARD_IA"), tier(60, "GLACIER")]).errors.length, 0);
    });

    it("warns (does not refuse) when a tier is left before its minimum storage duration", () => {
        const r = checkTiers([tier(90, "GLACIER_IR"), tier(120, "DEEP_ARCHIVE")]);
        assert.equal(r.errors.length, 0);
        assert.equal(r.warnings.length, 1);
        assert.deepEqual(r.warnings[0].path, [0, "days"]);
        assert.match(r.warnings[0].message, /only 30 days .* 90-day minimum storage duration/);
        const expiry = checkTiers([tier(30, "DEEP_ARCHIVE")], 100);
        assert.match(expiry.warnings[0].message, /expiry at day 100.*180-day minimum/);
    });
});

describe("describeTiers", () => {
    it("summarises the tiers on one line and says from when a restore is needed", () => {
        assert.equal(
            describeTiers([tier(90, "GLACIER_IR"), tier(180, "DEEP_ARCHIVE")]),
            "STANDARD → day 90 GLACIER_IR → day 180 DEEP_ARCHIVE (restore needed from day 180)",
        );
        assert.equal(describeTiers([tier(30, "STANDARD_IA")]), "STANDARD → day 30 STANDARD_IA (no restore needed)");
    });
});

describe("buildLifecycleRules", () => {
    const settings: LifecycleSettings = {
        tiers: [tier(90, "GLACIER_IR"), tier(180, "DEEP_ARCHIVE")],
        prefix: "Analysis_",
        noncurrentVersions: { tiers: [tier(30, "DEEP_ARCHIVE")], expireAfterDays: 365, keepNewest: 2 },
        abortIncompleteMultipartUploadDays: 7,
        transitionDefaultMinimumObjectSize: "all_storage_classes_128K",
    };

    it("builds four rules with the tiers under the prefix", () => {
        const rules = buildLifecycleRules(settings);
        assert.deepEqual(
            rules.map((r) => r.id),
            ["archive-tiers", "noncurrent-versions", "abort-incomplete-multipart-uploads", "expired-delete-markers"],
        );
        assert.deepEqual(rules[0].filter, { prefix: "Analysis_" });
        assert.deepEqual(rules[0].transitions, [
            { days: 90, storageClass: "GLACIER_IR" },
            { days: 180, storageClass: "DEEP_ARCHIVE" },
        ]);
        assert.deepEqual(rules[1].noncurrentVersionExpiration, { noncurrentDays: 365, newerNoncurrentVersions: 2 });
        assert.deepEqual(rules[2].abortIncompleteMultipartUpload, { daysAfterInitiation: 7 });
    });

    it("keeps the expired-delete-marker expiration in a rule of its own, without days", () => {
        const marker = buildLifecycleRules(settings).filter((r) => r.expiration);
        assert.equal(marker.length, 1);
        assert.deepEqual(marker[0].expiration, { expiredObjectDeleteMarker: true });
    });

    it("omits newerNoncurrentVersions when no version is kept", () => {
        const rules = buildLifecycleRules({ ...settings, noncurrentVersions: { ...settings.noncurrentVersions, keepNewest: 0 } });
        assert.deepEqual(rules[1].noncurrentVersionExpiration, { noncurrentDays: 365 });
        assert.deepEqual(rules[1].noncurrentVersionTransitions, [{ noncurrentDays: 30, storageClass: "DEEP_ARCHIVE" }]);
    });
});

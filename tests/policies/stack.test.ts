/**
 * The policy pack over the real program: the offline previews of dev and prod pass every mandatory
 * policy; a mutated recorded run and a stack that breaks a guardrail make the pack fire, and the
 * preview exits 1 naming the policy and the resource (human and --json modes).
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { policies } from "../../policies/all";
import { TYPES } from "../../policies/lib";
import { evaluatePolicies, stackPolicyConfig } from "../../tools/offline/policies";
import type { PreviewDocument } from "../../tools/offline/render";
import type { ProgramRun } from "../../tools/offline/run";
import { PROJECT_DIR, previewStack, previewVariant, resourcesOfType, runPreview } from "../helpers/preview";
import { tempDir as temporaryDir } from "../helpers/tools";

/** A program run rebuilt from a preview document (no mock states: stack policies see inputs only). */
function runOf(doc: PreviewDocument): ProgramRun {
    return { project: doc.project, stack: doc.stack, steps: structuredClone(doc.steps), outputs: doc.outputs, diagnostics: doc.diagnostics, invokes: [] };
}

/** A fresh temporary folder for policy config files. */
function tempDir(): string {
    return temporaryDir("policy-test-").dir;
}

for (const stack of ["dev", "prod"]) {
    describe(`policy pack over the ${stack} stack`, () => {
        it("reports the pack, at least 15 policies evaluated and no mandatory violation", () => {
            const doc = previewStack(stack);
            assert.equal(doc.policies.pack, "microbiome-backup");
            assert.equal(doc.policies.evaluated, policies.length);
            assert.ok(doc.policies.evaluated >= 15, `only ${doc.policies.evaluated} evaluated`);
            assert.deepEqual(
                doc.policies.violations.filter((v) => v.enforcementLevel === "mandatory"),
                [],
            );
        });

        it("passes every policy too when stack policies see inputs only (a run rebuilt from the JSON document)", async () => {
            const report = await evaluatePolicies(runOf(previewStack(stack)));
            assert.deepEqual(report.violations, []);
        });

        it("makes the pack fire on a mutated run: an invalid lifecycle tier and a missing bucket policy", async () => {
            const run = runOf(previewStack(stack));
            const lifecycle = run.steps.find((s) => s.newState.type === TYPES.bucketLifecycle);
            assert.ok(lifecycle);
            lifecycle.newState.inputs.rules = [{ id: "bad", status: "Enabled", filter: {}, transitions: [{ days: 10, storageClass: "STANDARD_IA" }] }];
            run.steps = run.steps.filter((s) => s.newState.type !== TYPES.bucketPolicy);
            const report = await evaluatePolicies(run);
            const fired = new Set(report.violations.map((v) => v.policy));
            assert.ok(fired.has("s3-lifecycle-tiers-valid"), [...fired].join(", "));
            assert.ok(fired.has("s3-tls-only-bucket-policy"));
            assert.ok(fired.has("s3-lifecycle-configured")); // no noncurrent expiry left
            const tier = report.violations.find((v) => v.policy === "s3-lifecycle-tiers-valid");
            assert.equal(tier?.urn, lifecycle.urn);
            assert.equal(tier?.enforcementLevel, "mandatory");
        });
    });
}

describe("offline preview exit codes with the policy pack", () => {
    it("prod's policy config requires protect on data-bearing resources", () => {
        assert.deepEqual(stackPolicyConfig("prod"), { "data-protected": { requireProtect: true } });
        const prod = previewStack("prod");
        for (const bucket of resourcesOfType(prod, TYPES.bucket)) {
            assert.equal(bucket.protect, true);
        }
    });

    it("exits 1 naming the policy and the resource when prod's protect is switched off", () => {
        const run = previewVariant("prod", (config) => {
            config["microbiome-backup:protect"] = false;
        });
        assert.equal(run.status, 1, run.stderr);
        assert.match(run.stderr, /mandatory policy violation\(s\) of policy pack microbiome-backup/);
        assert.match(run.stderr, /data-protected on urn:pulumi:prod::microbiome-backup::microbiome-backup:storage:BackupBucket\$aws:s3\/bucket:Bucket::backup: .*not protected/);
        assert.match(run.stdout, /\[mandatory\] data-protected: backup — /);
    });

    it("exits 1 in --json mode too, with the violations in the document and on stderr", () => {
        const dir = tempDir();
        const config = path.join(dir, "policy-config.json");
        fs.writeFileSync(config, JSON.stringify({ "data-protected": { requireProtect: true } }));
        const run = runPreview(["--stack", "dev", "--policy-pack-config", config, "--json"]);
        assert.equal(run.status, 1, run.stderr);
        const doc = JSON.parse(run.stdout) as PreviewDocument;
        const violation = doc.policies.violations.find((v) => v.urn.endsWith("aws:s3/bucket:Bucket::backup"));
        assert.equal(violation?.policy, "data-protected");
        assert.equal(violation?.enforcementLevel, "mandatory");
        assert.match(run.stderr, /data-protected on urn:pulumi:dev::.*aws:s3\/bucket:Bucket::backup/);
    });

    it("turns a violation into a warning when the policy config makes the policy advisory (an approved exception)", () => {
        const dir = tempDir();
        const config = path.join(dir, "policy-config.json");
        fs.writeFileSync(config, JSON.stringify({ "data-protected": { enforcementLevel: "advisory", requireProtect: true } }));
        const run = runPreview(["--stack", "dev", "--policy-pack-config", config]);
        assert.equal(run.status, 0, run.stderr);
        assert.match(run.stdout, /\[advisory\] data-protected/);
    });

    it("exits 2 when the policy config file is unreadable", () => {
        const run = runPreview(["--stack", "dev", "--policy-pack-config", path.join(tempDir(), "missing.json")]);
        assert.equal(run.status, 2);
        assert.match(run.stderr, /cannot read the policy pack config/);
    });
});

describe("policy config files", () => {
    it("only configure policies of the pack, with properties their config schema declares", () => {
        const dir = path.join(PROJECT_DIR, "policies", "config");
        const files = fs.readdirSync(dir).filter((f) => f.endsWith(".json"));
        assert.ok(files.includes("dev.json") && files.includes("prod.json"));
        for (const file of files) {
            const config = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as Record<string, Record<string, unknown>>;
            for (const [name, settings] of Object.entries(config)) {
                const policy = policies.find((p) => p.name === name);
                assert.ok(policy, `${file}: no policy named ${name}`);
                for (const key of Object.keys(settings).filter((k) => k !== "enforcementLevel")) {
                    assert.ok(policy.configSchema?.properties[key], `${file}: ${name} has no config property ${key}`);
                }
            }
        }
    });
});

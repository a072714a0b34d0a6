/**
 * The offline preview command (`npm run preview:offline`): its JSON contract, its human output
 * and its exit codes, run as a child process exactly as a user runs it.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import { PROJECT_DIR, previewStack, runPreview } from "./helpers/preview";

/** Writes a stack file with the given config into a temp folder and returns its path. */
function tempStackFile(config: Record<string, unknown>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mb-stack-"));
    const file = path.join(dir, "Pulumi.test.yaml");
    fs.writeFileSync(file, stringify({ config }));
    return file;
}

const VALID_DEV_BUCKET = { name: "lab-test-bucket-123" };

describe("offline preview: JSON contract", () => {
    for (const stack of ["dev", "prod"]) {
        it(`${stack}: one document shaped like pulumi preview --json`, () => {
            const doc = previewStack(stack);
            assert.equal(doc.stack, stack);
            assert.equal(doc.project, "microbiome-backup");
            assert.ok(doc.steps.length > 5);
            for (const step of doc.steps) {
                assert.ok(["create", "import"].includes(step.op));
                assert.equal(step.urn, step.newState.urn);
                assert.match(step.urn, new RegExp(`^urn:pulumi:${stack}::microbiome-backup::`));
                for (const key of ["type", "custom", "parent", "provider", "inputs", "protect", "retainOnDelete", "dependencies"]) {
                    assert.ok(key in step.newState, `${step.urn} has newState.${key}`);
                }
            }
            assert.deepEqual(Object.keys(doc.policies).sort(), ["evaluated", "pack", "violations"]);
            assert.ok(Array.isArray(doc.diagnostics));
            const total = Object.values(doc.changeSummary).reduce((a, b) => a + b, 0);
            assert.equal(total, doc.steps.length);
        });

        it(`${stack}: ran under Pulumi's mocks (stack root, mock-computed ARNs)`, () => {
            const doc = previewStack(stack);
            const root = doc.steps.filter((s) => s.newState.type === "pulumi:pulumi:Stack");
            assert.equal(root.length, 1);
            assert.equal(root[0].urn, `urn:pulumi:${stack}::microbiome-backup::pulumi:pulumi:Stack::microbiome-backup-${stack}`);
            // bucketArn is computed by the provider (here: the mocks), never set by the program.
            assert.equal(doc.outputs.bucketArn, `arn:aws:s3:::${String(doc.outputs.bucketName)}`);
            const parents = new Set(doc.steps.map((s) => s.newState.parent));
            assert.ok(parents.has(root[0].urn), "top-level resources are parented to the stack");
        });
    }

    it("prints the human tree, outputs and summary without --json", () => {
        const run = runPreview(["--stack", "prod"]);
        assert.equal(run.status, 0, run.stderr);
        assert.match(run.stdout, /microbiome-backup:storage:BackupBucket\s+backup/);
        assert.match(run.stdout, /=\s+│ {2}├─ aws:s3:Bucket\s+backup\s+import\s+\[protect, retain, import 3bigsmicrobiome\]/);
        assert.match(run.stdout, /Outputs:\n(.|\n)*bucketName\s*: "3bigsmicrobiome"/);
        assert.match(run.stdout, /Resources:\n\s+\+ \d+ to create .*\n\s+= 1 to import\n\s+\d+ changes\n?$/);
    });
});

describe("offline preview: configuration", () => {
    it("exits 2 naming the key of an invalid tier, with no stack trace", () => {
        const file = tempStackFile({
            "aws:region": "us-east-1",
            "microbiome-backup:bucket": { ...VALID_DEV_BUCKET, lifecycle: { tiers: [{ days: 10, storageClass: "STANDARD_IA" }] } },
        });
        const run = runPreview(["--stack", "dev", "--config-file", file, "--json"]);
        assert.equal(run.status, 2);
        assert.equal(run.stdout, "", "nothing on stdout: no JSON for an invalid configuration");
        assert.match(run.stderr, /microbiome-backup:bucket\.lifecycle\.tiers\[0\]\.days = 10: STANDARD_IA needs objects at least 30 days old/);
        assert.doesNotMatch(run.stderr, /\s+at\s+\S+\s+\(|\.ts:\d+/, "no stack trace");
    });

    it("exits 2 for an unknown key", () => {
        const file = tempStackFile({
            "aws:region": "us-east-1",
            "microbiome-backup:bucket": { ...VALID_DEV_BUCKET, lifecyle: {} },
        });
        const run = runPreview(["--stack", "dev", "--config-file", file]);
        assert.equal(run.status, 2);
        assert.match(run.stderr, /microbiome-backup:bucket\.lifecyle = \{\}: unknown key; allowed here: name, adoptExisting/);
        assert.doesNotMatch(run.stderr, /\s+at\s+\S+\s+\(/);
    });

    it("exits 2 for a missing stack file and for bad arguments", () => {
        const missing = runPreview(["--stack", "nosuchstack"]);
        assert.equal(missing.status, 2);
        assert.match(missing.stderr, /cannot read .*Pulumi\.nosuchstack\.yaml: ENOENT/);
        const noStack = runPreview([]);
        assert.equal(noStack.status, 2);
        assert.match(noStack.stderr, /--stack is required/);
        const unknownFlag = runPreview(["--stack", "dev", "--colour"]);
        assert.equal(unknownFlag.status, 2);
    });

    it("reports a warning as a diagnostic and still exits 0", () => {
        const file = tempStackFile({
            "aws:region": "us-east-1",
            "microbiome-backup:bucket": {
                ...VALID_DEV_BUCKET,
                lifecycle: { tiers: [{ days: 90, storageClass: "GLACIER_IR" }, { days: 120, storageClass: "DEEP_ARCHIVE" }] },
            },
        });
        const run = runPreview(["--stack", "dev", "--config-file", file, "--json"]);
        assert.equal(run.status, 0, run.stderr);
        const doc = JSON.parse(run.stdout) as { diagnostics: { severity: string; message: string }[] };
        assert.ok(doc.diagnostics.some((d) => d.severity === "warning" && /tiers\[0\]\.days = 90: .*early-deletion charge/.test(d.message)));
    });

    it("takes project defaults from Pulumi.yaml and keeps secure values opaque", () => {
        const file = tempStackFile({
            "aws:region": "us-east-1",
            "microbiome-backup:bucket": VALID_DEV_BUCKET,
            "microbiome-backup:notAKey": { secure: "v1:AAAAAAAAAAAAAAAA:bm90IGEgcmVhbCBzZWNyZXQ=" },
        });
        const run = runPreview(["--stack", "dev", "--config-file", file]);
        assert.equal(run.status, 2);
        // The secret's ciphertext and placeholder are never echoed; the key is still named.
        assert.match(run.stderr, /microbiome-backup:notAKey = .*unknown key/);
        assert.doesNotMatch(run.stderr, /bm90IGEgcmVhbCBzZWNyZXQ/);
    });

    it("the committed stack files exist for both stacks", () => {
        for (const stack of ["dev", "prod"]) {
            assert.ok(fs.existsSync(path.join(PROJECT_DIR, `Pulumi.${stack}.yaml`)));
        }
    });
});

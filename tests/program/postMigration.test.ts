/**
 * Post-migration mode on the real program (offline preview of prod variants and of
 * docs/examples/prod-post-migration.yaml): removing the file-system layer over a deployed file
 * system is refused without the decommission record; with it, the drain deployment declares the file
 * system neither protected nor retained (what the engine's next delete step reads from the state:
 * pulumi/pulumi pkg/resource/deploy/step.go, DeleteStep), and the removal keeps bucket, access,
 * replication and alarm.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { DECOMMISSION_TAG } from "../../components/fsx/decommission";
import type { CostEstimate } from "../../tools/cost/estimate";
import type { PreviewDocument } from "../../tools/offline/render";
import { onlyResource, PROJECT_DIR, previewVariant, previewVariantDocument, resourcesOfType, runPreview } from "../helpers/preview";

const FS = "aws:fsx/lustreFileSystem:LustreFileSystem";
const RECORD = { exportReportClean: "2027-03-31", reportUri: "s3://3bigsmicrobiome/ops/export-report-2027-03-31.txt" };

function section(config: Record<string, unknown>, key: string): Record<string, unknown> {
    return config[`microbiome-backup:${key}`] as Record<string, unknown>;
}

describe("program: post-migration mode (prod)", function () {
    it("refuses removing the layer over a deployed file system without the record: exit 2, naming the key, nothing declared", () => {
        const run = previewVariant("prod", (c) => {
            section(c, "fsx").enabled = false;
            section(c, "syncHost").enabled = false;
        });
        assert.equal(run.status, 2, run.stderr);
        assert.match(run.stderr, /microbiome-backup:fsx\.decommission = \(missing\): required to remove the file-system layer/);
        assert.doesNotMatch(run.stderr, /\n\s+at /, "no stack trace");
        assert.equal(run.stdout, "");
    });

    it("drain step (record set, layer still enabled, sync host stopped): the file system is neither protected nor retained, tagged, and the pack passes", () => {
        const doc = previewVariantDocument("prod", (c) => {
            section(c, "fsx").decommission = RECORD;
            section(c, "syncHost").enabled = false;
        });
        assert.equal(resourcesOfType(doc, "aws:ec2/instance:Instance").length, 0, "no writer after the clean export report");
        const fsx = onlyResource(doc, FS);
        assert.equal(fsx.protect, false);
        assert.equal(fsx.retainOnDelete, false);
        assert.equal((fsx.inputs.tags as Record<string, string>)[DECOMMISSION_TAG], "export report clean 2027-03-31");
        assert.ok(doc.diagnostics.some((d) => /fsx\.decommission .*drain step/.test(d.message)));
        assert.deepEqual(doc.policies.violations, []);
        // The bucket and its versioning stay protected and retained.
        for (const r of doc.steps.filter((s) => s.newState.type === "aws:s3/bucket:Bucket")) {
            assert.equal(r.newState.protect && r.newState.retainOnDelete, true, r.urn);
        }
    });

    it("the drain step with the sync host still enabled is refused (exit 2): it would keep writing after the clean report", () => {
        const run = previewVariant("prod", (c) => {
            section(c, "fsx").decommission = RECORD;
        });
        assert.equal(run.status, 2, run.stderr);
        assert.match(run.stderr, /microbiome-backup:syncHost\.enabled = true: must be false with fsx\.decommission \(the drain step\)/);
    });

    it("docs/examples/prod-post-migration.yaml: exits 0; the layer is gone; bucket, access, replication and alarm stay; cost ≤ $12", () => {
        const run = runPreview(["--stack", "prod", "--config-file", path.join(PROJECT_DIR, "docs", "examples", "prod-post-migration.yaml"), "--json"]);
        assert.equal(run.status, 0, run.stderr);
        const doc = JSON.parse(run.stdout) as PreviewDocument & { cost: CostEstimate };
        for (const type of [FS, "aws:fsx/dataRepositoryAssociation:DataRepositoryAssociation", "awsx:ec2:Vpc", "aws:ec2/instance:Instance", "aws:ec2/vpcEndpoint:VpcEndpoint"]) {
            assert.equal(resourcesOfType(doc, type).length, 0, type);
        }
        assert.equal(resourcesOfType(doc, "aws:s3/bucket:Bucket").length, 2, "backup and DR bucket");
        assert.equal(resourcesOfType(doc, "aws:s3/bucketReplicationConfig:BucketReplicationConfig").length, 1);
        assert.equal(resourcesOfType(doc, "aws:cloudwatch/metricAlarm:MetricAlarm").length, 1);
        assert.ok(resourcesOfType(doc, "aws:iam/user:User").length > 0);
        assert.equal(doc.outputs.fsxEnabled, false);
        assert.ok(doc.diagnostics.some((d) => /removing the file-system layer: the file system is deleted only if the drain step/.test(d.message)));
        assert.ok(doc.cost.monthlyTotal <= 12, `cost ${doc.cost.monthlyTotal}`);
    });
});

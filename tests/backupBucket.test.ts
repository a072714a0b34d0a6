/**
 * The real program (index.ts) with the real stack files, evaluated by the offline preview: the
 * backup bucket and its side resources, their inputs and the options the program set at run time.
 */
import { strict as assert } from "node:assert";
import { HELD_ARCHIVE_RULE_ID } from "../components/bucket/lifecycle";
import { previewStack, previewVariantDocument, resourceNamed, resourcesOfType } from "./helpers/preview";
import type { PreviewDocument } from "../tools/offline/render";
import type { StepState } from "../tools/offline/run";

const COMPONENT = "microbiome-backup:storage:BackupBucket";
const SIDE_TYPES = [
    "aws:s3/bucketVersioning:BucketVersioning",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    "aws:s3/bucketPolicy:BucketPolicy",
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
];

/** The main backup bucket: the one under the BackupBucket component. */
function backupBucket(doc: PreviewDocument): StepState {
    const component = resourceNamed(doc, COMPONENT, "backup");
    const buckets = resourcesOfType(doc, "aws:s3/bucket:Bucket").filter((b) => b.parent === component.urn);
    assert.equal(buckets.length, 1);
    return buckets[0];
}

/** The side resource of a type under the backup bucket's component. */
function side(doc: PreviewDocument, type: string): StepState {
    const component = resourceNamed(doc, COMPONENT, "backup");
    const found = resourcesOfType(doc, type).filter((r) => r.parent === component.urn);
    assert.equal(found.length, 1, `one ${type} under the BackupBucket component`);
    return found[0];
}

for (const stack of ["dev", "prod"]) {
    describe(`BackupBucket in the ${stack} stack`, () => {
        let doc: PreviewDocument;
        before(() => {
            doc = previewStack(stack);
        });

        it("declares the bucket and every side resource under the component, all on the bucket", () => {
            const bucket = backupBucket(doc);
            for (const type of SIDE_TYPES) {
                const r = side(doc, type);
                assert.equal(r.inputs.bucket, bucket.inputs.bucket, `${type} targets the backup bucket`);
            }
        });

        it(`enables versioning; the bucket and every side resource share protect and retainOnDelete (${stack === "prod" ? "both true" : "neither: dev is disposable"})`, () => {
            const versioning = side(doc, "aws:s3/bucketVersioning:BucketVersioning");
            assert.deepEqual(versioning.inputs.versioningConfiguration, { status: "Enabled" });
            const bucket = backupBucket(doc);
            assert.equal(bucket.retainOnDelete, stack === "prod");
            assert.equal(bucket.protect, stack === "prod");
            for (const type of SIDE_TYPES) {
                const r = side(doc, type);
                assert.deepEqual([r.protect, r.retainOnDelete], [bucket.protect, bucket.retainOnDelete], `${type} shares the bucket's options`);
            }
        });

        it("encrypts by default with SSE-S3 and a bucket key", () => {
            const enc = side(doc, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration");
            assert.deepEqual(enc.inputs.rules, [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }]);
        });

        it("blocks all public access and disables ACLs", () => {
            const pab = side(doc, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock");
            for (const k of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]) {
                assert.equal(pab.inputs[k], true, k);
            }
            const own = side(doc, "aws:s3/bucketOwnershipControls:BucketOwnershipControls");
            assert.deepEqual(own.inputs.rule, { objectOwnership: "BucketOwnerEnforced" });
        });

        it("denies requests without TLS or with TLS older than 1.2, on the bucket and its objects", () => {
            const policy = side(doc, "aws:s3/bucketPolicy:BucketPolicy");
            const bucket = backupBucket(doc);
            const arn = `arn:aws:s3:::${String(bucket.inputs.bucket)}`;
            const statements = (JSON.parse(String(policy.inputs.policy)) as { Statement: Record<string, unknown>[] }).Statement;
            const insecure = statements.find((s) => s.Sid === "DenyInsecureTransport");
            assert.deepEqual(insecure, {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [arn, `${arn}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            });
            const tls = statements.find((s) => s.Sid === "DenyOutdatedTls");
            assert.deepEqual(tls?.Condition, { NumericLessThan: { "s3:TlsVersion": "1.2" } });
            const pab = side(doc, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock");
            assert.ok(policy.dependencies.includes(pab.urn), "the policy is put after the public access block");
        });

        it("tiers objects at 90 and 180 days and cleans up versions, uploads and delete markers", () => {
            const lc = side(doc, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration");
            const rules = lc.inputs.rules as Record<string, unknown>[];
            // prod holds its archive transitions in a Disabled rule until the backfill is recorded (tests/archiveHold.test.ts).
            const transitions = rules
                .filter((r) => r.id === "archive-tiers" || r.id === HELD_ARCHIVE_RULE_ID)
                .flatMap((r) => r.transitions as { days: number }[])
                .sort((a, b) => a.days - b.days);
            assert.deepEqual(transitions, [
                { days: 90, storageClass: "GLACIER_IR" },
                { days: 180, storageClass: "DEEP_ARCHIVE" },
            ]);
            assert.ok(rules.find((r) => r.id === "noncurrent-versions")?.noncurrentVersionExpiration);
            assert.deepEqual(rules.find((r) => r.id === "abort-incomplete-multipart-uploads")?.abortIncompleteMultipartUpload, { daysAfterInitiation: 7 });
            assert.deepEqual(rules.find((r) => r.id === "expired-delete-markers")?.expiration, { expiredObjectDeleteMarker: true });
            assert.equal(lc.inputs.transitionDefaultMinimumObjectSize, "all_storage_classes_128K");
            const versioning = side(doc, "aws:s3/bucketVersioning:BucketVersioning");
            assert.ok(lc.dependencies.includes(versioning.urn), "lifecycle waits for versioning");
        });

        it("exports the bucket name, ARN, region and the tier summary", () => {
            const bucket = backupBucket(doc);
            assert.equal(doc.outputs.bucketName, bucket.inputs.bucket);
            assert.equal(doc.outputs.bucketArn, `arn:aws:s3:::${String(bucket.inputs.bucket)}`);
            assert.equal(doc.outputs.bucketRegion, "us-east-1");
            assert.ok(String(doc.outputs.lifecycleTiers).startsWith("STANDARD → day 90 GLACIER_IR → day 180 DEEP_ARCHIVE (restore needed from day 180)"));
        });
    });
}

describe("BackupBucket data safety per stack", () => {
    it("prod adopts the existing bucket 3bigsmicrobiome, protected, retained, never force-destroyed", () => {
        const doc = previewStack("prod");
        const bucket = backupBucket(doc);
        const step = doc.steps.find((s) => s.urn === bucket.urn);
        assert.equal(step?.op, "import");
        assert.equal(bucket.id, "3bigsmicrobiome");
        assert.equal(bucket.inputs.bucket, "3bigsmicrobiome");
        assert.equal(bucket.protect, true);
        assert.equal(bucket.retainOnDelete, true);
        assert.equal(bucket.inputs.forceDestroy, false);
        assert.equal(side(doc, "aws:s3/bucketVersioning:BucketVersioning").protect, true);
    });

    it("dev creates a new, unprotected, unretained bucket that may be force-destroyed (pulumi destroy empties and deletes it)", () => {
        const doc = previewStack("dev");
        const bucket = backupBucket(doc);
        assert.equal(doc.steps.find((s) => s.urn === bucket.urn)?.op, "create");
        assert.equal(bucket.id, undefined);
        assert.equal(bucket.protect, false);
        assert.equal(bucket.retainOnDelete, false);
        assert.equal(bucket.inputs.forceDestroy, true);
    });

    it("an adopted bucket is retained with its side resources even without protect", () => {
        // (another stack name: prod's policy config requires protect)
        const doc = previewVariantDocument(
            "prod",
            (config) => {
                config["microbiome-backup:protect"] = false;
            },
            { stackName: "adopted" },
        );
        const bucket = backupBucket(doc);
        assert.deepEqual([bucket.protect, bucket.retainOnDelete], [false, true]);
        for (const type of SIDE_TYPES) {
            assert.equal(side(doc, type).retainOnDelete, true, type);
        }
    });
});

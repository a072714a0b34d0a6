/** The pure IAM document builders of components/replication/policies.ts. */
import * as assert from "node:assert/strict";
import {
    backfillRoleName,
    batchReplicationRolePolicy,
    batchReplicationTrustPolicy,
    drBucketPolicy,
    replicaKeyPolicyStatement,
    replicationRolePolicy,
    replicationTrustPolicy,
} from "../../components/replication/policies";
import type { PolicyStatement } from "../../components/common/policyDocument";

const SRC = "arn:aws:s3:::src-bucket";
const DST = "arn:aws:s3:::dr-bucket";
const ROLE = "arn:aws:iam::111111111111:role/replication";

/** Every (action, resource) pair an Allow document grants. */
function grants(statements: PolicyStatement[]): string[] {
    const out: string[] = [];
    for (const s of statements.filter((x) => x.Effect === "Allow")) {
        for (const a of [s.Action ?? []].flat()) for (const r of [s.Resource ?? []].flat()) out.push(`${a} ${r}`);
    }
    return out.sort();
}

describe("replicationPolicies", () => {
    it("trust policy: only s3.amazonaws.com, conditioned on the source account", () => {
        assert.deepEqual(replicationTrustPolicy("111111111111").Statement, [
            {
                Sid: "AllowS3ReplicationOfThisAccount",
                Effect: "Allow",
                Principal: { Service: "s3.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "aws:SourceAccount": "111111111111" } },
            },
        ]);
    });

    it("role policy: exactly the documented minimal permissions (docs/aws-rules.md)", () => {
        const doc = replicationRolePolicy({ sourceBucketArn: SRC, destinationBucketArn: DST });
        assert.deepEqual(grants(doc.Statement), [
            `s3:GetObjectVersionAcl ${SRC}/*`,
            `s3:GetObjectVersionForReplication ${SRC}/*`,
            `s3:GetObjectVersionTagging ${SRC}/*`,
            `s3:GetReplicationConfiguration ${SRC}`,
            `s3:ListBucket ${SRC}`,
            `s3:ReplicateDelete ${DST}/*`,
            `s3:ReplicateObject ${DST}/*`,
            `s3:ReplicateTags ${DST}/*`,
        ]);
        assert.ok(doc.Statement.every((s) => s.Effect === "Allow" && !String(s.Action).includes("*")), "no wildcard actions");
    });

    it("role policy with SSE-KMS: Decrypt on the source key and Encrypt on the replica key, each only via S3 in its Region", () => {
        const doc = replicationRolePolicy({
            sourceBucketArn: SRC,
            destinationBucketArn: DST,
            sourceRegion: "us-east-1",
            destinationRegion: "us-west-2",
            sourceKmsKeyArn: "arn:aws:kms:us-east-1:111111111111:key/src",
            replicaKmsKeyArn: "arn:aws:kms:us-west-2:222222222222:key/dst",
        });
        const decrypt = doc.Statement.find((s) => s.Action === "kms:Decrypt");
        const encrypt = doc.Statement.find((s) => s.Action === "kms:Encrypt");
        assert.equal(decrypt?.Resource, "arn:aws:kms:us-east-1:111111111111:key/src");
        assert.deepEqual(decrypt?.Condition?.StringEquals, { "kms:ViaService": "s3.us-east-1.amazonaws.com" });
        assert.deepEqual(decrypt?.Condition?.StringLike, { "kms:EncryptionContext:aws:s3:arn": [SRC, `${SRC}/*`] });
        assert.equal(encrypt?.Resource, "arn:aws:kms:us-west-2:222222222222:key/dst");
        assert.deepEqual(encrypt?.Condition?.StringEquals, { "kms:ViaService": "s3.us-west-2.amazonaws.com" });
        assert.throws(() => replicationRolePolicy({ sourceBucketArn: SRC, destinationBucketArn: DST, sourceKmsKeyArn: "arn:aws:kms:us-east-1:111111111111:key/src" }), /Region/);
    });

    it("DR bucket policy: TLS-only, the replicate actions to exactly the role, versioning to the source account", () => {
        const doc = drBucketPolicy({ drBucketArn: DST, replicationRoleArn: ROLE, sourceAccountId: "111111111111" });
        assert.deepEqual(
            doc.Statement.filter((s) => s.Effect === "Deny").map((s) => s.Sid),
            ["DenyInsecureTransport", "DenyOutdatedTls"],
        );
        const allows = doc.Statement.filter((s) => s.Effect === "Allow");
        assert.deepEqual(allows.map((s) => s.Principal), [{ AWS: ROLE }, { AWS: "arn:aws:iam::111111111111:root" }]);
        assert.deepEqual(grants(allows), [
            `s3:GetBucketVersioning ${DST}`,
            `s3:PutBucketVersioning ${DST}`,
            `s3:ReplicateDelete ${DST}/*`,
            `s3:ReplicateObject ${DST}/*`,
            `s3:ReplicateTags ${DST}/*`,
        ]);
    });

    it("replica key-policy statement grants kms:Encrypt to the role only via S3 in the DR Region", () => {
        const s = replicaKeyPolicyStatement({ replicationRoleArn: ROLE, destinationRegion: "us-west-2", drBucketArn: DST });
        assert.deepEqual(s.Principal, { AWS: ROLE });
        assert.equal(s.Action, "kms:Encrypt");
        assert.deepEqual(s.Condition?.StringEquals, { "kms:ViaService": "s3.us-west-2.amazonaws.com" });
    });

    it("backfill role: trusted by S3 Batch Operations only; may initiate replication and write reports under its prefix", () => {
        assert.deepEqual(batchReplicationTrustPolicy("111111111111").Statement[0].Principal, { Service: "batchoperations.s3.amazonaws.com" });
        assert.deepEqual(grants(batchReplicationRolePolicy(SRC).Statement), [
            `s3:GetObject ${SRC}/replication-backfill/*`,
            `s3:GetObjectVersion ${SRC}/replication-backfill/*`,
            `s3:GetReplicationConfiguration ${SRC}`,
            `s3:InitiateReplication ${SRC}/*`,
            `s3:PutInventoryConfiguration ${SRC}`,
            `s3:PutObject ${SRC}/replication-backfill/*`,
        ]);
        assert.equal(backfillRoleName("microbiome-backup", "prod"), "microbiome-backup-prod-replication-backfill");
        assert.ok(backfillRoleName("p", "x".repeat(100)).length <= 64);
    });
});

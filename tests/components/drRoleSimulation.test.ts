/**
 * The DR account's deploy and preview roles (managed replication, prod): their policies are the
 * program's outputs (`drDeployRolePolicyJson`, `drPreviewRolePolicyJson`), the documented files in
 * docs/iam are equal to them, the call table covers every resource the DR provider declares, and
 * the IAM simulator (@cloud-copilot/iam-simulate) allows the deploy role every provider call on the
 * DR bucket and nothing on another bucket, and the preview role the reads only.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { actionsOf, DR_BUCKET_CALLS, drPreviewRolePolicy, REPLICA_KEY_GRANT_CALLS } from "../../components/replication/drRolePolicies";
import { selectDrProviderRole } from "../../config/replication";
import { DR_ROLE_DOCS } from "../../tools/record-dr-roles";
import type { PreviewDocument } from "../../tools/offline/render";
import { PROJECT_DIR, previewStack, previewVariant } from "../helpers/preview";

const DR_ACCOUNT = "222222222222";
const DR_BUCKET = "arn:aws:s3:::microbiome-backup-dr-222222222222";
const OTHER_BUCKET = "arn:aws:s3:::some-other-bucket-222222222222";
const TLS = { "aws:SecureTransport": "true", "s3:TlsVersion": "1.3" };

async function decide(principal: string, policy: unknown, action: string, resource: string): Promise<string> {
    const response = await runSimulation(
        {
            request: { principal, action, resource: { resource, accountId: DR_ACCOUNT }, contextVariables: TLS },
            identityPolicies: [{ name: "role-policy", policy }],
            serviceControlPolicies: [],
            resourceControlPolicies: [],
        },
        {},
    );
    if (response.resultType === "error") {
        assert.fail(`simulation error for ${action}: ${JSON.stringify(response.errors)}`);
    }
    return response.overallResult;
}

describe("DR deploy and preview roles (prod, managed replication)", () => {
    let doc: PreviewDocument;
    let deploy: unknown;
    let preview: unknown;
    before(() => {
        doc = previewStack("prod");
        deploy = JSON.parse(String(doc.outputs.drDeployRolePolicyJson));
        preview = JSON.parse(String(doc.outputs.drPreviewRolePolicyJson));
    });

    it("docs/iam/dr-deploy-role.json and dr-preview-role.json equal the program's outputs (regenerate: npm run iam:docs -- --stack prod)", () => {
        for (const [output, file] of Object.entries(DR_ROLE_DOCS)) {
            const text = fs.readFileSync(path.join(PROJECT_DIR, file), "utf8");
            assert.equal(text, `${String(doc.outputs[output])}\n`, `${file} is stale: npm run iam:docs -- --stack prod`);
        }
    });

    it("the call table covers every resource type the DR provider declares", () => {
        const provider = doc.steps.find((s) => s.newState.type === "pulumi:providers:aws" && s.urn.endsWith("::replication-dr"));
        assert.ok(provider, "the DR provider is declared");
        const providerRef = `${provider.urn}::`;
        const drTypes = new Set(doc.steps.filter((s) => s.newState.provider.startsWith(providerRef)).map((s) => s.newState.type));
        assert.ok(drTypes.size >= 6, `resources through the DR provider: ${[...drTypes].join(", ")}`);
        const covered = new Set([...DR_BUCKET_CALLS, ...REPLICA_KEY_GRANT_CALLS].map((c) => c.resourceType));
        for (const type of drTypes) {
            assert.ok(covered.has(type), `${type} is declared through the DR provider but components/replication/drRolePolicies.ts lists none of its calls`);
        }
    });

    it("includes the reads the issue found missing (lifecycle, encryption, replication, accelerate)", () => {
        for (const action of ["s3:GetLifecycleConfiguration", "s3:GetEncryptionConfiguration", "s3:GetReplicationConfiguration", "s3:GetAccelerateConfiguration"]) {
            assert.ok(actionsOf(DR_BUCKET_CALLS, ["read"]).includes(action), action);
        }
    });

    for (const c of DR_BUCKET_CALLS) {
        it(`${c.kind} ${c.operation} (${c.action}, ${c.resourceType.split(":").pop()} ${c.phase}): deploy role allowed on the DR bucket only; preview role ${c.kind === "read" ? "allowed" : "denied"}`, async () => {
            const deployRole = `arn:aws:iam::${DR_ACCOUNT}:role/microbiome-backup-dr-deploy`;
            const previewRole = `arn:aws:iam::${DR_ACCOUNT}:role/microbiome-backup-dr-preview`;
            assert.equal(await decide(deployRole, deploy, c.action, DR_BUCKET), "Allowed");
            assert.equal(await decide(deployRole, deploy, c.action, OTHER_BUCKET), "ImplicitlyDenied");
            assert.equal(await decide(previewRole, preview, c.action, DR_BUCKET), c.kind === "read" ? "Allowed" : "ImplicitlyDenied");
            assert.equal(await decide(previewRole, preview, c.action, OTHER_BUCKET), "ImplicitlyDenied");
        });
    }

    it("neither role may touch objects (no data access, no object deletes)", async () => {
        for (const [role, policy] of [
            [`arn:aws:iam::${DR_ACCOUNT}:role/microbiome-backup-dr-deploy`, deploy],
            [`arn:aws:iam::${DR_ACCOUNT}:role/microbiome-backup-dr-preview`, preview],
        ] as const) {
            for (const action of ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:BypassGovernanceRetention", "s3:PutObjectRetention"]) {
                assert.equal(await decide(role, policy, action, `${DR_BUCKET}/Analysis_2019/x`), "ImplicitlyDenied", `${role}: ${action}`);
            }
        }
    });

    it("the deploy role can do the DR bucket's whole life and the preview role every read (a list kept apart from the call table it is built from)", async () => {
        // The calls @pulumi/aws v7 makes to create, refresh and delete a versioned, Object-Locked,
        // encrypted, public-access-blocked bucket with a policy, ownership controls and a lifecycle.
        const lifecycle = {
            write: ["s3:CreateBucket", "s3:DeleteBucket", "s3:PutBucketTagging", "s3:PutBucketVersioning", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy", "s3:PutBucketPublicAccessBlock",
                "s3:PutBucketOwnershipControls", "s3:PutEncryptionConfiguration", "s3:PutLifecycleConfiguration", "s3:PutBucketObjectLockConfiguration"],
            read: ["s3:ListBucket", "s3:GetBucketTagging", "s3:GetBucketVersioning", "s3:GetBucketPolicy", "s3:GetBucketPublicAccessBlock", "s3:GetBucketOwnershipControls",
                "s3:GetEncryptionConfiguration", "s3:GetLifecycleConfiguration", "s3:GetBucketObjectLockConfiguration", "s3:GetBucketLocation"],
        };
        const deployRole = `arn:aws:iam::${DR_ACCOUNT}:role/microbiome-backup-dr-deploy`;
        const previewRole = `arn:aws:iam::${DR_ACCOUNT}:role/microbiome-backup-dr-preview`;
        for (const action of [...lifecycle.write, ...lifecycle.read]) {
            assert.equal(await decide(deployRole, deploy, action, DR_BUCKET), "Allowed", `deploy role: ${action}`);
        }
        for (const action of lifecycle.read) {
            assert.equal(await decide(previewRole, preview, action, DR_BUCKET), "Allowed", `preview role: ${action}`);
        }
        for (const action of lifecycle.write) {
            assert.equal(await decide(previewRole, preview, action, DR_BUCKET), "ImplicitlyDenied", `preview role: ${action}`);
        }
    });

    it("with a replica KMS key the preview role may only list the key's grants", () => {
        const key = "arn:aws:kms:us-west-2:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        const statements = drPreviewRolePolicy({ drBucketArn: DR_BUCKET, replicaKmsKeyArn: key }).Statement;
        assert.deepEqual(statements[1], { Sid: "ReadTheReplicaKeyGrants", Effect: "Allow", Action: ["kms:ListGrants"], Resource: key });
    });
});

describe("the DR provider's role (MICROBIOME_BACKUP_DR_ROLE)", () => {
    const managed = { deployRoleArn: "arn:aws:iam::222222222222:role/microbiome-backup-dr-deploy", previewRoleArn: "arn:aws:iam::222222222222:role/microbiome-backup-dr-preview" };

    it("defaults to the deploy role; preview selects the preview role during a preview", () => {
        assert.equal(selectDrProviderRole(managed, undefined, false).role?.roleArn, managed.deployRoleArn);
        assert.equal(selectDrProviderRole(managed, "deploy", true).role?.roleArn, managed.deployRoleArn);
        assert.deepEqual(selectDrProviderRole(managed, "preview", true).role, { mode: "preview", roleArn: managed.previewRoleArn, sessionName: "microbiome-backup-dr-preview" });
    });

    it("refuses preview without a preview role, in an update, and unknown values", () => {
        assert.match(selectDrProviderRole({ deployRoleArn: managed.deployRoleArn }, "preview", true).problems[0]?.message ?? "", /required when MICROBIOME_BACKUP_DR_ROLE=preview/);
        assert.match(selectDrProviderRole(managed, "preview", false).problems[0]?.message ?? "", /only in pulumi preview/);
        assert.match(selectDrProviderRole(managed, "admin", true).problems[0]?.message ?? "", /deploy \(default\) or preview/);
    });

    it("the prod program assumes the deploy role, and refuses the preview role outside a preview (exit 2, nothing declared)", () => {
        const provider = previewStack("prod").steps.find((s) => s.urn.endsWith("pulumi:providers:aws::replication-dr"));
        // Provider inputs reach the engine JSON-encoded (as `pulumi preview --json` shows them).
        const assumeRoles = (provider?.newState.inputs as { assumeRoles?: unknown }).assumeRoles;
        assert.deepEqual(typeof assumeRoles === "string" ? JSON.parse(assumeRoles) : assumeRoles, [{ roleArn: managed.deployRoleArn, sessionName: "microbiome-backup-dr-deploy" }]);
        const saved = process.env.MICROBIOME_BACKUP_DR_ROLE;
        process.env.MICROBIOME_BACKUP_DR_ROLE = "preview";
        try {
            // The offline preview evaluates the program as an update (mock runtime, not a dry run).
            const run = previewVariant("prod", () => undefined);
            assert.equal(run.status, 2, run.stderr);
            assert.match(run.stderr, /MICROBIOME_BACKUP_DR_ROLE \(environment variable\) = "preview": preview is read-only and allowed only in pulumi preview/);
        } finally {
            if (saved === undefined) delete process.env.MICROBIOME_BACKUP_DR_ROLE;
            else process.env.MICROBIOME_BACKUP_DR_ROLE = saved;
        }
    });
});

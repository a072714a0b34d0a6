/**
 * IAM simulation (@cloud-copilot/iam-simulate) of the replication role against the documents of
 * the real offline preview: the role can replicate into the DR bucket only because of the DR
 * bucket policy (a cross-account request needs the identity policy AND the resource policy), it
 * cannot delete in the source bucket, and only s3.amazonaws.com (for the source account) can assume it.
 */
import * as assert from "node:assert/strict";
import { runSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import type { ReplicationRuleInput } from "../../components/replication/rules";
import type { PreviewDocument } from "../../tools/offline/render";
import { onlyResource, previewStack, resourceNamed } from "../helpers/preview";

const SOURCE_ACCOUNT = "111111111111";
const DR_ACCOUNT = "222222222222";
/** Request context of an S3 request over TLS 1.3 (the buckets deny anything else). */
const TLS = { "aws:SecureTransport": "true", "s3:TlsVersion": "1.3" };
const ADMIN = { name: "admin", policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] } };

interface Documents {
    roleArn: string;
    rolePolicy: unknown;
    trustPolicy: unknown;
    sourceBucket: string;
    drBucket: string;
    drBucketPolicy: unknown;
}

/** The replication role's documents and the DR bucket policy, as the preview declares them. */
function documents(doc: PreviewDocument): Documents {
    const config = onlyResource(doc, "aws:s3/bucketReplicationConfig:BucketReplicationConfig").inputs as { bucket: string; role: string; rules: ReplicationRuleInput[] };
    const rolePolicy = resourceNamed(doc, "aws:iam/rolePolicy:RolePolicy", "replication-role-policy").inputs as { policy: string };
    const role = resourceNamed(doc, "aws:iam/role:Role", "replication-role").inputs as { assumeRolePolicy: string };
    const drBucketArn = config.rules[0].destination.bucket;
    const managedPolicy = doc.steps.find((s) => s.urn.endsWith("::replication-dr-policy"))?.newState.inputs as { policy: string } | undefined;
    return {
        roleArn: String(config.role),
        rolePolicy: JSON.parse(rolePolicy.policy) as unknown,
        trustPolicy: JSON.parse(role.assumeRolePolicy) as unknown,
        sourceBucket: `arn:aws:s3:::${config.bucket}`,
        drBucket: drBucketArn,
        // Managed mode: the policy declared on the DR bucket; external mode: the policy output for its owners.
        drBucketPolicy: JSON.parse(managedPolicy ? managedPolicy.policy : String(doc.outputs.drBucketPolicyJson)) as unknown,
    };
}

async function decide(simulation: Omit<Simulation, "serviceControlPolicies" | "resourceControlPolicies">): Promise<string> {
    const response = await runSimulation({ serviceControlPolicies: [], resourceControlPolicies: [], ...simulation }, {});
    if (response.resultType === "error") {
        assert.fail(`simulation error: ${JSON.stringify(response.errors)}`);
    }
    return response.overallResult;
}

/** The replication role calling `action` on `resource` in `account`. */
function asRole(d: Documents, action: string, resource: string, account: string, opts: { identity?: boolean; resourcePolicy?: unknown; context?: Record<string, string> } = {}) {
    return decide({
        request: { principal: d.roleArn, action, resource: { resource, accountId: account }, contextVariables: opts.context ?? TLS },
        identityPolicies: opts.identity === false ? [] : [{ name: "replication-role-policy", policy: d.rolePolicy }],
        ...(opts.resourcePolicy ? { resourcePolicy: opts.resourcePolicy } : {}),
    });
}

for (const stack of ["prod", "dev"]) {
    describe(`replication role under IAM simulation (${stack} preview)`, () => {
        let d: Documents;
        before(() => {
            d = documents(previewStack(stack));
        });

        for (const action of ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"]) {
            it(`${action} into the DR bucket: allowed with the DR bucket policy, denied without it`, async () => {
                const object = `${d.drBucket}/Analysis_2019/P123/sample.fastq.gz`;
                assert.equal(await asRole(d, action, object, DR_ACCOUNT, { resourcePolicy: d.drBucketPolicy }), "Allowed");
                assert.equal(await asRole(d, action, object, DR_ACCOUNT), "ImplicitlyDenied", "the identity policy alone must not suffice across accounts");
                assert.equal(await asRole(d, action, object, DR_ACCOUNT, { identity: false, resourcePolicy: d.drBucketPolicy }), "ImplicitlyDenied", "the bucket policy alone must not suffice either");
            });
        }

        it("replicating without TLS is explicitly denied by the DR bucket policy", async () => {
            const object = `${d.drBucket}/k`;
            assert.equal(await asRole(d, "s3:ReplicateObject", object, DR_ACCOUNT, { resourcePolicy: d.drBucketPolicy, context: { "aws:SecureTransport": "false" } }), "ExplicitlyDenied");
        });

        it("cannot read or delete anything in the DR bucket", async () => {
            for (const action of ["s3:GetObject", "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutBucketPolicy"]) {
                const resource = action === "s3:PutBucketPolicy" ? d.drBucket : `${d.drBucket}/k`;
                assert.equal(await asRole(d, action, resource, DR_ACCOUNT, { resourcePolicy: d.drBucketPolicy }), "ImplicitlyDenied", action);
            }
        });

        it("cannot delete (or write) in the source bucket", async () => {
            for (const action of ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutObject", "s3:PutLifecycleConfiguration", "s3:DeleteBucket"]) {
                const resource = ["s3:PutLifecycleConfiguration", "s3:DeleteBucket"].includes(action) ? d.sourceBucket : `${d.sourceBucket}/Analysis_2019/k`;
                assert.equal(await asRole(d, action, resource, SOURCE_ACCOUNT), "ImplicitlyDenied", action);
            }
        });

        it("can read source versions for replication", async () => {
            assert.equal(await asRole(d, "s3:GetObjectVersionForReplication", `${d.sourceBucket}/k`, SOURCE_ACCOUNT), "Allowed");
            assert.equal(await asRole(d, "s3:GetReplicationConfiguration", d.sourceBucket, SOURCE_ACCOUNT), "Allowed");
        });

        describe("trust policy", () => {
            const assume = (principal: string, context: Record<string, string>, identity: typeof ADMIN[] = []) =>
                decide({
                    request: { principal, action: "sts:AssumeRole", resource: { resource: d.roleArn, accountId: SOURCE_ACCOUNT }, contextVariables: context },
                    identityPolicies: identity,
                    resourcePolicy: d.trustPolicy,
                });

            it("s3.amazonaws.com acting for the source account can assume the role", async () => {
                assert.equal(await assume("s3.amazonaws.com", { "aws:SourceAccount": SOURCE_ACCOUNT }), "Allowed");
            });
            it("s3.amazonaws.com acting for another account cannot (confused deputy)", async () => {
                assert.equal(await assume("s3.amazonaws.com", { "aws:SourceAccount": "999999999999" }), "ImplicitlyDenied");
            });
            it("no other service, and no user of the account even with AdministratorAccess, can assume it", async () => {
                assert.equal(await assume("ec2.amazonaws.com", { "aws:SourceAccount": SOURCE_ACCOUNT }), "ImplicitlyDenied");
                assert.equal(await assume("batchoperations.s3.amazonaws.com", { "aws:SourceAccount": SOURCE_ACCOUNT }), "ImplicitlyDenied");
                assert.equal(await assume(`arn:aws:iam::${SOURCE_ACCOUNT}:user/admin`, {}, [ADMIN]), "ImplicitlyDenied");
            });
        });

        it("the source account may check (and set) the DR bucket's versioning, nothing else there", async () => {
            const admin = `arn:aws:iam::${SOURCE_ACCOUNT}:user/admin`;
            const call = (action: string, resource: string) =>
                decide({
                    request: { principal: admin, action, resource: { resource, accountId: DR_ACCOUNT }, contextVariables: TLS },
                    identityPolicies: [ADMIN],
                    resourcePolicy: d.drBucketPolicy,
                });
            assert.equal(await call("s3:GetBucketVersioning", d.drBucket), "Allowed");
            assert.equal(await call("s3:GetObject", `${d.drBucket}/k`), "ImplicitlyDenied");
            assert.equal(await call("s3:ReplicateObject", `${d.drBucket}/k`), "ImplicitlyDenied", "only the replication role may replicate");
        });
    });
}

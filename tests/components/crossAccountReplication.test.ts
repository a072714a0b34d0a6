/**
 * CrossAccountReplication under Pulumi mocks: the real program and stack files through the offline
 * preview (prod: managed mode; dev: external mode), plus temp stack files for the paths neither
 * committed stack takes (external before the destination is ready, SSE-KMS, disabled).
 */
import * as assert from "node:assert/strict";
import { drBucketPolicy } from "../../components/replication/policies";
import { checkReplicationVersioning, ReplicationRuleInput } from "../../components/replication/rules";
import type { LifecycleRuleInput } from "../../components/bucket/lifecycle";
import type { PreviewDocument } from "../../tools/offline/render";
import type { StepState } from "../../tools/offline/run";
import { onlyResource, previewStack, previewVariantDocument, resourceNamed, resourcesOfType } from "../helpers/preview";

const REPLICATION_CONFIG = "aws:s3/bucketReplicationConfig:BucketReplicationConfig";
const PROVIDER = "pulumi:providers:aws";

/** Inputs of the resources these tests read, as the preview records them. */
interface ReplicationConfigInputs {
    bucket: string;
    role: string;
    rules: ReplicationRuleInput[];
}
interface ProviderInputs {
    region: string;
    assumeRoles: string;
    allowedAccountIds: string;
}
interface PolicyInputs {
    policy: string;
}
interface SseInputs {
    rules: { applyServerSideEncryptionByDefault: { sseAlgorithm: string; kmsMasterKeyId?: string } }[];
}
interface AlarmInputs {
    namespace: string;
    metricName: string;
    dimensions: Record<string, string>;
    comparisonOperator: string;
    threshold: number;
    alarmActions: string[];
}
interface PolicyStatementJson {
    Action: string | string[];
    Resource: string | string[];
}

/** Runs the preview of a stack "variant" derived from Pulumi.dev.yaml with a replaced replication section. */
function previewWith(replication: unknown, bucketPatch: Record<string, unknown> = {}): PreviewDocument {
    return previewVariantDocument(
        "dev",
        (config) => {
            config["microbiome-backup:replication"] = replication;
            Object.assign(config["microbiome-backup:bucket"] as Record<string, unknown>, bucketPatch);
            // The default provider may act only in the main account (aws:allowedAccountIds must include it).
            const source = (replication as { sourceAccountId?: unknown } | undefined)?.sourceAccountId;
            if (typeof source === "string") config["aws:allowedAccountIds"] = [source];
        },
        { stackName: "variant" },
    );
}

/** A step's inputs, typed as the test expects them. */
function inputs<T = Record<string, unknown>>(r: StepState): T {
    return r.inputs as T;
}

/** The replication configuration's inputs. */
function configInputs(doc: PreviewDocument): ReplicationConfigInputs {
    return inputs<ReplicationConfigInputs>(onlyResource(doc, REPLICATION_CONFIG));
}

/** The provider URN a step's `provider` reference (`<urn>::<id>`) points to. */
function providerUrn(r: StepState): string {
    return r.provider.split("::").slice(0, -1).join("::");
}

describe("CrossAccountReplication", () => {
    describe("prod (managed mode)", () => {
        let doc: PreviewDocument;
        before(() => {
            doc = previewStack("prod");
        });

        it("declares the replication configuration: destination account, storage class, metrics, delete markers disabled", () => {
            const config = configInputs(doc);
            const rule = config.rules[0];
            assert.equal(config.bucket, "3bigsmicrobiome");
            assert.equal(rule.status, "Enabled");
            assert.deepEqual(rule.filter, { prefix: "" });
            assert.equal(rule.priority, 1);
            assert.deepEqual(rule.deleteMarkerReplication, { status: "Disabled" });
            assert.equal(rule.destination.account, "222222222222");
            assert.equal(rule.destination.bucket, "arn:aws:s3:::microbiome-backup-dr-222222222222");
            assert.equal(rule.destination.storageClass, "DEEP_ARCHIVE");
            assert.deepEqual(rule.destination.metrics, { status: "Enabled" });
            assert.equal(rule.destination.replicationTime, undefined, "RTC off in prod");
            assert.ok(!("accessControlTranslation" in rule.destination), "no owner override: the DR bucket is BucketOwnerEnforced");
        });

        it("orders the replication configuration after versioning on both buckets and after the DR bucket policy", () => {
            const config = onlyResource(doc, REPLICATION_CONFIG);
            const sourceVersioning = resourceNamed(doc, "aws:s3/bucketVersioning:BucketVersioning", "backup-versioning");
            const drVersioning = resourceNamed(doc, "aws:s3/bucketVersioning:BucketVersioning", "replication-dr-versioning");
            const drPolicy = resourceNamed(doc, "aws:s3/bucketPolicy:BucketPolicy", "replication-dr-policy");
            for (const dep of [sourceVersioning, drVersioning, drPolicy]) {
                assert.ok(config.dependencies.includes(dep.urn), `replication config does not depend on ${dep.urn}`);
            }
        });

        it("declares the role and its policy, and uses that role", () => {
            const role = resourceNamed(doc, "aws:iam/role:Role", "replication-role");
            const policy = resourceNamed(doc, "aws:iam/rolePolicy:RolePolicy", "replication-role-policy");
            assert.ok(policy.dependencies.includes(role.urn));
            const config = onlyResource(doc, REPLICATION_CONFIG);
            assert.ok(config.dependencies.includes(role.urn));
            assert.match(configInputs(doc).role, /^arn:aws:iam::111111111111:role\/replication-role-/);
        });

        it("declares the DR bucket and all its side resources through the second provider", () => {
            const provider = onlyResource(doc, PROVIDER);
            const p = inputs<ProviderInputs>(provider);
            assert.equal(p.region, "us-west-2");
            assert.deepEqual(JSON.parse(p.assumeRoles), [
                { roleArn: "arn:aws:iam::222222222222:role/microbiome-backup-dr-deploy", sessionName: "microbiome-backup-dr-deploy" },
            ]);
            assert.deepEqual(JSON.parse(p.allowedAccountIds), ["222222222222"]);
            const drSide = doc.steps.map((s) => s.newState).filter((s) => /::replication-dr(-[a-z-]+)?$/.test(s.urn) && s.custom && s.type !== PROVIDER);
            assert.deepEqual(
                drSide.map((s) => s.type.split(":").pop()).sort(),
                [
                    "Bucket",
                    "BucketLifecycleConfiguration",
                    "BucketObjectLockConfiguration",
                    "BucketOwnershipControls",
                    "BucketPolicy",
                    "BucketPublicAccessBlock",
                    "BucketServerSideEncryptionConfiguration",
                    "BucketVersioning",
                ],
            );
            for (const r of drSide) {
                assert.equal(providerUrn(r), provider.urn, `${r.urn} is not declared through the DR provider`);
            }
            for (const r of doc.steps.map((s) => s.newState).filter((s) => /::backup(-[a-z-]+)?$/.test(s.urn) && s.custom)) {
                assert.equal(r.provider, "", `${r.urn} (source side) must use the default provider`);
            }
        });

        it("hardens the DR bucket like the backup bucket and protects and retains it", () => {
            const bucket = resourceNamed(doc, "aws:s3/bucket:Bucket", "replication-dr");
            assert.equal(inputs(bucket).bucket, "microbiome-backup-dr-222222222222");
            assert.equal(inputs(bucket).objectLockEnabled, true);
            assert.equal(bucket.protect, true);
            assert.equal(bucket.retainOnDelete, true);
            const versioning = resourceNamed(doc, "aws:s3/bucketVersioning:BucketVersioning", "replication-dr-versioning");
            assert.equal(inputs<{ versioningConfiguration: { status: string } }>(versioning).versioningConfiguration.status, "Enabled");
            assert.equal(versioning.protect && versioning.retainOnDelete, true);
            assert.equal(
                inputs<{ rule: { objectOwnership: string } }>(resourceNamed(doc, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", "replication-dr-ownership")).rule.objectOwnership,
                "BucketOwnerEnforced",
            );
            const pab = inputs<Record<string, boolean>>(resourceNamed(doc, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "replication-dr-public-access-block"));
            assert.deepEqual([pab.blockPublicAcls, pab.blockPublicPolicy, pab.ignorePublicAcls, pab.restrictPublicBuckets], [true, true, true, true]);
            const sse = inputs<SseInputs>(resourceNamed(doc, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "replication-dr-encryption"));
            assert.equal(sse.rules[0].applyServerSideEncryptionByDefault.sseAlgorithm, "AES256");
            const lock = inputs<{ rule: { defaultRetention: unknown } }>(resourceNamed(doc, "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration", "replication-dr-object-lock"));
            assert.deepEqual(lock.rule.defaultRetention, { mode: "GOVERNANCE", days: 180 });
        });

        it("gives the DR bucket its own lifecycle: noncurrent versions expire, expired delete markers go, no current-version tiers", () => {
            const rules = inputs<{ rules: LifecycleRuleInput[] }>(resourceNamed(doc, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "replication-dr-lifecycle")).rules;
            assert.deepEqual(rules.map((r) => r.id), ["noncurrent-versions", "abort-incomplete-multipart-uploads", "expired-delete-markers"]);
            assert.equal(rules[0].noncurrentVersionExpiration?.noncurrentDays, 365);
            assert.deepEqual(rules[2].expiration, { expiredObjectDeleteMarker: true });
        });

        it("has the DR bucket policy as the pure builder makes it, naming exactly the declared role", () => {
            const policy: unknown = JSON.parse(inputs<PolicyInputs>(resourceNamed(doc, "aws:s3/bucketPolicy:BucketPolicy", "replication-dr-policy")).policy);
            assert.deepEqual(
                policy,
                drBucketPolicy({ drBucketArn: "arn:aws:s3:::microbiome-backup-dr-222222222222", replicationRoleArn: configInputs(doc).role, sourceAccountId: "111111111111" }),
            );
        });

        it("alarms on failed replication operations through the stack's alert topic with e-mail subscriptions", () => {
            // The sync host's alarms notify the same topic (components/monitoring/alerts.ts); this one is replication's.
            const alarm = resourceNamed(doc, "aws:cloudwatch/metricAlarm:MetricAlarm", "replication-failed-replication");
            const a = inputs<AlarmInputs>(alarm);
            assert.equal(a.namespace, "AWS/S3");
            assert.equal(a.metricName, "OperationsFailedReplication");
            assert.deepEqual(a.dimensions, { SourceBucket: "3bigsmicrobiome", DestinationBucket: "microbiome-backup-dr-222222222222", RuleId: "dr-replication" });
            assert.equal(a.comparisonOperator, "GreaterThanThreshold");
            assert.equal(a.threshold, 0);
            const topic = onlyResource(doc, "aws:sns/topic:Topic");
            assert.ok(alarm.dependencies.includes(topic.urn));
            const subs = resourcesOfType(doc, "aws:sns/topicSubscription:TopicSubscription").map((r) => inputs<{ protocol: string; endpoint: string; topic: string }>(r));
            assert.deepEqual(subs.map((s) => [s.protocol, s.endpoint]), [["email", "storage-oncall@example.com"]]);
            assert.deepEqual(a.alarmActions, [subs[0].topic]);
        });

        it("passes the replication-versioning check on the declared resources", () => {
            const versionings = resourcesOfType(doc, "aws:s3/bucketVersioning:BucketVersioning").map((v) => {
                const i = inputs<{ bucket: string; versioningConfiguration?: { status?: string } }>(v);
                return { bucket: i.bucket, status: i.versioningConfiguration?.status };
            });
            assert.deepEqual(checkReplicationVersioning(configInputs(doc).bucket, "microbiome-backup-dr-222222222222", versionings).errors, []);
        });

        it("declares the backfill role with its fixed name", () => {
            const role = inputs<{ name: string; assumeRolePolicy: string }>(resourceNamed(doc, "aws:iam/role:Role", "replication-backfill-role"));
            assert.equal(role.name, "microbiome-backup-prod-replication-backfill");
            const trust = JSON.parse(role.assumeRolePolicy) as { Statement: { Principal: unknown }[] };
            assert.deepEqual(trust.Statement[0].Principal, { Service: "batchoperations.s3.amazonaws.com" });
        });
    });

    describe("dev (external mode)", () => {
        let doc: PreviewDocument;
        before(() => {
            doc = previewStack("dev");
        });

        it("declares no second provider and no DR bucket", () => {
            assert.equal(resourcesOfType(doc, PROVIDER).length, 0);
            assert.equal(resourcesOfType(doc, "aws:s3/bucket:Bucket").length, 1);
        });

        it("declares the replication configuration with RTC, after the source versioning", () => {
            const config = onlyResource(doc, REPLICATION_CONFIG);
            const rule = configInputs(doc).rules[0];
            assert.deepEqual(rule.destination.replicationTime, { status: "Enabled", time: { minutes: 15 } });
            assert.deepEqual(rule.destination.metrics, { status: "Enabled", eventThreshold: { minutes: 15 } });
            assert.equal(rule.destination.storageClass, "GLACIER_IR");
            assert.ok(config.dependencies.includes(resourceNamed(doc, "aws:s3/bucketVersioning:BucketVersioning", "backup-versioning").urn));
        });

        it("outputs the exact bucket policy the DR bucket's owners must apply", () => {
            const output: unknown = JSON.parse(String(doc.outputs.drBucketPolicyJson));
            assert.deepEqual(
                output,
                drBucketPolicy({ drBucketArn: "arn:aws:s3:::microbiome-backup-dev-dr-222222222222", replicationRoleArn: configInputs(doc).role, sourceAccountId: "111111111111" }),
            );
        });
    });

    it("never manages S3 event notifications on the source bucket (FSx auto-import owns them)", () => {
        for (const stack of ["dev", "prod"]) {
            assert.equal(resourcesOfType(previewStack(stack), "aws:s3/bucketNotification:BucketNotification").length, 0, stack);
        }
    });

    describe("paths only temp stack files take", () => {
        const external = {
            enabled: true,
            mode: "external",
            sourceAccountId: "111111111111",
            destination: { account: "222222222222", bucket: "dr-bucket-222222222222", region: "us-west-2" },
            alarm: { emails: ["oncall@example.com"] },
        };

        it("external mode before destinationReady: role, alarm and policy output, but no replication configuration", () => {
            const doc = previewWith(external);
            assert.equal(resourcesOfType(doc, REPLICATION_CONFIG).length, 0);
            // the replication role and the backfill role (other components have roles of their own)
            assert.equal(resourcesOfType(doc, "aws:iam/role:Role").filter((r) => r.urn.includes("CrossAccountReplication$")).length, 2);
            // replication's alarm (the sync host's four alarms are components/monitoring/alerts.ts's)
            assert.equal(resourcesOfType(doc, "aws:cloudwatch/metricAlarm:MetricAlarm").filter((r) => r.urn.includes("CrossAccountReplication$")).length, 1);
            assert.equal((doc.outputs.replication as Record<string, unknown>).replicationActive, false);
            assert.equal((JSON.parse(String(doc.outputs.drBucketPolicyJson)) as { Statement: unknown[] }).Statement.length, 4);
            assert.ok(doc.diagnostics.some((d) => d.message.includes("microbiome-backup:replication.external.destinationReady")));
        });

        it("managed mode with SSE-KMS: opt-in, replica key, KMS grant through the DR provider, KMS-encrypted DR bucket", () => {
            const replicaKey = "arn:aws:kms:us-west-2:222222222222:key/abcd1234-12ab-34cd-56ef-1234567890ab";
            const sourceKey = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
            const doc = previewWith(
                {
                    ...external,
                    mode: "managed",
                    destination: { ...external.destination, replicaKmsKeyId: replicaKey },
                    managed: { deployRoleArn: "arn:aws:iam::222222222222:role/dr-deploy" },
                },
                { encryption: { sseAlgorithm: "aws:kms", kmsKeyArn: sourceKey } },
            );
            const rule = configInputs(doc).rules[0];
            assert.deepEqual(rule.sourceSelectionCriteria, { sseKmsEncryptedObjects: { status: "Enabled" } });
            assert.deepEqual(rule.destination.encryptionConfiguration, { replicaKmsKeyId: replicaKey });
            const grant = onlyResource(doc, "aws:kms/grant:Grant");
            assert.equal(inputs<{ keyId: string }>(grant).keyId, replicaKey);
            assert.deepEqual(inputs<{ operations: string[] }>(grant).operations, ["Encrypt"]);
            assert.equal(providerUrn(grant), onlyResource(doc, PROVIDER).urn);
            assert.ok(onlyResource(doc, REPLICATION_CONFIG).dependencies.includes(grant.urn));
            const drSse = inputs<SseInputs>(resourceNamed(doc, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "replication-dr-encryption"));
            assert.deepEqual(drSse.rules[0].applyServerSideEncryptionByDefault, { sseAlgorithm: "aws:kms", kmsMasterKeyId: replicaKey });
            const rolePolicy = JSON.parse(inputs<PolicyInputs>(resourceNamed(doc, "aws:iam/rolePolicy:RolePolicy", "replication-role-policy")).policy) as {
                Statement: PolicyStatementJson[];
            };
            assert.deepEqual(
                rolePolicy.Statement.filter((st) => String(st.Action).startsWith("kms:")).map((st) => [st.Action, st.Resource]),
                [
                    ["kms:Decrypt", sourceKey],
                    ["kms:Encrypt", replicaKey],
                ],
            );
            assert.equal(resourcesOfType(doc, "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration").length, 0, "no Object Lock unless configured");
        });

        it("external mode with SSE-KMS outputs the key-policy statement for the replica key", () => {
            const replicaKey = "arn:aws:kms:us-west-2:222222222222:key/abcd1234-12ab-34cd-56ef-1234567890ab";
            const doc = previewWith(
                { ...external, destination: { ...external.destination, replicaKmsKeyId: replicaKey }, external: { destinationReady: true } },
                { encryption: { sseAlgorithm: "aws:kms", kmsKeyArn: "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab" } },
            );
            const statement = JSON.parse(String(doc.outputs.replicaKeyPolicyStatementJson)) as PolicyStatementJson;
            assert.equal(statement.Action, "kms:Encrypt");
            assert.equal(resourcesOfType(doc, "aws:kms/grant:Grant").length, 0);
        });

        it("previews a real (non-placeholder) main account: the mocked caller is the configured sourceAccountId", () => {
            const doc = previewWith({ ...external, sourceAccountId: "333333333333", external: { destinationReady: true } });
            const trust = JSON.parse(inputs<{ assumeRolePolicy: string }>(resourceNamed(doc, "aws:iam/role:Role", "replication-role")).assumeRolePolicy) as {
                Statement: { Condition: unknown }[];
            };
            assert.deepEqual(trust.Statement[0].Condition, { StringEquals: { "aws:SourceAccount": "333333333333" } });
            assert.match(configInputs(doc).role, /^arn:aws:iam::333333333333:role\//);
        });

        it("declares nothing for replication when it is disabled", () => {
            const doc = previewWith({ enabled: false });
            assert.equal(resourcesOfType(doc, "microbiome-backup:replication:CrossAccountReplication").length, 0);
            assert.equal(doc.outputs.replication, undefined);
        });
    });
});

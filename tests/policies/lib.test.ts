/**
 * The pack's shared helpers (policy documents, wildcards, unknown values, resource links) and the
 * CLI-like harness behaviour the offline preview relies on (unknown values, not-applicable,
 * enforcement levels from the policy config).
 */
import * as assert from "node:assert/strict";
import type { StackValidationPolicy } from "@pulumi/policy";
import { actionMatches, isEveryonePrincipal, isFullWildcardAction, parsePolicyDocument, stackGuardrail, TYPES, UNKNOWN } from "../../policies/lib";
import { dataRepositoryAssociationFacts, lustreFileSystemFacts, lustrePersistent2Settings } from "../../policies/fsx";
import { dataRetainOnDelete, RETAIN_ON_DELETE_NOT_SENT } from "../../policies/protection";
import { lifecycleTiersValid, tlsOnlyBucketPolicy } from "../../policies/s3";
import { resourceValidationArgs, runPolicy } from "../../tools/offline/policyArgs";
import { bucketSet, check, lustreSet, res, UNKNOWN_MARKER, urn } from "../helpers/policyFixtures";

describe("policy helpers", () => {
    it("parses JSON and object documents, normalising single values to lists", () => {
        const text = parsePolicyDocument('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}');
        assert.equal(text.ok, true);
        if (text.ok === true) {
            assert.deepEqual(text.statements[0].actions, ["s3:GetObject"]);
            assert.deepEqual(text.statements[0].resources, ["arn:aws:s3:::b/*"]);
        }
        const obj = parsePolicyDocument({ Statement: [{ Effect: "Deny", NotAction: ["iam:*"], Resource: "*" }] });
        assert.equal(obj.ok === true && obj.statements[0].hasNotAction, true);
        assert.deepEqual(parsePolicyDocument("{oops").ok, false);
        assert.deepEqual(parsePolicyDocument(UNKNOWN), { ok: "unknown" });
    });

    it("recognises full wildcards only (IAM.1 / IAM.21)", () => {
        assert.equal(isFullWildcardAction("*"), true);
        assert.equal(isFullWildcardAction("s3:*"), true);
        assert.equal(isFullWildcardAction("s3:Get*"), false);
        assert.equal(isFullWildcardAction("s3:GetObject"), false);
    });

    it("matches IAM action patterns case-insensitively with * and ?", () => {
        assert.equal(actionMatches("s3:*Object", "s3:ReplicateObject"), true);
        assert.equal(actionMatches("S3:getobject", "s3:GetObject"), true);
        assert.equal(actionMatches("s3:PutObject", "s3:PutObjectAcl"), false);
        assert.equal(actionMatches("s3:Put?bject", "s3:PutObject"), true);
    });

    it("recognises everyone as a principal", () => {
        assert.equal(isEveryonePrincipal("*"), true);
        assert.equal(isEveryonePrincipal({ AWS: ["*"] }), true);
        assert.equal(isEveryonePrincipal({ AWS: "arn:aws:iam::111111111111:root" }), false);
        assert.equal(isEveryonePrincipal({ Service: "s3.amazonaws.com" }), false);
    });
});

describe("FSx adapters (resource inputs → components/fsx/rules.ts facts)", () => {
    it("reads the file system inputs the rules need, leaving out values of the wrong type", () => {
        const facts = lustreFileSystemFacts({
            deploymentType: "PERSISTENT_2",
            storageCapacity: 2400,
            perUnitStorageThroughput: "x",
            metadataConfiguration: { mode: "USER_PROVISIONED", iops: 3000 },
            logConfiguration: { level: "WARN_ERROR", destination: UNKNOWN },
            copyTagsToBackups: true,
            importPath: "s3://b",
        });
        assert.equal(facts.storageCapacity, 2400);
        assert.equal(facts.perUnitStorageThroughput, undefined);
        assert.deepEqual(facts.metadataConfiguration, { mode: "USER_PROVISIONED", iops: 3000 });
        assert.deepEqual(facts.logConfiguration, { level: "WARN_ERROR" });
        assert.equal(facts.copyTagsToBackups, true);
        assert.equal(facts.importPath, "s3://b");
    });

    it("runs under CrossGuard's proxy when inputs the rules do not read are unknown (log destination, security groups)", async () => {
        const fs = lustreSet({ fs: { logConfiguration: { level: "WARN_ERROR", destination: UNKNOWN_MARKER }, securityGroupIds: UNKNOWN_MARKER, kmsKeyId: UNKNOWN_MARKER } }).find(
            (r) => r.type === TYPES.lustreFileSystem,
        );
        assert.ok(fs);
        assert.deepEqual(await runPolicy(lustrePersistent2Settings, [fs]), []);
    });

    it("reports findings as path = value: message", async () => {
        const fs = lustreSet({ fs: { storageCapacity: 1800, metadataConfiguration: { mode: "USER_PROVISIONED", iops: 5000 } } }).find((r) => r.type === TYPES.lustreFileSystem);
        assert.ok(fs);
        const messages = (await runPolicy(lustrePersistent2Settings, [fs])).map((v) => v.message);
        assert.ok(messages.some((m) => /^storageCapacity = 1800: must be 1200 GiB or a multiple of 2400/.test(m)), messages.join("\n"));
        assert.ok(messages.some((m) => /^metadataConfiguration\.iops = 5000: metadata IOPS must be/.test(m)), messages.join("\n"));
    });

    it("reads an association's inputs, leaving out a data repository path not known yet", () => {
        const facts = dataRepositoryAssociationFacts({ dataRepositoryPath: UNKNOWN, s3: { autoImportPolicy: { events: ["NEW"] } }, deleteDataInFilesystem: false }, "/data");
        assert.deepEqual(facts, {
            fileSystemPath: "/data",
            dataRepositoryPath: undefined,
            importedFileChunkSize: undefined,
            batchImportMetaDataOnCreate: undefined,
            deleteDataInFilesystem: false,
            s3: { autoImportPolicy: { events: ["NEW"] }, autoExportPolicy: { events: [] } },
        });
    });
});

describe("policy harness (CLI-like arguments)", () => {
    it("hands props through CrossGuard's unknown-checking proxy: reading an unknown value reports 'can't run during preview' at advisory level", async () => {
        const lifecycle = res(TYPES.bucketLifecycle, "lc", { bucket: "b", rules: "[unknown]" });
        const violations = await runPolicy(lifecycleTiersValid, [lifecycle]);
        assert.equal(violations.length, 1);
        assert.equal(violations[0].enforcementLevel, "advisory");
        assert.match(violations[0].message, /can't run policy 's3-lifecycle-tiers-valid' during preview/);
        assert.equal(violations[0].urn, urn(TYPES.bucketLifecycle, "lc"));
    });

    it("lets stack policies read around unknown values (the bucket policy of a bucket not created yet)", async () => {
        assert.deepEqual(await check(tlsOnlyBucketPolicy, bucketSet({ link: "dependency" })), []);
    });

    it("builds resource options like the analyzer server, with retainOnDelete only when known", () => {
        const args = resourceValidationArgs(res(TYPES.bucket, "b", { bucket: "x" }, { protect: true, parent: "urn:parent" }), "p");
        assert.deepEqual(args.opts, {
            protect: true,
            ignoreChanges: [],
            aliases: [],
            customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
            additionalSecretOutputs: [],
            parent: "urn:parent",
        });
        assert.equal(args.isType({ __pulumiType: TYPES.bucket } as unknown as new () => never), true);
        assert.throws(() => args.notApplicable("why"));
    });

    it("reports data-retain-on-delete as not applicable when the engine does not send retainOnDelete", async () => {
        const bucket = res(TYPES.bucket, "b", { bucket: "x" });
        assert.deepEqual(await runPolicy(dataRetainOnDelete, [bucket]), []);
        assert.match(RETAIN_ON_DELETE_NOT_SENT, /does not send retainOnDelete/);
        // Sent and false on a protected bucket: a violation (an unprotected one may be deleted).
        assert.equal((await runPolicy(dataRetainOnDelete, [{ ...bucket, protect: true, retainOnDelete: false }])).length, 1);
        assert.equal((await runPolicy(dataRetainOnDelete, [{ ...bucket, protect: false, retainOnDelete: false }])).length, 0);
    });

    it("takes the enforcement level from the policy config (the exception mechanism) and skips disabled policies", async () => {
        const bad = bucketSet({ without: [TYPES.bucketPolicy] });
        const advisory = await check(tlsOnlyBucketPolicy, bad, { "s3-tls-only-bucket-policy": "advisory" });
        assert.equal(advisory[0].enforcementLevel, "advisory");
        const viaObject = await check(tlsOnlyBucketPolicy, bad, { "s3-tls-only-bucket-policy": { enforcementLevel: "advisory" } });
        assert.equal(viaObject[0].enforcementLevel, "advisory");
        assert.deepEqual(await check(tlsOnlyBucketPolicy, bad, { "s3-tls-only-bucket-policy": "disabled" }), []);
    });

    it("gives a stack violation without a resource the stack's URN", async () => {
        const policy: StackValidationPolicy = stackGuardrail(
            { name: "t", description: "test", severity: "low", controls: [], remediation: "none" },
            (_stack, _args, report) => report("stack-wide"),
        );
        const [v] = await check(policy, []);
        assert.match(v.urn, /pulumi:pulumi:Stack/);
    });
});

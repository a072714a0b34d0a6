/**
 * The pure policy builders (components/access/policies.ts) and IAM/S3 rules (components/access/iamRules.ts),
 * tested on their own.
 */
import { strict as assert } from "node:assert";
import {
    BUCKET_ACTIONS,
    BUCKET_ADMIN_ACTIONS,
    BucketScope,
    bucketAccessPolicy,
    checkLeastPrivilege,
    CONSOLE_BUCKET_LIST_ACTION,
    consoleMfaPolicy,
    forbiddenS3Actions,
    OBJECT_ACTIONS,
    permissionsBoundary,
    WITHOUT_MFA_ACTIONS,
} from "../../components/access/policies";
import { KMS_ACTIONS } from "../../components/common/policyDocument";
import { checkIamName, checkKeyPrefix, checkKeyPrefixes, checkUniqueUserNames, parentFolders } from "../../components/access/iamRules";
import type { PolicyDocument, PolicyStatement } from "../../components/common/policyDocument";

const BUCKET = "arn:aws:s3:::lab-bucket";
const KEY = "arn:aws:kms:eu-west-1:111111111111:key/abcd";

function scope(overrides: Partial<BucketScope> = {}): BucketScope {
    return { bucketArn: BUCKET, keyPrefixes: [], consoleBucketList: false, encryption: { sseAlgorithm: "AES256" }, region: "eu-west-1", ...overrides };
}

function actions(doc: PolicyDocument): string[] {
    return doc.Statement.flatMap((s) => [s.Action ?? []].flat());
}

function resources(s: PolicyStatement): string[] {
    return [s.Resource ?? []].flat();
}

/** Every combination of the scope switches. */
const SCOPES: BucketScope[] = [];
for (const keyPrefixes of [[], ["Analysis_"], ["Analysis_2024/P001/", "Shared/"]]) {
    for (const consoleBucketList of [false, true]) {
        for (const encryption of [{ sseAlgorithm: "AES256" as const }, { sseAlgorithm: "aws:kms" as const, kmsKeyArn: KEY }]) {
            SCOPES.push(scope({ keyPrefixes, consoleBucketList, encryption }));
        }
    }
}

describe("bucketAccessPolicy", () => {
    it("passes the least-privilege check for every combination of settings (no wildcard action, no forbidden S3 action)", () => {
        for (const s of SCOPES) {
            assert.deepEqual(checkLeastPrivilege(bucketAccessPolicy(s)).errors, [], JSON.stringify(s));
            assert.ok(!actions(bucketAccessPolicy(s)).includes("s3:DeleteObjectVersion"));
        }
    });

    it("grants exactly the bucket and object actions of the issue, on the bucket and its objects, over TLS", () => {
        const doc = bucketAccessPolicy(scope());
        assert.deepEqual(new Set(actions(doc)), new Set(["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads", ...OBJECT_ACTIONS]));
        for (const s of doc.Statement) {
            assert.equal(s.Effect, "Allow");
            assert.deepEqual(s.Condition?.Bool, { "aws:SecureTransport": "true" }, s.Sid);
            assert.ok(resources(s).every((r) => r === BUCKET || r === `${BUCKET}/*`), s.Sid);
        }
    });

    it("confines objects and listing to the key prefixes, listing parent folders only with the / delimiter", () => {
        const doc = bucketAccessPolicy(scope({ keyPrefixes: ["Analysis_2024/P001/", "Shared/"] }));
        const objects = doc.Statement.find((s) => s.Sid === "ObjectReadWriteRestore");
        assert.deepEqual(objects?.Resource, [`${BUCKET}/Analysis_2024/P001/*`, `${BUCKET}/Shared/*`]);
        const under = doc.Statement.find((s) => s.Sid === "ListUnderKeyPrefixes");
        assert.deepEqual(under?.Condition?.StringLike, { "s3:prefix": ["Analysis_2024/P001/*", "Shared/*"] });
        const folders = doc.Statement.find((s) => s.Sid === "ListFoldersAboveKeyPrefixes");
        assert.deepEqual(folders?.Condition?.StringEquals, { "s3:prefix": ["", "Analysis_2024/"], "s3:delimiter": "/" });
        assert.ok(!doc.Statement.some((s) => s.Action === "s3:ListBucket" && !s.Condition?.StringLike && !s.Condition?.StringEquals), "an unconditioned ListBucket remains");
    });

    it("adds s3:ListAllMyBuckets only with the console bucket list, KMS only for SSE-KMS (through S3, on the bucket key)", () => {
        assert.ok(!actions(bucketAccessPolicy(scope())).includes("s3:ListAllMyBuckets"));
        assert.ok(actions(bucketAccessPolicy(scope({ consoleBucketList: true }))).includes("s3:ListAllMyBuckets"));
        assert.ok(!actions(bucketAccessPolicy(scope())).some((a) => a.startsWith("kms:")));
        const kms = bucketAccessPolicy(scope({ encryption: { sseAlgorithm: "aws:kms", kmsKeyArn: KEY } })).Statement.find((s) => s.Sid === "BucketKeyThroughS3");
        assert.deepEqual(kms?.Action, ["kms:GenerateDataKey", "kms:Decrypt"]);
        assert.equal(kms?.Resource, KEY);
        assert.deepEqual(kms?.Condition, { StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } });
    });
});

describe("permissionsBoundary", () => {
    it("caps at the whole bucket (ignores prefixes), adds self-service only for console users", () => {
        const machine = permissionsBoundary(scope({ keyPrefixes: ["Analysis_"] }), { consoleSelfService: false });
        assert.ok(machine.Statement.some((s) => resources(s).includes(`${BUCKET}/*`)));
        assert.ok(!actions(machine).some((a) => a.startsWith("iam:")));
        const console = permissionsBoundary(scope(), { consoleSelfService: true, account: { accountId: "111111111111" } });
        assert.ok(actions(console).includes("iam:ChangePassword"));
        assert.ok(!actions(console).includes("iam:CreateAccessKey"));
        for (const s of SCOPES) {
            assert.deepEqual(checkLeastPrivilege(permissionsBoundary(s, { consoleSelfService: true, account: { accountId: "111111111111" } })).errors, []);
        }
    });

    it("throws when console self-service is asked for without the account", () => {
        assert.throws(() => permissionsBoundary(scope(), { consoleSelfService: true }), /needs the account/);
    });
});

describe("consoleMfaPolicy", () => {
    it("denies everything but self-service without MFA, and allows self-service on the person's own user only", () => {
        const doc = consoleMfaPolicy({ accountId: "111111111111", partition: "aws" });
        const deny = doc.Statement.find((s) => s.Effect === "Deny");
        assert.deepEqual(deny?.NotAction, [...WITHOUT_MFA_ACTIONS]);
        assert.equal(deny?.Resource, "*");
        assert.deepEqual(deny?.Condition, { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } });
        assert.ok(!WITHOUT_MFA_ACTIONS.includes("iam:DeactivateMFADevice" as never), "removing MFA must need MFA");
        const own = doc.Statement.find((s) => s.Sid === "SelfServiceOwnUser");
        assert.equal(own?.Resource, "arn:aws:iam::111111111111:user/${aws:username}");
        assert.deepEqual(checkLeastPrivilege(doc).errors, []);
    });
});

describe("checkLeastPrivilege", () => {
    it("reports wildcard actions, NotAction in an Allow and configuration or version-deletion actions", () => {
        const doc: PolicyDocument = {
            Version: "2012-10-17",
            Statement: [
                { Effect: "Allow", Action: ["s3:*", "s3:GetObject*", "s3:DeleteObjectVersion", "s3:PutBucketPolicy", "s3:PutObjectAcl", "s3:PutLifecycleConfiguration", "s3:PutBucketVersioning"], Resource: "*" },
                { Effect: "Allow", NotAction: "iam:*", Resource: "*" },
                { Effect: "Deny", Action: "*", Resource: "*" },
            ],
        };
        const messages = checkLeastPrivilege(doc).errors.map((e) => e.message);
        assert.equal(messages.length, 8, messages.join("\n"));
        assert.ok(messages.some((m) => m.startsWith("s3:*: wildcard")));
        assert.ok(messages.some((m) => m.startsWith("s3:DeleteObjectVersion:")));
        assert.ok(messages.some((m) => /NotAction/.test(m)));
    });

    it("compares action names case-insensitively and names what a wildcard would grant", () => {
        const doc: PolicyDocument = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["s3:putbucketpolicy", "s3:*Object"], Resource: "*" }] };
        const messages = checkLeastPrivilege(doc).errors.map((e) => e.message);
        assert.equal(messages.length, 2, messages.join("\n"));
        assert.match(messages[0], /^s3:putbucketpolicy: bucket identities never get/);
        assert.match(messages[1], /^s3:\*Object: wildcard actions are not allowed .*; it would grant s3:ReplicateObject$/);
    });
});

describe("forbiddenS3Actions", () => {
    it("refuses every bucket-administration action by name, as the wildcard list names them", () => {
        for (const action of BUCKET_ADMIN_ACTIONS) assert.deepEqual(forbiddenS3Actions(action), [action], action);
    });
    it("lets the bucket identities' own actions through, and other services", () => {
        for (const action of [...BUCKET_ACTIONS, ...OBJECT_ACTIONS, CONSOLE_BUCKET_LIST_ACTION, ...KMS_ACTIONS, "iam:ChangePassword"]) assert.deepEqual(forbiddenS3Actions(action), [], action);
    });
    it("lists the administration actions a pattern reaches", () => {
        assert.deepEqual(forbiddenS3Actions("s3:Replicate*"), ["s3:ReplicateObject", "s3:ReplicateDelete"]);
        assert.deepEqual(forbiddenS3Actions("s3:Get*"), []);
        assert.equal(forbiddenS3Actions("*").length, BUCKET_ADMIN_ACTIONS.length);
    });
});

describe("IAM and S3 key rules (components/access/iamRules.ts)", () => {
    it("checkIamName: 1–64 characters [\\w+=,.@-] for users, 128 for groups and policies", () => {
        for (const ok of ["a", "jane.doe@example.com", "lab_pc+1=x,y-z", "x".repeat(64)]) assert.deepEqual(checkIamName("user", ok).errors, [], ok);
        for (const bad of ["", "x".repeat(65), "jane doe", "ops/jane", "jäne", "a*b"]) assert.equal(checkIamName("user", bad).errors.length, 1, bad);
        assert.deepEqual(checkIamName("group", "g".repeat(128)).errors, []);
        assert.equal(checkIamName("policy", "p".repeat(129)).errors.length, 1);
        assert.match(checkIamName("group", "a b").errors[0].message, /CreateGroup GroupName/);
    });

    it("checkUniqueUserNames compares like IAM: case-insensitively", () => {
        assert.deepEqual(checkUniqueUserNames(["Jane", "bob", "JANE"]).errors.map((e) => e.path), [[2]]);
        assert.deepEqual(checkUniqueUserNames(["a", "b"]).errors, []);
    });

    it("checkKeyPrefix refuses what S3 or IAM would misread, and accepts ordinary prefixes", () => {
        for (const ok of ["Analysis_", "Analysis_2024/", "Projekt Ä/2024/", "a"]) assert.deepEqual(checkKeyPrefix(ok).errors, [], ok);
        for (const bad of ["", "/Analysis", "Analysis_*", "A?", "${aws:username}/", "a//b", "tab\there", "é".repeat(513)]) {
            assert.equal(checkKeyPrefix(bad).errors.length, 1, JSON.stringify(bad));
        }
    });

    it("checkKeyPrefixes reports repeats as errors and covered prefixes as warnings", () => {
        const r = checkKeyPrefixes(["Analysis_", "Analysis_2024/", "Shared/", "Shared/"]);
        assert.deepEqual(r.errors.map((e) => e.path), [[3]]);
        assert.deepEqual(r.warnings.map((w) => w.path), [[1]]);
    });

    it("parentFolders lists the folders to navigate through", () => {
        assert.deepEqual(parentFolders("Analysis_"), [""]);
        assert.deepEqual(parentFolders("Analysis_2024/"), [""]);
        assert.deepEqual(parentFolders("Analysis_2024/P001/"), ["", "Analysis_2024/"]);
        assert.deepEqual(parentFolders("a/b/c"), ["", "a/", "a/b/"]);
    });
});

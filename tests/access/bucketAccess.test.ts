/**
 * The BucketAccess component as the real program declares it (offline preview JSON of the
 * committed stacks and of temporary variants): group, policy, boundary, memberships, secrets,
 * no user policies, no secret in any output.
 */
import { strict as assert } from "node:assert";
import { checkLeastPrivilege } from "../../components/access/policies";
import type { PolicyDocument } from "../../components/common/policyDocument";
import type { StepState } from "../../tools/offline/run";
import { MOCK_ACCOUNT_ID } from "../../tools/offline/mocks";
import { accessTarget, resolveCases } from "../../tools/access/cases";
import { describeMismatches, loadStack, simulateTable, userPoliciesFromPreview } from "../helpers/accessPolicies";
import { onlyResource, previewStack, previewVariantDocument, resourceNamed, resourcesOfType, tempStackFile } from "../helpers/preview";

const T = {
    group: "aws:iam/group:Group",
    policy: "aws:iam/policy:Policy",
    attachment: "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
    membership: "aws:iam/groupMembership:GroupMembership",
    user: "aws:iam/user:User",
    login: "aws:iam/userLoginProfile:UserLoginProfile",
    key: "aws:iam/accessKey:AccessKey",
    secret: "aws:secretsmanager/secret:Secret",
    secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
};

function policyDoc(r: StepState): PolicyDocument {
    return JSON.parse(r.inputs.policy as string) as PolicyDocument;
}

/** Every string anywhere in a JSON value, with its key path. */
function* strings(value: unknown, at = ""): Generator<[string, string]> {
    if (typeof value === "string") {
        yield [at, value];
    } else if (Array.isArray(value)) {
        for (const [i, v] of value.entries()) yield* strings(v, `${at}[${i}]`);
    } else if (value !== null && typeof value === "object") {
        for (const [k, v] of Object.entries(value)) yield* strings(v, `${at}.${k}`);
    }
}

describe("BucketAccess in the prod preview", () => {
    const prod = () => previewStack("prod");

    it("declares the group with its bucket policy attached, and the console group with the MFA policy", () => {
        const doc = prod();
        const group = resourceNamed(doc, T.group, "access-group");
        const consoleGroup = resourceNamed(doc, T.group, "access-console-group");
        const groupPolicy = resourceNamed(doc, T.policy, "access-group-policy");
        const mfaPolicy = resourceNamed(doc, T.policy, "access-console-mfa-policy");
        const attachments = resourcesOfType(doc, T.attachment).map((a) => [a.inputs.group, a.inputs.policyArn]);
        assert.deepEqual(attachments.sort(), [
            [consoleGroup.inputs.name, `arn:aws:iam::${MOCK_ACCOUNT_ID}:policy/${String(mfaPolicy.inputs.name)}`],
            [group.inputs.name, `arn:aws:iam::${MOCK_ACCOUNT_ID}:policy/${String(groupPolicy.inputs.name)}`],
        ].sort());
        const statements = policyDoc(groupPolicy).Statement;
        assert.ok(statements.some((s) => s.Resource === "arn:aws:s3:::3bigsmicrobiome/*"), "group policy is not scoped to the prod bucket's objects");
        assert.deepEqual(checkLeastPrivilege(policyDoc(groupPolicy)).errors, []);
    });

    it("never attaches a policy to a user (Security Hub IAM.2)", () => {
        for (const type of ["aws:iam/userPolicy:UserPolicy", "aws:iam/userPolicyAttachment:UserPolicyAttachment", "aws:iam/policyAttachment:PolicyAttachment", "aws:iam/userPoliciesExclusive:UserPoliciesExclusive", "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive"]) {
            assert.equal(resourcesOfType(prod(), type).length, 0, type);
        }
    });

    it("puts a permissions boundary on every user; the machine's boundary has no IAM action", () => {
        const doc = prod();
        const users = resourcesOfType(doc, T.user);
        assert.equal(users.length, 2);
        const boundaries = new Map(resourcesOfType(doc, T.policy).map((p) => [`arn:aws:iam::${MOCK_ACCOUNT_ID}:policy/${String(p.inputs.name)}`, p]));
        for (const u of users) {
            const boundary = boundaries.get(u.inputs.permissionsBoundary as string);
            assert.ok(boundary, `${String(u.inputs.name)} has no declared boundary`);
            assert.deepEqual(checkLeastPrivilege(policyDoc(boundary)).errors, []);
        }
        const machine = resourceNamed(doc, T.user, "access-machine-user");
        const machineBoundary = policyDoc(boundaries.get(machine.inputs.permissionsBoundary as string) as StepState);
        assert.ok(machineBoundary.Statement.every((s) => [s.Action ?? []].flat().every((a) => !a.startsWith("iam:"))));
    });

    it("makes the machine user and the console user members of the bucket group, only the console user of the console group", () => {
        const doc = prod();
        const memberships = new Map(resourcesOfType(doc, T.membership).map((m) => [m.inputs.group, m.inputs.users]));
        assert.deepEqual(memberships.get("microbiome-backup-prod-bucket-access"), ["microbiome-backup-prod-lab-machine", "lab.manager@example.com"]);
        assert.deepEqual(memberships.get("microbiome-backup-prod-console-users"), ["lab.manager@example.com"]);
    });

    it("gives the console user a login profile that forces a password reset", () => {
        const login = onlyResource(prod(), T.login);
        assert.deepEqual(login.inputs, { passwordResetRequired: true, user: "lab.manager@example.com" });
    });

    it("keeps the access key's secret in a Secrets Manager secret, marked secret in the preview", () => {
        const doc = prod();
        const key = onlyResource(doc, T.key);
        assert.deepEqual(key.inputs, { status: "Active", user: "microbiome-backup-prod-lab-machine" });
        const secret = resourceNamed(doc, T.secret, "access-machine-key-a-secret");
        assert.equal(secret.inputs.name, "microbiome-backup-prod/machine/microbiome-backup-prod-lab-machine/access-key-a");
        const version = resourceNamed(doc, T.secretVersion, "access-machine-key-a-secret-value");
        assert.equal(version.inputs.secretString, "[secret]");
        assert.match(String(version.inputs.secretId), /^arn:aws:secretsmanager:us-east-1:111111111111:secret:microbiome-backup-prod\/machine\//);
    });

    it("exports the key id, the secret ARN and the commands — never a secret value", () => {
        const doc = prod();
        const access = doc.outputs.access as { accessKeys: Record<string, { accessKeyId: string; secretArn: string; fetchSecretCommand: string; configureProfileCommands: string[] }>; consoleUsers: Record<string, unknown>; consoleSignInUrl: string };
        const a = access.accessKeys.a;
        assert.match(a.accessKeyId, /^AKIA/);
        assert.match(a.secretArn, /^arn:aws:secretsmanager:/);
        assert.equal(a.fetchSecretCommand, `aws secretsmanager get-secret-value --region us-east-1 --secret-id ${a.secretArn} --query SecretString --output text`);
        assert.deepEqual(a.configureProfileCommands, [
            `aws configure set aws_access_key_id ${a.accessKeyId} --profile microbiome-backup-prod`,
            `aws configure set aws_secret_access_key "$(${a.fetchSecretCommand})" --profile microbiome-backup-prod`,
            "aws configure set region us-east-1 --profile microbiome-backup-prod",
        ]);
        assert.equal(access.consoleSignInUrl, `https://${MOCK_ACCOUNT_ID}.signin.aws.amazon.com/console`);
        for (const [at, value] of strings(doc.outputs)) {
            assert.ok(!value.includes("offline-preview-mock-secret") && !value.includes("offline-preview-mock-password"), `output ${at} carries a secret`);
            assert.doesNotMatch(at, /\.(secret|secretAccessKey|password)$/i, `output ${at} is named like a secret`);
        }
    });

    it("parents every access resource to the BucketAccess component", () => {
        const doc = prod();
        const component = onlyResource(doc, "microbiome-backup:access:BucketAccess");
        const own = doc.steps.filter((s) => s.urn.includes("microbiome-backup:access:BucketAccess$"));
        assert.ok(own.length >= 15);
        for (const s of own) assert.equal(s.newState.parent, component.urn, s.urn);
    });
});

describe("BucketAccess variants", () => {
    it("dev confines the group policy to the configured key prefix and lists all buckets for the console", () => {
        const doc = previewStack("dev");
        const statements = policyDoc(resourceNamed(doc, T.policy, "access-group-policy")).Statement;
        const objects = statements.find((s) => s.Sid === "ObjectReadWriteRestore");
        assert.deepEqual(objects?.Resource, ["arn:aws:s3:::microbiome-backup-dev-111111111111/Analysis_*"]);
        assert.ok(statements.some((s) => s.Action === "s3:ListAllMyBuckets"));
    });

    it("declares no access key and no machine secret when no slot is configured, and no console resources without console users", () => {
        const doc = previewVariantDocument("prod", (config) => {
            config["microbiome-backup:access"] = { machineUser: { enabled: true } };
        });
        for (const type of [T.key, T.secret, T.secretVersion, T.login]) {
            assert.equal(resourcesOfType(doc, type).length, 0, type);
        }
        assert.equal(resourcesOfType(doc, T.group).length, 1);
        assert.equal(resourcesOfType(doc, T.user).length, 1);
        assert.deepEqual((doc.outputs.access as { accessKeys: object }).accessKeys, {});
    });

    it("rotation: two slots give two keys, two secrets and two sets of commands", () => {
        const doc = previewVariantDocument("prod", (config) => {
            (config["microbiome-backup:access"] as { machineUser: { accessKeys: object } }).machineUser.accessKeys = { a: "Inactive", b: "Active" };
        });
        assert.deepEqual(resourcesOfType(doc, T.key).map((k) => k.inputs.status).sort(), ["Active", "Inactive"]);
        const keys = (doc.outputs.access as { accessKeys: Record<string, { status: string }> }).accessKeys;
        assert.deepEqual(Object.keys(keys).sort(), ["a", "b"]);
        assert.equal(keys.b.status, "Active");
        assert.equal(resourcesOfType(doc, T.secret).filter((s) => /\/access-key-[ab]$/.test(String(s.inputs.name))).length, 2);
    });

    it("warns in the preview while both slots are active (finish the rotation)", () => {
        const doc = previewVariantDocument("prod", (config) => {
            (config["microbiome-backup:access"] as { machineUser: { accessKeys: object } }).machineUser.accessKeys = { a: "Active", b: "Active" };
        });
        assert.ok(
            doc.diagnostics.some((d) => d.severity === "warning" && d.message.startsWith("microbiome-backup:access.machineUser.accessKeys = ") && /rotation is under way/.test(d.message)),
            JSON.stringify(doc.diagnostics),
        );
    });

    it("SSE-KMS: grants the bucket key through S3 only, and the whole case table holds", async () => {
        const kmsKeyArn = "arn:aws:kms:us-east-1:111111111111:key/0a1b2c3d-4e5f-6789-abcd-ef0123456789";
        const sseKms = (config: Record<string, unknown>) => {
            (config["microbiome-backup:bucket"] as { encryption: object }).encryption = { sseAlgorithm: "aws:kms", kmsKeyArn };
            // replication of an SSE-KMS bucket needs a replica key in the DR account (config/crossChecks.ts)
            const replication = config["microbiome-backup:replication"] as { destination: Record<string, unknown> };
            replication.destination.replicaKmsKeyId = "arn:aws:kms:us-west-2:222222222222:key/abcd1234-12ab-34cd-56ef-1234567890ab";
        };
        const doc = previewVariantDocument("prod", sseKms);
        const file = tempStackFile("prod", sseKms);
        const kms = policyDoc(resourceNamed(doc, T.policy, "access-group-policy")).Statement.find((s) => s.Sid === "BucketKeyThroughS3");
        assert.deepEqual(kms, {
            Sid: "BucketKeyThroughS3",
            Effect: "Allow",
            Action: ["kms:GenerateDataKey", "kms:Decrypt"],
            Resource: kmsKeyArn,
            Condition: { StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } },
        });
        const cases = resolveCases(accessTarget(loadStack("prod", file), MOCK_ACCOUNT_ID));
        assert.ok(cases.some((c) => c.id === "kms-decrypt-through-s3" && c.expected === "allowed"));
        const { mismatches } = await simulateTable(cases, userPoliciesFromPreview(doc));
        assert.deepEqual(mismatches, [], describeMismatches(mismatches));
    });
});

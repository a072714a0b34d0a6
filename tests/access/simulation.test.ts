/**
 * IAM policy simulation of the access case table (tools/access/cases.ts) against the policies the
 * real program renders in the offline preview of each committed stack: the group policies reached
 * through the users' group memberships and each user's permissions boundary — not copies of the
 * builders' output. Also proves the table would catch a builder that grants `s3:*` or
 * `s3:DeleteObjectVersion`, or drops the TLS condition.
 */
import { strict as assert } from "node:assert";
import type { PolicyDocument, PolicyStatement } from "../../components/common/policyDocument";
import { MOCK_ACCOUNT_ID } from "../../tools/offline/mocks";
import { ACCESS_CASES, accessTarget, ResolvedCase, resolveCases } from "../../tools/access/cases";
import { describeMismatches, loadStack, simulateCase, simulateTable, UserPolicies, userPoliciesFromPreview } from "../helpers/accessPolicies";
import { previewStack } from "../helpers/preview";

/** The users of a stack's preview, reconstructed once per stack. */
const usersCache = new Map<string, Map<string, UserPolicies>>();
function usersOf(stack: string): Map<string, UserPolicies> {
    let users = usersCache.get(stack);
    if (!users) {
        users = userPoliciesFromPreview(previewStack(stack));
        usersCache.set(stack, users);
    }
    return users;
}

/** The resolved table of a stack (from its validated configuration; cheap, no preview needed). */
function casesOf(stack: string): ResolvedCase[] {
    return resolveCases(accessTarget(loadStack(stack), MOCK_ACCOUNT_ID));
}

/** Applies `change` to every S3 Allow statement of a copy of `doc`. */
function mutateS3Allows(doc: PolicyDocument, change: (s: PolicyStatement) => PolicyStatement): PolicyDocument {
    const copy = JSON.parse(JSON.stringify(doc)) as PolicyDocument;
    copy.Statement = copy.Statement.map((s) => {
        const actions = s.Action === undefined ? [] : Array.isArray(s.Action) ? s.Action : [s.Action];
        return s.Effect === "Allow" && actions.some((a) => a.startsWith("s3:")) ? change(s) : s;
    });
    return copy;
}

/** Adds an action to every S3 Allow statement. */
function granting(action: string): (s: PolicyStatement) => PolicyStatement {
    return (s) => ({ ...s, Action: [...(Array.isArray(s.Action) ? s.Action : [s.Action ?? []].flat()), action] });
}

/** A user's policies with the same change applied to identity policies and boundary (as a builder change would). */
function mutateUsers(users: Map<string, UserPolicies>, change: (s: PolicyStatement) => PolicyStatement): Map<string, UserPolicies> {
    const out = new Map<string, UserPolicies>();
    for (const [name, u] of users) {
        out.set(name, {
            ...u,
            identityPolicies: u.identityPolicies.map((p) => ({ name: p.name, policy: mutateS3Allows(p.policy, change) })),
            ...(u.boundary ? { boundary: { name: u.boundary.name, policy: mutateS3Allows(u.boundary.policy, change) } } : {}),
        });
    }
    return out;
}

describe("access case table (tools/access/cases.ts)", () => {
    it("has at least 30 distinct cases, every one stating aws:SecureTransport (and MFA for console users)", () => {
        assert.ok(ACCESS_CASES.length >= 30, `only ${ACCESS_CASES.length} cases`);
        assert.equal(new Set(ACCESS_CASES.map((c) => c.id)).size, ACCESS_CASES.length, "case ids repeat");
        for (const c of ACCESS_CASES) {
            assert.equal(typeof c.secureTransport, "boolean", c.id);
            if (c.principal === "console") assert.equal(typeof c.mfa, "boolean", c.id);
        }
        for (const c of casesOf("prod")) {
            assert.ok(["true", "false"].includes(c.context["aws:SecureTransport"] as string), `${c.id} lacks aws:SecureTransport`);
        }
    });

    it("covers allowed S3 operations over TLS and denials of versions, configuration, other buckets, other services and plain HTTP", () => {
        const prod = casesOf("prod");
        const allowed = new Set(prod.filter((c) => c.expected === "allowed").map((c) => c.action));
        for (const action of ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads", "s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:RestoreObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"]) {
            assert.ok(allowed.has(action), `no allowed case for ${action}`);
        }
        const denied = prod.filter((c) => c.expected === "denied");
        for (const service of ["iam", "ec2", "elasticfilesystem", "fsx", "ssm", "sts"]) {
            assert.ok(denied.some((c) => c.action.startsWith(`${service}:`)), `no denied ${service} case`);
        }
        assert.ok(denied.some((c) => c.action === "s3:DeleteObjectVersion"));
        assert.ok(denied.some((c) => c.resource.includes("another-bucket")));
        assert.ok(denied.some((c) => c.context["aws:SecureTransport"] === "false" && c.action === "s3:GetObject"));
        assert.ok(prod.length >= 30, `prod resolves only ${prod.length} cases`);
    });
});

for (const stack of ["prod", "dev"]) {
    describe(`IAM simulation of the ${stack} preview's policies (iam-simulate)`, () => {
        it("simulates exactly the users the stack's access config names", () => {
            const target = accessTarget(loadStack(stack), MOCK_ACCOUNT_ID);
            const users = usersOf(stack);
            const expected = [...(target.machineUser ? [target.machineUser] : []), ...target.consoleUsers].sort();
            assert.deepEqual([...users.keys()].sort(), expected);
            for (const u of users.values()) {
                assert.ok(u.boundary, `${u.userName} has no permissions boundary`);
                assert.ok(u.identityPolicies.length > 0, `${u.userName} gets no policy through a group`);
            }
        });

        for (const c of casesOf(stack)) {
            it(`${c.id} (${c.principal}: ${c.action}, TLS ${String(c.context["aws:SecureTransport"])}${c.principal === "console" ? `, MFA ${String(c.context["aws:MultiFactorAuthPresent"])}` : ""}) → ${c.expected}`, async () => {
                const user = usersOf(stack).get(c.userName);
                assert.ok(user, `the ${stack} preview has no user ${c.userName}`);
                const outcome = await simulateCase(c, user);
                assert.equal(outcome.actual, c.expected, `${c.id}: ${c.why}; simulator said ${outcome.raw}`);
            });
        }
    });
}

describe("the case table catches over-broad policies (mutated prod documents)", () => {
    it("the unmodified prod policies match the whole table", async () => {
        const { mismatches } = await simulateTable(casesOf("prod"), usersOf("prod"));
        assert.deepEqual(mismatches, [], describeMismatches(mismatches));
    });

    it("a builder granting s3:* fails the table (versions, ACLs, bucket configuration)", async () => {
        const { mismatches } = await simulateTable(casesOf("prod"), mutateUsers(usersOf("prod"), granting("s3:*")));
        const ids = new Set(mismatches.map((m) => m.case.id));
        for (const id of ["delete-object-version", "put-object-acl", "put-bucket-policy", "put-lifecycle-configuration", "put-bucket-versioning", "delete-bucket", "console-delete-object-version"]) {
            assert.ok(ids.has(id), `s3:* was not caught by ${id}; mismatches:\n${describeMismatches(mismatches)}`);
        }
    });

    it("a builder granting s3:DeleteObjectVersion fails the table exactly at the version-deletion cases", async () => {
        const { mismatches } = await simulateTable(casesOf("prod"), mutateUsers(usersOf("prod"), granting("s3:DeleteObjectVersion")));
        assert.deepEqual([...new Set(mismatches.map((m) => m.case.id))].sort(), ["console-delete-object-version", "delete-object-version"]);
    });

    it("a builder dropping the TLS condition fails the table at the plain-HTTP cases", async () => {
        const noTls = (s: PolicyStatement): PolicyStatement => {
            const condition = { ...(s.Condition ?? {}) };
            delete condition.Bool;
            return { ...s, Condition: condition };
        };
        const { mismatches } = await simulateTable(casesOf("prod"), mutateUsers(usersOf("prod"), noTls));
        assert.ok(mismatches.length > 0);
        assert.ok(mismatches.every((m) => m.case.context["aws:SecureTransport"] === "false"), describeMismatches(mismatches));
        assert.ok(mismatches.some((m) => m.case.id === "get-object-without-tls"));
    });

    it("the boundary alone still caps a user whose group gets AdministratorAccess-like rights", async () => {
        const admin: PolicyDocument = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
        const users = new Map<string, UserPolicies>();
        for (const [name, u] of usersOf("prod")) {
            // Keep the console users' MFA deny (a separate group), replace the bucket policy by admin rights.
            const keep = u.identityPolicies.filter((p) => p.policy.Statement.some((s) => s.Effect === "Deny"));
            users.set(name, { ...u, identityPolicies: [{ name: "AdministratorAccess", policy: admin }, ...keep] });
        }
        const { mismatches } = await simulateTable(casesOf("prod"), users);
        assert.deepEqual(mismatches, [], describeMismatches(mismatches));
    });

    it("the identity policies alone are least-privilege (boundary replaced by allow-all)", async () => {
        const allowAll: PolicyDocument = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
        const users = new Map<string, UserPolicies>();
        for (const [name, u] of usersOf("prod")) {
            users.set(name, { ...u, boundary: { name: "allow-all", policy: allowAll } });
        }
        const { mismatches } = await simulateTable(casesOf("prod"), users);
        assert.deepEqual(mismatches, [], describeMismatches(mismatches));
    });
});

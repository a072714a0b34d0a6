/**
 * `npm run verify:access` (tools/access/verify.ts) with a mocked IAM client (aws-sdk-client-mock):
 * the request shape of SimulatePrincipalPolicy, Marker pagination, mismatch and error handling.
 * No credentials are needed: the mock stands in for IAM. The realistic fake answers every
 * SimulatePrincipalPolicy request with iam-simulate over the prod preview's rendered policies.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import {
    GetUserCommand,
    IAMClient,
    NoSuchEntityException,
    SimulatePrincipalPolicyCommand,
    SimulatePrincipalPolicyCommandInput,
    SimulatePrincipalPolicyCommandOutput,
} from "@aws-sdk/client-iam";
import { mockClient } from "aws-sdk-client-mock";
import { MOCK_ACCOUNT_ID } from "../../tools/offline/mocks";
import { accessTarget, ResolvedCase } from "../../tools/access/cases";
import { contextEntries, runVerify } from "../../tools/access/verify";
import { loadStack, simulateCase, UserPolicies, userPoliciesFromPreview } from "../helpers/accessPolicies";
import { previewStack, PROJECT_DIR, tempStackFile } from "../helpers/preview";

/** Renames the first console user of a stack config (the stack files name lab.manager@example.com there). */
function renameFirstConsoleUser(config: Record<string, unknown>, name: string): void {
    (config["microbiome-backup:access"] as { consoleUsers: { name: string }[] }).consoleUsers[0].name = name;
}

type EvalResult = NonNullable<SimulatePrincipalPolicyCommandOutput["EvaluationResults"]>[number];

/** Evaluates one SimulatePrincipalPolicy request like IAM would, with iam-simulate over the preview's policies. */
async function evaluate(input: SimulatePrincipalPolicyCommandInput, users: Map<string, UserPolicies>): Promise<EvalResult[]> {
    const userName = (input.PolicySourceArn ?? "").split(":user/")[1];
    const user = users.get(userName);
    if (!user) {
        throw new NoSuchEntityException({ message: `The user with name ${userName} cannot be found.`, $metadata: {} });
    }
    const context: Record<string, string | string[]> = {};
    for (const e of input.ContextEntries ?? []) {
        const values = e.ContextKeyValues ?? [];
        context[e.ContextKeyName ?? ""] = e.ContextKeyType?.endsWith("List") ? values : values[0];
    }
    const out: EvalResult[] = [];
    for (const action of input.ActionNames ?? []) {
        for (const resource of input.ResourceArns ?? ["*"]) {
            const c: ResolvedCase = {
                id: "fake",
                why: "",
                principal: user.kind,
                userName,
                userArn: input.PolicySourceArn ?? "",
                action,
                resource,
                context,
                expected: "denied",
            };
            const r = await simulateCase(c, user);
            out.push({ EvalActionName: action, EvalResourceName: resource, EvalDecision: r.raw === "Allowed" ? "allowed" : r.raw === "ExplicitlyDenied" ? "explicitDeny" : "implicitDeny" });
        }
    }
    return out;
}

/** Slices results into pages: the Marker is the offset of the next page. */
function page(all: EvalResult[], input: SimulatePrincipalPolicyCommandInput, size: number): SimulatePrincipalPolicyCommandOutput {
    const start = input.Marker ? Number(input.Marker) : 0;
    const end = start + size;
    const truncated = end < all.length;
    return { EvaluationResults: all.slice(start, end), IsTruncated: truncated, ...(truncated ? { Marker: String(end) } : {}), $metadata: {} };
}

interface Harness {
    client: IAMClient;
    /** Snapshots of every SimulatePrincipalPolicy input, taken when it was sent (the paginator reuses the object). */
    requests: SimulatePrincipalPolicyCommandInput[];
    out: string[];
    err: string[];
}

/**
 * A mocked IAM: GetUser answers the prod preview's users, SimulatePrincipalPolicy evaluates with
 * iam-simulate (optionally altered by `tamper`), paged by `pageSize`.
 */
function harness(options: { pageSize?: number; tamper?: (input: SimulatePrincipalPolicyCommandInput, results: EvalResult[]) => EvalResult[] } = {}): Harness {
    const users = userPoliciesFromPreview(previewStack("prod"));
    const client = new IAMClient({ region: "us-east-1", credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "test" } });
    const mock = mockClient(client);
    const requests: SimulatePrincipalPolicyCommandInput[] = [];
    mock.on(GetUserCommand).callsFake((input: { UserName: string }) => {
        if (!users.has(input.UserName)) {
            throw new NoSuchEntityException({ message: `The user with name ${input.UserName} cannot be found.`, $metadata: {} });
        }
        return { User: { UserName: input.UserName, Arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:user/${input.UserName}`, UserId: "AIDA", Path: "/", CreateDate: new Date() } };
    });
    mock.on(SimulatePrincipalPolicyCommand).callsFake(async (input: SimulatePrincipalPolicyCommandInput) => {
        requests.push(JSON.parse(JSON.stringify(input)) as SimulatePrincipalPolicyCommandInput);
        let results = await evaluate(input, users);
        if (options.tamper) results = options.tamper(input, results);
        return page(results, input, options.pageSize ?? 1000);
    });
    return { client, requests, out: [], err: [] };
}

async function verify(h: Harness, extra: { pageSize?: number; stack?: string; configFile?: string } = {}): Promise<number> {
    return runVerify({
        projectDir: PROJECT_DIR,
        stack: extra.stack ?? "prod",
        ...(extra.configFile ? { configFile: extra.configFile } : {}),
        client: h.client,
        ...(extra.pageSize ? { pageSize: extra.pageSize } : {}),
        out: (t) => void h.out.push(t),
        err: (t) => void h.err.push(t),
    });
}

describe("verify:access (tools/access/verify.ts, IAM mocked)", () => {
    it("encodes the context with IAM's key types: boolean for TLS and MFA, string and stringList otherwise", () => {
        assert.deepEqual(contextEntries({ "aws:SecureTransport": "false", "aws:MultiFactorAuthPresent": "true", "s3:prefix": "Analysis_/", "aws:x": ["a", "b"] }), [
            { ContextKeyName: "aws:SecureTransport", ContextKeyValues: ["false"], ContextKeyType: "boolean" },
            { ContextKeyName: "aws:MultiFactorAuthPresent", ContextKeyValues: ["true"], ContextKeyType: "boolean" },
            { ContextKeyName: "s3:prefix", ContextKeyValues: ["Analysis_/"], ContextKeyType: "string" },
            { ContextKeyName: "aws:x", ContextKeyValues: ["a", "b"], ContextKeyType: "stringList" },
        ]);
    });

    it("simulates every case against the deployed users' ARNs with explicit TLS (and MFA) context, exit 0 when all match", async () => {
        const h = harness();
        const code = await verify(h);
        assert.equal(code, 0, h.out.join("") + h.err.join(""));
        const target = accessTarget(loadStack("prod"), MOCK_ACCOUNT_ID);
        const arns = new Set([target.machineUser, ...target.consoleUsers].map((u) => `arn:aws:iam::${MOCK_ACCOUNT_ID}:user/${u}`));
        assert.ok(h.requests.length > 5);
        for (const req of h.requests) {
            assert.ok(arns.has(req.PolicySourceArn ?? ""), `unexpected PolicySourceArn ${req.PolicySourceArn}`);
            assert.equal(req.ResourceArns?.length, 1);
            assert.ok((req.ActionNames ?? []).length > 0);
            assert.equal(new Set(req.ActionNames).size, req.ActionNames?.length, "duplicate actions in one request");
            const tls = req.ContextEntries?.find((e) => e.ContextKeyName === "aws:SecureTransport");
            assert.ok(tls && tls.ContextKeyType === "boolean" && ["true", "false"].includes(tls.ContextKeyValues?.[0] ?? ""), "aws:SecureTransport missing");
            const user = req.ContextEntries?.find((e) => e.ContextKeyName === "aws:username");
            assert.equal(`arn:aws:iam::${MOCK_ACCOUNT_ID}:user/${user?.ContextKeyValues?.[0]}`, req.PolicySourceArn);
            const mfa = req.ContextEntries?.find((e) => e.ContextKeyName === "aws:MultiFactorAuthPresent");
            assert.equal(mfa !== undefined, (req.PolicySourceArn ?? "").endsWith(`/${target.consoleUsers[0]}`));
        }
        const report = h.out.join("");
        assert.match(report, /^case\s+user\s+action\s+resource/m);
        assert.match(report, /delete-object-version\s+microbiome-backup-prod-lab-machine\s+s3:DeleteObjectVersion/);
        assert.match(report, /cases, all as expected/);
        assert.doesNotMatch(report, /MISMATCH/);
    });

    it("follows Marker pagination to the last page (MaxItems from pageSize)", async () => {
        const h = harness({ pageSize: 2 });
        const code = await verify(h, { pageSize: 2 });
        assert.equal(code, 0, h.out.join("") + h.err.join(""));
        const continued = h.requests.filter((r) => r.Marker !== undefined);
        assert.ok(continued.length > 0, "no request continued with a Marker");
        assert.ok(h.requests.every((r) => r.MaxItems === 2));
        // Every Marker the fake returned was sent back: the pages of one batch follow each other.
        for (const r of continued) {
            assert.equal(Number(r.Marker) % 2, 0);
        }
        assert.doesNotMatch(h.out.join(""), /no result/);
    });

    it("reports a mismatch and exits 1 when IAM allows what the table denies", async () => {
        const h = harness({
            tamper: (_input, results) => results.map((r) => (r.EvalActionName === "s3:DeleteObjectVersion" ? { ...r, EvalDecision: "allowed" } : r)),
        });
        const code = await verify(h);
        assert.equal(code, 1);
        const report = h.out.join("");
        assert.match(report, /delete-object-version\s+\S+\s+s3:DeleteObjectVersion\s.*denied\s+allowed\s+MISMATCH/);
        assert.match(report, /MISMATCH\(ES\)/);
    });

    it("counts a case IAM did not answer (lost page) as a mismatch", async () => {
        const h = harness({ tamper: (_input, results) => results.filter((r) => r.EvalActionName !== "s3:RestoreObject") });
        const code = await verify(h);
        assert.equal(code, 1);
        assert.match(h.out.join(""), /restore-object\s+.*no result\s+MISMATCH/);
    });

    it("exits 3 with a hint when a user is not deployed (NoSuchEntity)", async () => {
        const file = tempStackFile("prod", (config) => renameFirstConsoleUser(config, "not.deployed@example.com"));
        const h = harness();
        const code = await verify(h, { configFile: file });
        assert.equal(code, 3);
        assert.match(h.err.join(""), /NoSuchEntity.*not\.deployed@example\.com.*is the stack deployed/);
    });

    it("exits 2 on an invalid stack configuration, before any AWS call", async () => {
        const file = tempStackFile("prod", (config) => renameFirstConsoleUser(config, "lab manager"));
        const h = harness();
        const code = await verify(h, { configFile: file });
        assert.equal(code, 2);
        assert.match(h.err.join(""), /microbiome-backup:access\.consoleUsers\[0\]\.name = "lab manager"/);
        assert.equal(h.requests.length, 0);
    });

    it("the CLI refuses a missing --stack with exit 2 and the usage (no credentials needed)", () => {
        const run = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(PROJECT_DIR, "tools", "verify-access.ts")], {
            cwd: PROJECT_DIR,
            encoding: "utf8",
            env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true" },
        });
        assert.equal(run.status, 2);
        assert.match(run.stderr, /--stack is required[\s\S]*usage: npm run verify:access -- --stack <name>/);
    });
});

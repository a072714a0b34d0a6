/**
 * Test helpers for the access identities: reconstructs, from an offline preview document, the
 * policies IAM would evaluate for each user the program declares (group policies through the
 * group memberships, and the user's permissions boundary), loads a committed stack's validated
 * configuration, and runs resolved access cases through `@cloud-copilot/iam-simulate`
 * (a devDependency: AGPL, never shipped in the program).
 */
import { runSimulation } from "@cloud-copilot/iam-simulate";
import type { StackConfig } from "../../config";
import type { PolicyDocument } from "../../components/common/policyDocument";
import { parseStackFiles } from "../../tools/offline/stackFiles";
import type { PreviewDocument } from "../../tools/offline/render";
import type { Decision, ResolvedCase } from "../../tools/access/cases";
import { PROJECT_DIR, resourcesOfType } from "./preview";

/** A named policy document. */
export interface NamedPolicy {
    readonly name: string;
    readonly policy: PolicyDocument;
}

/** What IAM evaluates for one user. */
export interface UserPolicies {
    readonly userName: string;
    /** `console` when the user has a login profile, else `machine`. */
    readonly kind: "machine" | "console";
    /** Identity policies reaching the user (through groups; user policies would be listed too). */
    readonly identityPolicies: NamedPolicy[];
    /** The permissions boundary, when set. */
    readonly boundary?: NamedPolicy;
}

function str(v: unknown, what: string): string {
    if (typeof v !== "string") {
        throw new Error(`${what} is not a resolved string in the preview: ${JSON.stringify(v)}`);
    }
    return v;
}

/**
 * Reconstructs every user's effective policy set from a preview: `aws:iam/policy:Policy` documents
 * (matched to ARNs by name), `GroupPolicyAttachment`s and inline `GroupPolicy`s per group,
 * `GroupMembership`s, user boundaries and login profiles. Also fails on any user policy.
 *
 * @param doc an offline preview document.
 * @returns the users by name.
 * @throws Error when an attached ARN matches no declared policy, or a user policy exists.
 */
export function userPoliciesFromPreview(doc: PreviewDocument): Map<string, UserPolicies> {
    const policies = resourcesOfType(doc, "aws:iam/policy:Policy").map((p) => ({
        name: str(p.inputs.name, "Policy name"),
        policy: JSON.parse(str(p.inputs.policy, "Policy document")) as PolicyDocument,
    }));
    const byArn = (arn: string): NamedPolicy => {
        const found = policies.filter((p) => arn.endsWith(`:policy/${p.name}`) || arn.endsWith(`/${p.name}`));
        if (found.length !== 1) {
            throw new Error(`policy ARN ${arn} matches ${found.length} declared policies`);
        }
        return found[0];
    };
    const groupPolicies = new Map<string, NamedPolicy[]>();
    const add = (group: string, p: NamedPolicy) => groupPolicies.set(group, [...(groupPolicies.get(group) ?? []), p]);
    for (const a of resourcesOfType(doc, "aws:iam/groupPolicyAttachment:GroupPolicyAttachment")) {
        add(str(a.inputs.group, "attachment group"), byArn(str(a.inputs.policyArn, "attachment policyArn")));
    }
    for (const g of resourcesOfType(doc, "aws:iam/groupPolicy:GroupPolicy")) {
        add(str(g.inputs.group, "GroupPolicy group"), { name: typeof g.inputs.name === "string" ? g.inputs.name : "inline", policy: JSON.parse(str(g.inputs.policy, "GroupPolicy policy")) as PolicyDocument });
    }
    for (const type of ["aws:iam/userPolicy:UserPolicy", "aws:iam/userPolicyAttachment:UserPolicyAttachment"]) {
        if (resourcesOfType(doc, type).length > 0) {
            throw new Error(`the preview declares ${type}: policies go on groups (Security Hub IAM.2)`);
        }
    }
    const groupsOf = new Map<string, string[]>();
    for (const m of resourcesOfType(doc, "aws:iam/groupMembership:GroupMembership")) {
        const group = str(m.inputs.group, "membership group");
        for (const u of (m.inputs.users as unknown[]) ?? []) {
            const user = str(u, "membership user");
            groupsOf.set(user, [...(groupsOf.get(user) ?? []), group]);
        }
    }
    const consoleUsers = new Set(resourcesOfType(doc, "aws:iam/userLoginProfile:UserLoginProfile").map((l) => str(l.inputs.user, "login profile user")));
    const users = new Map<string, UserPolicies>();
    for (const u of resourcesOfType(doc, "aws:iam/user:User")) {
        const userName = str(u.inputs.name, "user name");
        const boundaryArn = u.inputs.permissionsBoundary;
        users.set(userName, {
            userName,
            kind: consoleUsers.has(userName) ? "console" : "machine",
            identityPolicies: (groupsOf.get(userName) ?? []).flatMap((g) => groupPolicies.get(g) ?? []),
            ...(typeof boundaryArn === "string" ? { boundary: byArn(boundaryArn) } : {}),
        });
    }
    return users;
}

/** The validated configuration of a committed stack (or of a given stack file). */
export function loadStack(stack: string, configFile?: string): StackConfig {
    return parseStackFiles(PROJECT_DIR, stack, configFile).config;
}

/** Outcome of one simulated case. */
export interface SimulatedCase {
    readonly case: ResolvedCase;
    readonly actual: Decision;
    /** The simulator's own result: Allowed, ExplicitlyDenied or ImplicitlyDenied. */
    readonly raw: string;
}

/** The account in a resource ARN; S3 ARNs and `*` carry none: the caller's account (same-account bucket). */
function resourceAccount(resource: string, callerAccount: string): string {
    const account = resource.split(":")[4];
    return account !== undefined && /^\d{12}$/.test(account) ? account : callerAccount;
}

/**
 * AWS's default key policy (KMS Developer Guide "Default key policy": the account root may use the
 * key, i.e. IAM policies decide). KMS authorizes nothing without a key policy that allows it, so a
 * KMS case is simulated with this one; the bucket key's real policy is not managed by this stack.
 */
export function defaultKeyPolicy(accountId: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [{ Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: "kms:*", Resource: "*" }],
    };
}

/**
 * Simulates one resolved case for a user's policies with `@cloud-copilot/iam-simulate` (same
 * account, no SCP, no resource policy except KMS's default key policy for KMS actions — what IAM's
 * SimulatePrincipalPolicy evaluates for a user).
 *
 * @throws Error when the simulator rejects the request (unknown action, resource type mismatch,
 *   malformed policy): a broken case or policy must never pass silently.
 */
export async function simulateCase(c: ResolvedCase, user: UserPolicies): Promise<SimulatedCase> {
    const result = await runSimulation(
        {
            request: {
                principal: c.userArn,
                action: c.action,
                resource: { resource: c.resource, accountId: resourceAccount(c.resource, c.userArn.split(":")[4]) },
                contextVariables: { ...c.context },
            },
            identityPolicies: user.identityPolicies.map((p) => ({ name: p.name, policy: p.policy })),
            serviceControlPolicies: [],
            resourceControlPolicies: [],
            ...(c.action.startsWith("kms:") ? { resourcePolicy: defaultKeyPolicy(resourceAccount(c.resource, c.userArn.split(":")[4])) } : {}),
            ...(user.boundary ? { permissionBoundaryPolicies: [{ name: user.boundary.name, policy: user.boundary.policy }] } : {}),
        },
        { simulationMode: "Strict" },
    );
    if (result.resultType === "error") {
        throw new Error(`iam-simulate rejected case ${c.id} (${c.action} on ${c.resource}): ${JSON.stringify(result.errors)}`);
    }
    return { case: c, actual: result.overallResult === "Allowed" ? "allowed" : "denied", raw: result.overallResult };
}

/**
 * Runs resolved cases against users' policies.
 *
 * @returns every outcome, and the mismatches (actual ≠ expected).
 * @throws Error when a case names a user the policies do not have.
 */
export async function simulateTable(cases: readonly ResolvedCase[], users: ReadonlyMap<string, UserPolicies>): Promise<{ outcomes: SimulatedCase[]; mismatches: SimulatedCase[] }> {
    const outcomes: SimulatedCase[] = [];
    for (const c of cases) {
        const user = users.get(c.userName);
        if (!user) {
            throw new Error(`case ${c.id} runs as ${c.userName}, which the preview does not declare`);
        }
        outcomes.push(await simulateCase(c, user));
    }
    return { outcomes, mismatches: outcomes.filter((o) => o.actual !== o.case.expected) };
}

/** One line per mismatch, for assertion messages. */
export function describeMismatches(mismatches: readonly SimulatedCase[]): string {
    return mismatches.map((m) => `${m.case.id} as ${m.case.userName}: expected ${m.case.expected}, got ${m.raw}`).join("\n");
}

/**
 * The live access check behind `npm run verify:access -- --stack <name>`: runs the access case
 * table (tools/access/cases.ts) through IAM's `SimulatePrincipalPolicy` against the deployed users
 * — their group policies and permissions boundary as IAM stores them — prints a table and reports
 * mismatches. The AWS client is passed in, so tests use aws-sdk-client-mock and need no
 * credentials.
 *
 * API: IAM API Reference `SimulatePrincipalPolicy` (a user's simulation includes the policies of
 * its groups and its permissions boundary; results are paginated with `Marker`/`IsTruncated`) and
 * `GetUser`.
 */
import { ContextEntry, GetUserCommand, IAMClient, paginateSimulatePrincipalPolicy, SimulatePrincipalPolicyCommandInput } from "@aws-sdk/client-iam";
import { stackLoadFailure } from "../cli";
import { parseStackFiles } from "../offline/stackFiles";
import { ACCESS_CASES, accessTarget, AccessCase, Decision, ResolvedCase, resolveCases } from "./cases";

/** Context keys with a non-string type in `SimulatePrincipalPolicy` (`ContextKeyType`). */
const BOOLEAN_CONTEXT_KEYS: ReadonlySet<string> = new Set(["aws:SecureTransport", "aws:MultiFactorAuthPresent"]);

/** The outcome of one resolved case. */
export interface VerifyResult {
    readonly case: ResolvedCase;
    /** The decision IAM returned, absent when IAM returned no result for the case. */
    readonly actual?: Decision;
    /** IAM's own decision string (`allowed`, `explicitDeny`, `implicitDeny`) or `no result`. */
    readonly raw: string;
    /** actual === expected. */
    readonly ok: boolean;
}

/**
 * Encodes a request context as `SimulatePrincipalPolicy` ContextEntries: `boolean` for
 * `aws:SecureTransport` and `aws:MultiFactorAuthPresent`, `stringList` for lists, else `string`.
 */
export function contextEntries(context: Readonly<Record<string, string | string[]>>): ContextEntry[] {
    return Object.entries(context).map(([key, value]) => ({
        ContextKeyName: key,
        ContextKeyValues: Array.isArray(value) ? value : [value],
        ContextKeyType: BOOLEAN_CONTEXT_KEYS.has(key) ? "boolean" : Array.isArray(value) ? "stringList" : "string",
    }));
}

/** Cases that can share one request: same user, resource and context. */
interface Batch {
    readonly userArn: string;
    readonly resource: string;
    readonly context: Readonly<Record<string, string | string[]>>;
    readonly cases: ResolvedCase[];
}

function batches(cases: readonly ResolvedCase[]): Batch[] {
    const byKey = new Map<string, Batch>();
    for (const c of cases) {
        const key = JSON.stringify([c.userArn, c.resource, Object.entries(c.context).sort()]);
        const batch = byKey.get(key) ?? { userArn: c.userArn, resource: c.resource, context: c.context, cases: [] };
        batch.cases.push(c);
        byKey.set(key, batch);
    }
    return [...byKey.values()];
}

/**
 * Simulates resolved cases with `SimulatePrincipalPolicy`, one request per (user, resource,
 * context) with every action of those cases, following `Marker` pagination to the last page.
 *
 * @param client an IAM client (credentials of someone allowed iam:SimulatePrincipalPolicy).
 * @param cases resolved cases (with the deployed users' ARNs).
 * @param pageSize `MaxItems` per page (default: IAM's default of 100).
 * @returns one result per case, in the order given.
 * @throws whatever the IAM client throws (missing credentials, NoSuchEntity, throttling).
 */
export async function simulateCases(client: IAMClient, cases: readonly ResolvedCase[], pageSize?: number): Promise<VerifyResult[]> {
    const results = new Map<ResolvedCase, VerifyResult>();
    for (const batch of batches(cases)) {
        const input: SimulatePrincipalPolicyCommandInput = {
            PolicySourceArn: batch.userArn,
            ActionNames: [...new Set(batch.cases.map((c) => c.action))],
            ResourceArns: [batch.resource],
            ContextEntries: contextEntries(batch.context),
        };
        const decisions = new Map<string, string>();
        for await (const page of paginateSimulatePrincipalPolicy({ client, ...(pageSize ? { pageSize } : {}) }, input)) {
            for (const r of page.EvaluationResults ?? []) {
                if (r.EvalActionName && r.EvalDecision) {
                    decisions.set(r.EvalActionName.toLowerCase(), r.EvalDecision);
                }
            }
        }
        for (const c of batch.cases) {
            const raw = decisions.get(c.action.toLowerCase());
            const actual: Decision | undefined = raw === undefined ? undefined : raw === "allowed" ? "allowed" : "denied";
            results.set(c, { case: c, raw: raw ?? "no result", ok: actual === c.expected, ...(actual ? { actual } : {}) });
        }
    }
    return cases.map((c) => results.get(c) as VerifyResult);
}

/**
 * Renders results as a fixed-width table: case, user, action, resource, TLS/MFA, expected, IAM's
 * decision and OK / MISMATCH, then a summary line.
 */
export function renderTable(results: readonly VerifyResult[]): string {
    const rows = results.map((r) => [
        r.case.id,
        r.case.userName,
        r.case.action,
        r.case.resource,
        `tls=${String(r.case.context["aws:SecureTransport"])}${r.case.principal === "console" ? ` mfa=${String(r.case.context["aws:MultiFactorAuthPresent"])}` : ""}`,
        r.case.expected,
        r.raw,
        r.ok ? "OK" : "MISMATCH",
    ]);
    const header = ["case", "user", "action", "resource", "context", "expected", "IAM", "result"];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
    const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i])).join("  ").trimEnd();
    const failed = results.filter((r) => !r.ok).length;
    return [
        line(header),
        line(widths.map((w) => "-".repeat(w))),
        ...rows.map(line),
        "",
        failed === 0 ? `${results.length} cases, all as expected` : `${results.length} cases, ${failed} MISMATCH(ES)`,
    ].join("\n");
}

/** Options of {@link runVerify}. */
export interface VerifyOptions {
    /** Project folder (Pulumi.yaml, stack files). */
    readonly projectDir: string;
    /** Stack whose configuration names the users, bucket and settings. */
    readonly stack: string;
    /** Stack file to use instead of `Pulumi.<stack>.yaml`. */
    readonly configFile?: string;
    /** IAM client; default a new `IAMClient` for the stack's Region (standard credential chain). */
    readonly client?: IAMClient;
    /** Page size for SimulatePrincipalPolicy (tests). */
    readonly pageSize?: number;
    /** The case table (default {@link ACCESS_CASES}). */
    readonly cases?: readonly AccessCase[];
    /** Where to write the report (default stdout). */
    readonly out?: (text: string) => void;
    /** Where to write errors (default stderr). */
    readonly err?: (text: string) => void;
}

/**
 * Runs the live check for a stack.
 *
 * @returns the exit code: 0 every case as expected; 1 at least one mismatch (or a case IAM did not
 *   answer); 2 the stack configuration is invalid or unreadable; 3 an AWS call failed (no
 *   credentials, a user not deployed, …).
 */
export async function runVerify(options: VerifyOptions): Promise<number> {
    const out = options.out ?? ((t: string) => void process.stdout.write(t));
    const err = options.err ?? ((t: string) => void process.stderr.write(t));
    let target;
    let userNames: string[];
    let region: string;
    try {
        const { config } = parseStackFiles(options.projectDir, options.stack, options.configFile);
        region = config.region;
        target = accessTarget(config, "000000000000");
        userNames = [...(target.machineUser !== undefined ? [target.machineUser] : []), ...target.consoleUsers];
    } catch (e) {
        const failure = stackLoadFailure(e, options.stack);
        if (failure === undefined) {
            throw e;
        }
        err(failure);
        return 2;
    }
    if (userNames.length === 0) {
        err(`error: stack "${options.stack}" declares no machine user and no console users: nothing to verify\n`);
        return 2;
    }
    const client = options.client ?? new IAMClient({ region });
    try {
        const arns: Record<string, string> = {};
        for (const userName of userNames) {
            const user = await client.send(new GetUserCommand({ UserName: userName }));
            if (!user.User?.Arn) {
                throw new Error(`IAM GetUser returned no ARN for ${userName}`);
            }
            arns[userName] = user.User.Arn;
        }
        const accountId = arns[userNames[0]].split(":")[4];
        const cases = resolveCases({ ...target, accountId }, options.cases ?? ACCESS_CASES, arns);
        out(`Verifying ${cases.length} access cases for stack "${options.stack}" (account ${accountId}, users ${userNames.join(", ")}) with IAM SimulatePrincipalPolicy\n\n`);
        const results = await simulateCases(client, cases, options.pageSize);
        out(`${renderTable(results)}\n`);
        return results.every((r) => r.ok) ? 0 : 1;
    } catch (e) {
        const name = (e as Error).name;
        const hint = name === "NoSuchEntityException" || name === "NoSuchEntity" ? " (is the stack deployed? run pulumi up first)" : name === "CredentialsProviderError" ? " (set AWS credentials, e.g. AWS_PROFILE)" : "";
        err(`error: ${name}: ${(e as Error).message}${hint}\n`);
        return 3;
    }
}

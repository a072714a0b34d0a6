/**
 * Bucket-policy statements every bucket of this stack carries (backup bucket and DR bucket).
 *
 * Source: S3 User Guide "Enforce encryption in transit" (aws:SecureTransport) and "Enforcing a
 * minimum version of TLS" (s3:TlsVersion); Security Hub control S3.5.
 *
 * The builder and the check of the same rule live here together: the policy pack's
 * `s3-tls-only-bucket-policy` runs {@link missingTlsOnlyCoverage} on every bucket policy of the stack.
 */
import { actionMatches, isEveryonePrincipal, PolicyStatement } from "../common/policyDocument";

/** Oldest TLS version a request to our buckets may use. */
export const MINIMUM_TLS_VERSION = "1.2";

/**
 * Statements that deny every S3 action on the bucket and its objects to everyone when the request
 * is not sent over TLS (`aws:SecureTransport` false) or uses TLS older than 1.2.
 *
 * @param bucketArn the bucket's ARN, `arn:aws:s3:::<name>`.
 * @returns two Deny statements, `DenyInsecureTransport` and `DenyOutdatedTls`.
 */
export function tlsOnlyStatements(bucketArn: string): PolicyStatement[] {
    const resources = tlsOnlyResources(bucketArn);
    return [
        {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: resources,
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
        {
            Sid: "DenyOutdatedTls",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: resources,
            Condition: { NumericLessThan: { "s3:TlsVersion": MINIMUM_TLS_VERSION } },
        },
    ];
}

/** What a TLS-only bucket policy must cover: the bucket and its objects. */
export function tlsOnlyResources(bucketArn: string): string[] {
    return [bucketArn, `${bucketArn}/*`];
}

function asList(v: unknown): unknown[] {
    return v === undefined || v === null ? [] : Array.isArray(v) ? (v as unknown[]) : [v];
}

/**
 * True when a statement refuses plain-HTTP requests the way `DenyInsecureTransport` of
 * {@link tlsOnlyStatements} does (Security Hub S3.5): a Deny, to everyone, of every S3 action
 * (`s3:*` or `*`), when `aws:SecureTransport` is false (`Bool` or `BoolIfExists`; `false` or `"false"`).
 */
export function deniesInsecureTransport(statement: PolicyStatement): boolean {
    const condition = (statement.Condition ?? {}) as Record<string, Record<string, unknown> | undefined>;
    return (
        statement.Effect === "Deny" &&
        isEveryonePrincipal(statement.Principal) &&
        asList(statement.Action).some((a) => a === "*" || (typeof a === "string" && a.toLowerCase() === "s3:*")) &&
        ["Bool", "BoolIfExists"].some((op) => asList(condition[op]?.["aws:SecureTransport"]).some((v) => v === false || (typeof v === "string" && v.toLowerCase() === "false")))
    );
}

/** The `Resource` patterns of the statements that deny insecure transport ({@link deniesInsecureTransport}). */
export function insecureTransportDenyResources(statements: readonly PolicyStatement[]): string[] {
    return statements
        .filter(deniesInsecureTransport)
        .flatMap((s) => asList(s.Resource))
        .filter((r): r is string => typeof r === "string");
}

/**
 * The resources of {@link tlsOnlyResources} that no insecure-transport deny among `statements`
 * covers (a `Resource` pattern with wildcards covers what it matches).
 *
 * @param bucketArn the bucket's ARN.
 * @param statements the bucket policy's statements.
 * @returns `[]` when the policy is TLS-only for the bucket and its objects.
 */
export function missingTlsOnlyCoverage(bucketArn: string, statements: readonly PolicyStatement[]): string[] {
    const covered = insecureTransportDenyResources(statements);
    return tlsOnlyResources(bucketArn).filter((target) => !covered.some((pattern) => pattern === target || actionMatches(pattern, target)));
}

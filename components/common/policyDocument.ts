/**
 * Plain IAM policy document types, for the pure policy builders of every component, and the two
 * IAM matching rules the builders' checks and the policy pack share (wildcard patterns, "everyone"
 * principals). Documents are JSON-serialisable values (ARNs as resolved strings), so they can be
 * unit-tested and fed to an IAM policy simulator as they are.
 *
 * Source: IAM User Guide "IAM JSON policy elements: Action" (wildcards `*` and `?`; action names are
 * not case sensitive) and "Principal" (`"*"` and `{"AWS": "*"}` mean everyone).
 */

/** An IAM condition block: operator → condition key → value(s). */
export type PolicyCondition = Record<string, Record<string, string | string[] | boolean>>;

/** A principal: `"*"`, or a map such as `{ AWS: "arn:…" }` or `{ Service: "s3.amazonaws.com" }`. */
export type PolicyPrincipal = "*" | Record<string, string | string[]>;

/** One statement of an IAM policy document. */
export interface PolicyStatement {
    Sid?: string;
    Effect: "Allow" | "Deny";
    Principal?: PolicyPrincipal;
    NotPrincipal?: PolicyPrincipal;
    Action?: string | string[];
    NotAction?: string | string[];
    Resource?: string | string[];
    NotResource?: string | string[];
    Condition?: PolicyCondition;
}

/** An IAM policy document (identity or resource policy), version 2012-10-17. */
export interface PolicyDocument {
    Version: "2012-10-17";
    Statement: PolicyStatement[];
}

/**
 * The KMS actions S3 needs on an SSE-KMS bucket's key for a caller's uploads and downloads
 * (GenerateDataKey for PutObject and each multipart part, Decrypt for GetObject and for completing
 * a multipart upload): S3 User Guide "Protecting data with SSE-KMS", "Permissions for SSE-KMS".
 */
export const KMS_ACTIONS = ["kms:GenerateDataKey", "kms:Decrypt"] as const;

/**
 * The statement that lets an identity use an SSE-KMS bucket's key only through S3 in the bucket's
 * Region (`kms:ViaService` `s3.<region>.amazonaws.com`), never directly. No `aws:SecureTransport`
 * condition: S3 calls KMS on the caller's behalf (the S3 request itself requires TLS).
 *
 * @param sid the statement id.
 * @param kmsKeyArn the bucket's customer managed key.
 * @param region the bucket's Region.
 */
export function bucketKeyThroughS3(sid: string, kmsKeyArn: string, region: string): PolicyStatement {
    return { Sid: sid, Effect: "Allow", Action: [...KMS_ACTIONS], Resource: kmsKeyArn, Condition: { StringEquals: { "kms:ViaService": `s3.${region}.amazonaws.com` } } };
}

/** Wraps statements in a version 2012-10-17 policy document. */
export function policyDocument(statements: PolicyStatement[]): PolicyDocument {
    return { Version: "2012-10-17", Statement: statements };
}

/**
 * True when an IAM pattern (with `*` and `?` wildcards, case-insensitive as IAM matches action
 * names) matches `value` — an action name, or an ARN for `Resource` patterns.
 */
export function actionMatches(pattern: string, value: string): boolean {
    const re = new RegExp(
        `^${pattern
            .split("")
            .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
            .join("")}$`,
        "i",
    );
    return re.test(value);
}

/** True when the principal is everyone: `"*"`, `{AWS: "*"}` or `{AWS: ["*"]}`. */
export function isEveryonePrincipal(principal: unknown): boolean {
    if (principal === "*") {
        return true;
    }
    if (principal === null || typeof principal !== "object" || Array.isArray(principal)) {
        return false;
    }
    const aws = (principal as Record<string, unknown>).AWS;
    return aws === "*" || (Array.isArray(aws) && aws.includes("*"));
}

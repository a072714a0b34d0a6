/**
 * Plain IAM policy document types, for the pure policy builders of every component. Documents are
 * JSON-serialisable values (ARNs as resolved strings), so they can be unit-tested and fed to an IAM
 * policy simulator as they are.
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

/** Wraps statements in a version 2012-10-17 policy document. */
export function policyDocument(statements: PolicyStatement[]): PolicyDocument {
    return { Version: "2012-10-17", Statement: statements };
}

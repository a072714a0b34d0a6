/**
 * Bucket-policy statements every bucket of this stack carries (backup bucket and DR bucket).
 *
 * Source: S3 User Guide "Enforce encryption in transit" (aws:SecureTransport) and "Enforcing a
 * minimum version of TLS" (s3:TlsVersion); Security Hub control S3.5.
 */
import { PolicyStatement } from "./policyDocument";

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
    const resources = [bucketArn, `${bucketArn}/*`];
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

/**
 * What the operator commands read from an AWS SDK v3 error: its name, message, attempts and HTTP
 * status, and whether it is an access refusal. S3 names a refusal `AccessDenied` (or, for HEAD
 * requests without a body, only HTTP 403 `Forbidden`); JSON services such as CloudWatch and KMS name
 * it `AccessDeniedException`.
 */

/** The facts of an SDK v3 service exception (or any error). */
export interface AwsErrorFacts {
    /** The error's name, e.g. `AccessDenied`; `Error` when it has none. */
    readonly name: string;
    readonly message: string;
    /** Attempts the SDK made (its retry strategy), when it says. */
    readonly attempts?: number;
    /** The HTTP status of the response, when there was one. */
    readonly status?: number;
}

/** The error's name, message, attempts and HTTP status. */
export function awsErrorFacts(err: unknown): AwsErrorFacts {
    const e = err as { name?: string; message?: string; $metadata?: { attempts?: number; httpStatusCode?: number } };
    return { name: e.name ?? "Error", message: e.message ?? String(err), attempts: e.$metadata?.attempts, status: e.$metadata?.httpStatusCode };
}

/** Whether AWS refused the call for lack of permission (`AccessDenied`, `AccessDeniedException`, `Forbidden` or HTTP 403). */
export function isAccessDenied(err: unknown): boolean {
    const f = awsErrorFacts(err);
    return f.name === "AccessDenied" || f.name === "AccessDeniedException" || f.name === "Forbidden" || f.status === 403;
}

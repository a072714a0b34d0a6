/**
 * Zod building blocks shared by the config sections: AWS identifiers with their naming rules.
 * Each schema's message says what is allowed and cites the AWS rule.
 */
import { fitsS3KeyLength, S3_KEY_LENGTH_MESSAGE } from "../components/common/s3Keys";
import { z } from "zod";
import { isKnownRegion, REGION_SOURCE } from "../components/common/regionRules";

/**
 * An S3 general purpose bucket name (S3 User Guide "General purpose bucket naming rules"):
 * 3–63 characters; lowercase letters, digits, dots and hyphens; begins and ends with a letter or
 * digit; no two adjacent dots; not an IP address; not starting with `xn--`, `sthree-` or
 * `amzn-s3-demo-`; not ending with `-s3alias`, `--ol-s3`, `.mrap` or `--x-s3`.
 */
export const bucketName = z.string({ message: "an S3 bucket name such as lab-data-111111111111" }).superRefine((name, ctx) => {
    const problems: string[] = [];
    if (name.length < 3 || name.length > 63) problems.push("3–63 characters");
    if (!/^[a-z0-9.-]*$/.test(name)) problems.push("only lowercase letters, digits, dots and hyphens");
    if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) problems.push("begins and ends with a letter or digit");
    if (name.includes("..")) problems.push("no two adjacent dots");
    if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) problems.push("not formatted as an IP address");
    if (/^(xn--|sthree-|amzn-s3-demo-)/.test(name)) problems.push("no reserved prefix (xn--, sthree-, amzn-s3-demo-)");
    if (/(-s3alias|--ol-s3|\.mrap|--x-s3)$/.test(name)) problems.push("no reserved suffix (-s3alias, --ol-s3, .mrap, --x-s3)");
    if (problems.length > 0) {
        ctx.addIssue({ code: "custom", message: `not a valid S3 bucket name: it needs ${problems.join("; ")} (S3 bucket naming rules)` });
    }
});

/** A 12-digit AWS account id (documentation placeholders such as `111111111111` are fine). */
export const accountId = z
    .string()
    .regex(/^\d{12}$/, { message: "an AWS account id is exactly 12 digits, as a quoted string (e.g. \"111111111111\")" });

/**
 * An AWS Region code such as `us-east-1` that AWS lists: checked against the AWS SDK's partition
 * metadata (`components/common/regionRules.ts`), so `us-east-7` is refused before anything is declared.
 */
export const regionName = z.string({ message: "an AWS Region code such as us-east-1" }).superRefine((name, ctx) => {
    if (!isKnownRegion(name)) {
        ctx.addIssue({ code: "custom", message: `not an AWS Region: a Region code such as us-east-1 or eu-central-1 (${REGION_SOURCE})` });
    }
});

/** A KMS key ARN (`arn:aws:kms:<region>:<account>:key/<id>`); aliases are not accepted by bucket key policies. */
export const kmsKeyArn = z
    .string()
    .regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/, {
        message: "a KMS key ARN: arn:aws:kms:<region>:<account-id>:key/<key-id> (not an alias)",
    });

/** An IAM role ARN. */
export const roleArn = z
    .string()
    .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, { message: "an IAM role ARN: arn:aws:iam::<account-id>:role/<name>" });

/**
 * An S3 key prefix that scopes a rule (lifecycle filter, replication filter): 1 character to 1,024
 * bytes of UTF-8 (`fitsS3KeyLength`), without a leading slash (keys start with the first
 * folder name). Source: S3 User Guide "Naming Amazon S3 objects".
 */
export const s3KeyPrefix = z
    .string()
    .min(1)
    .refine(fitsS3KeyLength, { message: S3_KEY_LENGTH_MESSAGE })
    .refine((p) => !p.startsWith("/"), { message: "an S3 key prefix, without a leading slash" });

/** A whole number of days, at least `min`. */
export function days(min: number, max = 36500) {
    return z
        .number({ message: "a whole number of days" })
        .int({ message: "a whole number of days" })
        .min(min, { message: `at least ${min} days` })
        .max(max, { message: `at most ${max} days` });
}

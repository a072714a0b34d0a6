/**
 * The project's price table: public AWS on-demand prices (USD) for what the stacks declare, by
 * Region, each with the pricing page it belongs to, the date it was read and how it was confirmed.
 *
 * How the values were obtained (2026-12-02): the AWS pricing pages render their tables with
 * JavaScript and no stored copy of them carried the numbers, so each value was checked against
 * dated public pages that quote the AWS page (named in `note` with their date, which is `read`). A
 * value no such page confirmed carries `note: UNCONFIRMED` and `read` = the day it was entered:
 * verify those on the AWS page (or with `aws pricing get-products`) before quoting them. Regions:
 * us-east-1, us-west-2, eu-central-1, ap-northeast-2; an item missing for a Region makes the
 * estimate list the resource as unpriced, never 0.
 *
 * Prices are the first usage tier (S3: first 50 TB per month; CloudWatch: first 10,000 metrics).
 */
import type { Price, RegionalPrice } from "./types";

/** The Regions the table covers. */
export const PRICED_REGIONS = ["us-east-1", "us-west-2", "eu-central-1", "ap-northeast-2"] as const;
type Region = (typeof PRICED_REGIONS)[number];

/** The day unconfirmed values were entered. */
export const ENTERED = "2026-12-02";
/** Note of a value no stored page confirmed. */
export const UNCONFIRMED = "unconfirmed: no stored copy of the AWS page carried this number on 2026-12-02; verify before quoting";

/** AWS pricing pages. */
export const SOURCES = {
    s3: "https://aws.amazon.com/s3/pricing/",
    fsxLustre: "https://aws.amazon.com/fsx/lustre/pricing/",
    ec2: "https://aws.amazon.com/ec2/pricing/on-demand/",
    ebs: "https://aws.amazon.com/ebs/pricing/",
    vpc: "https://aws.amazon.com/vpc/pricing/",
    privateLink: "https://aws.amazon.com/privatelink/pricing/",
    cloudWatch: "https://aws.amazon.com/cloudwatch/pricing/",
    secretsManager: "https://aws.amazon.com/secrets-manager/pricing/",
    sns: "https://aws.amazon.com/sns/pricing/",
    eventBridge: "https://aws.amazon.com/eventbridge/pricing/",
    iam: "https://aws.amazon.com/iam/pricing/",
    dataTransfer: "https://aws.amazon.com/ec2/pricing/on-demand/#Data_Transfer",
} as const;

/** A confirmation of some Regions' values by a dated page quoting the AWS page. */
interface Confirmation {
    readonly regions: readonly Region[];
    /** The page and what it says. */
    readonly via: string;
    /** Its date (`YYYY-MM-DD`), or the day it was read when it has none. */
    readonly read: string;
}

/** Builds a regional price: confirmed Regions carry the confirming page, the rest {@link UNCONFIRMED}. */
function regional(unit: string, source: string, values: Partial<Record<Region, number>>, confirmed?: Confirmation): RegionalPrice {
    const out: Record<string, Price> = {};
    for (const [region, usd] of Object.entries(values) as [Region, number][]) {
        const ok = confirmed?.regions.includes(region) ?? false;
        out[region] = { usd, unit, source, read: ok ? confirmed!.read : ENTERED, note: ok ? `confirmed via ${confirmed!.via}` : UNCONFIRMED };
    }
    return out;
}

/** The same value in every covered Region. */
function everywhere(usd: number): Record<Region, number> {
    return { "us-east-1": usd, "us-west-2": usd, "eu-central-1": usd, "ap-northeast-2": usd };
}

const S3_US_CONFIRMATION: Confirmation = {
    regions: ["us-east-1"],
    via: 'usage.ai "Glacier and Deep Archive Pricing" (updated 2026-06-05; S3 storage class table, US East, quoting aws.amazon.com/s3/pricing)',
    read: "2026-06-05",
};

/** S3 storage classes the table prices (S3 API values). */
export type S3StorageClass = "STANDARD" | "INTELLIGENT_TIERING" | "STANDARD_IA" | "ONEZONE_IA" | "GLACIER_IR" | "GLACIER" | "DEEP_ARCHIVE";

const s3Storage = (us: number, eu: number, ap: number) =>
    regional("GB-month", SOURCES.s3, { "us-east-1": us, "us-west-2": us, "eu-central-1": eu, "ap-northeast-2": ap }, S3_US_CONFIRMATION);

/** S3 storage, USD per GB-month (first 50 TB). INTELLIGENT_TIERING: its Frequent Access tier. */
export const S3_STORAGE: Readonly<Record<S3StorageClass, RegionalPrice>> = {
    STANDARD: s3Storage(0.023, 0.0245, 0.025),
    INTELLIGENT_TIERING: regional("GB-month", SOURCES.s3, { "us-east-1": 0.023, "us-west-2": 0.023, "eu-central-1": 0.0245, "ap-northeast-2": 0.025 }),
    STANDARD_IA: s3Storage(0.0125, 0.0135, 0.0138),
    ONEZONE_IA: s3Storage(0.01, 0.0108, 0.011),
    GLACIER_IR: s3Storage(0.004, 0.005, 0.005),
    GLACIER: s3Storage(0.0036, 0.0045, 0.0045),
    DEEP_ARCHIVE: s3Storage(0.00099, 0.0018, 0.002),
};

const perThousand = (us: number, eu: number, ap: number) =>
    regional("1,000 requests", SOURCES.s3, { "us-east-1": us, "us-west-2": us, "eu-central-1": eu, "ap-northeast-2": ap });

/** S3 lifecycle transition requests into a class, USD per 1,000 (S3 pricing, "Requests & data retrievals"). */
export const S3_TRANSITION: Readonly<Record<Exclude<S3StorageClass, "STANDARD">, RegionalPrice>> = {
    INTELLIGENT_TIERING: perThousand(0.01, 0.01, 0.01),
    STANDARD_IA: perThousand(0.01, 0.01, 0.01),
    ONEZONE_IA: perThousand(0.01, 0.01, 0.01),
    GLACIER_IR: perThousand(0.02, 0.02, 0.02),
    GLACIER: perThousand(0.03, 0.036, 0.036),
    DEEP_ARCHIVE: perThousand(0.05, 0.06, 0.06),
};

/** S3 PUT/COPY/POST requests into a class, USD per 1,000 (uploads, replica writes). */
export const S3_PUT: Readonly<Record<S3StorageClass, RegionalPrice>> = {
    STANDARD: perThousand(0.005, 0.0054, 0.0045),
    INTELLIGENT_TIERING: perThousand(0.005, 0.0054, 0.0045),
    STANDARD_IA: perThousand(0.01, 0.01, 0.01),
    ONEZONE_IA: perThousand(0.01, 0.01, 0.01),
    GLACIER_IR: perThousand(0.02, 0.02, 0.02),
    GLACIER: perThousand(0.03, 0.036, 0.036),
    DEEP_ARCHIVE: perThousand(0.05, 0.06, 0.06),
};

/**
 * Per-object overhead of an object in GLACIER or DEEP_ARCHIVE: 8 KB billed at S3 Standard rates (its
 * name and metadata, for listings) plus 32 KB billed at the archive class's rate (index). Source: S3
 * Developer Guide, "GLACIER Storage Class: Additional Lifecycle Configuration Considerations" ("For each object
 * archived … Amazon S3 uses 8 KB of storage for the name of the object and other metadata … charged
 * Standard rates … adds 32 KB of storage for index and related metadata … charged … rates for this
 * additional storage").
 */
export const ARCHIVE_OVERHEAD_KB = { standard: 8, archive: 32 } as const;
/** Source of {@link ARCHIVE_OVERHEAD_KB}. */
export const ARCHIVE_OVERHEAD_SOURCE = "http://docs.aws.amazon.com/AmazonS3/latest/dev/object-archival.html";

/** Data transfer from the Region to another AWS Region (S3 replication), USD per GB. */
export const INTER_REGION_TRANSFER = regional("GB", SOURCES.s3, { "us-east-1": 0.02, "us-west-2": 0.02, "eu-central-1": 0.02, "ap-northeast-2": 0.08 });

/** S3 Replication Time Control, USD per GB replicated. */
export const REPLICATION_TIME_CONTROL = regional("GB", SOURCES.s3, everywhere(0.015));

/** S3 Batch Operations (Batch Replication): per job and per million objects processed. */
export const BATCH_OPERATIONS = {
    job: regional("job", SOURCES.s3, everywhere(0.25)),
    objects: regional("1,000,000 objects", SOURCES.s3, everywhere(1.0)),
};

/**
 * FSx for Lustre storage, USD per GB-month of storage capacity, by deployment type, storage type
 * and per-unit throughput (MB/s/TiB). PERSISTENT_2 SSD only (what the stack declares); no value for
 * a Region where the table has none (eu-central-1 and ap-northeast-2: not confirmed; the latter is
 * outside the project's confirmed PERSISTENT_2 list) — the estimate lists the file system as unpriced.
 */
export const FSX_LUSTRE_STORAGE: Readonly<Record<string, RegionalPrice>> = {
    "PERSISTENT_2/SSD/125": regional("GB-month", SOURCES.fsxLustre, { "us-east-1": 0.145, "us-west-2": 0.145 }, {
        regions: ["us-east-1"],
        via: 'c3x.dev "aws_fsx_lustre_file_system cost estimation" ("~$0.145/GB-month (SSD, 125 MB/s/TiB)"; "1.2 TB at 125 MB/s/TiB is ~$174/month"; undated, read 2026-12-02)',
        read: "2026-12-02",
    }),
    "PERSISTENT_2/SSD/250": regional("GB-month", SOURCES.fsxLustre, { "us-east-1": 0.21, "us-west-2": 0.21 }),
    "PERSISTENT_2/SSD/500": regional("GB-month", SOURCES.fsxLustre, { "us-east-1": 0.34, "us-west-2": 0.34 }),
    "PERSISTENT_2/SSD/1000": regional("GB-month", SOURCES.fsxLustre, { "us-east-1": 0.6, "us-west-2": 0.6 }),
};

/** EC2 On-Demand Linux, USD per instance-hour. */
export const EC2_INSTANCE_HOUR: Readonly<Record<string, RegionalPrice>> = {
    "c6in.large": regional("hour", SOURCES.ec2, { "us-east-1": 0.1134, "us-west-2": 0.1134, "eu-central-1": 0.1294, "ap-northeast-2": 0.1283 }),
    "c6in.xlarge": regional("hour", SOURCES.ec2, { "us-east-1": 0.2268, "us-west-2": 0.2268 }),
    "m6i.large": regional("hour", SOURCES.ec2, { "us-east-1": 0.096, "us-west-2": 0.096, "eu-central-1": 0.115, "ap-northeast-2": 0.118 }),
    "m6i.xlarge": regional("hour", SOURCES.ec2, { "us-east-1": 0.192, "us-west-2": 0.192 }),
    "t3.medium": regional("hour", SOURCES.ec2, { "us-east-1": 0.0416, "us-west-2": 0.0416, "eu-central-1": 0.048, "ap-northeast-2": 0.052 }),
};

/** EBS volumes, USD per GB-month of provisioned size (gp3: baseline 3,000 IOPS and 125 MB/s included). */
export const EBS_STORAGE: Readonly<Record<string, RegionalPrice>> = {
    gp3: regional("GB-month", SOURCES.ebs, { "us-east-1": 0.08, "us-west-2": 0.08, "eu-central-1": 0.0952, "ap-northeast-2": 0.0912 }),
    gp2: regional("GB-month", SOURCES.ebs, { "us-east-1": 0.1, "us-west-2": 0.1, "eu-central-1": 0.119, "ap-northeast-2": 0.114 }),
};

const NAT_US_CONFIRMATION: Confirmation = {
    regions: ["us-east-1"],
    via: 'knbrlo.com "NAT Gateway data processing" (2026-05-07: "~$0.045/hour … data processing fee of $0.045 per GB")',
    read: "2026-05-07",
};

/** NAT gateway, USD per gateway-hour and per GB processed. */
export const NAT_GATEWAY = {
    hour: regional("hour", SOURCES.vpc, { "us-east-1": 0.045, "us-west-2": 0.045, "eu-central-1": 0.052, "ap-northeast-2": 0.059 }, NAT_US_CONFIRMATION),
    gb: regional("GB", SOURCES.vpc, { "us-east-1": 0.045, "us-west-2": 0.045, "eu-central-1": 0.052, "ap-northeast-2": 0.059 }, NAT_US_CONFIRMATION),
};

/** A public IPv4 address (the NAT gateway's Elastic IP), USD per hour. */
export const PUBLIC_IPV4_HOUR = regional("hour", SOURCES.vpc, everywhere(0.005));

const ENDPOINT_US_CONFIRMATION: Confirmation = {
    regions: ["us-east-1"],
    via: 'knbrlo.com "NAT Gateway data processing" (2026-05-07: interface endpoints "about $0.01/hour per endpoint per AZ, plus $0.01/GB processed")',
    read: "2026-05-07",
};

/** Interface VPC endpoints (PrivateLink), USD per endpoint per AZ-hour and per GB processed. */
export const INTERFACE_ENDPOINT = {
    azHour: regional("AZ-hour", SOURCES.privateLink, { "us-east-1": 0.01, "us-west-2": 0.01, "eu-central-1": 0.012, "ap-northeast-2": 0.013 }, ENDPOINT_US_CONFIRMATION),
    gb: regional("GB", SOURCES.privateLink, everywhere(0.01), ENDPOINT_US_CONFIRMATION),
};

/** Secrets Manager, USD per secret-month. */
export const SECRET_MONTH = regional("secret-month", SOURCES.secretsManager, everywhere(0.4));

/** CloudWatch. */
export const CLOUDWATCH = {
    /** Standard-resolution metric alarm (period ≥ 60 s), per alarm-month. */
    alarm: regional("alarm-month", SOURCES.cloudWatch, everywhere(0.1)),
    /** High-resolution metric alarm (period < 60 s), per alarm-month. */
    alarmHighResolution: regional("alarm-month", SOURCES.cloudWatch, everywhere(0.3)),
    /** Custom metric (also S3 replication metrics: "billed at the same rate as Amazon CloudWatch custom metrics", S3 User Guide "replication-metrics"), per metric-month. */
    metric: regional("metric-month", SOURCES.cloudWatch, everywhere(0.3)),
    /** Logs ingestion (standard class), per GB. */
    logsIngestion: regional("GB", SOURCES.cloudWatch, { "us-east-1": 0.5, "us-west-2": 0.5, "eu-central-1": 0.63, "ap-northeast-2": 0.76 }),
    /** Logs storage (archived), per GB-month. */
    logsStorage: regional("GB-month", SOURCES.cloudWatch, { "us-east-1": 0.03, "us-west-2": 0.03, "eu-central-1": 0.0324, "ap-northeast-2": 0.0314 }),
};

/** Why a resource type costs nothing by itself, with the page that says so. */
export interface FreeReason {
    readonly reason: string;
    readonly source: string;
}

const S3_CONFIG: FreeReason = {
    reason: "bucket configuration: no charge of its own; the storage, requests and transfer it causes are priced on the bucket's lines",
    source: SOURCES.s3,
};
const IAM: FreeReason = { reason: "IAM is offered at no additional charge", source: SOURCES.iam };
const VPC_FREE: FreeReason = { reason: "security groups, their rules, route tables and gateway endpoints have no charge", source: SOURCES.vpc };

/** Resource types that cost nothing by themselves. */
export const FREE_TYPES: Readonly<Record<string, FreeReason>> = {
    "aws:s3/bucketVersioning:BucketVersioning": { ...S3_CONFIG, reason: "versioning has no charge of its own; noncurrent versions are priced on the bucket's lines" },
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": { ...S3_CONFIG, reason: "SSE-S3 encryption has no charge" },
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": S3_CONFIG,
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": S3_CONFIG,
    "aws:s3/bucketPolicy:BucketPolicy": S3_CONFIG,
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": S3_CONFIG,
    "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration": S3_CONFIG,
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig": { ...S3_CONFIG, reason: "its transfer, replica PUTs, RTC and metrics are priced on their own lines (same URN)" },
    "aws:iam/role:Role": IAM,
    "aws:iam/policy:Policy": IAM,
    "aws:iam/rolePolicy:RolePolicy": IAM,
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": IAM,
    "aws:iam/group:Group": IAM,
    "aws:iam/groupPolicyAttachment:GroupPolicyAttachment": IAM,
    "aws:iam/groupMembership:GroupMembership": IAM,
    "aws:iam/user:User": IAM,
    "aws:iam/userLoginProfile:UserLoginProfile": IAM,
    "aws:iam/accessKey:AccessKey": IAM,
    "aws:iam/instanceProfile:InstanceProfile": IAM,
    "aws:ec2/securityGroup:SecurityGroup": VPC_FREE,
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": VPC_FREE,
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": VPC_FREE,
    "aws:ebs/encryptionByDefault:EncryptionByDefault": { reason: "an account setting: encryption adds no EBS charge", source: SOURCES.ebs },
    "aws:secretsmanager/secretVersion:SecretVersion": { reason: "a version of a secret priced per secret-month on the secret's line", source: SOURCES.secretsManager },
    "aws:sns/topic:Topic": { reason: "topics have no charge; deliveries are priced per notification", source: SOURCES.sns },
    "aws:sns/topicSubscription:TopicSubscription": { reason: "e-mail deliveries: the first 1,000 per month are free (alarm mails stay far below)", source: SOURCES.sns },
    "aws:kms/grant:Grant": { reason: "grants have no charge; the key itself is not declared by this stack", source: "https://aws.amazon.com/kms/pricing/" },
    "aws:fsx/dataRepositoryAssociation:DataRepositoryAssociation": {
        reason: "associations have no charge of their own; their S3 requests are the bucket's upload requests",
        source: SOURCES.fsxLustre,
    },
    "aws:scheduler/schedule:Schedule": { reason: "the first 14 million scheduled invocations per month are free (a few per day here)", source: SOURCES.eventBridge },
};

/** Types that declare no AWS resource: the stack, providers and this project's components. */
export function isStructural(type: string): boolean {
    return type === "pulumi:pulumi:Stack" || type.startsWith("pulumi:providers:") || type.startsWith("microbiome-backup:");
}

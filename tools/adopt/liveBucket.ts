/**
 * Reads an existing S3 bucket's settings with read-only AWS SDK v3 calls, for the adoption
 * pre-flight (`npm run adopt:preflight`). Every value is kept in the shape of the S3 API's `Put…`
 * input (e.g. `lifecycle` is a `BucketLifecycleConfiguration`), so the snapshot written from it can
 * be fed back with `aws s3api put-bucket-…` (docs/adoption.md "Restoring from the snapshot").
 *
 * "Not configured" answers (S3 returns an error, not an empty document) become `null`:
 * NoSuchTagSet, NoSuchBucketPolicy, NoSuchPublicAccessBlockConfiguration,
 * OwnershipControlsNotFoundError, ServerSideEncryptionConfigurationNotFoundError,
 * NoSuchLifecycleConfiguration, ReplicationConfigurationNotFoundError,
 * ObjectLockConfigurationNotFoundError, NoSuchCORSConfiguration (S3 API reference, the error list
 * of each Get… action). Any other error is collected as a {@link ReadFailure} (AccessDenied: the
 * IAM action that is missing; throttling: after the SDK's retries).
 *
 * Storage per class: CloudWatch `AWS/S3` daily metrics `BucketSizeBytes` (dimension `StorageType`,
 * e.g. `StandardStorage`, `DeepArchiveStorage`) and `NumberOfObjects` (`AllStorageTypes`), published
 * once a day in the bucket's Region (S3 User Guide "Metrics and dimensions" → "Amazon S3 daily
 * storage metrics for buckets in CloudWatch").
 */
import { CloudWatchClient, GetMetricDataCommand, GetMetricDataCommandOutput, MetricDataQuery } from "@aws-sdk/client-cloudwatch";
import {
    GetBucketAclCommand,
    GetBucketCorsCommand,
    GetBucketEncryptionCommand,
    GetBucketLifecycleConfigurationCommand,
    GetBucketLocationCommand,
    GetBucketLoggingCommand,
    GetBucketNotificationConfigurationCommand,
    GetBucketPolicyCommand,
    GetBucketReplicationCommand,
    GetBucketTaggingCommand,
    GetBucketVersioningCommand,
    GetObjectLockConfigurationCommand,
    GetBucketOwnershipControlsCommand,
    GetPublicAccessBlockCommand,
    HeadBucketCommand,
    S3Client,
} from "@aws-sdk/client-s3";
import { awsErrorFacts, isAccessDenied } from "../awsErrors";

/** SDK attempts per call (first try plus retries); the standard retry mode backs off on throttling. */
export const MAX_ATTEMPTS = 8;

/** The S3 and CloudWatch clients of one Region. */
export interface Clients {
    readonly s3: S3Client;
    readonly cloudWatch: CloudWatchClient;
}

/**
 * Clients in `region` with the default credential chain, the standard retry mode and
 * {@link MAX_ATTEMPTS} attempts (throttling errors — SlowDown, Throttling, RequestLimitExceeded … —
 * are retried with exponential backoff; AWS SDK for JavaScript v3 "Retry strategy").
 */
export function defaultClients(region: string): Clients {
    const common = { region, maxAttempts: MAX_ATTEMPTS, retryMode: "standard" as const };
    return { s3: new S3Client(common), cloudWatch: new CloudWatchClient(common) };
}

/** CloudWatch `StorageType` values of `BucketSizeBytes` (S3 User Guide "Metrics and dimensions"), with the storage class they count. */
export const STORAGE_TYPES: Readonly<Record<string, string>> = {
    StandardStorage: "STANDARD",
    StandardIAStorage: "STANDARD_IA",
    StandardIASizeOverhead: "STANDARD_IA (small-object overhead)",
    OneZoneIAStorage: "ONEZONE_IA",
    OneZoneIASizeOverhead: "ONEZONE_IA (small-object overhead)",
    ReducedRedundancyStorage: "REDUCED_REDUNDANCY",
    IntelligentTieringFAStorage: "INTELLIGENT_TIERING (frequent)",
    IntelligentTieringIAStorage: "INTELLIGENT_TIERING (infrequent)",
    IntelligentTieringAIAStorage: "INTELLIGENT_TIERING (archive instant)",
    IntelligentTieringAAStorage: "INTELLIGENT_TIERING (archive)",
    IntelligentTieringDAAStorage: "INTELLIGENT_TIERING (deep archive)",
    GlacierInstantRetrievalStorage: "GLACIER_IR",
    GlacierInstantRetrievalSizeOverhead: "GLACIER_IR (small-object overhead)",
    GlacierStorage: "GLACIER",
    GlacierStagingStorage: "GLACIER (staging)",
    GlacierObjectOverhead: "GLACIER (object overhead)",
    GlacierS3ObjectOverhead: "GLACIER (S3 object overhead)",
    DeepArchiveStorage: "DEEP_ARCHIVE",
    DeepArchiveObjectOverhead: "DEEP_ARCHIVE (object overhead)",
    DeepArchiveS3ObjectOverhead: "DEEP_ARCHIVE (S3 object overhead)",
    DeepArchiveStagingStorage: "DEEP_ARCHIVE (staging)",
};

/** Storage types whose objects are archived (cannot be replicated or backfilled until restored). */
export const ARCHIVED_STORAGE_TYPES = [
    "GlacierStorage",
    "GlacierObjectOverhead",
    "GlacierS3ObjectOverhead",
    "DeepArchiveStorage",
    "DeepArchiveObjectOverhead",
    "DeepArchiveS3ObjectOverhead",
    "IntelligentTieringAAStorage",
    "IntelligentTieringDAAStorage",
] as const;

/** Bytes per storage type and the object count, from the latest daily datapoint. */
export interface StorageMetrics {
    /** True when CloudWatch returned at least one datapoint. */
    readonly available: boolean;
    /** `StorageType` → bytes (latest daily average); only types with a datapoint. */
    readonly bytesByStorageType: Readonly<Record<string, number>>;
    /** `NumberOfObjects` (all storage types; versions count), or null without a datapoint. */
    readonly numberOfObjects: number | null;
    /** Timestamp (ISO) of the newest datapoint used, or null. */
    readonly asOf: string | null;
}

/** A read that failed for a reason other than "not configured". */
export interface ReadFailure {
    /** The API action, e.g. `GetBucketPolicy`. */
    readonly action: string;
    /** The SDK error name, e.g. `AccessDenied`. */
    readonly error: string;
    /** A message saying what to do. */
    readonly message: string;
}

/** The live settings of a bucket (values in the S3 API's Put… input shapes; `null` = not configured). */
export interface LiveBucket {
    readonly bucket: string;
    /** Region of the bucket (GetBucketLocation; `us-east-1` for an empty LocationConstraint, `eu-west-1` for `EU`). */
    readonly region: string;
    /** When it was read (ISO). */
    readonly readAt: string;
    /** GetBucketVersioning: `{ Status?, MFADelete? }` (no Status: never enabled). */
    readonly versioning: { Status?: string; MFADelete?: string } | null;
    /** GetObjectLockConfiguration: `ObjectLockConfiguration`. */
    readonly objectLock: { ObjectLockEnabled?: string; Rule?: unknown } | null;
    /** GetBucketTagging as `{ key: value }`. */
    readonly tags: Record<string, string> | null;
    /** GetBucketPolicy: the policy JSON text. */
    readonly policy: string | null;
    /** GetBucketAcl: `AccessControlPolicy` `{ Owner, Grants }`. */
    readonly acl: { Owner?: { ID?: string; DisplayName?: string }; Grants?: { Grantee?: Record<string, unknown>; Permission?: string }[] } | null;
    /** GetBucketOwnershipControls: `OwnershipControls` `{ Rules: [{ ObjectOwnership }] }`. */
    readonly ownershipControls: { Rules?: { ObjectOwnership?: string }[] } | null;
    /** GetPublicAccessBlock: `PublicAccessBlockConfiguration`. */
    readonly publicAccessBlock: Record<string, boolean | undefined> | null;
    /** GetBucketEncryption: `ServerSideEncryptionConfiguration`. */
    readonly encryption: { Rules?: { ApplyServerSideEncryptionByDefault?: { SSEAlgorithm?: string; KMSMasterKeyID?: string }; BucketKeyEnabled?: boolean }[] } | null;
    /** GetBucketLifecycleConfiguration: `{ Rules, TransitionDefaultMinimumObjectSize }`. */
    readonly lifecycle: { Rules?: Record<string, unknown>[]; TransitionDefaultMinimumObjectSize?: string } | null;
    /** GetBucketReplication: `ReplicationConfiguration` `{ Role, Rules }`. */
    readonly replication: { Role?: string; Rules?: Record<string, unknown>[] } | null;
    /** GetBucketNotificationConfiguration: `NotificationConfiguration` (empty object: none). */
    readonly notifications: {
        TopicConfigurations?: Record<string, unknown>[];
        QueueConfigurations?: Record<string, unknown>[];
        LambdaFunctionConfigurations?: Record<string, unknown>[];
        EventBridgeConfiguration?: Record<string, unknown>;
    } | null;
    /** GetBucketCors: `CORSConfiguration` `{ CORSRules }`. */
    readonly cors: { CORSRules?: Record<string, unknown>[] } | null;
    /** GetBucketLogging: `BucketLoggingStatus` `{ LoggingEnabled? }` (null: logging off). */
    readonly logging: { LoggingEnabled?: Record<string, unknown> } | null;
    /** CloudWatch daily storage metrics. */
    readonly metrics: StorageMetrics;
    /** Reads that failed (access denied, throttled after retries, …); empty when all succeeded. */
    readonly failures: readonly ReadFailure[];
}

/** Thrown when the bucket cannot be found or not even its Region can be read. */
export class BucketUnreadableError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "BucketUnreadableError";
    }
}

/** S3 error names that mean "this setting is not configured". */
export const NOT_CONFIGURED_ERRORS: ReadonlySet<string> = new Set([
    "NoSuchTagSet",
    "NoSuchBucketPolicy",
    "NoSuchPublicAccessBlockConfiguration",
    "OwnershipControlsNotFoundError",
    "ServerSideEncryptionConfigurationNotFoundError",
    "NoSuchLifecycleConfiguration",
    "ReplicationConfigurationNotFoundError",
    "ObjectLockConfigurationNotFoundError",
    "NoSuchCORSConfiguration",
]);

const THROTTLING_ERRORS = new Set(["SlowDown", "Throttling", "ThrottlingException", "ThrottledException", "RequestLimitExceeded", "TooManyRequestsException", "RequestThrottled", "RequestThrottledException"]);

/**
 * Explains a failed read: AccessDenied names the IAM action to grant (`s3:<Action>` — the
 * permission of each Get… action, S3 API reference; CloudWatch `cloudwatch:GetMetricData`);
 * throttling says the SDK retried and to run again later.
 */
export function explainFailure(action: string, permission: string, err: unknown): ReadFailure {
    const f = awsErrorFacts(err);
    if (isAccessDenied(err)) {
        return { action, error: f.name, message: `${action}: access denied — the credentials need ${permission} on the bucket (read-only; docs/adoption.md "Permissions")` };
    }
    if (THROTTLING_ERRORS.has(f.name) || f.status === 429 || f.status === 503) {
        return {
            action,
            error: f.name,
            message: `${action}: throttled by AWS (${f.name}) after ${f.attempts ?? MAX_ATTEMPTS} attempt(s) with the SDK's backoff — wait a few minutes and run the pre-flight again`,
        };
    }
    return { action, error: f.name, message: `${action}: ${f.name}: ${f.message}` };
}

/** Drops the SDK's `$metadata` from a response. */
function withoutMetadata<T extends object>(response: T): Omit<T, "$metadata"> {
    const copy = { ...response } as Record<string, unknown>;
    delete copy.$metadata;
    return copy as Omit<T, "$metadata">;
}

/** The Region of a GetBucketLocation `LocationConstraint` (S3 API GetBucketLocation: empty = us-east-1, `EU` = eu-west-1). */
export function regionOfLocation(constraint: string | undefined | null): string {
    if (!constraint) return "us-east-1";
    if (constraint === "EU") return "eu-west-1";
    return constraint;
}

/**
 * Reads the bucket's Region: HeadBucket (its `BucketRegion`; a 404 means no such bucket) and
 * GetBucketLocation.
 *
 * @throws BucketUnreadableError when the bucket does not exist or neither call may be made.
 */
export async function readBucketRegion(s3: S3Client, bucket: string): Promise<string> {
    let headRegion: string | undefined;
    try {
        headRegion = (await s3.send(new HeadBucketCommand({ Bucket: bucket }))).BucketRegion;
    } catch (err) {
        const f = awsErrorFacts(err);
        if (f.name === "NotFound" || f.name === "NoSuchBucket" || f.status === 404) {
            throw new BucketUnreadableError(`bucket ${bucket} does not exist (HeadBucket: 404): there is nothing to adopt — check bucket.name, or set bucket.adoptExisting: false to create it`);
        }
        if (f.status === 301) {
            headRegion = undefined; // wrong-Region endpoint; GetBucketLocation answers from any Region
        } else if (f.name !== "Forbidden" && f.status !== 403) {
            throw new BucketUnreadableError(explainFailure("HeadBucket", "s3:ListBucket", err).message);
        }
    }
    try {
        const location = await s3.send(new GetBucketLocationCommand({ Bucket: bucket }));
        return regionOfLocation(location.LocationConstraint);
    } catch (err) {
        if (headRegion) {
            return headRegion;
        }
        throw new BucketUnreadableError(explainFailure("GetBucketLocation", "s3:GetBucketLocation", err).message);
    }
}

/** Every storage type's `BucketSizeBytes` query plus `NumberOfObjects`, daily averages over the last 3 days. */
export function metricQueries(bucket: string): MetricDataQuery[] {
    const queries: MetricDataQuery[] = Object.keys(STORAGE_TYPES).map((storageType, i) => ({
        Id: `b${i}`,
        Label: storageType,
        MetricStat: {
            Metric: { Namespace: "AWS/S3", MetricName: "BucketSizeBytes", Dimensions: [{ Name: "BucketName", Value: bucket }, { Name: "StorageType", Value: storageType }] },
            Period: 86400,
            Stat: "Average",
            Unit: "Bytes",
        },
        ReturnData: true,
    }));
    queries.push({
        Id: "objects",
        Label: "NumberOfObjects",
        MetricStat: {
            Metric: { Namespace: "AWS/S3", MetricName: "NumberOfObjects", Dimensions: [{ Name: "BucketName", Value: bucket }, { Name: "StorageType", Value: "AllStorageTypes" }] },
            Period: 86400,
            Stat: "Average",
            Unit: "Count",
        },
        ReturnData: true,
    });
    return queries;
}

/**
 * Turns GetMetricData results into per-storage-type bytes and the object count: for each query,
 * the value of its newest timestamp (results may come in any order, S3 publishes one datapoint a
 * day). Queries without datapoints are left out; no datapoint at all gives `available: false`.
 */
export function parseStorageMetrics(results: GetMetricDataCommandOutput["MetricDataResults"]): StorageMetrics {
    const bytes: Record<string, number> = {};
    let objects: number | null = null;
    let newest: number | null = null;
    for (const r of results ?? []) {
        const stamps = r.Timestamps ?? [];
        const values = r.Values ?? [];
        let best = -1;
        for (let i = 0; i < Math.min(stamps.length, values.length); i++) {
            if (best < 0 || stamps[i].getTime() > stamps[best].getTime()) best = i;
        }
        if (best < 0) continue;
        newest = Math.max(newest ?? 0, stamps[best].getTime());
        if (r.Id === "objects") {
            objects = values[best];
        } else if (r.Label && r.Label in STORAGE_TYPES) {
            bytes[r.Label] = values[best];
        }
    }
    return { available: newest !== null, bytesByStorageType: bytes, numberOfObjects: objects, asOf: newest === null ? null : new Date(newest).toISOString() };
}

/** Reads the daily storage metrics (GetMetricData, paginated) for the 3 days before `now`. */
export async function readStorageMetrics(cloudWatch: CloudWatchClient, bucket: string, now: Date = new Date()): Promise<StorageMetrics> {
    const results: NonNullable<GetMetricDataCommandOutput["MetricDataResults"]> = [];
    let nextToken: string | undefined;
    do {
        const page = await cloudWatch.send(
            new GetMetricDataCommand({
                MetricDataQueries: metricQueries(bucket),
                StartTime: new Date(now.getTime() - 3 * 86400_000),
                EndTime: now,
                NextToken: nextToken,
            }),
        );
        // Pages carry partial results per Id: merge them.
        for (const r of page.MetricDataResults ?? []) {
            const existing = results.find((x) => x.Id === r.Id);
            if (existing) {
                existing.Timestamps = [...(existing.Timestamps ?? []), ...(r.Timestamps ?? [])];
                existing.Values = [...(existing.Values ?? []), ...(r.Values ?? [])];
            } else {
                results.push({ ...r });
            }
        }
        nextToken = page.NextToken;
    } while (nextToken);
    return parseStorageMetrics(results);
}

/**
 * Reads every setting of the bucket.
 *
 * @param clients clients in the bucket's own Region (see {@link readBucketRegion}).
 * @param bucket bucket name.
 * @param region the bucket's Region (recorded).
 * @returns the live settings; failed reads are listed in `failures` (their setting is null).
 */
export async function readLiveBucket(clients: Clients, bucket: string, region: string, now: Date = new Date()): Promise<LiveBucket> {
    const failures: ReadFailure[] = [];
    const s3 = clients.s3;
    async function read<T>(action: string, permission: string, call: () => Promise<T>): Promise<T | null> {
        try {
            return await call();
        } catch (err) {
            if (NOT_CONFIGURED_ERRORS.has(awsErrorFacts(err).name)) {
                return null;
            }
            failures.push(explainFailure(action, permission, err));
            return null;
        }
    }
    const Bucket = bucket;
    const versioning = await read("GetBucketVersioning", "s3:GetBucketVersioning", async () => withoutMetadata(await s3.send(new GetBucketVersioningCommand({ Bucket }))));
    const objectLock = await read("GetObjectLockConfiguration", "s3:GetBucketObjectLockConfiguration", async () => (await s3.send(new GetObjectLockConfigurationCommand({ Bucket }))).ObjectLockConfiguration ?? null);
    const tags = await read("GetBucketTagging", "s3:GetBucketTagging", async () =>
        Object.fromEntries(((await s3.send(new GetBucketTaggingCommand({ Bucket }))).TagSet ?? []).map((t) => [t.Key ?? "", t.Value ?? ""])),
    );
    const policy = await read("GetBucketPolicy", "s3:GetBucketPolicy", async () => (await s3.send(new GetBucketPolicyCommand({ Bucket }))).Policy ?? null);
    const acl = await read("GetBucketAcl", "s3:GetBucketAcl", async () => withoutMetadata(await s3.send(new GetBucketAclCommand({ Bucket }))));
    const ownershipControls = await read("GetBucketOwnershipControls", "s3:GetBucketOwnershipControls", async () => (await s3.send(new GetBucketOwnershipControlsCommand({ Bucket }))).OwnershipControls ?? null);
    const publicAccessBlock = await read("GetPublicAccessBlock", "s3:GetBucketPublicAccessBlock", async () => (await s3.send(new GetPublicAccessBlockCommand({ Bucket }))).PublicAccessBlockConfiguration ?? null);
    const encryption = await read("GetBucketEncryption", "s3:GetEncryptionConfiguration", async () => (await s3.send(new GetBucketEncryptionCommand({ Bucket }))).ServerSideEncryptionConfiguration ?? null);
    const lifecycle = await read("GetBucketLifecycleConfiguration", "s3:GetLifecycleConfiguration", async () => {
        const r = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket }));
        return { Rules: (r.Rules ?? []) as unknown as Record<string, unknown>[], ...(r.TransitionDefaultMinimumObjectSize ? { TransitionDefaultMinimumObjectSize: r.TransitionDefaultMinimumObjectSize } : {}) };
    });
    const replication = await read("GetBucketReplication", "s3:GetReplicationConfiguration", async () => ((await s3.send(new GetBucketReplicationCommand({ Bucket }))).ReplicationConfiguration ?? null) as LiveBucket["replication"]);
    const notifications = await read("GetBucketNotificationConfiguration", "s3:GetBucketNotification", async () => withoutMetadata(await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket }))) as LiveBucket["notifications"]);
    const cors = await read("GetBucketCors", "s3:GetBucketCORS", async () => ({ CORSRules: ((await s3.send(new GetBucketCorsCommand({ Bucket }))).CORSRules ?? []) as unknown as Record<string, unknown>[] }));
    const logging = await read("GetBucketLogging", "s3:GetBucketLogging", async () => {
        const r = await s3.send(new GetBucketLoggingCommand({ Bucket }));
        return r.LoggingEnabled ? { LoggingEnabled: r.LoggingEnabled as unknown as Record<string, unknown> } : null;
    });
    let metrics: StorageMetrics = { available: false, bytesByStorageType: {}, numberOfObjects: null, asOf: null };
    try {
        metrics = await readStorageMetrics(clients.cloudWatch, bucket, now);
    } catch (err) {
        failures.push(explainFailure("GetMetricData", "cloudwatch:GetMetricData", err));
    }
    return {
        bucket,
        region,
        readAt: now.toISOString(),
        versioning: versioning as LiveBucket["versioning"],
        objectLock: objectLock as LiveBucket["objectLock"],
        tags: tags && Object.keys(tags).length > 0 ? tags : null,
        policy,
        acl: acl as LiveBucket["acl"],
        ownershipControls: ownershipControls as LiveBucket["ownershipControls"],
        publicAccessBlock: publicAccessBlock as LiveBucket["publicAccessBlock"],
        encryption: encryption as LiveBucket["encryption"],
        lifecycle,
        replication,
        notifications,
        cors,
        logging,
        metrics,
        failures,
    };
}

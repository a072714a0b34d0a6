/**
 * S3 archive retrieval prices (restoring objects from S3 Glacier Flexible Retrieval — API storage
 * class `GLACIER` — and S3 Glacier Deep Archive — `DEEP_ARCHIVE`), per retrieval tier: a price per
 * GB retrieved and a price per 1,000 restore requests (one request per object). Read by the restore
 * planner (`npm run restore`, tools/restore/plan.ts).
 *
 * Regions: only us-east-1 is recorded. The S3 pricing page (https://aws.amazon.com/s3/pricing/)
 * renders its tables with scripts, and no copy of its regional retrieval figures for us-west-2,
 * eu-central-1 or ap-northeast-2 could be read on 2026-12-02; rather than guess, the planner prints
 * "no recorded price" for those Regions and points to the pricing page. Add a Region by reading the
 * page's "Requests & data retrievals" tab and recording each figure here with its date.
 *
 * Sources (read 2026-12-02):
 * - GLACIER Standard ($0.05 per 1,000 requests, $0.01 per GB) and Expedited ($10.00 per 1,000
 *   requests): AWS re:Post Knowledge Center "How do I manage data retrieval costs … S3 Glacier"
 *   (https://repost.aws/knowledge-center/s3-manage-data-retrieval), worked example for us-east-1.
 * - GLACIER Expedited per GB ($0.03), DEEP_ARCHIVE Standard ($0.02 per GB, $0.10 per 1,000
 *   requests) and Bulk ($0.0025 per GB, $0.025 per 1,000 requests): the S3 pricing page's
 *   us-east-1 figures as transcribed in "Glacier and Deep Archive Pricing" (usage.ai, updated
 *   2026-06-05, table "US East, May 2026", citing aws.amazon.com/s3/pricing) — a secondary source;
 *   check the pricing page before quoting a large restore.
 * - GLACIER Bulk: free (per GB and per request): S3 User Guide "Understanding archive retrieval
 *   options" (restoring-objects-retrieval-options): "Bulk retrievals are free for objects that are
 *   stored in S3 Glacier Flexible Retrieval or S3 Intelligent-Tiering".
 * - DEEP_ARCHIVE has no Expedited tier (same User Guide page; RestoreObject API reference).
 */
import { Price, RegionalPrice } from "./types";
import type { ArchiveStorageClass, RetrievalTier } from "../../components/bucket/lifecycle";


/** The price of one tier: per GB retrieved and per 1,000 restore requests. */
export interface RetrievalPrice {
    /** USD per GB (1 GB = 2^30 bytes, as AWS bills storage and transfer). */
    readonly perGb: RegionalPrice;
    /** USD per 1,000 restore requests. */
    readonly per1000Requests: RegionalPrice;
}

const READ = "2026-12-02";
const REPOST = "https://repost.aws/knowledge-center/s3-manage-data-retrieval (us-east-1 worked example)";
const USAGE_AI = "https://aws.amazon.com/s3/pricing/ as transcribed by https://www.usage.ai/blogs/aws/storage-cost/glacier-deep-archive-pricing/ (US East, May 2026)";
const USER_GUIDE_BULK_FREE = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/restoring-objects-retrieval-options.html (Bulk retrievals are free for S3 Glacier Flexible Retrieval)";

function usEast1(usd: number, unit: string, source: string): RegionalPrice {
    const price: Price = { usd, unit, source, read: READ };
    return { "us-east-1": price };
}

/**
 * Retrieval prices by archive storage class and tier; a tier the class does not offer is absent
 * (DEEP_ARCHIVE has no Expedited).
 */
export const S3_RETRIEVAL_PRICES: Readonly<Record<ArchiveStorageClass, Partial<Record<RetrievalTier, RetrievalPrice>>>> = {
    GLACIER: {
        Expedited: { perGb: usEast1(0.03, "GB", USAGE_AI), per1000Requests: usEast1(10.0, "1,000 requests", REPOST) },
        Standard: { perGb: usEast1(0.01, "GB", REPOST), per1000Requests: usEast1(0.05, "1,000 requests", REPOST) },
        Bulk: { perGb: usEast1(0, "GB", USER_GUIDE_BULK_FREE), per1000Requests: usEast1(0, "1,000 requests", USER_GUIDE_BULK_FREE) },
    },
    DEEP_ARCHIVE: {
        Standard: { perGb: usEast1(0.02, "GB", USAGE_AI), per1000Requests: usEast1(0.1, "1,000 requests", USAGE_AI) },
        Bulk: { perGb: usEast1(0.0025, "GB", USAGE_AI), per1000Requests: usEast1(0.025, "1,000 requests", USAGE_AI) },
    },
};

/** The recorded price of one tier in one Region, or undefined when none is recorded. */
export function retrievalPrice(storageClass: ArchiveStorageClass, tier: RetrievalTier, region: string): { perGb: Price; per1000Requests: Price } | undefined {
    const entry = S3_RETRIEVAL_PRICES[storageClass][tier];
    const perGb = entry?.perGb[region];
    const per1000Requests = entry?.per1000Requests[region];
    return perGb && per1000Requests ? { perGb, per1000Requests } : undefined;
}

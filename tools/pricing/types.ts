/**
 * The shape of the project's one price table (`tools/pricing/`): every price is a number with its
 * unit, the Region it applies to, the public page it was read from, and the date it was read.
 * The cost estimate (`npm run cost`) and the restore planner (`npm run restore`) read the same table.
 */

/** One published AWS price. */
export interface Price {
    /** Price in USD per `unit`. */
    readonly usd: number;
    /** What one unit is, e.g. "GB-month", "hour", "1,000 requests", "GB". */
    readonly unit: string;
    /** The AWS pricing page (or API) the price was read from. */
    readonly source: string;
    /** The date the price was read, `YYYY-MM-DD`. */
    readonly read: string;
    /** How the value was confirmed, or that it was not (optional). */
    readonly note?: string;
}

/** Prices of one item by AWS Region code (`us-east-1`, …). */
export type RegionalPrice = Readonly<Record<string, Price>>;

/**
 * Config section `microbiome-backup:network` — placeholder until its issue lands: accepts only an
 * empty object, so any key set here is refused as unknown.
 */
import { z } from "zod";

/** Schema of `microbiome-backup:network`. */
export const networkSection = z.strictObject({}).default({});


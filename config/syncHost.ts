/**
 * Config section `microbiome-backup:syncHost` — placeholder until its issue lands: accepts only an
 * empty object, so any key set here is refused as unknown.
 */
import { z } from "zod";
import type { StackConfig } from "./index";
import type { RuleFinding } from "./problems";

/** Schema of `microbiome-backup:syncHost`. */
export const syncHostSection = z.strictObject({}).default({});

/** Warnings for a valid `syncHost` section (paths relative to the section). */
export function syncHostWarnings(_config: StackConfig): RuleFinding[] {
    return [];
}

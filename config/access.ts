/**
 * Config section `microbiome-backup:access` — placeholder until its issue lands: accepts only an
 * empty object, so any key set here is refused as unknown.
 */
import { z } from "zod";
import type { StackConfig } from "./index";
import type { RuleFinding } from "./problems";

/** Schema of `microbiome-backup:access`. */
export const accessSection = z.strictObject({}).default({});

/** Warnings for a valid `access` section (paths relative to the section). */
export function accessWarnings(_config: StackConfig): RuleFinding[] {
    return [];
}

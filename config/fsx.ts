/**
 * Config section `microbiome-backup:fsx` — placeholder until its issue lands: accepts only an
 * empty object, so any key set here is refused as unknown.
 */
import { z } from "zod";
import type { StackConfig } from "./index";
import type { RuleFinding } from "./problems";

/** Schema of `microbiome-backup:fsx`. */
export const fsxSection = z.strictObject({}).default({});

/** Warnings for a valid `fsx` section (paths relative to the section). */
export function fsxWarnings(_config: StackConfig): RuleFinding[] {
    return [];
}

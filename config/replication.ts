/**
 * Config section `microbiome-backup:replication` — placeholder until its issue lands: accepts only an
 * empty object, so any key set here is refused as unknown.
 */
import { z } from "zod";
import type { StackConfig } from "./index";
import type { RuleFinding } from "./problems";

/** Schema of `microbiome-backup:replication`. */
export const replicationSection = z.strictObject({}).default({});

/** Warnings for a valid `replication` section (paths relative to the section). */
export function replicationWarnings(_config: StackConfig): RuleFinding[] {
    return [];
}

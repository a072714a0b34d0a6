/**
 * Checks that span config sections (each section validates itself in its own file).
 */
import type { z } from "zod";
import type { BucketConfig } from "./bucket";
import { FsxConfig, fsxCrossChecks } from "./fsx";
import { addFindings } from "./report";

/** The parts of the project settings the cross-section checks read. */
interface CrossCheckInput {
    readonly protect: boolean;
    readonly bucket: BucketConfig;
    readonly fsx: FsxConfig;
}

/**
 * Adds an issue for every inconsistency between sections:
 * - `bucket.forceDestroy` is refused when `protect` is true (a protected stack keeps its data).
 * - `fsx.dataRepositoryAssociations` are checked with the backup bucket's name filled in
 *   (`s3://<bucket>/<prefix>/`): path forms, nesting, overlapping prefixes (`config/fsx.ts`).
 *
 * @param cfg the parsed project settings.
 * @param ctx the root schema's refinement context (paths are from the project namespace root).
 */
export function crossSectionChecks(cfg: CrossCheckInput, ctx: z.RefinementCtx): void {
    if (cfg.protect && cfg.bucket.forceDestroy) {
        ctx.addIssue({
            code: "custom",
            path: ["bucket", "forceDestroy"],
            message: "must be false when protect is true: forceDestroy lets a delete empty the bucket (only a disposable stack such as dev may opt in)",
        });
    }
    addFindings(ctx, fsxCrossChecks(cfg));
}

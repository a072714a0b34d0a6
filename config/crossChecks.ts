/**
 * Checks that span config sections (each section validates itself in its own file).
 */
import type { z } from "zod";
import type { BucketConfig } from "./bucket";
import type { SyncHostConfig } from "./syncHost";
import { FsxConfig, fsxCrossChecks } from "./fsx";
import { addFindings } from "./report";

/** The parts of the project settings the cross-section checks read. */
interface CrossCheckInput {
    readonly protect: boolean;
    readonly bucket: BucketConfig;
    readonly syncHost: SyncHostConfig;
    readonly fsx: FsxConfig;
}

/**
 * Adds an issue for every inconsistency between sections:
 * - `bucket.forceDestroy` is refused when `protect` is true (a protected stack keeps its data).
 * - a sync-host `s3` source may not be the backup bucket itself (the file system already shows
 *   that bucket's data; pulling it again would re-export a copy under another path).
 * - `syncHost.enabled` needs `fsx.enabled`: the host exists to mount the file system.
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
    if (cfg.syncHost.enabled && !cfg.fsx.enabled) {
        ctx.addIssue({
            code: "custom",
            path: ["syncHost", "enabled"],
            message: "needs fsx.enabled: true — the sync host mounts the Lustre file system and lives in its subnet; disable the sync host with the file system",
        });
    }
    cfg.syncHost.sources.forEach((source, i) => {
        if (source.type === "s3" && source.bucket === cfg.bucket.name) {
            ctx.addIssue({
                code: "custom",
                path: ["syncHost", "sources", i, "bucket"],
                message: `is the backup bucket (bucket.name) itself: an s3 source pulls from another bucket; the backup bucket's data reaches the file system through its data repository association`,
            });
        }
    });
    addFindings(ctx, fsxCrossChecks(cfg));
}

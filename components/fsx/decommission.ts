/**
 * Post-migration mode: how the FSx for Lustre file system's data-safety options follow the
 * stack's `protect` setting and the decommission record (`microbiome-backup:fsx.decommission`), as
 * pure functions shared by the component (`lustreFileSystem.ts`: {@link fileSystemRetention}, with
 * `RetentionOptions` of `components/common/dataRetention.ts`), config validation (`config/fsx.ts`) and the policy pack (`policies/protection.ts`).
 *
 * Why two deployments are needed to delete a retained file system: the Pulumi engine decides a
 * delete step from the resource's *old* state, not from the program — `DeleteStep.Apply` in
 * pulumi/pulumi `pkg/resource/deploy/step.go` refuses when `s.old.Protect` and does nothing when
 * `s.old.RetainOnDelete` ("Deleting a \"drop on delete\" is a no-op as the user has explicitly asked
 * us to not delete the resource"). A resource the program no longer declares has no new options,
 * so `protect: false` / `retainOnDelete: false` must first be written to the state by an `up` that
 * still declares it (the "drain" step), and only the next `up` that removes it deletes it.
 */
import type { RetentionOptions } from "../common/dataRetention";

/** The decommission record (`microbiome-backup:fsx.decommission`), as validated by `config/fsx.ts`. */
export interface DecommissionRecord {
    /** `YYYY-MM-DD`: the day the sync host's export report showed 0 files not yet exported to S3. */
    readonly exportReportClean: string;
    /** Where that report is kept, `s3://…` (optional). */
    readonly reportUri?: string;
}

/**
 * Retention of the FSx for Lustre file system: protected and retained only when the stack sets
 * `protect` and no decommission record (`fsx.decommission`, post-migration mode) exists. So a
 * disposable stack (dev, protect false) deletes it on `pulumi destroy` — a retained file system
 * keeps its network interfaces in the subnet, and the subnet and security groups then cannot be
 * deleted (EC2 `DependencyViolation`) — and a drained prod file system (the export report showed
 * nothing left that S3 does not have) is really deleted when `fsx.enabled` becomes false, not
 * orphaned and billed (see the module comment for why that takes two deployments).
 *
 * @param args.protect the stack's `protect` setting.
 * @param args.decommission the `fsx.decommission` record, if any.
 * @returns the options for the file system (its DRAs are never retained: deleting an association
 *   with `deleteDataInFilesystem` false removes only the link, never data).
 */
export function fileSystemRetention(args: { readonly protect: boolean; readonly decommission?: DecommissionRecord }): RetentionOptions {
    const keep = args.protect && args.decommission === undefined;
    return { protect: keep, retainOnDelete: keep };
}

/**
 * Tag put on the file system while the decommission record is set. The policy pack reads it (the
 * engine sends inputs, not the stack config, to policies) to accept the unprotected, unretained file
 * system of a stack that is draining it; it also shows the state in the console.
 */
export const DECOMMISSION_TAG = "microbiome-backup:decommission";

/**
 * Whether a file system's inputs carry the decommission tag (the program set it from the record).
 *
 * @param props the `aws:fsx/lustreFileSystem:LustreFileSystem` inputs.
 */
export function isDecommissioned(props: Record<string, unknown>): boolean {
    const tags = props.tags;
    return tags !== null && typeof tags === "object" && typeof (tags as Record<string, unknown>)[DECOMMISSION_TAG] === "string";
}

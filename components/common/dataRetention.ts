/**
 * Data-retention rules of the stack's data-bearing resources, as pure checks shared by config
 * validation (`config/crossChecks.ts`) and the policy pack (`policies/protection.ts`).
 *
 * Source: the project's convention (docs/architecture.md, docs/aws-rules.md "Data safety": data-bearing
 * resources are retained, and protected where the stack asks for it); @pulumi/aws `aws.s3.Bucket` `forceDestroy`
 * ("all objects (including any locked objects) should be deleted from the bucket when the bucket is
 * destroyed").
 */
import type { RuleFinding } from "./problems";

/**
 * A protected bucket is never force-destroyable: `forceDestroy` lets a delete empty the bucket, so
 * only a disposable, unprotected stack (dev) may set it.
 *
 * @param protect whether the bucket is protected (the stack's `protect` setting, the resource's `protect` option).
 * @param forceDestroy the bucket's `forceDestroy` input.
 * @returns an error at `["forceDestroy"]`, or nothing.
 */
export function checkForceDestroy(protect: boolean, forceDestroy: unknown): RuleFinding[] {
    if (!protect || forceDestroy !== true) {
        return [];
    }
    return [
        {
            path: ["forceDestroy"],
            message: "must be false when the bucket is protected (protect is true): forceDestroy lets a delete empty the bucket (only a disposable stack such as dev may opt in)",
        },
    ];
}

/**
 * The `protect` and `retainOnDelete` resource options of a data-bearing resource (or of a side
 * resource that guards one), as the components pass them to Pulumi.
 *
 * Semantics (Pulumi engine, pulumi/pulumi `pkg/resource/deploy/step.go` `DeleteStep.Apply`): a
 * delete of a `protect`ed resource fails when the step runs (in a preview too, so a previewed
 * `destroy` stops before any change; with `--skip-preview` the unprotected resources scheduled
 * before it are already deleted); `retainOnDelete` makes the delete a no-op in AWS, and it is read
 * from the resource's state of the last deployment, so a changed option takes effect only after a
 * `pulumi up` has recorded it.
 */
export interface RetentionOptions {
    /** Pulumi refuses to delete or replace the resource. */
    readonly protect: boolean;
    /** A delete (destroy, replacement, removal from the program) leaves the resource in AWS. */
    readonly retainOnDelete: boolean;
}

/**
 * Retention of a bucket and of every side resource that guards it (versioning, policy, public
 * access block, ownership controls, encryption, lifecycle, replication and Object Lock
 * configurations): protected as the stack says; retained when protected, and always when the
 * bucket was adopted (its data and settings predate the stack, so no Pulumi delete may remove
 * them). An unprotected, created bucket (dev) is not retained: `pulumi destroy` of a disposable
 * stack deletes it (emptied first when `forceDestroy` is true) instead of leaving an unowned,
 * billed bucket whose name blocks the next `pulumi up` of the stack.
 *
 * @param args.protect the stack's `protect` setting.
 * @param args.adopted whether the bucket is adopted with the `import` option (`bucket.adoptExisting`).
 * @returns the options for the bucket and its side resources.
 */
export function bucketRetention(args: { readonly protect: boolean; readonly adopted: boolean }): RetentionOptions {
    return { protect: args.protect, retainOnDelete: args.protect || args.adopted };
}

/**
 * The pack's rule for a data-bearing resource or a bucket's side resource: a protected resource
 * must also be `retainOnDelete` (protect guards against a delete Pulumi plans; retainOnDelete
 * keeps the resource in AWS when the protection is lifted or bypassed, e.g. by
 * `pulumi destroy --ignore-protect` or a `pulumi state unprotect` before a destroy). An
 * unprotected resource of a disposable stack may be deleted.
 *
 * @param protect the resource's `protect` option.
 * @param retainOnDelete its `retainOnDelete` option.
 * @returns an error when protected but not retained, else nothing.
 */
export function checkRetainedWhenProtected(protect: boolean, retainOnDelete: boolean): RuleFinding[] {
    if (protect && !retainOnDelete) {
        return [{ path: [], message: "is protected but not retainOnDelete: once the protection is lifted (pulumi state unprotect, --ignore-protect) a destroy or replacement would delete it in AWS" }];
    }
    return [];
}

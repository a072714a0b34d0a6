/**
 * Data-retention rules of the stack's data-bearing resources, as pure checks shared by config
 * validation (`config/crossChecks.ts`) and the policy pack (`policies/protection.ts`).
 *
 * Source: the project's convention (docs/architecture.md, docs/aws-rules.md "Data safety": data-bearing
 * resources are retained, and protected where the stack asks for it); @pulumi/aws `aws.s3.Bucket` `forceDestroy`
 * ("all objects (including any locked objects) should be deleted from the bucket when the bucket is
 * destroyed").
 */
import type { RuleFinding } from "../config/problems";

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

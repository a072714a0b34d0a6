/**
 * Data-retention guardrails: no Pulumi operation may delete protected data. Data-bearing resources
 * (the buckets, their versioning, the Lustre file system) and the side resources that guard a
 * bucket (policy, public access block, ownership controls, encryption, lifecycle, replication and
 * Object Lock configurations) are `retainOnDelete` whenever they are `protect`ed; where the stack
 * asks for protection (prod's policy config) they are all protected; the side resources of a
 * protected bucket are protected too; and a protected bucket is never force-destroyable. An
 * unprotected resource of a disposable stack (dev) may be deleted by `pulumi destroy`.
 *
 * The rules live beside the components (`components/common/dataRetention.ts`: `bucketRetention`,
 * `checkRetainedWhenProtected`, `checkForceDestroy`; `components/fsx/decommission.ts`: `fileSystemRetention`).
 *
 * Source: the project's convention (Pulumi.yaml `protect`, docs/aws-rules.md "Data safety (project invariants)");
 * Pulumi resource options `protect` and `retainOnDelete` (pulumi/pulumi
 * `pkg/resource/deploy/step.go`: protect is checked when a delete step runs, retainOnDelete is read
 * from the last deployment's state).
 */
import type { PolicyResourceOptions, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { checkForceDestroy, checkRetainedWhenProtected } from "../components/common/dataRetention";
import { isDecommissioned } from "../components/fsx/decommission";
import { reportFindings, resourceGuardrail, shortName, stackGuardrail, TYPES } from "./lib";

/** Resource types that hold (or guard) the data. */
export const DATA_BEARING_TYPES: readonly string[] = [TYPES.bucket, TYPES.bucketVersioning, TYPES.lustreFileSystem];

/**
 * Side resources of a bucket that carry its protections or its data flow: replacing or deleting one
 * rewrites the live bucket's settings (S3 has one policy, one public access block, … per bucket).
 * Each refers to its bucket through the `bucket` input.
 */
export const BUCKET_GUARD_TYPES: readonly string[] = [
    TYPES.bucketVersioning,
    TYPES.bucketPolicy,
    TYPES.bucketPublicAccessBlock,
    TYPES.bucketOwnershipControls,
    TYPES.bucketEncryption,
    TYPES.bucketLifecycle,
    TYPES.bucketReplication,
    TYPES.bucketObjectLock,
];

/** Every type the retention policies look at. */
export const RETAINED_TYPES: readonly string[] = [...new Set([...DATA_BEARING_TYPES, ...BUCKET_GUARD_TYPES])];

/**
 * Why {@link dataRetainOnDelete} cannot run under the real CLI: the analyzer protocol has no
 * retainOnDelete field (AnalyzerResourceOptions in @pulumi/pulumi 3.270 / @pulumi/policy 1.21 carries
 * protect, ignoreChanges, deleteBeforeReplace, aliases, customTimeouts, additionalSecretOutputs,
 * parent).
 */
export const RETAIN_ON_DELETE_NOT_SENT =
    "the Pulumi engine does not send retainOnDelete to policy packs (AnalyzerResourceOptions has no such field); the offline preview and the policy tests check it";

/** Every protected data-bearing resource or bucket side resource is retainOnDelete. */
export const dataRetainOnDelete: ResourceValidationPolicy = resourceGuardrail(
    {
        name: "data-retain-on-delete",
        description:
            "Every protected data-bearing resource (S3 bucket, bucket versioning, FSx for Lustre file system) and every protected side resource of a bucket (policy, public access block, ownership controls, encryption, lifecycle, replication and Object Lock configurations) also has the retainOnDelete resource option (checkRetainedWhenProtected), so a destroy or replacement after the protection is lifted leaves it in AWS.",
        severity: "high",
        controls: [],
        remediation:
            "Declare the resource with the options of bucketRetention (components/common/dataRetention.ts) / fileSystemRetention (components/fsx/decommission.ts), as BackupBucket and LustreFileSystem do. To really delete the data, do it by hand after a reviewed change that removes the resource from the stack.",
    },
    RETAINED_TYPES,
    (_props, args, report) => {
        const retain = (args.opts as PolicyResourceOptions & { retainOnDelete?: boolean }).retainOnDelete;
        if (retain === undefined) {
            args.notApplicable(RETAIN_ON_DELETE_NOT_SENT);
        }
        for (const finding of checkRetainedWhenProtected(args.opts.protect, retain === true)) {
            report(`${args.type} ${args.name} ${finding.message}`);
        }
    },
);

/** Policy configuration of {@link dataProtected}. */
export interface DataProtectedConfig {
    /** Require `protect` on every data-bearing resource and bucket side resource (true in prod's policy config). Default false. */
    readonly requireProtect?: boolean;
}

/** A protected bucket cannot be force-destroyed; with requireProtect, every data-bearing resource and bucket side resource is protected. */
export const dataProtected: ResourceValidationPolicy = {
    ...resourceGuardrail(
        {
            name: "data-protected",
            description:
                "A protected S3 bucket is not force-destroyable (forceDestroy false; checkForceDestroy, as config validation), and where the policy config sets requireProtect (prod) every data-bearing resource (bucket, bucket versioning, Lustre file system) and every bucket side resource (policy, public access block, ownership controls, encryption, lifecycle, replication and Object Lock configurations) has the protect option.",
            severity: "high",
            controls: [],
            remediation:
                "Set microbiome-backup:protect true in the stack and bucket.forceDestroy false; only a disposable stack (dev) may set forceDestroy, and only without protect. Policy config: policies/config/<stack>.json.",
        },
        RETAINED_TYPES,
        (props, args, report) => {
            const { requireProtect = false } = args.getConfig<DataProtectedConfig>();
            if (args.type === TYPES.bucket) {
                reportFindings(checkForceDestroy(args.opts.protect, props.forceDestroy), props, (message) => report(`bucket ${args.name}: ${message}`));
            }
            // A file system drained under the decommission record (post-migration mode, tag
            // microbiome-backup:decommission) is deliberately unprotected so fsx.enabled: false deletes it.
            if (requireProtect && !args.opts.protect && !(args.type === TYPES.lustreFileSystem && isDecommissioned(props))) {
                report(`${args.type} ${args.name} holds or guards data but is not protected (requireProtect is set for this stack)`);
            }
        },
    ),
    configSchema: {
        properties: {
            requireProtect: {
                type: "boolean",
                default: false,
                description: "Require the protect option on every data-bearing resource and bucket side resource (set true for prod).",
            },
        },
    },
};

/** The side resources of a protected bucket are protected. */
export const dataSideResourcesProtected: StackValidationPolicy = stackGuardrail(
    {
        name: "data-side-resources-protected",
        description:
            "Every side resource of a protected S3 bucket (versioning, policy, public access block, ownership controls, encryption, lifecycle, replication and Object Lock configurations) is protected too, so a rename without aliases or a pulumi destroy --skip-preview cannot delete the live bucket's settings before the bucket's own protection stops it.",
        severity: "high",
        controls: [],
        remediation:
            "Declare the side resources with the bucket's own options (BackupBucket.retention, from bucketRetention in components/common/dataRetention.ts); a renamed side resource needs `aliases` with its old name.",
    },
    (stack, _args, report) => {
        for (const bucket of stack.ofType(TYPES.bucket)) {
            if (!bucket.protect) {
                continue;
            }
            for (const type of BUCKET_GUARD_TYPES) {
                for (const side of stack.sideResources(bucket, type)) {
                    if (!side.protect) {
                        report(`${type} ${shortName(side.urn)} configures the protected bucket ${shortName(bucket.urn)} but is not protected: deleting it (rename, destroy --skip-preview) rewrites the live bucket's settings`, side.urn);
                    }
                }
            }
        }
    },
);

/** The data-retention policies. */
export const protectionPolicies = [dataRetainOnDelete, dataProtected, dataSideResourcesProtected];

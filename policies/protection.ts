/**
 * Data-retention guardrails: no Pulumi operation may delete the data. Data-bearing resources (the
 * buckets, their versioning, the Lustre file system) are `retainOnDelete`; where the stack asks for
 * protection they are `protect`ed, and a protected bucket is never force-destroyable.
 *
 * Source: the project's convention (Pulumi.yaml `protect`; docs/aws-rules.md "Data safety (project invariants)");
 * Pulumi resource options `protect` and `retainOnDelete`.
 */
import type { PolicyResourceOptions, ResourceValidationPolicy } from "@pulumi/policy";
import { checkForceDestroy } from "../components/dataRetention";
import { reportFindings, resourceGuardrail, TYPES } from "./lib";

/** Resource types that hold (or guard) the data. */
export const DATA_BEARING_TYPES: readonly string[] = [TYPES.bucket, TYPES.bucketVersioning, TYPES.lustreFileSystem];

/**
 * Why {@link dataRetainOnDelete} cannot run under the real CLI: the analyzer protocol has no
 * retainOnDelete field (AnalyzerResourceOptions in @pulumi/pulumi 3.270 / @pulumi/policy 1.21 carries
 * protect, ignoreChanges, deleteBeforeReplace, aliases, customTimeouts, additionalSecretOutputs,
 * parent).
 */
export const RETAIN_ON_DELETE_NOT_SENT =
    "the Pulumi engine does not send retainOnDelete to policy packs (AnalyzerResourceOptions has no such field); the offline preview and the policy tests check it";

/** Every data-bearing resource is retainOnDelete. */
export const dataRetainOnDelete: ResourceValidationPolicy = resourceGuardrail(
    {
        name: "data-retain-on-delete",
        description:
            "Every data-bearing resource (S3 bucket, bucket versioning, FSx for Lustre file system) has the retainOnDelete resource option, so a destroy or replacement leaves the data in AWS.",
        severity: "high",
        controls: [],
        remediation:
            "Declare the resource with { retainOnDelete: true } (BackupBucket's dataOpts does). To really delete the data, do it by hand after a reviewed change that removes the resource from the stack.",
    },
    DATA_BEARING_TYPES,
    (_props, args, report) => {
        const retain = (args.opts as PolicyResourceOptions & { retainOnDelete?: boolean }).retainOnDelete;
        if (retain === undefined) {
            args.notApplicable(RETAIN_ON_DELETE_NOT_SENT);
        }
        if (retain !== true) {
            report(`${args.type} ${args.name} holds data but is not retainOnDelete: a pulumi destroy or a replacement would delete it`);
        }
    },
);

/** Policy configuration of {@link dataProtected}. */
export interface DataProtectedConfig {
    /** Require `protect` on every data-bearing resource (true in prod's policy config). Default false. */
    readonly requireProtect?: boolean;
}

/** A protected bucket cannot be force-destroyed; with requireProtect, every data-bearing resource is protected. */
export const dataProtected: ResourceValidationPolicy = {
    ...resourceGuardrail(
        {
            name: "data-protected",
            description:
                "A protected S3 bucket is not force-destroyable (forceDestroy false; checkForceDestroy, as config validation), and where the policy config sets requireProtect (prod) every data-bearing resource (bucket, bucket versioning, Lustre file system) has the protect option.",
            severity: "high",
            controls: [],
            remediation:
                "Set microbiome-backup:protect true in the stack and bucket.forceDestroy false; only a disposable stack (dev) may set forceDestroy, and only without protect. Policy config: policies/config/<stack>.json.",
        },
        DATA_BEARING_TYPES,
        (props, args, report) => {
            const { requireProtect = false } = args.getConfig<DataProtectedConfig>();
            if (args.type === TYPES.bucket) {
                reportFindings(checkForceDestroy(args.opts.protect, props.forceDestroy), props, (message) => report(`bucket ${args.name}: ${message}`));
            }
            if (requireProtect && !args.opts.protect) {
                report(`${args.type} ${args.name} holds data but is not protected (requireProtect is set for this stack)`);
            }
        },
    ),
    configSchema: {
        properties: {
            requireProtect: {
                type: "boolean",
                default: false,
                description: "Require the protect option on every data-bearing resource (set true for prod).",
            },
        },
    },
};

/** The data-retention policies. */
export const protectionPolicies = [dataRetainOnDelete, dataProtected];

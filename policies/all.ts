/**
 * Every policy of the microbiome-backup pack, and the guardrails table derived from them. The pack
 * entry (`index.ts`), the offline preview (`tools/offline/policies.ts`) and the tests import this
 * module; only the entry constructs the `PolicyPack` (its constructor starts a gRPC server).
 */
import type { ResourceValidationPolicy, Severity, StackValidationPolicy } from "@pulumi/policy";
import { ec2Policies } from "./ec2";
import { fsxPolicies } from "./fsx";
import { iamPolicies } from "./iam";
import { CONTROL_TAG_PREFIX } from "./lib";
import { protectionPolicies } from "./protection";
import { replicationPolicies } from "./replication";
import { s3Policies } from "./s3";

/** Name of the policy pack (`pulumi preview --policy-pack policies` reports it). */
export const PACK_NAME = "microbiome-backup";

/** A policy of the pack: resource or stack validation. */
export type PackPolicy = ResourceValidationPolicy | StackValidationPolicy;

/** Every policy, grouped by domain: S3, data retention, IAM, replication, FSx, EC2. */
export const policies: PackPolicy[] = [
    ...s3Policies,
    ...protectionPolicies,
    ...iamPolicies,
    ...replicationPolicies,
    ...fsxPolicies,
    ...ec2Policies,
];

/** One row of the guardrails table (docs/policies.md). */
export interface GuardrailRow {
    readonly name: string;
    readonly kind: "resource" | "stack";
    readonly severity: Severity | undefined;
    /** Security Hub control ids ("" when none maps). */
    readonly controls: string[];
    readonly description: string;
    readonly remediation: string | undefined;
}

/** The guardrails table: one row per policy, with severity, Security Hub controls and remediation. */
export const GUARDRAILS: readonly GuardrailRow[] = policies.map((p) => ({
    name: p.name,
    kind: "validateStack" in p ? "stack" : "resource",
    severity: p.severity,
    controls: (p.tags ?? []).filter((t) => t.startsWith(CONTROL_TAG_PREFIX)).map((t) => t.slice(CONTROL_TAG_PREFIX.length)),
    description: p.description,
    remediation: p.remediationSteps,
}));

/**
 * Replication guardrails: a replication configuration only with versioning Enabled on both buckets
 * (and declared after it), and a replication role that can do exactly what S3 replication needs.
 *
 * Sources: S3 User Guide "Replication requirements", "setting-repl-config-perm-overview",
 * "replication-change-owner"; ../shared/reference/aws-constraints.md "Cross-account replication".
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { iamIdentities } from "./iam";
import {
    asList,
    asRecord,
    asString,
    parsePolicyDocument,
    servicePrincipals,
    shortName,
    stackGuardrail,
    statementLabel,
    StackNode,
    StackView,
    TYPES,
    UNKNOWN,
} from "./lib";

/** Enabled versioning resources of a bucket. */
function enabledVersionings(stack: StackView, bucket: StackNode): StackNode[] {
    return stack.sideResources(bucket, TYPES.bucketVersioning).filter((v) => {
        const status = asRecord(v.props.versioningConfiguration)?.status;
        return status === "Enabled" || status === UNKNOWN;
    });
}

/** Destination bucket values (ARNs) of a replication configuration's rules. */
function destinations(repl: StackNode): unknown[] {
    return asList(repl.props.rules).map((r) => asRecord(asRecord(r)?.destination)?.bucket);
}

/** Replication needs versioning on both buckets, declared before the replication configuration. */
export const replicationRequiresVersioning: StackValidationPolicy = stackGuardrail(
    {
        name: "s3-replication-requires-versioning",
        description:
            "Every aws.s3.BucketReplicationConfig replicates between buckets that both have versioning Enabled, and depends on those BucketVersioning resources so versioning is on before the configuration is put.",
        severity: "high",
        controls: [],
        remediation:
            "Give source and destination buckets an aws.s3.BucketVersioning with status Enabled and declare the replication configuration with dependsOn: [sourceVersioning, destinationVersioning].",
    },
    (stack, _args, report) => {
        for (const repl of stack.ofType(TYPES.bucketReplication)) {
            const sides: { role: string; bucket: StackNode | undefined; value: unknown }[] = [
                { role: "source", bucket: stack.bucketFor(repl, "bucket", repl.props.bucket), value: repl.props.bucket },
                ...destinations(repl).map((value) => ({ role: "destination", bucket: stack.bucketFor(repl, "rules", value), value })),
            ];
            for (const side of sides) {
                if (!side.bucket) {
                    if (side.role === "source" && typeof side.value === "string") {
                        report(`the source bucket ${side.value} is not declared in this stack, so its versioning cannot be checked`, repl.urn);
                    }
                    continue; // an external destination: S3 itself refuses replication to an unversioned bucket
                }
                const versionings = enabledVersionings(stack, side.bucket);
                const name = shortName(side.bucket.urn);
                if (versionings.length === 0) {
                    report(`the ${side.role} bucket ${name} has no Enabled versioning; S3 replication requires versioning on both buckets`, repl.urn);
                } else if (!versionings.some((v) => repl.dependencies.includes(v.urn))) {
                    report(
                        `the replication configuration does not depend on ${shortName(versionings[0].urn)}: versioning of the ${side.role} bucket ${name} must be Enabled before the configuration is put (add it to dependsOn)`,
                        repl.urn,
                    );
                }
            }
        }
    },
);

/** What S3 replication needs, by the resource each action applies to. */
export const REPLICATION_ACTIONS = {
    /** On the source bucket ARN. */
    sourceBucket: ["s3:GetReplicationConfiguration", "s3:ListBucket"],
    /** On the source bucket's objects. */
    sourceObjects: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
    /** On the destination bucket's objects (owner override only with accessControlTranslation). */
    destinationObjects: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags", "s3:ObjectOwnerOverrideToBucketOwner"],
    /** On KMS keys, for SSE-KMS replication only. */
    kms: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
} as const;

/** Service principals that may assume the replication role (S3, and S3 Batch Replication). */
const REPLICATION_SERVICES = ["s3.amazonaws.com", "batchoperations.s3.amazonaws.com"];

type ActionCategory = keyof typeof REPLICATION_ACTIONS;

function categoryOf(action: string): ActionCategory | undefined {
    const lower = action.toLowerCase();
    return (Object.keys(REPLICATION_ACTIONS) as ActionCategory[]).find((c) => REPLICATION_ACTIONS[c].some((a) => a.toLowerCase() === lower));
}

/** The replication role's permission documents (inline, RolePolicy, attached managed policies). */
function roleDocuments(stack: StackView, role: StackNode, report: (message: string, urn: string) => void): { urn: string; label: string; value: unknown }[] {
    const ids = iamIdentities(role);
    const docs: { urn: string; label: string; value: unknown }[] = [];
    asList(role.props.inlinePolicies).forEach((p, i) => {
        const policy = asRecord(p)?.policy;
        if (policy !== undefined && policy !== "") {
            docs.push({ urn: role.urn, label: `inlinePolicies[${i}]`, value: policy });
        }
    });
    for (const rp of stack.ofType(TYPES.iamRolePolicy).filter((n) => stack.refersTo(n, "role", role, ids))) {
        docs.push({ urn: rp.urn, label: "policy", value: rp.props.policy });
    }
    const attached: { urn: string; arn: unknown; node: StackNode }[] = [
        ...stack
            .ofType(TYPES.iamRolePolicyAttachment)
            .filter((a) => stack.refersTo(a, "role", role, ids))
            .map((a) => ({ urn: a.urn, arn: a.props.policyArn, node: a })),
        ...stack
            .ofType(TYPES.iamPolicyAttachment)
            .filter((a) => stack.refersTo(a, "roles", role, ids))
            .map((a) => ({ urn: a.urn, arn: a.props.policyArn, node: a })),
        ...asList(role.props.managedPolicyArns).map((arn) => ({ urn: role.urn, arn, node: role })),
    ];
    for (const a of attached) {
        const policy = stack.ofType(TYPES.iamPolicy).find((p) =>
            a.node === role ? [p.props.arn, p.props.id].includes(a.arn) : stack.refersTo(a.node, "policyArn", p, [p.props.arn, p.props.id]),
        );
        if (policy) {
            docs.push({ urn: policy.urn, label: "policy", value: policy.props.policy });
        } else if (typeof a.arn === "string") {
            report(`attaches ${a.arn} to the replication role: a policy not declared in this stack cannot be shown to be minimal`, a.urn);
        }
    }
    return docs;
}

/** The replication role may only do what S3 replication needs, on the buckets it replicates. */
export const replicationRoleMinimal: StackValidationPolicy = stackGuardrail(
    {
        name: "s3-replication-role-minimal",
        description:
            "The role of every aws.s3.BucketReplicationConfig is trusted only by the S3 service and allowed only the documented replication actions: s3:GetReplicationConfiguration and s3:ListBucket on the source bucket, s3:GetObjectVersionForReplication/Acl/Tagging on its objects, s3:ReplicateObject/Delete/Tags (and s3:ObjectOwnerOverrideToBucketOwner only with an owner override) on the destination's objects, and KMS actions on keys.",
        severity: "high",
        controls: [],
        remediation:
            "Build the replication role's policy from the source and destination bucket ARNs with exactly the actions listed in ../shared/reference/aws-constraints.md (Cross-account replication); trust s3.amazonaws.com (with an aws:SourceAccount condition).",
    },
    (stack, _args, report) => {
        for (const repl of stack.ofType(TYPES.bucketReplication)) {
            const role = stack.ofType(TYPES.iamRole).find((r) => stack.refersTo(repl, "role", r, [r.props.arn, r.props.name, r.props.id]));
            if (!role) {
                if (typeof repl.props.role === "string") {
                    report(`the replication role ${repl.props.role} is not declared in this stack, so its permissions cannot be reviewed`, repl.urn);
                }
                continue;
            }
            const roleName = shortName(role.urn);
            const trust = parsePolicyDocument(role.props.assumeRolePolicy);
            if (trust.ok === true) {
                for (const s of trust.statements.filter((st) => st.effect === "Allow")) {
                    const principal = asRecord(s.principal) ?? {};
                    const others = Object.keys(principal).filter((k) => k !== "Service");
                    const services = servicePrincipals(s.principal).filter((svc) => !REPLICATION_SERVICES.includes(svc));
                    if (s.principal === "*" || others.length > 0 || services.length > 0) {
                        report(`the trust policy of ${roleName} (${statementLabel(s)}) lets ${JSON.stringify(s.principal)} assume the role; only ${REPLICATION_SERVICES.join(" or ")} may`, role.urn);
                    }
                }
            }
            const source = stack.bucketFor(repl, "bucket", repl.props.bucket);
            const sourceArn = source ? stack.bucketArn(source) : undefined;
            const destArns = destinations(repl).filter((d): d is string => typeof d === "string");
            const destsKnown = !destinations(repl).some((d) => d === UNKNOWN || d === undefined);
            const ownerOverride = asList(repl.props.rules).some(
                (r) => asString(asRecord(asRecord(asRecord(r)?.destination)?.accessControlTranslation)?.owner) === "Destination",
            );
            const allowedResource = (category: ActionCategory, resource: string): boolean | undefined => {
                switch (category) {
                    case "sourceBucket":
                        return sourceArn === undefined ? undefined : resource === sourceArn;
                    case "sourceObjects":
                        return sourceArn === undefined ? undefined : resource === `${sourceArn}/*` || resource.startsWith(`${sourceArn}/`);
                    case "destinationObjects":
                        return destsKnown ? destArns.some((d) => resource === `${d}/*` || resource.startsWith(`${d}/`)) : undefined;
                    case "kms":
                        return resource.startsWith("arn:aws:kms:") && !resource.includes("*");
                }
            };
            for (const doc of roleDocuments(stack, role, report)) {
                const parsed = parsePolicyDocument(doc.value);
                if (parsed.ok !== true) {
                    continue;
                }
                for (const s of parsed.statements.filter((st) => st.effect === "Allow")) {
                    const where = `${statementLabel(s)} of the replication role ${roleName}'s ${doc.label}`;
                    if (s.hasNotAction || s.notResources.length > 0) {
                        report(`${where} uses NotAction/NotResource`, doc.urn);
                    }
                    const extra = s.actions.filter((a) => categoryOf(a) === undefined);
                    if (extra.length > 0) {
                        report(`${where} allows ${extra.join(", ")}, which replication does not need`, doc.urn);
                    }
                    if (!ownerOverride && s.actions.some((a) => a.toLowerCase() === "s3:objectowneroverridetobucketowner")) {
                        report(`${where} allows s3:ObjectOwnerOverrideToBucketOwner but no rule sets destination.accessControlTranslation.owner "Destination"`, doc.urn);
                    }
                    const categories = [...new Set(s.actions.map(categoryOf).filter((c): c is ActionCategory => c !== undefined))];
                    if (categories.length === 0) {
                        continue;
                    }
                    const outside = s.resources.filter((r) => categories.every((c) => allowedResource(c, r) === false));
                    if (outside.length > 0) {
                        report(`${where} applies to ${outside.join(", ")}, which is not the replicated bucket or its objects for those actions`, doc.urn);
                    }
                }
            }
        }
    },
);

/** The replication policies. */
export const replicationPolicies = [replicationRequiresVersioning, replicationRoleMinimal];

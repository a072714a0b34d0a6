/**
 * Replication guardrails: a replication configuration only with versioning Enabled on both buckets
 * (and declared after it), and a replication role that can do exactly what S3 replication needs.
 *
 * Sources: S3 User Guide "Replication requirements", "setting-repl-config-perm-overview",
 * "replication-change-owner"; docs/aws-rules.md "Cross-account replication".
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { OWNER_OVERRIDE_ACTION, REPLICATION_ROLE_ACTIONS, REPLICATION_SERVICE_PRINCIPALS } from "../components/replication/policies";
import { checkReplicationVersioning, VersioningDeclaration } from "../components/replication/rules";
import { principalDocuments } from "./iam";
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

/**
 * The stack's versioning declarations in the shape `checkReplicationVersioning` reads: one per
 * bucket node, named by its logical name (its URN when two buckets share one), Enabled when any of
 * its BucketVersioning resources is Enabled or not known yet (preview).
 */
function versioningDeclarations(stack: StackView): { label: (bucket: StackNode) => string; declarations: VersioningDeclaration[] } {
    const buckets = stack.ofType(TYPES.bucket);
    const label = (bucket: StackNode) => (buckets.filter((b) => shortName(b.urn) === shortName(bucket.urn)).length > 1 ? bucket.urn : shortName(bucket.urn));
    const declarations = buckets.flatMap((bucket) =>
        stack.sideResources(bucket, TYPES.bucketVersioning).map((v) => {
            const status = asRecord(v.props.versioningConfiguration)?.status;
            return { bucket: label(bucket), status: status === UNKNOWN ? "Enabled" : asString(status) };
        }),
    );
    return { label, declarations };
}

/** Replication needs versioning on both buckets, declared before the replication configuration. */
export const replicationRequiresVersioning: StackValidationPolicy = stackGuardrail(
    {
        name: "s3-replication-requires-versioning",
        description:
            "Every aws.s3.BucketReplicationConfig replicates between buckets that both have versioning Enabled (checkReplicationVersioning, components/replication/rules.ts), and depends on those BucketVersioning resources so versioning is on before the configuration is put.",
        severity: "high",
        controls: [],
        remediation:
            "Give source and destination buckets an aws.s3.BucketVersioning with status Enabled and declare the replication configuration with dependsOn: [sourceVersioning, destinationVersioning].",
    },
    (stack, _args, report) => {
        const { label, declarations } = versioningDeclarations(stack);
        for (const repl of stack.ofType(TYPES.bucketReplication)) {
            const source = stack.bucketFor(repl, "bucket", repl.props.bucket);
            if (!source && typeof repl.props.bucket === "string") {
                report(`the source bucket ${repl.props.bucket} is not declared in this stack, so its versioning cannot be checked`, repl.urn);
            }
            // An external destination is not checked: S3 itself refuses replication to an unversioned bucket.
            const dests = destinations(repl)
                .map((value) => stack.bucketFor(repl, "rules", value))
                .filter((b): b is StackNode => b !== undefined);
            const findings = [
                ...checkReplicationVersioning(source && label(source), undefined, declarations).errors,
                ...dests.flatMap((dest) => checkReplicationVersioning(undefined, label(dest), declarations).errors),
            ];
            for (const finding of findings) {
                report(finding.message, repl.urn);
            }
            const sides = [...(source ? [{ role: "source", bucket: source }] : []), ...dests.map((bucket) => ({ role: "destination", bucket }))];
            for (const side of sides) {
                const versionings = enabledVersionings(stack, side.bucket);
                if (versionings.length > 0 && !versionings.some((v) => repl.dependencies.includes(v.urn))) {
                    report(
                        `the replication configuration does not depend on ${shortName(versionings[0].urn)}: versioning of the ${side.role} bucket ${shortName(side.bucket.urn)} must be Enabled before the configuration is put (add it to dependsOn)`,
                        repl.urn,
                    );
                }
            }
        }
    },
);

type ActionCategory = keyof typeof REPLICATION_ROLE_ACTIONS;

/** The resource category of a replication action (the table the role builder uses), or undefined for any other action. */
function categoryOf(action: string): ActionCategory | undefined {
    const lower = action.toLowerCase();
    return (Object.keys(REPLICATION_ROLE_ACTIONS) as ActionCategory[]).find((c) => REPLICATION_ROLE_ACTIONS[c].some((a) => a.toLowerCase() === lower));
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
            "Build the replication role's policy with replicationRolePolicy (components/replication/policies.ts) from the source and destination bucket ARNs: exactly the actions of REPLICATION_ROLE_ACTIONS; trust s3.amazonaws.com (with an aws:SourceAccount condition).",
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
                    const services = servicePrincipals(s.principal).filter((svc) => !(REPLICATION_SERVICE_PRINCIPALS as readonly string[]).includes(svc));
                    if (s.principal === "*" || others.length > 0 || services.length > 0) {
                        report(`the trust policy of ${roleName} (${statementLabel(s)}) lets ${JSON.stringify(s.principal)} assume the role; only ${REPLICATION_SERVICE_PRINCIPALS.join(" or ")} may`, role.urn);
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
            const docs = principalDocuments(stack, role, "role", (arn, urn) =>
                report(`attaches ${arn} to the replication role: a policy not declared in this stack cannot be shown to be minimal`, urn),
            );
            for (const doc of docs) {
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
                    if (!ownerOverride && s.actions.some((a) => a.toLowerCase() === OWNER_OVERRIDE_ACTION.toLowerCase())) {
                        report(`${where} allows ${OWNER_OVERRIDE_ACTION} but no rule sets destination.accessControlTranslation.owner "Destination"`, doc.urn);
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

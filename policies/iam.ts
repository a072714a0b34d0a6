/**
 * IAM guardrails: no policy attached directly to a user, no wildcard or NotAction grants in any
 * policy document the stack declares, and the access identity (the IAM group the lab users and
 * machines belong to) confined to the backup bucket.
 *
 * Sources: Security Hub "iam-controls" (IAM.1, IAM.2, IAM.21); IAM User Guide "IAM JSON policy
 * elements: NotAction"; docs/aws-rules.md "IAM and access".
 */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { checkLeastPrivilege, CONSOLE_BUCKET_LIST_ACTION, SELF_SERVICE_ACTIONS } from "../components/access/policies";
import { KMS_ACTIONS } from "../components/common/policyDocument";
import {
    asList,
    asRecord,
    isFullWildcardAction,
    NormalizedStatement,
    parsePolicyDocument,
    resourceGuardrail,
    shortName,
    stackGuardrail,
    statementLabel,
    StackNode,
    StackView,
    toPolicyDocument,
    TYPES,
} from "./lib";

/** Resource types whose `policy` input is an IAM policy document. */
const POLICY_INPUT_TYPES: readonly string[] = [
    TYPES.iamPolicy,
    TYPES.iamRolePolicy,
    TYPES.iamGroupPolicy,
    TYPES.iamUserPolicy,
    TYPES.bucketPolicy,
    TYPES.secretPolicy,
];

/** Every resource type {@link policyDocumentsOf} reads. */
export const POLICY_DOCUMENT_TYPES: readonly string[] = [...POLICY_INPUT_TYPES, TYPES.iamRole];

/** A policy document found in a resource's inputs. */
export interface FoundDocument {
    /** Input path, e.g. `policy` or `inlinePolicies[0].policy`. */
    readonly label: string;
    readonly value: unknown;
}

/**
 * The IAM policy documents in a resource's inputs: `policy` of managed, inline, bucket and secret
 * policies; `assumeRolePolicy` and `inlinePolicies[].policy` of a role.
 *
 * @param type the resource type token.
 * @param props the resource's inputs (a value not known during preview throws, as CrossGuard's proxy does).
 */
export function policyDocumentsOf(type: string, props: Record<string, unknown>): FoundDocument[] {
    if (POLICY_INPUT_TYPES.includes(type)) {
        return props.policy === undefined ? [] : [{ label: "policy", value: props.policy }];
    }
    if (type === TYPES.iamRole) {
        const docs: FoundDocument[] = [];
        if (props.assumeRolePolicy !== undefined) {
            docs.push({ label: "assumeRolePolicy", value: props.assumeRolePolicy });
        }
        asList(props.inlinePolicies).forEach((p, i) => {
            const policy = asRecord(p)?.policy;
            if (policy !== undefined && policy !== "") {
                docs.push({ label: `inlinePolicies[${i}].policy`, value: policy });
            }
        });
        return docs;
    }
    return [];
}

/** No IAM policy is attached to a user: users get permissions only through groups. */
export const noUserPolicies: ResourceValidationPolicy = resourceGuardrail(
    {
        name: "iam-no-user-policies",
        description:
            "No IAM policy is attached directly to a user (no aws.iam.UserPolicy, UserPolicyAttachment, PolicyAttachment with users, or user policy exclusivity lists naming policies): users get permissions only through groups.",
        severity: "medium",
        controls: ["IAM.2"],
        remediation:
            "Attach the policy to the access group (aws.iam.GroupPolicy or GroupPolicyAttachment) and add the user to the group (aws.iam.UserGroupMembership).",
    },
    [TYPES.iamUserPolicy, TYPES.iamUserPolicyAttachment, TYPES.iamPolicyAttachment, TYPES.iamUserPoliciesExclusive, TYPES.iamUserPolicyAttachmentsExclusive],
    (props, args, report) => {
        switch (args.type) {
            case TYPES.iamUserPolicy:
                report(`aws.iam.UserPolicy ${args.name} puts an inline policy on user ${JSON.stringify(props.user)}; use a group policy instead`);
                break;
            case TYPES.iamUserPolicyAttachment:
                report(`aws.iam.UserPolicyAttachment ${args.name} attaches a policy to user ${JSON.stringify(props.user)}; attach it to a group instead`);
                break;
            case TYPES.iamPolicyAttachment:
                if (asList(props.users).length > 0) {
                    report(`aws.iam.PolicyAttachment ${args.name} attaches a policy to users ${JSON.stringify(props.users)}; attach it to a group instead`);
                }
                break;
            case TYPES.iamUserPoliciesExclusive:
                if (asList(props.policyNames).length > 0) {
                    report(`aws.iam.UserPoliciesExclusive ${args.name} keeps inline policies ${JSON.stringify(props.policyNames)} on a user; the list must be empty`);
                }
                break;
            case TYPES.iamUserPolicyAttachmentsExclusive:
                if (asList(props.policyArns).length > 0) {
                    report(`aws.iam.UserPolicyAttachmentsExclusive ${args.name} keeps policies ${JSON.stringify(props.policyArns)} attached to a user; the list must be empty`);
                }
                break;
        }
    },
);

/** No Allow statement grants `*` or a whole service (`s3:*`). */
export const noWildcardAllowActions: ResourceValidationPolicy = resourceGuardrail(
    {
        name: "iam-no-wildcard-allow-actions",
        description:
            "No policy document the stack declares (IAM managed and inline policies, role trust and inline policies, bucket and secret policies) has an Allow statement with Action \"*\" or a whole-service wildcard such as \"s3:*\".",
        severity: "high",
        controls: ["IAM.1", "IAM.21"],
        remediation:
            "List the actions the principal needs (the S3 and replication action lists: docs/aws-rules.md, sections IAM and access, Cross-account replication). Deny statements may use wildcards.",
    },
    POLICY_DOCUMENT_TYPES,
    (props, args, report) => {
        for (const doc of policyDocumentsOf(args.type, props)) {
            const parsed = parsePolicyDocument(doc.value);
            if (parsed.ok === false) {
                report(`${doc.label}: ${parsed.error}`);
                continue;
            }
            if (parsed.ok !== true) {
                continue;
            }
            for (const s of parsed.statements) {
                const wild = s.effect === "Allow" ? s.actions.filter(isFullWildcardAction) : [];
                if (wild.length > 0) {
                    report(`${doc.label}: ${statementLabel(s)} allows ${wild.join(", ")}; list the actions explicitly`);
                }
            }
        }
    },
);

/** No Allow statement uses NotAction. */
export const noAllowNotAction: ResourceValidationPolicy = resourceGuardrail(
    {
        name: "iam-no-allow-not-action",
        description:
            "No policy document the stack declares has an Allow statement with NotAction (it grants every action not listed, including ones AWS adds later).",
        severity: "high",
        controls: [],
        remediation: "Replace NotAction by an explicit Action list in Allow statements; NotAction is fine in Deny statements.",
    },
    POLICY_DOCUMENT_TYPES,
    (props, args, report) => {
        for (const doc of policyDocumentsOf(args.type, props)) {
            const parsed = parsePolicyDocument(doc.value);
            if (parsed.ok !== true) {
                continue;
            }
            for (const s of parsed.statements) {
                if (s.effect === "Allow" && s.hasNotAction) {
                    report(`${doc.label}: ${statementLabel(s)} is an Allow with NotAction ${JSON.stringify(s.notActions)}`);
                }
            }
        }
    },
);

/**
 * IAM self-service actions console users need (password and their own MFA device): the very lists
 * the console users' policy is built from (`components/access/policies.ts`), so the pack and the
 * program cannot drift apart. Own-user actions must name `${aws:username}`; creating a virtual MFA
 * device is on `mfa/*` (the console lets the person name the device; IAM User Guide example
 * "Allows MFA-authenticated IAM users to manage their own credentials"); account reads on "*".
 */
const IAM_OWN_USER_ACTIONS: readonly string[] = SELF_SERVICE_ACTIONS.ownUser;
const IAM_MFA_DEVICE_ACTIONS: readonly string[] = SELF_SERVICE_ACTIONS.mfaDevice;
/** Account-wide read actions of the same example, allowed on "*". */
const IAM_ACCOUNT_READ_ACTIONS: readonly string[] = SELF_SERVICE_ACTIONS.account;
/** Every self-service action. */
const IAM_SELF_SERVICE_ACTIONS: readonly string[] = [...IAM_OWN_USER_ACTIONS, ...IAM_MFA_DEVICE_ACTIONS];

/** Case-insensitive membership of an IAM action name. */
function listed(list: readonly string[], action: string): boolean {
    return list.some((a) => a.toLowerCase() === action.toLowerCase());
}

/** Identifying values of an IAM resource (name, id, ARN). */
export function iamIdentities(node: StackNode): unknown[] {
    return [node.props.name, node.props.id, node.props.arn];
}

/** Buckets that receive replicas (the DR copy): the access identity must not reach them. */
function replicaBuckets(stack: StackView): Set<string> {
    const out = new Set<string>();
    for (const repl of stack.ofType(TYPES.bucketReplication)) {
        for (const rule of asList(repl.props.rules)) {
            const dest = stack.bucketFor(repl, "rules", asRecord(asRecord(rule)?.destination)?.bucket);
            if (dest) {
                out.add(dest.urn);
            }
        }
    }
    return out;
}

/** A permission document of an IAM group or role. */
export interface PrincipalDocument {
    /** The resource that declares it (the inline policy, the managed policy, or the role itself). */
    readonly urn: string;
    /** Where in that resource: `policy` or `inlinePolicies[<i>]`. */
    readonly label: string;
    readonly value: unknown;
}

/** The resources that give an IAM group or role permissions, per principal kind. */
const PRINCIPAL_LINKS = {
    group: { policy: TYPES.iamGroupPolicy, attachment: TYPES.iamGroupPolicyAttachment, prop: "group", attachmentsProp: "groups" },
    role: { policy: TYPES.iamRolePolicy, attachment: TYPES.iamRolePolicyAttachment, prop: "role", attachmentsProp: "roles" },
} as const;

/**
 * The permission documents of an IAM group or role declared in the stack: a role's
 * `inlinePolicies`, its GroupPolicy/RolePolicy resources, and the managed policies attached to it
 * (GroupPolicyAttachment/RolePolicyAttachment, PolicyAttachment, a role's `managedPolicyArns`).
 *
 * @param undeclared called for an attached policy not declared in this stack (its document cannot
 *   be reviewed), with its ARN and the resource that attaches it.
 */
export function principalDocuments(
    stack: StackView,
    principal: StackNode,
    kind: keyof typeof PRINCIPAL_LINKS,
    undeclared: (policyArn: string, urn: string) => void,
): PrincipalDocument[] {
    const links = PRINCIPAL_LINKS[kind];
    const ids = iamIdentities(principal);
    const docs: PrincipalDocument[] = [];
    asList(principal.props.inlinePolicies).forEach((p, i) => {
        const policy = asRecord(p)?.policy;
        if (policy !== undefined && policy !== "") {
            docs.push({ urn: principal.urn, label: `inlinePolicies[${i}]`, value: policy });
        }
    });
    for (const inline of stack.ofType(links.policy).filter((n) => stack.refersTo(n, links.prop, principal, ids))) {
        docs.push({ urn: inline.urn, label: "policy", value: inline.props.policy });
    }
    const attached: { urn: string; arn: unknown; node: StackNode }[] = [
        ...stack.ofType(links.attachment).filter((a) => stack.refersTo(a, links.prop, principal, ids)),
        ...stack.ofType(TYPES.iamPolicyAttachment).filter((a) => stack.refersTo(a, links.attachmentsProp, principal, ids)),
    ].map((a) => ({ urn: a.urn, arn: a.props.policyArn, node: a }));
    attached.push(...asList(principal.props.managedPolicyArns).map((arn) => ({ urn: principal.urn, arn, node: principal })));
    for (const a of attached) {
        const policy = stack
            .ofType(TYPES.iamPolicy)
            .find((p) => (a.node === principal ? [p.props.arn, p.props.id].includes(a.arn) : stack.refersTo(a.node, "policyArn", p, [p.props.arn, p.props.id])));
        if (policy) {
            docs.push({ urn: policy.urn, label: "policy", value: policy.props.policy });
        } else if (typeof a.arn === "string") {
            undeclared(a.arn, a.urn);
        }
    }
    return docs;
}

/** The access identity (IAM groups) can touch nothing but the backup bucket. */
export const accessIdentityConfined: StackValidationPolicy = stackGuardrail(
    {
        name: "iam-access-identity-confined-to-bucket",
        description:
            "The access identity (every IAM group of the stack) is allowed only S3 actions on the stack's backup bucket(s) and their objects (plus s3:ListAllMyBuckets on \"*\", kms:Decrypt/kms:GenerateDataKey on KMS keys, and IAM password/MFA self-service scoped to ${aws:username}), never on the replica (DR) bucket, and its policies pass the builders' least-privilege check (checkLeastPrivilege: no wildcard or NotAction, no configuration or version-deleting action).",
        severity: "high",
        controls: [],
        remediation:
            "Build the group policy from the bucket's ARN (arn:aws:s3:::<bucket> and arn:aws:s3:::<bucket>/*) with the explicit S3 actions lab users need; do not attach AWS managed policies to the group.",
    },
    (stack, _args, report) => {
        const replicas = replicaBuckets(stack);
        const allowedBuckets = stack
            .ofType(TYPES.bucket)
            .filter((b) => !replicas.has(b.urn))
            .map((b) => stack.bucketArn(b));
        if (allowedBuckets.some((a) => a === undefined)) {
            return; // a bucket name is not known yet (preview): checked again by `pulumi up`
        }
        const arns = allowedBuckets as string[];
        const inBucket = (resource: string) => arns.some((arn) => resource === arn || resource.startsWith(`${arn}/`));
        for (const group of stack.ofType(TYPES.iamGroup)) {
            const docs = principalDocuments(stack, group, "group", (arn, urn) =>
                report(`attaches ${arn} to the access group ${shortName(group.urn)}: a policy not declared in this stack cannot be shown to stay within the backup bucket`, urn),
            );
            for (const doc of docs) {
                const parsed = parsePolicyDocument(doc.value);
                if (parsed.ok !== true) {
                    continue;
                }
                const whereIs = (s: NormalizedStatement) => `${statementLabel(s)} of the access group ${shortName(group.urn)}'s policy`;
                // Wildcards, NotAction, bucket-administration and version-deleting actions: the builders' own rule.
                for (const finding of checkLeastPrivilege(toPolicyDocument(parsed.statements)).errors) {
                    report(`${whereIs(parsed.statements[finding.path[1] as number])}: ${finding.message}`, doc.urn);
                }
                for (const s of parsed.statements.filter((st) => st.effect === "Allow")) {
                    const where = whereIs(s);
                    if (s.notResources.length > 0) {
                        report(`${where} uses NotResource: the grant is not bounded`, doc.urn);
                    }
                    if (s.actions.length > 0 && s.actions.every((a) => listed(IAM_SELF_SERVICE_ACTIONS, a) || listed(IAM_ACCOUNT_READ_ACTIONS, a))) {
                        const accountRead = s.actions.every((a) => listed(IAM_ACCOUNT_READ_ACTIONS, a));
                        const mfaCreate = s.actions.every((a) => listed(IAM_MFA_DEVICE_ACTIONS, a));
                        const others = s.resources.filter(
                            (r) => !r.includes("${aws:username}") && !(accountRead && r === "*") && !(mfaCreate && /^arn:aws[a-z-]*:iam::\d{12}:mfa\/\*$/.test(r)),
                        );
                        if (others.length > 0) {
                            report(`${where} lets users manage IAM identities other than their own (${others.join(", ")}): scope self-service statements to \${aws:username}`, doc.urn);
                        }
                        continue;
                    }
                    const foreign = s.actions.filter((a) => !a.toLowerCase().startsWith("s3:") && !listed(KMS_ACTIONS, a));
                    if (foreign.length > 0) {
                        report(
                            `${where} allows ${foreign.join(", ")}: the access identity may only use S3 on the backup bucket, kms:Decrypt/kms:GenerateDataKey, and IAM self-service on its own user (in a statement of its own)`,
                            doc.urn,
                        );
                    }
                    const onlyGlobal = s.actions.length > 0 && s.actions.every((a) => listed([CONSOLE_BUCKET_LIST_ACTION], a));
                    const hasKms = s.actions.some((a) => a.toLowerCase().startsWith("kms:"));
                    const outside = s.resources.filter((r) => {
                        if (onlyGlobal && r === "*") {
                            return false;
                        }
                        if (hasKms && r.startsWith("arn:aws:kms:") && !r.includes("*")) {
                            return false;
                        }
                        return !inBucket(r);
                    });
                    if (outside.length > 0) {
                        report(`${where} reaches ${outside.join(", ")}, outside the backup bucket (${arns.join(", ")})`, doc.urn);
                    }
                }
            }
        }
    },
);

/** The IAM policies. */
export const iamPolicies = [noUserPolicies, noWildcardAllowActions, noAllowNotAction, accessIdentityConfined];

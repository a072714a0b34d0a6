/**
 * Shared pieces of the policy pack: resource type tokens, the guardrail constructors (every policy
 * is mandatory and carries severity, remediation text and its Security Hub control ids), safe reads
 * of values that may be unknown during a preview, IAM policy-document parsing, and the links between
 * resources that stack policies follow.
 *
 * Nothing here imports `@pulumi/aws`: policies are keyed by resource type token and input property
 * name, so the pack stays light and the same code runs under the real CLI, the offline preview and
 * the tests.
 */
import type {
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { formatPath, RuleFinding, showValue, valueAt } from "../components/common/problems";

import type { PolicyCondition, PolicyDocument, PolicyPrincipal } from "../components/common/policyDocument";

/** IAM matching shared with the components' policy builders and checks. */
export { actionMatches, isEveryonePrincipal } from "../components/common/policyDocument";

/** @pulumi/aws v7 type tokens the policies look at. */
export const TYPES = {
    bucket: "aws:s3/bucket:Bucket",
    bucketVersioning: "aws:s3/bucketVersioning:BucketVersioning",
    bucketPublicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
    bucketEncryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    bucketLifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    bucketOwnershipControls: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    bucketAcl: "aws:s3/bucketAcl:BucketAcl",
    bucketReplication: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    bucketObjectLock: "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
    bucketNotification: "aws:s3/bucketNotification:BucketNotification",
    iamUser: "aws:iam/user:User",
    iamGroup: "aws:iam/group:Group",
    iamRole: "aws:iam/role:Role",
    iamPolicy: "aws:iam/policy:Policy",
    iamRolePolicy: "aws:iam/rolePolicy:RolePolicy",
    iamGroupPolicy: "aws:iam/groupPolicy:GroupPolicy",
    iamUserPolicy: "aws:iam/userPolicy:UserPolicy",
    iamRolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    iamGroupPolicyAttachment: "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
    iamUserPolicyAttachment: "aws:iam/userPolicyAttachment:UserPolicyAttachment",
    iamPolicyAttachment: "aws:iam/policyAttachment:PolicyAttachment",
    iamUserPoliciesExclusive: "aws:iam/userPoliciesExclusive:UserPoliciesExclusive",
    iamUserPolicyAttachmentsExclusive: "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive",
    secretPolicy: "aws:secretsmanager/secretPolicy:SecretPolicy",
    lustreFileSystem: "aws:fsx/lustreFileSystem:LustreFileSystem",
    dataRepositoryAssociation: "aws:fsx/dataRepositoryAssociation:DataRepositoryAssociation",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    securityGroupRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
    securityGroupIngressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    instance: "aws:ec2/instance:Instance",
    launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
    ebsVolume: "aws:ebs/volume:Volume",
} as const;

// ---------------------------------------------------------------------------------------------
// Guardrail constructors
// ---------------------------------------------------------------------------------------------

/** What every guardrail states besides its check. */
export interface GuardrailInfo {
    /** Policy name, unique in the pack (kebab-case). */
    readonly name: string;
    /** One sentence: what the policy requires. */
    readonly description: string;
    /** How bad a violation is (CrossGuard severity). */
    readonly severity: Severity;
    /** AWS Security Hub (Foundational Security Best Practices) control ids; empty when none maps. */
    readonly controls: readonly string[];
    /** What to change when the policy fires. */
    readonly remediation: string;
}

/** Tag prefix that marks a Security Hub control id in a policy's `tags`. */
export const CONTROL_TAG_PREFIX = "security-hub:";

function policyFields(info: GuardrailInfo) {
    const controls = info.controls.length > 0 ? ` (Security Hub ${info.controls.join(", ")})` : "";
    return {
        name: info.name,
        description: `${info.description}${controls}`,
        enforcementLevel: "mandatory" as const,
        severity: info.severity,
        remediationSteps: info.remediation,
        tags: info.controls.map((c) => `${CONTROL_TAG_PREFIX}${c}`),
    };
}

/**
 * A mandatory resource policy that only looks at the given resource types.
 *
 * @param info name, description, severity, controls, remediation.
 * @param types type tokens the check applies to; other resources are skipped.
 * @param check called with the resource's inputs (through CrossGuard's unknown-checking proxy: a
 *   value not known during preview throws, and CrossGuard reports "can't run during preview").
 */
export function resourceGuardrail(
    info: GuardrailInfo,
    types: readonly string[],
    check: (props: Record<string, unknown>, args: ResourceValidationArgs, report: ReportViolation) => void,
): ResourceValidationPolicy {
    return {
        ...policyFields(info),
        validateResource: (args, report) => {
            if (!types.includes(args.type)) {
                return;
            }
            check(args.props as Record<string, unknown>, args, report);
        },
    };
}

/**
 * A mandatory stack policy over a {@link StackView} of every resource (values not known during
 * preview read as {@link UNKNOWN}, so one unknown value never hides the rest of the stack).
 */
export function stackGuardrail(
    info: GuardrailInfo,
    check: (stack: StackView, args: StackValidationArgs, report: ReportViolation) => void,
): StackValidationPolicy {
    return {
        ...policyFields(info),
        validateStack: (args, report) => check(new StackView(args.resources), args, report),
    };
}

// ---------------------------------------------------------------------------------------------
// Values that may be unknown during preview
// ---------------------------------------------------------------------------------------------

/** Stands for a value CrossGuard cannot know during preview (an output of a resource not created yet). */
export const UNKNOWN: unique symbol = Symbol("unknown");

/** True for the error CrossGuard's proxy throws when a policy reads an unknown value. */
export function isUnknownValueError(err: unknown): boolean {
    return err instanceof Error && err.constructor.name === "UnknownValueError";
}

/**
 * A plain deep copy of a (possibly proxied) value in which every value CrossGuard cannot know
 * during preview is replaced by {@link UNKNOWN}.
 */
export function plain(read: () => unknown, depth = 0): unknown {
    let value: unknown;
    try {
        value = read();
    } catch (err) {
        if (isUnknownValueError(err)) {
            return UNKNOWN;
        }
        throw err;
    }
    if (value === null || typeof value !== "object" || depth > 32) {
        return value;
    }
    if (Array.isArray(value)) {
        const list = value as unknown[];
        const out: unknown[] = [];
        for (let i = 0; i < list.length; i++) {
            out.push(plain(() => list[i], depth + 1));
        }
        return out;
    }
    const obj = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(obj)) {
        out[key] = plain(() => obj[key], depth + 1);
    }
    return out;
}

/** The value as a record, or undefined. */
export function asRecord(v: unknown): Record<string, unknown> | undefined {
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** The value as a list (a single value becomes a one-element list; undefined/null an empty one). */
export function asList(v: unknown): unknown[] {
    if (v === undefined || v === null) {
        return [];
    }
    return Array.isArray(v) ? (v as unknown[]) : [v];
}

/** The value if it is a string. */
export function asString(v: unknown): string | undefined {
    return typeof v === "string" ? v : undefined;
}

/** The value if it is a finite number (numeric strings too, as some inputs are strings). */
export function asNumber(v: unknown): number | undefined {
    if (typeof v === "number" && Number.isFinite(v)) {
        return v;
    }
    if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) {
        return Number(v);
    }
    return undefined;
}

/** True for `true` and `"true"` (launch templates take booleans as strings). */
export function isTrue(v: unknown): boolean {
    return v === true || v === "true";
}

/** True for `false` and `"false"`. */
export function isFalse(v: unknown): boolean {
    return v === false || v === "false";
}

// ---------------------------------------------------------------------------------------------
// IAM policy documents
// ---------------------------------------------------------------------------------------------

/** A statement with its list-valued fields normalised to lists. */
export interface NormalizedStatement {
    readonly index: number;
    readonly sid?: string;
    readonly effect: string;
    readonly principal: unknown;
    readonly notPrincipal: unknown;
    readonly actions: string[];
    readonly notActions: string[];
    readonly resources: string[];
    readonly notResources: string[];
    readonly condition: Record<string, Record<string, unknown>>;
    /** True when the statement has an `Action` key (as opposed to only `NotAction`). */
    readonly hasAction: boolean;
    readonly hasNotAction: boolean;
}

/** A parsed policy document, or why it could not be parsed. */
export type ParsedDocument = { ok: true; statements: NormalizedStatement[] } | { ok: false; error: string } | { ok: "unknown" };

function strings(v: unknown): string[] {
    return asList(v).filter((x): x is string => typeof x === "string");
}

/**
 * Parses an IAM policy document given as JSON text or as an object (Pulumi accepts both for
 * `policy` inputs).
 *
 * @returns the normalised statements; `{ok: false}` with a reason for malformed JSON or a document
 *   without statements; `{ok: "unknown"}` when the value is not known yet (preview).
 */
export function parsePolicyDocument(value: unknown): ParsedDocument {
    if (value === UNKNOWN) {
        return { ok: "unknown" };
    }
    let doc: unknown = value;
    if (typeof value === "string") {
        try {
            doc = JSON.parse(value);
        } catch (err) {
            return { ok: false, error: `the policy document is not valid JSON (${(err as Error).message})` };
        }
    }
    const record = asRecord(doc);
    if (!record) {
        return { ok: false, error: "the policy document is not a JSON object" };
    }
    if (record.Statement === UNKNOWN) {
        return { ok: "unknown" };
    }
    const raw = asList(record.Statement);
    const statements: NormalizedStatement[] = [];
    raw.forEach((s, index) => {
        const st = asRecord(s) ?? {};
        const condition: Record<string, Record<string, unknown>> = {};
        for (const [op, block] of Object.entries(asRecord(st.Condition) ?? {})) {
            condition[op] = asRecord(block) ?? {};
        }
        statements.push({
            index,
            sid: asString(st.Sid),
            effect: asString(st.Effect) ?? "",
            principal: st.Principal,
            notPrincipal: st.NotPrincipal,
            actions: strings(st.Action),
            notActions: strings(st.NotAction),
            resources: strings(st.Resource),
            notResources: strings(st.NotResource),
            condition,
            hasAction: st.Action !== undefined,
            hasNotAction: st.NotAction !== undefined,
        });
    });
    return { ok: true, statements };
}

/**
 * Parsed statements in the shape of the components' `PolicyDocument`, so the components' own
 * checks of policy documents run on them; statements keep their order (indexes match).
 */
export function toPolicyDocument(statements: readonly NormalizedStatement[]): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: statements.map((s) => ({
            ...(s.sid !== undefined ? { Sid: s.sid } : {}),
            Effect: s.effect === "Allow" ? "Allow" : "Deny",
            ...(s.principal !== undefined ? { Principal: s.principal as PolicyPrincipal } : {}),
            ...(s.notPrincipal !== undefined ? { NotPrincipal: s.notPrincipal as PolicyPrincipal } : {}),
            ...(s.hasAction ? { Action: s.actions } : {}),
            ...(s.hasNotAction ? { NotAction: s.notActions } : {}),
            Resource: s.resources,
            ...(s.notResources.length > 0 ? { NotResource: s.notResources } : {}),
            ...(Object.keys(s.condition).length > 0 ? { Condition: s.condition as PolicyCondition } : {}),
        })),
    };
}

/** `Sid` or position of a statement, for messages. */
export function statementLabel(s: NormalizedStatement): string {
    return s.sid ? `statement "${s.sid}"` : `statement #${s.index + 1}`;
}

/** True for `*` and for a whole-service wildcard such as `s3:*` (Security Hub IAM.1 / IAM.21). */
export function isFullWildcardAction(action: string): boolean {
    return action === "*" || /^[A-Za-z0-9-]+:\*$/.test(action);
}

/** Service principals named in a principal block (`{Service: "s3.amazonaws.com"}`). */
export function servicePrincipals(principal: unknown): string[] {
    return strings(asRecord(principal)?.Service);
}

// ---------------------------------------------------------------------------------------------
// Stack view: resources with plain props and the links between them
// ---------------------------------------------------------------------------------------------

/** A resource of the stack with a plain copy of its properties. */
export interface StackNode {
    readonly type: string;
    readonly urn: string;
    readonly name: string;
    /** Plain copy of the resource's properties ({@link UNKNOWN} where not known yet). */
    readonly props: Record<string, unknown>;
    readonly protect: boolean;
    /** URNs of the resources this one depends on. */
    readonly dependencies: readonly string[];
    /** Per property, the URNs of the resources its value came from. */
    readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
}

/** The S3 ARN of a bucket name. */
export function bucketArnOf(name: string): string {
    return `arn:aws:s3:::${name}`;
}

/** A read-only index of the stack's resources for stack policies. */
export class StackView {
    /** Every resource, in registration order. */
    public readonly nodes: readonly StackNode[];

    constructor(resources: readonly PolicyResource[]) {
        this.nodes = resources.map((r) => {
            const propertyDependencies: Record<string, string[]> = {};
            for (const [key, deps] of Object.entries(r.propertyDependencies ?? {})) {
                propertyDependencies[key] = deps.map((d) => d.urn);
            }
            return {
                type: r.type,
                urn: r.urn,
                name: r.name,
                props: (asRecord(plain(() => r.props)) ?? {}),
                protect: r.opts?.protect === true,
                dependencies: (r.dependencies ?? []).map((d) => d.urn),
                propertyDependencies,
            };
        });
    }

    /** Resources of a type. */
    ofType(type: string): StackNode[] {
        return this.nodes.filter((n) => n.type === type);
    }

    /** The resource with this URN. */
    byUrn(urn: string): StackNode | undefined {
        return this.nodes.find((n) => n.urn === urn);
    }

    /**
     * True when `from`'s property `prop` refers to `to`: the engine recorded `to` as a dependency of
     * that property (works during preview, when ids are unknown), or the property's value is one of
     * `to`'s identifying values (ids, names, ARNs).
     */
    refersTo(from: StackNode, prop: string, to: StackNode, identities: readonly unknown[]): boolean {
        if ((from.propertyDependencies[prop] ?? []).includes(to.urn)) {
            return true;
        }
        const value = from.props[prop];
        const known = identities.filter((v): v is string => typeof v === "string" && v !== "");
        return asList(value).some((v) => typeof v === "string" && known.includes(v));
    }

    /** Identifying values of a bucket: name, id and ARN. */
    bucketIdentities(bucket: StackNode): string[] {
        const out = [bucket.props.bucket, bucket.props.id, bucket.props.arn].filter((v): v is string => typeof v === "string");
        const name = asString(bucket.props.bucket) ?? asString(bucket.props.id);
        if (name) {
            out.push(bucketArnOf(name));
        }
        return out;
    }

    /** The bucket's ARN when known. */
    bucketArn(bucket: StackNode): string | undefined {
        const arn = asString(bucket.props.arn);
        if (arn) {
            return arn;
        }
        const name = asString(bucket.props.bucket) ?? asString(bucket.props.id);
        return name ? bucketArnOf(name) : undefined;
    }

    /** The bucket's name when known. */
    bucketName(bucket: StackNode): string | undefined {
        return asString(bucket.props.bucket) ?? asString(bucket.props.id);
    }

    /** Resources of `type` whose `bucket` property refers to `bucket`. */
    sideResources(bucket: StackNode, type: string): StackNode[] {
        const ids = this.bucketIdentities(bucket);
        return this.ofType(type).filter((n) => this.refersTo(n, "bucket", bucket, ids));
    }

    /** The bucket a value (name or ARN) or a property's dependencies designate, if declared here. */
    bucketFor(from: StackNode, prop: string, value: unknown): StackNode | undefined {
        const buckets = this.ofType(TYPES.bucket);
        if (typeof value === "string") {
            const byValue = buckets.find((b) => this.bucketIdentities(b).includes(value));
            if (byValue) {
                return byValue;
            }
        }
        const deps = from.propertyDependencies[prop] ?? [];
        const byDeps = buckets.filter((b) => deps.includes(b.urn));
        return value === UNKNOWN || value === undefined ? (byDeps.length === 1 ? byDeps[0] : undefined) : undefined;
    }
}

/**
 * Reports the errors of a shared rule check (a `RuleFinding` list, as config validation reports
 * them) in the config errors' format `path = value: message`, reading each value from the inputs
 * the check ran on (`(missing)` when absent; left out when not known yet or when the path is empty).
 *
 * @param findings the errors, with paths relative to `inputs`.
 * @param inputs the resource inputs (or the part of them) the facts were read from.
 * @param report called once per finding with the message.
 */
export function reportFindings(findings: readonly RuleFinding[], inputs: unknown, report: (message: string) => void): void {
    for (const finding of findings) {
        if (finding.path.length === 0) {
            report(finding.message);
            continue;
        }
        let shown = "";
        try {
            const value = valueAt(inputs, finding.path);
            shown = typeof value === "symbol" ? "" : ` = ${showValue(value)}`;
        } catch (err) {
            if (!isUnknownValueError(err)) {
                throw err; // a part of the value is not known during preview: leave the value out
            }
        }
        report(`${formatPath(finding.path)}${shown}: ${finding.message}`);
    }
}

/** Short name of a resource for messages: its URN's last segment. */
export function shortName(urn: string): string {
    return urn.split("::").pop() ?? urn;
}

/**
 * Hand-built resources for the policy tests, shaped as the Pulumi engine shows them to a policy pack
 * (type token, inputs by @pulumi/aws v7 property name, options, dependencies), and a helper that
 * runs a policy over them with the same argument builders as the offline preview
 * (`tools/offline/policyArgs.ts`).
 *
 * Compliant fixtures use the project's real pure builders (TLS statements, lifecycle rules) where
 * there is one, so a policy and the program cannot drift apart unnoticed.
 */
import type { PolicyPackConfig } from "@pulumi/policy";
import { tlsOnlyStatements } from "../../components/bucket/bucketPolicy";
import { policyDocument, PolicyStatement } from "../../components/common/policyDocument";
import { replicationRolePolicy, replicationTrustPolicy } from "../../components/replication/policies";
import { buildLifecycleRules, LifecycleSettings } from "../../components/bucket/lifecycle";
import { HARDENED_METADATA_OPTIONS } from "../../components/syncHost/rules";
import { TYPES } from "../../policies/lib";
import { AnyPolicy, HarnessViolation, PolicyTestResource, runPolicy, testUrn, UNKNOWN_MARKER } from "../../tools/offline/policyArgs";

export { TYPES, UNKNOWN_MARKER };

/** Placeholder account ids (documentation values). */
export const ACCOUNT = "111111111111";
export const DR_ACCOUNT = "222222222222";

/** A resource of a type with inputs and options. URN: `urn:pulumi:test::microbiome-backup::<type>::<name>`. */
export function res(type: string, name: string, props: Record<string, unknown>, extra: Partial<PolicyTestResource> = {}): PolicyTestResource {
    return { type, name, urn: testUrn(type, name), props, ...extra };
}

/** The URN {@link res} gives a resource. */
export function urn(type: string, name: string): string {
    return testUrn(type, name);
}

/** Runs a policy over resources (and an optional policy config), like the offline preview does. */
export function check(policy: AnyPolicy, resources: readonly PolicyTestResource[], config?: PolicyPackConfig): Promise<HarnessViolation[]> {
    return runPolicy(policy, resources, { config, stackUrn: "urn:pulumi:test::microbiome-backup::pulumi:pulumi:Stack::microbiome-backup-test" });
}

/** JSON policy document from statements. */
export function doc(statements: PolicyStatement[]): string {
    return JSON.stringify(policyDocument(statements));
}

/** The lifecycle settings of the dev stack (90/180-day tiers, noncurrent expiry). */
export const LIFECYCLE: LifecycleSettings = {
    tiers: [
        { days: 90, storageClass: "GLACIER_IR" },
        { days: 180, storageClass: "DEEP_ARCHIVE" },
    ],
    noncurrentVersions: { tiers: [{ days: 30, storageClass: "DEEP_ARCHIVE" }], expireAfterDays: 210, keepNewest: 0 },
    abortIncompleteMultipartUploadDays: 7,
    transitionDefaultMinimumObjectSize: "all_storage_classes_128K",
};

/** Options of {@link bucketSet}. */
export interface BucketSetOptions {
    /** Logical name prefix (default `data`). */
    readonly name?: string;
    /** Bucket name (default `example-bucket`). */
    readonly bucketName?: string;
    readonly protect?: boolean;
    readonly forceDestroy?: boolean;
    /** How side resources refer to the bucket: by value and property dependency (default), value only, or dependency only (preview of a new bucket: value unknown). */
    readonly link?: "both" | "value" | "dependency";
    /** Side resources to leave out, by type token. */
    readonly without?: readonly string[];
    /** Replace the inputs of a side resource, by type token. */
    readonly override?: Readonly<Record<string, Record<string, unknown>>>;
}

/**
 * A bucket with every side resource BackupBucket declares (versioning, encryption, public access
 * block, ownership controls, TLS-only policy, lifecycle), all compliant unless overridden.
 */
export function bucketSet(options: BucketSetOptions = {}): PolicyTestResource[] {
    const name = options.name ?? "data";
    const bucketName = options.bucketName ?? "example-bucket";
    const arn = `arn:aws:s3:::${bucketName}`;
    const link = options.link ?? "both";
    const bucketUrn = urn(TYPES.bucket, name);
    const bucketRef = link === "dependency" ? UNKNOWN_MARKER : bucketName;
    const deps: Record<string, string[]> = link === "value" ? {} : { bucket: [bucketUrn] };
    const protect = options.protect ?? true;
    // Side resources share the bucket's options (bucketRetention: retained when protected).
    const side = (type: string, role: string, props: Record<string, unknown>, extra: Partial<PolicyTestResource> = {}): PolicyTestResource | undefined =>
        options.without?.includes(type)
            ? undefined
            : res(type, `${name}-${role}`, { bucket: bucketRef, ...(options.override?.[type] ?? props) }, {
                  dependencies: [bucketUrn],
                  propertyDependencies: deps,
                  protect,
                  retainOnDelete: protect,
                  ...extra,
              });
    const bucket = res(
        TYPES.bucket,
        name,
        { bucket: bucketName, forceDestroy: options.forceDestroy ?? false },
        {
            protect,
            retainOnDelete: protect,
            stackProps: { bucket: bucketName, forceDestroy: options.forceDestroy ?? false, id: bucketName, arn },
        },
    );
    const policyValue = link === "dependency" ? UNKNOWN_MARKER : doc(tlsOnlyStatements(arn));
    return [
        bucket,
        side(TYPES.bucketVersioning, "versioning", { versioningConfiguration: { status: "Enabled" } }),
        side(TYPES.bucketEncryption, "encryption", { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }] }),
        side(TYPES.bucketPublicAccessBlock, "public-access-block", {
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        }),
        side(TYPES.bucketOwnershipControls, "ownership", { rule: { objectOwnership: "BucketOwnerEnforced" } }),
        side(TYPES.bucketPolicy, "policy", { policy: policyValue }),
        side(TYPES.bucketLifecycle, "lifecycle", { rules: buildLifecycleRules(LIFECYCLE), transitionDefaultMinimumObjectSize: "all_storage_classes_128K" }),
    ].filter((r): r is PolicyTestResource => r !== undefined);
}

/** The IAM access group with a bucket-scoped inline policy (the BucketAccess design). */
export function accessGroup(statements: PolicyStatement[]): PolicyTestResource[] {
    const groupUrn = urn(TYPES.iamGroup, "lab-access");
    return [
        res(TYPES.iamGroup, "lab-access", { name: "microbiome-lab-access", path: "/" }, {
            stackProps: { name: "microbiome-lab-access", id: "microbiome-lab-access", arn: `arn:aws:iam::${ACCOUNT}:group/microbiome-lab-access` },
        }),
        res(TYPES.iamGroupPolicy, "lab-access-policy", { group: "microbiome-lab-access", policy: doc(statements) }, {
            dependencies: [groupUrn],
            propertyDependencies: { group: [groupUrn] },
        }),
    ];
}

/** Least-privilege statements for lab users on a bucket (docs/aws-rules.md "IAM and access"). */
export function labStatements(bucketArn = "arn:aws:s3:::example-bucket"): PolicyStatement[] {
    return [
        { Sid: "ListBuckets", Effect: "Allow", Action: "s3:ListAllMyBuckets", Resource: "*" },
        { Sid: "Bucket", Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads"], Resource: bucketArn },
        {
            Sid: "Objects",
            Effect: "Allow",
            Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:RestoreObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
            Resource: `${bucketArn}/*`,
        },
    ];
}

/** Source and destination ARNs of the replication fixtures. */
export const SOURCE_ARN = "arn:aws:s3:::example-bucket";
export const DR_ARN = "arn:aws:s3:::example-dr-bucket";

/** The replication role's permissions as the program builds them (`replicationRolePolicy`). */
export function replicationStatements(source = SOURCE_ARN, dest = DR_ARN): PolicyStatement[] {
    return replicationRolePolicy({ sourceBucketArn: source, destinationBucketArn: dest }).Statement;
}

/** Trust policy of the replication role as the program builds it: the S3 service, for this account only. */
export const S3_TRUST = JSON.stringify(replicationTrustPolicy(ACCOUNT));

/** Options of {@link replicationSet}. */
export interface ReplicationSetOptions {
    /** Permission statements of the role's inline RolePolicy. */
    readonly statements?: PolicyStatement[];
    readonly trust?: string;
    /** Declare the DR bucket in the stack (default true); otherwise the destination is external. */
    readonly drInStack?: boolean;
    /** Versioning of the DR bucket (default Enabled; "none" leaves it out). */
    readonly drVersioning?: "Enabled" | "Suspended" | "none";
    /** Depend on the versioning resources (default true). */
    readonly dependsOnVersioning?: boolean;
    /** Replica storage class (default DEEP_ARCHIVE). */
    readonly storageClass?: string;
    /** Extra inputs of the replication rule's destination. */
    readonly destination?: Record<string, unknown>;
}

/**
 * The backup bucket set, a DR bucket (versioned, lifecycle for noncurrent versions only), the
 * replication role with its RolePolicy, and the replication configuration.
 */
export function replicationSet(options: ReplicationSetOptions = {}): PolicyTestResource[] {
    const source = bucketSet();
    const drInStack = options.drInStack ?? true;
    const drVersioning = options.drVersioning ?? "Enabled";
    const dr = drInStack
        ? bucketSet({
              name: "dr",
              bucketName: "example-dr-bucket",
              without: drVersioning === "none" ? [TYPES.bucketVersioning] : [],
              override: {
                  [TYPES.bucketVersioning]: { versioningConfiguration: { status: drVersioning } },
                  [TYPES.bucketLifecycle]: {
                      rules: [{ id: "noncurrent-versions", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays: 365 } }],
                  },
              },
          })
        : [];
    const roleUrn = urn(TYPES.iamRole, "replication-role");
    const role = res(TYPES.iamRole, "replication-role", { name: "microbiome-replication", assumeRolePolicy: options.trust ?? S3_TRUST }, {
        stackProps: {
            name: "microbiome-replication",
            assumeRolePolicy: options.trust ?? S3_TRUST,
            id: "microbiome-replication",
            arn: `arn:aws:iam::${ACCOUNT}:role/microbiome-replication`,
        },
    });
    const rolePolicy = res(TYPES.iamRolePolicy, "replication-role-policy", { role: "microbiome-replication", policy: doc(options.statements ?? replicationStatements()) }, {
        dependencies: [roleUrn],
        propertyDependencies: { role: [roleUrn] },
    });
    const versionings = [urn(TYPES.bucketVersioning, "data-versioning"), ...(drInStack && drVersioning !== "none" ? [urn(TYPES.bucketVersioning, "dr-versioning")] : [])];
    const replication = res(
        TYPES.bucketReplication,
        "replication",
        {
            bucket: "example-bucket",
            role: `arn:aws:iam::${ACCOUNT}:role/microbiome-replication`,
            rules: [
                {
                    id: "all",
                    status: "Enabled",
                    filter: {},
                    deleteMarkerReplication: { status: "Disabled" },
                    destination: { bucket: DR_ARN, storageClass: options.storageClass ?? "DEEP_ARCHIVE", account: DR_ACCOUNT, ...(options.destination ?? {}) },
                },
            ],
        },
        {
            dependencies: [urn(TYPES.bucket, "data"), roleUrn, ...(options.dependsOnVersioning === false ? [] : versionings)],
            propertyDependencies: { bucket: [urn(TYPES.bucket, "data")], role: [roleUrn], ...(drInStack ? { rules: [urn(TYPES.bucket, "dr")] } : {}) },
            // A side resource of the protected source bucket: protected and retained like it.
            protect: true,
            retainOnDelete: true,
        },
    );
    return [...source, ...dr, role, rolePolicy, replication];
}

/** Options of {@link lustreSet}. */
export interface LustreSetOptions {
    /** Inputs merged over the compliant file system's. */
    readonly fs?: Record<string, unknown>;
    /** Declare a data repository association (default true). */
    readonly dra?: boolean;
    /** Auto-import events of the association (default NEW, CHANGED, DELETED). */
    readonly autoImport?: string[];
    /** How the Lustre ports are opened: inline self ingress (default), separate ingress rules, or not. */
    readonly ports?: "inline" | "rules" | "988-only" | "none";
}

/** A PERSISTENT_2 file system with its security group (Lustre ports) and a DRA on the backup bucket. */
export function lustreSet(options: LustreSetOptions = {}): PolicyTestResource[] {
    const sgId = "sg-0123456789abcdef0";
    const sgUrn = urn(TYPES.securityGroup, "lustre-sg");
    const ports = options.ports ?? "inline";
    const inline =
        ports === "inline"
            ? [
                  { protocol: "tcp", fromPort: 988, toPort: 988, self: true },
                  { protocol: "tcp", fromPort: 1018, toPort: 1023, self: true },
              ]
            : ports === "988-only"
              ? [{ protocol: "tcp", fromPort: 988, toPort: 988, self: true }]
              : [];
    const sg = res(TYPES.securityGroup, "lustre-sg", { vpcId: "vpc-0123", ingress: inline }, { stackProps: { vpcId: "vpc-0123", ingress: inline, id: sgId } });
    const rules =
        ports === "rules"
            ? [
                  [988, 988],
                  [1018, 1023],
              ].map(([from, to]) =>
                  res(
                      TYPES.securityGroupIngressRule,
                      `lustre-${from}`,
                      { securityGroupId: sgId, referencedSecurityGroupId: sgId, ipProtocol: "tcp", fromPort: from, toPort: to },
                      { dependencies: [sgUrn], propertyDependencies: { securityGroupId: [sgUrn], referencedSecurityGroupId: [sgUrn] } },
                  ),
              )
            : [];
    const fsProps = {
        deploymentType: "PERSISTENT_2",
        storageType: "SSD",
        storageCapacity: 1200,
        perUnitStorageThroughput: 125,
        fileSystemTypeVersion: "2.15",
        subnetIds: "subnet-0123",
        securityGroupIds: [sgId],
        automaticBackupRetentionDays: 0,
        ...(options.fs ?? {}),
    };
    const fsUrn = urn(TYPES.lustreFileSystem, "lustre");
    const fs = res(TYPES.lustreFileSystem, "lustre", fsProps, {
        protect: true,
        retainOnDelete: true,
        dependencies: [sgUrn],
        propertyDependencies: { securityGroupIds: [sgUrn] },
        stackProps: { ...fsProps, id: "fs-0123456789abcdef0" },
    });
    const dra =
        options.dra === false
            ? []
            : [
                  res(
                      TYPES.dataRepositoryAssociation,
                      "lustre-dra",
                      {
                          fileSystemId: "fs-0123456789abcdef0",
                          fileSystemPath: "/data",
                          dataRepositoryPath: "s3://example-bucket/",
                          s3: {
                              autoImportPolicy: { events: options.autoImport ?? ["NEW", "CHANGED", "DELETED"] },
                              autoExportPolicy: { events: ["NEW", "CHANGED", "DELETED"] },
                          },
                      },
                      { dependencies: [fsUrn], propertyDependencies: { fileSystemId: [fsUrn] } },
                  ),
              ];
    return [...bucketSet(), sg, ...rules, fs, ...dra];
}

/** A compliant sync host instance (the sync host's metadata options, private, encrypted root volume). */
export function instance(props: Record<string, unknown> = {}): PolicyTestResource {
    return res(TYPES.instance, "sync-host", {
        ami: "ami-0123456789abcdef0",
        instanceType: "m6i.large",
        subnetId: "subnet-0123",
        associatePublicIpAddress: false,
        metadataOptions: { ...HARDENED_METADATA_OPTIONS },
        rootBlockDevice: { encrypted: true, volumeSize: 30, volumeType: "gp3" },
        ...props,
    });
}

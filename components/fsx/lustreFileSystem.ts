/**
 * LustreFileSystem — an FSx for Lustre PERSISTENT_2 SSD file system linked to S3 by data
 * repository associations (DRAs), with its security groups and log group:
 * - a file system security group allowing Lustre (TCP 988, 1018–1023) from itself and from a
 *   client security group, which this component also creates for the sync host to attach;
 * - a CloudWatch log group `/aws/fsx/…` for Lustre's data repository events;
 * - the file system (`protect` and `retainOnDelete` only when the stack is protected and there is
 *   no decommission record: `fileSystemRetention` in `decommission.ts`) and its DRAs, created one
 *   after the other (FSx processes them one at a time).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    checkDataRepositoryAssociations,
    checkLustreFileSystem,
    DRA_EVENT_TYPES,
    draSlug,
    LUSTRE_DEPLOYMENT_TYPE,
    LUSTRE_STORAGE_TYPE,
    LUSTRE_TCP_PORT_RANGES,
    MetadataConfigurationFacts,
    resolveMetadataConfiguration,
    resolvedDataRepositoryPath,
    RootSquashFacts,
} from "./rules";
import { DECOMMISSION_TAG, DecommissionRecord, fileSystemRetention } from "./decommission";
import type { StackContext } from "../common/stack";

/** Default mount point on clients. */
export const DEFAULT_MOUNT_POINT = "/fsx";

/**
 * Custom timeouts. Sources: Terraform's defaults are 30 min (file system) and 10 min (DRA); DRA
 * creation is reported to exceed 10 min and 30 min is recommended
 * (aws-samples/amazon-eks-machine-learning-with-terraform-and-kubeflow#112); file system creation
 * takes under 20 min without an import but over an hour when it imports a bucket with millions of
 * objects (aws/aws-parallelcluster#4211), which is what `batchImportMetaDataOnCreate` does on the
 * DRA. Capacity increases run storage optimization in the background.
 */
export const LUSTRE_TIMEOUTS = {
    fileSystem: { create: "90m", update: "3h", delete: "1h" },
    association: { create: "45m", update: "30m", delete: "1h" },
    /** DRA creation with `batchImportMetaDataOnCreate` (imports the listing of every object under the prefix). */
    associationWithImport: { create: "6h", update: "30m", delete: "1h" },
} as const;

/** One data repository association. */
export interface LustreDataRepositoryAssociationArgs {
    /** Directory on the file system with the leading `/`, e.g. `/microbiome` (not updatable). */
    readonly fileSystemPath: string;
    /** `s3://<bucket>/<prefix>/` (not updatable). */
    readonly dataRepositoryPath: pulumi.Input<string>;
    /** Short, stable suffix for the resource name (`draSlug` in `rules.ts`). */
    readonly resourceSuffix: string;
    /** Events imported automatically from S3 (`[]` = no auto-import). Default NEW, CHANGED, DELETED. */
    readonly autoImportEvents?: readonly string[];
    /** Events exported automatically to S3 (`[]` = no auto-export). Default NEW, CHANGED, DELETED. */
    readonly autoExportEvents?: readonly string[];
    /** MiB, 1–512000. Default 1024. */
    readonly importedFileChunkSize?: number;
    /** Import the existing objects' metadata when the association is created. Default false. */
    readonly batchImportMetaDataOnCreate?: boolean;
}

/** Arguments of {@link LustreFileSystem}. */
export interface LustreFileSystemArgs {
    /** VPC of the security groups. */
    readonly vpcId: pulumi.Input<string>;
    /** The one subnet (and AZ) of the file system; replacing it replaces the file system. */
    readonly subnetId: pulumi.Input<string>;
    /** GiB: 1200 or a multiple of 2400 (CreateFileSystem API). Can only grow in place. */
    readonly storageCapacity: number;
    /** MB/s/TiB: 125, 250, 500 or 1000 for PERSISTENT_2 SSD. */
    readonly perUnitStorageThroughput: number;
    /** Lustre version. Default "2.15" (needed for a metadata configuration). */
    readonly fileSystemTypeVersion?: string;
    /** Metadata IOPS mode. Default AUTOMATIC with Lustre 2.15 (none with 2.12, which does not support it). */
    readonly metadataConfiguration?: MetadataConfigurationFacts;
    /** LZ4 or NONE. Default LZ4. */
    readonly dataCompressionType?: "LZ4" | "NONE";
    /** Lustre log level. Default WARN_ERROR. */
    readonly logLevel?: string;
    /** Log group name; must start with `/aws/fsx` (FSx rule). Default `/aws/fsx/<name>`. */
    readonly logGroupName?: string;
    /** Log retention in days. Default 90. */
    readonly logRetentionInDays?: number;
    /** `d:HH:MM` UTC. Default 7:04:00 (Sunday 04:00). */
    readonly weeklyMaintenanceStartTime?: string;
    /** Root squash. Default off. */
    readonly rootSquashConfiguration?: RootSquashFacts;
    /** KMS key ARN for data at rest. Default the AWS managed key. Changing it replaces the file system. */
    readonly kmsKeyId?: string;
    /** Must be 0 with any DRA. Default 0. */
    readonly automaticBackupRetentionDays?: number;
    /** Extra security groups to attach (changing the list replaces the file system). Default none. */
    readonly additionalSecurityGroupIds?: readonly string[];
    /** 1–8 associations with S3. */
    readonly dataRepositoryAssociations: readonly LustreDataRepositoryAssociationArgs[];
    /**
     * The stack's `protect`. The file system is `protect`ed and `retainOnDelete` only when this is
     * true and there is no {@link decommission} record (`fileSystemRetention`); an unprotected file
     * system (dev) is deleted by `pulumi destroy`, so its network interfaces do not keep the subnet
     * and security groups alive. Default false.
     */
    readonly protect?: boolean;
    /**
     * The decommission record (post-migration mode, docs/fsx.md): the export report showed nothing
     * left to export, so the file system is neither protected nor retained and carries the
     * `microbiome-backup:decommission` tag. Default none.
     */
    readonly decommission?: DecommissionRecord;
    /** Mount point used in the mount command and fstab line. Default `/fsx`. */
    readonly mountPoint?: string;
}

/** `<dnsName>@tcp:/<mountName>`, the Lustre device of a file system. */
export function lustreDevice(dnsName: string, mountName: string): string {
    return `${dnsName}@tcp:/${mountName}`;
}

/** The command that mounts the file system on a client with the Lustre client installed. */
export function mountCommand(dnsName: string, mountName: string, mountPoint = DEFAULT_MOUNT_POINT): string {
    return `sudo mkdir -p ${mountPoint} && sudo mount -t lustre -o noatime,flock ${lustreDevice(dnsName, mountName)} ${mountPoint}`;
}

/**
 * The `/etc/fstab` line: `_netdev` (mount after the network) is mandatory, `nofail` keeps a boot
 * from hanging when the file system is unreachable.
 */
export function fstabLine(dnsName: string, mountName: string, mountPoint = DEFAULT_MOUNT_POINT): string {
    return `${lustreDevice(dnsName, mountName)} ${mountPoint} lustre defaults,noatime,flock,_netdev,nofail 0 0`;
}

/**
 * One validated entry of `microbiome-backup:fsx.dataRepositoryAssociations` (`config/fsx.ts`
 * `DataRepositoryAssociationConfig` has this shape, defaults applied).
 */
export interface DataRepositoryAssociationSection {
    /** Directory on the file system, e.g. `/microbiome`. */
    readonly fileSystemPath: string;
    /** Key prefix in the backup bucket (`""` = the whole bucket); exclusive with {@link dataRepositoryPath}. */
    readonly prefix?: string;
    /** A full `s3://<bucket>/<prefix>/` path instead of {@link prefix}. */
    readonly dataRepositoryPath?: string;
    /** Automatic import and export events (`[]` turns one direction off). */
    readonly s3: { readonly autoImportPolicy: { readonly events: readonly string[] }; readonly autoExportPolicy: { readonly events: readonly string[] } };
    /** MiB, 1–512000. */
    readonly importedFileChunkSize: number;
    /** Import the existing objects' metadata when the association is created. */
    readonly batchImportMetaDataOnCreate: boolean;
}

/**
 * The validated `microbiome-backup:fsx` section, as far as the file system reads it (`config/fsx.ts`
 * `FsxConfig` has this shape, defaults applied; `enabled` is the stack's decision to build it).
 */
export interface LustreFileSystemSection {
    /** GiB: 1200 or a multiple of 2400. */
    readonly storageCapacity: number;
    /** MB/s/TiB: 125, 250, 500 or 1000. */
    readonly perUnitStorageThroughput: number;
    /** Lustre version, e.g. `"2.15"`. */
    readonly fileSystemTypeVersion: string;
    /** Metadata IOPS mode; absent = the version's default. */
    readonly metadataConfiguration?: MetadataConfigurationFacts;
    /** LZ4 or NONE. */
    readonly dataCompressionType: "LZ4" | "NONE";
    /** Lustre log level. */
    readonly logConfiguration: { readonly level: string };
    /** Days the log group keeps events. */
    readonly logRetentionInDays: number;
    /** `d:HH:MM` UTC. */
    readonly weeklyMaintenanceStartTime: string;
    /** Root squash; absent = off. */
    readonly rootSquashConfiguration?: RootSquashFacts;
    /** Customer managed KMS key ARN; absent = the AWS managed key. */
    readonly kmsKeyId?: string;
    /** Days automatic backups are kept: 0 with any association. */
    readonly automaticBackupRetentionDays: number;
    /** Extra security groups to attach. */
    readonly additionalSecurityGroupIds: readonly string[];
    /** The post-migration record; absent = the file system is protected with the stack. */
    readonly decommission?: DecommissionRecord;
    /** The associations with the backup bucket, 1–8. */
    readonly dataRepositoryAssociations: readonly DataRepositoryAssociationSection[];
}

/** What {@link LustreFileSystem.fromConfig} takes from other concerns. */
export interface LustreFileSystemDependencies {
    /** The network (a `Network`): its VPC and the file system's one subnet. */
    readonly network: { readonly vpcId: pulumi.Input<string>; readonly subnetId: pulumi.Input<string> };
    /** The backup bucket (a `BackupBucket`): its name, for the prefix-form association paths. */
    readonly bucket: { readonly bucketName: pulumi.Output<string> };
}

/**
 * The {@link LustreFileSystemArgs} of a validated `fsx` section: settings map one to one; the log
 * group is `/aws/fsx/<project>-<stack>`; each association's path is resolved against the bucket's
 * name output (`resolvedDataRepositoryPath`) and named by `draSlug` of its directory.
 *
 * @param fsx the validated `fsx` section.
 * @param stack the stack settings (`project`, `stack`, `protect`).
 * @param deps the network and the bucket's name.
 */
export function lustreFileSystemArgs(fsx: LustreFileSystemSection, stack: Pick<StackContext, "project" | "stack" | "protect">, deps: LustreFileSystemDependencies): LustreFileSystemArgs {
    return {
        vpcId: deps.network.vpcId,
        subnetId: deps.network.subnetId,
        storageCapacity: fsx.storageCapacity,
        perUnitStorageThroughput: fsx.perUnitStorageThroughput,
        fileSystemTypeVersion: fsx.fileSystemTypeVersion,
        metadataConfiguration: fsx.metadataConfiguration,
        dataCompressionType: fsx.dataCompressionType,
        logLevel: fsx.logConfiguration.level,
        logGroupName: `/aws/fsx/${stack.project}-${stack.stack}`,
        logRetentionInDays: fsx.logRetentionInDays,
        weeklyMaintenanceStartTime: fsx.weeklyMaintenanceStartTime,
        rootSquashConfiguration: fsx.rootSquashConfiguration,
        kmsKeyId: fsx.kmsKeyId,
        automaticBackupRetentionDays: fsx.automaticBackupRetentionDays,
        additionalSecurityGroupIds: fsx.additionalSecurityGroupIds,
        protect: stack.protect,
        decommission: fsx.decommission,
        dataRepositoryAssociations: fsx.dataRepositoryAssociations.map((d) => ({
            fileSystemPath: d.fileSystemPath,
            // s3://<backup bucket>/<prefix>/ from the bucket's name output (auto-import needs the
            // bucket in the file system's Region: both use the default provider, aws:region).
            dataRepositoryPath: deps.bucket.bucketName.apply((bucket) => resolvedDataRepositoryPath(d, bucket)),
            resourceSuffix: draSlug(d.fileSystemPath),
            autoImportEvents: d.s3.autoImportPolicy.events,
            autoExportEvents: d.s3.autoExportPolicy.events,
            importedFileChunkSize: d.importedFileChunkSize,
            batchImportMetaDataOnCreate: d.batchImportMetaDataOnCreate,
        })),
    };
}

/** The FSx for Lustre file system layer. */
export class LustreFileSystem extends pulumi.ComponentResource {
    /** The file system. */
    public readonly fileSystem: aws.fsx.LustreFileSystem;
    /** The associations, in configuration order. */
    public readonly associations: aws.fsx.DataRepositoryAssociation[];
    /** The file system's security group (Lustre from itself and from the client group). */
    public readonly securityGroup: aws.ec2.SecurityGroup;
    /** File system id (`fs-…`). */
    public readonly fileSystemId: pulumi.Output<string>;
    /** DNS name of the file system. */
    public readonly dnsName: pulumi.Output<string>;
    /** Lustre mount name. */
    public readonly mountName: pulumi.Output<string>;
    /** The mount command for a client. */
    public readonly mountCommand: pulumi.Output<string>;
    /** The `/etc/fstab` line for a client. */
    public readonly fstabLine: pulumi.Output<string>;
    /** Security group a Lustre client (the sync host) attaches to reach the file system. */
    public readonly clientSecurityGroupId: pulumi.Output<string>;
    /** The file system's subnet. */
    public readonly subnetId: pulumi.Output<string>;
    /** The log group's name. */
    public readonly logGroupName: pulumi.Output<string>;

    /**
     * The file system of a stack, from its validated `fsx` section ({@link lustreFileSystemArgs}).
     *
     * @param name logical name (the stack uses `fsx`, `FSX_COMPONENT_NAME`; a new name is a new URN
     *   and so a new file system).
     * @param fsx the validated `fsx` section.
     * @param stack the stack settings (`project`, `stack`, `protect`).
     * @param deps the network and the bucket's name.
     * @param opts component options.
     * @throws Error when the settings break an FSx rule (config validation refuses them first).
     */
    static fromConfig(
        name: string,
        fsx: LustreFileSystemSection,
        stack: Pick<StackContext, "project" | "stack" | "protect">,
        deps: LustreFileSystemDependencies,
        opts?: pulumi.ComponentResourceOptions,
    ): LustreFileSystem {
        return new LustreFileSystem(name, lustreFileSystemArgs(fsx, stack, deps), opts);
    }

    /**
     * @param name logical name; children are named `${name}-<role>`.
     * @param args see {@link LustreFileSystemArgs}.
     * @param opts component options.
     * @throws Error when the arguments break an FSx rule (see `lustreRules.ts`).
     */
    constructor(name: string, args: LustreFileSystemArgs, opts?: pulumi.ComponentResourceOptions) {
        super("microbiome-backup:storage:LustreFileSystem", name, {}, opts);
        const version = args.fileSystemTypeVersion ?? "2.15";
        const metadata = resolveMetadataConfiguration(version, args.metadataConfiguration);
        const compression = args.dataCompressionType ?? "LZ4";
        const logLevel = args.logLevel ?? "WARN_ERROR";
        const logGroupName = args.logGroupName ?? `/aws/fsx/${name}`;
        const maintenance = args.weeklyMaintenanceStartTime ?? "7:04:00";
        const backups = args.automaticBackupRetentionDays ?? 0;
        const mountPoint = args.mountPoint ?? DEFAULT_MOUNT_POINT;
        const protect = args.protect ?? false;

        const problems = [
            ...checkLustreFileSystem(
                {
                    deploymentType: LUSTRE_DEPLOYMENT_TYPE,
                    storageType: LUSTRE_STORAGE_TYPE,
                    storageCapacity: args.storageCapacity,
                    perUnitStorageThroughput: args.perUnitStorageThroughput,
                    fileSystemTypeVersion: version,
                    ...(metadata ? { metadataConfiguration: metadata } : {}),
                    automaticBackupRetentionDays: backups,
                    weeklyMaintenanceStartTime: maintenance,
                    dataCompressionType: compression,
                    logConfiguration: { level: logLevel },
                    ...(args.rootSquashConfiguration ? { rootSquashConfiguration: args.rootSquashConfiguration } : {}),
                },
                args.dataRepositoryAssociations.length,
            ).errors,
            ...checkDataRepositoryAssociations(
                args.dataRepositoryAssociations.map((d) => ({
                    fileSystemPath: d.fileSystemPath,
                    ...(typeof d.dataRepositoryPath === "string" ? { dataRepositoryPath: d.dataRepositoryPath } : {}),
                    importedFileChunkSize: d.importedFileChunkSize,
                    s3: { autoImportPolicy: { events: d.autoImportEvents }, autoExportPolicy: { events: d.autoExportEvents } },
                })),
            ).errors,
        ];
        if (!logGroupName.startsWith("/aws/fsx")) {
            problems.push({ path: ["logGroupName"], message: "must start with /aws/fsx (FSx LustreLogCreateConfiguration Destination)" });
        }
        if (args.dataRepositoryAssociations.length === 0) {
            problems.push({ path: ["dataRepositoryAssociations"], message: "at least one association: the file system is linked to S3" });
        }
        if (problems.length > 0) {
            throw new Error(`LustreFileSystem ${name}: ${problems.map((p) => `${p.path.join(".") || "(args)"}: ${p.message}`).join("; ")}`);
        }

        // Security groups: the file system's and the clients'. No inline rules (one resource per rule).
        this.securityGroup = new aws.ec2.SecurityGroup(
            `${name}-lustre`,
            { vpcId: args.vpcId, description: "FSx for Lustre file system: Lustre from itself and from its clients", tags: { Name: `${name}-lustre` } },
            { parent: this },
        );
        const clientSg = new aws.ec2.SecurityGroup(
            `${name}-client`,
            { vpcId: args.vpcId, description: "Lustre clients of the FSx file system (attach to the sync host)", tags: { Name: `${name}-client` } },
            { parent: this },
        );
        const fsSgId = this.securityGroup.id;
        const ruleResources: pulumi.Resource[] = [];
        const clientSgId = clientSg.id;
        for (const range of LUSTRE_TCP_PORT_RANGES) {
            const ports = range.fromPort === range.toPort ? `${range.fromPort}` : `${range.fromPort}-${range.toPort}`;
            const rule = { ipProtocol: "tcp", fromPort: range.fromPort, toPort: range.toPort };
            const sgOpts = { parent: this.securityGroup };
            const clientOpts = { parent: clientSg };
            ruleResources.push(
                new aws.vpc.SecurityGroupIngressRule(`${name}-lustre-in-self-${ports}`, { ...rule, securityGroupId: fsSgId, referencedSecurityGroupId: fsSgId, description: `Lustre ${ports} from the file system itself` }, sgOpts),
                new aws.vpc.SecurityGroupIngressRule(`${name}-lustre-in-client-${ports}`, { ...rule, securityGroupId: fsSgId, referencedSecurityGroupId: clientSgId, description: `Lustre ${ports} from clients` }, sgOpts),
                new aws.vpc.SecurityGroupEgressRule(`${name}-lustre-out-self-${ports}`, { ...rule, securityGroupId: fsSgId, referencedSecurityGroupId: fsSgId, description: `Lustre ${ports} to the file system itself` }, sgOpts),
                new aws.vpc.SecurityGroupEgressRule(`${name}-lustre-out-client-${ports}`, { ...rule, securityGroupId: fsSgId, referencedSecurityGroupId: clientSgId, description: `Lustre ${ports} to clients` }, sgOpts),
            );
            new aws.vpc.SecurityGroupIngressRule(`${name}-client-in-${ports}`, { ...rule, securityGroupId: clientSgId, referencedSecurityGroupId: fsSgId, description: `Lustre ${ports} from the file system` }, clientOpts);
            new aws.vpc.SecurityGroupEgressRule(`${name}-client-out-${ports}`, { ...rule, securityGroupId: clientSgId, referencedSecurityGroupId: fsSgId, description: `Lustre ${ports} to the file system` }, clientOpts);
        }

        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-logs`,
            { name: logGroupName, retentionInDays: args.logRetentionInDays ?? 90 },
            { parent: this },
        );

        this.fileSystem = new aws.fsx.LustreFileSystem(
            `${name}`,
            {
                deploymentType: LUSTRE_DEPLOYMENT_TYPE,
                storageType: LUSTRE_STORAGE_TYPE,
                storageCapacity: args.storageCapacity,
                perUnitStorageThroughput: args.perUnitStorageThroughput,
                fileSystemTypeVersion: version,
                ...(metadata ? { metadataConfiguration: { mode: metadata.mode, ...(metadata.iops !== undefined ? { iops: metadata.iops } : {}) } } : {}),
                dataCompressionType: compression,
                logConfiguration: { level: logLevel, destination: logGroup.arn },
                weeklyMaintenanceStartTime: maintenance,
                automaticBackupRetentionDays: backups,
                skipFinalBackup: true,
                subnetIds: args.subnetId,
                securityGroupIds: [fsSgId, ...(args.additionalSecurityGroupIds ?? [])],
                ...(args.kmsKeyId ? { kmsKeyId: args.kmsKeyId } : {}),
                ...(args.rootSquashConfiguration
                    ? {
                          rootSquashConfiguration: {
                              ...(args.rootSquashConfiguration.rootSquash ? { rootSquash: args.rootSquashConfiguration.rootSquash } : {}),
                              ...(args.rootSquashConfiguration.noSquashNids ? { noSquashNids: [...args.rootSquashConfiguration.noSquashNids] } : {}),
                          },
                      }
                    : {}),
                tags: { Name: name, ...(args.decommission ? { [DECOMMISSION_TAG]: `export report clean ${args.decommission.exportReportClean}` } : {}) },
            },
            {
                parent: this,
                ...fileSystemRetention({ protect, decommission: args.decommission }),
                customTimeouts: LUSTRE_TIMEOUTS.fileSystem,
                // The Lustre rules must exist before FSx checks the group at creation ("cannot-create-fs").
                dependsOn: ruleResources,
            },
        );

        const all = [...DRA_EVENT_TYPES];
        this.associations = [];
        let previous: aws.fsx.DataRepositoryAssociation | undefined;
        for (const dra of args.dataRepositoryAssociations) {
            const importEvents = [...(dra.autoImportEvents ?? all)];
            const exportEvents = [...(dra.autoExportEvents ?? all)];
            const association: aws.fsx.DataRepositoryAssociation = new aws.fsx.DataRepositoryAssociation(
                `${name}-dra-${dra.resourceSuffix}`,
                {
                    fileSystemId: this.fileSystem.id,
                    fileSystemPath: dra.fileSystemPath,
                    dataRepositoryPath: dra.dataRepositoryPath,
                    importedFileChunkSize: dra.importedFileChunkSize ?? 1024,
                    batchImportMetaDataOnCreate: dra.batchImportMetaDataOnCreate ?? false,
                    deleteDataInFilesystem: false,
                    s3: {
                        ...(importEvents.length > 0 ? { autoImportPolicy: { events: importEvents } } : {}),
                        ...(exportEvents.length > 0 ? { autoExportPolicy: { events: exportEvents } } : {}),
                    },
                    tags: { Name: `${name}${dra.fileSystemPath}` },
                },
                {
                    parent: this,
                    customTimeouts: dra.batchImportMetaDataOnCreate ? LUSTRE_TIMEOUTS.associationWithImport : LUSTRE_TIMEOUTS.association,
                    // FSx processes associations one at a time; parallel creation fails
                    // (hashicorp/terraform-provider-aws#24678).
                    ...(previous ? { dependsOn: [previous] } : {}),
                },
            );
            this.associations.push(association);
            previous = association;
        }

        this.fileSystemId = this.fileSystem.id;
        this.dnsName = this.fileSystem.dnsName;
        this.mountName = this.fileSystem.mountName;
        this.mountCommand = pulumi.all([this.dnsName, this.mountName]).apply(([dns, mount]) => mountCommand(dns, mount, mountPoint));
        this.fstabLine = pulumi.all([this.dnsName, this.mountName]).apply(([dns, mount]) => fstabLine(dns, mount, mountPoint));
        this.clientSecurityGroupId = clientSgId;
        this.subnetId = pulumi.output(args.subnetId);
        this.logGroupName = logGroup.name;
        this.registerOutputs({
            fileSystemId: this.fileSystemId,
            dnsName: this.dnsName,
            mountName: this.mountName,
            mountCommand: this.mountCommand,
            fstabLine: this.fstabLine,
            clientSecurityGroupId: this.clientSecurityGroupId,
            subnetId: this.subnetId,
            logGroupName: this.logGroupName,
        });
    }
}

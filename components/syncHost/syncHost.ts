/**
 * SyncHost — a hardened EC2 instance in the file system's subnet that mounts the FSx for Lustre
 * file system and pulls remote data (SFTP servers, other S3 buckets) into it on a schedule. From
 * the mount, the file system's data repository association exports the data to the backup bucket.
 *
 * Hardening (Security Hub): IMDSv2 required with hop limit 1 (EC2.8); no public IPv4 (EC2.9); no
 * key pair and no inbound rule at all — operators connect with SSM Session Manager (SSM.1,
 * `AmazonSSMManagedInstanceCore`); encrypted gp3 root volume (EC2.3), optionally EBS encryption by
 * default for the account and Region (EC2.7); a least-privilege instance role.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { isIpv4Address } from "../common/addressRules";
import { LUSTRE_TCP_PORT_RANGES } from "../fsx/rules";
import { ec2AssumeRolePolicy, syncHostPolicyDocument } from "./policy";
import { DEFAULT_INSTANCE_TYPE, HARDENED_METADATA_OPTIONS } from "./rules";
import { renderUserDataBase64, ResolvedSyncSource, SYNC_METRIC_NAMESPACE, SYNC_SERVICE, SYNC_TIMER, SyncRunOptions, syncReportsPrefix } from "./userData";
import { onCalendarToCron, RUN_MODE_TAGS, RunMode, scheduledStartUserData, schedulerTrustPolicy, START_INSTANCES_TARGET_ARN, startInstancePolicy } from "./schedule";

/**
 * AMI name filter: current Amazon Linux 2023 x86_64 standard AMIs on the 6.1 kernel. The FSx for
 * Lustre client for AL2023 (`dnf install -y lustre-client`) is documented for the 6.1 kernel
 * (≥ 6.1.79-99.167); the filter excludes the `-minimal-` AMIs and other kernel lines.
 */
export const AL2023_AMI_NAME_FILTER = "al2023-ami-2023.*-kernel-6.1-x86_64";

/** Sync-host settings, as validated by `config/syncHost.ts`. */
export interface SyncHostSettings {
    /** EC2 instance type (x86_64). Default c6in.large. */
    readonly instanceType?: string;
    /** Root volume size in GiB (encrypted gp3). Default 16. */
    readonly rootVolumeSizeGiB?: number;
    /** systemd OnCalendar expression of the sync timer. Default `*-*-* 02:00:00` (UTC). */
    readonly schedule?: string;
    /** Mount point of the Lustre file system. Default `/fsx`. */
    readonly mountPoint?: string;
    /** CloudWatch Logs: ship the sync log to a log group with this retention. Default off. */
    readonly cloudWatchLogs?: { readonly enabled: boolean; readonly retentionInDays: number };
    /** Declare `aws.ebs.EncryptionByDefault` (account- and Region-wide). Default false. */
    readonly ebsEncryptionByDefault?: boolean;
    /**
     * `always-on` (default): the instance runs around the clock, a systemd timer starts each sync.
     * `scheduled-start`: an EventBridge Scheduler schedule starts the stopped instance, it runs one
     * sync and powers itself off (`syncHostSchedule.ts`, docs/synchost.md "Pay only while working").
     */
    readonly runMode?: RunMode;
    /**
     * With `scheduled-start`: the EventBridge Scheduler expression (UTC; default: the `schedule`
     * converted by `onCalendarToCron`). The run's limit is {@link maxRunHours}.
     */
    readonly scheduledStart?: { readonly scheduleExpression?: string };
    /** Longest sync run, hours: systemd stops a run that reaches it (and a scheduled-start host powers off). Default 20. */
    readonly maxRunHours?: number;
}

/** Arguments of {@link SyncHost}. */
export interface SyncHostArgs {
    /** VPC of the file system (the security group is created in it). */
    readonly vpcId: pulumi.Input<string>;
    /** The file system's subnet: the host runs there, and Lustre egress is allowed to its CIDR. */
    readonly subnetId: pulumi.Input<string>;
    /** Security group the file system's group accepts Lustre traffic from; attached to the host. */
    readonly clientSecurityGroupId: pulumi.Input<string>;
    /** The file system's DNS name (`aws.fsx.LustreFileSystem.dnsName`). */
    readonly fileSystemDnsName: pulumi.Input<string>;
    /** The file system's Lustre mount name (`mountName`). */
    readonly mountName: pulumi.Input<string>;
    /** Name of the backup bucket the file system exports to (named in the export report). */
    readonly bucketName: pulumi.Input<string>;
    /** ARN of the backup bucket; the role may list and read it (verification), never write. */
    readonly bucketArn: pulumi.Input<string>;
    /**
     * The backup bucket's default encryption: with SSE-KMS the role may use the key through S3 for
     * its report uploads (without it every upload, and so every run, fails). Default SSE-S3.
     */
    readonly bucketEncryption?: { readonly sseAlgorithm: "AES256" | "aws:kms"; readonly kmsKeyArn?: string };
    /** Validated settings (`config.syncHost`). */
    readonly settings: SyncHostSettings;
    /**
     * Sources pulled on each run, in order, with their resolved paths (`resolveSyncPaths(config)`,
     * `config/syncPaths.ts`): staging path, exported Lustre path, `s3://` destination. Default none.
     */
    readonly sources?: readonly ResolvedSyncSource[];
    /** How each run behaves (release, ages, maximum run time, settle time, completion marker, export wait); defaults in `SYNC_RUN_DEFAULTS`. */
    readonly run?: SyncRunOptions;
    /** CloudWatch Logs log group name when logs are enabled. Default `/microbiome-backup/<stack>/sync-host`. */
    readonly logGroupName?: string;
}

/**
 * The validated `microbiome-backup:syncHost` section, as far as the host reads it (`config/syncHost.ts`
 * `SyncHostConfig` has this shape, defaults applied; its sources arrive resolved, see
 * {@link SyncHostDependencies.sources}).
 */
export interface SyncHostSection extends SyncHostSettings {
    /** Longest sync run, hours (1–168). */
    readonly maxRunHours: number;
    /** A file modified within this many minutes is left for the next run. */
    readonly settleMinutes: number;
    /** File name that marks a finished run folder; absent = none. */
    readonly completionMarker?: string;
    /** Release exported file data from the SSD after each verified run. */
    readonly release: { readonly enabled: boolean };
    /** Hours after which an unexported file counts in `UnexportedFilesOverAge`. */
    readonly alarms: { readonly unexportedAgeHours: number };
}

/** What {@link SyncHost.fromConfig} takes from other concerns. */
export interface SyncHostDependencies {
    /** The network (a `Network`): the file system's VPC and subnet. */
    readonly network: { readonly vpcId: pulumi.Input<string>; readonly subnetId: pulumi.Input<string> };
    /** The file system (a `LustreFileSystem`): its client security group, DNS name and mount name. */
    readonly fileSystem: {
        readonly clientSecurityGroupId: pulumi.Input<string>;
        readonly dnsName: pulumi.Input<string>;
        readonly mountName: pulumi.Input<string>;
    };
    /** The backup bucket (a `BackupBucket`): its name and ARN. */
    readonly bucket: { readonly bucketName: pulumi.Input<string>; readonly bucketArn: pulumi.Input<string> };
    /** The backup bucket's default encryption (`bucket.encryption`). */
    readonly bucketEncryption: { readonly sseAlgorithm: "AES256" | "aws:kms"; readonly kmsKeyArn?: string };
    /**
     * The sources with their staging and exported Lustre paths, resolved from the association that
     * covers each destination (`config/syncPaths.ts` `resolveSyncPaths`).
     */
    readonly sources: readonly ResolvedSyncSource[];
}

/**
 * The sync host's run behaviour, from its validated settings: what the host's scripts read
 * ({@link SyncRunOptions}). The export window is half of the run's limit, at most 2 h, so a run
 * always has time left to verify after waiting for the export.
 *
 * @param s the validated `syncHost` section.
 * @returns the {@link SyncHostArgs.run} options.
 */
export function syncRunOptions(s: Pick<SyncHostSection, "maxRunHours" | "settleMinutes" | "completionMarker" | "release" | "alarms">): SyncRunOptions {
    const maxRunMinutes = s.maxRunHours * 60;
    return {
        releaseExported: s.release.enabled,
        unexportedAgeHours: s.alarms.unexportedAgeHours,
        maxRunMinutes,
        settleMinutes: s.settleMinutes,
        ...(s.completionMarker !== undefined ? { completionMarker: s.completionMarker } : {}),
        exportWaitMinutes: Math.min(120, Math.floor(maxRunMinutes / 2)),
    };
}

/**
 * The {@link SyncHostArgs} of a validated `syncHost` section: the settings as they are, the run
 * options from {@link syncRunOptions}, the placement and mount from the network and file system.
 *
 * @param syncHost the validated `syncHost` section.
 * @param deps the network, file system, bucket and resolved sources.
 */
export function syncHostArgs(syncHost: SyncHostSection, deps: SyncHostDependencies): SyncHostArgs {
    return {
        vpcId: deps.network.vpcId,
        subnetId: deps.network.subnetId,
        clientSecurityGroupId: deps.fileSystem.clientSecurityGroupId,
        fileSystemDnsName: deps.fileSystem.dnsName,
        mountName: deps.fileSystem.mountName,
        bucketName: deps.bucket.bucketName,
        bucketArn: deps.bucket.bucketArn,
        bucketEncryption: deps.bucketEncryption,
        settings: syncHost,
        sources: deps.sources,
        run: syncRunOptions(syncHost),
    };
}

/**
 * The sync host: security group (egress only), instance role and profile, optional log group and
 * EBS-encryption-by-default, and the instance with its cloud-init user data.
 *
 * The instance is not data-bearing (the data lives on the file system and in S3): it has no
 * `protect`/`retainOnDelete`, and a change of its user data (e.g. a new source) replaces it
 * (`userDataReplaceOnChange`), because cloud-init applies user data only at first boot. A newer
 * AMI does not replace it (`ignoreChanges: ["ami"]`); roll it with `pulumi up --replace <urn>`.
 */
export class SyncHost extends pulumi.ComponentResource {
    /** The instance. */
    public readonly instance: aws.ec2.Instance;
    /** The host's own security group (no ingress). */
    public readonly securityGroup: aws.ec2.SecurityGroup;
    /** The instance role. */
    public readonly role: aws.iam.Role;
    /** Instance id, `i-…`. */
    public readonly instanceId: pulumi.Output<string>;
    /** Command an operator runs to open a shell: `aws ssm start-session --target <id> --region <region>`. */
    public readonly sessionCommand: pulumi.Output<string>;
    /** CloudWatch Logs log group name, when logs are enabled. */
    public readonly logGroupName: pulumi.Output<string | undefined>;

    /**
     * The sync host of a stack, from its validated `syncHost` section ({@link syncHostArgs}).
     *
     * @param name logical name (the stack uses `sync-host`; a new name is a new URN).
     * @param syncHost the validated `syncHost` section.
     * @param deps the network, file system, bucket and resolved sources.
     * @param opts component options.
     * @throws Error as the constructor does (e.g. a `scheduled-start` schedule without a cron
     *   equivalent; config validation refuses it first).
     */
    static fromConfig(name: string, syncHost: SyncHostSection, deps: SyncHostDependencies, opts?: pulumi.ComponentResourceOptions): SyncHost {
        return new SyncHost(name, syncHostArgs(syncHost, deps), opts);
    }

    /**
     * @param name logical name; children are named `${name}-<role>`.
     * @param args see {@link SyncHostArgs}.
     * @param opts component options (parent, providers).
     */
    constructor(name: string, args: SyncHostArgs, opts?: pulumi.ComponentResourceOptions) {
        super("microbiome-backup:compute:SyncHost", name, {}, opts);
        const settings = args.settings;
        const instanceType = settings.instanceType ?? DEFAULT_INSTANCE_TYPE;
        const rootVolumeSizeGiB = settings.rootVolumeSizeGiB ?? 16;
        const schedule = settings.schedule ?? "*-*-* 02:00:00";
        const mountPoint = settings.mountPoint ?? "/fsx";
        const logs = settings.cloudWatchLogs ?? { enabled: false, retentionInDays: 90 };
        const sources = args.sources ?? [];
        const reportsPrefix = syncReportsPrefix(pulumi.getStack());
        const childOpts: pulumi.CustomResourceOptions = { parent: this };

        const region = aws.getRegionOutput({}, { parent: this }).region;
        const partition = aws.getPartitionOutput({}, { parent: this }).partition;

        if (settings.ebsEncryptionByDefault) {
            // Account- and Region-wide. retainOnDelete: destroying this stack must not switch it off
            // for every other volume in the account.
            new aws.ebs.EncryptionByDefault(`${name}-ebs-encryption-by-default`, { enabled: true }, { ...childOpts, retainOnDelete: true });
        }

        // Security group: no ingress at all; egress HTTPS (SSM, S3, Secrets Manager, CloudWatch Logs,
        // dnf repositories), Lustre to the file system's subnet, and each SFTP server's port.
        this.securityGroup = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            { vpcId: args.vpcId, description: "microbiome-backup sync host: no inbound; HTTPS, Lustre and SFTP outbound" },
            childOpts,
        );
        const sgId = this.securityGroup.id;
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-egress-https`,
            { securityGroupId: sgId, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0", description: "HTTPS: SSM, S3, Secrets Manager, CloudWatch Logs, package repositories" },
            childOpts,
        );
        const subnetCidr = aws.ec2.getSubnetOutput({ id: args.subnetId }, { parent: this }).cidrBlock;
        for (const ports of LUSTRE_TCP_PORT_RANGES) {
            new aws.vpc.SecurityGroupEgressRule(
                `${name}-egress-lustre-${ports.fromPort}`,
                { securityGroupId: sgId, ipProtocol: "tcp", fromPort: ports.fromPort, toPort: ports.toPort, cidrIpv4: subnetCidr, description: "Lustre to the file system's subnet" },
                childOpts,
            );
        }
        const sftpRules = new Map<string, { cidr: string; port: number; names: string[] }>();
        for (const s of sources) {
            if (s.type !== "sftp") continue;
            const cidr = s.egressCidr ?? (isIpv4Address(s.host) ? `${s.host}/32` : "0.0.0.0/0");
            const key = `${cidr}:${s.port}`;
            const rule = sftpRules.get(key) ?? { cidr, port: s.port, names: [] };
            rule.names.push(s.name);
            sftpRules.set(key, rule);
        }
        for (const rule of sftpRules.values()) {
            new aws.vpc.SecurityGroupEgressRule(
                `${name}-egress-sftp-${rule.names[0]}`,
                { securityGroupId: sgId, ipProtocol: "tcp", fromPort: rule.port, toPort: rule.port, cidrIpv4: rule.cidr, description: `SFTP: ${rule.names.join(", ")}` },
                childOpts,
            );
        }

        // Instance role and profile.
        this.role = new aws.iam.Role(
            `${name}-role`,
            { assumeRolePolicy: JSON.stringify(ec2AssumeRolePolicy()), description: "microbiome-backup sync host (SSM managed; reads sources and the backup bucket)" },
            childOpts,
        );
        const ssmCore = new aws.iam.RolePolicyAttachment(
            `${name}-ssm-core`,
            { role: this.role.name, policyArn: aws.iam.ManagedPolicy.AmazonSSMManagedInstanceCore },
            childOpts,
        );

        let logGroupArn: pulumi.Output<string | undefined> = pulumi.output(undefined);
        let logGroupName: pulumi.Output<string | undefined> = pulumi.output(undefined);
        if (logs.enabled) {
            const group = new aws.cloudwatch.LogGroup(
                `${name}-logs`,
                { name: args.logGroupName ?? `/microbiome-backup/${pulumi.getStack()}/sync-host`, retentionInDays: logs.retentionInDays },
                childOpts,
            );
            logGroupArn = group.arn;
            logGroupName = group.name;
        }

        const secretArns = sources.flatMap((s) => (s.type === "sftp" ? [s.privateKeySecretArn] : []));
        const sourceBuckets = sources.flatMap((s) => (s.type === "s3" ? [{ bucket: s.bucket, prefix: s.prefix }] : []));
        const inlinePolicy = new aws.iam.RolePolicy(
            `${name}-policy`,
            {
                role: this.role.name,
                policy: pulumi
                    .all([args.bucketArn, logGroupArn, partition, region])
                    .apply(([bucketArn, groupArn, part, reg]) =>
                        JSON.stringify(
                            syncHostPolicyDocument({
                                backupBucketArn: bucketArn,
                                reportsPrefix,
                                metricNamespace: SYNC_METRIC_NAMESPACE,
                                secretArns,
                                sourceBuckets,
                                logGroupArn: groupArn,
                                partition: part,
                                ...(args.bucketEncryption?.sseAlgorithm === "aws:kms" && args.bucketEncryption.kmsKeyArn
                                    ? { backupBucketKey: { kmsKeyArn: args.bucketEncryption.kmsKeyArn, region: reg } }
                                    : {}),
                            }),
                        ),
                    ),
            },
            childOpts,
        );
        const profile = new aws.iam.InstanceProfile(`${name}-profile`, { role: this.role.name }, childOpts);

        const ami = aws.ec2.getAmiOutput(
            {
                owners: ["amazon"],
                mostRecent: true,
                filters: [
                    { name: "name", values: [AL2023_AMI_NAME_FILTER] },
                    { name: "architecture", values: ["x86_64"] },
                    { name: "state", values: ["available"] },
                ],
            },
            { parent: this },
        );

        const runMode = settings.runMode ?? "always-on";
        const maxRunHours = settings.maxRunHours ?? 20;
        const additions = runMode === "scheduled-start" ? scheduledStartUserData(maxRunHours, SYNC_SERVICE, SYNC_TIMER) : undefined;
        const userData = pulumi
            .all([args.fileSystemDnsName, args.mountName, args.bucketName, region, logGroupName])
            .apply(([dns, mount, bucket, reg, group]) =>
                renderUserDataBase64({
                    fileSystemDnsName: dns,
                    mountName: mount,
                    mountPoint,
                    schedule,
                    region: reg,
                    backupBucketName: bucket,
                    metricsStack: `${pulumi.getProject()}-${pulumi.getStack()}`,
                    reportsPrefix,
                    sources,
                    ...(args.run ? { run: args.run } : {}),
                    cloudWatchLogGroup: group,
                    ...(additions ? { additions } : {}),
                }),
            );

        this.instance = new aws.ec2.Instance(
            `${name}`,
            {
                ami: ami.id,
                instanceType,
                subnetId: args.subnetId,
                vpcSecurityGroupIds: [sgId, args.clientSecurityGroupId],
                iamInstanceProfile: profile.name,
                associatePublicIpAddress: false,
                metadataOptions: { ...HARDENED_METADATA_OPTIONS },
                rootBlockDevice: { volumeType: "gp3", volumeSize: rootVolumeSizeGiB, encrypted: true, deleteOnTermination: true },
                userDataBase64: userData,
                userDataReplaceOnChange: true,
                tags: {
                    Name: `microbiome-backup-${name}`,
                    ...(runMode === "scheduled-start" ? { [RUN_MODE_TAGS.runMode]: runMode, [RUN_MODE_TAGS.maxRunHours]: String(maxRunHours) } : {}),
                },
            },
            { ...childOpts, ignoreChanges: ["ami"], dependsOn: [ssmCore, inlinePolicy] },
        );
        if (runMode === "scheduled-start") {
            this.declareScheduledStart(name, schedule, settings.scheduledStart?.scheduleExpression, childOpts);
        }

        this.instanceId = this.instance.id;
        this.sessionCommand = pulumi.interpolate`aws ssm start-session --target ${this.instance.id} --region ${region}`;
        this.logGroupName = logGroupName;
        this.registerOutputs({
            instanceId: this.instanceId,
            sessionCommand: this.sessionCommand,
            securityGroupId: sgId,
            roleArn: this.role.arn,
            logGroupName: this.logGroupName,
        });
    }

    /**
     * The scheduled-start resources: the scheduler's role (start this instance, nothing else) and the
     * schedule calling EC2 StartInstances.
     *
     * @throws Error when no schedule expression is given and `schedule` has no cron equivalent
     *   (config validation reports this first).
     */
    private declareScheduledStart(name: string, onCalendar: string, expression: string | undefined, opts: pulumi.CustomResourceOptions): void {
        const scheduleExpression = expression ?? onCalendarToCron(onCalendar);
        if (scheduleExpression === undefined) {
            throw new Error(`SyncHost ${name}: schedule ${onCalendar} has no EventBridge Scheduler equivalent; set scheduledStart.scheduleExpression`);
        }
        const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        const role = new aws.iam.Role(
            `${name}-scheduler-role`,
            {
                assumeRolePolicy: account.apply((id) => JSON.stringify(schedulerTrustPolicy(id))),
                description: "EventBridge Scheduler: starts the microbiome-backup sync host (scheduled-start)",
            },
            opts,
        );
        const policy = new aws.iam.RolePolicy(
            `${name}-scheduler-start`,
            { role: role.name, policy: this.instance.arn.apply((arn) => JSON.stringify(startInstancePolicy(arn))) },
            opts,
        );
        new aws.scheduler.Schedule(
            `${name}-start`,
            {
                description: "Starts the microbiome-backup sync host; it runs one sync and powers itself off",
                scheduleExpression,
                scheduleExpressionTimezone: "UTC",
                flexibleTimeWindow: { mode: "OFF" },
                target: {
                    arn: START_INSTANCES_TARGET_ARN,
                    roleArn: role.arn,
                    input: this.instance.id.apply((id) => JSON.stringify({ InstanceIds: [id] })),
                },
            },
            { ...opts, dependsOn: [policy] },
        );
    }
}

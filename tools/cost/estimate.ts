/**
 * The monthly cost estimate of a stack, computed from the resource registrations the offline
 * preview records (`tools/offline/run.ts` `runProgram`: type, inputs, options, provider of every
 * resource the real program declared) and the price table (`tools/pricing/aws.ts`). Nothing here
 * describes the stack a second time: a resource the program does not declare costs nothing, a
 * declared type the table cannot price is listed as unpriced (never counted as 0), and the types
 * that cost nothing by themselves are listed as free with the page that says so.
 *
 * Usage figures the registrations cannot carry come from the stack's `bucket.dataModel` (stored GB,
 * monthly growth, average object size, noncurrent GB per month) and are stated in `assumptions`.
 * Month = 730 hours = 365/12 days (the AWS Pricing Calculator's month).
 */
import type { StepState } from "../offline/run";
import { runsPerMonth, RUN_MODE_TAGS } from "../../components/syncHost/schedule";
import type { DataModel } from "../../config/bucket";
import { isArchiveStorageClass } from "../../components/bucket/lifecycle";
import {
    ARCHIVE_OVERHEAD_KB,
    ARCHIVE_OVERHEAD_SOURCE,
    BATCH_OPERATIONS,
    CLOUDWATCH,
    EBS_STORAGE,
    EC2_INSTANCE_HOUR,
    FREE_TYPES,
    FSX_LUSTRE_STORAGE,
    INTER_REGION_TRANSFER,
    INTERFACE_ENDPOINT,
    isStructural,
    NAT_GATEWAY,
    PUBLIC_IPV4_HOUR,
    REPLICATION_TIME_CONTROL,
    S3_PUT,
    S3_STORAGE,
    S3_TRANSITION,
    S3StorageClass,
    SECRET_MONTH,
    SOURCES,
} from "../pricing/aws";
import type { Price, RegionalPrice } from "../pricing/types";

/** Hours in the estimate's month. */
export const HOURS_PER_MONTH = 730;
/** Days in the estimate's month (365/12). */
export const DAYS_PER_MONTH = 365 / 12;
/** MB per GB (S3 bills binary GB). */
const MB_PER_GB = 1024;
/** KB per GB. */
const KB_PER_GB = 1024 * 1024;
/** Log data a log group is assumed to ingest per month, GB (sync and Lustre WARN_ERROR logs are small). */
export const LOG_GB_PER_MONTH = 0.1;
/** Metrics S3 publishes per replication rule with metrics on (S3 User Guide "replication-metrics"). */
export const REPLICATION_METRICS_PER_RULE = 4;

/** One priced item (`npm run cost -- --json` `lines[]`). */
export interface CostLine {
    /** URN of the registration the item comes from. */
    readonly urn: string;
    /** Its Pulumi type. */
    readonly type: string;
    /** What is priced. */
    readonly item: string;
    /** How many units per month. */
    readonly quantity: number;
    /** The price's unit (GB-month, hour, 1,000 requests, …). */
    readonly unit: string;
    /** USD per unit. */
    readonly unitPrice: number;
    /** USD per month (quantity × unitPrice). */
    readonly monthly: number;
    /** The pricing page, the date read and how it was confirmed. */
    readonly source: string;
}

/** A declared resource (or part of one) the table cannot price. */
export interface UnpricedItem {
    readonly urn: string;
    readonly type: string;
    readonly reason: string;
}

/** A declared resource that costs nothing by itself. */
export interface FreeItem {
    readonly urn: string;
    readonly type: string;
    readonly reason: string;
    readonly source: string;
}

/** A one-time cost (`oneTime.lines[]`): USD once, not per month. */
export interface OneTimeLine extends Omit<CostLine, "monthly"> {
    /** USD, once. */
    readonly total: number;
}

/** A comparison figure (USD per month) for the same data stored another way. */
export interface Comparison {
    readonly item: string;
    readonly monthly: number;
    readonly note: string;
}

/** The estimate (`npm run cost -- --json`, and `cost` in the offline preview's `--json`). */
export interface CostEstimate {
    readonly stack: string;
    readonly currency: "USD";
    /** USD per month: the sum of `lines[].monthly` (unpriced items excluded — see `unpriced`). */
    readonly monthlyTotal: number;
    readonly lines: CostLine[];
    readonly unpriced: UnpricedItem[];
    readonly assumptions: string[];
    /** Resources that cost nothing by themselves. */
    readonly free: FreeItem[];
    /** One-time costs of the first deployment (adopted bucket: lifecycle transitions of the objects already there, Batch Replication backfill). */
    readonly oneTime: { readonly total: number; readonly lines: OneTimeLine[] };
    /** The same data stored otherwise, and the physical floor. */
    readonly comparisons: Comparison[];
}

/** What the estimate needs besides the registrations. */
export interface EstimateInput {
    /** Stack name. */
    readonly stack: string;
    /** `aws:region`: the Region of resources on the default provider. */
    readonly region: string;
    /** The registrations (`ProgramRun.steps[].newState` with the step's op). */
    readonly steps: readonly { readonly op: string; readonly newState: StepState }[];
    /** `bucket.name`: the bucket the data model describes. */
    readonly bucketName: string;
    /** `bucket.dataModel`; without it, no storage, request or transfer volume is estimated. */
    readonly dataModel?: DataModel;
    /** `replication.destination.region`, for a DR bucket this stack does not declare (external mode). */
    readonly replicationDestinationRegion?: string;
}

/** A price's source text: page, date read, confirmation. */
function sourceText(p: Price): string {
    return `${p.source} (read ${p.read}${p.note ? `; ${p.note}` : ""})`;
}

/** Rounds to 1/10000 USD for stable output. */
function round(v: number, digits = 4): number {
    const f = 10 ** digits;
    return Math.round(v * f) / f;
}

/** Months a day count spans. */
function months(days: number): number {
    return days / DAYS_PER_MONTH;
}

function obj(v: unknown): Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
function arr(v: unknown): unknown[] {
    return Array.isArray(v) ? v : [];
}
function num(v: unknown): number | undefined {
    return typeof v === "number" ? v : typeof v === "string" && /^\d+(\.\d+)?$/.test(v) ? Number(v) : undefined;
}
function str(v: unknown): string | undefined {
    return typeof v === "string" ? v : undefined;
}

/** A class and the GB in it. */
interface Band {
    readonly storageClass: S3StorageClass;
    readonly gb: number;
    readonly label: string;
}

/**
 * Steady-state GB per storage class under transitions by age, for data that grows by `growth` GB a
 * month up to `total` GB: the data younger than the first transition is in STANDARD (growth × its
 * age in months), each later class holds the growth of its age band, the last class the rest.
 *
 * @param until age at which the data is deleted (noncurrent expiry), days; `undefined` = kept.
 */
export function ageBands(total: number, growth: number, transitions: readonly { days: number; storageClass: S3StorageClass }[], until?: number): Band[] {
    const sorted = [...transitions].sort((a, b) => a.days - b.days);
    const bands: Band[] = [];
    let remaining = total;
    let from = 0;
    let cls: S3StorageClass = "STANDARD";
    for (const t of sorted) {
        const gb = Math.min(remaining, growth * months(t.days - from));
        bands.push({ storageClass: cls, gb, label: `aged ${from}–${t.days} days` });
        remaining -= gb;
        from = t.days;
        cls = t.storageClass;
    }
    bands.push({ storageClass: cls, gb: until === undefined ? remaining : Math.min(remaining, growth * months(until - from)), label: until === undefined ? `aged over ${from} days` : `aged ${from}–${until} days` });
    return bands.filter((b) => b.gb > 0);
}

/** Objects in `gb` GB of `averageObjectSizeMB` objects. */
function objects(gb: number, dm: DataModel): number {
    return (gb * MB_PER_GB) / dm.averageObjectSizeMB;
}

const S3_CLASSES: readonly string[] = Object.keys(S3_STORAGE);

/** The estimate's builder: collects lines, unpriced items and assumptions. */
class Estimate {
    readonly lines: CostLine[] = [];
    readonly unpriced: UnpricedItem[] = [];
    readonly free: FreeItem[] = [];
    readonly assumptions: string[] = [];
    readonly oneTime: OneTimeLine[] = [];

    /** Adds a monthly line, or an unpriced item when the Region has no price. */
    add(r: StepState, item: string, quantity: number, prices: RegionalPrice | undefined, region: string): void {
        const p = prices?.[region];
        if (!p) {
            this.unpriced.push({ urn: r.urn, type: r.type, reason: `${item}: the price table has no price for it in ${region}` });
            return;
        }
        if (quantity === 0) return;
        this.lines.push({ urn: r.urn, type: r.type, item, quantity: round(quantity, 6), unit: p.unit, unitPrice: p.usd, monthly: round(quantity * p.usd), source: sourceText(p) });
    }

    /** Adds a one-time line. */
    once(r: StepState, item: string, quantity: number, prices: RegionalPrice | undefined, region: string): void {
        const p = prices?.[region];
        if (!p) {
            this.unpriced.push({ urn: r.urn, type: r.type, reason: `one-time ${item}: the price table has no price for it in ${region}` });
            return;
        }
        if (quantity === 0) return;
        this.oneTime.push({ urn: r.urn, type: r.type, item, quantity: round(quantity, 6), unit: p.unit, unitPrice: p.usd, total: round(quantity * p.usd), source: sourceText(p) });
    }

    assume(text: string): void {
        if (!this.assumptions.includes(text)) this.assumptions.push(text);
    }
}

/** The Region a resource lives in: its own `region` input, its provider's, or the stack's. */
function regionOf(r: StepState, byUrn: Map<string, StepState>, stackRegion: string): string {
    const own = str(r.inputs.region);
    if (own) return own;
    if (r.provider) {
        const providerUrn = r.provider.slice(0, r.provider.lastIndexOf("::"));
        const provider = byUrn.get(providerUrn);
        const region = provider ? str(provider.inputs.region) : undefined;
        if (region) return region;
    }
    return stackRegion;
}

/** Enabled rules of a lifecycle configuration. */
function enabledRules(lc: StepState | undefined): Record<string, unknown>[] {
    return arr(lc?.inputs.rules)
        .map(obj)
        .filter((rule) => rule.status === "Enabled");
}

function asClass(v: unknown): S3StorageClass | undefined {
    return typeof v === "string" && S3_CLASSES.includes(v) ? (v as S3StorageClass) : undefined;
}

/** Current-version transitions of the enabled rules. */
function currentTransitions(rules: Record<string, unknown>[]): { days: number; storageClass: S3StorageClass }[] {
    return rules.flatMap((rule) =>
        arr(rule.transitions).flatMap((t) => {
            const days = num(obj(t).days);
            const cls = asClass(obj(t).storageClass);
            return days !== undefined && cls ? [{ days, storageClass: cls }] : [];
        }),
    );
}

/** Noncurrent transitions and expiry of the enabled rules. */
function noncurrentLifecycle(rules: Record<string, unknown>[]): { transitions: { days: number; storageClass: S3StorageClass }[]; expireDays?: number } {
    const transitions = rules.flatMap((rule) =>
        arr(rule.noncurrentVersionTransitions).flatMap((t) => {
            const days = num(obj(t).noncurrentDays);
            const cls = asClass(obj(t).storageClass);
            return days !== undefined && cls ? [{ days, storageClass: cls }] : [];
        }),
    );
    const expiries = rules.flatMap((rule) => {
        const d = num(obj(rule.noncurrentVersionExpiration).noncurrentDays);
        return d !== undefined ? [d] : [];
    });
    return { transitions, ...(expiries.length ? { expireDays: Math.min(...expiries) } : {}) };
}

/** Storage lines (with the archive overhead) for bands of one bucket. */
function storageLines(e: Estimate, bucket: StepState, region: string, bands: Band[], dm: DataModel, what: string): void {
    for (const b of bands) {
        e.add(bucket, `S3 storage ${b.storageClass}, ${what} ${b.label}`, b.gb, S3_STORAGE[b.storageClass], region);
        if (isArchiveStorageClass(b.storageClass)) {
            const n = objects(b.gb, dm);
            e.add(bucket, `${b.storageClass} overhead, ${what}: ${Math.round(n)} objects × ${ARCHIVE_OVERHEAD_KB.standard} KB at STANDARD`, (n * ARCHIVE_OVERHEAD_KB.standard) / KB_PER_GB, S3_STORAGE.STANDARD, region);
            e.add(bucket, `${b.storageClass} overhead, ${what}: ${Math.round(n)} objects × ${ARCHIVE_OVERHEAD_KB.archive} KB at ${b.storageClass}`, (n * ARCHIVE_OVERHEAD_KB.archive) / KB_PER_GB, S3_STORAGE[b.storageClass], region);
            e.assume(`Objects in GLACIER/DEEP_ARCHIVE carry ${ARCHIVE_OVERHEAD_KB.standard} KB billed at STANDARD plus ${ARCHIVE_OVERHEAD_KB.archive} KB at the archive class each (${ARCHIVE_OVERHEAD_SOURCE}).`);
        }
    }
}

/** Transition request lines: each object passes each transition once (steady state). */
function transitionLines(e: Estimate, bucket: StepState, region: string, transitions: { storageClass: S3StorageClass }[], gbPerMonth: number, dm: DataModel, what: string): void {
    for (const t of transitions) {
        if (t.storageClass === "STANDARD") continue;
        e.add(bucket, `lifecycle transitions to ${t.storageClass}, ${what}`, objects(gbPerMonth, dm) / 1000, S3_TRANSITION[t.storageClass], region);
    }
}

/**
 * Estimates the monthly cost of what the registrations declare.
 *
 * @param input registrations, stack Region, data model.
 * @returns the estimate (lines, unpriced, free, assumptions, one-time costs, comparisons).
 */
export function estimateCost(input: EstimateInput): CostEstimate {
    const e = new Estimate();
    const states = input.steps.map((s) => s.newState);
    const byUrn = new Map(states.map((s) => [s.urn, s]));
    const ops = new Map(input.steps.map((s) => [s.newState.urn, s.op]));
    const ofType = (t: string) => states.filter((s) => s.type === t);
    const dm = input.dataModel;
    e.assume(`Month = ${HOURS_PER_MONTH} hours = 365/12 days; prices are on-demand, first usage tier, without free tiers or taxes.`);
    if (!dm) {
        e.assume("bucket.dataModel is not set: no S3 storage, request, replication or NAT data volume is estimated.");
    } else {
        e.assume(
            `Data model (bucket.dataModel): ${dm.currentSizeGB} GB stored, ${dm.monthlyGrowthGB} GB new per month, ${dm.averageObjectSizeMB} MB per object, ${dm.noncurrentGBPerMonth} GB made noncurrent per month; steady state: data younger than a transition's age is growth × age.`,
        );
    }
    const handled = new Set<string>();

    // --- S3: the backup bucket, its replication and the DR copy --------------------------------
    const buckets = ofType("aws:s3/bucket:Bucket");
    const lifecycleOf = (name: string | undefined) => ofType("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").find((l) => l.inputs.bucket === name);
    const source = buckets.find((b) => b.inputs.bucket === input.bucketName);
    const sourceRegion = source ? regionOf(source, byUrn, input.region) : input.region;
    let sourceMonthly = 0;
    if (source && dm) {
        handled.add(source.urn);
        const rules = enabledRules(lifecycleOf(input.bucketName));
        const current = currentTransitions(rules);
        if (current.length === 0) e.assume("The backup bucket's lifecycle declares no enabled current-version transition (e.g. held until the backfill is recorded): all current data is priced in STANDARD.");
        const bands = ageBands(dm.currentSizeGB, dm.monthlyGrowthGB, current);
        const before = e.lines.length;
        storageLines(e, source, sourceRegion, bands, dm, "current versions");
        transitionLines(e, source, sourceRegion, current, dm.monthlyGrowthGB, dm, "new objects");
        e.add(source, "uploads (PUT into STANDARD) of the monthly growth", objects(dm.monthlyGrowthGB, dm) / 1000, S3_PUT.STANDARD, sourceRegion);
        if (dm.noncurrentGBPerMonth > 0) {
            const nc = noncurrentLifecycle(rules);
            if (nc.expireDays === undefined) e.assume("Noncurrent versions never expire: priced as if kept 365 days.");
            const ncBands = ageBands(Infinity, dm.noncurrentGBPerMonth, nc.transitions, nc.expireDays ?? 365);
            storageLines(e, source, sourceRegion, ncBands, dm, "noncurrent versions");
            transitionLines(e, source, sourceRegion, nc.transitions, dm.noncurrentGBPerMonth, dm, "noncurrent versions");
            e.assume("Overwritten or deleted data becomes noncurrent while in STANDARD (recent objects are the ones rewritten).");
        }
        sourceMonthly = e.lines.slice(before).reduce((a, l) => a + l.monthly, 0);

        if (ops.get(source.urn) === "import") {
            e.assume("The adopted bucket's existing objects are all in STANDARD before the first deployment; the lifecycle then moves each once, straight to the class of its age.");
            for (const b of bands) {
                if (b.storageClass !== "STANDARD") e.once(source, `lifecycle transitions of the existing objects to ${b.storageClass}`, objects(b.gb, dm) / 1000, S3_TRANSITION[b.storageClass], sourceRegion);
            }
        }
    } else if (source) {
        handled.add(source.urn);
        e.unpriced.push({ urn: source.urn, type: source.type, reason: "storage and requests: bucket.dataModel is not set" });
    }

    // Replication rules of the backup bucket.
    let drMonthly = 0;
    for (const rc of ofType("aws:s3/bucketReplicationConfig:BucketReplicationConfig")) {
        handled.add(rc.urn);
        for (const rule of arr(rc.inputs.rules).map(obj)) {
            if (rule.status !== "Enabled") continue;
            const dest = obj(rule.destination);
            const destName = str(dest.bucket)?.replace(/^arn:aws[a-z-]*:s3:::/, "");
            const destClass = asClass(dest.storageClass) ?? "STANDARD";
            const drBucket = buckets.find((b) => b.inputs.bucket === destName);
            const destRegion = drBucket ? regionOf(drBucket, byUrn, input.region) : (input.replicationDestinationRegion ?? input.region);
            if (!drBucket) e.assume(`The DR bucket ${destName} is not declared by this stack (external mode): its storage is priced on the replication configuration's URN, billed to account ${str(dest.account) ?? "?"}, Region from replication.destination.region.`);
            const rtc = obj(obj(dest.replicationTime)).status === "Enabled";
            const metrics = obj(dest.metrics).status === "Enabled" || rtc;
            if (metrics) {
                e.add(rc, `replication metrics of rule ${str(rule.id) ?? "?"} (${REPLICATION_METRICS_PER_RULE} metrics, billed as CloudWatch custom metrics)`, REPLICATION_METRICS_PER_RULE, CLOUDWATCH.metric, sourceRegion);
                e.assume(`Replication metrics: ${REPLICATION_METRICS_PER_RULE} per rule (bytes pending, operations pending, latency, operations failed), "billed at the same rate as Amazon CloudWatch custom metrics" (https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-metrics.html).`);
            }
            if (!dm) continue;
            const drTarget = drBucket ?? rc;
            const before = e.lines.length;
            // DR copy: every current object in the replica class (after the backfill), noncurrent replicas until the DR lifecycle expires them.
            storageLines(e, drTarget, destRegion, [{ storageClass: destClass, gb: dm.currentSizeGB, label: "(all current objects, after the backfill)" }], dm, "DR copy");
            if (dm.noncurrentGBPerMonth > 0) {
                const nc = noncurrentLifecycle(enabledRules(lifecycleOf(destName)));
                const keep = nc.expireDays ?? 365;
                storageLines(e, drTarget, destRegion, [{ storageClass: destClass, gb: dm.noncurrentGBPerMonth * months(keep), label: `(noncurrent replicas, kept ${keep} days)` }], dm, "DR copy");
            }
            const replicatedObjects = objects(dm.monthlyGrowthGB, dm);
            if (destRegion !== sourceRegion) {
                e.add(rc, `replication transfer ${sourceRegion} → ${destRegion} of the monthly growth`, dm.monthlyGrowthGB, INTER_REGION_TRANSFER, sourceRegion);
            }
            e.add(rc, `replica PUTs into ${destClass} in ${destRegion}`, replicatedObjects / 1000, S3_PUT[destClass], destRegion);
            if (rtc) e.add(rc, "Replication Time Control of the monthly growth", dm.monthlyGrowthGB, REPLICATION_TIME_CONTROL, sourceRegion);
            drMonthly += e.lines.slice(before).reduce((a, l) => a + l.monthly, 0);
            e.assume("Replication copies the monthly growth (overwrites included in it); deletes are not replicated.");

            if (source && ops.get(source.urn) === "import") {
                const n = objects(dm.currentSizeGB, dm);
                e.assume("Batch Replication backfill of the adopted bucket's existing objects: one S3 Batch Operations job (docs/replication.md), before archive transitions.");
                e.once(rc, "Batch Replication backfill: Batch Operations job", 1, BATCH_OPERATIONS.job, sourceRegion);
                e.once(rc, `Batch Replication backfill: ${Math.round(n)} objects processed`, n / 1e6, BATCH_OPERATIONS.objects, sourceRegion);
                if (destRegion !== sourceRegion) e.once(rc, `Batch Replication backfill: transfer ${sourceRegion} → ${destRegion}`, dm.currentSizeGB, INTER_REGION_TRANSFER, sourceRegion);
                e.once(rc, `Batch Replication backfill: replica PUTs into ${destClass}`, n / 1000, S3_PUT[destClass], destRegion);
            }
        }
    }
    for (const b of buckets) {
        if (handled.has(b.urn)) continue;
        handled.add(b.urn);
        const isDr = ofType("aws:s3/bucketReplicationConfig:BucketReplicationConfig").some((rc) =>
            arr(rc.inputs.rules).some((rule) => str(obj(obj(rule).destination).bucket)?.endsWith(`:::${str(b.inputs.bucket)}`)),
        );
        if (!isDr) e.unpriced.push({ urn: b.urn, type: b.type, reason: "a bucket the data model does not describe (bucket.dataModel is the backup bucket's)" });
    }

    // --- Compute, network and the rest -------------------------------------------------------
    for (const r of states) {
        if (handled.has(r.urn)) continue;
        const region = regionOf(r, byUrn, input.region);
        const i = r.inputs;
        switch (r.type) {
            case "aws:s3/bucket:Bucket":
                break;
            case "aws:fsx/lustreFileSystem:LustreFileSystem": {
                const key = `${str(i.deploymentType)}/${str(i.storageType)}/${num(i.perUnitStorageThroughput)}`;
                const capacity = num(i.storageCapacity) ?? 0;
                if (!FSX_LUSTRE_STORAGE[key]) {
                    e.unpriced.push({ urn: r.urn, type: r.type, reason: `FSx for Lustre ${key}: not in the price table` });
                    break;
                }
                e.add(r, `FSx for Lustre ${key.replace(/\//g, " ")} MB/s/TiB, ${capacity} GiB`, capacity, FSX_LUSTRE_STORAGE[key], region);
                if (obj(i.metadataConfiguration).mode === "USER_PROVISIONED") {
                    e.unpriced.push({ urn: r.urn, type: r.type, reason: "user-provisioned metadata IOPS: not in the price table" });
                } else {
                    e.assume("FSx for Lustre metadata in AUTOMATIC mode adds no charge beyond the storage price; automatic backups are off (0 days) with data repository associations.");
                }
                break;
            }
            case "aws:ec2/instance:Instance": {
                const type = str(i.instanceType) ?? "?";
                const tags = obj(i.tags);
                let hours = HOURS_PER_MONTH;
                let how = "always on";
                if (tags[RUN_MODE_TAGS.runMode] === "scheduled-start") {
                    const maxRunHours = num(tags[RUN_MODE_TAGS.maxRunHours]) ?? 0;
                    const schedule = states.find((s) => s.type === "aws:scheduler/schedule:Schedule" && s.parent === r.parent);
                    const runs = schedule ? runsPerMonth(str(schedule.inputs.scheduleExpression) ?? "") : undefined;
                    if (runs === undefined) {
                        e.unpriced.push({ urn: r.urn, type: r.type, reason: "scheduled-start instance without a readable start schedule: hours unknown" });
                        break;
                    }
                    hours = Math.min(HOURS_PER_MONTH, runs * maxRunHours);
                    how = `scheduled start: ${round(runs, 2)} runs × at most ${maxRunHours} h`;
                    e.assume("A scheduled-start sync host is priced at its maximum run time per start (an upper bound: it powers off when the run ends).");
                }
                e.add(r, `EC2 ${type} on-demand, ${how}`, hours, EC2_INSTANCE_HOUR[type], region);
                const root = obj(i.rootBlockDevice);
                const volumeType = str(root.volumeType) ?? "gp3";
                const size = num(root.volumeSize);
                if (size === undefined) {
                    e.unpriced.push({ urn: r.urn, type: r.type, reason: "root volume without a declared size (the AMI's default)" });
                } else {
                    e.add(r, `EBS ${volumeType} root volume ${size} GiB (billed while stopped too)`, size, EBS_STORAGE[volumeType], region);
                }
                break;
            }
            case "awsx:ec2:Vpc": {
                const strategy = str(obj(i.natGateways).strategy) ?? "OnePerAz";
                const azs = arr(i.availabilityZoneNames).length || num(i.numberOfAvailabilityZones) || 3;
                const nats = strategy === "None" ? 0 : strategy === "Single" ? 1 : azs;
                e.free.push({ urn: r.urn, type: r.type, reason: "the VPC, its subnets, route tables and internet gateway have no charge (its NAT gateways are priced on this URN)", source: SOURCES.vpc });
                if (nats > 0) {
                    e.add(r, `NAT gateway hours (${nats} × ${HOURS_PER_MONTH} h, strategy ${strategy})`, nats * HOURS_PER_MONTH, NAT_GATEWAY.hour, region);
                    e.add(r, `public IPv4 address of the NAT gateway (${nats} × ${HOURS_PER_MONTH} h)`, nats * HOURS_PER_MONTH, PUBLIC_IPV4_HOUR, region);
                    if (dm) {
                        e.add(r, "NAT data processed: the monthly growth pulled from outside AWS", dm.monthlyGrowthGB, NAT_GATEWAY.gb, region);
                        e.assume("The NAT gateway processes the monthly growth once (the sync host pulling it from SFTP servers); S3 traffic takes the gateway endpoint.");
                    }
                }
                break;
            }
            case "aws:ec2/vpcEndpoint:VpcEndpoint": {
                if (i.vpcEndpointType !== "Interface") {
                    e.free.push({ urn: r.urn, type: r.type, reason: "gateway endpoints have no charge", source: SOURCES.vpc });
                    break;
                }
                const azs = arr(i.subnetIds).length || 1;
                e.add(r, `interface endpoint ${str(i.serviceName) ?? ""} (${azs} AZ × ${HOURS_PER_MONTH} h)`, azs * HOURS_PER_MONTH, INTERFACE_ENDPOINT.azHour, region);
                e.assume("Interface endpoints carry only Session Manager control traffic: their per-GB charge is negligible and not priced.");
                break;
            }
            case "aws:secretsmanager/secret:Secret":
                e.add(r, "Secrets Manager secret", 1, SECRET_MONTH, region);
                e.assume("Secrets Manager API calls (a few per day) are negligible and not priced.");
                break;
            case "aws:cloudwatch/metricAlarm:MetricAlarm": {
                const high = (num(i.period) ?? 60) < 60;
                e.add(r, `CloudWatch alarm (${high ? "high" : "standard"} resolution)`, 1, high ? CLOUDWATCH.alarmHighResolution : CLOUDWATCH.alarm, region);
                break;
            }
            case "aws:cloudwatch/logGroup:LogGroup": {
                const retention = num(i.retentionInDays);
                const storedGb = LOG_GB_PER_MONTH * Math.min(months(retention ?? 365), 12);
                e.add(r, `CloudWatch Logs ingestion (${LOG_GB_PER_MONTH} GB/month assumed)`, LOG_GB_PER_MONTH, CLOUDWATCH.logsIngestion, region);
                e.add(r, `CloudWatch Logs storage (${retention ?? "never-expiring: 365"} days retained)`, storedGb, CLOUDWATCH.logsStorage, region);
                e.assume(`Each log group ingests ${LOG_GB_PER_MONTH} GB a month (sync logs, Lustre WARN_ERROR events).`);
                break;
            }
            default:
                if (FREE_TYPES[r.type]) {
                    e.free.push({ urn: r.urn, type: r.type, ...FREE_TYPES[r.type] });
                } else if (isStructural(r.type)) {
                    e.free.push({ urn: r.urn, type: r.type, reason: "not an AWS resource: the stack, a provider or a component grouping its children (priced on their own)", source: "https://www.pulumi.com/docs/iac/concepts/resources/components/" });
                } else {
                    e.unpriced.push({ urn: r.urn, type: r.type, reason: "this resource type is not in the price table" });
                }
        }
    }

    // --- Comparisons ----------------------------------------------------------------------------
    const comparisons: Comparison[] = [];
    if (dm) {
        const std = S3_STORAGE.STANDARD[sourceRegion];
        const da = S3_STORAGE.DEEP_ARCHIVE[sourceRegion];
        if (std && da) {
            const n = objects(dm.currentSizeGB, dm);
            const allStandard = dm.currentSizeGB * std.usd;
            const allDeep = dm.currentSizeGB * da.usd + (n * ARCHIVE_OVERHEAD_KB.standard * std.usd + n * ARCHIVE_OVERHEAD_KB.archive * da.usd) / KB_PER_GB;
            const storage = sourceMonthly + drMonthly;
            comparisons.push(
                { item: `the same ${dm.currentSizeGB} GB all in S3 Standard (one copy)`, monthly: round(allStandard), note: `${sourceRegion} STANDARD ${std.usd}/GB-month` },
                { item: `the same ${dm.currentSizeGB} GB all in Deep Archive (one copy, with the 40 KB/object overhead)`, monthly: round(allDeep), note: `${sourceRegion} DEEP_ARCHIVE ${da.usd}/GB-month` },
                { item: "physical floor: two Deep Archive copies", monthly: round(2 * allDeep), note: "backup bucket + DR copy, storage only" },
                {
                    item: "this stack's bucket, DR copy and replication (priced above)",
                    monthly: round(storage),
                    note: `${round(storage / (2 * allDeep), 2)}× the physical floor; ${round((100 * storage) / allStandard, 1)}% of one all-Standard copy`,
                },
            );
        }
    }

    const monthlyTotal = round(
        e.lines.reduce((a, l) => a + l.monthly, 0),
        2,
    );
    const oneTimeTotal = round(
        e.oneTime.reduce((a, l) => a + l.total, 0),
        2,
    );
    return {
        stack: input.stack,
        currency: "USD",
        monthlyTotal,
        lines: e.lines,
        unpriced: e.unpriced,
        assumptions: e.assumptions,
        free: e.free,
        oneTime: { total: oneTimeTotal, lines: e.oneTime },
        comparisons,
    };
}

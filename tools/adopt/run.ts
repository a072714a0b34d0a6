/**
 * The adoption pre-flight as a whole: load the stack configuration, read the live bucket in its
 * own Region, compare, print, write the snapshot. Separated from the command line
 * (tools/adopt-preflight.ts) so tests can run it in-process against a local S3 server.
 */
import * as fs from "node:fs";
import { StackConfig } from "../../config";
import { stackLoadFailure } from "../cli";
import { parseStackFiles } from "../offline/stackFiles";
import { BucketUnreadableError, Clients, LiveBucket, readBucketRegion, readLiveBucket } from "./liveBucket";
import { AdoptionPlan, planAdoption, renderPlan } from "./preflight";

/** Exit codes of `adopt:preflight`. */
export const EXIT = {
    /** No replacement of the bucket follows. */
    ok: 0,
    /** A replacement of the bucket itself would follow (wrong Region, Object Lock mismatch). */
    replacement: 1,
    /** Bad arguments or configuration. */
    badConfig: 2,
    /** The bucket could not be read completely (missing, access denied, throttled): the plan is incomplete. */
    unreadable: 3,
} as const;

/** The snapshot document written to `--out`. */
export interface Snapshot {
    /** Format marker. */
    readonly kind: "microbiome-backup/adopt-preflight-snapshot";
    readonly version: 1;
    readonly stack: string;
    readonly bucket: string;
    /** Every live setting, in the S3 Put… input shapes (docs/adoption.md "Restoring from the snapshot"). */
    readonly live: LiveBucket;
    /** The verdicts. */
    readonly plan: AdoptionPlan;
}

/** Options of {@link runPreflight}. */
export interface PreflightOptions {
    readonly projectDir: string;
    readonly stack: string;
    readonly configFile?: string;
    /** Snapshot path; default `adopt-preflight-<stack>-<bucket>-<UTC timestamp>.json` in the working directory. */
    readonly out?: string;
    /** Clients for a Region (default: the SDK's default credentials, see `defaultClients`). */
    readonly clients: (region: string) => Clients;
    /** Clock (tests). */
    readonly now?: Date;
    /** Output streams (default process.stdout / process.stderr). */
    readonly stdout?: { write(text: string): unknown };
    readonly stderr?: { write(text: string): unknown };
}

/** The default snapshot file name, e.g. `adopt-preflight-prod-3bigsmicrobiome-20261202T043000Z.json`. */
export function defaultSnapshotPath(stack: string, bucket: string, now: Date): string {
    const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
    return `adopt-preflight-${stack}-${bucket}-${stamp}.json`;
}

/**
 * Runs the pre-flight.
 *
 * @returns the exit code ({@link EXIT}).
 */
export async function runPreflight(options: PreflightOptions): Promise<number> {
    const out = options.stdout ?? process.stdout;
    const err = options.stderr ?? process.stderr;
    const now = options.now ?? new Date();
    let config: StackConfig;
    try {
        config = parseStackFiles(options.projectDir, options.stack, options.configFile).config;
    } catch (e) {
        const message = stackLoadFailure(e, options.stack);
        if (message === undefined) throw e;
        err.write(message);
        return EXIT.badConfig;
    }
    if (!config.bucket.adoptExisting) {
        err.write(`error: microbiome-backup:bucket.adoptExisting = false: stack ${options.stack} creates its bucket, there is nothing to adopt\n`);
        return EXIT.badConfig;
    }

    let live: LiveBucket;
    try {
        const region = await readBucketRegion(options.clients(config.region).s3, config.bucket.name);
        live = await readLiveBucket(options.clients(region), config.bucket.name, region, now);
    } catch (e) {
        if (e instanceof BucketUnreadableError) {
            err.write(`error: ${e.message}\n`);
            return EXIT.unreadable;
        }
        throw e;
    }

    const plan = planAdoption(config, live);
    out.write(`${renderPlan(plan)}\n`);
    const file = options.out ?? defaultSnapshotPath(config.stack, config.bucket.name, now);
    const snapshot: Snapshot = { kind: "microbiome-backup/adopt-preflight-snapshot", version: 1, stack: config.stack, bucket: config.bucket.name, live, plan };
    fs.writeFileSync(file, `${JSON.stringify(snapshot, null, 2)}\n`);
    out.write(`snapshot written to ${file} (restore: docs/adoption.md "Restoring from the snapshot")\n`);

    if (live.failures.length > 0) {
        err.write(`error: ${live.failures.length} setting(s) could not be read, the comparison is incomplete:\n${live.failures.map((f) => `  - ${f.message}\n`).join("")}`);
        return plan.bucketReplaced ? EXIT.replacement : EXIT.unreadable;
    }
    return plan.bucketReplaced ? EXIT.replacement : EXIT.ok;
}

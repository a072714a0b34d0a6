/**
 * The AWS part of `npm run restore`: lists the objects under a prefix (ListObjectsV2 paginator),
 * reads the `Restore` header of every archived object (HeadObject), prints the plan, and issues
 * RestoreObject for the objects not yet restored or in progress — with bounded concurrency
 * (p-limit), the SDK's adaptive retry with backoff on throttling (`retryMode: "adaptive"`,
 * `maxAttempts`), and a progress bar on a terminal (cli-progress) or plain lines otherwise.
 *
 * Rerun-safe: objects already restored or being restored are skipped (HeadObject), and S3's
 * `RestoreAlreadyInProgress` (409, RestoreObject API reference) counts as in progress.
 *
 * Exit codes: 0 done (or nothing to do); 1 some restores failed (rerun to retry only those);
 * 2 refused (bad arguments, configuration, prefix, tier or days); 3 an AWS call failed (access
 * denied, no credentials, no such bucket).
 */
import { HeadObjectCommand, paginateListObjectsV2, RestoreObjectCommand, S3Client, S3ClientConfig } from "@aws-sdk/client-s3";
import { fromIni } from "@aws-sdk/credential-providers";
import { SingleBar } from "cli-progress";
import pLimit from "p-limit";
import { BUCKET_ACTIONS, OBJECT_ACTIONS } from "../../components/access/policies";
import { resolveAccessNames } from "../../config/access";
import type { StackConfig } from "../../config";
import { ArchiveStorageClass, isArchiveStorageClass, RetrievalTier } from "../../components/bucket/lifecycle";
import { stackLoadFailure } from "../cli";
import { parseStackFiles } from "../offline/stackFiles";
import { isAccessDenied } from "../awsErrors";
import { buildPlan, checkPrefix, checkTierForPlan, ObjectEntry, parseDays, parseRestoreHeader, parseTier, renderPlan, renderStatus, RestorePlan } from "./plan";

/** Default number of requests in flight (S3 allows 1,000 restore requests per second per account and Region: S3 User Guide "archival-storage"). */
export const DEFAULT_CONCURRENCY = 10;

/** Attempts per request, with the SDK's adaptive retry (backoff plus client-side rate limiting on throttling). */
export const MAX_ATTEMPTS = 10;

/** Options of {@link runRestore} (the command-line flags, plus test hooks). */
export interface RestoreOptions {
    /** Project folder (Pulumi.yaml, stack files). */
    readonly projectDir: string;
    readonly stack: string;
    readonly configFile?: string;
    /** Key prefix to restore, e.g. `Analysis_2019/P2019-004/`. */
    readonly prefix?: string;
    /** `--tier` as given (default Bulk). */
    readonly tier?: string;
    /** `--days` as given (default 7). */
    readonly days?: string;
    /** Only print the plan. */
    readonly dryRun?: boolean;
    /** Only report restored / in progress / not requested. */
    readonly status?: boolean;
    /** AWS CLI profile (credentials through `fromIni`); default the SDK's chain (AWS_PROFILE, …). */
    readonly profile?: string;
    /** `--concurrency` as given (default {@link DEFAULT_CONCURRENCY}). */
    readonly concurrency?: string;
    /** S3 client to use (tests); default one for the stack's Region. */
    readonly client?: S3Client;
    /** Show a progress bar (default: stderr is a TTY). */
    readonly progressBar?: boolean;
    readonly out?: (text: string) => void;
    readonly err?: (text: string) => void;
}

/** The S3 client configuration the command uses: the stack's Region, adaptive retry, optional profile. */
export function s3ClientConfig(region: string, profile: string | undefined): S3ClientConfig {
    return { region, maxAttempts: MAX_ATTEMPTS, retryMode: "adaptive", ...(profile ? { credentials: fromIni({ profile }) } : {}) };
}

/** Lists every object under the prefix (all pages). */
export async function listObjects(client: S3Client, bucket: string, prefix: string): Promise<ObjectEntry[]> {
    const entries: ObjectEntry[] = [];
    for await (const page of paginateListObjectsV2({ client }, { Bucket: bucket, Prefix: prefix })) {
        for (const o of page.Contents ?? []) {
            if (o.Key === undefined) continue;
            entries.push({ key: o.Key, size: o.Size ?? 0, storageClass: o.StorageClass ?? "STANDARD" });
        }
    }
    return entries;
}

/** Adds the `Restore` state (archived objects) and `ArchiveStatus` (INTELLIGENT_TIERING) from HeadObject. */
export async function inspectObjects(client: S3Client, bucket: string, entries: readonly ObjectEntry[], concurrency: number): Promise<ObjectEntry[]> {
    const limit = pLimit(concurrency);
    return Promise.all(
        entries.map((e) => {
            if (!isArchiveStorageClass(e.storageClass) && e.storageClass !== "INTELLIGENT_TIERING") return Promise.resolve(e);
            return limit(async () => {
                const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: e.key }));
                return {
                    ...e,
                    ...(isArchiveStorageClass(e.storageClass) ? { restore: parseRestoreHeader(head.Restore) } : {}),
                    ...(head.ArchiveStatus ? { archiveStatus: head.ArchiveStatus } : {}),
                };
            });
        }),
    );
}

/** Outcome of the restore requests. */
export interface RestoreOutcome {
    /** Restore requests S3 accepted (202, or 200 for a copy already restored). */
    readonly issued: number;
    /** Objects S3 reported as already being restored (RestoreAlreadyInProgress). */
    readonly alreadyInProgress: number;
    /** Keys whose request failed, with the error. */
    readonly failed: ReadonlyArray<{ key: string; error: Error }>;
}

/** Errors that stop the whole run (every further request would fail the same way), besides an access refusal (`isAccessDenied`). */
const FATAL_ERRORS = new Set(["NoSuchBucket", "CredentialsProviderError", "InvalidAccessKeyId", "ExpiredToken", "SignatureDoesNotMatch"]);

/**
 * Issues RestoreObject for each key with bounded concurrency; `RestoreAlreadyInProgress` counts as
 * in progress. Throttling is retried by the client (adaptive retry); a request that still fails is
 * reported in `failed` and the others go on. A fatal error (AccessDenied, no credentials, …) stops
 * the run and is thrown.
 */
export async function issueRestores(
    client: S3Client,
    bucket: string,
    keys: ReadonlyArray<{ key: string; storageClass: ArchiveStorageClass }>,
    tier: RetrievalTier,
    days: number,
    concurrency: number,
    onDone: (key: string) => void = () => undefined,
): Promise<RestoreOutcome> {
    const limit = pLimit(concurrency);
    let issued = 0;
    let alreadyInProgress = 0;
    const failed: { key: string; error: Error }[] = [];
    let fatal: Error | undefined;
    await Promise.all(
        keys.map(({ key }) =>
            limit(async () => {
                if (fatal) return;
                try {
                    await client.send(new RestoreObjectCommand({ Bucket: bucket, Key: key, RestoreRequest: { Days: days, GlacierJobParameters: { Tier: tier } } }));
                    issued++;
                } catch (e) {
                    const error = e as Error;
                    if (error.name === "RestoreAlreadyInProgress") {
                        alreadyInProgress++;
                    } else if (isAccessDenied(error) || FATAL_ERRORS.has(error.name)) {
                        // The queued requests see `fatal` and return at once (clearing p-limit's
                        // queue instead would leave their promises, and so Promise.all, pending forever).
                        fatal ??= error;
                    } else {
                        failed.push({ key, error });
                    }
                }
                onDone(key);
            }),
        ),
    );
    if (fatal) throw fatal;
    return { issued, alreadyInProgress, failed };
}

/** The explanation of an AccessDenied in terms of the stack's lab identity. */
export function accessDeniedHelp(config: StackConfig, profile: string | undefined, action: string): string {
    const names = resolveAccessNames(config);
    const bucketArn = `arn:aws:s3:::${config.bucket.name}`;
    const prefixes = config.access.keyPrefixes;
    const users = [...(names.machineUser ? [`machine user ${names.machineUser}`] : []), ...names.consoleUsers.map((u) => `console user ${u}`)];
    return [
        `AWS refused ${action} (AccessDenied). This command must run as one of the stack's lab identities: the members of IAM group ${names.group}`,
        `(${users.join(", ") || "no users declared"}), usually through the AWS CLI profile ${names.cliProfile}${profile ? ` (you used --profile ${profile})` : " (pass --profile, or set AWS_PROFILE)"}.`,
        `That group may ${BUCKET_ACTIONS.join(", ")} on ${bucketArn} and ${OBJECT_ACTIONS.join(", ")} on ${prefixes.length > 0 ? prefixes.map((p) => `${bucketArn}/${p}*`).join(", ") : `${bucketArn}/*`}, only over TLS (components/access/policies.ts).`,
        `Check who you are with: aws sts get-caller-identity${profile ? ` --profile ${profile}` : ""}. Console users need an MFA sign-in (every action is denied without MFA); see docs/access.md.`,
    ].join("\n");
}

/**
 * Runs `npm run restore` (or `--status`, `--dry-run`) for a stack and prefix.
 *
 * @returns the exit code (see the module comment).
 */
export async function runRestore(options: RestoreOptions): Promise<number> {
    const out = options.out ?? ((t: string) => void process.stdout.write(t));
    const err = options.err ?? ((t: string) => void process.stderr.write(t));
    let config: StackConfig;
    try {
        config = parseStackFiles(options.projectDir, options.stack, options.configFile).config;
        resolveAccessNames(config);
    } catch (e) {
        const failure = stackLoadFailure(e, options.stack);
        if (failure === undefined) throw e;
        err(failure);
        return 2;
    }
    const problems: string[] = [];
    if (options.prefix === undefined) problems.push("--prefix is required (e.g. --prefix Analysis_2019/P2019-004/)");
    else problems.push(...checkPrefix(options.prefix, config.access.keyPrefixes));
    const tier = parseTier(options.tier);
    if ("problem" in tier) problems.push(tier.problem);
    const days = parseDays(options.days);
    if (typeof days === "string") problems.push(days);
    const concurrency = options.concurrency === undefined ? DEFAULT_CONCURRENCY : Number(options.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 1000) {
        problems.push(`--concurrency = ${options.concurrency}: a whole number from 1 to 1000 (S3 accepts up to 1,000 restore requests per second per account and Region: S3 User Guide "archival-storage")`);
    }
    if (problems.length > 0 || options.prefix === undefined || typeof days === "string" || "problem" in tier) {
        err(`error: ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}\n`).join("")}`);
        return 2;
    }
    const chosenTier: RetrievalTier = tier.tier;
    const prefix = options.prefix;
    const bucket = config.bucket.name;
    const profile = options.profile ?? process.env.AWS_PROFILE;
    const client = options.client ?? new S3Client(s3ClientConfig(config.region, options.profile));

    let plan: RestorePlan;
    let step = `s3:ListBucket on arn:aws:s3:::${bucket} (prefix ${prefix})`;
    try {
        const listed = await listObjects(client, bucket, prefix);
        if (listed.length === 0) {
            err(`error: --prefix = ${JSON.stringify(prefix)}: no object in s3://${bucket}/ starts with it; check the year and project id (aws s3 ls s3://${bucket}/${prefix.split("/")[0]}/)\n`);
            return 2;
        }
        step = `s3:GetObject (HeadObject) on objects under arn:aws:s3:::${bucket}/${prefix}`;
        plan = buildPlan(bucket, prefix, config.region, await inspectObjects(client, bucket, listed, concurrency));
    } catch (e) {
        return reportAwsError(e as Error, config, options.profile, step, err);
    }

    if (options.status) {
        out(renderStatus(plan, profile ?? resolveAccessNames(config).cliProfile));
        return 0;
    }
    const tierProblems = checkTierForPlan(plan, chosenTier);
    out(renderPlan(plan, chosenTier, days));
    if (tierProblems.length > 0) {
        err(`error: ${tierProblems.map((p) => `${p}\n`).join("")}`);
        return 2;
    }
    const pending = plan.archive.flatMap((a) => plan.pendingKeys[a.storageClass].map((key) => ({ key, storageClass: a.storageClass })));
    if (pending.length === 0) {
        out("\nNothing to restore: every archived object is restored or being restored. Check with --status.\n");
        return 0;
    }
    if (options.dryRun) {
        out(`\n--dry-run: would issue ${pending.length} restore request(s) (tier ${chosenTier}, ${days} day(s)); nothing was sent.\n`);
        return 0;
    }
    out(`\nRestoring ${pending.length} object(s) (tier ${chosenTier}, ${days} day(s), ${concurrency} at a time) ...\n`);
    const showBar = options.progressBar ?? Boolean(process.stderr.isTTY);
    const bar = showBar ? new SingleBar({ format: "restore [{bar}] {value}/{total} objects", stream: process.stderr, hideCursor: true }) : undefined;
    bar?.start(pending.length, 0);
    let done = 0;
    const every = Math.max(1, Math.ceil(pending.length / 20));
    let outcome: RestoreOutcome;
    try {
        outcome = await issueRestores(client, bucket, pending, chosenTier, days, concurrency, () => {
            done++;
            if (bar) bar.update(done);
            else if (done % every === 0 || done === pending.length) out(`restore requests: ${done}/${pending.length}\n`);
        });
    } catch (e) {
        bar?.stop();
        return reportAwsError(e as Error, config, options.profile, `s3:RestoreObject on objects under arn:aws:s3:::${bucket}/${prefix}`, err);
    }
    bar?.stop();
    out(
        `\nRestore requests accepted: ${outcome.issued}; already in progress: ${outcome.alreadyInProgress}; failed: ${outcome.failed.length}.\n` +
            `Follow progress with: npm run restore -- --stack ${options.stack} --prefix ${prefix} --status${options.profile ? ` --profile ${options.profile}` : ""}\n`,
    );
    if (outcome.failed.length > 0) {
        for (const f of outcome.failed.slice(0, 10)) err(`failed: ${f.key}: ${f.error.name}: ${f.error.message}\n`);
        err(`${outcome.failed.length} restore request(s) failed (after ${MAX_ATTEMPTS} attempts each); run the same command again: it requests only what is not yet restored or in progress.\n`);
        return 1;
    }
    return 0;
}

function reportAwsError(e: Error, config: StackConfig, profile: string | undefined, step: string, err: (t: string) => void): number {
    const name = e.name;
    if (isAccessDenied(e)) {
        err(`error: ${accessDeniedHelp(config, profile, step)}\n`);
    } else if (name === "NoSuchBucket") {
        err(`error: bucket ${config.bucket.name} does not exist in ${config.region} (is the stack deployed?)\n`);
    } else if (name === "CredentialsProviderError") {
        err(`error: no AWS credentials: pass --profile ${resolveAccessNames(config).cliProfile} (the lab profile) or set AWS_PROFILE (${e.message})\n`);
    } else {
        err(`error: ${step} failed: ${name}: ${e.message}\n`);
    }
    return 3;
}

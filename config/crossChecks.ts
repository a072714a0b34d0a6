/**
 * Checks that span config sections (each section validates itself in its own file).
 */
import type { z } from "zod";
import { checkSyncPaths } from "./syncPaths";
import { alertEmails } from "./alerts";
import { checkForceDestroy } from "../components/common/dataRetention";
import { parseBucketReference } from "../components/replication/rules";
import type { BucketConfig } from "./bucket";
import type { SyncHostConfig } from "./syncHost";
import { FsxConfig, fsxCrossChecks } from "./fsx";
import { nestFindings, PathSegment, RuleFinding } from "../components/common/problems";
import { addFindings } from "./report";
import { archiveHoldErrors, ReplicationConfig } from "./replication";

/** The parts of the project settings the cross-section checks read. */
export interface CrossCheckInput {
    readonly protect: boolean;
    readonly bucket: BucketConfig;
    readonly syncHost: SyncHostConfig;
    readonly fsx: FsxConfig;
    readonly replication: ReplicationConfig;
}

/** One check across sections: what it checks, which sections it needs valid, and the check. */
export interface CrossCheck {
    /** What is checked, for the note when it cannot run ("bucket.forceDestroy against protect"). */
    readonly what: string;
    /**
     * The keys it reads, as paths from the project namespace root (`bucket.name`, `fsx`); it runs
     * only when no problem lies at, above or below any of them.
     */
    readonly needs: readonly string[];
    /** Rule (custom) problems at those keys do not stop it: it reads only their type-checked values. */
    readonly ruleIssuesOk?: boolean;
    /** The check: findings with paths from the project namespace root. */
    readonly run: (cfg: CrossCheckInput) => RuleFinding[];
}

/** Collects the issues a check adds to a zod-like context, as findings. */
function collect(check: (ctx: z.RefinementCtx) => void): RuleFinding[] {
    const out: RuleFinding[] = [];
    const ctx = {
        addIssue: (issue: { path?: PropertyKey[]; message?: string }) => out.push({ path: (issue.path ?? []) as PathSegment[], message: issue.message ?? "" }),
    } as unknown as z.RefinementCtx;
    check(ctx);
    return out;
}

/**
 * Every check across sections (each section validates itself in its own file):
 * - `bucket.forceDestroy` is refused when `protect` is true (a protected stack keeps its data).
 * - `fsx.decommission` (the drain step) needs `syncHost.enabled: false`: no writer after the clean export report.
 * - `syncHost.enabled` needs `fsx.enabled`: the host exists to mount the file system, and an
 *   alert address (`syncHost.alarms.emails` or `replication.alarm.emails`) for its alarms.
 * - a sync-host `s3` source may not be the backup bucket itself (the file system already shows
 *   that bucket's data; pulling it again would re-export a copy under another path).
 * - `fsx.dataRepositoryAssociations` are checked with the backup bucket's name filled in
 *   (`s3://<bucket>/<prefix>/`): path forms, nesting, overlapping prefixes (`config/fsx.ts`).
 * - every sync source's destination is covered by an association of the backup bucket that
 *   auto-exports NEW and CHANGED, and no association covers the staging area
 *   (`config/syncPaths.ts` {@link checkSyncPaths}).
 * - replication: see {@link replicationCrossChecks}.
 * - `bucket.lifecycle.holdArchiveTransitions: false` before the replication backfill is recorded
 *   (`archiveHoldErrors` of config/replication.ts).
 * `config/index.ts` runs each check whose sections are valid and names the others as not checked.
 */
export const CROSS_CHECKS: readonly CrossCheck[] = [
    {
        what: "bucket.forceDestroy against protect",
        needs: ["protect", "bucket.forceDestroy"],
        ruleIssuesOk: true,
        run: (cfg) => nestFindings({ errors: checkForceDestroy(cfg.protect, cfg.bucket.forceDestroy), warnings: [] }, ["bucket"]).errors,
    },
    {
        what: "syncHost.enabled against fsx.enabled",
        needs: ["syncHost.enabled", "fsx.enabled"],
        run: (cfg) =>
            cfg.syncHost.enabled && !cfg.fsx.enabled
                ? [
                      {
                          path: ["syncHost", "enabled"],
                          message: "needs fsx.enabled: true — the sync host mounts the Lustre file system and lives in its subnet; disable the sync host with the file system",
                      },
                  ]
                : [],
    },
    {
        what: "fsx.decommission against syncHost.enabled",
        needs: ["fsx.decommission", "syncHost.enabled"],
        run: (cfg) =>
            cfg.fsx.decommission !== undefined && cfg.syncHost.enabled
                ? [
                      {
                          path: ["syncHost", "enabled"],
                          message:
                              "must be false with fsx.decommission (the drain step): the sync host's timer would keep pulling files onto the file system after the export report you recorded was clean, " +
                              "and the removal deletes the file system with them. Stop the writer in the drain step (docs/fsx.md \"Post-migration\")",
                      },
                  ]
                : [],
    },
    {
        what: "syncHost.sources against bucket.name",
        needs: ["syncHost.sources", "bucket.name"],
        run: (cfg) =>
            cfg.syncHost.sources.flatMap((source, i) =>
                source.type === "s3" && source.bucket === cfg.bucket.name
                    ? [
                          {
                              path: ["syncHost", "sources", i, "bucket"],
                              message: `is the backup bucket (bucket.name) itself: an s3 source pulls from another bucket; the backup bucket's data reaches the file system through its data repository association`,
                          },
                      ]
                    : [],
            ),
    },
    {
        what: "fsx.dataRepositoryAssociations against bucket.name",
        needs: ["fsx.dataRepositoryAssociations", "bucket.name"],
        run: (cfg) => fsxCrossChecks(cfg).errors,
    },
    {
        what: "syncHost.alarms.emails against replication.alarm.emails",
        needs: ["syncHost.enabled", "syncHost.alarms", "replication"],
        run: (cfg) =>
            cfg.syncHost.enabled && alertEmails(cfg).length === 0
                ? [
                      {
                          path: ["syncHost", "alarms", "emails"],
                          message: "at least one e-mail address when the sync host is enabled (here or in replication.alarm.emails): its alarms (missing heartbeat, failed run, unexported files, low free capacity) must reach someone",
                      },
                  ]
                : [],
    },
    {
        what: "syncHost.sources' destinations against fsx.dataRepositoryAssociations and bucket.name",
        needs: ["syncHost", "fsx.enabled", "fsx.dataRepositoryAssociations", "bucket.name"],
        run: (cfg) => checkSyncPaths(cfg).errors,
    },
    {
        what: "bucket.lifecycle.holdArchiveTransitions against replication.backfill",
        needs: ["bucket.lifecycle", "bucket.adoptExisting", "bucket.name", "replication"],
        run: (cfg) => archiveHoldErrors(cfg),
    },
    {
        what: "replication against the backup bucket",
        needs: ["replication", "bucket.name", "bucket.encryption"],
        run: (cfg) => collect((ctx) => replicationCrossChecks(cfg, ctx)),
    },
];

/**
 * Adds an issue for every inconsistency between sections ({@link CROSS_CHECKS}), all sections
 * being valid.
 *
 * @param cfg the parsed project settings.
 * @param ctx a refinement context (paths are from the project namespace root).
 */
export function crossSectionChecks(cfg: CrossCheckInput, ctx: z.RefinementCtx): void {
    for (const check of CROSS_CHECKS) {
        addFindings(ctx, check.run(cfg));
    }
}

/**
 * Replication against the backup bucket (only when replication is enabled):
 * - the destination bucket may not be the backup bucket itself;
 * - with an SSE-KMS backup bucket, `replication.destination.replicaKmsKeyId` is required (S3 skips
 *   SSE-KMS objects unless the rule opts them in with a replica key; S3 User Guide "Replicating
 *   encrypted objects"); with SSE-S3 it is refused (replicas keep the source's SSE-S3 encryption,
 *   the key would never be used).
 * Versioning: the backup bucket always has versioning Enabled (BackupBucket declares it
 * unconditionally), so there is no config to check on the source side; the DR side is either
 * declared Enabled by this stack (managed) or confirmed by `external.destinationReady`.
 */
function replicationCrossChecks(cfg: CrossCheckInput, ctx: z.RefinementCtx): void {
    const r = cfg.replication;
    if (!r.enabled || !r.destination) {
        return;
    }
    const dest = parseBucketReference(r.destination.bucket);
    if (dest && dest.name === cfg.bucket.name) {
        ctx.addIssue({
            code: "custom",
            path: ["replication", "destination", "bucket"],
            message: `must differ from the backup bucket ${cfg.bucket.name}: a bucket cannot be its own DR copy`,
        });
    }
    const kms = cfg.bucket.encryption.sseAlgorithm === "aws:kms";
    if (kms && !r.destination.replicaKmsKeyId) {
        ctx.addIssue({
            code: "custom",
            path: ["replication", "destination", "replicaKmsKeyId"],
            message:
                "required because bucket.encryption.sseAlgorithm is aws:kms: S3 replicates SSE-KMS objects only when the rule opts them in and names a customer managed key in the DR account and Region to encrypt the replicas with (S3 User Guide \"Replicating encrypted objects\")",
        });
    }
    if (!kms && r.destination.replicaKmsKeyId) {
        ctx.addIssue({
            code: "custom",
            path: ["replication", "destination", "replicaKmsKeyId"],
            message: "only allowed when bucket.encryption.sseAlgorithm is aws:kms: SSE-S3 objects are replicated as SSE-S3 and the key would never be used",
        });
    }
}

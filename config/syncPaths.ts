/**
 * The data path of the sync host's sources, as a pure computation from the validated config:
 * source → staging directory → Lustre directory → data repository association (DRA) →
 * `s3://<backup bucket>/<prefix>/`.
 *
 * A DRA links one file system directory to one S3 prefix, 1:1: `<fileSystemPath>/a/b` is exported
 * as `<dataRepositoryPath>a/b`, and files outside every association are never exported (FSx for
 * Lustre User Guide, "Linking your file system to an Amazon S3 bucket" / "Exporting changes to the
 * data repository"). Auto-export ships only the events named in the association's
 * `AutoExportPolicy` (NEW, CHANGED, DELETED; FSx API Reference, `AutoExportPolicy`). So a source
 * reaches the bucket only when an association of the backup bucket covers its destination prefix
 * and auto-exports NEW and CHANGED — that is what {@link checkSyncPaths} refuses otherwise, and
 * {@link resolveSyncPaths} turns into the directories the host writes to.
 *
 * Used by `config/crossChecks.ts` (validation), `index.ts` (the SyncHost's `sources`) and
 * `tools/dataflow.ts` (the data-flow report), so all three agree on every path.
 */
import type { FsxConfig } from "./fsx";
import type { PathSegment, RuleFinding, RuleResult } from "../components/common/problems";
import { resolvedDataRepositoryPath } from "../components/fsx/rules";
import type { SyncHostConfig, SyncSourceConfig } from "./syncHost";

/** The directory, directly under the mount point, that holds every source's staging area. */
export const STAGING_DIRECTORY = ".staging";

/**
 * A sync source with its paths resolved (the interface between the config and the sync host's
 * scripts). Every path is absolute on the host and ends with `/`.
 */
export type ResolvedSyncSource = SyncSourceConfig & {
    /** Where finished files go: under the mount point, inside an exporting association's fileSystemPath (e.g. `/fsx/microbiome/Analysis_2024/`). */
    readonly lustrePath: string;
    /** Where the pull writes first: on the same file system, outside every association (e.g. `/fsx/.staging/lab-sftp/`). */
    readonly stagingPath: string;
    /** Where the files land in S3: `s3://<backup bucket>/<destination>` (e.g. `s3://3bigsmicrobiome/Analysis_2024/`). */
    readonly s3Uri: string;
};

/** The parts of the project settings the data path is computed from. */
export interface DataPathInput {
    readonly bucket: { readonly name: string };
    readonly fsx: Pick<FsxConfig, "enabled" | "dataRepositoryAssociations">;
    readonly syncHost: Pick<SyncHostConfig, "enabled" | "mountPoint" | "sources">;
}

/** One configured association, as the data path sees it. */
export interface AssociationView {
    /** Index in `fsx.dataRepositoryAssociations`. */
    readonly index: number;
    /** The association's directory on the file system, normalised: `/microbiome` (`/` for the root). */
    readonly fileSystemPath: string;
    /** Its data repository path, `s3://<bucket>/<prefix>/`. */
    readonly dataRepositoryPath: string;
    /** The bucket of the data repository path. */
    readonly bucket: string;
    /** The key prefix of the data repository path: `""` (whole bucket) or ending with `/`. */
    readonly keyPrefix: string;
    /** Auto-export ships new and changed files (AutoExportPolicy events include NEW and CHANGED). */
    readonly exportsNewAndChanged: boolean;
    /** The auto-export events as configured. */
    readonly autoExportEvents: readonly string[];
    /** The auto-import events as configured. */
    readonly autoImportEvents: readonly string[];
}

/** Segments of a key prefix or path, without empty ones. */
function segments(path: string): string[] {
    return path.split("/").filter((s) => s !== "");
}

/** True when `outer` (segments) is a prefix of `inner` (segments), or equal. */
function covers(outer: readonly string[], inner: readonly string[]): boolean {
    return outer.length <= inner.length && outer.every((s, i) => s === inner[i]);
}

/** A key prefix in the normal form: `""` or `a/b/`. */
function normalisePrefix(prefix: string): string {
    const parts = segments(prefix);
    return parts.length === 0 ? "" : `${parts.join("/")}/`;
}

/**
 * The configured associations with their data repository paths resolved against the backup
 * bucket's name (the same `resolvedDataRepositoryPath` that `lustreFileSystemArgs` gives `aws.fsx.DataRepositoryAssociation`).
 */
export function associationViews(cfg: Pick<DataPathInput, "bucket" | "fsx">): AssociationView[] {
    return cfg.fsx.dataRepositoryAssociations.map((d, index) => {
        const dataRepositoryPath = resolvedDataRepositoryPath(d, cfg.bucket.name);
        const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(dataRepositoryPath);
        const events = d.s3.autoExportPolicy.events;
        return {
            index,
            fileSystemPath: `/${segments(d.fileSystemPath).join("/")}`,
            dataRepositoryPath,
            bucket: m?.[1] ?? "",
            keyPrefix: normalisePrefix(m?.[2] ?? ""),
            exportsNewAndChanged: events.includes("NEW") && events.includes("CHANGED"),
            autoExportEvents: [...events],
            autoImportEvents: [...d.s3.autoImportPolicy.events],
        };
    });
}

/**
 * The association of `bucket` whose key prefix covers `keyPrefix` (segment by segment:
 * `analysis/` covers `analysis/x/`, not `analysis2/`); the longest one when several do.
 */
export function coveringAssociation(views: readonly AssociationView[], bucket: string, keyPrefix: string): AssociationView | undefined {
    const key = segments(keyPrefix);
    return views
        .filter((v) => v.bucket === bucket && covers(segments(v.keyPrefix), key))
        .sort((a, b) => segments(b.keyPrefix).length - segments(a.keyPrefix).length)[0];
}

/**
 * The directory on the host for `keyPrefix` under an association: mount point + the association's
 * file system path + the rest of the key prefix, ending with `/` (`/fsx` + `/microbiome` +
 * `Analysis_2024/` → `/fsx/microbiome/Analysis_2024/`).
 */
export function lustrePathFor(mountPoint: string, association: AssociationView, keyPrefix: string): string {
    const rest = segments(keyPrefix).slice(segments(association.keyPrefix).length);
    return `/${[...segments(mountPoint), ...segments(association.fileSystemPath), ...rest].join("/")}/`;
}

/** A source's staging directory: `<mountPoint>/.staging/<name>/`. */
export function stagingPathFor(mountPoint: string, name: string): string {
    return `/${[...segments(mountPoint), STAGING_DIRECTORY, name].join("/")}/`;
}

/** The S3 URI of a destination in the backup bucket: `s3://<bucket>/<destination>`. */
export function s3UriFor(bucket: string, destination: string): string {
    return `s3://${bucket}/${normalisePrefix(destination)}`;
}

/**
 * Checks every source's data path (only when the sync host and the file system are enabled):
 * - the destination must be covered by an association of the backup bucket — refused when no
 *   association covers it, or when the association with that prefix points at another bucket;
 * - that association must auto-export NEW and CHANGED files;
 * - no association may cover the staging area `<mountPoint>/.staging` (a file system path of `/`
 *   or `/.staging…`): a partial file there would be exported.
 *
 * @returns errors with paths from the project namespace root (`["syncHost", "sources", i, "destination"]`,
 *   `["fsx", "dataRepositoryAssociations", i, "fileSystemPath"]`); no warnings.
 */
export function checkSyncPaths(cfg: DataPathInput): RuleResult {
    const errors: RuleFinding[] = [];
    if (!cfg.syncHost.enabled || !cfg.fsx.enabled || cfg.syncHost.sources.length === 0) {
        return { errors, warnings: [] };
    }
    const views = associationViews(cfg);
    const backup = cfg.bucket.name;
    const listing = views.map((v) => `${v.fileSystemPath} → ${v.dataRepositoryPath}`).join(", ") || "none";
    cfg.syncHost.sources.forEach((source, i) => {
        const path: PathSegment[] = ["syncHost", "sources", i, "destination"];
        const shown = source.destination === "" ? "the bucket root" : source.destination;
        const association = coveringAssociation(views, backup, source.destination);
        if (!association) {
            const elsewhere = views.find((v) => v.bucket !== backup && covers(segments(v.keyPrefix), segments(source.destination)));
            errors.push({
                path,
                message: elsewhere
                    ? `${shown} of the backup bucket ${backup} is not covered by any association of that bucket: fsx.dataRepositoryAssociations[${elsewhere.index}] (${elsewhere.fileSystemPath}) points at another bucket (${elsewhere.dataRepositoryPath}), so files written there would be exported to that bucket instead. ` +
                      `Give a destination under an association of ${backup} (associations: ${listing}) (FSx for Lustre User Guide, "Linking your file system to an Amazon S3 bucket")`
                    : `${shown} is not covered by any data repository association of the backup bucket ${backup} (associations: ${listing}): files outside every association are never exported to S3. ` +
                      `Give a destination under an association's prefix, or add an association covering it (FSx for Lustre User Guide, "Linking your file system to an Amazon S3 bucket")`,
            });
            return;
        }
        if (!association.exportsNewAndChanged) {
            errors.push({
                path,
                message: `is covered by fsx.dataRepositoryAssociations[${association.index}] (${association.fileSystemPath} → ${association.dataRepositoryPath}), whose s3.autoExportPolicy.events are [${association.autoExportEvents.join(", ")}]: new and changed files would stay on the file system. ` +
                    `The association must auto-export NEW and CHANGED (FSx API Reference, AutoExportPolicy), or give a destination under one that does`,
            });
        }
    });
    const staging = [STAGING_DIRECTORY];
    for (const v of views) {
        const fsPath = segments(v.fileSystemPath);
        if (covers(fsPath, staging) || covers(staging, fsPath)) {
            errors.push({
                path: ["fsx", "dataRepositoryAssociations", v.index, "fileSystemPath"],
                message: `covers the sync host's staging area ${cfg.syncHost.mountPoint.replace(/\/+$/, "")}/${STAGING_DIRECTORY}/, where sources are pulled before they are verified: partial files there would be exported. ` +
                    `Use a directory of its own (e.g. /microbiome) for the association`,
            });
        }
    }
    return { errors, warnings: [] };
}

/**
 * Resolves every source's paths (pure; the same computation the validation checked).
 *
 * @param cfg validated project settings.
 * @returns one {@link ResolvedSyncSource} per `syncHost.sources` entry, in order; `[]` when the
 *   sync host or the file system is disabled.
 * @throws Error when a destination has no covering association of the backup bucket (the
 *   validation in `config/` refuses such a configuration first).
 */
export function resolveSyncPaths(cfg: DataPathInput): ResolvedSyncSource[] {
    if (!cfg.syncHost.enabled || !cfg.fsx.enabled) {
        return [];
    }
    const views = associationViews(cfg);
    return cfg.syncHost.sources.map((source) => {
        const association = coveringAssociation(views, cfg.bucket.name, source.destination);
        if (!association) {
            throw new Error(`syncHost source ${source.name}: destination ${JSON.stringify(source.destination)} is not covered by an association of ${cfg.bucket.name}`);
        }
        return {
            ...source,
            lustrePath: lustrePathFor(cfg.syncHost.mountPoint, association, source.destination),
            stagingPath: stagingPathFor(cfg.syncHost.mountPoint, source.name),
            s3Uri: s3UriFor(cfg.bucket.name, source.destination),
        };
    });
}

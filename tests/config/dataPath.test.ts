/**
 * The data path as config validation sees it: every broken way of a source's files to the bucket is
 * refused (exit 2 in the tools, naming the source's key and value), the committed stacks resolve to
 * exported paths, and the capacity / archive warnings name both keys.
 */
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { resolveSyncPaths } from "../../config/syncPaths";
import { parseStackFiles } from "../../tools/offline/stackFiles";
import { fsxEnabled, parseValid, problemAt, problemsOf, rawConfig, TEST_BUCKET } from "../helpers/config";

const PROJECT_DIR = path.resolve(__dirname, "..", "..");
const K = "microbiome-backup";

function s3Source(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { type: "s3", name: "runs", bucket: "s3://other-bucket-example/runs/", destination: "Analysis_2024/", ...extra };
}

/** An enabled sync host with one source and an alert address, plus overrides. */
function host(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { enabled: true, alarms: { emails: ["ops@example.com"] }, sources: [s3Source()], ...extra };
}

describe("config: the sync sources' data path", () => {
    it("refuses a destination no association covers, naming the source's key and value", () => {
        const problems = problemsOf(
            rawConfig({ fsx: fsxEnabled({ dataRepositoryAssociations: [{ fileSystemPath: "/analysis", prefix: "analysis" }] }), syncHost: host() }),
        );
        const p = problemAt(problems, `${K}:syncHost.sources[0].destination`);
        assert.equal(p.value, "Analysis_2024/");
        assert.match(p.message, /^Analysis_2024\/ is not covered by any data repository association of the backup bucket test-bucket-111111111111 \(associations: \/analysis → s3:\/\/test-bucket-111111111111\/analysis\/\): files outside every association are never exported/);
    });

    it("refuses a destination that only shares a name prefix with the association's prefix", () => {
        const problems = problemsOf(
            rawConfig({ fsx: fsxEnabled({ dataRepositoryAssociations: [{ fileSystemPath: "/analysis", prefix: "analysis" }] }), syncHost: host({ sources: [s3Source({ destination: "analysis2/x" })] }) }),
        );
        assert.match(problemAt(problems, `${K}:syncHost.sources[0].destination`).message, /is not covered by any data repository association/);
    });

    it("refuses a destination whose association does not auto-export NEW and CHANGED", () => {
        const problems = problemsOf(
            rawConfig({
                fsx: fsxEnabled({
                    dataRepositoryAssociations: [{ fileSystemPath: "/microbiome", prefix: "", s3: { autoImportPolicy: { events: ["NEW"] }, autoExportPolicy: { events: ["DELETED"] } } }],
                }),
                syncHost: host(),
            }),
        );
        const p = problemAt(problems, `${K}:syncHost.sources[0].destination`);
        assert.match(p.message, /^is covered by fsx\.dataRepositoryAssociations\[0\] \(\/microbiome → s3:\/\/test-bucket-111111111111\/\), whose s3\.autoExportPolicy\.events are \[DELETED\]: new and changed files would stay on the file system/);
        assert.match(p.message, /FSx API Reference, AutoExportPolicy/);
    });

    it("refuses a destination whose only matching association points at another bucket", () => {
        const problems = problemsOf(
            rawConfig({ fsx: fsxEnabled({ dataRepositoryAssociations: [{ fileSystemPath: "/other", dataRepositoryPath: "s3://someone-elses-bucket-example/" }] }), syncHost: host() }),
        );
        const p = problemAt(problems, `${K}:syncHost.sources[0].destination`);
        assert.match(p.message, /fsx\.dataRepositoryAssociations\[0\] \(\/other\) points at another bucket \(s3:\/\/someone-elses-bucket-example\/\)/);
    });

    it("refuses an association that covers the staging area", () => {
        const problems = problemsOf(rawConfig({ fsx: fsxEnabled({ dataRepositoryAssociations: [{ fileSystemPath: "/", prefix: "" }] }), syncHost: host() }));
        const p = problemAt(problems, `${K}:fsx.dataRepositoryAssociations[0].fileSystemPath`);
        assert.equal(p.value, "/");
        assert.match(p.message, /covers the sync host's staging area \/fsx\/\.staging\/, where sources are pulled before they are verified/);
    });

    it("refuses destinations that are not key prefixes", () => {
        for (const destination of ["/Analysis_2024", "s3://bucket/x/", "a//b/", "a/../b/"]) {
            const problems = problemsOf(rawConfig({ fsx: fsxEnabled(), syncHost: host({ sources: [s3Source({ destination })] }) }));
            assert.equal(problemAt(problems, `${K}:syncHost.sources[0].destination`).value, destination);
        }
    });

    it("requires an alert address for the sync host's alarms", () => {
        const problems = problemsOf(rawConfig({ fsx: fsxEnabled(), syncHost: host({ alarms: {} }) }));
        assert.match(problemAt(problems, `${K}:syncHost.alarms.emails`).message, /at least one e-mail address when the sync host is enabled/);
    });

    it("requires a heartbeat window the schedule does not give, and keeps it within CloudWatch's 7 days", () => {
        // A monthly run has no window a CloudWatch alarm can cover by itself.
        const irregular = problemsOf(rawConfig({ fsx: fsxEnabled(), syncHost: host({ schedule: "*-*-01 02:00" }) }));
        assert.match(problemAt(irregular, `${K}:syncHost.alarms.heartbeatHours`).message, /required for the schedule "\*-\*-01 02:00"/);
        // Weekdays: the longest gap (Friday to Monday, 72 h) + 20 h maximum run time = 92 h.
        parseValid(rawConfig({ fsx: fsxEnabled(), syncHost: host({ schedule: "Mon..Fri 22:30" }) }));
        // weekly: 168 h + 20 h maximum run time = 188 h > 168 h (604,800 s).
        const weekly = problemsOf(rawConfig({ fsx: fsxEnabled(), syncHost: host({ schedule: "weekly" }) }));
        assert.match(problemAt(weekly, `${K}:syncHost.maxRunHours`).message, /is 188 h, above the 168 h a CloudWatch alarm can evaluate/);
        parseValid(rawConfig({ fsx: fsxEnabled(), syncHost: host({ schedule: "Mon..Fri 22:30", alarms: { emails: ["ops@example.com"], heartbeatHours: 96 } }) }));
    });

    it("resolves a source under a nested association prefix", () => {
        const { config } = parseValid(
            rawConfig({ fsx: fsxEnabled({ dataRepositoryAssociations: [{ fileSystemPath: "/analysis/", prefix: "analysis" }] }), syncHost: host({ mountPoint: "/mnt/lustre", sources: [s3Source({ destination: "analysis/runs" })] }) }),
        );
        const [s] = resolveSyncPaths(config);
        assert.equal(s.destination, "analysis/runs/");
        assert.equal(s.lustrePath, "/mnt/lustre/analysis/runs/");
        assert.equal(s.stagingPath, "/mnt/lustre/.staging/runs/");
        assert.equal(s.s3Uri, `s3://${TEST_BUCKET}/analysis/runs/`);
    });

    describe("the committed stacks", () => {
        it("prod: both sources land under /microbiome (lab-sftp in Analysis_2024/, partner-runs at the bucket root), which exports NEW and CHANGED to the bucket", () => {
            const { config } = parseStackFiles(PROJECT_DIR, "prod");
            assert.deepEqual(
                resolveSyncPaths(config).map((s) => [s.name, s.lustrePath, s.stagingPath, s.s3Uri]),
                [
                    ["lab-sftp", "/fsx/microbiome/Analysis_2024/", "/fsx/.staging/lab-sftp/", "s3://3bigsmicrobiome/Analysis_2024/"],
                    ["partner-runs", "/fsx/microbiome/", "/fsx/.staging/partner-runs/", "s3://3bigsmicrobiome/"],
                ],
            );
        });

        it("dev: the source lands under /analysis (prefix analysis)", () => {
            const { config } = parseStackFiles(PROJECT_DIR, "dev");
            assert.deepEqual(
                resolveSyncPaths(config).map((s) => [s.lustrePath, s.stagingPath, s.s3Uri]),
                [["/fsx/analysis/sequencer-exports/", "/fsx/.staging/sequencer-exports/", "s3://microbiome-backup-dev-111111111111/analysis/sequencer-exports/"]],
            );
        });
    });

    describe("warnings", () => {
        it("a migration larger than the file system with release off names both keys", () => {
            const warn = (release: boolean) =>
                parseValid(rawConfig({ fsx: fsxEnabled({ dataRepositoryAssociations: [{ fileSystemPath: "/microbiome", prefix: "", archivedReadsAcknowledged: true }] }), syncHost: host({ expectedMigrationGiB: 2300, release: { enabled: release } }) }))
                    .warnings.filter((w) => w.key === `${K}:syncHost.expectedMigrationGiB`);
            const [w] = warn(false);
            assert.equal(w.value, 2300);
            assert.match(w.message, /^2300 GiB expected, more than microbiome-backup:fsx\.storageCapacity = 1200 GiB, while microbiome-backup:syncHost\.release\.enabled is false/);
            assert.deepEqual(warn(true), []);
        });

        it("an association importing from a prefix the lifecycle archives names both keys, until acknowledged", () => {
            const warnings = (dra: Record<string, unknown>) =>
                parseValid(rawConfig({ fsx: fsxEnabled({ dataRepositoryAssociations: [{ fileSystemPath: "/microbiome", prefix: "", ...dra }] }) })).warnings.filter((w) => w.key.startsWith(`${K}:fsx.dataRepositoryAssociations`));
            const [w] = warnings({});
            assert.equal(w.key, `${K}:fsx.dataRepositoryAssociations[0].s3.autoImportPolicy.events`);
            assert.match(w.message, /imports from s3:\/\/test-bucket-111111111111\/, which microbiome-backup:bucket\.lifecycle\.tiers\[1\] moves to DEEP_ARCHIVE after 180 days/);
            assert.match(w.message, /docs\/fsx\.md "Reading an archived file"/);
            assert.deepEqual(warnings({ archivedReadsAcknowledged: true }), []);
            // Export-only associations import nothing: no warning.
            assert.deepEqual(warnings({ s3: { autoImportPolicy: { events: [] }, autoExportPolicy: { events: ["NEW", "CHANGED"] } } }), []);
        });
    });
});

/**
 * `microbiome-backup:fsx` validation through `parseStackConfig`: every rule with a failing and a
 * passing case, the replacement guard, and the Region-dependent checks.
 */
import { strict as assert } from "node:assert";
import { currentReplacementFacts } from "../../config/fsx";
import { draSlug, resolvedDataRepositoryPath } from "../../components/fsx/rules";
import { fsxEnabled, parseValid, problemKeys, rawConfig, TEST_BUCKET, tryParse } from "../helpers/config";

const K = "microbiome-backup:fsx";

/** The guard matching `fsxEnabled()` in us-east-1 with the default network. */
function matchingGuard(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        subnetIds: "awsx-vpc 10.42.0.0/16 us-east-1a layout-1",
        securityGroupIds: ["pulumi:fsx-lustre"],
        deploymentType: "PERSISTENT_2",
        storageType: "SSD",
        storageCapacity: 1200,
        fileSystemTypeVersion: "2.15",
        metadataConfiguration: { mode: "AUTOMATIC" },
        dataRepositoryAssociations: [{ fileSystemPath: "/microbiome", dataRepositoryPath: `s3://${TEST_BUCKET}/` }],
        ...overrides,
    };
}

describe("config fsx: section", () => {
    it("is off by default and needs nothing", () => {
        const { config, warnings } = parseValid(rawConfig());
        assert.equal(config.fsx.enabled, false);
        assert.deepEqual(warnings, []);
    });

    it("applies the defaults of an enabled file system", () => {
        const { config } = parseValid(rawConfig({ fsx: fsxEnabled() }));
        const f = config.fsx;
        assert.equal(f.storageCapacity, 1200);
        assert.equal(f.perUnitStorageThroughput, 125);
        assert.equal(f.fileSystemTypeVersion, "2.15");
        assert.equal(f.dataCompressionType, "LZ4");
        assert.equal(f.logConfiguration.level, "WARN_ERROR");
        assert.equal(f.automaticBackupRetentionDays, 0);
        assert.equal(f.weeklyMaintenanceStartTime, "7:04:00");
        const d = f.dataRepositoryAssociations[0];
        assert.deepEqual(d.s3.autoImportPolicy.events, ["NEW", "CHANGED", "DELETED"]);
        assert.deepEqual(d.s3.autoExportPolicy.events, ["NEW", "CHANGED", "DELETED"]);
        assert.equal(d.importedFileChunkSize, 1024);
        assert.equal(d.batchImportMetaDataOnCreate, false);
    });

    it("needs at least one association when enabled", () => {
        assert.deepEqual(problemKeys(rawConfig({ fsx: { enabled: true } })), [`${K}.dataRepositoryAssociations`]);
        assert.deepEqual(problemKeys(rawConfig({ fsx: { enabled: false } })), []);
    });

    it("refuses unknown keys and names the allowed ones", () => {
        const { problems } = tryParse(rawConfig({ fsx: fsxEnabled({ throughput: 125 }) }));
        assert.equal(problems[0].key, `${K}.throughput`);
        assert.match(problems[0].message, /perUnitStorageThroughput/);
    });

    it("refuses capacity 1000 with the rule and the value", () => {
        const { problems } = tryParse(rawConfig({ fsx: fsxEnabled({ storageCapacity: 1000 }) }));
        assert.deepEqual(problems.map((p) => [p.key, p.value]), [[`${K}.storageCapacity`, 1000]]);
        assert.match(problems[0].message, /1200 GiB or a multiple of 2400/);
        assert.deepEqual(problemKeys(rawConfig({ fsx: fsxEnabled({ storageCapacity: 2400 }) })), []);
    });

    it("refuses throughput 200, accepts 250", () => {
        assert.deepEqual(problemKeys(rawConfig({ fsx: fsxEnabled({ perUnitStorageThroughput: 200 }) })), [`${K}.perUnitStorageThroughput`]);
        assert.deepEqual(problemKeys(rawConfig({ fsx: fsxEnabled({ perUnitStorageThroughput: 250 }) })), []);
    });

    it("wants the version quoted, refuses 2.10, accepts 2.12 without metadata configuration", () => {
        const unquoted = tryParse(rawConfig({ fsx: fsxEnabled({ fileSystemTypeVersion: 2.15 }) }));
        assert.match(unquoted.problems[0].message, /quoted/);
        assert.deepEqual(problemKeys(rawConfig({ fsx: fsxEnabled({ fileSystemTypeVersion: "2.10" }) })), [`${K}.fileSystemTypeVersion`]);
        const { config, warnings } = parseValid(rawConfig({ fsx: fsxEnabled({ fileSystemTypeVersion: "2.12" }) }));
        assert.equal(config.fsx.metadataConfiguration, undefined);
        assert.ok(warnings.some((w) => w.key === `${K}.fileSystemTypeVersion`));
    });

    it("checks metadata IOPS and their 2.15 requirement", () => {
        const md = (m: unknown, v = "2.15") => problemKeys(rawConfig({ fsx: fsxEnabled({ metadataConfiguration: m, fileSystemTypeVersion: v }) }));
        assert.deepEqual(md({ mode: "USER_PROVISIONED", iops: 5000 }), [`${K}.metadataConfiguration.iops`]);
        assert.deepEqual(md({ mode: "USER_PROVISIONED", iops: 24000 }), []);
        assert.deepEqual(md({ mode: "AUTOMATIC" }, "2.12"), [`${K}.metadataConfiguration`]);
    });

    it("refuses backups with an association, accepts 0", () => {
        const { problems } = tryParse(rawConfig({ fsx: fsxEnabled({ automaticBackupRetentionDays: 7 }) }));
        assert.deepEqual(problems.map((p) => p.key), [`${K}.automaticBackupRetentionDays`]);
        assert.match(problems[0].message, /must be 0/);
        assert.deepEqual(problemKeys(rawConfig({ fsx: fsxEnabled({ automaticBackupRetentionDays: 0 }) })), []);
    });

    it("checks the maintenance window form", () => {
        assert.deepEqual(problemKeys(rawConfig({ fsx: fsxEnabled({ weeklyMaintenanceStartTime: "Sun:04:00" }) })), [`${K}.weeklyMaintenanceStartTime`]);
        assert.deepEqual(problemKeys(rawConfig({ fsx: fsxEnabled({ weeklyMaintenanceStartTime: "6:02:30" }) })), []);
    });

    it("checks log level, retention, compression, KMS key and extra security groups", () => {
        assert.deepEqual(problemKeys(rawConfig({ fsx: fsxEnabled({ logConfiguration: { level: "INFO" } }) })), [`${K}.logConfiguration.level`]);
        assert.deepEqual(problemKeys(rawConfig({ fsx: fsxEnabled({ logRetentionInDays: 10 }) })), [`${K}.logRetentionInDays`]);
        assert.deepEqual(problemKeys(rawConfig({ fsx: fsxEnabled({ dataCompressionType: "GZIP" }) })), [`${K}.dataCompressionType`]);
        assert.deepEqual(problemKeys(rawConfig({ fsx: fsxEnabled({ kmsKeyId: "alias/fsx" }) })), [`${K}.kmsKeyId`]);
        assert.deepEqual(problemKeys(rawConfig({ fsx: fsxEnabled({ additionalSecurityGroupIds: ["sg-xyz"] }) })), [`${K}.additionalSecurityGroupIds[0]`]);
        assert.deepEqual(
            problemKeys(
                rawConfig({
                    fsx: fsxEnabled({
                        logConfiguration: { level: "ERROR_ONLY" },
                        logRetentionInDays: 30,
                        kmsKeyId: "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                        additionalSecurityGroupIds: ["sg-0123456789abcdef0"],
                        rootSquashConfiguration: { rootSquash: "65534:65534" },
                    }),
                }),
            ),
            [],
        );
    });
});

describe("config fsx: data repository associations", () => {
    const dras = (list: unknown[]) => problemKeys(rawConfig({ fsx: fsxEnabled({ dataRepositoryAssociations: list }) }));

    it("refuses a path without the leading slash", () => {
        assert.deepEqual(dras([{ fileSystemPath: "microbiome", prefix: "" }]), [`${K}.dataRepositoryAssociations[0].fileSystemPath`]);
    });

    it("refuses nested paths, accepts siblings", () => {
        assert.deepEqual(dras([{ fileSystemPath: "/data", prefix: "a" }, { fileSystemPath: "/data/raw", prefix: "b" }]), [`${K}.dataRepositoryAssociations[1].fileSystemPath`]);
        assert.deepEqual(dras([{ fileSystemPath: "/data", prefix: "a" }, { fileSystemPath: "/raw", prefix: "b" }]), []);
    });

    it("allows / only alone", () => {
        assert.deepEqual(dras([{ fileSystemPath: "/", prefix: "a" }, { fileSystemPath: "/raw", prefix: "b" }]), [`${K}.dataRepositoryAssociations[0].fileSystemPath`]);
        assert.deepEqual(dras([{ fileSystemPath: "/", prefix: "" }]), []);
    });

    it("refuses more than 8", () => {
        const nine = Array.from({ length: 9 }, (_, i) => ({ fileSystemPath: `/d${i}`, prefix: `p${i}` }));
        assert.deepEqual(dras(nine), [`${K}.dataRepositoryAssociations`]);
        assert.deepEqual(dras(nine.slice(0, 8)), []);
    });

    it("refuses overlapping prefixes of the backup bucket, reported on prefix", () => {
        assert.deepEqual(dras([{ fileSystemPath: "/a", prefix: "" }, { fileSystemPath: "/b", prefix: "x" }]), [`${K}.dataRepositoryAssociations[1].prefix`]);
    });

    it("refuses a full path that overlaps a prefix of the backup bucket", () => {
        const keys = dras([{ fileSystemPath: "/a", prefix: "x" }, { fileSystemPath: "/b", dataRepositoryPath: `s3://${TEST_BUCKET}/x/y/` }]);
        assert.deepEqual(keys, [`${K}.dataRepositoryAssociations[1].dataRepositoryPath`]);
        assert.deepEqual(dras([{ fileSystemPath: "/a", prefix: "x" }, { fileSystemPath: "/b", dataRepositoryPath: "s3://other-bucket-1/x/" }]), []);
    });

    it("checks the S3 path form", () => {
        assert.deepEqual(dras([{ fileSystemPath: "/a", dataRepositoryPath: "https://other/x" }]), [`${K}.dataRepositoryAssociations[0].dataRepositoryPath`]);
        assert.deepEqual(dras([{ fileSystemPath: "/a", prefix: "s3://x" }]), [`${K}.dataRepositoryAssociations[0].prefix`]);
    });

    it("wants exactly one of prefix and dataRepositoryPath; bucketRegion only with a full path", () => {
        assert.deepEqual(dras([{ fileSystemPath: "/a" }]), [`${K}.dataRepositoryAssociations[0].prefix`]);
        assert.deepEqual(dras([{ fileSystemPath: "/a", prefix: "", dataRepositoryPath: "s3://other-bucket-1/" }]), [`${K}.dataRepositoryAssociations[0].dataRepositoryPath`]);
        assert.deepEqual(dras([{ fileSystemPath: "/a", prefix: "", bucketRegion: "us-east-1" }]), [`${K}.dataRepositoryAssociations[0].bucketRegion`]);
    });

    it("checks events and chunk size", () => {
        assert.deepEqual(dras([{ fileSystemPath: "/a", prefix: "", s3: { autoImportPolicy: { events: ["MODIFIED"] } } }]), [`${K}.dataRepositoryAssociations[0].s3.autoImportPolicy.events[0]`]);
        assert.deepEqual(dras([{ fileSystemPath: "/a", prefix: "", s3: { autoExportPolicy: { events: ["NEW", "NEW"] } } }]), [`${K}.dataRepositoryAssociations[0].s3.autoExportPolicy.events[1]`]);
        assert.deepEqual(dras([{ fileSystemPath: "/a", prefix: "", importedFileChunkSize: 600000 }]), [`${K}.dataRepositoryAssociations[0].importedFileChunkSize`]);
        assert.deepEqual(dras([{ fileSystemPath: "/a", prefix: "", importedFileChunkSize: 2048, s3: { autoImportPolicy: { events: [] } } }]), []);
    });

    it("refuses auto-import from a bucket in another Region; export-only is fine", () => {
        const other = { fileSystemPath: "/a", dataRepositoryPath: "s3://other-bucket-1/", bucketRegion: "eu-west-1" };
        const { problems } = tryParse(rawConfig({ fsx: fsxEnabled({ dataRepositoryAssociations: [other] }) }));
        assert.deepEqual(problems.map((p) => p.key), [`${K}.dataRepositoryAssociations[0].s3.autoImportPolicy`]);
        assert.match(problems[0].message, /eu-west-1/);
        assert.deepEqual(dras([{ ...other, s3: { autoImportPolicy: { events: [] } } }]), []);
        assert.deepEqual(dras([{ ...other, bucketRegion: "us-east-1" }]), []);
    });

    it("refuses two paths that map to the same resource name", () => {
        assert.equal(draSlug("/data/raw/"), "data-raw");
        assert.equal(draSlug("/"), "root");
        assert.deepEqual(dras([{ fileSystemPath: "/a-b", prefix: "x" }, { fileSystemPath: "/a/b", prefix: "y" }]), [`${K}.dataRepositoryAssociations[1].fileSystemPath`]);
    });

    it("builds the data repository paths with a trailing slash", () => {
        const { config } = parseValid(rawConfig({ fsx: fsxEnabled({ dataRepositoryAssociations: [{ fileSystemPath: "/a", prefix: "Analysis_2019" }, { fileSystemPath: "/b", dataRepositoryPath: "s3://other-bucket-1/in" }] }) }));
        const [a, b] = config.fsx.dataRepositoryAssociations;
        assert.equal(resolvedDataRepositoryPath(a, TEST_BUCKET), `s3://${TEST_BUCKET}/Analysis_2019/`);
        assert.equal(resolvedDataRepositoryPath(b, TEST_BUCKET), "s3://other-bucket-1/in/");
    });
});

describe("config fsx: PERSISTENT_2 Region warning", () => {
    it("warns outside the confirmed Regions, not an error", () => {
        const { warnings } = parseValid(rawConfig({ fsx: fsxEnabled() }, "ap-southeast-2"));
        assert.ok(warnings.some((w) => w.key === `${K}.persistent2RegionOverride`));
    });
    it("is silenced by persistent2RegionOverride and absent in us-east-1", () => {
        const over = parseValid(rawConfig({ fsx: fsxEnabled({ persistent2RegionOverride: true }) }, "ap-southeast-2"));
        assert.ok(!over.warnings.some((w) => w.key === `${K}.persistent2RegionOverride`));
        const east = parseValid(rawConfig({ fsx: fsxEnabled() }));
        assert.ok(!east.warnings.some((w) => w.key === `${K}.persistent2RegionOverride`));
    });
});

describe("config fsx: replacement guard", () => {
    const withGuard = (fsx: Record<string, unknown>, guard: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
        rawConfig({ fsx: { ...fsx, replacementGuard: guard }, ...extra });

    it("warns when no guard is recorded and shows the value to record", () => {
        const { config, warnings } = parseValid(rawConfig({ fsx: fsxEnabled() }));
        const w = warnings.find((x) => x.key === `${K}.replacementGuard`);
        assert.ok(w);
        assert.ok(w.message.includes(JSON.stringify(currentReplacementFacts(config))));
    });

    it("is quiet when the guard matches", () => {
        const { warnings } = parseValid(withGuard(fsxEnabled(), matchingGuard()));
        assert.deepEqual(warnings.filter((w) => w.key.startsWith(`${K}.replacementGuard`)), []);
    });

    it("refuses a capacity decrease unless allowDataReplacement", () => {
        const raw = withGuard(fsxEnabled({ storageCapacity: 1200 }), matchingGuard({ storageCapacity: 2400 }));
        const { problems } = tryParse(raw);
        assert.deepEqual(problems.map((p) => [p.key, p.value]), [[`${K}.replacementGuard.storageCapacity`, 2400]]);
        assert.match(problems[0].message, /allowDataReplacement is false/);
        assert.match(problems[0].message, /files not yet exported to S3 are lost/);
        const allowed = parseValid({ ...raw, "microbiome-backup:allowDataReplacement": true });
        assert.ok(allowed.warnings.some((w) => w.key === `${K}.replacementGuard.storageCapacity` && /ALLOWED/.test(w.message)));
    });

    it("refuses an in-place change until the guard is updated", () => {
        const { problems } = tryParse(withGuard(fsxEnabled({ storageCapacity: 2400 }), matchingGuard()));
        assert.deepEqual(problems.map((p) => p.key), [`${K}.replacementGuard.storageCapacity`]);
        assert.match(problems[0].message, /Record the new value/);
        assert.deepEqual(problemKeys(withGuard(fsxEnabled({ storageCapacity: 2400 }), matchingGuard({ storageCapacity: 2400 }))), []);
    });

    it("refuses a subnet change (network CIDR, AZ, existing subnet)", () => {
        assert.deepEqual(problemKeys(withGuard(fsxEnabled(), matchingGuard(), { network: { cidrBlock: "10.43.0.0/16" } })), [`${K}.replacementGuard.subnetIds`]);
        assert.deepEqual(problemKeys(withGuard(fsxEnabled(), matchingGuard(), { network: { availabilityZone: "us-east-1b" } })), [`${K}.replacementGuard.subnetIds`]);
        // NAT on/off keeps the subnet: allowed.
        assert.deepEqual(problemKeys(withGuard(fsxEnabled(), matchingGuard(), { network: { natGateway: true } })), []);
    });

    it("refuses a KMS key, a security group list or a DRA path change", () => {
        const kms = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        assert.deepEqual(problemKeys(withGuard(fsxEnabled({ kmsKeyId: kms }), matchingGuard())), [`${K}.replacementGuard.kmsKeyId`]);
        assert.deepEqual(problemKeys(withGuard(fsxEnabled({ additionalSecurityGroupIds: ["sg-0123456789abcdef0"] }), matchingGuard())), [`${K}.replacementGuard.securityGroupIds`]);
        assert.deepEqual(problemKeys(withGuard(fsxEnabled({ dataRepositoryAssociations: [{ fileSystemPath: "/microbiome", prefix: "Analysis_2019" }] }), matchingGuard())), [
            `${K}.replacementGuard.dataRepositoryAssociations[0].dataRepositoryPath`,
        ]);
    });

    it("refuses removing the layer while a guard is recorded, unless the decommission record is set", () => {
        const { problems } = tryParse(withGuard({ enabled: false }, matchingGuard()));
        assert.deepEqual(problems.map((p) => p.key), [`${K}.decommission`]);
        assert.match(problems[0].message, /required to remove the file-system layer .* exportReportClean: YYYY-MM-DD .* drain step/);
        assert.deepEqual(problemKeys(rawConfig({ fsx: { enabled: false } })), []);
        assert.deepEqual(problemKeys(withGuard({ enabled: false, decommission: { exportReportClean: "2027-03-31" } }, matchingGuard())), []);
    });

    it("checks the decommission record's shape", () => {
        assert.deepEqual(problemKeys(withGuard({ enabled: false, decommission: { exportReportClean: "31.03.2027" } }, matchingGuard())), [`${K}.decommission.exportReportClean`]);
        assert.deepEqual(problemKeys(withGuard({ enabled: false, decommission: { exportReportClean: "2027-03-31", reportUri: "/tmp/report" } }, matchingGuard())), [
            `${K}.decommission.reportUri`,
        ]);
        assert.deepEqual(problemKeys(withGuard({ enabled: false, decommission: { exportReportClean: "2027-03-31", note: "x" } }, matchingGuard())), [`${K}.decommission.note`]);
    });

    it("refuses a malformed guard", () => {
        assert.deepEqual(problemKeys(withGuard(fsxEnabled(), matchingGuard({ storageCapacity: "big" }))), [`${K}.replacementGuard.storageCapacity`]);
    });
});

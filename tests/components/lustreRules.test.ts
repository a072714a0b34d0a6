/**
 * The FSx for Lustre rules on their own: a failing and a passing case for every rule.
 */
import { strict as assert } from "node:assert";
import {
    checkDataRepositoryAssociations,
    checkLustreChoices,
    checkLustreFileSystem,
    checkLustreIngress,
    checkNoBackupsWithDra,
    checkPersistent2Region,
    checkRootSquash,
    checkWeeklyMaintenanceStartTime,
    DataRepositoryAssociationFacts,
    dataRepositoryPathFor,
    ingressFactsFromInlineRules,
    ingressFactsFromVpcRules,
    LustreFileSystemFacts,
    LustreReplacementFacts,
    METADATA_IOPS_VALUES,
    parseS3Path,
    replacingChanges,
    resolveMetadataConfiguration,
} from "../../components/fsx/rules";
import type { RuleFinding } from "../../components/common/problems";

const base: LustreFileSystemFacts = {
    deploymentType: "PERSISTENT_2",
    storageType: "SSD",
    storageCapacity: 1200,
    perUnitStorageThroughput: 125,
    fileSystemTypeVersion: "2.15",
    metadataConfiguration: { mode: "AUTOMATIC" },
    automaticBackupRetentionDays: 0,
    weeklyMaintenanceStartTime: "7:04:00",
    dataCompressionType: "LZ4",
    logConfiguration: { level: "WARN_ERROR" },
};

/** Error paths (joined with dots) of a file system check. */
function fsErrors(overrides: Partial<LustreFileSystemFacts>, draCount = 1): string[] {
    return checkLustreFileSystem({ ...base, ...overrides }, draCount).errors.map((f) => f.path.join("."));
}

const dra = (fileSystemPath: string, dataRepositoryPath?: string, extra: Partial<DataRepositoryAssociationFacts> = {}): DataRepositoryAssociationFacts => ({
    fileSystemPath,
    ...(dataRepositoryPath !== undefined ? { dataRepositoryPath } : {}),
    s3: { autoImportPolicy: { events: ["NEW", "CHANGED", "DELETED"] }, autoExportPolicy: { events: ["NEW", "CHANGED", "DELETED"] } },
    ...extra,
});

function draErrors(dras: DataRepositoryAssociationFacts[], ctx = {}): string[] {
    return checkDataRepositoryAssociations(dras, ctx).errors.map((f: RuleFinding) => f.path.join("."));
}

describe("lustreRules: file system", () => {
    it("accepts the project's PERSISTENT_2 SSD settings", () => {
        assert.deepEqual(checkLustreFileSystem(base, 1), { errors: [], warnings: [] });
    });

    describe("storageCapacity: 1200 or a multiple of 2400", () => {
        for (const ok of [1200, 2400, 4800, 9600]) {
            it(`accepts ${ok}`, () => assert.deepEqual(fsErrors({ storageCapacity: ok }), []));
        }
        for (const bad of [1000, 1800, 3600, 0, 1200.5]) {
            it(`refuses ${bad}`, () => assert.deepEqual(fsErrors({ storageCapacity: bad }), ["storageCapacity"]));
        }
        it("says what is allowed", () => {
            const [finding] = checkLustreFileSystem({ ...base, storageCapacity: 1000 }, 1).errors;
            assert.match(finding.message, /1200 GiB or a multiple of 2400/);
        });
    });

    describe("perUnitStorageThroughput: PERSISTENT_2 SSD tiers", () => {
        for (const ok of [125, 250, 500, 1000]) {
            it(`accepts ${ok}`, () => assert.deepEqual(fsErrors({ perUnitStorageThroughput: ok }), []));
        }
        for (const bad of [200, 50, 100, 12]) {
            it(`refuses ${bad}`, () => assert.deepEqual(fsErrors({ perUnitStorageThroughput: bad }), ["perUnitStorageThroughput"]));
        }
        it("requires it", () => assert.deepEqual(fsErrors({ perUnitStorageThroughput: undefined }), ["perUnitStorageThroughput"]));
    });

    it("refuses HDD with PERSISTENT_2, accepts SSD", () => {
        assert.ok(fsErrors({ storageType: "HDD" }).includes("storageType"));
        assert.deepEqual(fsErrors({ storageType: "SSD" }), []);
    });

    describe("fileSystemTypeVersion", () => {
        it("refuses 2.10 with PERSISTENT_2", () => {
            assert.deepEqual(fsErrors({ fileSystemTypeVersion: "2.10", metadataConfiguration: undefined }), ["fileSystemTypeVersion"]);
        });
        it("refuses a version without DRA support when there are DRAs (PERSISTENT_1 2.10)", () => {
            assert.deepEqual(fsErrors({ deploymentType: "PERSISTENT_1", fileSystemTypeVersion: "2.10", metadataConfiguration: undefined, perUnitStorageThroughput: 50 }, 1), ["fileSystemTypeVersion"]);
            assert.deepEqual(fsErrors({ deploymentType: "PERSISTENT_1", fileSystemTypeVersion: "2.10", metadataConfiguration: undefined, perUnitStorageThroughput: 50 }, 0), []);
        });
        it("refuses an unknown version", () => assert.deepEqual(fsErrors({ fileSystemTypeVersion: "2.11" }), ["fileSystemTypeVersion", "metadataConfiguration"]));
        it("accepts 2.12 with DRAs (without metadata configuration), with a warning", () => {
            const r = checkLustreFileSystem({ ...base, fileSystemTypeVersion: "2.12", metadataConfiguration: undefined }, 1);
            assert.deepEqual(r.errors, []);
            assert.deepEqual(r.warnings.map((w) => w.path.join(".")), ["fileSystemTypeVersion"]);
        });
        it("accepts 2.15", () => assert.deepEqual(fsErrors({ fileSystemTypeVersion: "2.15" }), []));
    });

    describe("metadataConfiguration", () => {
        it("needs 2.15", () => assert.deepEqual(fsErrors({ fileSystemTypeVersion: "2.12" }), ["metadataConfiguration"]));
        it("needs PERSISTENT_2", () => {
            assert.ok(fsErrors({ deploymentType: "PERSISTENT_1", perUnitStorageThroughput: 50 }).includes("metadataConfiguration"));
        });
        for (const iops of [1500, 3000, 6000, 12000, 24000, 96000, 192000]) {
            it(`accepts USER_PROVISIONED ${iops} IOPS`, () => assert.deepEqual(fsErrors({ metadataConfiguration: { mode: "USER_PROVISIONED", iops } }), []));
        }
        for (const iops of [1000, 2000, 13000, 204000, 0]) {
            it(`refuses USER_PROVISIONED ${iops} IOPS`, () => assert.deepEqual(fsErrors({ metadataConfiguration: { mode: "USER_PROVISIONED", iops } }), ["metadataConfiguration.iops"]));
        }
        it("lists the valid IOPS values", () => {
            assert.equal(METADATA_IOPS_VALUES.length, 19);
            assert.equal(METADATA_IOPS_VALUES[METADATA_IOPS_VALUES.length - 1], 192000);
        });
        it("requires iops with USER_PROVISIONED and refuses it with AUTOMATIC", () => {
            assert.deepEqual(fsErrors({ metadataConfiguration: { mode: "USER_PROVISIONED" } }), ["metadataConfiguration.iops"]);
            assert.deepEqual(fsErrors({ metadataConfiguration: { mode: "AUTOMATIC", iops: 3000 } }), ["metadataConfiguration.iops"]);
        });
        it("refuses an unknown mode", () => assert.deepEqual(fsErrors({ metadataConfiguration: { mode: "MANUAL" } }), ["metadataConfiguration.mode"]));
        it("defaults to AUTOMATIC with 2.15 only", () => {
            assert.deepEqual(resolveMetadataConfiguration("2.15"), { mode: "AUTOMATIC" });
            assert.equal(resolveMetadataConfiguration("2.12"), undefined);
            assert.deepEqual(resolveMetadataConfiguration("2.15", { mode: "USER_PROVISIONED", iops: 6000 }), { mode: "USER_PROVISIONED", iops: 6000 });
        });
    });

    describe("backups with data repository associations", () => {
        it("refuses automatic backups with a DRA", () => assert.deepEqual(fsErrors({ automaticBackupRetentionDays: 7 }, 1), ["automaticBackupRetentionDays"]));
        it("accepts automatic backups without DRA", () => assert.deepEqual(fsErrors({ automaticBackupRetentionDays: 7 }, 0), []));
        it("accepts 0 with a DRA", () => assert.deepEqual(fsErrors({ automaticBackupRetentionDays: 0 }, 3), []));
        it("refuses a daily backup time or copyTagsToBackups with a DRA", () => {
            assert.deepEqual(fsErrors({ dailyAutomaticBackupStartTime: "05:00" }, 1), ["dailyAutomaticBackupStartTime"]);
            assert.deepEqual(fsErrors({ copyTagsToBackups: true }, 1), ["copyTagsToBackups"]);
            assert.deepEqual(fsErrors({ copyTagsToBackups: true }, 0), []);
        });
        it("refuses a retention outside 0–90", () => assert.deepEqual(fsErrors({ automaticBackupRetentionDays: 91 }, 0), ["automaticBackupRetentionDays"]));
        it("reports an invalid retention once, not also as a backup with a DRA", () => assert.deepEqual(fsErrors({ automaticBackupRetentionDays: 91 }, 1), ["automaticBackupRetentionDays"]));
        it("checkNoBackupsWithDra on its own: 0 or unset and no backup settings pass", () => {
            assert.deepEqual(checkNoBackupsWithDra({}), []);
            assert.deepEqual(checkNoBackupsWithDra({ automaticBackupRetentionDays: 0, dailyAutomaticBackupStartTime: "", copyTagsToBackups: false }), []);
            assert.deepEqual(
                checkNoBackupsWithDra({ automaticBackupRetentionDays: 1, dailyAutomaticBackupStartTime: "05:00", copyTagsToBackups: true }).map((f) => f.path.join(".")),
                ["automaticBackupRetentionDays", "dailyAutomaticBackupStartTime", "copyTagsToBackups"],
            );
        });
    });

    describe("file-system-level S3 links (importPath, exportPath, autoImportPolicy, importedFileChunkSize)", () => {
        it("refuses them with PERSISTENT_2, even without a DRA", () => {
            assert.deepEqual(fsErrors({ importPath: "s3://b", exportPath: "s3://b/out", autoImportPolicy: "NEW", importedFileChunkSize: 1024 }, 0), [
                "importPath",
                "exportPath",
                "autoImportPolicy",
                "importedFileChunkSize",
            ]);
        });
        it("refuses them with a DRA on another deployment type, accepts them on PERSISTENT_1 without one", () => {
            const p1 = { deploymentType: "PERSISTENT_1", perUnitStorageThroughput: 50, fileSystemTypeVersion: "2.12", metadataConfiguration: undefined, importPath: "s3://b" };
            assert.deepEqual(fsErrors(p1, 1), ["importPath"]);
            assert.deepEqual(fsErrors(p1, 0), []);
        });
    });

    describe("checkLustreChoices (this stack: PERSISTENT_2, SSD, version stated)", () => {
        it("accepts the project's settings, with storageType unset", () => {
            assert.deepEqual(checkLustreChoices({ deploymentType: "PERSISTENT_2", fileSystemTypeVersion: "2.15" }), { errors: [], warnings: [] });
        });
        it("refuses another or no deployment type, another storage type and an unset version", () => {
            assert.deepEqual(checkLustreChoices({ deploymentType: "PERSISTENT_1", storageType: "HDD" }).errors.map((f) => f.path.join(".")), [
                "deploymentType",
                "storageType",
                "fileSystemTypeVersion",
            ]);
            assert.deepEqual(checkLustreChoices({ fileSystemTypeVersion: "2.12" }).errors.map((f) => f.path.join(".")), ["deploymentType"]);
        });
    });

    describe("weeklyMaintenanceStartTime d:HH:MM", () => {
        for (const ok of ["1:00:00", "7:04:00", "5:23:59"]) {
            it(`accepts ${ok}`, () => assert.deepEqual(checkWeeklyMaintenanceStartTime(ok), []));
        }
        for (const bad of ["Sun:04:00", "8:04:00", "0:04:00", "7:24:00", "7:4:00", "7:04", "70400"]) {
            it(`refuses ${bad}`, () => assert.deepEqual(fsErrors({ weeklyMaintenanceStartTime: bad }), ["weeklyMaintenanceStartTime"]));
        }
    });

    it("refuses an unknown compression type or log level, accepts the API values", () => {
        assert.deepEqual(fsErrors({ dataCompressionType: "ZSTD" }), ["dataCompressionType"]);
        assert.deepEqual(fsErrors({ dataCompressionType: "NONE" }), []);
        assert.deepEqual(fsErrors({ logConfiguration: { level: "INFO" } }), ["logConfiguration.level"]);
        assert.deepEqual(fsErrors({ logConfiguration: { level: "ERROR_ONLY" } }), []);
    });

    describe("root squash", () => {
        it("accepts UID:GID and NIDs", () => {
            assert.deepEqual(checkRootSquash({ rootSquash: "65534:65534", noSquashNids: ["10.0.1.6@tcp", "10.0.[2-10].[1-255]@tcp"] }), []);
        });
        it("refuses a malformed UID:GID, NIDs without root squash, a malformed NID", () => {
            assert.deepEqual(checkRootSquash({ rootSquash: "nobody" }).map((f) => f.path.join(".")), ["rootSquash"]);
            assert.deepEqual(checkRootSquash({ rootSquash: "4294967295:0" }).map((f) => f.path.join(".")), ["rootSquash"]);
            assert.deepEqual(checkRootSquash({ noSquashNids: ["10.0.1.6@tcp"] }).map((f) => f.path.join(".")), ["noSquashNids"]);
            assert.deepEqual(checkRootSquash({ rootSquash: "0:0", noSquashNids: ["10.0.1.6"] }).map((f) => f.path.join(".")), ["noSquashNids.0"]);
        });
        it("is checked as part of the file system", () => {
            assert.deepEqual(fsErrors({ rootSquashConfiguration: { rootSquash: "x" } }), ["rootSquashConfiguration.rootSquash"]);
        });
    });
});

describe("lustreRules: data repository associations", () => {
    it("accepts one association of the whole bucket at /", () => {
        assert.deepEqual(checkDataRepositoryAssociations([dra("/", "s3://bucket-a/")]), { errors: [], warnings: [] });
    });

    it("accepts at most 8 associations", () => {
        const eight = Array.from({ length: 8 }, (_, i) => dra(`/d${i}`, `s3://bucket-a/p${i}/`));
        assert.deepEqual(draErrors(eight), []);
        const nine = Array.from({ length: 9 }, (_, i) => dra(`/d${i}`, `s3://bucket-a/p${i}/`));
        assert.deepEqual(draErrors(nine), [""]);
    });

    describe("fileSystemPath form", () => {
        it("refuses a path without the leading slash", () => assert.deepEqual(draErrors([dra("microbiome", "s3://bucket-a/")]), ["0.fileSystemPath"]));
        it("refuses //, . and .. segments", () => {
            for (const bad of ["//x", "/a//b", "/a/../b", "/./a"]) {
                assert.deepEqual(draErrors([dra(bad, "s3://bucket-a/")]), ["0.fileSystemPath"], bad);
            }
        });
        it("accepts /microbiome, /data/raw and /ns1/", () => {
            for (const ok of ["/microbiome", "/data/raw", "/ns1/"]) {
                assert.deepEqual(draErrors([dra(ok, "s3://bucket-a/")]), [], ok);
            }
        });
    });

    describe("nesting", () => {
        it("refuses nested paths", () => assert.deepEqual(draErrors([dra("/a", "s3://b-1/x/"), dra("/a/b", "s3://b-1/y/")]), ["1.fileSystemPath"]));
        it("refuses the same path twice (with and without trailing slash)", () => {
            assert.deepEqual(draErrors([dra("/a/", "s3://b-1/x/"), dra("/a", "s3://b-1/y/")]), ["1.fileSystemPath"]);
        });
        it("accepts siblings that share a name prefix", () => assert.deepEqual(draErrors([dra("/a", "s3://b-1/x/"), dra("/ab", "s3://b-1/y/")]), []));
    });

    it("allows / only as the single association", () => {
        assert.deepEqual(draErrors([dra("/", "s3://b-1/x/"), dra("/a", "s3://b-1/y/")]), ["0.fileSystemPath"]);
        assert.deepEqual(draErrors([dra("/", "s3://b-1/x/")]), []);
    });

    describe("S3 path form", () => {
        for (const ok of ["s3://bucket-a/", "s3://bucket-a", "s3://bucket-a/Analysis_2019/", "s3://bucket-a/a/b"]) {
            it(`accepts ${ok}`, () => assert.deepEqual(draErrors([dra("/x", ok)]), []));
        }
        for (const bad of ["https://bucket-a/x/", "s3://Bad_Bucket/", "s3://bucket-a//x/", "s3:/bucket-a/", "s3://b/"]) {
            it(`refuses ${bad}`, () => assert.deepEqual(draErrors([dra("/x", bad)]), ["0.dataRepositoryPath"]));
        }
        it("parses and builds paths with the trailing slash", () => {
            assert.deepEqual(parseS3Path("s3://bucket-a/x/y"), { bucket: "bucket-a", prefix: "x/y/" });
            assert.deepEqual(parseS3Path("s3://bucket-a"), { bucket: "bucket-a", prefix: "" });
            assert.equal(dataRepositoryPathFor("bucket-a", ""), "s3://bucket-a/");
            assert.equal(dataRepositoryPathFor("bucket-a", "/Analysis_2019/"), "s3://bucket-a/Analysis_2019/");
        });
    });

    describe("overlapping prefixes", () => {
        it("refuses the whole bucket together with a prefix of it", () => assert.deepEqual(draErrors([dra("/a", "s3://b-1/"), dra("/b", "s3://b-1/x/")]), ["1.dataRepositoryPath"]));
        it("refuses nested prefixes and the same prefix", () => {
            assert.deepEqual(draErrors([dra("/a", "s3://b-1/x/"), dra("/b", "s3://b-1/x/y/")]), ["1.dataRepositoryPath"]);
            assert.deepEqual(draErrors([dra("/a", "s3://b-1/x"), dra("/b", "s3://b-1/x/")]), ["1.dataRepositoryPath"]);
        });
        it("accepts sibling prefixes and other buckets", () => {
            assert.deepEqual(draErrors([dra("/a", "s3://b-1/x/"), dra("/b", "s3://b-1/xy/")]), []);
            assert.deepEqual(draErrors([dra("/a", "s3://b-1/"), dra("/b", "s3://b-2/")]), []);
        });
    });

    it("checks importedFileChunkSize 1–512000", () => {
        assert.deepEqual(draErrors([dra("/a", "s3://b-1/", { importedFileChunkSize: 0 })]), ["0.importedFileChunkSize"]);
        assert.deepEqual(draErrors([dra("/a", "s3://b-1/", { importedFileChunkSize: 512001 })]), ["0.importedFileChunkSize"]);
        assert.deepEqual(draErrors([dra("/a", "s3://b-1/", { importedFileChunkSize: 1 })]), []);
        assert.deepEqual(draErrors([dra("/a", "s3://b-1/", { importedFileChunkSize: 512000 })]), []);
    });

    it("checks event names and repeats", () => {
        assert.deepEqual(draErrors([dra("/a", "s3://b-1/", { s3: { autoImportPolicy: { events: ["MODIFIED"] } } })]), ["0.s3.autoImportPolicy.events.0"]);
        assert.deepEqual(draErrors([dra("/a", "s3://b-1/", { s3: { autoExportPolicy: { events: ["NEW", "NEW"] } } })]), ["0.s3.autoExportPolicy.events.1"]);
        assert.deepEqual(draErrors([dra("/a", "s3://b-1/", { s3: { autoExportPolicy: { events: ["NEW"] } } })]), []);
    });

    describe("auto-import only from a bucket in the file system's Region", () => {
        const ctx = { fileSystemRegion: "us-east-1", bucketRegions: ["eu-west-1"] };
        it("refuses auto-import across Regions", () => assert.deepEqual(draErrors([dra("/a", "s3://b-1/")], ctx), ["0.s3.autoImportPolicy"]));
        it("accepts auto-export only across Regions", () => {
            assert.deepEqual(draErrors([dra("/a", "s3://b-1/", { s3: { autoExportPolicy: { events: ["NEW"] } } })], ctx), []);
        });
        it("accepts auto-import in the same Region", () => {
            assert.deepEqual(draErrors([dra("/a", "s3://b-1/")], { fileSystemRegion: "us-east-1", bucketRegions: ["us-east-1"] }), []);
        });
    });

    it("refuses deleteDataInFilesystem: true", () => {
        assert.deepEqual(draErrors([dra("/a", "s3://b-1/", { deleteDataInFilesystem: true })]), ["0.deleteDataInFilesystem"]);
        assert.deepEqual(draErrors([dra("/a", "s3://b-1/", { deleteDataInFilesystem: false })]), []);
    });

    it("warns about an association that neither imports nor exports", () => {
        const r = checkDataRepositoryAssociations([dra("/a", "s3://b-1/", { s3: { autoImportPolicy: { events: [] }, autoExportPolicy: { events: [] } } })]);
        assert.deepEqual(r.errors, []);
        assert.deepEqual(r.warnings.map((w) => w.path.join(".")), ["0.s3"]);
    });

    it("skips S3 path checks for a path not known yet", () => {
        assert.deepEqual(draErrors([dra("/a"), dra("/b")]), []);
    });
});

describe("lustreRules: PERSISTENT_2 Region availability (warning with override)", () => {
    it("says nothing for a confirmed Region", () => assert.deepEqual(checkPersistent2Region("us-east-1", false), []));
    it("warns for another Region", () => {
        const [w] = checkPersistent2Region("ap-southeast-2", false);
        assert.deepEqual(w.path, ["persistent2RegionOverride"]);
        assert.match(w.message, /ap-southeast-2/);
    });
    it("is silenced by the override", () => assert.deepEqual(checkPersistent2Region("ap-southeast-2", true), []));
});

describe("lustreRules: security group ingress", () => {
    const full = [
        { ipProtocol: "tcp", fromPort: 988, toPort: 988, fromSelf: true },
        { ipProtocol: "tcp", fromPort: 1018, toPort: 1023, fromSelf: true },
    ];
    it("accepts TCP 988 and 1018–1023 from itself", () => assert.deepEqual(checkLustreIngress(full), []));
    it("accepts all traffic from itself", () => assert.deepEqual(checkLustreIngress([{ ipProtocol: "-1", fromSelf: true }]), []));
    it("refuses a missing 988", () => {
        const found = checkLustreIngress(full.slice(1));
        assert.equal(found.length, 1);
        assert.match(found[0].message, /TCP 988/);
    });
    it("refuses an incomplete 1018–1023 range", () => {
        const found = checkLustreIngress([full[0], { ipProtocol: "tcp", fromPort: 1018, toPort: 1022, fromSelf: true }]);
        assert.equal(found.length, 1);
        assert.match(found[0].message, /missing: 1023/);
    });
    it("refuses the ports from another group only, or over UDP", () => {
        assert.equal(checkLustreIngress(full.map((r) => ({ ...r, fromSelf: false }))).length, 2);
        assert.equal(checkLustreIngress(full.map((r) => ({ ...r, ipProtocol: "udp" }))).length, 2);
    });
    it("reads aws.vpc.SecurityGroupIngressRule inputs", () => {
        const rules = [
            { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 988, toPort: 988, referencedSecurityGroupId: "sg-1" },
            { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 1018, toPort: 1023, referencedSecurityGroupId: "sg-1" },
            { securityGroupId: "sg-2", ipProtocol: "-1", referencedSecurityGroupId: "sg-2" },
        ];
        assert.deepEqual(checkLustreIngress(ingressFactsFromVpcRules("sg-1", rules)), []);
        assert.equal(checkLustreIngress(ingressFactsFromVpcRules("sg-1", rules.map((r) => ({ ...r, referencedSecurityGroupId: "sg-9" })))).length, 2);
    });
    it("reads inline aws.ec2.SecurityGroup ingress blocks", () => {
        assert.deepEqual(checkLustreIngress(ingressFactsFromInlineRules(undefined, [{ protocol: "tcp", fromPort: 988, toPort: 1023, self: true }])), []);
        assert.equal(checkLustreIngress(ingressFactsFromInlineRules("sg-1", [{ protocol: "tcp", fromPort: 988, toPort: 1023, securityGroups: ["sg-2"] }])).length, 2);
    });
});

describe("lustreRules: replacingChanges (Terraform ForceNew set)", () => {
    const deployed: LustreReplacementFacts = {
        subnetIds: "subnet-0123456789abcdef0",
        securityGroupIds: ["pulumi:fsx-lustre"],
        deploymentType: "PERSISTENT_2",
        storageType: "SSD",
        storageCapacity: 2400,
        fileSystemTypeVersion: "2.15",
        metadataConfiguration: { mode: "USER_PROVISIONED", iops: 6000 },
        dataRepositoryAssociations: [{ fileSystemPath: "/microbiome", dataRepositoryPath: "s3://b-1/" }],
    };
    const changed = (next: Partial<LustreReplacementFacts>) =>
        replacingChanges(deployed, { ...deployed, ...next }).map((c) => `${c.path.join(".")}:${c.replaces ? "replaces" : "in place"}`);

    it("finds nothing when nothing changed", () => assert.deepEqual(replacingChanges(deployed, { ...deployed, securityGroupIds: [...deployed.securityGroupIds] }), []));
    it("subnet, security groups, KMS key, deployment and storage type replace", () => {
        assert.deepEqual(changed({ subnetIds: "subnet-0fedcba9876543210" }), ["subnetIds:replaces"]);
        assert.deepEqual(changed({ securityGroupIds: ["pulumi:fsx-lustre", "sg-0123456789abcdef0"] }), ["securityGroupIds:replaces"]);
        assert.deepEqual(changed({ kmsKeyId: "arn:aws:kms:us-east-1:111111111111:key/abc" }), ["kmsKeyId:replaces"]);
        assert.deepEqual(changed({ deploymentType: "PERSISTENT_1" }), ["deploymentType:replaces"]);
        assert.deepEqual(changed({ storageType: "HDD" }), ["storageType:replaces"]);
        assert.deepEqual(changed({ copyTagsToBackups: true }), ["copyTagsToBackups:replaces"]);
    });
    it("the order of security groups does not matter", () => {
        const two = { ...deployed, securityGroupIds: ["a", "b"] };
        assert.deepEqual(replacingChanges(two, { ...two, securityGroupIds: ["b", "a"] }), []);
    });
    it("a capacity decrease replaces, an increase does not", () => {
        assert.deepEqual(changed({ storageCapacity: 1200 }), ["storageCapacity:replaces"]);
        assert.deepEqual(changed({ storageCapacity: 4800 }), ["storageCapacity:in place"]);
    });
    it("a version downgrade replaces, an upgrade does not", () => {
        assert.deepEqual(changed({ fileSystemTypeVersion: "2.12" }), ["fileSystemTypeVersion:replaces"]);
        assert.deepEqual(replacingChanges({ ...deployed, fileSystemTypeVersion: "2.12" }, deployed).map((c) => c.replaces), [false]);
    });
    it("lower metadata IOPS replace, higher do not", () => {
        assert.deepEqual(changed({ metadataConfiguration: { mode: "USER_PROVISIONED", iops: 3000 } }), ["metadataConfiguration:replaces"]);
        assert.deepEqual(changed({ metadataConfiguration: { mode: "USER_PROVISIONED", iops: 12000 } }), ["metadataConfiguration:in place"]);
    });
    it("a DRA path change or removal replaces the association; a new DRA does not", () => {
        assert.deepEqual(changed({ dataRepositoryAssociations: [{ fileSystemPath: "/microbiome", dataRepositoryPath: "s3://b-1/other/" }] }), [
            "dataRepositoryAssociations.0.dataRepositoryPath:replaces",
        ]);
        assert.deepEqual(changed({ dataRepositoryAssociations: [{ fileSystemPath: "/renamed", dataRepositoryPath: "s3://b-1/" }] }), [
            "dataRepositoryAssociations.0:replaces",
            "dataRepositoryAssociations:in place",
        ]);
        assert.deepEqual(changed({ dataRepositoryAssociations: [...deployed.dataRepositoryAssociations, { fileSystemPath: "/new", dataRepositoryPath: "s3://b-2/" }] }), [
            "dataRepositoryAssociations:in place",
        ]);
    });
});

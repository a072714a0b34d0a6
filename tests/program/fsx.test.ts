/**
 * The real program under mocks (the offline preview of the committed dev and prod stacks, and of
 * variants written to temporary stack files): the file system layer — network, security groups,
 * FSx for Lustre, data repository associations, outputs — and the refusals with exit code 2.
 */
import { strict as assert } from "node:assert";
import { checkLustreIngress, ingressFactsFromVpcRules } from "../../components/fsx/rules";
import type { PreviewDocument } from "../../tools/offline/render";
import type { StepState } from "../../tools/offline/run";
import { onlyResource, previewStack, previewVariant, previewVariantDocument, resourceNamed, resourcesOfType, stackConfig } from "../helpers/preview";

const FS = "aws:fsx/lustreFileSystem:LustreFileSystem";
const DRA = "aws:fsx/dataRepositoryAssociation:DataRepositoryAssociation";
const VPC = "awsx:ec2:Vpc";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";

/** The security group id a rule's inputs name, for rules of a preview. */
function ruleInputs(doc: PreviewDocument, type: string) {
    return resourcesOfType(doc, type).map((r) => r.inputs as { securityGroupId: string; ipProtocol: string; fromPort?: number; toPort?: number; referencedSecurityGroupId?: string });
}

/** The id the mocks gave a resource (its URN is what dependencies name; ids appear in inputs). */
function fileSystemSecurityGroupId(doc: PreviewDocument): string {
    return (onlyResource(doc, FS).inputs.securityGroupIds as string[])[0];
}

/** The fsx section of a stack config (to edit in place). */
function fsxOf(config: Record<string, unknown>): Record<string, unknown> {
    return config["microbiome-backup:fsx"] as Record<string, unknown>;
}

describe("program: the file system layer in prod", function () {
    let doc: PreviewDocument;
    before(() => {
        doc = previewStack("prod");
    });

    it("declares one PERSISTENT_2 SSD 2.15 file system without backups, retained and protected", () => {
        const fsx = onlyResource(doc, FS);
        assert.equal(fsx.inputs.deploymentType, "PERSISTENT_2");
        assert.equal(fsx.inputs.storageType, "SSD");
        assert.equal(fsx.inputs.fileSystemTypeVersion, "2.15");
        assert.equal(fsx.inputs.automaticBackupRetentionDays, 0);
        assert.equal(fsx.inputs.storageCapacity, 1200);
        assert.equal(fsx.inputs.perUnitStorageThroughput, 125);
        assert.equal(fsx.inputs.dataCompressionType, "LZ4");
        assert.deepEqual(fsx.inputs.metadataConfiguration, { mode: "AUTOMATIC" });
        assert.equal(fsx.inputs.weeklyMaintenanceStartTime, "7:04:00");
        assert.equal(fsx.protect, true);
        assert.equal(fsx.retainOnDelete, true);
        assert.deepEqual(fsx.customTimeouts, { create: "90m", update: "3h", delete: "1h" });
    });

    it("logs WARN_ERROR to the stack's /aws/fsx log group", () => {
        const logGroup = resourceNamed(doc, "aws:cloudwatch/logGroup:LogGroup", "fsx-logs");
        assert.equal(logGroup.inputs.name, "/aws/fsx/microbiome-backup-prod");
        const log = onlyResource(doc, FS).inputs.logConfiguration as { level: string; destination: string };
        assert.equal(log.level, "WARN_ERROR");
        assert.match(log.destination, /:log-group:\/aws\/fsx\/microbiome-backup-prod$/);
    });

    it("links the whole bucket at /microbiome with import and export events, keeping files on delete", () => {
        const dra = onlyResource(doc, DRA);
        assert.equal(dra.inputs.fileSystemPath, "/microbiome");
        assert.equal(dra.inputs.dataRepositoryPath, "s3://3bigsmicrobiome/");
        assert.equal(dra.inputs.fileSystemId, (doc.outputs as { fsxFileSystemId: string }).fsxFileSystemId);
        assert.deepEqual(dra.inputs.s3, {
            autoImportPolicy: { events: ["NEW", "CHANGED", "DELETED"] },
            autoExportPolicy: { events: ["NEW", "CHANGED", "DELETED"] },
        });
        assert.equal(dra.inputs.deleteDataInFilesystem, false);
        assert.equal(dra.inputs.batchImportMetaDataOnCreate, true);
        assert.equal(dra.customTimeouts?.create, "6h");
        // The path comes from the bucket's name output: the association depends on the bucket.
        assert.ok(dra.dependencies.includes(resourceNamed(doc, "aws:s3/bucket:Bucket", "backup").urn));
    });

    it("lets Lustre in from the file system's own security group (TCP 988, 1018–1023)", () => {
        const sg = fileSystemSecurityGroupId(doc);
        assert.deepEqual(checkLustreIngress(ingressFactsFromVpcRules(sg, ruleInputs(doc, INGRESS))), []);
    });

    it("creates the client security group, with Lustre both ways between it and the file system", () => {
        const fsSg = fileSystemSecurityGroupId(doc);
        const clientSg = (doc.outputs as { fsxClientSecurityGroupId: string }).fsxClientSecurityGroupId;
        assert.match(clientSg, /^sg-/);
        assert.notEqual(clientSg, fsSg);
        const ports = (rules: ReturnType<typeof ruleInputs>, group: string, peer: string) =>
            rules.filter((r) => r.securityGroupId === group && r.referencedSecurityGroupId === peer).map((r) => `${r.ipProtocol}:${r.fromPort}-${r.toPort}`).sort();
        const lustre = ["tcp:1018-1023", "tcp:988-988"];
        assert.deepEqual(ports(ruleInputs(doc, INGRESS), fsSg, clientSg), lustre);
        assert.deepEqual(ports(ruleInputs(doc, EGRESS), fsSg, clientSg), lustre);
        assert.deepEqual(ports(ruleInputs(doc, INGRESS), clientSg, fsSg), lustre);
        assert.deepEqual(ports(ruleInputs(doc, EGRESS), clientSg, fsSg), lustre);
        // No rule opens anything to an address range.
        for (const r of [...resourcesOfType(doc, INGRESS), ...resourcesOfType(doc, EGRESS)]) {
            if (r.urn.includes("fsx")) assert.equal(r.inputs.cidrIpv4, undefined, r.urn);
        }
    });

    it("creates the file system only after its security group rules", () => {
        const fsx = onlyResource(doc, FS);
        const rules = [...resourcesOfType(doc, INGRESS), ...resourcesOfType(doc, EGRESS)].filter((r) => r.urn.includes("fsx-lustre-"));
        assert.equal(rules.length, 8);
        for (const rule of rules) assert.ok(fsx.dependencies.includes(rule.urn), rule.urn);
    });

    it("builds the VPC with awsx: one AZ, private + public subnets, one NAT gateway", () => {
        const vpc = onlyResource(doc, VPC);
        assert.equal(vpc.remote, true);
        assert.deepEqual(vpc.inputs.availabilityZoneNames, ["us-east-1a"]);
        assert.equal(vpc.inputs.cidrBlock, "10.42.0.0/16");
        assert.deepEqual(vpc.inputs.subnetSpecs, [
            { type: "Private", cidrMask: 17 },
            { type: "Public", cidrMask: 18 },
        ]);
        assert.deepEqual(vpc.inputs.natGateways, { strategy: "Single" });
        assert.equal(vpc.inputs.enableDnsHostnames, true);
    });

    it("puts the file system in the VPC's private subnet and exports it with the VPC id", () => {
        const out = doc.outputs as Record<string, string>;
        assert.match(out.subnetId, /^subnet-/);
        assert.equal(onlyResource(doc, FS).inputs.subnetIds, out.subnetId);
        assert.match(out.vpcId, /^vpc-/);
        for (const sg of resourcesOfType(doc, "aws:ec2/securityGroup:SecurityGroup")) {
            assert.equal(sg.inputs.vpcId, out.vpcId, sg.urn);
        }
    });

    it("adds an S3 gateway endpoint on the route tables of the VPC", () => {
        const endpoints = resourcesOfType(doc, ENDPOINT);
        assert.equal(endpoints.length, 1);
        const s3 = endpoints[0];
        assert.equal(s3.inputs.serviceName, "com.amazonaws.us-east-1.s3");
        assert.equal(s3.inputs.vpcEndpointType, "Gateway");
        assert.equal((s3.inputs.routeTableIds as string[]).length, 2);
        assert.ok(s3.dependencies.includes(onlyResource(doc, VPC).urn));
    });

    it("exports the file system id, DNS name, mount name, mount command and fstab line", () => {
        const out = doc.outputs as Record<string, string>;
        assert.match(out.fsxFileSystemId, /^fs-/);
        assert.equal(out.fsxDnsName, `${out.fsxFileSystemId}.fsx.us-east-1.amazonaws.com`);
        assert.ok(out.fsxMountName);
        const device = `${out.fsxDnsName}@tcp:/${out.fsxMountName}`;
        assert.equal(out.fsxFstabLine, `${device} /fsx lustre defaults,noatime,flock,_netdev,nofail 0 0`);
        assert.equal(out.fsxMountCommand, `sudo mkdir -p /fsx && sudo mount -t lustre -o noatime,flock ${device} /fsx`);
    });

    it("exports the replacement-sensitive settings, equal to the committed guard", () => {
        const guard = (stackConfig("prod")["microbiome-backup:fsx"] as Record<string, unknown>).replacementGuard;
        assert.deepEqual((doc.outputs as { fsxReplacementGuard: unknown }).fsxReplacementGuard, guard);
    });

    it("raises no warning about the file system (prod's only warning is the archive hold, tests/archiveHold.test.ts)", () => {
        assert.deepEqual(
            doc.diagnostics.filter((d) => !d.message.startsWith("archive transitions held")),
            [],
        );
    });
});

describe("program: the file system layer in dev", function () {
    let doc: PreviewDocument;
    before(() => {
        doc = previewStack("dev");
    });

    it("uses the smallest file system, neither protected nor retained (pulumi destroy deletes it, and its network interfaces)", () => {
        const fsx = onlyResource(doc, FS);
        assert.equal(fsx.inputs.storageCapacity, 1200);
        assert.equal(fsx.inputs.perUnitStorageThroughput, 125);
        assert.equal(fsx.protect, false);
        assert.equal(fsx.retainOnDelete, false);
    });

    it("runs without NAT and reaches Session Manager through interface endpoints", () => {
        assert.deepEqual(onlyResource(doc, VPC).inputs.natGateways, { strategy: "None" });
        const services = resourcesOfType(doc, ENDPOINT).map((e) => `${String(e.inputs.vpcEndpointType)}:${String(e.inputs.serviceName)}`).sort();
        assert.deepEqual(services, [
            "Gateway:com.amazonaws.us-east-1.s3",
            "Interface:com.amazonaws.us-east-1.ec2messages",
            "Interface:com.amazonaws.us-east-1.ssm",
            "Interface:com.amazonaws.us-east-1.ssmmessages",
        ]);
        const out = doc.outputs as Record<string, string>;
        for (const e of resourcesOfType(doc, ENDPOINT).filter((x) => x.inputs.vpcEndpointType === "Interface")) {
            assert.deepEqual(e.inputs.subnetIds, [out.subnetId]);
            assert.equal(e.inputs.privateDnsEnabled, true);
        }
        const https = resourceNamed(doc, INGRESS, "network-endpoints-https");
        assert.equal(https.inputs.cidrIpv4, "10.42.0.0/16");
        assert.equal(https.inputs.fromPort, 443);
    });

    it("creates its two associations one after the other, the second export-only", () => {
        const analysis = resourceNamed(doc, DRA, "fsx-dra-analysis");
        const staging = resourceNamed(doc, DRA, "fsx-dra-staging");
        assert.equal(analysis.inputs.dataRepositoryPath, "s3://microbiome-backup-dev-111111111111/analysis/");
        assert.ok(staging.dependencies.includes(analysis.urn));
        assert.deepEqual(staging.inputs.s3, { autoExportPolicy: { events: ["NEW", "CHANGED", "DELETED"] } });
    });

    it("raises no warning: without NAT, dev's only sync source is an S3 bucket in its own Region", () => {
        assert.deepEqual(doc.diagnostics, []);
    });
});

describe("program: file system layer variants (temporary stack files)", function () {
    it("fsx.enabled: false removes the network and the file system but not the bucket", () => {
        const dev = previewStack("dev");
        const off = previewVariantDocument("dev", (c) => {
            c["microbiome-backup:fsx"] = { enabled: false };
            c["microbiome-backup:syncHost"] = { enabled: false };
        });
        const types = new Set(off.steps.map((s) => s.newState.type));
        for (const t of [FS, DRA, VPC, ENDPOINT, "aws:ec2/securityGroup:SecurityGroup"]) assert.ok(!types.has(t), t);
        const bucketSteps = (d: PreviewDocument) =>
            d.steps.filter((s) => s.newState.type.startsWith("aws:s3/")).map((s) => JSON.stringify([s.urn, s.newState.inputs, s.newState.protect, s.newState.retainOnDelete]));
        assert.deepEqual(bucketSteps(off), bucketSteps(dev));
        assert.equal((off.outputs as { fsxEnabled: boolean }).fsxEnabled, false);
    });

    it("uses an existing VPC and subnet as given, with the S3 endpoint on the subnet's route table", () => {
        const doc = previewVariantDocument("dev", (c) => {
            c["microbiome-backup:network"] = {
                existing: { vpcId: "vpc-0123456789abcdef0", subnetId: "subnet-0123456789abcdef0" },
                s3GatewayEndpoint: true,
                interfaceEndpoints: ["ssm"],
            };
            delete fsxOf(c).replacementGuard;
        });
        assert.equal(resourcesOfType(doc, VPC).length, 0);
        assert.equal(onlyResource(doc, FS).inputs.subnetIds, "subnet-0123456789abcdef0");
        const s3 = resourcesOfType(doc, ENDPOINT).find((e: StepState) => e.inputs.vpcEndpointType === "Gateway");
        assert.ok(s3);
        assert.equal(s3.inputs.vpcId, "vpc-0123456789abcdef0");
        assert.match((s3.inputs.routeTableIds as string[])[0], /^rtb-[0-9a-f]{17}$/); // from the getRouteTables look-up
        // HTTPS to the endpoints from the existing VPC's CIDR (getVpc look-up).
        assert.equal(resourceNamed(doc, INGRESS, "network-endpoints-https").inputs.cidrIpv4, "10.0.0.0/16");
        assert.equal((doc.outputs as { vpcId: string }).vpcId, "vpc-0123456789abcdef0");
    });

    describe("invalid values exit 2 and name the key, the value and the rule", () => {
        const refused = (edit: (fsx: Record<string, unknown>) => void, key: string, value: string, rule: RegExp) => {
            const run = previewVariant("prod", (c) => edit(fsxOf(c)));
            assert.equal(run.status, 2, run.stdout + run.stderr);
            const line = run.stderr.split("\n").find((l) => l.includes(`${key} = ${value}:`));
            assert.ok(line, `no line for ${key} = ${value} in:\n${run.stderr}`);
            assert.match(line, rule);
            assert.doesNotMatch(run.stderr, /\n\s+at /); // no stack trace
        };

        it("capacity 1000", () => {
            refused((f) => (f.storageCapacity = 1000), "microbiome-backup:fsx.storageCapacity", "1000", /1200 GiB or a multiple of 2400/);
        });
        it("throughput 200", () => {
            refused((f) => (f.perUnitStorageThroughput = 200), "microbiome-backup:fsx.perUnitStorageThroughput", "200", /125, 250, 500, 1000/);
        });
        it("a path without the leading slash", () => {
            refused(
                (f) => ((f.dataRepositoryAssociations as Record<string, unknown>[])[0].fileSystemPath = "microbiome"),
                "microbiome-backup:fsx.dataRepositoryAssociations[0].fileSystemPath",
                '"microbiome"',
                /must start with \//,
            );
        });
        it("two nested paths", () => {
            refused(
                (f) => {
                    f.dataRepositoryAssociations = [
                        { fileSystemPath: "/microbiome", prefix: "a" },
                        { fileSystemPath: "/microbiome/raw", prefix: "b" },
                    ];
                },
                "microbiome-backup:fsx.dataRepositoryAssociations[1].fileSystemPath",
                '"/microbiome/raw"',
                /nested with dataRepositoryAssociations\[0\]/,
            );
        });
        it("backups with a DRA", () => {
            refused((f) => (f.automaticBackupRetentionDays = 7), "microbiome-backup:fsx.automaticBackupRetentionDays", "7", /must be 0/);
        });
    });

    describe("the replacement guard in the preview", () => {
        const moveSubnet = (c: Record<string, unknown>) => {
            (c["microbiome-backup:network"] as Record<string, unknown>).availabilityZone = "us-east-1b";
        };

        it("refuses a change that would replace the file system (exit 2)", () => {
            const run = previewVariant("prod", moveSubnet);
            assert.equal(run.status, 2, run.stdout + run.stderr);
            assert.match(run.stderr, /microbiome-backup:fsx\.replacementGuard\.subnetIds = "awsx-vpc 10\.42\.0\.0\/16 us-east-1a layout-1": .*us-east-1b.*allowDataReplacement is false/);
        });

        it("lets it through with allowDataReplacement, flagged as a warning", () => {
            const doc = previewVariantDocument("prod", (c) => {
                moveSubnet(c);
                c["microbiome-backup:allowDataReplacement"] = true;
            });
            assert.ok(doc.diagnostics.some((d) => d.severity === "warning" && /replacementGuard\.subnetIds.*ALLOWED by allowDataReplacement/.test(d.message)));
        });
    });
});

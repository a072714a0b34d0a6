/**
 * The human view of the offline preview reads like `pulumi preview`: short type tokens as the CLI
 * prints them, tree glyphs, the awsx VPC's children as awsx would create them for this config,
 * diagnostics before outputs, short output lines, the summary last — checked on the real program's
 * output for the committed stacks (and a variant with a warning).
 */
import { strict as assert } from "node:assert";
import { displayTypeName } from "../../tools/offline/render";
import { awsxVpcLayout } from "../../tools/offline/awsxVpc";
import { previewStack, previewVariant, previewVariantDocument, resourceNamed, runPreview } from "../helpers/preview";

/** The lines of the Outputs section (up to the next blank line). */
function outputLines(stdout: string): string[] {
    const lines = stdout.split("\n");
    const start = lines.indexOf("Outputs:");
    assert.ok(start >= 0, "the human view has an Outputs section");
    const end = lines.indexOf("", start);
    return lines.slice(start + 1, end);
}

describe("offline preview: type tokens as the Pulumi CLI shows them", () => {
    // The cases of pulumi/pulumi's sdk/go/common/tokens/tokens_test.go TestTypeDisplayName, plus this stack's.
    const cases: [string, string][] = [
        ["incomplete", "incomplete"],
        ["pkg:mod:", "pkg:mod:"],
        ["pkg:mod:typ", "pkg:mod:typ"],
        ["pkg:Mod/foo:typ", "pkg:Mod/foo:typ"],
        ["pkg:mod/foo/bar:Bar", "pkg:mod/foo:Bar"],
        ["pkg:mod/foo/bar/baz:Baz", "pkg:mod/foo/bar:Baz"],
        ["aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "aws:s3:BucketServerSideEncryptionConfiguration"],
        ["aws:index/getCallerIdentity:getCallerIdentity", "aws:index:getCallerIdentity"],
        ["awsx:ec2:Vpc", "awsx:ec2:Vpc"],
        ["pulumi:providers:aws", "pulumi:providers:aws"],
    ];
    for (const [give, want] of cases) {
        it(`${give} → ${want}`, () => assert.equal(displayTypeName(give), want));
    }
});

describe("offline preview: awsx VPC layout (awsx's subnet allocator, by hand)", () => {
    it("a /16 in one AZ with private /17 and public /18 (this project's layout)", () => {
        const layout = awsxVpcLayout("network-vpc", {
            cidrBlock: "10.42.0.0/16",
            availabilityZoneNames: ["us-east-1a"],
            subnetStrategy: "Auto",
            subnetSpecs: [{ type: "Private", cidrMask: 17 }, { type: "Public", cidrMask: 18 }],
            natGateways: { strategy: "Single" },
        });
        assert.ok(!("unsupported" in layout));
        // private: the first /17 of the AZ block; public: the /18 after the private block's last address.
        assert.deepEqual(layout.subnets.map((s) => [s.name, s.cidrBlock, s.availabilityZone]), [
            ["network-vpc-private-1", "10.42.0.0/17", "us-east-1a"],
            ["network-vpc-public-1", "10.42.128.0/18", "us-east-1a"],
        ]);
        // vpc, igw, 2 × (subnet, route table, association, route), eip + nat gateway = 12
        assert.equal(layout.children.length, 12);
        assert.deepEqual(layout.children.filter((c) => c.type === "aws:ec2/natGateway:NatGateway").map((c) => c.name), ["network-vpc-1"]);
    });

    it("awsx's default layout: 10.0.0.0/16 over three AZs, no subnetSpecs", () => {
        const layout = awsxVpcLayout("v", { cidrBlock: "10.0.0.0/16", subnetStrategy: "Auto" }, "us-east-1");
        assert.ok(!("unsupported" in layout));
        // AZ block /18 (16 + ceil(log2 3)); private /19 and public /20 inside each, per awsx's defaultSubnetInputs.
        assert.deepEqual(layout.subnets.map((s) => `${s.name} ${s.cidrBlock}`), [
            "v-private-1 10.0.0.0/19",
            "v-public-1 10.0.32.0/20",
            "v-private-2 10.0.64.0/19",
            "v-public-2 10.0.96.0/20",
            "v-private-3 10.0.128.0/19",
            "v-public-3 10.0.160.0/20",
        ]);
        // OnePerAz by default: three EIPs and NAT gateways
        assert.equal(layout.children.filter((c) => c.type === "aws:ec2/natGateway:NatGateway").length, 3);
    });

    it("refuses what it does not reproduce (the Legacy allocator)", () => {
        assert.deepEqual(awsxVpcLayout("v", { cidrBlock: "10.0.0.0/16" }, "us-east-1"), { unsupported: "subnetStrategy Legacy" });
    });
});

describe("offline preview: the human view of prod", () => {
    let stdout = "";
    before(() => {
        const run = runPreview(["--stack", "prod"]);
        assert.equal(run.status, 0, run.stderr);
        stdout = run.stdout;
    });

    it("prints no full module/resource:Resource type token", () => {
        assert.doesNotMatch(stdout, /\b[a-z0-9-]+:[a-z0-9]+\/[a-zA-Z0-9]+:[A-Z][A-Za-z0-9]*/);
        assert.match(stdout, /├─ aws:s3:BucketServerSideEncryptionConfiguration\s+backup-encryption/);
    });

    it("lists the awsx VPC's children for prod's network (10.42.0.0/16, us-east-1a, one NAT gateway)", () => {
        const child = (type: string, name: string, detail = "") =>
            assert.match(stdout, new RegExp(`\\+\\s+[│ ]*[├└]─ ${type}\\s+${name}\\s+create\\s+\\(awsx child, computed\\)${detail}`), `${type} ${name}`);
        child("aws:ec2:Vpc", "network-vpc", " 10\\.42\\.0\\.0/16");
        child("aws:ec2:InternetGateway", "network-vpc");
        child("aws:ec2:Subnet", "network-vpc-private-1", " 10\\.42\\.0\\.0/17 us-east-1a");
        child("aws:ec2:Subnet", "network-vpc-public-1", " 10\\.42\\.128\\.0/18 us-east-1a");
        for (const name of ["network-vpc-private-1", "network-vpc-public-1"]) {
            child("aws:ec2:RouteTable", name);
            child("aws:ec2:RouteTableAssociation", name);
            child("aws:ec2:Route", name);
        }
        child("aws:ec2:Eip", "network-vpc-1");
        child("aws:ec2:NatGateway", "network-vpc-1");
        assert.match(stdout, /\+ \d+ to create \(12 of them awsx children, computed\)/);
    });

    it("keeps every outputs line within 200 characters and summarises JSON documents", () => {
        const lines = outputLines(stdout);
        assert.ok(lines.length > 10);
        for (const line of lines) assert.ok([...line].length <= 200, `${[...line].length} chars: ${line}`);
        assert.match(stdout, /drBucketPolicyJson\s*: <policy JSON, \d+ statement\(s\): DenyInsecureTransport/);
    });

    it("has one legend line, then policies and outputs, and the summary last", () => {
        const lines = stdout.trimEnd().split("\n");
        assert.equal(lines.filter((l) => l.startsWith("Info: [protect]")).length, 1);
        assert.ok(lines.indexOf("Policies:") < lines.indexOf("Outputs:"));
        assert.ok(lines.indexOf("Outputs:") < lines.indexOf("Resources:"));
        assert.match(lines[lines.length - 1], /^ {4}\d+ changes$/);
    });
});

describe("offline preview: mocked network values follow the stack config", () => {
    for (const stack of ["dev", "prod"]) {
        it(`${stack}: the sync host's Lustre egress rules name the file system's subnet inside the configured 10.42.0.0/16`, () => {
            const doc = previewStack(stack);
            for (const name of ["sync-host-egress-lustre-988", "sync-host-egress-lustre-1018"]) {
                const rule = resourceNamed(doc, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", name);
                // network.cidrBlock 10.42.0.0/16 → the private subnet is its first half
                assert.equal(rule.inputs.cidrIpv4, "10.42.0.0/17");
            }
        });
    }

    it("another network.cidrBlock (10.7.0.0/16) moves them with it: the mocks follow the config, not the committed stacks", () => {
        const doc = previewVariantDocument("dev", (c) => {
            const network = c["microbiome-backup:network"] as Record<string, unknown>;
            network.cidrBlock = "10.7.0.0/16";
            const fsx = c["microbiome-backup:fsx"] as Record<string, unknown>;
            const guard = fsx.replacementGuard as Record<string, unknown> | undefined;
            if (guard) guard.subnetIds = String(guard.subnetIds).replace("10.42.0.0/16", "10.7.0.0/16");
        });
        for (const name of ["sync-host-egress-lustre-988", "sync-host-egress-lustre-1018"]) {
            assert.equal(resourceNamed(doc, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", name).inputs.cidrIpv4, "10.7.0.0/17");
        }
    });
});

describe("offline preview: diagnostics come before outputs", () => {
    it("a lifecycle warning is printed under Diagnostics, above Outputs", () => {
        const run = previewVariant("dev", (config) => {
            const bucket = config["microbiome-backup:bucket"] as Record<string, unknown>;
            bucket.lifecycle = { ...(bucket.lifecycle as object), tiers: [{ days: 90, storageClass: "GLACIER_IR" }, { days: 120, storageClass: "DEEP_ARCHIVE" }] };
        });
        assert.equal(run.status, 0, run.stderr);
        const lines = run.stdout.split("\n");
        const diagnostics = lines.indexOf("Diagnostics:");
        assert.ok(diagnostics > 0, "a Diagnostics section");
        assert.match(lines[diagnostics + 1], /^ {2}pulumi:pulumi:Stack \(microbiome-backup-dev\):$/);
        assert.match(lines[diagnostics + 2], /^ {4}warning: .*early-deletion charge/);
        assert.ok(diagnostics < lines.indexOf("Outputs:"));
    });
});

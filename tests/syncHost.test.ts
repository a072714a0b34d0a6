/**
 * SyncHost under Pulumi mocks with the dev and prod stack configuration, through the fixture
 * program (tests/fixtures/syncHostProgram.ts) until the lead wires the component into index.ts.
 * These are the "done when" checks; after wiring, point them at previewStack(stack).
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { HOST_PATHS } from "../components/syncHostUserData";
import { previewFixture } from "./helpers/fixturePreview";
import { onlyResource, resourcesOfType, runPreview } from "./helpers/preview";
import { requireTool, run, tempDir } from "./helpers/tools";

const PROGRAM = "tests/fixtures/syncHostProgram.ts";

for (const stack of ["dev", "prod"]) {
    describe(`SyncHost under mocks (${stack} config, fixture program)`, () => {
        const doc = () => previewFixture(PROGRAM, stack);
        const instance = () => onlyResource(doc(), "aws:ec2/instance:Instance");

        it("instance: IMDSv2 required with hop limit 1, no key pair, no public IP, encrypted gp3 root volume", () => {
            const inputs = instance().inputs;
            assert.deepEqual(inputs.metadataOptions, { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" });
            assert.equal("keyName" in inputs, false);
            assert.equal(inputs.associatePublicIpAddress, false);
            assert.deepEqual(inputs.rootBlockDevice, { deleteOnTermination: true, encrypted: true, volumeSize: stack === "prod" ? 32 : 16, volumeType: "gp3" });
            assert.equal(inputs.instanceType, "c6in.large");
            assert.equal(inputs.userDataReplaceOnChange, true);
            assert.deepEqual(instance().ignoreChanges, ["ami"]);
        });

        it("instance: runs in the file system's subnet with its own group and the Lustre client group, on the looked-up AL2023 AMI", () => {
            const inputs = instance().inputs;
            assert.equal(inputs.subnetId, "subnet-0a1b2c3d4e5f60718");
            const groups = inputs.vpcSecurityGroupIds as string[];
            assert.equal(groups.length, 2);
            assert.ok(groups.includes("sg-0c11e7c11e7c11e70"));
            assert.equal(inputs.ami, "ami-0123456789abcdef0", "the AMI id the aws:ec2/getAmi lookup answered");
        });

        it("user data: #cloud-config that cloud-init's schema validator accepts", () => {
            requireTool("cloud-init");
            const userData = instance().inputs.userData as string;
            assert.ok(userData.startsWith("#cloud-config\n"));
            const { dir, cleanup } = tempDir("ud-");
            try {
                const f = path.join(dir, "user-data");
                fs.writeFileSync(f, userData);
                const res = run("cloud-init", ["schema", "--config-file", f]);
                assert.equal(res.status, 0, res.stdout + res.stderr);
            } finally {
                cleanup();
            }
            const cfg = parse(userData) as { write_files: { path: string; content: string }[] };
            const setup = cfg.write_files.find((w) => w.path === HOST_PATHS.setupScript)?.content ?? "";
            assert.ok(setup.includes("fs-0123456789abcdef0.fsx.us-east-1.amazonaws.com@tcp:/abcdef12 /fsx lustre defaults,noatime,flock,_netdev,nofail 0 0"));
        });

        it("security group: no ingress at all; egress HTTPS, Lustre to the subnet, SFTP", () => {
            const d = doc();
            const sg = onlyResource(d, "aws:ec2/securityGroup:SecurityGroup");
            assert.equal(sg.inputs.ingress, undefined);
            assert.equal(resourcesOfType(d, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").length, 0);
            assert.equal(resourcesOfType(d, "aws:ec2/securityGroupRule:SecurityGroupRule").length, 0);
            const egress = resourcesOfType(d, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").map((r) => r.inputs);
            const summary = egress.map((e) => `${String(e.fromPort)}-${String(e.toPort)} ${String(e.cidrIpv4)}`).sort();
            assert.deepEqual(summary, ["1018-1023 10.0.1.0/24", "22-22 0.0.0.0/0", "443-443 0.0.0.0/0", "988-988 10.0.1.0/24"]);
            for (const e of egress) assert.equal(e.ipProtocol, "tcp");
        });

        it("role: AmazonSSMManagedInstanceCore attached, trusted by EC2 only, reads exactly the configured secret", () => {
            const d = doc();
            const attachment = onlyResource(d, "aws:iam/rolePolicyAttachment:RolePolicyAttachment");
            assert.equal(attachment.inputs.policyArn, "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore");
            const role = onlyResource(d, "aws:iam/role:Role");
            assert.deepEqual((JSON.parse(role.inputs.assumeRolePolicy as string) as { Statement: { Principal: unknown }[] }).Statement[0].Principal, { Service: "ec2.amazonaws.com" });
            const policy = JSON.parse(onlyResource(d, "aws:iam/rolePolicy:RolePolicy").inputs.policy as string) as { Statement: { Sid: string; Resource: unknown }[] };
            const secrets = policy.Statement.find((s) => s.Sid === "ReadSftpPrivateKeys");
            assert.deepEqual(secrets?.Resource, [`arn:aws:secretsmanager:us-east-1:111111111111:secret:microbiome-backup/${stack}/lab-sftp-key-AbCdEf`]);
        });

        it("outputs the instance id and the aws ssm start-session command", () => {
            const out = doc().outputs;
            assert.match(out.syncHostInstanceId as string, /^i-[0-9a-f]{17}$/);
            assert.equal(out.syncHostSessionCommand, `aws ssm start-session --target ${String(out.syncHostInstanceId)} --region us-east-1`);
        });

        it(stack === "prod" ? "prod: CloudWatch Logs and EBS encryption by default (retained on delete)" : "dev: journal only, no account-wide EBS setting", () => {
            const d = doc();
            const ebs = resourcesOfType(d, "aws:ebs/encryptionByDefault:EncryptionByDefault");
            const groups = resourcesOfType(d, "aws:cloudwatch/logGroup:LogGroup");
            const policy = onlyResource(d, "aws:iam/rolePolicy:RolePolicy").inputs.policy as string;
            if (stack === "prod") {
                assert.equal(ebs.length, 1);
                assert.equal(ebs[0].inputs.enabled, true);
                assert.equal(ebs[0].retainOnDelete, true);
                assert.equal(groups.length, 1);
                assert.equal(groups[0].inputs.retentionInDays, 365);
                assert.match(policy, /WriteSyncLogs/);
            } else {
                assert.equal(ebs.length, 0);
                assert.equal(groups.length, 0);
                assert.doesNotMatch(policy, /logs:/);
            }
        });
    });
}

describe("syncHost config errors through the real program (exit 2, every problem named)", () => {
    it("refuses sources with no host key, a relative remote path and an unknown type", () => {
        const { dir, cleanup } = tempDir("stack-");
        try {
            const stackFile = path.join(dir, "Pulumi.bad.yaml");
            const prod = parse(fs.readFileSync(path.join(__dirname, "..", "Pulumi.prod.yaml"), "utf8")) as { config: Record<string, unknown> };
            const host = prod.config["microbiome-backup:syncHost"] as { sources: Record<string, unknown>[] };
            delete host.sources[0].hostKey;
            host.sources[0].remotePath = "data/runs";
            host.sources.push({ type: "webdav", name: "dav" });
            fs.writeFileSync(stackFile, JSON.stringify(prod));
            const res = runPreview(["--stack", "bad", "--config-file", stackFile]);
            assert.equal(res.status, 2, res.stderr);
            assert.match(res.stderr, /microbiome-backup:syncHost\.sources\[0\]\.remotePath = "data\/runs": must be an absolute path on the server/);
            assert.match(res.stderr, /microbiome-backup:syncHost\.sources\[0\]\.hostKey = \(missing\): required: the server's host key, pinned/);
            assert.match(res.stderr, /microbiome-backup:syncHost\.sources\[2\]\.type = "webdav": unknown source type: type must be sftp .* or s3/);
            assert.doesNotMatch(res.stderr, /\n\s+at /, "no stack trace");
        } finally {
            cleanup();
        }
    });
});

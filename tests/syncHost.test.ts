/**
 * SyncHost in the real program (index.ts) with the dev and prod stack files, under Pulumi mocks:
 * the "done when" checks.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { decodeUserDataBase64, HOST_PATHS, readUserDataFiles } from "../components/syncHost/userData";
import { onlyResource, previewStack, previewVariant, resourcesOfType } from "./helpers/preview";
import type { PreviewDocument } from "../tools/offline/render";
import { requireTool, run, tempDir } from "./helpers/tools";

/** The preview restricted to the SyncHost component's own resources (all parented to it). */
function syncHostOnly(doc: PreviewDocument): PreviewDocument {
    const component = onlyResource(doc, "microbiome-backup:compute:SyncHost");
    return { ...doc, steps: doc.steps.filter((s) => s.newState.parent === component.urn) };
}

for (const stack of ["dev", "prod"]) {
    describe(`SyncHost in the ${stack} stack`, () => {
        const full = () => previewStack(stack);
        const doc = () => syncHostOnly(full());
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
            assert.equal(inputs.subnetId, full().outputs.subnetId, "the file system's subnet");
            const groups = inputs.vpcSecurityGroupIds as string[];
            assert.equal(groups.length, 2);
            assert.ok(groups.includes(full().outputs.fsxClientSecurityGroupId as string), "the Lustre client group");
            assert.equal(inputs.ami, "ami-0123456789abcdef0", "the AMI id the aws:ec2/getAmi lookup answered");
        });

        it("user data: #cloud-config that cloud-init's schema validator accepts", () => {
            requireTool("cloud-init");
            assert.equal(instance().inputs.userData, undefined, "gzip-compressed user data goes in userDataBase64");
            const userData = decodeUserDataBase64(instance().inputs.userDataBase64 as string);
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
            const files = readUserDataFiles(userData);
            const conf = files.find((w) => w.path === HOST_PATHS.syncConf)?.content ?? "";
            const out = full().outputs;
            assert.ok(conf.includes(`${String(out.fsxDnsName)}@tcp:/${String(out.fsxMountName)} /fsx lustre defaults,noatime,flock,_netdev,nofail 0 0`));
            assert.match(conf, new RegExp(`^METRIC_STACK='microbiome-backup-${stack}'$`, "m"));
            assert.match(conf, new RegExp(`^REPORTS_PREFIX='_sync-reports/${stack}/'$`, "m"));
            // Every source's settings file names its staging path, exported path and S3 destination.
            const sourceFiles = files.filter((w) => w.path.startsWith(`${HOST_PATHS.sources}/`));
            assert.equal(sourceFiles.length, stack === "prod" ? 2 : 1, "one settings file per configured source");
            for (const f of sourceFiles) {
                assert.match(f.content, /^LUSTRE_PATH='\/fsx\/.+\/'$/m);
                assert.match(f.content, /^STAGING_PATH='\/fsx\/\.staging\/[a-z0-9-]+\/'$/m);
                assert.match(f.content, /^S3_URI='s3:\/\/.+\/'$/m);
            }
        });

        it(`security group: no ingress at all; egress HTTPS, Lustre to the subnet${stack === "prod" ? ", SFTP" : ""}`, () => {
            const d = doc();
            const sg = onlyResource(d, "aws:ec2/securityGroup:SecurityGroup");
            assert.equal(sg.inputs.ingress, undefined);
            assert.equal(resourcesOfType(d, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").length, 0);
            assert.equal(resourcesOfType(d, "aws:ec2/securityGroupRule:SecurityGroupRule").length, 0);
            const egress = resourcesOfType(d, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").map((r) => r.inputs);
            const summary = egress.map((e) => `${String(e.fromPort)}-${String(e.toPort)} ${String(e.cidrIpv4)}`).sort();
            const sftp = stack === "prod" ? ["22-22 0.0.0.0/0"] : []; // only prod has an SFTP source
            // The subnet's CIDR as the mocks derive it from the stack's network (awsx's private subnet of 10.42.0.0/16).
            assert.deepEqual(summary, ["1018-1023 10.42.0.0/17", ...sftp, "443-443 0.0.0.0/0", "988-988 10.42.0.0/17"]);
            for (const e of egress) assert.equal(e.ipProtocol, "tcp");
        });

        it("role: AmazonSSMManagedInstanceCore attached, trusted by EC2 only, reads exactly the configured secrets", () => {
            const d = doc();
            const attachment = onlyResource(d, "aws:iam/rolePolicyAttachment:RolePolicyAttachment");
            assert.equal(attachment.inputs.policyArn, "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore");
            const role = onlyResource(d, "aws:iam/role:Role");
            assert.deepEqual((JSON.parse(role.inputs.assumeRolePolicy as string) as { Statement: { Principal: unknown }[] }).Statement[0].Principal, { Service: "ec2.amazonaws.com" });
            const policy = JSON.parse(onlyResource(d, "aws:iam/rolePolicy:RolePolicy").inputs.policy as string) as { Statement: { Sid: string; Resource: unknown }[] };
            const secrets = policy.Statement.find((s) => s.Sid === "ReadSftpPrivateKeys");
            if (stack === "prod") {
                assert.deepEqual(secrets?.Resource, ["arn:aws:secretsmanager:us-east-1:111111111111:secret:microbiome-backup/prod/lab-sftp-key-AbCdEf"]);
            } else {
                assert.equal(secrets, undefined, "dev has no SFTP source, so no secret may be read");
            }
        });

        it("outputs the instance id and the aws ssm start-session command", () => {
            const out = full().outputs;
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
        const res = previewVariant(
            "prod",
            (config) => {
                const host = config["microbiome-backup:syncHost"] as { sources: Record<string, unknown>[] };
                delete host.sources[0].hostKey;
                host.sources[0].remotePath = "data/runs";
                host.sources.push({ type: "webdav", name: "dav" });
            },
            { stackName: "bad" },
        );
        assert.equal(res.status, 2, res.stderr);
        assert.match(res.stderr, /microbiome-backup:syncHost\.sources\[0\]\.remotePath = "data\/runs": must be an absolute path on the server/);
        assert.match(res.stderr, /microbiome-backup:syncHost\.sources\[0\]\.hostKey = \(missing\): required: the server's host key, pinned/);
        assert.match(res.stderr, /microbiome-backup:syncHost\.sources\[2\]\.type = "webdav": unknown source type: type must be sftp .* or s3/);
        assert.doesNotMatch(res.stderr, /\n\s+at /, "no stack trace");
    });
});

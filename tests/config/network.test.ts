/**
 * `microbiome-backup:network` validation: created VPC settings, existing VPC ids, the AZ/Region
 * check and the NAT / Session Manager warnings.
 */
import { strict as assert } from "node:assert";
import { fsxEnabled, parseValid, problemKeys, rawConfig } from "../helpers/config";

const K = "microbiome-backup:network";
const existing = { vpcId: "vpc-0123456789abcdef0", subnetId: "subnet-0123456789abcdef0" };

describe("config network", () => {
    it("accepts an empty section (defaults) and a full created-VPC section", () => {
        assert.deepEqual(problemKeys(rawConfig()), []);
        assert.deepEqual(
            problemKeys(rawConfig({ network: { cidrBlock: "10.20.0.0/20", availabilityZone: "us-east-1b", natGateway: true, s3GatewayEndpoint: true, interfaceEndpoints: ["ssm"] } })),
            [],
        );
    });

    it("refuses a malformed or too small CIDR block", () => {
        assert.deepEqual(problemKeys(rawConfig({ network: { cidrBlock: "10.20.0.0" } })), [`${K}.cidrBlock`]);
        assert.deepEqual(problemKeys(rawConfig({ network: { cidrBlock: "10.20.0.0/28" } })), [`${K}.cidrBlock`]);
    });

    it("refuses an AZ outside aws:region", () => {
        assert.deepEqual(problemKeys(rawConfig({ network: { availabilityZone: "eu-west-1a" } })), [`${K}.availabilityZone`]);
        assert.deepEqual(problemKeys(rawConfig({ network: { availabilityZone: "us-east-1" } })), [`${K}.availabilityZone`]);
        assert.deepEqual(problemKeys(rawConfig({ network: { availabilityZone: "us-east-1f" } })), []);
    });

    it("refuses unknown or repeated interface endpoints", () => {
        assert.deepEqual(problemKeys(rawConfig({ network: { interfaceEndpoints: ["ec2"] } })), [`${K}.interfaceEndpoints[0]`]);
        assert.deepEqual(problemKeys(rawConfig({ network: { interfaceEndpoints: ["ssm", "ssm"] } })), [`${K}.interfaceEndpoints[1]`]);
    });

    describe("existing VPC", () => {
        it("accepts valid ids (with route tables)", () => {
            assert.deepEqual(problemKeys(rawConfig({ network: { existing } })), []);
            assert.deepEqual(problemKeys(rawConfig({ network: { existing: { ...existing, routeTableIds: ["rtb-0123456789abcdef0"] }, s3GatewayEndpoint: true } })), []);
        });
        it("refuses malformed ids", () => {
            assert.deepEqual(problemKeys(rawConfig({ network: { existing: { vpcId: "vpc-xyz", subnetId: "subnet-0123456789abcdef0" } } })), [`${K}.existing.vpcId`]);
            assert.deepEqual(problemKeys(rawConfig({ network: { existing: { vpcId: existing.vpcId, subnetId: "sub-01234567" } } })), [`${K}.existing.subnetId`]);
            assert.deepEqual(problemKeys(rawConfig({ network: { existing: { ...existing, routeTableIds: ["rt-1"] } } })), [`${K}.existing.routeTableIds[0]`]);
            assert.deepEqual(problemKeys(rawConfig({ network: { existing: { vpcId: existing.vpcId } } })), [`${K}.existing.subnetId`]);
        });
        it("refuses settings that only apply to a created VPC", () => {
            assert.deepEqual(problemKeys(rawConfig({ network: { existing, natGateway: true, cidrBlock: "10.1.0.0/16" } })), [`${K}.cidrBlock`, `${K}.natGateway`]);
        });
    });

    describe("warnings", () => {
        const warningKeys = (project: Record<string, unknown>) => parseValid(rawConfig(project)).warnings.map((w) => w.key).filter((k) => k.startsWith(K));

        const hostKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHeEp6+73sgQM0B6KsXtv0VaMARnEE4suaQIHx4dbMdw";
        const sftpHost = {
            enabled: true,
            alarms: { emails: ["ops@example.com"] },
            sources: [
                {
                    type: "sftp", name: "lab", host: "sftp.example.com", user: "u", remotePath: "/data", destination: "in/lab/", hostKey,
                    privateKeySecretArn: "arn:aws:secretsmanager:us-east-1:111111111111:secret:lab-key-AbCdEf",
                },
            ],
        };
        const s3Host = (region?: string) => ({
            enabled: true,
            alarms: { emails: ["ops@example.com"] },
            sources: [{ type: "s3", name: "runs", bucket: "s3://other-bucket-example/runs/", destination: "in/runs/", ...(region ? { region } : {}) }],
        });

        it("no NAT and no Session Manager endpoints: both warned", () => {
            assert.deepEqual(warningKeys({ fsx: fsxEnabled(), syncHost: sftpHost, network: { natGateway: false } }), [`${K}.natGateway`, `${K}.interfaceEndpoints`]);
        });
        it("no NAT with the endpoints: only the internet warning, for an SFTP source", () => {
            assert.deepEqual(warningKeys({ fsx: fsxEnabled(), syncHost: sftpHost, network: { interfaceEndpoints: ["ssm", "ssmmessages", "ec2messages"] } }), [`${K}.natGateway`]);
        });
        it("no NAT: an S3 source in the stack's Region needs no internet, one in another Region does", () => {
            const endpoints = { interfaceEndpoints: ["ssm", "ssmmessages", "ec2messages"] };
            assert.deepEqual(warningKeys({ fsx: fsxEnabled(), syncHost: s3Host(), network: endpoints }), []);
            assert.deepEqual(warningKeys({ fsx: fsxEnabled(), syncHost: s3Host("us-east-1"), network: endpoints }), []);
            assert.deepEqual(warningKeys({ fsx: fsxEnabled(), syncHost: s3Host("eu-central-1"), network: endpoints }), [`${K}.natGateway`]);
        });
        it("NAT, an existing VPC, or no file system layer: none", () => {
            assert.deepEqual(warningKeys({ fsx: fsxEnabled(), network: { natGateway: true } }), []);
            assert.deepEqual(warningKeys({ fsx: fsxEnabled(), network: { existing } }), []);
            assert.deepEqual(warningKeys({ network: { natGateway: false } }), []);
        });
    });
});

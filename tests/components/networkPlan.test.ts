/**
 * Pure network planning: CIDR parsing, the subnet layout, defaults and the subnet descriptor.
 */
import { strict as assert } from "node:assert";
import { DEFAULT_VPC_CIDR, parseVpcCidr, resolveNetworkPlan, subnetDescriptor, subnetLayout, SUBNET_ID, VPC_ID } from "../../components/fsx/networkPlan";

describe("networkPlan", () => {
    it("parses a VPC CIDR from /16 to /26", () => {
        assert.deepEqual(parseVpcCidr("10.42.0.0/16"), { address: "10.42.0.0", prefixLength: 16 });
        assert.deepEqual(parseVpcCidr("192.168.4.0/24"), { address: "192.168.4.0", prefixLength: 24 });
        assert.deepEqual(parseVpcCidr("172.16.0.64/26"), { address: "172.16.0.64", prefixLength: 26 });
    });

    it("refuses malformed blocks, host bits and sizes outside /16–/26", () => {
        for (const bad of ["10.42.0.0", "10.42.0.0/8", "10.42.0.0/27", "10.42.1.0/16", "300.1.0.0/16", "10.42.0.0/16 "]) {
            assert.ok("error" in parseVpcCidr(bad), bad);
        }
    });

    it("lays out a private half and a public quarter", () => {
        assert.deepEqual(subnetLayout(16), { privateCidrMask: 17, publicCidrMask: 18 });
        assert.deepEqual(subnetLayout(26), { privateCidrMask: 27, publicCidrMask: 28 });
    });

    it("defaults a created VPC: CIDR, <region>a, no NAT, S3 endpoint", () => {
        assert.deepEqual(resolveNetworkPlan({ interfaceEndpoints: [] }, "eu-west-1"), {
            kind: "create",
            cidrBlock: DEFAULT_VPC_CIDR,
            availabilityZone: "eu-west-1a",
            natGateway: false,
            s3GatewayEndpoint: true,
            interfaceEndpoints: [],
        });
    });

    it("uses an existing VPC as given, without an S3 endpoint unless asked", () => {
        const existing = { vpcId: "vpc-0123456789abcdef0", subnetId: "subnet-0123456789abcdef0" };
        const plan = resolveNetworkPlan({ interfaceEndpoints: ["ssm"], existing }, "us-east-1");
        assert.deepEqual(plan, { kind: "existing", ...existing, s3GatewayEndpoint: false, interfaceEndpoints: ["ssm"] });
        assert.equal(resolveNetworkPlan({ interfaceEndpoints: [], s3GatewayEndpoint: true, existing }, "us-east-1").s3GatewayEndpoint, true);
    });

    it("describes the subnet: the id of an existing one, what determines a created one", () => {
        const created = resolveNetworkPlan({ interfaceEndpoints: [], cidrBlock: "10.1.0.0/16", availabilityZone: "us-east-1b" }, "us-east-1");
        assert.equal(subnetDescriptor(created), "awsx-vpc 10.1.0.0/16 us-east-1b layout-1");
        // NAT does not move the file system: same descriptor with NAT on and off.
        const withNat = resolveNetworkPlan({ interfaceEndpoints: [], cidrBlock: "10.1.0.0/16", availabilityZone: "us-east-1b", natGateway: true }, "us-east-1");
        assert.equal(subnetDescriptor(withNat), subnetDescriptor(created));
        const existing = resolveNetworkPlan({ interfaceEndpoints: [], existing: { vpcId: "vpc-0123456789abcdef0", subnetId: "subnet-0123456789abcdef0" } }, "us-east-1");
        assert.equal(subnetDescriptor(existing), "subnet-0123456789abcdef0");
    });

    it("knows the id forms", () => {
        assert.ok(VPC_ID.test("vpc-0123abcd") && VPC_ID.test("vpc-0123456789abcdef0"));
        assert.ok(!VPC_ID.test("vpc-0123") && !VPC_ID.test("subnet-0123abcd") && !VPC_ID.test("vpc-0123ABCD"));
        assert.ok(SUBNET_ID.test("subnet-0123456789abcdef0") && !SUBNET_ID.test("subnet-xyz"));
    });
});

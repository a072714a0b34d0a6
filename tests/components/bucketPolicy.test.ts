/**
 * The TLS-only bucket policy: the builder (`tlsOnlyStatements`) and the check the policy pack runs
 * (`missingTlsOnlyCoverage`) agree, and the check refuses what is not a TLS-only deny.
 */
import { strict as assert } from "node:assert";
import { deniesInsecureTransport, missingTlsOnlyCoverage, tlsOnlyResources, tlsOnlyStatements } from "../../components/bucket/bucketPolicy";
import type { PolicyStatement } from "../../components/common/policyDocument";

const ARN = "arn:aws:s3:::example-bucket";
const deny = (overrides: Partial<PolicyStatement> = {}): PolicyStatement => ({
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: tlsOnlyResources(ARN),
    Condition: { Bool: { "aws:SecureTransport": "false" } },
    ...overrides,
});

describe("bucketPolicy: TLS-only statements and their check", () => {
    it("the builder's statements cover the bucket and its objects", () => {
        assert.deepEqual(missingTlsOnlyCoverage(ARN, tlsOnlyStatements(ARN)), []);
        assert.deepEqual(tlsOnlyResources(ARN), [ARN, `${ARN}/*`]);
    });

    it("counts Bool or BoolIfExists false (string or boolean), s3:* or *, and everyone as {AWS: *}", () => {
        assert.equal(deniesInsecureTransport(deny({ Condition: { BoolIfExists: { "aws:SecureTransport": false } } })), true);
        assert.equal(deniesInsecureTransport(deny({ Action: "*", Principal: { AWS: "*" } })), true);
        assert.deepEqual(missingTlsOnlyCoverage(ARN, [deny({ Resource: ["arn:aws:s3:::example-*", "arn:aws:s3:::example-*/*"] })]), []);
    });

    it("refuses a TLS-version deny only, a deny of some actions, an Allow, a named principal, and a deny of the bucket only", () => {
        assert.deepEqual(missingTlsOnlyCoverage(ARN, [tlsOnlyStatements(ARN)[1]]), [ARN, `${ARN}/*`]);
        assert.equal(deniesInsecureTransport(deny({ Action: "s3:GetObject" })), false);
        assert.equal(deniesInsecureTransport(deny({ Effect: "Allow" })), false);
        assert.equal(deniesInsecureTransport(deny({ Principal: { AWS: "arn:aws:iam::111111111111:root" } })), false);
        assert.deepEqual(missingTlsOnlyCoverage(ARN, [deny({ Resource: ARN })]), [`${ARN}/*`]);
    });
});

/**
 * The pack as the Pulumi CLI runs it: the CLI's own policy runner (`@pulumi/pulumi/cmd/run-policy-pack`,
 * ts-node with type checking, from the `policies/` folder with its tsconfig and the hoisted npm
 * workspace dependencies) loads `policies/index.ts`, which starts the analyzer gRPC server; the test
 * talks to it over the analyzer protocol the engine uses (GetAnalyzerInfo, Analyze, AnalyzeStack).
 * No Pulumi CLI is needed. The entry is never imported into the test process.
 */
import * as assert from "node:assert/strict";
import { ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import * as analyzerRpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzer from "@pulumi/pulumi/proto/analyzer_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { PACK_NAME, policies } from "../../policies/all";
import { TYPES } from "../../policies/lib";
import { PROJECT_DIR } from "../helpers/preview";

// The gRPC library the generated analyzer client was built with (a dependency of @pulumi/pulumi).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const grpc = require(require.resolve("@grpc/grpc-js", { paths: [path.dirname(require.resolve("@pulumi/pulumi/package.json"))] })) as {
    credentials: { createInsecure(): unknown };
};

const RUNNER = require.resolve("@pulumi/pulumi/cmd/run-policy-pack");

function call<Req, Res>(fn: (req: Req, cb: (err: Error | null, res: Res) => void) => unknown, req: Req): Promise<Res> {
    return new Promise((resolve, reject) => fn(req, (err, res) => (err ? reject(err) : resolve(res))));
}

function options(protect: boolean): analyzer.AnalyzerResourceOptions {
    const o = new analyzer.AnalyzerResourceOptions();
    o.setProtect(protect);
    return o;
}

describe("policy pack entry under the CLI's policy runner", function () {
    this.timeout(120_000);
    let child: ChildProcess | undefined;
    let client: analyzerRpc.AnalyzerClient;
    let stderr = "";

    before(async () => {
        child = spawn(process.execPath, [RUNNER, "127.0.0.1:1", "."], { cwd: path.join(PROJECT_DIR, "policies"), stdio: ["ignore", "pipe", "pipe"] });
        child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
        const port = await new Promise<string>((resolve, reject) => {
            let out = "";
            child?.stdout?.on("data", (d: Buffer) => {
                out += d.toString();
                const match = /^(\d+)\s*$/m.exec(out);
                if (match) resolve(match[1]);
            });
            child?.on("exit", (code) => reject(new Error(`the policy runner exited ${code}:\n${stderr}`)));
        });
        client = new analyzerRpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure() as never);
    });

    after(() => {
        client?.close();
        child?.kill();
    });

    it("loads the pack (type-checked) and lists every policy as mandatory with its severity and remediation", async () => {
        const info = await call<Empty, analyzer.AnalyzerInfo>(client.getAnalyzerInfo.bind(client), new Empty());
        assert.equal(info.getName(), PACK_NAME);
        const listed = info.getPoliciesList();
        assert.deepEqual(
            listed.map((p) => p.getName()),
            policies.map((p) => p.name),
        );
        for (const p of listed) {
            assert.equal(p.getEnforcementlevel(), analyzer.EnforcementLevel.MANDATORY, p.getName());
            assert.ok(p.getRemediationSteps().length > 0, p.getName());
        }
        assert.ok(listed.find((p) => p.getName() === "data-protected")?.getConfigschema());
    });

    it("analyzes a resource: a protected, force-destroyable bucket violates data-protected; retainOnDelete is not applicable", async () => {
        const req = new analyzer.AnalyzeRequest();
        req.setType(TYPES.bucket);
        req.setName("backup");
        req.setUrn("urn:pulumi:ci::microbiome-backup::aws:s3/bucket:Bucket::backup");
        req.setProperties(Struct.fromJavaScript({ bucket: "example-bucket", forceDestroy: true }));
        req.setOptions(options(true));
        const res = await call<analyzer.AnalyzeRequest, analyzer.AnalyzeResponse>(client.analyze.bind(client), req);
        const diagnostics = res.getDiagnosticsList();
        const protectedViolation = diagnostics.find((d) => d.getPolicyname() === "data-protected");
        assert.ok(protectedViolation, diagnostics.map((d) => d.getPolicyname()).join(", "));
        assert.equal(protectedViolation.getEnforcementlevel(), analyzer.EnforcementLevel.MANDATORY);
        assert.match(protectedViolation.getMessage(), /forceDestroy = true: must be false when the bucket is protected/);
        const notApplicable = res.getNotApplicableList().map((n) => n.getPolicyName());
        assert.ok(notApplicable.includes("data-retain-on-delete"), notApplicable.join(", "));
    });

    it("analyzes a stack: a bucket without versioning violates s3-bucket-versioning-enabled", async () => {
        const bucket = new analyzer.AnalyzerResource();
        bucket.setType(TYPES.bucket);
        bucket.setName("backup");
        bucket.setUrn("urn:pulumi:ci::microbiome-backup::aws:s3/bucket:Bucket::backup");
        bucket.setProperties(Struct.fromJavaScript({ bucket: "example-bucket", id: "example-bucket", arn: "arn:aws:s3:::example-bucket" }));
        bucket.setOptions(options(false));
        const req = new analyzer.AnalyzeStackRequest();
        req.setResourcesList([bucket]);
        const res = await call<analyzer.AnalyzeStackRequest, analyzer.AnalyzeResponse>(client.analyzeStack.bind(client), req);
        const versioning = res.getDiagnosticsList().find((d) => d.getPolicyname() === "s3-bucket-versioning-enabled");
        assert.ok(versioning);
        assert.equal(versioning.getUrn(), bucket.getUrn());
        assert.match(versioning.getMessage(), /no aws\.s3\.BucketVersioning/);
    });
});

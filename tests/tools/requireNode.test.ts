/**
 * The program refuses Node.js < 22 with one line naming scripts/with-node.sh: the tools' entry
 * points and index.ts's load path, run in a child process that reports Node 20 (a preloaded test
 * double, tests/fixtures/fakeOldNode.js).
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { unsupportedNodeMessage } from "../../config/requireNode";
import { PROJECT_DIR } from "../helpers/preview";

const FAKE_OLD_NODE = path.join(PROJECT_DIR, "tests", "fixtures", "fakeOldNode.js");

/** Every tool entry point an npm script runs (`ts-node … tools/<name>.ts`), from package.json. */
const TOOL_ENTRIES = [
    ...new Set(
        Object.values((JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts).flatMap(
            (script) => /\btools\/[\w-]+\.ts\b/.exec(script)?.[0] ?? [],
        ),
    ),
].sort();

function runAsNode20(args: string[]): { status: number | null; stdout: string; stderr: string } {
    const r = spawnSync(process.execPath, ["-r", FAKE_OLD_NODE, "-r", "ts-node/register/transpile-only", ...args], {
        cwd: PROJECT_DIR,
        encoding: "utf8",
        env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true" },
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("Node.js version requirement", () => {
    it("accepts 22 and later, refuses 20 naming scripts/with-node.sh", () => {
        assert.equal(unsupportedNodeMessage("22.0.0"), undefined);
        assert.equal(unsupportedNodeMessage("24.21.0"), undefined);
        assert.match(unsupportedNodeMessage("20.19.0") ?? "", /^error: Node\.js 20\.19\.0 is too old: .*Node\.js >= 22; run it through \.\/scripts\/with-node\.sh/);
    });

    it("every npm script's tool is checked below (package.json)", () => {
        assert.ok(TOOL_ENTRIES.length >= 9, TOOL_ENTRIES.join(", "));
        assert.ok(TOOL_ENTRIES.includes("tools/preview-offline.ts"));
    });

    for (const entry of TOOL_ENTRIES) {
        it(`${entry} exits 2 with one line on Node 20`, () => {
            const run = runAsNode20([entry, "--stack", "dev"]);
            assert.equal(run.status, 2);
            assert.equal(run.stdout, "");
            assert.equal(run.stderr.trimEnd().split("\n").length, 1, run.stderr);
            assert.match(run.stderr, /scripts\/with-node\.sh/);
        });
    }

    it("index.ts (what `pulumi up` loads) refuses Node 20 the same way", () => {
        const run = runAsNode20(["-e", `require(${JSON.stringify(path.join(PROJECT_DIR, "index.ts"))})`]);
        assert.equal(run.status, 2);
        assert.equal(run.stderr.trimEnd().split("\n").length, 1, run.stderr);
        assert.match(run.stderr, /Node\.js 20\.19\.0 is too old.*scripts\/with-node\.sh/);
    });
});

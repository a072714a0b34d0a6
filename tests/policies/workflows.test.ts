/**
 * The CI workflows run the policy pack where the issue requires it, and the guardrails table in
 * docs/policies.md covers every policy. The workflow files are also schema-validated by
 * `npm run lint:workflows` (@action-validator/cli); one test checks that validator rejects a broken
 * workflow, so the lint step cannot pass vacuously.
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { policies } from "../../policies/all";
import { PROJECT_DIR } from "../helpers/preview";

interface Step {
    name?: string;
    uses?: string;
    run?: string;
    with?: Record<string, unknown>;
}
interface Job {
    uses?: string;
    needs?: string | string[];
    environment?: { name: string } | string;
    permissions?: Record<string, string>;
    steps?: Step[];
    strategy?: { matrix?: Record<string, unknown> };
}
interface Workflow {
    on: Record<string, unknown>;
    permissions?: Record<string, string>;
    concurrency?: unknown;
    jobs: Record<string, Job>;
}

function workflow(name: string): Workflow {
    return parse(fs.readFileSync(path.join(PROJECT_DIR, ".github", "workflows", name), "utf8")) as Workflow;
}

function stepIndex(steps: Step[], match: (s: Step) => boolean): number {
    const i = steps.findIndex(match);
    assert.ok(i >= 0, "step not found");
    return i;
}

describe("CI workflows", () => {
    it("checks: installs shellcheck and cloud-init before the tests, then previews both stacks offline", () => {
        const steps = workflow("checks.yml").jobs.checks.steps ?? [];
        const setupNode = steps.find((s) => s.uses?.startsWith("actions/setup-node@"));
        assert.equal(setupNode?.with?.["node-version"], 24);
        const apt = stepIndex(steps, (s) => /apt-get install -y shellcheck cloud-init/.test(s.run ?? ""));
        const test = stepIndex(steps, (s) => s.run === "npm test");
        assert.ok(apt < test);
        for (const script of ["npm ci", "npm run -s typecheck", "npm run -s lint", "npm run -s lint:workflows"]) {
            assert.ok(steps.some((s) => s.run === script), script);
        }
        for (const stack of ["dev", "prod"]) {
            assert.ok(steps.some((s) => s.run === `npm run -s preview:offline -- --stack ${stack}`), stack);
        }
    });

    it("pull requests: checks, then pulumi/actions preview of dev and prod with the policy pack, OIDC and a PR comment", () => {
        const wf = workflow("pull-request.yml");
        assert.ok("pull_request" in wf.on);
        assert.deepEqual(wf.permissions, { contents: "read", "id-token": "write", "pull-requests": "write" });
        assert.ok(wf.concurrency);
        assert.equal(wf.jobs.checks.uses, "./.github/workflows/checks.yml");
        const preview = wf.jobs.preview;
        assert.equal(preview.needs, "checks");
        assert.deepEqual(preview.strategy?.matrix?.stack, ["dev", "prod"]);
        const steps = preview.steps ?? [];
        const creds = stepIndex(steps, (s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@") ?? false);
        assert.match(String(steps[creds].with?.["role-to-assume"]), /secrets\.AWS_PREVIEW_ROLE_ARN/);
        const pulumi = stepIndex(steps, (s) => s.uses?.startsWith("pulumi/actions@") ?? false);
        assert.ok(creds < pulumi && stepIndex(steps, (s) => s.run === "npm ci") < pulumi);
        const inputs = steps[pulumi].with ?? {};
        assert.equal(inputs.command, "preview");
        assert.equal(inputs["stack-name"], "${{ matrix.stack }}");
        assert.equal(inputs.policyPacks, "policies");
        assert.equal(inputs.policyPackConfigs, "policies/config/${{ matrix.stack }}.json");
        assert.equal(inputs["comment-on-pr"], true);
    });

    it("main: pulumi up of dev with the policy pack, behind the dev environment", () => {
        const wf = workflow("main.yml");
        assert.deepEqual((wf.on.push as { branches: string[] }).branches, ["main"]);
        const deploy = wf.jobs["deploy-dev"];
        assert.equal(deploy.needs, "checks");
        assert.deepEqual(deploy.environment, { name: "dev" });
        assert.equal(deploy.permissions?.["id-token"], "write");
        const up = (deploy.steps ?? []).find((s) => s.uses?.startsWith("pulumi/actions@"));
        assert.equal(up?.with?.command, "up");
        assert.equal(up?.with?.["stack-name"], "dev");
        assert.equal(up?.with?.policyPacks, "policies");
    });

    it("the workflow validator accepts the workflows and rejects a broken one", () => {
        const cli = require.resolve("@action-validator/cli/cli.mjs");
        const validate = (file: string) => spawnSync(process.execPath, [cli, file], { encoding: "utf8" });
        for (const file of fs.readdirSync(path.join(PROJECT_DIR, ".github", "workflows"))) {
            const run = validate(path.join(PROJECT_DIR, ".github", "workflows", file));
            assert.equal(run.status, 0, `${file}: ${run.stdout}${run.stderr}`);
        }
        const broken = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "wf-")), "broken.yml");
        fs.writeFileSync(broken, "on: push\npermissions:\n  id-token: writ\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    needs: nope\n    steps: []\n");
        const run = validate(broken);
        assert.equal(run.status, 1);
        assert.match(run.stdout + run.stderr, /permissions|unresolved/);
    });
});

describe("guardrails documentation", () => {
    it("the README's guardrails table has a row for every policy of the pack, and no other", () => {
        const text = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");
        const section = text.slice(text.indexOf("## Guardrails"), text.indexOf("\n## ", text.indexOf("## Guardrails") + 5));
        const rows = [...section.matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((m) => m[1]);
        assert.deepEqual([...rows].sort(), policies.map((p) => p.name).sort());
        assert.match(section, /pulumi preview --stack prod --policy-pack policies/);
    });

    it("docs/policies.md says how to run the pack for real and how to propose an exception", () => {
        const text = fs.readFileSync(path.join(PROJECT_DIR, "docs", "policies.md"), "utf8");
        assert.match(text, /pulumi preview --stack prod --policy-pack policies/);
        assert.match(text, /## Proposing an exception/);
    });
});

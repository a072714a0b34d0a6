/**
 * The CI workflows can run (every tool the tests call is installed, the Pulumi CLI pinned, a
 * preview before every up, each stack's own role, no persisted or job-wide credentials) and run the
 * policy pack where the issue requires it, and the guardrails table in
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
import { MOTO_SERVER_REQUIREMENT } from "../helpers/motoServer";
import { PROJECT_DIR } from "../helpers/preview";
import { TOOL_PACKAGES } from "../helpers/tools";

interface Step {
    name?: string;
    uses?: string;
    run?: string;
    with?: Record<string, unknown>;
    env?: Record<string, string>;
}
interface Job {
    uses?: string;
    needs?: string | string[];
    environment?: { name: string } | string;
    permissions?: Record<string, string>;
    steps?: Step[];
    strategy?: { matrix?: Record<string, unknown> };
    env?: Record<string, string>;
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

/** Every job's steps, per workflow file. */
function allSteps(): { file: string; job: string; steps: Step[]; env?: Record<string, string> }[] {
    const out: { file: string; job: string; steps: Step[]; env?: Record<string, string> }[] = [];
    for (const file of fs.readdirSync(path.join(PROJECT_DIR, ".github", "workflows"))) {
        for (const [name, job] of Object.entries(workflow(file).jobs)) {
            out.push({ file, job: name, steps: job.steps ?? [], env: job.env });
        }
    }
    return out;
}

/** The words after `apt-get install` (options left out) in a run script. */
function aptPackages(run: string): string[] {
    const m = /apt-get install((?:\s+[^&;|\n]+)+)/.exec(run.replace(/\s+/g, " "));
    return (m?.[1] ?? "").trim().split(" ").filter((w) => w !== "" && !w.startsWith("-"));
}

/** The Pulumi CLI version the project pins: the same release as its @pulumi/pulumi SDK. */
const PULUMI_VERSION = (JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8")) as { dependencies: Record<string, string> }).dependencies["@pulumi/pulumi"];

/** Tools GitHub's ubuntu-24.04 image already carries (actions/runner-images), by Debian package. */
const RUNNER_IMAGE_PACKAGES = ["awscli"];

describe("CI workflows", () => {
    it("checks: installs every tool the tests call (tests/helpers/tools.ts, the moto helper) before the tests, then previews both stacks offline", () => {
        const steps = workflow("checks.yml").jobs.checks.steps ?? [];
        const setupNode = steps.find((s) => s.uses?.startsWith("actions/setup-node@"));
        assert.equal(setupNode?.with?.["node-version"], 24);
        const install = stepIndex(steps, (s) => /apt-get install/.test(s.run ?? ""));
        const packages = aptPackages(steps[install].run ?? "");
        assert.deepEqual(
            [...new Set([...packages, ...RUNNER_IMAGE_PACKAGES])].sort(),
            [...new Set(Object.values(TOOL_PACKAGES))].sort(),
            "the workflow's apt-get install list (plus the runner image's AWS CLI) must be exactly the Debian packages of tests/helpers/tools.ts",
        );
        assert.ok((steps[install].run ?? "").includes(`pipx install "${MOTO_SERVER_REQUIREMENT}"`), "moto's server from PyPI, the helper's release");
        const onPath = stepIndex(steps, (s) => /command -v "\$tool"/.test(s.run ?? ""));
        const listed = /for tool in ([^;]+);/.exec(steps[onPath].run ?? "")?.[1].trim().split(/\s+/) ?? [];
        assert.deepEqual([...listed].sort(), [...Object.keys(TOOL_PACKAGES), "moto_server"].sort(), "the PATH check covers every tool");
        const test = stepIndex(steps, (s) => s.run === "npm test");
        assert.ok(install < onPath && onPath < test);
        for (const script of ["npm ci", "npm run -s typecheck", "npm run -s lint", "npm run -s lint:workflows"]) {
            assert.ok(steps.some((s) => s.run === script), script);
        }
        for (const stack of ["dev", "prod"]) {
            assert.ok(steps.some((s) => s.run === `npm run -s preview:offline -- --stack ${stack}`), stack);
        }
    });

    it(".ci/run installs the same tools (tool:package pairs equal tests/helpers/tools.ts) and the same moto release, and validates the workflows", () => {
        const text = fs.readFileSync(path.join(PROJECT_DIR, ".ci", "run"), "utf8");
        const pairs = /for tool in ([^;]+);/.exec(text)?.[1].trim().split(/\s+/) ?? [];
        const map = Object.fromEntries(pairs.map((p) => [p.slice(0, p.indexOf(":")), p.slice(p.indexOf(":") + 1)]));
        assert.deepEqual(map, { ...TOOL_PACKAGES });
        assert.ok(text.includes(`MOTO_REQUIREMENT="${MOTO_SERVER_REQUIREMENT}"`));
        assert.match(text, /^run npm run lint:workflows$/m);
    });

    it(`pins the Pulumi CLI (${PULUMI_VERSION}, the @pulumi/pulumi release of package.json) in every pulumi/actions step and in the README`, () => {
        assert.match(PULUMI_VERSION, /^\d+\.\d+\.\d+$/, "package.json pins @pulumi/pulumi exactly");
        const pulumiSteps = allSteps().flatMap((j) => j.steps.filter((s) => s.uses?.startsWith("pulumi/actions@")).map((s) => ({ ...j, step: s })));
        assert.ok(pulumiSteps.length >= 3);
        for (const { file, job, step } of pulumiSteps) {
            assert.equal(String(step.with?.["pulumi-version"]), PULUMI_VERSION, `${file} ${job} ${step.name}`);
        }
        const readme = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");
        assert.ok(readme.includes(`Pulumi CLI ${PULUMI_VERSION}`), "README names the pinned CLI version");
    });

    it("checkout never persists credentials; secrets are given to the steps that need them, never to a whole job", () => {
        for (const { file, job, steps, env } of allSteps()) {
            for (const step of steps.filter((s) => s.uses?.startsWith("actions/checkout@"))) {
                assert.equal(step.with?.["persist-credentials"], false, `${file} ${job}`);
            }
            assert.ok(!JSON.stringify(env ?? {}).includes("secrets."), `${file} ${job}: job-level env must not carry secrets`);
        }
    });

    it("pull requests: checks, then pulumi/actions preview of dev and prod with the policy pack, OIDC with each stack's own role (no fallback), a PR comment", () => {
        const wf = workflow("pull-request.yml");
        assert.ok("pull_request" in wf.on);
        assert.deepEqual(wf.permissions, { contents: "read", "id-token": "write", "pull-requests": "write" });
        assert.ok(wf.concurrency);
        assert.equal(wf.jobs.checks.uses, "./.github/workflows/checks.yml");
        const preview = wf.jobs.preview;
        assert.equal(preview.needs, "checks");
        assert.deepEqual(preview.strategy?.matrix?.include, [
            { stack: "dev", roleSecret: "AWS_PREVIEW_ROLE_ARN_DEV", drRole: "deploy" },
            { stack: "prod", roleSecret: "AWS_PREVIEW_ROLE_ARN_PROD", drRole: "preview" },
        ]);
        const steps = preview.steps ?? [];
        const guard = stepIndex(steps, (s) => /exit 1/.test(s.run ?? "") && /ROLE_ARN/.test(s.run ?? ""));
        assert.equal(steps[guard].env?.ROLE_ARN, "${{ secrets[matrix.roleSecret] }}");
        const creds = stepIndex(steps, (s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@") ?? false);
        assert.equal(steps[creds].with?.["role-to-assume"], "${{ secrets[matrix.roleSecret] }}", "each stack's own role, no || fallback");
        const pulumi = stepIndex(steps, (s) => s.uses?.startsWith("pulumi/actions@") ?? false);
        assert.ok(guard < creds && creds < pulumi && stepIndex(steps, (s) => s.run === "npm ci") < pulumi);
        const inputs = steps[pulumi].with ?? {};
        assert.equal(inputs.command, "preview");
        assert.equal(inputs["stack-name"], "${{ matrix.stack }}");
        assert.equal(inputs.policyPacks, "policies");
        assert.equal(inputs.policyPackConfigs, "policies/config/${{ matrix.stack }}.json");
        assert.equal(inputs["comment-on-pr"], true);
        assert.equal(steps[pulumi].env?.MICROBIOME_BACKUP_DR_ROLE, "${{ matrix.drRole }}", "prod's preview assumes the read-only DR preview role");
    });

    it("main: behind the dev environment, pulumi preview with the policy pack, then pulumi up of dev with the same pack (pulumi/actions' up skips the preview)", () => {
        const wf = workflow("main.yml");
        assert.deepEqual((wf.on.push as { branches: string[] }).branches, ["main"]);
        const deploy = wf.jobs["deploy-dev"];
        assert.equal(deploy.needs, "checks");
        assert.deepEqual(deploy.environment, { name: "dev" });
        assert.equal(deploy.permissions?.["id-token"], "write");
        const steps = deploy.steps ?? [];
        const guard = stepIndex(steps, (s) => /exit 1/.test(s.run ?? ""));
        assert.equal(steps[guard].env?.ROLE_ARN, "${{ secrets.AWS_DEPLOY_ROLE_ARN_DEV }}");
        const preview = stepIndex(steps, (s) => (s.uses?.startsWith("pulumi/actions@") ?? false) && s.with?.command === "preview");
        const up = stepIndex(steps, (s) => (s.uses?.startsWith("pulumi/actions@") ?? false) && s.with?.command === "up");
        assert.ok(guard < preview && preview < up, "the preview runs first; a failing preview stops the job before up");
        for (const i of [preview, up]) {
            assert.equal(steps[i].with?.["stack-name"], "dev");
            assert.equal(steps[i].with?.policyPacks, "policies");
            assert.equal(steps[i].with?.policyPackConfigs, "policies/config/dev.json");
        }
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

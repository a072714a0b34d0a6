/**
 * `npm run preview:offline -- --stack <name> [--config-file <path>] [--policy-pack-config <path>] [--json]`
 *
 * Evaluates the real program with the stack's configuration under Pulumi's mock runtime and prints
 * what `pulumi preview` would create (see docs/architecture.md, "The offline preview
 * contract"). Exit codes: 0 ok; 1 a mandatory policy failed; 2 the configuration is invalid
 * (every problem listed, no stack trace); 3 the preview itself failed (a bug: stack trace shown).
 * Mandatory policy violations are also listed on stderr (in --json mode too), each naming the policy
 * and the resource. `--policy-pack-config` works like the CLI flag; by default the stack's
 * `policies/config/<stack>.json` is used when it exists.
 */
import "../config/requireNode"; // first: refuses Node < 22 before anything else loads
import * as path from "node:path";
import { evaluatePolicies, readPolicyConfig } from "./offline/policies";
import { renderHuman, toPreviewDocument } from "./offline/render";
import { runProgram } from "./offline/run";
import { onStack, parseStackCommandLine, runTool } from "./cli";
import { estimateRun } from "./cost/fromRun";

const USAGE = "usage: npm run preview:offline -- --stack <name> [--config-file <path>] [--policy-pack-config <path>] [--json]";

/** Parses the command line; exits 2 with the usage on bad arguments. */
function parseCommandLine(argv: string[]): { stack: string; configFile?: string; policyConfig?: string; json: boolean } {
    const { stack, configFile, values } = parseStackCommandLine(argv, USAGE, {
        "policy-pack-config": { type: "string" },
        json: { type: "boolean", default: false },
    });
    return { stack, configFile, policyConfig: values["policy-pack-config"], json: values.json };
}

async function main(): Promise<number> {
    const args = parseCommandLine(process.argv.slice(2));
    const projectDir = path.resolve(__dirname, "..");
    return onStack(args.stack, "the offline preview", async () => {
        const run = await runProgram({ projectDir, stack: args.stack, configFile: args.configFile });
        const policies = await evaluatePolicies(run, args.policyConfig ? { config: readPolicyConfig(args.policyConfig) } : {});
        const doc = { ...toPreviewDocument(run, policies), cost: estimateRun(run, projectDir, args.configFile) };
        process.stdout.write(args.json ? `${JSON.stringify(doc, null, 2)}\n` : `${renderHuman(doc)}\n`);
        const mandatory = policies.violations.filter((v) => v.enforcementLevel === "mandatory");
        if (mandatory.length > 0) {
            process.stderr.write(`error: ${mandatory.length} mandatory policy violation(s) of policy pack ${policies.pack}:\n`);
            for (const v of mandatory) process.stderr.write(`  - ${v.policy} on ${v.urn}: ${v.message}\n`);
            return 1;
        }
        return 0;
    });
}

runTool(main, 3);

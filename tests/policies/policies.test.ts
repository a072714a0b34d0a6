/**
 * Every policy of the pack against hand-built compliant and violating resources (tests/policies/
 * cases.ts), run through the same CLI-like argument builders as the offline preview.
 */
import * as assert from "node:assert/strict";
import { GUARDRAILS, PACK_NAME, policies } from "../../policies/all";
import { check } from "../helpers/policyFixtures";
import { CASES } from "./cases";

describe("policy pack: every policy", () => {
    it("has a compliant and a violating case for every policy, and no case for a policy that does not exist", () => {
        const names = policies.map((p) => p.name);
        for (const name of names) {
            assert.ok(CASES[name], `no cases for policy ${name}`);
            assert.ok(CASES[name].compliant.length > 0, `no compliant case for ${name}`);
            assert.ok(CASES[name].violating.length > 0, `no violating case for ${name}`);
        }
        assert.deepEqual(Object.keys(CASES).filter((n) => !names.includes(n)), []);
    });

    for (const policy of policies) {
        describe(policy.name, () => {
            for (const c of CASES[policy.name]?.compliant ?? []) {
                it(`passes: ${c.title}`, async () => {
                    const violations = await check(policy, c.resources, c.config);
                    assert.deepEqual(violations, [], `unexpected violations:\n${violations.map((v) => `${v.urn}: ${v.message}`).join("\n")}`);
                });
            }
            for (const c of CASES[policy.name]?.violating ?? []) {
                it(`fires: ${c.title}`, async () => {
                    const violations = await check(policy, c.resources, c.config);
                    assert.ok(violations.length > 0, "the policy did not fire");
                    for (const v of violations) {
                        assert.equal(v.policy, policy.name);
                        assert.equal(v.enforcementLevel, "mandatory");
                        assert.match(v.urn, /^urn:pulumi:/, "a violation must name a resource");
                    }
                    if (c.expect) {
                        const expected = c.expect;
                        assert.ok(
                            violations.some((v) => expected.test(v.message)),
                            `no message matches ${String(expected)}:\n${violations.map((v) => v.message).join("\n")}`,
                        );
                    }
                    if (c.urn) {
                        assert.ok(
                            violations.some((v) => v.urn === c.urn),
                            `no violation on ${c.urn}: ${violations.map((v) => v.urn).join(", ")}`,
                        );
                    }
                });
            }
        });
    }
});

describe("policy pack: metadata", () => {
    it("has at least 15 policies with unique names", () => {
        assert.ok(policies.length >= 15, `only ${policies.length} policies`);
        assert.equal(new Set(policies.map((p) => p.name)).size, policies.length);
        assert.equal(PACK_NAME, "microbiome-backup");
    });

    it("makes every policy mandatory, with a severity, a description and remediation steps", () => {
        for (const p of policies) {
            assert.equal(p.enforcementLevel, "mandatory", p.name);
            assert.ok(p.severity && ["low", "medium", "high", "critical"].includes(p.severity), `${p.name} severity`);
            assert.ok(p.description.length > 40, `${p.name} description`);
            assert.ok((p.remediationSteps ?? "").length > 20, `${p.name} remediation`);
        }
    });

    it("names the Security Hub controls in the description and the guardrails table", () => {
        const row = (name: string) => GUARDRAILS.find((g) => g.name === name);
        assert.deepEqual(row("s3-tls-only-bucket-policy")?.controls, ["S3.5"]);
        assert.deepEqual(row("iam-no-wildcard-allow-actions")?.controls, ["IAM.1", "IAM.21"]);
        assert.deepEqual(row("iam-no-user-policies")?.controls, ["IAM.2"]);
        assert.deepEqual(row("ec2-imdsv2-required")?.controls, ["EC2.8"]);
        for (const g of GUARDRAILS) {
            for (const c of g.controls) {
                assert.match(g.description, new RegExp(`Security Hub .*${c.replace(".", "\\.")}`), `${g.name} description lacks ${c}`);
            }
        }
        assert.equal(GUARDRAILS.filter((g) => g.kind === "stack").length > 0 && GUARDRAILS.filter((g) => g.kind === "resource").length > 0, true);
    });
});

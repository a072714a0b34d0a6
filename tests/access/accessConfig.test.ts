/**
 * The `microbiome-backup:access` config section (config/access.ts): defaults, IAM name and S3 key
 * prefix rules, refusal of console-user access keys, warnings, name resolution — directly through
 * `parseStackConfig`, and end to end through the offline preview (exit code 2, messages naming the
 * full key).
 */
import { strict as assert } from "node:assert";
import { parseStackConfig } from "../../config";
import { resolveAccessNames } from "../../config/access";
import { Problem } from "../../components/common/problems";
import { problemAt, problemsOf as problemsOfConfig } from "../helpers/config";
import { previewVariant } from "../helpers/preview";
import { ConfigError } from "../../config/configError";

const BASE = { "aws:region": "us-east-1", "microbiome-backup:bucket": { name: "microbiome-test-bucket" } };

function parseAccess(access: unknown, stack = "test") {
    return parseStackConfig({ ...BASE, "microbiome-backup:access": access }, stack);
}

function problemsOf(access: unknown): Problem[] {
    return problemsOfConfig({ ...BASE, "microbiome-backup:access": access });
}

describe("config access section", () => {
    it("defaults: a machine user without access key, no console users, the whole bucket, no bucket list", () => {
        const { config, warnings } = parseStackConfig(BASE, "test");
        assert.deepEqual(config.access, { machineUser: { enabled: true, accessKeys: {} }, consoleUsers: [], keyPrefixes: [], consoleBucketList: false });
        assert.deepEqual(warnings, []);
    });

    it("accepts a full configuration", () => {
        const { config } = parseAccess({
            namePrefix: "mb-lab",
            machineUser: { name: "lab-pc_01+sync=a,b.c@d-e", accessKeys: { a: "Active", b: "Inactive" } },
            consoleUsers: [{ name: "jane.doe@example.com" }, { name: "j.smith" }],
            keyPrefixes: ["Analysis_", "Shared/2024/"],
            consoleBucketList: true,
        });
        assert.equal(config.access.machineUser.accessKeys.b, "Inactive");
        assert.deepEqual(config.access.keyPrefixes, ["Analysis_", "Shared/2024/"]);
    });

    it("refuses a user name IAM would reject, citing CreateUser's rule", () => {
        const problems = problemsOf({ consoleUsers: [{ name: "lab manager" }], machineUser: { name: "x".repeat(65) } });
        assert.match(problemAt(problems, "microbiome-backup:access.consoleUsers[0].name").message, /not a valid IAM user name.*no spaces.*CreateUser UserName: pattern \[\\w\+=,\.@-\]\+, 1–64/);
        assert.match(problemAt(problems, "microbiome-backup:access.machineUser.name").message, /1–64 characters \(this one has 65\)/);
        assert.match(problemAt(problemsOf({ consoleUsers: [{ name: "" }] }), "microbiome-backup:access.consoleUsers[0].name").message, /1–64 characters/);
        assert.match(problemAt(problemsOf({ consoleUsers: [{ name: "ops/jane" }] }), "microbiome-backup:access.consoleUsers[0].name").message, /no slashes/);
    });

    it("refuses user names that collide regardless of case, and a console user named like the machine user", () => {
        const problems = problemsOf({ machineUser: { name: "Lab-Machine" }, consoleUsers: [{ name: "jane" }, { name: "JANE" }, { name: "lab-machine" }] });
        assert.match(problemAt(problems, "microbiome-backup:access.consoleUsers[1].name").message, /repeats the user name of entry \[0\].*not distinguished by case/);
        assert.match(problemAt(problems, "microbiome-backup:access.consoleUsers[2].name").message, /machine user's name/);
    });

    it("refuses malformed key prefixes: leading slash, wildcards, policy variables, empty, repeated", () => {
        const problems = problemsOf({ keyPrefixes: ["/Analysis_2024/", "Analysis_*", "a${aws:username}/", "", "x//y", "Shared/", "Shared/"] });
        assert.match(problemAt(problems, "microbiome-backup:access.keyPrefixes[0]").message, /not a valid S3 key prefix.*no leading slash/);
        assert.match(problemAt(problems, "microbiome-backup:access.keyPrefixes[1]").message, /no \*, \? or \$/);
        assert.match(problemAt(problems, "microbiome-backup:access.keyPrefixes[2]").message, /policy variable/);
        assert.match(problemAt(problems, "microbiome-backup:access.keyPrefixes[3]").message, /at least one character/);
        assert.match(problemAt(problems, "microbiome-backup:access.keyPrefixes[4]").message, /empty folder name/);
        assert.match(problemAt(problems, "microbiome-backup:access.keyPrefixes[6]").message, /repeats keyPrefixes\[5\]/);
    });

    it("refuses an access key for a console user, saying why and what to use instead", () => {
        const problems = problemsOf({ consoleUsers: [{ name: "jane", accessKeys: { a: "Active" } }] });
        const p = problemAt(problems, "microbiome-backup:access.consoleUsers[0].accessKeys");
        assert.deepEqual(p.value, { a: "Active" });
        assert.match(p.message, /console users never get an access key.*MFA.*machineUser\.accessKeys/);
    });

    it("refuses key slots other than a and b, other statuses, and keys without the machine user", () => {
        assert.match(problemAt(problemsOf({ machineUser: { accessKeys: { c: "Active" } } }), "microbiome-backup:access.machineUser.accessKeys.c").message, /unknown key; allowed here: a, b/);
        assert.match(problemAt(problemsOf({ machineUser: { accessKeys: { a: "Enabled" } } }), "microbiome-backup:access.machineUser.accessKeys.a").message, /Active or Inactive/);
        assert.match(problemAt(problemsOf({ machineUser: { enabled: false, accessKeys: { a: "Active" } } }), "microbiome-backup:access.machineUser.accessKeys").message, /needs the machine user/);
        assert.match(problemAt(problemsOf({ consoleUser: [] }), "microbiome-backup:access.consoleUser").message, /unknown key; allowed here: namePrefix, machineUser, consoleUsers, keyPrefixes, consoleBucketList/);
    });

    it("warns about two active keys, no identity at all, a bucket list nobody needs, and covered prefixes", () => {
        const rotating = parseAccess({ machineUser: { accessKeys: { a: "Active", b: "Active" } }, keyPrefixes: ["Analysis_", "Analysis_2024/"] });
        assert.ok(rotating.warnings.some((w) => w.key === "microbiome-backup:access.machineUser.accessKeys" && /rotation is under way.*IAM\.3/.test(w.message)));
        assert.ok(rotating.warnings.some((w) => w.key === "microbiome-backup:access.keyPrefixes[1]" && /already covered by keyPrefixes\[0\]/.test(w.message)));
        const nobody = parseAccess({ machineUser: { enabled: false }, consoleBucketList: true });
        assert.ok(nobody.warnings.some((w) => w.key === "microbiome-backup:access" && /nobody gets access/.test(w.message)));
        assert.ok(nobody.warnings.some((w) => w.key === "microbiome-backup:access.consoleBucketList"));
    });

    it("resolves names from <project>-<stack>, or from namePrefix and machineUser.name", () => {
        const names = resolveAccessNames(parseAccess({ consoleUsers: [{ name: "jane" }] }, "prod").config);
        assert.deepEqual(names, {
            group: "microbiome-backup-prod-bucket-access",
            groupPolicy: "microbiome-backup-prod-bucket-access",
            machineBoundary: "microbiome-backup-prod-machine-boundary",
            consoleGroup: "microbiome-backup-prod-console-users",
            consoleMfaPolicy: "microbiome-backup-prod-console-mfa",
            consoleBoundary: "microbiome-backup-prod-console-boundary",
            secretPath: "microbiome-backup-prod/",
            cliProfile: "microbiome-backup-prod",
            machineUser: "microbiome-backup-prod-lab-machine",
            consoleUsers: ["jane"],
        });
        const custom = resolveAccessNames(parseAccess({ namePrefix: "mb", machineUser: { name: "lab-pcs" } }, "prod").config);
        assert.equal(custom.group, "mb-bucket-access");
        assert.equal(custom.machineUser, "lab-pcs");
        assert.equal(resolveAccessNames(parseAccess({ machineUser: { enabled: false } }).config).machineUser, undefined);
    });

    it("refuses a default name prefix a long stack name would make too long, naming access.namePrefix", () => {
        const { config } = parseAccess({}, "a-very-long-stack-name-for-some-experiment-2026");
        assert.throws(
            () => resolveAccessNames(config),
            (err: unknown) => ConfigError.isConfigError(err) && err.problems.some((p) => p.key === "microbiome-backup:access.namePrefix" && /set access\.namePrefix/.test(p.message)),
        );
    });
});

describe("invalid access config through the offline preview (exit code 2)", () => {
    const cases: { what: string; access: unknown; key: string; message: RegExp }[] = [
        { what: "a user name IAM would reject", access: { consoleUsers: [{ name: "Lab Manager (shared)" }] }, key: "microbiome-backup:access.consoleUsers[0].name", message: /not a valid IAM user name/ },
        { what: "a malformed key prefix", access: { keyPrefixes: ["/Analysis_2024/*"] }, key: "microbiome-backup:access.keyPrefixes[0]", message: /not a valid S3 key prefix.*no leading slash.*no \*, \? or \$/ },
        { what: "an access key for a console user", access: { consoleUsers: [{ name: "lab.manager@example.com", accessKeys: { a: "Active" } }] }, key: "microbiome-backup:access.consoleUsers[0].accessKeys", message: /console users never get an access key/ },
    ];
    it("refuses a stack whose name makes the default IAM names too long, before declaring anything", () => {
        const run = previewVariant("prod", () => undefined, { stackName: "prod-with-a-very-long-experimental-stack-name" });
        assert.equal(run.status, 2, run.stderr);
        assert.match(run.stderr, /microbiome-backup:access\.namePrefix = \(missing\): the default name prefix .* set access\.namePrefix/);
    });

    for (const c of cases) {
        it(`refuses ${c.what}, naming ${c.key}`, () => {
            const run = previewVariant("prod", (config) => {
                config["microbiome-backup:access"] = c.access;
            });
            assert.equal(run.status, 2, run.stderr);
            const line = run.stderr.split("\n").find((l) => l.includes(`${c.key} = `));
            assert.ok(line, `stderr does not name ${c.key}:\n${run.stderr}`);
            assert.match(line, c.message);
            assert.doesNotMatch(run.stderr, /\n\s+at /, "a stack trace was printed");
        });
    }
});

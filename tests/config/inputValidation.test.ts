/**
 * Issue 13 — bad input never reaches AWS: every kind of value AWS, systemd or the provider would
 * refuse (or silently drop) is refused by config validation with the full key, the value and what is
 * allowed; the valid near-misses are accepted. The committed prod stack file is the starting point
 * of each case (as a new user edits it); the end-to-end cases run the real offline preview.
 */
import { strict as assert } from "node:assert";
import { parseStackConfig } from "../../config";
import { formatProblem, Problem } from "../../components/common/problems";
import { checkOnCalendar, dateNeverElapses, isKnownTimeZone } from "../../components/syncHost/rules";
import { checkHostName, checkIpv4Cidr } from "../../components/common/addressRules";
import { isKnownRegion } from "../../components/common/regionRules";
import { checkTiers } from "../../components/bucket/lifecycle";
import { problemAt, problemsOf, tryParse } from "../helpers/config";
import { previewVariant, stackConfig } from "../helpers/preview";
import { requireTool, run as runTool } from "../helpers/tools";

/*
 * The cases edit the stack file's YAML mapping in place, as a user edits the file: untyped by
 * nature (each case writes a wrong value on purpose), hence `any` here.
 */
/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment */
type Config = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The prod stack file's config with `edit` applied. */
function prodWith(edit: (c: Config) => void): Config {
    const c = stackConfig("prod") as Config;
    edit(c);
    return c;
}

/** The one problem at `key` of an edited prod config, rendered as the preview prints it. */
function refusal(edit: (c: Config) => void, key: string): string {
    return formatProblem(problemAt(problemsOf(prodWith(edit), "prod"), key));
}

/** Parses an edited prod config that must be valid; returns its warnings. */
function accepted(edit: (c: Config) => void): Problem[] {
    return [...parseStackConfig(prodWith(edit), "prod").warnings];
}

const P = "microbiome-backup";

describe("config: bad input never reaches AWS (issue 13)", () => {
    describe("S3 lifecycle: noncurrent expiry after every noncurrent transition (checkTiers, shared with the pack)", () => {
        it("refuses an expiry on or before a noncurrent transition of the backup bucket", () => {
            const line = refusal((c) => (c[`${P}:bucket`].lifecycle.noncurrentVersions.expireAfterDays = 30), `${P}:bucket.lifecycle.noncurrentVersions.tiers[0].days`);
            assert.match(line, /= 30: a transition at day 30 is on or after the expiry at day 30: .*S3 rejects the lifecycle configuration/);
        });
        it("refuses it for the DR bucket too", () => {
            const line = refusal(
                (c) => (c[`${P}:replication`].managed.lifecycle.noncurrentVersions = { tiers: [{ days: 400, storageClass: "DEEP_ARCHIVE" }], expireAfterDays: 365 }),
                `${P}:replication.managed.lifecycle.noncurrentVersions.tiers[0].days`,
            );
            assert.match(line, /= 400: a transition at day 400 is on or after the expiry at day 365/);
        });
        it("checkTiers: an error, no early-deletion warning with a negative stay", () => {
            const r = checkTiers([{ days: 30, storageClass: "DEEP_ARCHIVE" }], 10);
            assert.equal(r.errors.length, 1);
            assert.equal(r.warnings.length, 0);
            assert.equal(checkTiers([{ days: 30, storageClass: "DEEP_ARCHIVE" }], 210).errors.length, 0);
        });
    });

    describe("things that exist or not", () => {
        it("refuses a Region AWS does not list (AWS SDK partition metadata), for aws:region and the DR bucket", () => {
            assert.match(refusal((c) => (c["aws:region"] = "us-east-7"), "aws:region"), /^aws:region = "us-east-7": not an AWS Region: .*partition metadata/);
            assert.match(
                refusal((c) => (c[`${P}:replication`].destination.region = "eu-mars-1"), `${P}:replication.destination.region`),
                /= "eu-mars-1": not an AWS Region/,
            );
            for (const known of ["us-east-1", "eu-central-2", "ap-southeast-5", "us-gov-west-1", "cn-north-1"]) assert.ok(isKnownRegion(known), known);
            for (const unknown of ["us-east-7", "aws-global", "useast1", "mars-east-1"]) assert.ok(!isKnownRegion(unknown), unknown);
        });
        it("refuses an Availability Zone that is not <Region><letter> of aws:region, saying how to list them", () => {
            assert.match(
                refusal((c) => (c[`${P}:network`].availabilityZone = "us-east-1-bos-1a"), `${P}:network.availabilityZone`),
                /an Availability Zone name: a Region .* followed by one letter.*aws ec2 describe-availability-zones --region us-east-1/,
            );
            assert.match(
                refusal((c) => (c[`${P}:network`].availabilityZone = "us-west-2a"), `${P}:network.availabilityZone`),
                /must be an Availability Zone of aws:region us-east-1 \(this one is in us-west-2\)/,
            );
        });
        it("refuses an instance type EC2 does not have, naming the closest, and an arm64 one", () => {
            assert.match(
                refusal((c) => (c[`${P}:syncHost`].instanceType = "c6in.larg"), `${P}:syncHost.instanceType`),
                /= "c6in.larg": not an EC2 instance type; did you mean c6in.large\? \(aws.ec2.InstanceType of @pulumi\/aws/,
            );
            assert.match(refusal((c) => (c[`${P}:syncHost`].instanceType = "t3.mega"), `${P}:syncHost.instanceType`), /= "t3.mega": not an EC2 instance type/);
            assert.match(refusal((c) => (c[`${P}:syncHost`].instanceType = "m7g.large"), `${P}:syncHost.instanceType`), /an x86_64 instance type.*arm64/);
            assert.match(refusal((c) => (c[`${P}:syncHost`].instanceType = "a1.large"), `${P}:syncHost.instanceType`), /an x86_64 instance type/);
        });
        it("refuses a time zone systemd does not know and a date that never occurs", () => {
            assert.match(
                refusal((c) => (c[`${P}:syncHost`].schedule = "*-*-* 02:00 Mars/Base"), `${P}:syncHost.schedule`),
                /unknown time zone "Mars\/Base": systemd reads time zones from the host's tz database/,
            );
            assert.match(refusal((c) => (c[`${P}:syncHost`].schedule = "*-02-30 02:00"), `${P}:syncHost.schedule`), /the date \*-02-30 never occurs.*Next elapse: never/);
            assert.match(refusal((c) => (c[`${P}:syncHost`].schedule = "*-*-* 02:00 +05:00"), `${P}:syncHost.schedule`), /unknown time zone|systemd OnCalendar expression/);
        });
        it("accepts CET, hourly and Sat,Sun 03:00 (valid near-misses)", () => {
            for (const schedule of ["*-*-* 02:00:00 CET", "hourly", "Sat,Sun 03:00", "*-02-29 04:00", "Mon..Fri 22:30 Europe/Berlin"]) {
                // A schedule whose interval is not fixed (a leap day) needs the heartbeat window stated (the alarm's own rule).
                const heartbeat = schedule.startsWith("*-02-29") ? { heartbeatHours: 168 } : {};
                assert.deepEqual(
                    accepted((c) => {
                        c[`${P}:syncHost`].schedule = schedule;
                        Object.assign(c[`${P}:syncHost`].alarms, heartbeat);
                    }),
                    [],
                    schedule,
                );
            }
        });
    });

    describe("OnCalendar check agrees with systemd-analyze calendar", () => {
        const cases = [
            "*-*-* 02:00:00",
            "hourly",
            "Sat,Sun 03:00",
            "*-*-* 02:00:00 CET",
            "*-*-* 02:00 US/Eastern",
            "*-*-* 02:00 EST5EDT",
            "*-*-* 02:00 Mars/Base",
            "*-*-* 02:00 +05:00",
            "*-02-30",
            "*-04-31 01:00",
            "2025-02-29",
            "*-02-29",
            "*-01,02-30",
            "Mon..Fri 22:30",
            "*:0/15",
        ];
        for (const expression of cases) {
            it(`"${expression}"`, () => {
                requireTool("systemd-analyze");
                const run = runTool("systemd-analyze", ["calendar", expression]);
                const systemdAccepts = run.status === 0 && !/Next elapse: never/.test(run.stdout);
                assert.equal(checkOnCalendar(expression) === undefined, systemdAccepts, `${expression}: systemd says\n${run.stdout}${run.stderr}`);
            });
        }
        it("dateNeverElapses and isKnownTimeZone directly", () => {
            assert.ok(dateNeverElapses("*-02-30"));
            assert.ok(!dateNeverElapses("*-02-29"));
            assert.ok(dateNeverElapses("2025-02-29"));
            assert.ok(isKnownTimeZone("CET") && isKnownTimeZone("UTC") && isKnownTimeZone("Europe/Berlin") && isKnownTimeZone("US/Eastern"));
            assert.ok(!isKnownTimeZone("Mars/Base") && !isKnownTimeZone("+05:00"));
        });
    });

    describe("addresses (ipaddr.js)", () => {
        it("refuses an egress CIDR /40 or with an octet of 300", () => {
            for (const bad of ["203.0.113.0/40", "203.0.300.0/24", "203.0.113.10", "2001:db8::/32"]) {
                assert.match(refusal((c) => (c[`${P}:syncHost`].sources[0].egressCidr = bad), `${P}:syncHost.sources[0].egressCidr`), /an IPv4 CIDR block such as 203.0.113.10\/32/, bad);
            }
            assert.equal(checkIpv4Cidr("203.0.113.0/24"), undefined);
        });
        it("refuses the SFTP host 999.999.999.999, accepts an IPv4 literal and a DNS name", () => {
            assert.match(
                refusal((c) => (c[`${P}:syncHost`].sources[0].host = "999.999.999.999"), `${P}:syncHost.sources[0].host`),
                /= "999.999.999.999": not a valid IPv4 address/,
            );
            assert.deepEqual(accepted((c) => (c[`${P}:syncHost`].sources[0].host = "203.0.113.10")), []);
            assert.equal(checkHostName("sftp.example.com"), undefined);
            assert.notEqual(checkHostName("bad_host.example.com"), undefined);
        });
        it("refuses a VPC CIDR with an octet of 300", () => {
            assert.match(refusal((c) => (c[`${P}:network`].cidrBlock = "10.300.0.0/16"), `${P}:network.cidrBlock`), /an IPv4 CIDR block such as 10.42.0.0\/16/);
        });
    });

    describe("keys that would be silently dropped", () => {
        it("refuses an unknown aws: key, naming the closest provider key", () => {
            const line = refusal((c) => {
                c["aws:defaultTag"] = c["aws:defaultTags"];
                delete c["aws:defaultTags"];
            }, "aws:defaultTag");
            assert.match(line, /not a configuration key of the AWS provider; did you mean aws:defaultTags\?/);
        });
        it("accepts the AWS provider's own keys (read from @pulumi/aws)", () => {
            assert.deepEqual(accepted((c) => (c["aws:allowedAccountIds"] = ["111111111111"])), []);
            assert.deepEqual(accepted((c) => (c["aws:skipRequestingAccountId"] = true)), []);
        });
        it("refuses aws:defaultTags without its tags: wrapper", () => {
            const line = refusal((c) => (c["aws:defaultTags"] = { Project: "microbiome-backup" }), "aws:defaultTags.Project");
            assert.match(line, /defaultTags takes only tags: write the tag under it/);
        });
        it("refuses a key in a misspelled project namespace, naming the right key", () => {
            const line = refusal((c) => (c["microbiome-backups:protect"] = true), "microbiome-backups:protect");
            assert.match(line, /unknown namespace "microbiome-backups".*did you mean microbiome-backup:protect\?/);
        });
        it("refuses a tag key with the reserved aws: prefix", () => {
            const line = refusal((c) => (c["aws:defaultTags"].tags["aws:owner"] = "lab"), 'aws:defaultTags.tags["aws:owner"]');
            assert.match(line, /the tag key prefix aws: is reserved for AWS/);
        });
        it("names the closest key for a typo inside a section", () => {
            const line = refusal((c) => (c[`${P}:bucket`].adoptExisitng = true), `${P}:bucket.adoptExisitng`);
            assert.match(line, /unknown key; allowed here: .* — did you mean adoptExisting\?/);
        });
    });

    describe("encryption", () => {
        it("refuses an SSE-KMS key of another Region than aws:region for the bucket", () => {
            const line = refusal((c) => {
                c[`${P}:bucket`].encryption = { sseAlgorithm: "aws:kms", kmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/0000-placeholder" };
                c[`${P}:replication`].destination.replicaKmsKeyId = "arn:aws:kms:us-west-2:222222222222:key/0000-placeholder";
            }, `${P}:bucket.encryption.kmsKeyArn`);
            assert.match(line, /the bucket's KMS key must be in Region us-east-1 \(it is in eu-west-1\)/);
        });
    });

    describe("duplicates", () => {
        it("refuses the same alarm e-mail twice, whatever its case", () => {
            const line = refusal((c) => (c[`${P}:replication`].alarm.emails = ["oncall@example.com", "OnCall@Example.com"]), `${P}:replication.alarm.emails[1]`);
            assert.match(line, /the same address as emails\[0\]/);
        });
    });

    describe("messages", () => {
        it("required keys, integers, bounds and enums in the project's words with a source; no raw zod text", () => {
            const problems = problemsOf(
                prodWith((c) => {
                    delete c[`${P}:bucket`].name;
                    c[`${P}:replication`].priority = 1.5;
                    c[`${P}:syncHost`].rootVolumeSizeGiB = 2;
                    c[`${P}:replication`].deleteMarkerReplication = "On";
                    c[`${P}:access`].machineUser.accessKeys.a = "On";
                }),
                "prod",
            );
            const text = problems.map(formatProblem).join("\n");
            assert.doesNotMatch(text, /Invalid input|expected int|received|Invalid option|Too small/);
            assert.match(formatProblem(problemAt(problems, `${P}:bucket.name`)), /= \(missing\): required: an S3 bucket name .*\(README "Configuration"\)/);
            assert.match(formatProblem(problemAt(problems, `${P}:replication.priority`)), /= 1.5: a whole number \(no fraction\) \(docs\/replication.md/);
            assert.match(formatProblem(problemAt(problems, `${P}:syncHost.rootVolumeSizeGiB`)), /= 2: at least 8 GiB/);
            assert.match(formatProblem(problemAt(problems, `${P}:replication.deleteMarkerReplication`)), /= "On": Enabled or Disabled \(docs\/replication.md/);
            assert.match(formatProblem(problemAt(problems, `${P}:access.machineUser.accessKeys.a`)), /Active or Inactive/);
        });
        it("a secret value is never shown", () => {
            const raw = prodWith((c) => (c[`${P}:bucket`].name = "Offline_Secret_Bucket"));
            let text = "";
            try {
                parseStackConfig(raw, "prod", P, [`${P}:bucket`]);
            } catch (err) {
                text = (err as Error).message;
            }
            assert.match(text, /microbiome-backup:bucket\.name = \(a secret value; not shown\): not a valid S3 bucket name/);
            assert.doesNotMatch(text, /Offline_Secret_Bucket/);
        });
        it("a secret's text is masked inside messages too (e.g. a replacement-guard diff)", () => {
            const raw = prodWith((c) => (c[`${P}:bucket`].name = "offline-preview-secret-placeholder"));
            let text = "";
            try {
                parseStackConfig(raw, "prod", P, [`${P}:bucket`]);
            } catch (err) {
                text = (err as Error).message;
            }
            assert.match(text, /to "s3:\/\/\[secret\]\/"/);
            assert.doesNotMatch(text, /offline-preview-secret-placeholder/);
        });
        it("checks that cannot run name the invalid key; the replacement-guard diff comes after its cause", () => {
            const problems = problemsOf(prodWith((c) => (c[`${P}:network`].availabilityZone = "us-west-2a")), "prod");
            const keys = problems.map((p) => p.key);
            assert.ok(keys.indexOf(`${P}:network.availabilityZone`) < keys.indexOf(`${P}:fsx.replacementGuard.subnetIds`), keys.join("\n"));
            let notes: readonly string[] = [];
            try {
                parseStackConfig(prodWith((c) => (c[`${P}:bucket`].name = "Not_A_Bucket")), "prod");
            } catch (err) {
                notes = (err as { notes: readonly string[] }).notes;
            }
            assert.ok(notes.some((n) => /not checked: fsx\.dataRepositoryAssociations against bucket\.name, because microbiome-backup:bucket\.name is invalid/.test(n)), notes.join("\n"));
        });
        it("no error lands on a key that is fine: an invalid bucket name is reported once, not on the associations", () => {
            const problems = problemsOf(prodWith((c) => (c[`${P}:bucket`].name = "Not_A_Bucket")), "prod");
            assert.deepEqual(
                problems.map((p) => p.key),
                [`${P}:bucket.name`],
            );
        });
    });

    describe("end to end: npm run preview:offline", () => {
        it("a stack file with two unrelated mistakes in different sections gets both messages in one run (exit 2, no stack trace)", () => {
            const run = previewVariant("prod", (c: Config) => {
                c[`${P}:syncHost`].instanceType = "t3.mega";
                c[`${P}:replication`].alarm.emails = ["storage-oncall@example.com", "Storage-Oncall@example.com"];
            });
            assert.equal(run.status, 2, run.stderr);
            assert.match(run.stderr, /microbiome-backup:syncHost\.instanceType = "t3\.mega": not an EC2 instance type/);
            assert.match(run.stderr, /microbiome-backup:replication\.alarm\.emails\[1\] = "Storage-Oncall@example\.com": the same address as emails\[0\]/);
            assert.doesNotMatch(run.stderr, /\n\s+at .*\.ts:\d+/);
        });
        it("the valid near-misses run (CET, an IPv4 SFTP host, both key slots active)", () => {
            const run = previewVariant("prod", (c: Config) => {
                c[`${P}:syncHost`].schedule = "Sat,Sun 03:00 CET";
                c[`${P}:syncHost`].sources[0].host = "203.0.113.10";
                c[`${P}:access`].machineUser.accessKeys = { a: "Active", b: "Active" };
            });
            assert.equal(run.status, 0, run.stderr);
            assert.match(run.stdout, /both access-key slots are Active/);
        });
        it("a secure: value is not shown, and an output derived from it is [secret]", () => {
            const run = previewVariant("dev", (c: Config) => {
                c[`${P}:access`].consoleUsers = [{ name: { secure: "AAABAPlaceholderCiphertext" } }];
            });
            assert.equal(run.status, 0, run.stderr);
            assert.match(run.stdout, /^ {4}access *: "\[secret\]"$/m);
            const bad = previewVariant("dev", (c: Config) => {
                c[`${P}:replication`].alarm.emails = [{ secure: "AAABAPlaceholderCiphertext" }];
            });
            assert.equal(bad.status, 2, bad.stderr);
            assert.match(bad.stderr, /microbiome-backup:replication\.alarm\.emails\[0\] = \(a secret value; not shown\): an e-mail address/);
            assert.doesNotMatch(bad.stderr, /offline-preview-secret-placeholder"/);
        });
    });
});

describe("S3 key prefixes are measured in bytes, as S3 measures keys", () => {
    it("a 600-character prefix of 2-byte characters (1,200 bytes) is refused wherever a prefix is configured; 511 of them (1,022 bytes) pass", () => {
        const long = "é".repeat(600); // 2 bytes each: 1,200 bytes in 600 characters
        const ok = "é".repeat(511); // 1,022 bytes
        for (const [prefix, refused] of [[long, true], [ok, false]] as const) {
            const raw = structuredClone(stackConfig("prod"));
            const bucket = raw["microbiome-backup:bucket"] as { lifecycle: Record<string, unknown> };
            bucket.lifecycle.prefix = prefix;
            (raw["microbiome-backup:replication"] as Record<string, unknown>).prefix = prefix;
            (raw["microbiome-backup:access"] as Record<string, unknown>).keyPrefixes = [prefix];
            const keys = tryParse(raw, "prod").problems.filter((p) => /at most 1024 bytes of UTF-8/.test(p.message)).map((p) => p.key).sort();
            assert.deepEqual(
                keys,
                refused ? ["microbiome-backup:access.keyPrefixes[0]", "microbiome-backup:bucket.lifecycle.prefix", "microbiome-backup:replication.prefix"] : [],
                prefix.length.toString(),
            );
        }
    });
});

describe("one tag rule for the bucket's tags and aws:defaultTags (components/common/tags.ts)", () => {
    it("refuses a reserved aws: key, a 129-character key and a 257-character value in both places, and accepts the limits", () => {
        const bad = { "aws:owner": "lab", [`k${"x".repeat(128)}`]: "v", long: "v".repeat(257) };
        const good = { [`k${"x".repeat(127)}`]: "v".repeat(256) };
        for (const [tags, refused] of [[bad, true], [good, false]] as const) {
            const raw = structuredClone(stackConfig("prod"));
            (raw["microbiome-backup:bucket"] as Record<string, unknown>).tags = tags;
            (raw["aws:defaultTags"] as { tags: Record<string, string> }).tags = { ...tags };
            const problems = tryParse(raw, "prod").problems.filter((p) => /tags/.test(p.key));
            if (!refused) {
                assert.deepEqual(problems, []);
                continue;
            }
            for (const where of ["microbiome-backup:bucket.tags", "aws:defaultTags.tags"]) {
                const messages = problems.filter((p) => p.key.startsWith(where)).map((p) => p.message);
                assert.equal(messages.length, 3, `${where}: ${messages.join(" | ")}`);
                assert.ok(messages.some((m) => /aws: is reserved for AWS/.test(m)));
                assert.ok(messages.some((m) => /a tag key is 1–128 characters/.test(m)));
                assert.ok(messages.some((m) => /a tag value is at most 256 characters/.test(m)));
            }
        }
    });
});

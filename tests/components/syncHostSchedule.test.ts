/**
 * The sync host's scheduled-start run mode: schedule conversion and run counts, the boot script
 * (shellcheck, and its behaviour with stubbed systemctl/pgrep/sleep), the user-data additions, and
 * the real program's scheduler resources (offline preview of a prod variant).
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import {
    BOOT_UNIT,
    onCalendarToCron,
    renderBootRunScript,
    RUN_MODE_TAGS,
    runsPerMonth,
    SCHEDULED_START_PATHS,
    scheduledStartUserData,
    START_INSTANCES_TARGET_ARN,
} from "../../components/syncHost/schedule";
import { renderUserData, SYNC_SERVICE, SYNC_TIMER, UserDataInput } from "../../components/syncHost/userData";
import { previewVariant, previewVariantDocument, resourceNamed, resourcesOfType } from "../helpers/preview";
import { requireTool, run, tempDir, writeStub } from "../helpers/tools";

describe("sync host: scheduled-start run mode", function () {
    it("converts the daily OnCalendar forms to EventBridge Scheduler cron expressions, nothing else", () => {
        assert.equal(onCalendarToCron("*-*-* 02:00:00"), "cron(0 2 * * ? *)");
        assert.equal(onCalendarToCron("*-*-* 23:45"), "cron(45 23 * * ? *)");
        assert.equal(onCalendarToCron("Mon,Fri *-*-* 06:30:00"), "cron(30 6 ? * MON,FRI *)");
        assert.equal(onCalendarToCron("daily"), undefined);
        assert.equal(onCalendarToCron("*-*-* 02:00:30"), undefined, "seconds cannot be expressed");
        assert.equal(onCalendarToCron("*-*-* 25:00"), undefined);
    });

    it("counts runs per month (365/12 days) of cron and rate expressions", () => {
        const month = 365 / 12;
        assert.equal(runsPerMonth("cron(0 2 * * ? *)"), month); // daily
        assert.equal(runsPerMonth("cron(30 6 ? * MON,FRI *)"), (2 * month) / 7); // 8.69
        assert.equal(runsPerMonth("cron(0 2,14 * * ? *)"), 2 * month);
        assert.equal(runsPerMonth("cron(0 3 1 * ? *)"), 1); // monthly
        assert.equal(runsPerMonth("rate(12 hours)"), 2 * month);
        assert.equal(runsPerMonth("at(2027-01-01T00:00:00)"), undefined);
    });

    it("adds the boot unit and script to the user data and disables the timer after the setup script", () => {
        const input: UserDataInput = {
            fileSystemDnsName: "fs-0123456789abcdef0.fsx.us-east-1.amazonaws.com",
            mountName: "abcdefgh",
            mountPoint: "/fsx",
            schedule: "*-*-* 02:00:00",
            region: "us-east-1",
            backupBucketName: "3bigsmicrobiome",
            metricsStack: "microbiome-backup-prod",
            reportsPrefix: "_sync-reports/prod/",
            sources: [],
            additions: scheduledStartUserData(3, SYNC_SERVICE, SYNC_TIMER),
        };
        const doc = parse(renderUserData(input).replace(/^#cloud-config\n/, "")) as { write_files: { path: string; content: string }[]; runcmd: string[][] };
        const paths = doc.write_files.map((f) => f.path);
        assert.ok(paths.includes(SCHEDULED_START_PATHS.script) && paths.includes(SCHEDULED_START_PATHS.bootUnit));
        assert.equal(doc.runcmd.length, 2);
        assert.match(doc.runcmd[1].join(" "), new RegExp(`disable --now ${SYNC_TIMER.replace(".", "\\.")} && systemctl enable ${BOOT_UNIT.replace(".", "\\.")}`));
        assert.match(doc.write_files.find((f) => f.path === SCHEDULED_START_PATHS.script)!.content, /MAX_RUN_SECONDS=10800/);
    });

    it("the boot script passes shellcheck", () => {
        requireTool("shellcheck");
        const res = run("shellcheck", ["--severity=style", "--shell=bash", "-"], { input: renderBootRunScript(4, SYNC_SERVICE) });
        assert.equal(res.status, 0, res.stdout + res.stderr);
    });

    describe("the boot script's behaviour (stubbed systemctl, pgrep, sleep, timeout)", () => {
        /** Runs the script with stubs; `sessions` = how many polls see an open Session Manager session. */
        function boot(sessions: number, syncExit = 0): { log: string; stdout: string } {
            requireTool("bash");
            const { dir, cleanup } = tempDir("boot-run-");
            try {
                const log = path.join(dir, "calls.log");
                const counter = path.join(dir, "polls");
                fs.writeFileSync(counter, "0");
                writeStub(dir, "systemctl", `echo "systemctl $*" >>${log}\ncase "$1" in start) exit ${syncExit} ;; is-active) exit 3 ;; show) echo inactive ;; esac\nexit 0`);
                writeStub(dir, "timeout", `shift; "$@"`);
                writeStub(dir, "sleep", `echo "sleep $*" >>${log}`);
                writeStub(dir, "pgrep", `n=$(cat ${counter}); echo $((n + 1)) >${counter}; echo "pgrep $*" >>${log}; [ "$n" -lt ${sessions} ]`);
                const script = path.join(dir, "boot-run");
                fs.writeFileSync(script, renderBootRunScript(2, SYNC_SERVICE), { mode: 0o755 });
                const res = run("bash", [script], { env: { ...process.env, PATH: `${dir}:${process.env.PATH ?? ""}` } });
                assert.equal(res.status, 0, res.stderr);
                return { log: fs.readFileSync(log, "utf8"), stdout: res.stdout };
            } finally {
                cleanup();
            }
        }

        it("runs one sync, then powers off when no operator is connected", () => {
            const { log } = boot(0);
            const calls = log.trim().split("\n");
            assert.equal(calls[0], `systemctl start ${SYNC_SERVICE}`);
            assert.equal(calls[calls.length - 1], "systemctl poweroff");
            assert.ok(!calls.some((c) => c.startsWith("sleep")));
        });

        it("waits while a Session Manager session is open, then powers off", () => {
            const { log } = boot(2);
            assert.equal((log.match(/^sleep 60$/gm) ?? []).length, 2);
            assert.match(log, /pgrep -x ssm-session-worker/);
            assert.match(log, /systemctl poweroff\n$/);
        });

        it("powers off after a failed sync too (the next start retries)", () => {
            const { log, stdout } = boot(0, 1);
            assert.match(log, /systemctl poweroff\n$/);
            assert.match(stdout, /powering off/);
        });
    });

    it("program: scheduled-start declares the schedule, a role allowed only ec2:StartInstances on the instance, and tags the instance", () => {
        const doc = previewVariantDocument("prod", (c) => {
            const host = c["microbiome-backup:syncHost"] as Record<string, unknown>;
            host.runMode = "scheduled-start";
            host.maxRunHours = 3;
        });
        const schedule = resourceNamed(doc, "aws:scheduler/schedule:Schedule", "sync-host-start");
        assert.equal(schedule.inputs.scheduleExpression, "cron(0 2 * * ? *)");
        assert.equal(schedule.inputs.scheduleExpressionTimezone, "UTC");
        const target = schedule.inputs.target as { arn: string; input: string; roleArn: string };
        assert.equal(target.arn, START_INSTANCES_TARGET_ARN);
        const instance = resourcesOfType(doc, "aws:ec2/instance:Instance")[0];
        const instanceId = JSON.parse(target.input) as { InstanceIds: string[] };
        assert.equal(instanceId.InstanceIds.length, 1);
        const tags = instance.inputs.tags as Record<string, string>;
        assert.equal(tags[RUN_MODE_TAGS.runMode], "scheduled-start");
        assert.equal(tags[RUN_MODE_TAGS.maxRunHours], "3");
        const schedulerRole = resourceNamed(doc, "aws:iam/role:Role", "sync-host-scheduler-role");
        // The target is built from the scheduler role and the instance (their outputs), nothing else.
        assert.deepEqual([...(schedule.propertyDependencies?.target ?? [])].sort(), [instance.urn, schedulerRole.urn].sort());
        assert.match(target.roleArn, /:role\/sync-host-scheduler-role/);
        const trust = JSON.parse(schedulerRole.inputs.assumeRolePolicy as string) as { Statement: { Principal: { Service: string } }[] };
        assert.equal(trust.Statement[0].Principal.Service, "scheduler.amazonaws.com");
        const policy = JSON.parse(resourceNamed(doc, "aws:iam/rolePolicy:RolePolicy", "sync-host-scheduler-start").inputs.policy as string) as { Statement: { Action: string; Resource: string }[] };
        assert.deepEqual(policy.Statement.map((s) => s.Action), ["ec2:StartInstances"]);
        assert.match(policy.Statement[0].Resource, new RegExp(`:instance/${instanceId.InstanceIds[0]}$`));
        assert.deepEqual(doc.policies.violations, []);
    });

    it("config: a schedule without a cron equivalent needs scheduledStart.scheduleExpression (exit 2)", () => {
        const res = previewVariant("prod", (c) => {
            const host = c["microbiome-backup:syncHost"] as Record<string, unknown>;
            host.runMode = "scheduled-start";
            host.schedule = "daily";
        });
        assert.equal(res.status, 2);
        assert.match(res.stderr, /microbiome-backup:syncHost\.scheduledStart\.scheduleExpression = \(missing\): required with runMode scheduled-start/);
    });
});

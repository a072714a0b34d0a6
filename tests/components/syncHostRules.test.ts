import * as assert from "node:assert/strict";
import {
    checkHostBandwidth,
    checkHostKey,
    checkOnCalendar,
    checkSources,
    DEFAULT_INSTANCE_TYPE,
    fileSystemBaselineMBps,
    INSTANCE_BASELINE_GBPS,
    isArmInstanceType,
} from "../../components/syncHost/rules";
import { requireTool, run } from "../helpers/tools";

/** A real ed25519 public key blob (generated for these tests; no private key exists anywhere). */
const ED25519 = "AAAAC3NzaC1lZDI1NTE5AAAAIHeEp6+73sgQM0B6KsXtv0VaMARnEE4suaQIHx4dbMdw";

describe("syncHostRules", () => {
    describe("fileSystemBaselineMBps / checkHostBandwidth", () => {
        it("computes 1200 GiB × 125 MB/s/TiB as 150 MB/s, as the FSx guide counts it", () => {
            assert.equal(fileSystemBaselineMBps(1200, 125), 150);
            assert.equal(fileSystemBaselineMBps(2400, 250), 600);
        });

        it("warns for m6i.large (0.78 Gbps ≈ 98 MB/s) below a 150 MB/s file system, naming faster types", () => {
            const r = checkHostBandwidth("m6i.large", 150);
            assert.equal(r.errors.length, 0);
            assert.equal(r.warnings.length, 1);
            assert.deepEqual(r.warnings[0].path, ["instanceType"]);
            assert.match(r.warnings[0].message, /m6i\.large has a baseline network bandwidth of 0\.781 Gbps/);
            assert.match(r.warnings[0].message, /150 MB\/s/);
            assert.match(r.warnings[0].message, /m6i\.xlarge/);
        });

        it("does not warn when the host keeps up (m6i.xlarge ≈ 195 MB/s, the default c6in.large ≈ 390 MB/s)", () => {
            assert.equal(checkHostBandwidth("m6i.xlarge", 150).warnings.length, 0);
            assert.equal(checkHostBandwidth(DEFAULT_INSTANCE_TYPE, 150).warnings.length, 0);
            assert.equal(checkHostBandwidth(DEFAULT_INSTANCE_TYPE, 391).warnings.length, 1);
        });

        it("says nothing for types it has no figure for", () => {
            assert.equal(INSTANCE_BASELINE_GBPS["z1d.large"], undefined);
            assert.equal(checkHostBandwidth("z1d.large", 10_000).warnings.length, 0);
        });
    });

    it("isArmInstanceType recognises Graviton families only", () => {
        for (const t of ["m7g.large", "c6gn.xlarge", "t4g.small", "r8g.large", "x2gd.large", "im4gn.large", "g5g.xlarge"]) {
            assert.equal(isArmInstanceType(t), true, t);
        }
        for (const t of ["c6in.large", "m6i.large", "g4dn.xlarge", "t3.medium", "c7i.large", "m6a.large"]) {
            assert.equal(isArmInstanceType(t), false, t);
        }
    });

    describe("checkOnCalendar", () => {
        const valid = [
            "daily",
            "hourly",
            "weekly",
            "*-*-* 02:00:00",
            "*-*-* 02:00",
            "Mon..Fri 22:30",
            "Mon,Wed,Fri *-*-* 03:15:00",
            "*:0/15",
            "*-*-1 04:00",
            "2026-01-01 00:00:00",
            "*-02~03 05:00",
            "Sat 01:00 UTC",
            "*-*-* 06:00:00 Europe/Berlin",
            "*-*-* 8..18:00",
            "*-*-* 0/2:00",
            "Mon",
        ];
        const invalid = ["", "bogus", "25:00", "*-*-* 24:00", "*-13-01 00:00", "Funday 10:00", "*-*-* 10:60", "daily\nOnCalendar=hourly", "0 2 * * *", "*-*-* */2:00", "*-*-* 02:00:00 extra words"];

        it("accepts systemd calendar expressions", () => {
            for (const e of valid) assert.equal(checkOnCalendar(e), undefined, e);
        });

        it("refuses what is not one, saying what is allowed", () => {
            for (const e of invalid) {
                const message = checkOnCalendar(e);
                assert.ok(message, JSON.stringify(e));
                assert.match(message, /systemd OnCalendar expression/);
            }
        });

        it("agrees with systemd-analyze calendar on every example", () => {
            requireTool("systemd-analyze");
            for (const e of [...valid, ...invalid.filter((x) => x !== "" && !x.includes("\n"))]) {
                const systemd = run("systemd-analyze", ["calendar", e]).status === 0;
                assert.equal(checkOnCalendar(e) === undefined, systemd, `${JSON.stringify(e)}: systemd-analyze ${systemd ? "accepts" : "refuses"} it`);
            }
        });
    });

    describe("checkHostKey", () => {
        it("accepts a pinned key, with or without a comment", () => {
            assert.equal(checkHostKey(`ssh-ed25519 ${ED25519}`), undefined);
            assert.equal(checkHostKey(`ssh-ed25519 ${ED25519} root@sftp`), undefined);
        });

        it("refuses a known_hosts line with the host field, pointing at the fix", () => {
            assert.match(checkHostKey(`sftp.example.com ssh-ed25519 ${ED25519}`) ?? "", /drop the leading host field "sftp\.example\.com"/);
        });

        it("refuses unknown types, bad base64, a blob of another type and truncated keys", () => {
            assert.match(checkHostKey(`ssh-dss ${ED25519}`) ?? "", /unknown or missing key type "ssh-dss"/);
            assert.match(checkHostKey("ssh-ed25519 not*base64") ?? "", /not base64/);
            assert.match(checkHostKey(`ecdsa-sha2-nistp256 ${ED25519}`) ?? "", /does not encode a ecdsa-sha2-nistp256 key \(it encodes ssh-ed25519\)/);
            assert.match(checkHostKey("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5") ?? "", /truncated/);
            assert.match(checkHostKey(`ssh-ed25519 ${ED25519}\nssh-ed25519 ${ED25519}`) ?? "", /one key on one line/);
        });
    });

    describe("checkSources", () => {
        it("refuses duplicate names and shared destinations", () => {
            const r = checkSources([
                { name: "a", destination: "Analysis_2024/a/" },
                { name: "a", destination: "Analysis_2024/b/" },
                { name: "c", destination: "Analysis_2024/a" },
            ]);
            assert.deepEqual(
                r.errors.map((e) => e.path),
                [[1, "name"], [2, "destination"]],
            );
            assert.match(r.errors[1].message, /is also the destination of sources\[0\] \("a"\)/);
        });

        it("accepts nested destinations (a bucket-root source beside one under Analysis_2024/)", () => {
            assert.equal(checkSources([{ name: "a", destination: "" }, { name: "b", destination: "Analysis_2024/" }, { name: "c", destination: "Analysis_2024/x/" }]).errors.length, 0);
        });
    });
});

/**
 * Pure rule checks and hardening facts for the sync host, shared by config validation
 * (`config/syncHost.ts`), the component, the policy pack and the tests: instance network bandwidth
 * against the file system's throughput, the instance metadata options, systemd `OnCalendar`
 * expressions, pinned SSH host keys, and the source list.
 *
 * Sources: EC2 User Guide "Amazon EC2 instance network bandwidth" and the per-family "network
 * specifications" tables; FSx for Lustre User Guide "managing-throughput-capacity"; systemd.time(7)
 * "Calendar Events"; sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT" and RFC 4253 §6.6 (public key blob).
 */
import { InstanceType as Ec2InstanceType } from "@pulumi/aws/types/enums/ec2";
import { emptyResult, RuleFinding, RuleResult } from "../common/problems";
import { closestMatch } from "../common/suggest";

/**
 * Baseline (sustained, not burst) network bandwidth in Gbps of common x86_64 instance types.
 *
 * Source: EC2 User Guide, "Network specifications" of the general purpose, compute optimized and
 * burstable families (the "Baseline bandwidth (Gbps)" column), as summarised in the project's
 * AWS facts file (m6i.large ≈ 0.78, m6i.xlarge ≈ 1.56, c6in.large ≈ 3.1). A single TCP flow is
 * further capped at 5 Gbps outside a cluster placement group ("ec2-instance-network-bandwidth").
 * Types not listed here get no bandwidth warning (check the EC2 tables yourself).
 */
export const INSTANCE_BASELINE_GBPS: Readonly<Record<string, number>> = {
    "t3.small": 0.128,
    "t3.medium": 0.256,
    "t3.large": 0.512,
    "t3.xlarge": 1.024,
    "m6i.large": 0.781,
    "m6i.xlarge": 1.562,
    "m6i.2xlarge": 3.125,
    "m6i.4xlarge": 6.25,
    "m7i.large": 0.781,
    "m7i.xlarge": 1.562,
    "m7i.2xlarge": 3.125,
    "c6i.large": 0.781,
    "c6i.xlarge": 1.562,
    "c6i.2xlarge": 3.125,
    "c7i.large": 0.781,
    "c7i.xlarge": 1.562,
    "c6in.large": 3.125,
    "c6in.xlarge": 6.25,
    "c6in.2xlarge": 12.5,
    "m6in.large": 3.125,
    "m6in.xlarge": 6.25,
};

/** Default instance type: c6in.large, 2 vCPU, 4 GiB, 3.125 Gbps baseline (above a 1.2 TiB × 125 MB/s/TiB file system). */
export const DEFAULT_INSTANCE_TYPE = "c6in.large";

/**
 * Instance metadata options of the sync host (Security Hub EC2.8; EC2 `InstanceMetadataOptionsRequest`):
 * IMDSv2 session tokens required, a hop limit of 1 (the token cannot travel past the instance),
 * instance tags not exposed. The policy pack's `ec2-imdsv2-required` holds every instance and launch
 * template of the stack to the same `httpTokens` and names these options in its remediation.
 */
export const HARDENED_METADATA_OPTIONS = {
    httpEndpoint: "enabled",
    httpTokens: "required",
    httpPutResponseHopLimit: 1,
    instanceMetadataTags: "disabled",
} as const;

/** Megabytes per second (10^6 bytes) carried by one Gbps. */
const MBPS_PER_GBPS = 1000 / 8;

/**
 * Baseline throughput of an FSx for Lustre PERSISTENT file system: storage capacity in TiB ×
 * per-unit storage throughput. AWS counts 1200 GiB as 1.2 TiB (1.2 × 125 = 150 MB/s in the FSx
 * guide), so capacity is divided by 1000 here; that is slightly above the binary figure, i.e. on
 * the safe side for the warning it feeds.
 *
 * @param storageCapacityGiB `storageCapacity` of the file system, GiB.
 * @param perUnitStorageThroughput `perUnitStorageThroughput`, MB/s per TiB.
 * @returns baseline throughput in MB/s.
 */
export function fileSystemBaselineMBps(storageCapacityGiB: number, perUnitStorageThroughput: number): number {
    return (storageCapacityGiB / 1000) * perUnitStorageThroughput;
}

/**
 * Warns when the sync host's baseline network bandwidth is below the file system's baseline
 * throughput (the host could not keep the file system busy; bursts do not last).
 *
 * @param instanceType EC2 instance type, e.g. `c6in.large`.
 * @param fileSystemMBps the file system's baseline throughput in MB/s ({@link fileSystemBaselineMBps}).
 * @returns a warning at `["instanceType"]` when the host is slower; nothing for unlisted types.
 */
export function checkHostBandwidth(instanceType: string, fileSystemMBps: number): RuleResult {
    const result = emptyResult();
    const gbps = INSTANCE_BASELINE_GBPS[instanceType];
    if (gbps === undefined || !(fileSystemMBps > 0)) {
        return result;
    }
    const hostMBps = gbps * MBPS_PER_GBPS;
    if (hostMBps < fileSystemMBps) {
        const faster = Object.entries(INSTANCE_BASELINE_GBPS)
            .filter(([, g]) => g * MBPS_PER_GBPS >= fileSystemMBps)
            .sort((a, b) => a[1] - b[1])
            .slice(0, 3)
            .map(([t, g]) => `${t} (${g} Gbps)`);
        result.warnings.push({
            path: ["instanceType"],
            message:
                `${instanceType} has a baseline network bandwidth of ${gbps} Gbps (≈ ${Math.round(hostMBps)} MB/s), below the file ` +
                `system's baseline throughput of ≈ ${Math.round(fileSystemMBps)} MB/s (storageCapacity TiB × perUnitStorageThroughput): ` +
                `syncs run at the host's speed once its burst credits are spent (EC2 "instance network bandwidth")` +
                (faster.length ? `; types that keep up: ${faster.join(", ")}` : ""),
        });
    }
    return result;
}

/**
 * Graviton (arm64) instance families: letter(s), generation digit(s), then `g` (m7g, c6gn, t4g,
 * r8g, x2gd, im4gn, g5g). The sync host boots the x86_64 AMI, so these cannot run it.
 */
export function isArmInstanceType(instanceType: string): boolean {
    const family = instanceType.split(".")[0] ?? "";
    return /^[a-z]+\d+g[a-z-]*$/.test(family) || family === "a1";
}

/**
 * Every EC2 instance type name the AWS provider knows: the values of `aws.ec2.InstanceType` of
 * `@pulumi/aws` (pinned in package.json; generated from the EC2 API's `InstanceType` enumeration).
 * A type missing here is a typo or too new for the pinned provider.
 */
export const KNOWN_INSTANCE_TYPES: readonly string[] = Object.values(Ec2InstanceType as Record<string, string>);

/**
 * Checks the sync host's instance type: a type EC2 has (`aws.ec2.InstanceType` of @pulumi/aws,
 * naming the closest known type for a typo), x86_64 (the host boots the x86_64 Amazon Linux 2023
 * AMI: Graviton families `…g…` and `a1` are arm64), and not a Mac type (those run only on
 * Dedicated Hosts). Whether the type is offered in the stack's Region and Availability Zone
 * cannot be known offline: `aws ec2 describe-instance-type-offerings --location-type
 * availability-zone --filters Name=instance-type,Values=<type> --region <region>` tells.
 *
 * @returns an error message, or `undefined`.
 */
export function checkInstanceType(instanceType: string): string | undefined {
    const source = "aws.ec2.InstanceType of @pulumi/aws, from the EC2 API";
    if (!KNOWN_INSTANCE_TYPES.includes(instanceType)) {
        const near = closestMatch(instanceType, KNOWN_INSTANCE_TYPES);
        return `not an EC2 instance type${near ? `; did you mean ${near}?` : ""} (${source}; aws ec2 describe-instance-types --instance-types <type> lists one)`;
    }
    if (instanceType.startsWith("mac")) {
        return "a Mac instance type runs only on an EC2 Dedicated Host and boots macOS: choose an x86_64 type such as c6in.large";
    }
    if (isArmInstanceType(instanceType)) {
        return "an x86_64 instance type: the host runs the x86_64 Amazon Linux 2023 AMI, and Graviton types (…g…, a1) are arm64 (EC2 DescribeInstanceTypes ProcessorInfo.SupportedArchitectures)";
    }
    return undefined;
}

// ---------------------------------------------------------------------------------------------
// systemd OnCalendar

/** `OnCalendar` shorthands systemd accepts (systemd.time(7)). */
export const CALENDAR_SHORTHANDS = ["minutely", "hourly", "daily", "monthly", "weekly", "yearly", "annually", "quarterly", "semiannually"] as const;

const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/** One component list (`*`, `5`, `1,15`, `8..18`, `0/15`, `1..10/3`; not a star with a repetition) within [min, max]. */
function validComponent(text: string, min: number, max: number, decimals = false): boolean {
    const num = decimals ? /^\d+(\.\d{1,6})?$/ : /^\d+$/;
    const inRange = (s: string) => num.test(s) && Number(s) >= min && Number(s) <= max;
    if (text === "*") {
        return true;
    }
    return text.split(",").every((item) => {
        const [base, repeat, ...rest] = item.split("/");
        if (rest.length > 0 || base === undefined) return false;
        if (repeat !== undefined && !(/^\d+(\.\d{1,6})?$/.test(repeat) && Number(repeat) > 0)) return false;
        if (base === "*") return false; // "*/n" is refused by systemd 252; write "0/n"
        const range = base.split("..");
        if (range.length === 1) return inRange(range[0]);
        return range.length === 2 && inRange(range[0]) && inRange(range[1]) && Number(range[0]) <= Number(range[1]);
    });
}

function validWeekdays(token: string): boolean {
    return token.split(",").every((item) => {
        const range = item.split("..");
        return range.length <= 2 && range.every((d) => WEEKDAYS.includes(d.toLowerCase()));
    });
}

function validDate(token: string): boolean {
    // [YEAR-]MONTH-DAY, where the last separator may be `~` (days counted from the month's end).
    const m = /^(?:([^-~]+)-)?([^-~]+)([-~])([^-~]+)$/.exec(token);
    if (!m) return false;
    const [, year, month, , day] = m;
    return (year === undefined || validComponent(year, 1970, 2199)) && validComponent(month, 1, 12) && validComponent(day, 1, 31);
}

function validTime(token: string): boolean {
    const parts = token.split(":");
    if (parts.length < 2 || parts.length > 3) return false;
    const [h, m, s] = parts;
    return validComponent(h, 0, 23) && validComponent(m, 0, 59) && (s === undefined || validComponent(s, 0, 59, true));
}

/**
 * Checks a systemd timer `OnCalendar=` expression: a shorthand (`daily`, `hourly`, …) or
 * `[WEEKDAYS] [[YEAR-]MONTH-DAY] [HOUR:MINUTE[:SECOND]] [TIMEZONE]` with `*`, lists (`,`), ranges
 * (`..`) and repetitions (`/`) in each component (systemd.time(7) "Calendar Events"). It is a
 * conservative subset: what it accepts, `systemd-analyze calendar` accepts too.
 *
 * @param expression the configured schedule.
 * @returns an error message, or `undefined` when the expression is valid.
 */
export function checkOnCalendar(expression: string): string | undefined {
    const allowed =
        `a systemd OnCalendar expression (systemd.time(7)): a shorthand (${CALENDAR_SHORTHANDS.join(", ")}) or ` +
        `"[weekdays] [year-month-day] [hour:minute[:second]] [timezone]", e.g. "*-*-* 02:00:00", "Mon..Fri 22:30", "*:0/15"; ` +
        `check it with systemd-analyze calendar`;
    const text = expression.trim();
    if (text === "" || /[\r\n\t]/.test(expression)) {
        return allowed;
    }
    if ((CALENDAR_SHORTHANDS as readonly string[]).includes(text)) {
        return undefined;
    }
    const tokens = text.split(/ +/);
    let i = 0;
    let sawSomething = false;
    if (i < tokens.length && /^[A-Za-z]/.test(tokens[i]) && validWeekdays(tokens[i])) {
        i++;
        sawSomething = true;
    }
    if (i < tokens.length && !tokens[i].includes(":") && /[-~]/.test(tokens[i])) {
        if (!validDate(tokens[i])) return allowed;
        i++;
        sawSomething = true;
    }
    if (i < tokens.length && tokens[i].includes(":")) {
        if (!validTime(tokens[i])) return allowed;
        i++;
        sawSomething = true;
    }
    if (sawSomething && i === tokens.length - 1 && /^[A-Za-z]/.test(tokens[i])) {
        if (!isKnownTimeZone(tokens[i])) {
            return (
                `unknown time zone "${tokens[i]}": systemd reads time zones from the host's tz database (/usr/share/zoneinfo, tzdata on Amazon Linux 2023); ` +
                `give an IANA name such as Europe/Berlin, America/New_York or an alias such as UTC or CET (${TIME_ZONE_SOURCE}); check it with systemd-analyze calendar`
            );
        }
        i++;
    }
    if (!(sawSomething && i === tokens.length)) {
        return allowed;
    }
    const date = tokens.find((t) => !t.includes(":") && /[-~]/.test(t) && !/^[A-Za-z]/.test(t));
    if (date !== undefined && dateNeverElapses(date)) {
        return `the date ${date} never occurs (no month has that day in the given months and years), so the timer never elapses (systemd-analyze calendar shows "Next elapse: never"); give a day that exists, e.g. *-*-01`;
    }
    return undefined;
}

/**
 * Where time zone names come from: the tz database as the Node.js runtime's ICU ships it —
 * `Intl.supportedValuesOf("timeZone")` (canonical IANA names) plus the aliases ICU resolves
 * (`CET`, `EST5EDT`, `US/Eastern`, … from the tz database's `backward` file, which Amazon Linux
 * 2023's tzdata also installs under /usr/share/zoneinfo).
 */
export const TIME_ZONE_SOURCE = "IANA tz database: Intl.supportedValuesOf(\"timeZone\") and its aliases";

/**
 * True when `name` is a tz database name systemd finds under /usr/share/zoneinfo: `UTC`, a
 * canonical IANA name (`Intl.supportedValuesOf("timeZone")`), or an alias of one that ICU knows
 * (`CET`, `US/Eastern`). Offsets such as `+05:00`, which ECMA-402 accepts but systemd does not,
 * are refused.
 */
export function isKnownTimeZone(name: string): boolean {
    if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(name)) {
        return false;
    }
    if (name === "UTC" || Intl.supportedValuesOf("timeZone").includes(name)) {
        return true;
    }
    try {
        new Intl.DateTimeFormat("en-US", { timeZone: name });
        return true;
    } catch {
        return false;
    }
}

/** Expands one calendar component (`*`, `1,15`, `8..18`, `1/3`) into its values within [min, max]. */
function expandComponent(text: string, min: number, max: number): number[] {
    if (text === "*") {
        return Array.from({ length: max - min + 1 }, (_, k) => min + k);
    }
    const out = new Set<number>();
    for (const item of text.split(",")) {
        const [base, repeat] = item.split("/");
        const [from, to] = base.split("..").map(Number);
        const step = repeat !== undefined ? Math.max(1, Math.floor(Number(repeat))) : 1;
        const end = to !== undefined ? to : repeat !== undefined ? max : from;
        for (let v = from; v <= end && v <= max; v += step) out.add(v);
    }
    return [...out];
}

/**
 * True when a `[YEAR-]MONTH-DAY` token names no real date in any of its years and months
 * (`*-02-30`, `*-04-31`, `2025-02-29`): systemd accepts such an expression but the timer never
 * elapses. Days counted from the month's end (`~`) are not judged. Expects a token that passed the
 * syntax check.
 */
export function dateNeverElapses(token: string): boolean {
    const m = /^(?:([^-~]+)-)?([^-~]+)-([^-~]+)$/.exec(token);
    if (!m) {
        return false;
    }
    const years = m[1] === undefined || m[1] === "*" ? [2024, 2025, 2026, 2027] : expandComponent(m[1], 1970, 2199);
    const months = expandComponent(m[2], 1, 12);
    const days = expandComponent(m[3], 1, 31);
    const daysIn = (y: number, mo: number) => new Date(Date.UTC(y, mo, 0)).getUTCDate();
    return !years.some((y) => months.some((mo) => days.some((d) => d <= daysIn(y, mo))));
}

// ---------------------------------------------------------------------------------------------
// SSH host keys

/** Host key types a pinned key may have (OpenSSH; RSA keys are still `ssh-rsa` even when signing with rsa-sha2-*). */
export const HOST_KEY_TYPES = [
    "ssh-ed25519",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "ssh-rsa",
    "sk-ssh-ed25519@openssh.com",
    "sk-ecdsa-sha2-nistp256@openssh.com",
] as const;

/**
 * Checks a pinned SSH host key in the key part of the known_hosts format: `<type> <base64>`
 * with an optional trailing comment (e.g. `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA…`, as the second
 * and third fields of `ssh-keyscan -t ed25519 <host>`). The base64 blob must decode to a public
 * key whose embedded type name equals `<type>` (RFC 4253 §6.6), which catches truncated or
 * mixed-up keys.
 *
 * @returns an error message, or `undefined` when the key is well-formed.
 */
export function checkHostKey(value: string): string | undefined {
    const how = `the server's public host key as "<type> <base64>", e.g. the last two fields of "ssh-keyscan -t ed25519 <host>" (types: ${HOST_KEY_TYPES.join(", ")})`;
    if (/[\r\n]/.test(value)) {
        return `one key on one line: ${how}`;
    }
    const fields = value.trim().split(/\s+/);
    const [type, blob] = fields;
    if (!(HOST_KEY_TYPES as readonly string[]).includes(type ?? "")) {
        if (fields.length >= 3 && (HOST_KEY_TYPES as readonly string[]).includes(fields[1])) {
            return `drop the leading host field "${fields[0]}": the key is pinned per source, so give only ${how}`;
        }
        return `unknown or missing key type "${type ?? ""}": give ${how}`;
    }
    if (blob === undefined || !/^[A-Za-z0-9+/]+={0,2}$/.test(blob) || blob.length % 4 !== 0) {
        return `the key after "${type}" is not base64: give ${how}`;
    }
    const bytes = Buffer.from(blob, "base64");
    const length = bytes.length >= 4 ? bytes.readUInt32BE(0) : -1;
    const embedded = length > 0 && 4 + length <= bytes.length ? bytes.subarray(4, 4 + length).toString("latin1") : undefined;
    if (embedded !== type) {
        return `the base64 key does not encode a ${type} key${embedded ? ` (it encodes ${embedded})` : " (truncated or corrupted)"}: give ${how}`;
    }
    if (bytes.length < 4 + length + 16) {
        return `the ${type} key is truncated: give ${how}`;
    }
    return undefined;
}

// ---------------------------------------------------------------------------------------------
// Sources

/** The parts of a source the list checks read. */
export interface SourceIdentity {
    readonly name: string;
    /** The source's S3 key prefix in the backup bucket (`Analysis_2024/`, `""` = bucket root). */
    readonly destination: string;
}

/** Splits a key prefix into its segments (no empty segments). */
function segments(path: string): string[] {
    return path.split("/").filter((s) => s !== "" && s !== ".");
}

/**
 * Checks a source list as a whole: names are unique (they name files, staging directories and log
 * lines on the host), and no two sources share a destination, so each source's files are told
 * apart by prefix. Nested destinations are allowed (a bucket-root source for a remote tree already
 * laid out as `Analysis_<year>/<project>/…` beside a source under `Analysis_2024/`): each source's
 * staging, verification and release work on its own file list; a same-named file from two sources
 * is a new version of one object (README "Where a source's files land").
 *
 * @returns errors with paths `[index, "name" | "destination"]` relative to the list.
 */
export function checkSources(sources: readonly SourceIdentity[]): RuleResult {
    const result = emptyResult();
    const errors: RuleFinding[] = result.errors;
    sources.forEach((s, i) => {
        const first = sources.findIndex((o) => o.name === s.name);
        if (first < i) {
            errors.push({ path: [i, "name"], message: `duplicate source name: sources[${first}] is already called "${s.name}"; names must be unique` });
        }
        const mine = segments(s.destination).join("/");
        const same = sources.findIndex((o) => segments(o.destination).join("/") === mine);
        if (same < i) {
            errors.push({
                path: [i, "destination"],
                message: `is also the destination of sources[${same}] ("${sources[same].name}"): give each source its own key prefix (e.g. Analysis_2024/lab-a/ and Analysis_2024/lab-b/)`,
            });
        }
    });
    return result;
}

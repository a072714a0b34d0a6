import { parse } from "yaml";
import * as fs from "node:fs";
import { parseStackConfig, ConfigError } from "./config";
import { formatProblem } from "./config/problems";
const base = () => (parse(fs.readFileSync("Pulumi.prod.yaml", "utf8")) as { config: Record<string, any> }).config;
const cases: [string, (c: Record<string, any>) => void][] = [
  ["nc expiry", (c) => { c["microbiome-backup:bucket"].lifecycle.noncurrentVersions.expireAfterDays = 20; }],
  ["dr nc expiry", (c) => { c["microbiome-backup:replication"].managed.lifecycle.noncurrentVersions = { tiers: [{ days: 400, storageClass: "DEEP_ARCHIVE" }], expireAfterDays: 365 }; }],
  ["region", (c) => { c["aws:region"] = "us-east-7"; }],
  ["dest region", (c) => { c["microbiome-backup:replication"].destination.region = "eu-mars-1"; }],
  ["az", (c) => { c["microbiome-backup:network"].availabilityZone = "us-east-1-bos-1a"; }],
  ["az other region", (c) => { c["microbiome-backup:network"].availabilityZone = "us-west-2a"; }],
  ["instance typo", (c) => { c["microbiome-backup:syncHost"].instanceType = "c6in.larg"; }],
  ["instance mega", (c) => { c["microbiome-backup:syncHost"].instanceType = "t3.mega"; }],
  ["instance arm", (c) => { c["microbiome-backup:syncHost"].instanceType = "m7g.large"; }],
  ["tz", (c) => { c["microbiome-backup:syncHost"].schedule = "*-*-* 02:00 Mars/Base"; }],
  ["never", (c) => { c["microbiome-backup:syncHost"].schedule = "*-02-30 02:00"; }],
  ["cidr40", (c) => { c["microbiome-backup:syncHost"].sources[0].egressCidr = "203.0.113.0/40"; }],
  ["cidr300", (c) => { c["microbiome-backup:syncHost"].sources[0].egressCidr = "203.0.300.0/24"; }],
  ["host999", (c) => { c["microbiome-backup:syncHost"].sources[0].host = "999.999.999.999"; }],
  ["aws:defaultTag", (c) => { c["aws:defaultTag"] = c["aws:defaultTags"]; delete c["aws:defaultTags"]; }],
  ["no wrapper", (c) => { c["aws:defaultTags"] = { Project: "x" }; }],
  ["ns typo", (c) => { c["microbiome-backups:protect"] = true; }],
  ["aws tag", (c) => { c["aws:defaultTags"].tags["aws:owner"] = "me"; }],
  ["kms region", (c) => { c["microbiome-backup:bucket"].encryption = { sseAlgorithm: "aws:kms", kmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/abcd" }; c["microbiome-backup:replication"].destination.replicaKmsKeyId = "arn:aws:kms:us-west-2:222222222222:key/abcd"; }],
  ["dup email", (c) => { c["microbiome-backup:replication"].alarm.emails = ["a@example.com", "A@Example.com"]; }],
  ["required+int", (c) => { delete c["microbiome-backup:bucket"].name; c["microbiome-backup:fsx"].storageCapacity = 1200.5; c["microbiome-backup:syncHost"].rootVolumeSizeGiB = 2; c["microbiome-backup:replication"].deleteMarkerReplication = "On"; }],
  ["two sections", (c) => { c["microbiome-backup:network"].availabilityZone = "us-west-2a"; c["microbiome-backup:syncHost"].instanceType = "t3.mega"; }],
  ["guard", (c) => { c["microbiome-backup:network"].cidrBlock = "10.43.0.0/16"; c["microbiome-backup:fsx"].storageCapacity = 1300; }],
  ["secret", (c) => { c["microbiome-backup:bucket"].name = "offline-preview-secret-placeholder-X"; }],
];
for (const [name, edit] of cases) {
  const c = base(); edit(c);
  try { const r = parseStackConfig(c, "prod", "microbiome-backup", name === "secret" ? ["microbiome-backup:bucket"] : []); console.log(`== ${name}: ACCEPTED`, r.warnings.map(formatProblem)); }
  catch (e) { if (ConfigError.isConfigError(e)) { console.log(`== ${name}:`); for (const p of e.problems) console.log("  - " + formatProblem(p)); for (const n of e.notes) console.log("  (" + n + ")"); } else throw e; }
}
const ok: [string, (c: Record<string, any>) => void][] = [
  ["CET", (c) => { c["microbiome-backup:syncHost"].schedule = "*-*-* 02:00:00 CET"; }],
  ["hourly", (c) => { c["microbiome-backup:syncHost"].schedule = "hourly"; }],
  ["satsun", (c) => { c["microbiome-backup:syncHost"].schedule = "Sat,Sun 03:00"; }],
  ["ipv4 host", (c) => { c["microbiome-backup:syncHost"].sources[0].host = "203.0.113.10"; }],
  ["both keys", (c) => { c["microbiome-backup:access"].machineUser.accessKeys = { a: "Active", b: "Active" }; }],
  ["allowed accts", (c) => { c["aws:allowedAccountIds"] = ["111111111111"]; }],
];
for (const [name, edit] of ok) {
  const c = base(); edit(c);
  try { const r = parseStackConfig(c, "prod"); console.log(`== ${name}: ACCEPTED`, r.warnings.map(formatProblem)); }
  catch (e) { if (ConfigError.isConfigError(e)) { console.log(`== ${name}: REFUSED`); for (const p of e.problems) console.log("  - " + formatProblem(p)); } else throw e; }
}

/**
 * AWS Regions and Availability Zone names, checked offline against the AWS SDK's own partition
 * metadata: `partition()` of `@aws-sdk/util-endpoints` (pinned 3.996.55; the data is the SDK's
 * `partitions.json`, shipped in `@aws-sdk/core` and regenerated with every SDK release) returns a
 * Region's own entry, with its `description` ("US East (N. Virginia)"), only for a Region AWS lists
 * — an unknown name falls back to the partition's pattern without one.
 *
 * Availability Zones cannot be known offline: their names map to physical zones per account, and
 * older accounts see other letters in some Regions (EC2 User Guide "Availability Zones"), so only
 * the form `<Region><letter>` of a known Region is checked and the message says how to list them.
 */
import { partition } from "@aws-sdk/util-endpoints";

/** Where the Region list comes from, for messages. */
export const REGION_SOURCE = "AWS SDK partition metadata, @aws-sdk/util-endpoints";

/**
 * True when `name` is a Region in the AWS SDK's partition metadata (`us-east-1`, `eu-central-2`,
 * `us-gov-west-1`, `cn-north-1`, …); pseudo Regions such as `aws-global` are not Regions.
 */
export function isKnownRegion(name: string): boolean {
    if (!/^[a-z]{2,}(-[a-z]+)+-\d+$/.test(name)) {
        return false;
    }
    const entry = partition(name) as { description?: unknown };
    return typeof entry.description === "string";
}

/**
 * Describes a Region for messages, e.g. `us-east-1 (US East (N. Virginia))`.
 */
export function describeRegion(name: string): string {
    const entry = partition(name) as { description?: unknown };
    return typeof entry.description === "string" ? `${name} (${entry.description})` : name;
}

/** How to list the Availability Zones a Region offers the deploying account. */
export function listZonesCommand(region: string): string {
    return `aws ec2 describe-availability-zones --region ${region} --query "AvailabilityZones[?ZoneType=='availability-zone'].ZoneName"`;
}

/**
 * Checks an Availability Zone name: a known Region followed by one letter (`us-east-1a`). Local
 * Zones and Wavelength Zones (`us-east-1-bos-1a`) are refused: FSx for Lustre runs in Availability
 * Zones only.
 *
 * @param zone the configured zone name.
 * @param region the stack's Region (`aws:region`), when known: the zone must belong to it.
 * @returns an error message, or `undefined` when the form is right (whether the account has the
 *   zone can only be checked with {@link listZonesCommand}).
 */
export function checkAvailabilityZone(zone: string, region?: string): string | undefined {
    const m = /^(.+\d)([a-z])$/.exec(zone);
    const example = region ?? "us-east-1";
    const how = `list the account's zones with ${listZonesCommand(example)}`;
    if (!m || !isKnownRegion(m[1])) {
        return `an Availability Zone name: a Region (${REGION_SOURCE}) followed by one letter, such as ${example}a; ${how}`;
    }
    if (region !== undefined && m[1] !== region) {
        return `must be an Availability Zone of aws:region ${region} (this one is in ${m[1]}), e.g. ${region}a; ${how}`;
    }
    return undefined;
}

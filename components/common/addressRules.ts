/**
 * Network address rules shared by config validation and the components: IPv4/IPv6 addresses and
 * CIDR blocks are parsed with `ipaddr.js` (pinned 2.5.0, https://github.com/whitequark/ipaddr.js),
 * never with regular expressions, so `…/40`, an octet of 300 or `999.999.999.999` are refused the
 * way the EC2 API refuses them.
 *
 * Sources: EC2 API `IpRange.CidrIp` / `Ipv6Range.CidrIpv6` (an IPv4 or IPv6 CIDR block);
 * RFC 4632 (CIDR notation), RFC 4291 §2.3 (IPv6 prefixes); RFC 1123 §2.1 and RFC 1035 §2.3.1
 * (host names: labels of letters, digits and hyphens, 1–63 characters, at most 253 in all; a name
 * whose labels are all numeric reads as an IPv4 address, RFC 1123 §2.1).
 */
import * as ipaddr from "ipaddr.js";

/** A parsed CIDR block. */
export interface ParsedCidr {
    /** `ipv4` or `ipv6`. */
    readonly kind: "ipv4" | "ipv6";
    /** The address as written, normalised (`203.0.113.10`, `2001:db8::`). */
    readonly address: string;
    /** Prefix length in bits (0–32 for IPv4, 0–128 for IPv6). */
    readonly prefixLength: number;
    /** The network address of the block (host bits zero), normalised. */
    readonly networkAddress: string;
}

/**
 * Parses an IPv4 or IPv6 CIDR block (`203.0.113.10/32`, `2001:db8::/32`).
 *
 * @param text the configured block.
 * @returns the parsed block, or `undefined` when it is not a CIDR block (bad address, prefix
 *   length above 32/128, missing `/`).
 */
export function parseCidr(text: string): ParsedCidr | undefined {
    if (!text.includes("/")) {
        return undefined;
    }
    const isV4 = ipaddr.IPv4.isValidCIDRFourPartDecimal(text);
    if (!isV4 && !ipaddr.IPv6.isValidCIDR(text)) {
        return undefined;
    }
    const [address, prefixLength] = ipaddr.parseCIDR(text);
    const network = isV4 ? ipaddr.IPv4.networkAddressFromCIDR(text) : ipaddr.IPv6.networkAddressFromCIDR(text);
    return { kind: isV4 ? "ipv4" : "ipv6", address: address.toString(), prefixLength, networkAddress: network.toString() };
}

/**
 * True for an IPv4 address in dotted four-part decimal form (`203.0.113.10`): what an SFTP host or
 * a `/32` egress rule may name. Hex, octal and shortened forms (`0x7f.1`, `127.1`) are refused, as
 * lftp/ssh and the EC2 API would read them differently.
 */
export function isIpv4Address(text: string): boolean {
    return ipaddr.IPv4.isValidFourPartDecimal(text);
}

/**
 * Checks an IPv4 CIDR block for a security-group rule (`IpRange.CidrIp`).
 *
 * @returns an error message, or `undefined` when `text` is an IPv4 CIDR block.
 */
export function checkIpv4Cidr(text: string): string | undefined {
    const parsed = parseCidr(text);
    const form = "an IPv4 CIDR block such as 203.0.113.10/32: four decimal octets 0–255 and a prefix length 0–32 (EC2 API IpRange.CidrIp)";
    if (parsed === undefined) {
        return form;
    }
    if (parsed.kind !== "ipv4") {
        return `${form}; this stack's egress rules are IPv4 (the subnet has no IPv6 route)`;
    }
    return undefined;
}

/**
 * Checks a server name: an IPv4 address in dotted decimal, or a DNS host name (labels of letters,
 * digits and hyphens, 1–63 characters each, not starting or ending with a hyphen, 253 characters at
 * most). A name of four numeric labels that is not a valid address (`999.999.999.999`) is refused:
 * resolvers read it as an IPv4 address, not as a name (RFC 1123 §2.1).
 *
 * @returns an error message, or `undefined` when `text` is usable.
 */
export function checkHostName(text: string): string | undefined {
    const form = "a DNS host name (e.g. sftp.example.com: letters, digits and hyphens in dot-separated labels of 1–63 characters) or an IPv4 address such as 203.0.113.10 (RFC 1123 §2.1)";
    if (isIpv4Address(text)) {
        return undefined;
    }
    const labels = text.split(".");
    if (labels.every((l) => /^\d+$/.test(l))) {
        return `not a valid IPv4 address (each of the four octets is 0–255): ${form}`;
    }
    if (ipaddr.IPv6.isValid(text)) {
        return `${form}; an IPv6 literal is not supported (the subnet has no IPv6 route)`;
    }
    const label = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
    if (text.length === 0 || text.length > 253 || !labels.every((l) => label.test(l))) {
        return form;
    }
    return undefined;
}

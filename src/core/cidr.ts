/* eslint-disable no-bitwise -- IP addresses are bit fields: networks are computed with masks and shifts. */
/**
 * IP networks, parsed: the one place that decides what a CIDR block means,
 * so that every spelling of a network is judged by the network, not by its
 * text (`0::0/0`, `0:0:0:0:0:0:0:0/0` and `::/0` are all the whole IPv6
 * internet; `1.2.3.4/0` is the whole IPv4 internet).
 */

/** An IP address family. */
export type IpFamily = 'ipv4' | 'ipv6';

/** A parsed CIDR block. */
export interface Cidr {
  readonly family: IpFamily;
  /** The address as written, as a number. */
  readonly address: bigint;
  /** Prefix length. */
  readonly prefix: number;
  /** The network's first address. */
  readonly first: bigint;
  /** The network's last address. */
  readonly last: bigint;
  /** True when the address has bits set below the prefix (`10.0.0.1/16`). */
  readonly hostBitsSet: boolean;
  /** The network in its canonical spelling (`10.0.0.0/16`, `2001:db8::/32`). */
  readonly canonical: string;
}

const BITS: Record<IpFamily, number> = { ipv4: 32, ipv6: 128 };

/** Parses a dotted-quad IPv4 address (decimal octets without leading zeros), or undefined. */
export function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const p of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(p) || Number(p) > 255) return undefined;
    value = (value << 8n) | BigInt(Number(p));
  }
  return value;
}

/** True when an IPv4 address is written with leading zeros (`010.0.0.1`), which some readers take for octal. */
export function hasLeadingZeros(text: string): boolean {
  const host = text.split('/')[0];
  return /(^|[.])0\d/.test(host) && /^[\d.]+$/.test(host);
}

/** Parses an IPv6 address (full, compressed, or with an embedded IPv4 tail), or undefined. */
export function parseIpv6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || text.includes(':::')) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    const words = part.split(':');
    for (let i = 0; i < words.length; i++) {
      const w = words[i];
      if (i === words.length - 1 && w.includes('.')) {
        const v4 = parseIpv4(w);
        if (v4 === undefined) return undefined;
        out.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      } else if (/^[0-9a-fA-F]{1,4}$/.test(w)) {
        out.push(parseInt(w, 16));
      } else {
        return undefined;
      }
    }
    return out;
  };
  const head = groupsOf(halves[0]);
  const tail = halves.length === 2 ? groupsOf(halves[1]) : [];
  if (!head || !tail) return undefined;
  // An embedded IPv4 tail is only allowed at the very end.
  if (halves.length === 2 && halves[0].includes('.')) return undefined;
  const count = head.length + tail.length;
  if (halves.length === 2 ? count > 7 : count !== 8) return undefined;
  const groups = [...head, ...new Array(8 - count).fill(0), ...tail];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

/** An IPv4 address as text. */
function formatIpv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 0xffn)).join('.');
}

/** An IPv6 address in its canonical text (RFC 5952: lower case, the longest run of zero groups compressed). */
function formatIpv6(value: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) { bestStart = i; bestLength = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** Parses an IP address of either family. */
export function parseIp(text: string): { family: IpFamily; value: bigint } | undefined {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return { family: 'ipv4', value: v4 };
  const v6 = parseIpv6(text);
  if (v6 !== undefined) return { family: 'ipv6', value: v6 };
  return undefined;
}

/** Parses a CIDR block (`address/prefix`), or undefined when it is not one. */
export function parseCidr(text: string): Cidr | undefined {
  if (typeof text !== 'string') return undefined;
  const m = /^([^/\s]+)\/(0|[1-9]\d{0,2})$/.exec(text);
  if (!m) return undefined;
  const ip = parseIp(m[1]);
  if (!ip) return undefined;
  const bits = BITS[ip.family];
  const prefix = Number(m[2]);
  if (prefix > bits) return undefined;
  const hostMask = (1n << BigInt(bits - prefix)) - 1n;
  const first = ip.value & ~hostMask & ((1n << BigInt(bits)) - 1n);
  const last = first | hostMask;
  const canonical = `${ip.family === 'ipv4' ? formatIpv4(first) : formatIpv6(first)}/${prefix}`;
  return { family: ip.family, address: ip.value, prefix, first, last, hostBitsSet: ip.value !== first, canonical };
}

/** True when `cidr` is every address of its family (prefix 0, whatever the address). */
export function isWholeInternet(cidr: Cidr): boolean {
  return cidr.prefix === 0;
}

/**
 * True when the blocks of one family together cover every address of it
 * (`0.0.0.0/1` with `128.0.0.0/1` is the whole IPv4 internet, as is a single `/0`).
 */
export function coversFamily(blocks: readonly Cidr[], family: IpFamily): boolean {
  const max = (1n << BigInt(BITS[family])) - 1n;
  const ranges = blocks.filter((b) => b.family === family).map((b) => [b.first, b.last] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  let next = 0n;
  for (const [first, last] of ranges) {
    if (first > next) return false;
    if (last + 1n > next) next = last + 1n;
    if (next > max) return true;
  }
  return false;
}

/**
 * Terraform's `cidrsubnet(parent, newBits, netNum)`: the `netNum`-th block
 * of `newBits` more prefix bits inside `parent`, or undefined when it does
 * not exist (the prefix would exceed the family's bits, or `netNum` does not
 * fit in `newBits`).
 */
export function cidrSubnet(parent: Cidr, newBits: number, netNum: number): Cidr | undefined {
  const bits = BITS[parent.family];
  const prefix = parent.prefix + newBits;
  if (!Number.isInteger(newBits) || !Number.isInteger(netNum) || newBits < 0 || netNum < 0 || prefix > bits) return undefined;
  if (BigInt(netNum) >= 1n << BigInt(newBits)) return undefined;
  const first = parent.first | (BigInt(netNum) << BigInt(bits - prefix));
  return parseCidr(`${parent.family === 'ipv4' ? formatIpv4(first) : formatIpv6(first)}/${prefix}`);
}

/** True when every address of `inner` is in `outer` (same family). */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  return outer.family === inner.family && outer.first <= inner.first && inner.last <= outer.last;
}

/** True when two blocks of one family share an address. */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return a.family === b.family && a.first <= b.last && b.first <= a.last;
}

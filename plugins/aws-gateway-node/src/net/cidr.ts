import ipaddr from 'ipaddr.js';

/**
 * CIDR blocks parsed strictly, never compared as text: an address family, a
 * canonical spelling and the integer range it covers. Guardrails decide on
 * ranges ("do these blocks together cover the whole address space?"), so
 * `0.0.0.000/0`, `0.0.0.0/1` + `128.0.0.0/1` or `::ffff:0:0/96` cannot slip
 * past a list of forbidden strings.
 */

/** @public */
export type IpFamily = 'ipv4' | 'ipv6';

/** A CIDR block in canonical form. @public */
export interface Cidr {
  family: IpFamily;
  prefixLength: number;
  /** Canonical text: dotted decimal for IPv4, RFC 5952 for IPv6. */
  text: string;
  /** First and last address of the block, as integers. */
  first: bigint;
  last: bigint;
}

/**
 * Why a text is not an acceptable CIDR block. `canonical` is the block the
 * user probably meant, when there is exactly one.
 *
 * @public
 */
export type CidrProblem =
  | { kind: 'syntax' }
  | { kind: 'not-canonical'; canonical?: string }
  | { kind: 'host-bits'; canonical: string }
  | { kind: 'ipv4-mapped'; canonical: string };

/** @public */
export type CidrParseResult = { cidr: Cidr } | { problem: CidrProblem };

const BITS: Record<IpFamily, number> = { ipv4: 32, ipv6: 128 };
const PREFIX = /^(0|[1-9]\d{0,2})$/;
const DOTTED_QUAD = /^\d{1,3}(\.\d{1,3}){3}$/;
// ::ffff:0:0/96 holds IPv4 addresses written as IPv6 (RFC 4291 section 2.5.5.2).
const IPV4_MAPPED_FIRST = 0xffffn << 32n;
const IPV4_MAPPED_LAST = IPV4_MAPPED_FIRST + 0xffffffffn;

function toBigInt(bytes: number[]): bigint {
  return bytes.reduce((n, b) => (n << 8n) | BigInt(b), 0n);
}

function fromBigInt(value: bigint, family: IpFamily): string {
  const length = BITS[family] / 8;
  const bytes: number[] = [];
  for (let i = length - 1; i >= 0; i--) {
    bytes.push(Number((value >> BigInt(i * 8)) & 0xffn));
  }
  const address = ipaddr.fromByteArray(bytes);
  return family === 'ipv4'
    ? address.toString()
    : (address as ipaddr.IPv6).toRFC5952String();
}

function block(family: IpFamily, network: bigint, prefixLength: number): Cidr {
  const hostBits = BigInt(BITS[family] - prefixLength);
  return {
    family,
    prefixLength,
    text: `${fromBigInt(network, family)}/${prefixLength}`,
    first: network,
    last: network + (1n << hostBits) - 1n,
  };
}

/** The IPv4 block an IPv4-mapped IPv6 block stands for. */
function unmapped(cidr: Cidr): Cidr {
  return block(
    'ipv4',
    cidr.first - IPV4_MAPPED_FIRST,
    Math.max(0, cidr.prefixLength - 96),
  );
}

function parseAddress(
  text: string,
): { family: IpFamily; value: bigint; canonical: string } | undefined {
  if (text.includes(':')) {
    // Zone ids (fe80::1%eth0) name an interface of this host, not a network.
    if (text.includes('%') || !ipaddr.IPv6.isValid(text)) return undefined;
    const address = ipaddr.IPv6.parse(text);
    return {
      family: 'ipv6',
      value: toBigInt(address.toByteArray()),
      canonical: address.toRFC5952String(),
    };
  }
  // isValid also takes octal, hex and fewer than four parts; only plain dotted decimal is a spelling we accept.
  if (!DOTTED_QUAD.test(text) || !ipaddr.IPv4.isValid(text)) return undefined;
  const address = ipaddr.IPv4.parse(text);
  return {
    family: 'ipv4',
    value: toBigInt(address.toByteArray()),
    canonical: address.toString(),
  };
}

/**
 * Parses a CIDR block strictly: IPv4 as four decimal octets without leading
 * zeros, IPv6 in RFC 5952 form (lower case, shortest), a decimal prefix
 * length without leading zeros, no host bits set, and no IPv4-mapped IPv6
 * block (the IPv4 block must be written as such).
 *
 * @public
 */
export function parseCidr(text: string): CidrParseResult {
  const match = /^([^/]+)\/(\d{1,3})$/.exec(text);
  if (!match) return { problem: { kind: 'syntax' } };
  const [, addressText, prefixText] = match;
  if (DOTTED_QUAD.test(addressText) && /(^|\.)0\d/.test(addressText)) {
    // "010" is 10 to some parsers and 8 to others: no single block to suggest.
    return { problem: { kind: 'not-canonical' } };
  }
  const address = parseAddress(addressText);
  const prefixLength = Number(prefixText);
  if (!address || prefixLength > BITS[address.family])
    return { problem: { kind: 'syntax' } };
  const hostBits = BigInt(BITS[address.family] - prefixLength);
  const network = (address.value >> hostBits) << hostBits;
  const cidr = block(address.family, network, prefixLength);
  if (
    cidr.family === 'ipv6' &&
    cidr.first >= IPV4_MAPPED_FIRST &&
    cidr.last <= IPV4_MAPPED_LAST
  ) {
    return { problem: { kind: 'ipv4-mapped', canonical: unmapped(cidr).text } };
  }
  if (network !== address.value) {
    return { problem: { kind: 'host-bits', canonical: cidr.text } };
  }
  if (!PREFIX.test(prefixText) || address.canonical !== addressText) {
    return { problem: { kind: 'not-canonical', canonical: cidr.text } };
  }
  return { cidr };
}

/**
 * The address families whose whole space the blocks cover together. An IPv6
 * block overlapping the IPv4-mapped range also counts for the IPv4 addresses
 * it maps, so a dual-stack spelling cannot hide an open IPv4 endpoint.
 *
 * @public
 */
export function familiesCoveredEntirely(cidrs: Cidr[]): IpFamily[] {
  const ranges = rangesOf(cidrs);
  return (Object.keys(ranges) as IpFamily[]).filter(family =>
    covers(ranges[family], [[0n, (1n << BigInt(BITS[family])) - 1n]]),
  );
}

function rangesOf(cidrs: Cidr[]): Record<IpFamily, Array<[bigint, bigint]>> {
  const ranges: Record<IpFamily, Array<[bigint, bigint]>> = {
    ipv4: [],
    ipv6: [],
  };
  for (const c of cidrs) {
    ranges[c.family].push([c.first, c.last]);
    if (
      c.family === 'ipv6' &&
      c.first <= IPV4_MAPPED_LAST &&
      c.last >= IPV4_MAPPED_FIRST
    ) {
      const first = c.first > IPV4_MAPPED_FIRST ? c.first : IPV4_MAPPED_FIRST;
      const last = c.last < IPV4_MAPPED_LAST ? c.last : IPV4_MAPPED_LAST;
      ranges.ipv4.push([first - IPV4_MAPPED_FIRST, last - IPV4_MAPPED_FIRST]);
    }
  }
  return ranges;
}

/** Whether the union of `ranges` holds every address of every `wanted` range. */
function covers(
  ranges: Array<[bigint, bigint]>,
  wanted: Array<[bigint, bigint]>,
): boolean {
  const sorted = [...ranges].sort(
    (a, b) => Number(a[0] - b[0] > 0n) - Number(a[0] - b[0] < 0n),
  );
  return wanted.every(([wantedFirst, wantedLast]) => {
    let next = wantedFirst; // first wanted address not yet covered
    for (const [first, last] of sorted) {
      if (last < next) continue;
      if (first > next) return false;
      next = last + 1n;
      if (next > wantedLast) return true;
    }
    return false;
  });
}

/** `whole` minus `holes` (both lists of canonical blocks of one family), as sorted ranges. */
function rangesExcept(
  family: IpFamily,
  whole: string[],
  holes: string[],
): Array<[bigint, bigint]> {
  const canonicalBlock = (text: string) => {
    const result = parseCidr(text);
    if (!('cidr' in result) || result.cidr.family !== family)
      throw new Error(`not a canonical ${family} block: ${text}`);
    return result.cidr;
  };
  const cut = holes
    .map(canonicalBlock)
    .sort((a, b) => (a.first < b.first ? -1 : 1));
  return whole.map(canonicalBlock).flatMap(({ first, last }) => {
    const out: Array<[bigint, bigint]> = [];
    let next = first;
    for (const hole of cut) {
      if (hole.last < next || hole.first > last) continue;
      if (hole.first > next) out.push([next, hole.first - 1n]);
      next = hole.last + 1n;
    }
    if (next <= last) out.push([next, last]);
    return out;
  });
}

/**
 * The addresses a packet from the internet can come from: the globally
 * reachable space of the IANA special-purpose registries. Loopback, private,
 * shared, link-local, documentation, benchmarking, multicast and reserved
 * blocks are left out, so "everything but 127.0.0.0/8" or "everything but
 * 240.0.0.0/4" is still the whole internet.
 */
const INTERNET_SOURCES: Record<IpFamily, Array<[bigint, bigint]>> = {
  ipv4: rangesExcept(
    'ipv4',
    ['0.0.0.0/0'],
    [
      '0.0.0.0/8',
      '10.0.0.0/8',
      '100.64.0.0/10',
      '127.0.0.0/8',
      '169.254.0.0/16',
      '172.16.0.0/12',
      '192.0.0.0/24',
      '192.0.2.0/24',
      '192.168.0.0/16',
      '198.18.0.0/15',
      '198.51.100.0/24',
      '203.0.113.0/24',
      '224.0.0.0/3',
    ],
  ),
  // Global unicast; documentation addresses are no source.
  ipv6: rangesExcept('ipv6', ['2000::/3'], ['2001:db8::/32']),
};

/**
 * The address families in which the blocks together admit every internet
 * source address: the open-to-world test. Deciding on the whole address
 * space instead would let a list that leaves out only addresses no internet
 * client has (loopback, multicast, private ranges) pass as restricted. IPv6
 * blocks overlapping the IPv4-mapped range count for the IPv4 addresses they map.
 *
 * @public
 */
export function familiesOpenToTheInternet(cidrs: Cidr[]): IpFamily[] {
  const ranges = rangesOf(cidrs);
  return (Object.keys(ranges) as IpFamily[]).filter(family =>
    covers(ranges[family], INTERNET_SOURCES[family]),
  );
}

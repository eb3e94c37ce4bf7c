import fc from 'fast-check';
import {
  Cidr,
  familiesCoveredEntirely,
  familiesOpenToTheInternet,
  IpFamily,
  parseCidr,
} from './cidr';

function parsed(text: string): Cidr {
  const result = parseCidr(text);
  if (!('cidr' in result))
    throw new Error(`${text}: ${JSON.stringify(result.problem)}`);
  return result.cidr;
}

const covered = (...texts: string[]) =>
  familiesCoveredEntirely(texts.map(parsed));

/** Random canonical blocks: a random address with its host bits cleared. */
const ipv4Block = fc
  .tuple(
    fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 }),
    fc.integer({ min: 0, max: 32 }),
  )
  .map(([octets, prefix]) => {
    const value = octets.reduce((n, o) => n * 256 + o, 0);
    const network =
      prefix === 0
        ? 0
        : Math.floor(value / 2 ** (32 - prefix)) * 2 ** (32 - prefix);
    return `${[24, 16, 8, 0]
      .map(s => Math.floor(network / 2 ** s) % 256)
      .join('.')}/${prefix}`;
  });

const ipv6Block = fc
  .tuple(
    fc.array(fc.integer({ min: 0, max: 0xffff }), {
      minLength: 8,
      maxLength: 8,
    }),
    fc.integer({ min: 0, max: 128 }),
  )
  .map(([groups, prefix]) => {
    let value = groups.reduce((n, g) => (n << 16n) | BigInt(g), 0n);
    const host = BigInt(128 - prefix);
    value = (value >> host) << host;
    const text = Array.from({ length: 8 }, (_, i) =>
      ((value >> BigInt((7 - i) * 16)) & 0xffffn).toString(16),
    ).join(':');
    return { text, prefix };
  })
  .map(({ text, prefix }) => {
    // Whatever the spelling, parseCidr reports the canonical form; use it as the generated canonical block.
    const result = parseCidr(`${text}/${prefix}`);
    return 'cidr' in result
      ? result.cidr.text
      : (result.problem as { canonical?: string }).canonical ??
          `${text}/${prefix}`;
  })
  .filter(text => 'cidr' in parseCidr(text));

/** Splits the whole space of a family into random blocks: each block is either kept or halved again. */
function randomPartition(family: IpFamily, maxDepth: number) {
  const bits = family === 'ipv4' ? 32 : 128;
  return fc.infiniteStream(fc.boolean()).map(stream => {
    const it = stream[Symbol.iterator]();
    const blocks: Array<[bigint, number]> = [];
    const split = (network: bigint, prefix: number, depth: number) => {
      if (depth < maxDepth && prefix < bits && it.next().value) {
        split(network, prefix + 1, depth + 1);
        split(
          network + (1n << BigInt(bits - prefix - 1)),
          prefix + 1,
          depth + 1,
        );
      } else {
        blocks.push([network, prefix]);
      }
    };
    split(0n, 0, 0);
    return blocks.map(([network, prefix]) => {
      const bytes = Array.from({ length: bits / 8 }, (_, i) =>
        Number((network >> BigInt((bits / 8 - 1 - i) * 8)) & 0xffn),
      );
      const address =
        family === 'ipv4'
          ? bytes.join('.')
          : Array.from({ length: 8 }, (_, i) =>
              ((bytes[2 * i] << 8) | bytes[2 * i + 1]).toString(16),
            ).join(':');
      const result = parseCidr(`${address}/${prefix}`);
      return 'cidr' in result
        ? result.cidr
        : parsed((result.problem as { canonical: string }).canonical);
    });
  });
}

describe('parseCidr', () => {
  it('accepts canonical IPv4 and IPv6 blocks', () => {
    expect(parsed('203.0.113.0/24')).toMatchObject({
      family: 'ipv4',
      prefixLength: 24,
      text: '203.0.113.0/24',
    });
    expect(parsed('0.0.0.0/0')).toMatchObject({
      first: 0n,
      last: 2n ** 32n - 1n,
    });
    expect(parsed('2001:db8::/32')).toMatchObject({
      family: 'ipv6',
      prefixLength: 32,
    });
    expect(parsed('::/0')).toMatchObject({ first: 0n, last: 2n ** 128n - 1n });
  });

  it.each([
    ['10.0.0.1/8', { kind: 'host-bits', canonical: '10.0.0.0/8' }],
    ['2001:db8::1/32', { kind: 'host-bits', canonical: '2001:db8::/32' }],
    ['0.0.0.000/0', { kind: 'not-canonical' }],
    ['010.0.0.0/8', { kind: 'not-canonical' }],
    ['10.0.0.0/08', { kind: 'not-canonical', canonical: '10.0.0.0/8' }],
    ['2001:DB8::/32', { kind: 'not-canonical', canonical: '2001:db8::/32' }],
    [
      '2001:0db8:0:0:0:0:0:0/32',
      { kind: 'not-canonical', canonical: '2001:db8::/32' },
    ],
    ['::ffff:0:0/96', { kind: 'ipv4-mapped', canonical: '0.0.0.0/0' }],
    ['::ffff:0.0.0.0/96', { kind: 'ipv4-mapped', canonical: '0.0.0.0/0' }],
    [
      '::ffff:cb00:7100/120',
      { kind: 'ipv4-mapped', canonical: '203.0.113.0/24' },
    ],
    ['10.0.0.0/33', { kind: 'syntax' }],
    ['::/129', { kind: 'syntax' }],
    ['203.0.113.0', { kind: 'syntax' }],
    ['10.0.0/8', { kind: 'syntax' }],
    ['0x0a.0.0.0/8', { kind: 'syntax' }],
    ['fe80::%eth0/64', { kind: 'syntax' }],
    ['10.0.0.0/8/8', { kind: 'syntax' }],
    [' 10.0.0.0/8', { kind: 'syntax' }],
    ['10.0.0.0/-1', { kind: 'syntax' }],
  ])('refuses %s', (text, problem) => {
    expect(parseCidr(text)).toEqual({ problem });
  });

  it('round-trips every canonical block (property)', () => {
    fc.assert(
      fc.property(fc.oneof(ipv4Block, ipv6Block), text => {
        expect(parsed(text).text).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it('reports the network of a block with host bits set (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 255 }), {
          minLength: 4,
          maxLength: 4,
        }),
        fc.integer({ min: 0, max: 31 }),
        (octets, prefix) => {
          const text = `${octets.join('.')}/${prefix}`;
          const result = parseCidr(text);
          // Either the block is canonical as written, or the problem is its host
          // bits and names its network with the same prefix length.
          const outcome =
            'cidr' in result
              ? { kind: 'canonical', text: result.cidr.text }
              : {
                  kind: result.problem.kind,
                  prefixLength: parsed(
                    (result.problem as { canonical: string }).canonical,
                  ).prefixLength,
                };
          expect([
            { kind: 'canonical', text },
            { kind: 'host-bits', prefixLength: prefix },
          ]).toContainEqual(outcome);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('familiesCoveredEntirely', () => {
  it('sees the whole space in any spelling of it', () => {
    expect(covered('0.0.0.0/0')).toEqual(['ipv4']);
    // ::/0 also holds the IPv4-mapped block, so it is open to IPv4 clients of dual-stack sockets too.
    expect(covered('::/0')).toEqual(['ipv4', 'ipv6']);
    expect(covered('0.0.0.0/1', '128.0.0.0/1')).toEqual(['ipv4']);
    expect(
      covered('0.0.0.0/1', '128.0.0.0/2', '192.0.0.0/2', '::/1', '8000::/1'),
    ).toEqual(['ipv4', 'ipv6']);
    // IPv6 blocks overlapping ::ffff:0:0/96 count for the IPv4 addresses they map.
    expect(covered('::/64')).toEqual(['ipv4']);
  });

  it('does not see the whole space when a single address is missing', () => {
    expect(
      covered('0.0.0.0/1', '128.0.0.0/2', '192.0.0.0/3', '224.0.0.0/4'),
    ).toEqual([]);
    expect(covered('203.0.113.0/24', '198.51.100.0/24')).toEqual([]);
    expect(covered()).toEqual([]);
    expect(covered('0.0.0.0/1', '128.0.0.0/1', '128.0.0.0/1')).toEqual([
      'ipv4',
    ]);
  });

  it('always detects a random partition of the whole space, and never one missing a block (property)', () => {
    for (const family of ['ipv4', 'ipv6'] as const) {
      fc.assert(
        fc.property(randomPartition(family, 12), fc.nat(), (blocks, drop) => {
          expect(familiesCoveredEntirely(blocks)).toContain(family);
          const shuffled = [...blocks].reverse();
          expect(familiesCoveredEntirely(shuffled)).toContain(family);
          // Dropping any one block leaves a hole (a partition of one block drops to nothing).
          const missing = blocks.filter((_, i) => i !== drop % blocks.length);
          expect(familiesCoveredEntirely(missing)).not.toContain(family);
        }),
        { numRuns: 200 },
      );
    }
  });
});

const openToInternet = (...texts: string[]) =>
  familiesOpenToTheInternet(texts.map(parsed));

/** Every IPv4 /8 from 0 to 255 except those listed. */
const slashEightsExcept = (...skipped: number[]) =>
  Array.from({ length: 256 }, (_, i) => i)
    .filter(i => !skipped.includes(i))
    .map(i => `${i}.0.0.0/8`);

describe('familiesOpenToTheInternet', () => {
  it('is open whenever the whole space is covered', () => {
    expect(openToInternet('0.0.0.0/0')).toEqual(['ipv4']);
    expect(openToInternet('::/0')).toEqual(['ipv4', 'ipv6']);
    expect(
      openToInternet('0.0.0.0/1', '128.0.0.0/1', '::/1', '8000::/1'),
    ).toEqual(['ipv4', 'ipv6']);
    expect(openToInternet('::/80')).toEqual(['ipv4']);
  });

  it('is open when only addresses no internet client has are left out (attacks)', () => {
    // Loopback, "this network", multicast and reserved blocks are never the source of an internet packet.
    expect(openToInternet(...slashEightsExcept(0, 127))).toEqual(['ipv4']);
    expect(
      openToInternet(
        ...slashEightsExcept(...Array.from({ length: 32 }, (_, i) => 224 + i)),
      ),
    ).toEqual(['ipv4']);
    expect(openToInternet('0.0.0.0/1', '128.0.0.0/2', '192.0.0.0/3')).toEqual([
      'ipv4',
    ]);
    // Private and shared ranges reach the load balancer from the VPC only.
    expect(
      openToInternet(
        ...slashEightsExcept(10, 127).filter(b => b !== '100.0.0.0/8'),
        '100.0.0.0/10',
        '100.128.0.0/9',
      ),
    ).toEqual(['ipv4']);
    // IPv6 global unicast is 2000::/3; the rest is not routed on the internet.
    expect(openToInternet('2000::/3')).toEqual(['ipv6']);
    expect(openToInternet('2000::/4', '3000::/5', '3800::/5')).toEqual([
      'ipv6',
    ]);
  });

  it('is not open when a globally reachable block is missing', () => {
    expect(openToInternet(...slashEightsExcept(8))).toEqual([]);
    expect(openToInternet('2000::/4')).toEqual([]);
    expect(openToInternet('2000::/4', '3000::/5')).toEqual([]);
    expect(openToInternet('203.0.113.0/24', '198.51.100.0/24')).toEqual([]);
    expect(openToInternet()).toEqual([]);
  });

  it('never lets a partition of the whole space through, and tells a missing global address from a missing special one (property)', () => {
    const special = [
      '0.0.0.0/8',
      '10.0.0.0/8',
      '127.0.0.0/8',
      '224.0.0.0/3',
    ].map(parsed);
    const global = [
      '1.0.0.0/8',
      '8.8.8.0/24',
      '203.0.114.0/23',
      '223.255.255.255/32',
    ].map(parsed);
    fc.assert(
      fc.property(randomPartition('ipv4', 12), fc.nat(), (blocks, pick) => {
        expect(familiesOpenToTheInternet(blocks)).toContain('ipv4');
        // Remove every block inside a special-purpose block: still open to the internet.
        const s = special[pick % special.length];
        const withoutSpecial = blocks.filter(
          b => !(b.first >= s.first && b.last <= s.last),
        );
        expect(familiesOpenToTheInternet(withoutSpecial)).toContain('ipv4');
        // Remove every block overlapping a globally reachable one: not open.
        const g = global[pick % global.length];
        const withoutGlobal = blocks.filter(
          b => b.last < g.first || b.first > g.last,
        );
        expect(familiesOpenToTheInternet(withoutGlobal)).not.toContain('ipv4');
      }),
      { numRuns: 200 },
    );
  });
});

import { Gateway, L4Route } from '../../kubernetes/types';
import {
  gatewayStructureKey,
  LoadBalancerStructure,
  LoadBalancerStructureCache,
  reconciled,
  surroundingsStructureKey,
} from './structureCache';

const TARGET = { region: 'us-west-2', accountId: '123456789012' };
const LB_ARN =
  'arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/net/k8s-shop/abc';
const LOCATION = { target: TARGET, controllerClusterName: 'dev' };

function gateway(overrides: Partial<Gateway['metadata']> = {}): Gateway {
  return {
    metadata: {
      name: 'orders',
      namespace: 'shop',
      uid: 'gw-uid',
      generation: 3,
      ...overrides,
    },
    spec: { gatewayClassName: 'aws-nlb', listeners: [] },
    status: {
      addresses: [{ value: 'k8s-shop.elb.amazonaws.com' }],
      conditions: [
        {
          type: 'Programmed',
          status: 'True',
          message: LB_ARN,
          observedGeneration: 3,
        },
      ],
    },
  } as Gateway;
}

function route(generation = 1, observed: number | null = 1): L4Route {
  return {
    kind: 'TCPRoute',
    apiVersion: 'gateway.networking.k8s.io/v1alpha2',
    metadata: { name: 'orders', namespace: 'shop', uid: 'r-uid', generation },
    spec: { parentRefs: [{ name: 'orders' }] },
    status: {
      parents: [
        {
          parentRef: { name: 'orders' },
          controllerName: 'gateway.k8s.aws/nlb',
          conditions: [
            {
              type: 'Accepted',
              status: 'True',
              ...(observed !== null ? { observedGeneration: observed } : {}),
            },
          ],
        },
      ],
    },
  };
}

const binding = (arn: string) => ({
  metadata: { name: 'tgb', namespace: 'shop', uid: 'b-uid', generation: 1 },
  spec: { targetGroupARN: arn, serviceRef: { name: 'orders', port: 80 } },
});

const trusted = { arn: LB_ARN, kind: 'loadbalancer' as const, target: TARGET };
const STRUCTURE: LoadBalancerStructure = {
  loadBalancer: {
    arn: LB_ARN,
    name: 'k8s-shop',
    dnsName: 'k8s-shop.elb.amazonaws.com',
    scheme: 'internal',
    state: 'active',
    type: 'network',
    accountId: TARGET.accountId,
    region: TARGET.region,
    consoleUrl: 'https://console.aws.amazon.com/',
    foundBy: 'status-arn',
  },
  arn: trusted,
  listeners: [],
  groups: [],
};

function keysOf(gw: Gateway, routes: L4Route[], tgArn = 'tg-1') {
  return {
    gatewayKey: gatewayStructureKey({
      cluster: 'dev',
      gateway: gw,
      location: LOCATION,
      statusArn: trusted,
      limit: 20,
    }),
    surroundingsKey: surroundingsStructureKey({
      gateway: gw,
      routes,
      bindings: [binding(tgArn)],
      configurations: [],
      loadBalancerSettings: { scheme: 'internal' },
    }),
  };
}

describe('structure cache keys', () => {
  it('change with what the controller reconciles from, not with status-only writes', () => {
    const base = keysOf(gateway(), [route()]);
    const statusOnly = gateway();
    statusOnly.status!.conditions![0].lastTransitionTime =
      '2026-01-01T00:00:00Z';
    expect(keysOf(statusOnly, [route()])).toEqual(base);

    expect(keysOf(gateway({ generation: 4 }), [route()]).gatewayKey).not.toBe(
      base.gatewayKey,
    );
    expect(keysOf(gateway({ uid: 'other' }), [route()]).gatewayKey).not.toBe(
      base.gatewayKey,
    );
    const otherArn = gateway();
    otherArn.status!.addresses = [{ value: 'other.elb.amazonaws.com' }];
    expect(keysOf(otherArn, [route()]).gatewayKey).not.toBe(base.gatewayKey);

    expect(keysOf(gateway(), [route(2, 2)]).surroundingsKey).not.toBe(
      base.surroundingsKey,
    );
    expect(keysOf(gateway(), [route()], 'tg-2').surroundingsKey).not.toBe(
      base.surroundingsKey,
    );
  });

  it('does not depend on the order objects are listed in', () => {
    const a = { ...route(), metadata: { ...route().metadata, name: 'a' } };
    const b = { ...route(), metadata: { ...route().metadata, name: 'b' } };
    expect(keysOf(gateway(), [a, b])).toEqual(keysOf(gateway(), [b, a]));
  });
});

describe('reconciled', () => {
  it('needs every observed generation current and each route to have its status for the Gateway', () => {
    expect(reconciled(gateway(), [route()])).toBe(true);
    expect(reconciled(gateway(), [route(2, 1)])).toBe(false);
    expect(reconciled(gateway({ generation: 4 }), [route()])).toBe(false);
    const unseen = route();
    unseen.status = { parents: [] };
    expect(reconciled(gateway(), [unseen])).toBe(false);
    // Conditions that do not say which generation they observed are believed.
    expect(reconciled(gateway(), [route(5, null)])).toBe(true);
  });
});

describe('LoadBalancerStructureCache', () => {
  function cache(options: { maxEntries?: number } = {}) {
    let now = 1_000;
    const c = new LoadBalancerStructureCache({
      maxAgeMs: 60_000,
      refreshAfterMs: 10_000,
      now: () => now,
      ...options,
    });
    return {
      c,
      advance: (ms: number) => {
        now += ms;
      },
    };
  }
  const gw = gateway();
  const routes = [route()];
  const keys = keysOf(gw, routes);
  const surroundings = { gateway: gw, routes };

  it('answers while the whole key matches, within the max age', () => {
    const { c, advance } = cache();
    c.store('dev', keys, surroundings, STRUCTURE);
    expect(c.mayHold('dev', gw, keys.gatewayKey, false)).toBe(true);
    expect(c.lookup('dev', keys, surroundings, false)).toBe(STRUCTURE);
    advance(60_001);
    expect(c.mayHold('dev', gw, keys.gatewayKey, false)).toBe(false);
    expect(c.lookup('dev', keys, surroundings, false)).toBeUndefined();
    expect(c.size).toBe(0);
  });

  it('drops an entry whose key changed', () => {
    const { c } = cache();
    c.store('dev', keys, surroundings, STRUCTURE);
    const changed = keysOf(gw, [route(2, 2)]);
    expect(
      c.lookup('dev', changed, { gateway: gw, routes: [route(2, 2)] }, false),
    ).toBeUndefined();
    // Dropped: the old key does not answer either.
    expect(c.lookup('dev', keys, surroundings, false)).toBeUndefined();

    c.store('dev', keys, surroundings, STRUCTURE);
    const moved = gateway({ generation: 4 });
    expect(
      c.mayHold('dev', moved, keysOf(moved, routes).gatewayKey, false),
    ).toBe(false);
    expect(c.size).toBe(0);
  });

  it('neither keeps nor uses a structure the controller has not reconciled yet', () => {
    const { c } = cache();
    const pending = [route(2, 1)];
    c.store(
      'dev',
      keysOf(gw, pending),
      { gateway: gw, routes: pending },
      STRUCTURE,
    );
    expect(c.size).toBe(0);
    c.store('dev', keys, surroundings, STRUCTURE);
    // Same key, but now pending (a status rewrite back to an older generation).
    expect(
      c.lookup('dev', keys, { gateway: gw, routes: pending }, false),
    ).toBeUndefined();
  });

  it('a refresh uses only entries younger than the refresh bound', () => {
    const { c, advance } = cache();
    c.store('dev', keys, surroundings, STRUCTURE);
    advance(5_000);
    expect(c.lookup('dev', keys, surroundings, true)).toBe(STRUCTURE);
    advance(5_001);
    expect(c.mayHold('dev', gw, keys.gatewayKey, true)).toBe(false);
    expect(c.size).toBe(0);
  });

  it('keeps at most maxEntries Gateways, the least recently stored dropped', () => {
    const { c } = cache({ maxEntries: 2 });
    const named = (name: string) => {
      const g = gateway({ name });
      const r = [route()];
      r[0].spec.parentRefs = [{ name }];
      r[0].status!.parents![0].parentRef = { name };
      return { g, r, k: keysOf(g, r) };
    };
    const [a, b, d] = ['a', 'b', 'd'].map(named);
    for (const x of [a, b, d]) {
      c.store('dev', x.k, { gateway: x.g, routes: x.r }, STRUCTURE);
    }
    expect(c.size).toBe(2);
    expect(c.mayHold('dev', a.g, a.k.gatewayKey, false)).toBe(false);
    expect(c.mayHold('dev', d.g, d.k.gatewayKey, false)).toBe(true);
  });

  it('stores nothing when disabled (max age 0)', () => {
    const c = new LoadBalancerStructureCache({
      maxAgeMs: 0,
      refreshAfterMs: 0,
    });
    c.store('dev', keys, surroundings, STRUCTURE);
    expect(c.size).toBe(0);
  });
});

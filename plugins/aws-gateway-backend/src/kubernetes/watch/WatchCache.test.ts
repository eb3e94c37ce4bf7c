import { Watch } from '@kubernetes/client-node';
import {
  GATEWAYS,
  isKubernetesNotFound,
  L4_ROUTES,
  SERVICE_NAME_LABEL,
  TARGET_GROUP_BINDINGS,
  TGB_STACK_NAME_LABEL,
} from '@gateway-portal/plugin-aws-gateway-node';
import {
  KubernetesConnection,
  KubernetesConnectOptions,
  KubernetesObjectClient,
  ResourceVersion,
} from '../KubernetesObjectClient';
import { KubeObject } from '../types';
import { labelsMatch } from './labelMatch';
import { ListedPage, WatchTransport } from './ResourceWatch';
import { WatchCache, WatchedChange } from './WatchCache';
import { WatchCachedKubernetesObjectClient } from './WatchCachedKubernetesObjectClient';
import { resourceKey } from './watchedResources';

type Handler = (phase: string, object: KubeObject) => void;

/** An in-process API server: lists per resource version, and open watches to push events into. */
class FakeCluster implements WatchTransport {
  objects = new Map<string, KubeObject[]>();
  /** `plural.group/version` answered 404 (not served). */
  notServed = new Set<string>();
  failLists = 0;
  lists: string[] = [];
  watches: Array<{
    path: string;
    params: Record<string, unknown>;
    handler: Handler;
    done: (err: unknown) => void;
    aborted: boolean;
  }> = [];
  rv = 1;

  put(resource: { group: string; plural: string }, ...items: KubeObject[]) {
    const key = resourceKey(resource);
    this.objects.set(key, [...(this.objects.get(key) ?? []), ...items]);
  }

  async list(
    resource: ResourceVersion,
    options: { labelSelector?: string; limit: number },
  ): Promise<ListedPage> {
    const id = `${resourceKey(resource)}/${resource.version}`;
    this.lists.push(id);
    if (this.failLists > 0) {
      this.failLists--;
      throw Object.assign(new Error('connection refused'), { code: 503 });
    }
    if (this.notServed.has(id)) {
      throw Object.assign(new Error('not found'), { code: 404 });
    }
    const all = (this.objects.get(resourceKey(resource)) ?? []).filter(
      o =>
        !options.labelSelector ||
        Object.hasOwn(o.metadata.labels ?? {}, options.labelSelector),
    );
    return {
      items: all.slice(0, options.limit),
      resourceVersion: String(this.rv++),
      truncated: all.length > options.limit,
    };
  }

  async watch(): Promise<Watch> {
    return {
      watch: async (
        path: string,
        params: Record<string, unknown>,
        handler: Handler,
        done: (err: unknown) => void,
      ) => {
        const entry = { path, params, handler, done, aborted: false };
        this.watches.push(entry);
        const controller = new AbortController();
        controller.signal.addEventListener('abort', () => {
          entry.aborted = true;
        });
        return controller;
      },
    } as unknown as Watch;
  }

  open(pathPart: string) {
    const open = this.watches.filter(
      w => !w.aborted && w.path.includes(pathPart),
    );
    return open[open.length - 1];
  }
}

const gateway = (
  name: string,
  namespace = 'apps',
  labels = {},
): KubeObject => ({
  metadata: { name, namespace, labels, resourceVersion: name } as any,
  spec: { gatewayClassName: 'aws-nlb' },
});

const GW_V1 = { group: GATEWAYS.group, version: 'v1', plural: 'gateways' };

async function eventually(check: () => void, ms = 2_000) {
  const until = Date.now() + ms;
  for (;;) {
    try {
      check();
      return;
    } catch (e) {
      if (Date.now() > until) throw e;
      await new Promise(r => setTimeout(r, 5));
    }
  }
}

function setup(settings = {}) {
  const cluster = new FakeCluster();
  const watchedClusters: string[] = [];
  const cache = new WatchCache({
    transportFor: name => {
      watchedClusters.push(name);
      return cluster;
    },
    settings: {
      backoffMs: { initial: 20, max: 50 },
      ...settings,
    },
  });
  const directCalls: string[] = [];
  const direct: KubernetesObjectClient = {
    async connect(): Promise<KubernetesConnection> {
      directCalls.push('connect');
      return {
        list: async r => {
          directCalls.push(`list ${r.plural}`);
          return [];
        },
        get: async r => {
          directCalls.push(`get ${r.plural}`);
          return undefined;
        },
      };
    },
  };
  const clusters = {
    listClusters: async () => [
      { name: 'c1', authProvider: 'serviceAccount' },
      { name: 'oidc-c', authProvider: 'oidc', oidcTokenProvider: 'okta' },
    ],
  };
  const client = new WatchCachedKubernetesObjectClient(direct, cache, clusters);
  return { cluster, cache, client, directCalls, watchedClusters };
}

describe('WatchCache', () => {
  const caches: WatchCache[] = [];
  afterEach(() => caches.splice(0).forEach(c => c.stop()));

  it('reads directly while cold, then answers from the watch with no direct call', async () => {
    const { cluster, cache, client, directCalls } = setup();
    caches.push(cache);
    cluster.put(
      GATEWAYS,
      gateway('a', 'apps', { team: 'x' }),
      gateway('b', 'other'),
    );

    const conn = await client.connect('c1');
    expect(directCalls).toEqual([]); // connecting costs nothing
    expect(await conn.list(GW_V1)).toEqual([]);
    expect(directCalls).toEqual(['connect', 'list gateways']);

    await eventually(() => expect(cache.isWarm('c1')).toBe(true));
    directCalls.length = 0;
    const warm = await client.connect('c1');
    const names = (items: KubeObject[]) =>
      items.map(i => i.metadata.name).sort();
    expect(names(await warm.list(GW_V1))).toEqual(['a', 'b']);
    expect(names(await warm.list(GW_V1, { namespace: 'apps' }))).toEqual(['a']);
    expect(
      names(await warm.list(GW_V1, { labelSelector: 'team in (x,y)' })),
    ).toEqual(['a']);
    expect((await warm.get(GW_V1, 'other', 'b'))?.metadata.name).toBe('b');
    expect(await warm.get(GW_V1, 'other', 'missing')).toBeUndefined();
    expect(directCalls).toEqual([]);
    // Every watch asks the server to end it, with bookmarks.
    expect(cluster.open('/gateways').params).toMatchObject({
      timeoutSeconds: 300,
      allowWatchBookmarks: true,
    });
  });

  it("never answers a connection made with the user's own credentials", async () => {
    const { cluster, cache, client, directCalls } = setup();
    caches.push(cache);
    cluster.put(GATEWAYS, gateway('a'));
    cache.list('c1', GW_V1);
    await eventually(() => expect(cache.isWarm('c1')).toBe(true));
    const userCredentials = {} as KubernetesConnectOptions['userCredentials'];
    const conn = await client.connect('c1', { userCredentials });
    expect(await conn.list(GW_V1)).toEqual([]);
    expect(directCalls).toEqual(['connect', 'list gateways']);
  });

  it("never watches a cluster whose auth provider needs the user's own token", async () => {
    const { cache, client, directCalls, watchedClusters } = setup();
    caches.push(cache);
    const conn = await client.connect('oidc-c');
    expect(await conn.list(GW_V1)).toEqual([]);
    expect(directCalls).toEqual(['connect', 'list gateways']);
    await (await client.connect('c1')).list(GW_V1);
    expect(watchedClusters).toEqual(['c1']);
  });

  it('applies watch events and reports changes after the first list only', async () => {
    const { cluster, cache } = setup();
    caches.push(cache);
    const changes: WatchedChange[] = [];
    cache.onChange(c => changes.push(c));
    cluster.put(GATEWAYS, gateway('a'));
    cache.list('c1', GW_V1);
    await eventually(() => expect(cache.isWarm('c1')).toBe(true));
    expect(changes).toEqual([]);

    const watch = cluster.open('/apis/gateway.networking.k8s.io/v1/gateways');
    const programmed = {
      ...gateway('a'),
      metadata: { name: 'a', namespace: 'apps', resourceVersion: '9' } as any,
      status: { conditions: [{ type: 'Programmed', status: 'True' }] },
    };
    watch.handler('MODIFIED', programmed);
    watch.handler('ADDED', gateway('new'));
    watch.handler('DELETED', gateway('a'));
    expect(
      changes.map(c => [c.resource.plural, c.object.metadata.name]),
    ).toEqual([
      ['gateways', 'a'],
      ['gateways', 'new'],
      ['gateways', 'a'],
    ]);
    const listed = cache.list('c1', GW_V1);
    expect(
      listed && 'items' in listed && listed.items.map(i => i.metadata.name),
    ).toEqual(['new']);
    expect(cache.sizes().c1).toBeGreaterThanOrEqual(1);
  });

  it('knows which version a cluster serves and answers others as not served', async () => {
    const { cluster, cache, client } = setup();
    caches.push(cache);
    const tcp = L4_ROUTES.TCPRoute;
    cluster.notServed.add(`${resourceKey(tcp)}/v1`);
    cluster.put(tcp, gateway('route'));
    // UDPRoute: no version served at all (the CRD is not installed).
    for (const v of L4_ROUTES.UDPRoute.versions) {
      cluster.notServed.add(`${resourceKey(L4_ROUTES.UDPRoute)}/${v}`);
    }
    cache.list('c1', GW_V1);
    await eventually(() => expect(cache.isWarm('c1')).toBe(true));

    const conn = await client.connect('c1');
    const v1 = { group: tcp.group, version: 'v1', plural: tcp.plural };
    expect(isKubernetesNotFound(await conn.list(v1).catch(e => e))).toBe(true);
    const alpha = await conn.list({ ...v1, version: 'v1alpha2' });
    expect(alpha.map(r => r.metadata.name)).toEqual(['route']);
    const udp = { group: tcp.group, version: 'v1', plural: 'udproutes' };
    expect(isKubernetesNotFound(await conn.list(udp).catch(e => e))).toBe(true);
    expect(await conn.get(udp, 'apps', 'x')).toBeUndefined();
  });

  it('serves a narrowed watch only to reads with its selector', async () => {
    const { cluster, cache, client, directCalls } = setup();
    caches.push(cache);
    cluster.put(
      TARGET_GROUP_BINDINGS,
      gateway('bound', 'apps', { [TGB_STACK_NAME_LABEL]: 'gw' }),
      gateway('other', 'apps'),
    );
    cache.list('c1', GW_V1);
    await eventually(() => expect(cache.isWarm('c1')).toBe(true));
    const conn = await client.connect('c1');
    const tgb = {
      group: TARGET_GROUP_BINDINGS.group,
      version: 'v1beta1',
      plural: TARGET_GROUP_BINDINGS.plural,
    };
    const bound = await conn.list(tgb, {
      namespace: 'apps',
      labelSelector: TGB_STACK_NAME_LABEL,
    });
    expect(bound.map(b => b.metadata.name)).toEqual(['bound']);
    expect(directCalls).toEqual([]);
    await conn.list(tgb, { namespace: 'apps' });
    expect(directCalls).toEqual(['connect', 'list targetgroupbindings']);
  });

  it('falls back to direct reads for a cluster over the object bound', async () => {
    const { cluster, cache, client, directCalls } = setup({
      maxObjectsPerCluster: 3,
    });
    caches.push(cache);
    cluster.put(GATEWAYS, ...['a', 'b', 'c', 'd'].map(n => gateway(n)));
    cache.list('c1', GW_V1);
    await eventually(() => expect(cache.sizes().c1).toBeUndefined());
    const conn = await client.connect('c1');
    await conn.list(GW_V1);
    expect(directCalls).toEqual(['connect', 'list gateways']);
    // Not watched again until the retry time: no new list.
    const lists = cluster.lists.length;
    await new Promise(r => setTimeout(r, 100));
    expect(cache.list('c1', GW_V1)).toBeUndefined();
    expect(cluster.lists.length).toBe(lists);
  });

  it('goes over the bound through watch events too, and stops watching', async () => {
    const { cluster, cache } = setup({ maxObjectsPerCluster: 2 });
    caches.push(cache);
    cluster.put(GATEWAYS, gateway('a'));
    cache.list('c1', GW_V1);
    await eventually(() => expect(cache.isWarm('c1')).toBe(true));
    const watch = cluster.open('/gateways');
    watch.handler('ADDED', gateway('b'));
    watch.handler('ADDED', gateway('c'));
    await eventually(() => expect(watch.aborted).toBe(true));
    expect(cache.list('c1', GW_V1)).toBeUndefined();
  });

  it('restarts a failed watch with backoff, reading directly meanwhile', async () => {
    const { cluster, cache } = setup();
    caches.push(cache);
    cluster.put(GATEWAYS, gateway('a'));
    cache.list('c1', GW_V1);
    await eventually(() => expect(cache.isWarm('c1')).toBe(true));

    // The API server goes away: the watch ends with an error, and the next list fails once.
    cluster.failLists = 1;
    cluster.put(GATEWAYS, gateway('while-down'));
    cluster.open('/gateways').done(new Error('socket hang up'));
    expect(cache.list('c1', GW_V1)).toBeUndefined();

    await eventually(() => {
      const listed = cache.list('c1', GW_V1);
      expect(listed && 'items' in listed && listed.items.length).toBe(2);
    });
  });

  it('lists again on 410 Gone and at each resync, dropping what was deleted', async () => {
    const { cluster, cache } = setup({ resyncMs: 150 });
    caches.push(cache);
    const changes: WatchedChange[] = [];
    cache.onChange(c => changes.push(c));
    cluster.put(GATEWAYS, gateway('a'), gateway('b'));
    cache.list('c1', GW_V1);
    await eventually(() => expect(cache.isWarm('c1')).toBe(true));
    const gatewayLists = () =>
      cluster.lists.filter(l => l.startsWith('gateways.')).length;
    expect(gatewayLists()).toBe(1);

    // 'b' is deleted while no watch event says so: the resync finds out.
    cluster.objects.set(resourceKey(GATEWAYS), [gateway('a')]);
    await eventually(() => expect(gatewayLists()).toBeGreaterThanOrEqual(2));
    await eventually(() => {
      const listed = cache.list('c1', GW_V1);
      expect(
        listed && 'items' in listed && listed.items.map(i => i.metadata.name),
      ).toEqual(['a']);
    });
    expect(changes.map(c => c.object.metadata.name)).toContain('b');

    cluster
      .open('/gateways')
      .done(Object.assign(new Error('Gone'), { statusCode: 410 }));
    const before = gatewayLists();
    await eventually(() => expect(gatewayLists()).toBeGreaterThan(before));
  });

  it('watches at most maxClusters clusters, stops idle ones and everything at stop', async () => {
    const { cluster, cache } = setup({ maxClusters: 1, idleStopMs: 100 });
    caches.push(cache);
    cache.list('c1', GW_V1);
    expect(cache.list('c2', GW_V1)).toBeUndefined();
    expect(Object.keys(cache.sizes())).toEqual(['c1']);
    await eventually(() => expect(cache.isWarm('c1')).toBe(true));
    await eventually(
      () => expect(Object.keys(cache.sizes())).toEqual([]),
      3_000,
    );
    expect(cluster.watches.every(w => w.aborted)).toBe(true);

    cache.list('c2', GW_V1);
    expect(Object.keys(cache.sizes())).toEqual(['c2']);
    cache.stop();
    expect(cache.sizes()).toEqual({});
    expect(cache.list('c3', GW_V1)).toBeUndefined();
  });

  it('leaves out listed items without a name (hostile answers)', async () => {
    const { cluster, cache } = setup();
    caches.push(cache);
    cluster.put(
      GATEWAYS,
      gateway('a'),
      { metadata: {} } as KubeObject,
      null as unknown as KubeObject,
    );
    cache.list('c1', GW_V1);
    await eventually(() => expect(cache.isWarm('c1')).toBe(true));
    const listed = cache.list('c1', GW_V1);
    expect(
      listed && 'items' in listed && listed.items.map(i => i.metadata.name),
    ).toEqual(['a']);
  });
});

describe('labelsMatch', () => {
  it.each([
    [[{ key: 'a', operator: 'exists' }], { a: '1' }, true],
    [[{ key: 'a', operator: 'exists' }], undefined, false],
    [[{ key: 'a', operator: 'doesNotExist' }], { b: '1' }, true],
    [[{ key: 'a', operator: '=', value: '1' }], { a: '1' }, true],
    [[{ key: 'a', operator: '=', value: '1' }], { a: '2' }, false],
    [[{ key: 'a', operator: '!=', value: '1' }], {}, true],
    [[{ key: 'a', operator: 'in', values: ['1', '2'] }], { a: '2' }, true],
    [[{ key: 'a', operator: 'in', values: ['1'] }], {}, false],
    [[{ key: 'a', operator: 'notin', values: ['1'] }], {}, true],
    [[{ key: 'a', operator: 'notin', values: ['1'] }], { a: '1' }, false],
    [[{ key: 'constructor', operator: 'exists' }], {}, false],
    [
      [
        { key: SERVICE_NAME_LABEL, operator: 'exists' },
        { key: 'a', operator: '=', value: '1' },
      ],
      { [SERVICE_NAME_LABEL]: 's', a: '1' },
      true,
    ],
  ] as const)('%j on %j is %s', (requirements, labels, expected) => {
    expect(labelsMatch(requirements as any, labels as any)).toBe(expected);
  });
});

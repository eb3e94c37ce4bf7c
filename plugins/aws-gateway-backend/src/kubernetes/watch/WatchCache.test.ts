import { LoggerService } from '@backstage/backend-plugin-api';
import { Watch } from '@kubernetes/client-node';
import { eventually } from '@gateway-portal/plugin-aws-gateway-node/testUtils';
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
import { Deadline } from '../../deadline';
import { EVENT_RESOURCES, eventFieldSelector } from '../events/eventSelectors';
import { fieldsMatch, parseFieldSelector } from './fieldMatch';
import { labelsMatch } from './labelMatch';
import { ListedPage, WatchTransport } from './ResourceWatch';
import { ANSWER_RESERVE_MS, WatchCache, WatchedChange } from './WatchCache';
import { WatchCachedKubernetesObjectClient } from './WatchCachedKubernetesObjectClient';
import { resourceKey, WATCHED_RESOURCES } from './watchedResources';

type Handler = (phase: string, object: KubeObject) => void;

const roundTrip = (ms: number) =>
  ms ? new Promise(r => setTimeout(r, ms)) : Promise.resolve();

/** An in-process API server: lists per resource version, and open watches to push events into. */
class FakeCluster implements WatchTransport {
  objects = new Map<string, KubeObject[]>();
  /** `plural.group/version` answered 404 (not served). */
  notServed = new Set<string>();
  /** `plural.group/version` answered 403 (RBAC). */
  refused = new Set<string>();
  /** Watches whose path includes one of these are answered 403 (RBAC). */
  refusedWatches = new Set<string>();
  /** Watch requests wait for this before they are accepted or refused (their answer's round trip). */
  watchGate: Promise<void> = Promise.resolve();
  /** Every list and watch answer takes this long (a round trip). */
  roundTripMs = 0;
  /** The WatchList feature: a watch asking for its initial events gets them, and a BOOKMARK ending them; else 422 at once. */
  initialEvents = true;
  /**
   * As behind the Kubernetes plugin's proxy (its compression holds a
   * silent watch's headers): an accepted watch is answered only with its
   * first event. Initial events are answered at once.
   */
  holdsSilentWatches = false;
  /** Watch requests made, refused ones included. */
  watchRequests: string[] = [];
  /** Lists wait for this before they answer (to see them all in flight). */
  gate: Promise<void> = Promise.resolve();
  /** What the list of `plural.group/version` waits for before it answers: `gate` unless told. */
  gateOf: (id: string) => Promise<void> = () => this.gate;
  /** Lists started and not answered yet. */
  inFlight = 0;
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
    options: { labelSelector?: string; fieldSelector?: string; limit: number },
  ): Promise<ListedPage> {
    const id = `${resourceKey(resource)}/${resource.version}`;
    this.lists.push(id);
    this.inFlight++;
    await this.gateOf(id);
    await roundTrip(this.roundTripMs);
    this.inFlight--;
    if (this.refused.has(id)) {
      throw Object.assign(new Error('forbidden'), { code: 403 });
    }
    if (this.failLists > 0) {
      this.failLists--;
      throw Object.assign(new Error('connection refused'), { code: 503 });
    }
    if (this.notServed.has(id)) {
      throw Object.assign(new Error('not found'), { code: 404 });
    }
    const all = this.matching(resourceKey(resource), options);
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
        this.watchRequests.push(path);
        const controller = new AbortController();
        if (params.sendInitialEvents && !this.initialEvents) {
          // As client-node does: `done` with the HTTP status before returning.
          done(Object.assign(new Error('Invalid'), { statusCode: 422 }));
          return controller;
        }
        await this.watchGate;
        await roundTrip(this.roundTripMs);
        if ([...this.refusedWatches].some(part => path.includes(part))) {
          done(Object.assign(new Error('Forbidden'), { statusCode: 403 }));
          return controller;
        }
        const entry = { path, params, handler, done, aborted: false };
        this.watches.push(entry);
        controller.signal.addEventListener('abort', () => {
          entry.aborted = true;
        });
        if (params.sendInitialEvents) {
          // The state now, then the BOOKMARK that ends it.
          const [, , group, , plural] = path.startsWith('/api/')
            ? ['', '', '', '', path.split('/')[3]]
            : path.split('/');
          for (const object of this.matching(
            resourceKey({
              group: path.startsWith('/api/') ? '' : group,
              plural,
            }),
            params as { labelSelector?: string; fieldSelector?: string },
          )) {
            handler('ADDED', object);
          }
          handler('BOOKMARK', {
            metadata: {
              name: '',
              resourceVersion: String(this.rv++),
              annotations: { 'k8s.io/initial-events-end': 'true' },
            },
          } as KubeObject);
        } else if (this.holdsSilentWatches) {
          await new Promise(() => undefined);
        }
        return controller;
      },
    } as unknown as Watch;
  }

  private matching(
    key: string,
    options: { labelSelector?: string; fieldSelector?: string },
  ): KubeObject[] {
    const fields = parseFieldSelector(options.fieldSelector) ?? [];
    return (this.objects.get(key) ?? []).filter(
      o =>
        (!options.labelSelector ||
          Object.hasOwn(o.metadata.labels ?? {}, options.labelSelector)) &&
        fieldsMatch(fields, o),
    );
  }

  /** The newest open watch whose path includes `part`, or whose field selector is `part`. */
  open(part: string) {
    const open = this.watches.filter(
      w =>
        !w.aborted &&
        (w.path.includes(part) || w.params.fieldSelector === part),
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
const TCP_V1 = {
  group: L4_ROUTES.TCPRoute.group,
  version: 'v1',
  plural: L4_ROUTES.TCPRoute.plural,
};

function setup(settings = {}, logger?: LoggerService) {
  const cluster = new FakeCluster();
  const watchedClusters: string[] = [];
  const cache = new WatchCache({
    logger,
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

  it('reads directly while cold (no first-sync wait), then answers from the watch with no direct call', async () => {
    const { cluster, cache, client, directCalls } = setup({
      firstSyncWaitMs: 0,
    });
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

  it('a cold read waits for the first lists, all made at once, and answers from them; concurrent reads share the one sync', async () => {
    const { cluster, cache, client, directCalls } = setup();
    caches.push(cache);
    cluster.put(GATEWAYS, gateway('a'));
    const tcp = L4_ROUTES.TCPRoute;
    cluster.notServed.add(`${resourceKey(tcp)}/v1`);
    cluster.put(tcp, gateway('route'));
    let open!: () => void;
    cluster.gate = new Promise(r => {
      open = r;
    });
    const connects = [client.connect('c1'), client.connect('c1')];
    // Every list (each version of each resource) is in flight before any answers.
    // Every version of each resource's first API (events.k8s.io for events).
    const candidates = WATCHED_RESOURCES.flatMap(
      r => r.apis[0].spec.versions,
    ).length;
    await eventually(() => expect(cluster.inFlight).toBe(candidates));
    expect(cluster.lists).toHaveLength(candidates);
    expect(cluster.lists).toContain(`${resourceKey(tcp)}/v1`);
    expect(cluster.lists).toContain(`${resourceKey(tcp)}/v1alpha2`);
    expect(cluster.lists.filter(l => l.startsWith('events./'))).toEqual([]);
    const listsBefore = cluster.lists.length;
    open();
    const [conn] = await Promise.all(connects);
    expect(cache.isWarm('c1')).toBe(true);
    expect(cluster.lists).toHaveLength(listsBefore); // one sync for both
    expect((await conn.list(GW_V1)).map(g => g.metadata.name)).toEqual(['a']);
    const alpha = { group: tcp.group, version: 'v1alpha2', plural: tcp.plural };
    expect((await conn.list(alpha)).map(g => g.metadata.name)).toEqual([
      'route',
    ]);
    expect(directCalls).toEqual([]);
  });

  it('reads directly when the first sync fails, runs out of time, or the request ends', async () => {
    const failing = setup();
    caches.push(failing.cache);
    failing.cluster.failLists = 1;
    await (await failing.client.connect('c1')).list(GW_V1);
    expect(failing.directCalls).toEqual(['connect', 'list gateways']);

    const slow = setup({ firstSyncWaitMs: 50 });
    caches.push(slow.cache);
    slow.cluster.gate = new Promise(() => undefined);
    const t0 = Date.now();
    await (await slow.client.connect('c1')).list(GW_V1);
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(slow.directCalls).toEqual(['connect', 'list gateways']);

    const cancelled = setup({ firstSyncWaitMs: 60_000 });
    caches.push(cancelled.cache);
    cancelled.cluster.gate = new Promise(() => undefined);
    const request = new AbortController();
    setTimeout(() => request.abort(), 20);
    const t1 = Date.now();
    await cancelled.client.connect('c1', { signal: request.signal });
    expect(Date.now() - t1).toBeLessThan(1_000);
  });

  it('holds the events about the card kinds only, in events.k8s.io/v1, and answers field-selected reads in key order, limited', async () => {
    const { cluster, cache, client, directCalls } = setup();
    caches.push(cache);
    const api = EVENT_RESOURCES['events.k8s.io/v1'];
    const event = (name: string, kind: string, about: string): KubeObject =>
      ({
        metadata: { name, namespace: 'apps', resourceVersion: name },
        regarding: { kind, namespace: 'apps', name: about },
        note: `${kind} ${about}`,
      } as KubeObject);
    cluster.put(
      api,
      event('e3', 'Gateway', 'gw'),
      event('e1', 'Gateway', 'gw'),
      event('e2', 'Gateway', 'other'),
      event('e4', 'TCPRoute', 'gw'),
      event('e5', 'Pod', 'gw'),
    );
    const conn = await client.connect('c1');
    const events = { group: api.group, version: 'v1', plural: 'events' };
    const read = (kind: string, name: string, limit?: number) =>
      conn.list(events, {
        namespace: 'apps',
        fieldSelector: eventFieldSelector('events.k8s.io/v1', {
          kind,
          namespace: 'apps',
          name,
        }),
        limit,
      });
    const names = (items: KubeObject[]) => items.map(i => i.metadata.name);
    expect(names(await read('Gateway', 'gw'))).toEqual(['e1', 'e3']);
    expect(names(await read('Gateway', 'gw', 1))).toEqual(['e1']);
    expect(names(await read('TCPRoute', 'gw'))).toEqual(['e4']);
    expect(directCalls).toEqual([]);
    // Events about other kinds are not held: the read goes to the API server.
    await read('Pod', 'gw');
    expect(directCalls).toEqual(['connect', 'list events']);
    expect(
      cache
        .objectsOf('c1', api)
        .map(e => e.metadata.name)
        .sort(),
    ).toEqual(['e1', 'e2', 'e3', 'e4']);
    // Core v1 is answered as not served: the reader's API choice holds.
    const core = { group: '', version: 'v1', plural: 'events' };
    const refused = await conn
      .list(core, {
        namespace: 'apps',
        fieldSelector: 'involvedObject.kind=Gateway',
      })
      .catch(e => e);
    expect(isKubernetesNotFound(refused)).toBe(true);
  });

  it('watches core v1 events when events.k8s.io is refused (RBAC), and reports their changes', async () => {
    const { cluster, cache } = setup();
    caches.push(cache);
    const changes: WatchedChange[] = [];
    cache.onChange(c => changes.push(c));
    cluster.refused.add('events.events.k8s.io/v1');
    cache.list('c1', GW_V1);
    await eventually(() => expect(cache.isWarm('c1')).toBe(true));
    const core = { group: '', version: 'v1', plural: 'events' };
    const fieldSelector = 'involvedObject.kind=Gateway,involvedObject.name=gw';
    expect(
      cache.list('c1', core, { namespace: 'apps', fieldSelector }),
    ).toEqual({
      items: [],
    });
    const watch = cluster.open('involvedObject.kind=Gateway');
    expect(watch.path).toBe('/api/v1/events');
    const warning = {
      metadata: { name: 'w', namespace: 'apps', resourceVersion: '7' },
      involvedObject: { kind: 'Gateway', namespace: 'apps', name: 'gw' },
      type: 'Warning',
    } as KubeObject;
    watch.handler('ADDED', warning);
    expect(changes.map(c => [c.resource.group, c.resource.plural])).toEqual([
      ['', 'events'],
    ]);
    const listed = cache.list('c1', core, { namespace: 'apps', fieldSelector });
    expect(listed && 'items' in listed && listed.items).toEqual([warning]);
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
      changes.map(c => [c.resource.plural, c.object.metadata.name, c.type]),
    ).toEqual([
      ['gateways', 'a', 'modified'],
      ['gateways', 'new', 'added'],
      ['gateways', 'a', 'deleted'],
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

  it('reports what changed while a failed watch was down once it has listed again', async () => {
    const { cluster, cache } = setup();
    caches.push(cache);
    const changes: WatchedChange[] = [];
    cache.onChange(c => changes.push(c));
    cluster.put(GATEWAYS, gateway('same'), gateway('changed'), gateway('gone'));
    cache.list('c1', GW_V1);
    await eventually(() => expect(cache.isWarm('c1')).toBe(true));

    cluster.failLists = 1;
    cluster.objects.set(resourceKey(GATEWAYS), [
      gateway('same'),
      {
        ...gateway('changed'),
        metadata: { name: 'changed', namespace: 'apps', resourceVersion: '2' },
      },
      gateway('new'),
    ]);
    cluster.open('/gateways').done(new Error('socket hang up'));
    await eventually(() => {
      const listed = cache.list('c1', GW_V1);
      expect(
        listed && 'items' in listed && listed.items.map(i => i.metadata.name),
      ).toEqual(['same', 'changed', 'new']);
    });
    expect(changes.map(c => [c.object.metadata.name, c.type]).sort()).toEqual([
      ['changed', 'modified'],
      ['gone', 'deleted'],
      ['new', 'added'],
    ]);
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
    expect(changes.map(c => [c.object.metadata.name, c.type])).toContainEqual([
      'b',
      'deleted',
    ]);

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

describe('WatchCache under least privilege (a refused list or watch)', () => {
  const caches: WatchCache[] = [];
  afterEach(() => caches.splice(0).forEach(c => c.stop()));
  const GATEWAYS_KEY = resourceKey(GATEWAYS);
  /** A cache of cluster c1 synced with Gateway 'a'. */
  async function synced(settings = {}) {
    const t = setup(settings);
    caches.push(t.cache);
    t.cluster.put(GATEWAYS, gateway('a'));
    t.cache.list('c1', GW_V1);
    await eventually(() => expect(t.cache.isWarm('c1')).toBe(true));
    return t;
  }
  const refusalsOf = (cache: WatchCache) =>
    cache
      .refusals('c1')
      .map(r => `${r.verb} ${resourceKey(r.resource)}`)
      .sort();

  it('reads a resource whose list is refused directly, names the verb and resource, and serves it again once allowed', async () => {
    const { cluster, cache, client, directCalls } = setup();
    caches.push(cache);
    cluster.put(GATEWAYS, gateway('a'));
    cluster.refused.add(`${GATEWAYS_KEY}/v1`);

    const conn = await client.connect('c1');
    await conn.list(GW_V1);
    expect(directCalls).toEqual(['connect', 'list gateways']);
    expect(refusalsOf(cache)).toEqual([`list ${GATEWAYS_KEY}`]);
    // Everything else is served from the watch.
    await eventually(() =>
      expect(cache.list('c1', TCP_V1)).toEqual({ items: [] }),
    );

    cluster.refused.delete(`${GATEWAYS_KEY}/v1`);
    await eventually(() =>
      expect(cache.list('c1', GW_V1)).toEqual({ items: [gateway('a')] }),
    );
    expect(refusalsOf(cache)).toEqual([]);
  });

  it('never serves a resource whose watch is refused after a good list, names it, and retries with growing backoff until a watch is accepted', async () => {
    const { cluster, cache, client, directCalls } = setup({
      backoffMs: { initial: 20, max: 10_000 },
    });
    caches.push(cache);
    cluster.put(GATEWAYS, gateway('a'));
    cluster.refusedWatches.add('/gateways');
    cache.list('c1', GW_V1);
    await eventually(() =>
      expect(refusalsOf(cache)).toEqual([`watch ${GATEWAYS_KEY}`]),
    );

    // From now on, between retries and during them (listed, watch not yet
    // accepted), the list alone is never served: it would go stale.
    const watchesOfGateways = () =>
      cluster.watchRequests.filter(p => p.endsWith('/gateways')).length;
    const served: unknown[] = [];
    const t0 = Date.now();
    while (Date.now() - t0 < 400) {
      served.push(cache.list('c1', GW_V1));
      await new Promise(r => setTimeout(r, 2));
    }
    expect(served.every(answer => answer === undefined)).toBe(true);
    // 20, 40, 80, 160 ms…: a handful of retries, not one per 20 ms. (A
    // stalled machine retries late: the third is awaited, not assumed.)
    await eventually(() =>
      expect(watchesOfGateways()).toBeGreaterThanOrEqual(3),
    );
    expect(watchesOfGateways()).toBeLessThanOrEqual(7);
    await (await client.connect('c1')).list(GW_V1);
    expect(directCalls).toContain('list gateways');

    cluster.refusedWatches.clear();
    await eventually(() =>
      expect(cache.list('c1', GW_V1)).toEqual({ items: [gateway('a')] }),
    );
    expect(refusalsOf(cache)).toEqual([]);
    expect(cache.isWarm('c1')).toBe(true);
  });

  it('starts every watch of a fresh cluster at once and names each refused one (the events watches once)', async () => {
    const { cluster, cache } = setup();
    caches.push(cache);
    cluster.refusedWatches.add('/gateways');
    cluster.refusedWatches.add('/services');
    cluster.refusedWatches.add('/events.k8s.io/');
    cluster.refusedWatches.add('/api/v1/events');
    cache.list('c1', GW_V1);
    await eventually(() =>
      expect(refusalsOf(cache)).toEqual([
        `watch ${resourceKey(EVENT_RESOURCES['events.k8s.io/v1'])}`,
        `watch ${GATEWAYS_KEY}`,
        'watch services.',
      ]),
    );
  });

  it('names the refused events.k8s.io watch when core events may not be listed either, and keeps retrying core first', async () => {
    const { cluster, cache } = setup();
    caches.push(cache);
    cluster.refusedWatches.add('/events.k8s.io/');
    cluster.refused.add('events./v1');
    cache.list('c1', GW_V1);
    expect(
      (await cache.settledRefusals('c1')).map(
        r => `${r.verb} ${resourceKey(r.resource)}`,
      ),
    ).toEqual([`watch ${resourceKey(EVENT_RESOURCES['events.k8s.io/v1'])}`]);
    // Its restart (the backoff) lists core first again, then events.k8s.io.
    const coreLists = () =>
      cluster.lists.filter(l => l === 'events./v1').length;
    const before = coreLists();
    await eventually(() => expect(coreLists()).toBeGreaterThan(before));
  });

  it('watches core v1 events when events.k8s.io may be listed but not watched, and names nothing', async () => {
    const { cluster, cache, client, directCalls } = setup();
    caches.push(cache);
    const changes: WatchedChange[] = [];
    cache.onChange(c => changes.push(c));
    cluster.refusedWatches.add('/events.k8s.io/');
    const about = { kind: 'Gateway', namespace: 'apps', name: 'gw' };
    // One event, as both APIs show it.
    const metadata = { name: 'old', namespace: 'apps', resourceVersion: '3' };
    cluster.put(EVENT_RESOURCES['events.k8s.io/v1'], {
      metadata,
      regarding: about,
      type: 'Warning',
    } as KubeObject);
    cluster.put(EVENT_RESOURCES.v1, {
      metadata,
      involvedObject: about,
      type: 'Warning',
    } as KubeObject);
    cache.list('c1', GW_V1);
    const coreV1 = { group: '', version: 'v1', plural: 'events' };
    const fieldSelector = eventFieldSelector('v1', about);
    await eventually(() =>
      expect(
        cache.list('c1', coreV1, { namespace: 'apps', fieldSelector }),
      ).toEqual({ items: [expect.objectContaining({ type: 'Warning' })] }),
    );
    expect(refusalsOf(cache)).toEqual([]);
    expect(await cache.settledRefusals('c1')).toEqual([]);
    // Moved on at once, not after a backoff: each events API's watch asked once per kind.
    const eventWatches = (part: string) =>
      cluster.watchRequests.filter(p => p.includes(part)).length;
    const kinds = WATCHED_RESOURCES.filter(r => r.refusalMovesOn).length;
    expect(eventWatches('/events.k8s.io/')).toBe(kinds);
    expect(eventWatches('/api/v1/events')).toBe(kinds);
    // The events listed through events.k8s.io were the same objects: no change reported.
    expect(changes).toEqual([]);
    const conn = await client.connect('c1');
    await conn.list(coreV1, { namespace: 'apps', fieldSelector });
    expect(directCalls).toEqual([]);
    cluster.open('involvedObject.kind=Gateway').handler('ADDED', {
      metadata: { name: 'new', namespace: 'apps', resourceVersion: '9' },
      involvedObject: about,
      type: 'Warning',
    } as KubeObject);
    expect(changes.map(c => [c.resource.group, c.type])).toEqual([
      ['', 'added'],
    ]);
  });

  it("names the first answer's refused watches, answered a round trip after the lists it was read from", async () => {
    const { cluster, cache, client } = setup();
    caches.push(cache);
    cluster.put(GATEWAYS, gateway('a'));
    cluster.refusedWatches.add('/gateways');
    cluster.refusedWatches.add('/events.k8s.io/');
    cluster.refusedWatches.add('/api/v1/events');
    let answerWatches!: () => void;
    cluster.watchGate = new Promise(r => {
      answerWatches = r;
    });

    const conn = await client.connect('c1');
    // Synced from the lists: the read is answered, no watch has its answer yet.
    expect((await conn.list(GW_V1)).map(g => g.metadata.name)).toEqual(['a']);
    expect(cache.refusals('c1')).toEqual([]);
    const settled = cache.settledRefusals('c1');
    setTimeout(answerWatches, 20);
    expect(
      (await settled).map(r => `${r.verb} ${resourceKey(r.resource)}`).sort(),
    ).toEqual([
      `watch ${resourceKey(EVENT_RESOURCES['events.k8s.io/v1'])}`,
      `watch ${GATEWAYS_KEY}`,
    ]);
  });

  it('waits for the watches of a first answer as long as the first-sync wait after slow first lists', async () => {
    const { cluster, cache } = setup({ firstSyncWaitMs: 50 });
    caches.push(cache);
    cluster.refusedWatches.add('/gateways');
    let answerLists!: () => void;
    cluster.gate = new Promise(r => {
      answerLists = r;
    });
    let answerWatches!: () => void;
    cluster.watchGate = new Promise(r => {
      answerWatches = r;
    });
    // The read gives up on the sync and reads directly; the lists come later.
    expect(await cache.whenSynced('c1')).toBe(false);
    await new Promise(r => setTimeout(r, 150));
    answerLists();
    await eventually(() => expect(cache.isWarm('c1')).toBe(true));
    const settled = cache.settledRefusals('c1');
    setTimeout(answerWatches, 20);
    expect((await settled).map(r => r.verb)).toEqual(['watch']);
  });

  it('waits for the watches of a first answer at most twice the first-sync wait, never past the request', async () => {
    const { cluster, cache } = setup({ firstSyncWaitMs: 100 });
    caches.push(cache);
    cluster.watchGate = new Promise(() => undefined);
    await cache.whenSynced('c1');
    const t0 = Date.now();
    expect(await cache.settledRefusals('c1')).toEqual([]);
    expect(Date.now() - t0).toBeLessThan(1_000);
    const request = new AbortController();
    request.abort();
    expect(await cache.settledRefusals('c1', request.signal)).toEqual([]);
    // A cluster not watched has nothing to wait for.
    expect(await cache.settledRefusals('c2')).toEqual([]);
  });

  it('waits for silent accepted watches only about as long as the first lists took (no WatchList, a proxy holds their headers)', async () => {
    const { cluster, cache } = setup({ firstSyncWaitMs: 3_000 });
    caches.push(cache);
    // An API server without the WatchList feature refuses initial events;
    // accepted watches that send nothing: behind the Kubernetes plugin's
    // proxy no verdict comes until their first event.
    cluster.initialEvents = false;
    cluster.watchGate = new Promise(() => undefined);
    expect(await cache.whenSynced('c1')).toBe(true);
    const t0 = Date.now();
    expect(await cache.settledRefusals('c1')).toEqual([]);
    // Fast lists: the shortest grace (200 ms), far below the first-sync wait.
    expect(Date.now() - t0).toBeLessThan(1_500);
  });

  it('waits for no verdict when the read went direct (first lists slower than firstSyncWaitMs, or one failed): the answer names the refusals known then', async () => {
    const never = new Promise<void>(() => undefined);
    const slow = setup({ firstSyncWaitMs: 500 });
    caches.push(slow.cache);
    slow.cluster.gate = never;
    const t0 = Date.now();
    const conn = await slow.client.connect('c1');
    // It waited for the sync, then gave up: the read goes direct.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(450);
    await conn.list(GW_V1);
    expect(slow.directCalls).toEqual(['connect', 'list gateways']);
    const t1 = Date.now();
    expect(await slow.cache.settledRefusals('c1')).toEqual([]);
    // Not until twice the first-sync wait after the watches started (500 ms more).
    expect(Date.now() - t1).toBeLessThan(400);

    // Gateways may not be listed (that answer comes at once, so the read
    // goes direct at once); every other first list is slow, their watches
    // not even asked yet.
    const refused = setup({ firstSyncWaitMs: 500 });
    caches.push(refused.cache);
    refused.cluster.gateOf = id =>
      id.startsWith(`${GATEWAYS_KEY}/`) ? Promise.resolve() : never;
    for (const version of GATEWAYS.versions) {
      refused.cluster.refused.add(`${GATEWAYS_KEY}/${version}`);
    }
    const t2 = Date.now();
    await (await refused.client.connect('c1')).list(GW_V1);
    expect(refused.directCalls).toEqual(['connect', 'list gateways']);
    expect(
      (await refused.cache.settledRefusals('c1')).map(
        r => `${r.verb} ${resourceKey(r.resource)}`,
      ),
    ).toEqual([`list ${GATEWAYS_KEY}`]);
    expect(Date.now() - t2).toBeLessThan(400);
    expect(refused.cluster.watchRequests).toEqual([]);
  });

  it('waits for the verdicts of watches asked once every first list is back, though a watch refused at once failed the first sync', async () => {
    // Found on the real API server with no watch grant: a refused watch made
    // the read go direct before the last lists were back; the watches asked
    // after them were refused too, and the first answer must name them.
    const { cluster, cache, client, directCalls } = setup();
    caches.push(cache);
    let answerLists!: () => void;
    const lists = new Promise<void>(r => {
      answerLists = r;
    });
    cluster.gateOf = id =>
      id.startsWith(`${GATEWAYS_KEY}/`) ? Promise.resolve() : lists;
    cluster.refusedWatches.add('/gateways');
    cluster.refusedWatches.add('/services');
    await (await client.connect('c1')).list(TCP_V1);
    expect(directCalls).toEqual(['connect', 'list tcproutes']);
    let answerWatches!: () => void;
    cluster.watchGate = new Promise(r => {
      answerWatches = r;
    });
    answerLists();
    await eventually(() => expect(cluster.inFlight).toBe(0));
    const settled = cache.settledRefusals('c1');
    setTimeout(answerWatches, 50);
    expect(
      (await settled).map(r => `${r.verb} ${resourceKey(r.resource)}`).sort(),
    ).toEqual([`watch ${GATEWAYS_KEY}`, 'watch services.']);
  });

  it('waits for the first lists at most half the time left before the answer is due', async () => {
    const { cluster, cache, client, directCalls } = setup({
      firstSyncWaitMs: 3_000,
    });
    caches.push(cache);
    cluster.gate = new Promise(() => undefined);
    const t0 = Date.now();
    const conn = await client.connect('c1', { answerDue: new Deadline(800) });
    const waited = Date.now() - t0;
    expect(waited).toBeGreaterThanOrEqual(350);
    expect(waited).toBeLessThan(700);
    await conn.list(GW_V1);
    expect(directCalls).toEqual(['connect', 'list gateways']);
  });

  it("names a first answer's refused watch when its verdict comes before the answer is due, and waits no later than ANSWER_RESERVE_MS before", async () => {
    const timely = setup({ firstSyncWaitMs: 3_000 });
    caches.push(timely.cache);
    timely.cluster.refusedWatches.add('/gateways');
    timely.cluster.watchGate = new Promise(r => setTimeout(r, 100));
    expect(await timely.cache.whenSynced('c1')).toBe(true);
    expect(
      (
        await timely.cache.settledRefusals('c1', undefined, new Deadline(1_000))
      ).map(r => `${r.verb} ${resourceKey(r.resource)}`),
    ).toEqual([`watch ${GATEWAYS_KEY}`]);

    // The watches' answers never come: the wait ends before the answer is due.
    const { cluster, cache } = setup({ firstSyncWaitMs: 3_000 });
    caches.push(cache);
    cluster.watchGate = new Promise(() => undefined);
    expect(await cache.whenSynced('c1')).toBe(true);
    const due = new Deadline(600);
    const t0 = Date.now();
    expect(await cache.settledRefusals('c1', undefined, due)).toEqual([]);
    const waited = Date.now() - t0;
    expect(due.remainingMs()).toBeGreaterThan(0); // answered before it was due
    expect(waited).toBeGreaterThanOrEqual(600 - ANSWER_RESERVE_MS - 50);
    // With no time left there is nothing to wait for.
    const t1 = Date.now();
    expect(
      await cache.settledRefusals('c1', undefined, new Deadline(0)),
    ).toEqual([]);
    // Well within the 200 ms grace it would otherwise wait.
    expect(Date.now() - t1).toBeLessThan(150);
  });

  it('names the refused events.k8s.io watch in the first answer when core events may not be listed, each answer a round trip away', async () => {
    // Found on the real API server: watch refused, core events listed
    // (refused), events.k8s.io listed and watched again: the verdict came
    // four round trips after the lists, past the wait for silent watches.
    const { cluster, cache } = setup({ firstSyncWaitMs: 2_000 });
    caches.push(cache);
    cluster.roundTripMs = 100;
    cluster.holdsSilentWatches = true;
    cluster.refusedWatches.add('/events.k8s.io/');
    cluster.refused.add('events./v1');
    expect(await cache.whenSynced('c1')).toBe(true);
    expect(refusalsOf(cache)).toEqual([]);
    expect(
      (await cache.settledRefusals('c1')).map(
        r => `${r.verb} ${resourceKey(r.resource)}`,
      ),
    ).toEqual([`watch ${resourceKey(EVENT_RESOURCES['events.k8s.io/v1'])}`]);
  });

  it('keeps a cluster watched while a read waits for its first verdicts, however short idleStopMs', async () => {
    // Found on the real API server (idleStopSeconds 1): a later read found
    // the cluster idle under the waiting one, started it afresh, and the
    // waiting read's verdicts were lost with the stopped watches.
    const { cluster, cache, watchedClusters } = setup({ idleStopMs: 50 });
    caches.push(cache);
    cluster.roundTripMs = 100;
    cluster.refusedWatches.add('/gateways');
    expect(await cache.whenSynced('c1')).toBe(true);
    const settled = cache.settledRefusals('c1');
    await new Promise(r => setTimeout(r, 80));
    cache.list('c1', GW_V1);
    expect(
      (await settled).map(r => `${r.verb} ${resourceKey(r.resource)}`),
    ).toEqual([`watch ${GATEWAYS_KEY}`]);
    expect(watchedClusters).toEqual(['c1']);
  });

  it('behind a proxy that holds silent watches, knows accepted watches from their initial events at once, not after a grace', async () => {
    const { cluster, cache } = setup({ firstSyncWaitMs: 3_000 });
    caches.push(cache);
    cluster.holdsSilentWatches = true;
    expect(await cache.whenSynced('c1')).toBe(true);
    const t0 = Date.now();
    expect(await cache.settledRefusals('c1')).toEqual([]);
    // The grace for silent watches is 200 ms at least.
    expect(Date.now() - t0).toBeLessThan(150);
    // Only the first watch asks for initial events: a restart after a
    // timeout (no refusal, the verdict known) watches from the list alone.
    const first = cluster.open('/gateways');
    expect(first.params).toMatchObject({
      sendInitialEvents: true,
      resourceVersionMatch: 'NotOlderThan',
      allowWatchBookmarks: true,
    });
  });

  it("reports what was deleted between a list and its watch's initial events", async () => {
    const { cluster, cache } = setup();
    caches.push(cache);
    const changes: WatchedChange[] = [];
    cache.onChange(c => changes.push(c));
    cluster.put(GATEWAYS, gateway('a'), gateway('b'));
    let answerWatches!: () => void;
    cluster.watchGate = new Promise(r => {
      answerWatches = r;
    });
    cache.list('c1', GW_V1);
    await eventually(() => expect(cache.isWarm('c1')).toBe(true));
    cluster.objects.set(resourceKey(GATEWAYS), [gateway('a')]);
    answerWatches();
    await eventually(() =>
      expect(cache.list('c1', GW_V1)).toEqual({ items: [gateway('a')] }),
    );
    expect(
      changes.map(c => [c.object.metadata.name, c.type, c.resource.plural]),
    ).toEqual([['b', 'deleted', 'gateways']]);
  });

  it('watches without initial events where the API server has no WatchList (422), listing again at once', async () => {
    const { cluster, cache } = setup();
    caches.push(cache);
    cluster.initialEvents = false;
    cluster.put(GATEWAYS, gateway('a'));
    cache.list('c1', GW_V1);
    await eventually(() =>
      expect(cache.list('c1', GW_V1)).toEqual({ items: [gateway('a')] }),
    );
    expect(cluster.open('/gateways').params.sendInitialEvents).toBeUndefined();
    expect(refusalsOf(cache)).toEqual([]);
  });

  it('picks up a watch granted later within backoffMs.max, behind a proxy that holds silent watches, logging the refusal once a minute', async () => {
    const warnings: string[] = [];
    const logger = {
      warn: (message: string) => warnings.push(message),
      error: () => undefined,
      info: () => undefined,
      debug: () => undefined,
      child: () => logger,
    } as unknown as LoggerService;
    const { cluster, cache } = setup(
      { backoffMs: { initial: 10, max: 100 } },
      logger,
    );
    caches.push(cache);
    cluster.holdsSilentWatches = true;
    cluster.put(GATEWAYS, gateway('a'));
    cluster.refusedWatches.add('/gateways');
    cache.list('c1', GW_V1);
    await eventually(() =>
      expect(refusalsOf(cache)).toEqual([`watch ${GATEWAYS_KEY}`]),
    );
    // Refused for a while: many retries, at most max × 1.2 apart; one line.
    await eventually(() =>
      expect(
        cluster.watchRequests.filter(p => p.endsWith('/gateways')).length,
      ).toBeGreaterThanOrEqual(6),
    );
    expect(warnings.filter(w => w.includes('gateways'))).toHaveLength(1);
    expect(cache.list('c1', GW_V1)).toBeUndefined();

    cluster.refusedWatches.clear();
    const granted = Date.now();
    await eventually(
      () => expect(cache.list('c1', GW_V1)).toEqual({ items: [gateway('a')] }),
      1_000,
    );
    // Within the longest delay (× 1.2), and a round of list and watch.
    // (Without the max, the next retry would be hundreds of ms away.)
    expect(Date.now() - granted).toBeLessThan(100 * 1.2 + 150);
    expect(refusalsOf(cache)).toEqual([]);
  });

  it('asks events.k8s.io again once its events watch has run on core events for backoffMs.max: a grant added later is picked up', async () => {
    const { cluster, cache } = setup({ backoffMs: { initial: 10, max: 150 } });
    caches.push(cache);
    cluster.refusedWatches.add('/events.k8s.io/');
    cache.list('c1', GW_V1);
    const eventsV1 = {
      group: 'events.k8s.io',
      version: 'v1',
      plural: 'events',
    };
    const fieldSelector = eventFieldSelector('events.k8s.io/v1', {
      kind: 'Gateway',
      namespace: 'apps',
      name: 'gw',
    });
    // On core events: events.k8s.io is answered as not served.
    await eventually(() =>
      expect(cache.list('c1', eventsV1, { fieldSelector })).toEqual({
        notServed: true,
      }),
    );
    cluster.refusedWatches.clear();
    await eventually(
      () =>
        expect(cache.list('c1', eventsV1, { fieldSelector })).toEqual({
          items: [],
        }),
      1_000,
    );
    expect(refusalsOf(cache)).toEqual([]);
  });

  it('notices a list or watch revoked from a synced watch at its next list or watch request, not before', async () => {
    const { cluster, cache } = await synced();

    cluster.refused.add(`${GATEWAYS_KEY}/v1`);
    cluster.refusedWatches.add('/gateways');
    // The open watch goes on: still served, nothing refused yet.
    expect(cache.list('c1', GW_V1)).toEqual({ items: [gateway('a')] });
    expect(refusalsOf(cache)).toEqual([]);

    // The watch request ends (its timeout): the next one is refused.
    cluster.open('/gateways').done(null);
    await eventually(() =>
      expect(refusalsOf(cache)).toEqual([`watch ${GATEWAYS_KEY}`]),
    );
    expect(cache.list('c1', GW_V1)).toBeUndefined();
    // Its restart lists first: the list is refused.
    await eventually(() =>
      expect(refusalsOf(cache)).toEqual([`list ${GATEWAYS_KEY}`]),
    );
    expect(cache.list('c1', GW_V1)).toBeUndefined();
  });

  it('starts an idle cluster afresh at its next read, before the sweeper has stopped it', async () => {
    const { cluster, cache } = await synced({ idleStopMs: 50 });
    const first = cluster.open('/gateways');
    // The sweeper runs every second at the earliest: this read comes first.
    await new Promise(r => setTimeout(r, 100));
    expect(cache.list('c1', GW_V1)).toBeUndefined();
    expect(first.aborted).toBe(true);
    await eventually(() =>
      expect(cache.list('c1', GW_V1)).toEqual({ items: [gateway('a')] }),
    );
    expect(
      cluster.lists.filter(l => l.startsWith(`${GATEWAYS_KEY}/`)),
    ).toHaveLength(2);
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

import { KubernetesApiError } from '@gateway-portal/plugin-aws-gateway-node';
import {
  KubernetesConnection,
  ListOptions,
  ResourceVersion,
} from '../KubernetesObjectClient';
import { KubeObject } from '../types';
import { ClusterEventReader } from './ClusterEventReader';
import { EventApiCache } from './EventApiCache';
import { EventSubject } from './eventSelectors';

const GATEWAY: EventSubject = {
  kind: 'Gateway',
  namespace: 'shop',
  name: 'web',
  uid: '0a1b2c3d-0000-4000-8000-000000000001',
};
const ROUTE: EventSubject = {
  kind: 'TCPRoute',
  namespace: 'shop',
  name: 'web',
};

type Api = 'events.k8s.io' | 'core';

/** Events of both APIs as the API server stores them (one store, two views). */
function coreEvent(subject: EventSubject, reason: string, message: string) {
  return {
    metadata: {
      name: `${subject.name}.${reason}`,
      namespace: subject.namespace,
    },
    involvedObject: { ...subject },
    type: 'Warning',
    reason,
    message,
    count: 2,
    firstTimestamp: '2026-11-26T20:00:00Z',
    lastTimestamp: '2026-11-26T21:00:00Z',
    source: { component: 'gateway' },
  };
}

/** A connection serving events by field selector; per API: served, forbidden or failing. */
function fakeConnection(
  events: ReturnType<typeof coreEvent>[],
  behaviour: Partial<Record<Api, 'ok' | 403 | 404 | 500>> = {},
) {
  const calls: Array<{ api: Api; options: ListOptions }> = [];
  const connection: KubernetesConnection = {
    async list(resource: ResourceVersion, options: ListOptions = {}) {
      const api: Api =
        resource.group === 'events.k8s.io' ? 'events.k8s.io' : 'core';
      calls.push({ api, options });
      const answer = behaviour[api] ?? 'ok';
      if (answer !== 'ok') {
        throw new KubernetesApiError(`list events: HTTP ${answer}`, answer);
      }
      const field = api === 'core' ? 'involvedObject' : 'regarding';
      const wanted = Object.fromEntries(
        (options.fieldSelector ?? '').split(',').map(r => r.split('=')),
      );
      const items = events
        .filter(e => e.metadata.namespace === options.namespace)
        .filter(e =>
          Object.entries(wanted).every(
            ([k, v]) =>
              (e.involvedObject as Record<string, string>)[
                k.slice(field.length + 1)
              ] === v,
          ),
        )
        .map(e =>
          api === 'core'
            ? e
            : {
                metadata: e.metadata,
                regarding: e.involvedObject,
                type: e.type,
                reason: e.reason,
                note: e.message,
                deprecatedCount: e.count,
                deprecatedFirstTimestamp: e.firstTimestamp,
                deprecatedLastTimestamp: e.lastTimestamp,
                reportingController: e.source.component,
              },
        );
      return items.slice(0, options.limit) as unknown as KubeObject[];
    },
    async get() {
      return undefined;
    },
  };
  return { connection, calls };
}

describe('ClusterEventReader', () => {
  const build = coreEvent(GATEWAY, 'FailedBuildModel', 'Failed build model');
  const routeEvent = coreEvent(ROUTE, 'Accepted', 'Route accepted');

  it('reads events.k8s.io/v1 when served, one field-selected list per object', async () => {
    const { connection, calls } = fakeConnection([build, routeEvent]);
    const cache = new EventApiCache();
    const reader = new ClusterEventReader('c1', connection, cache);

    const read = await reader.read([GATEWAY, ROUTE]);

    expect(read.availability).toBe('read');
    expect(read.api).toBe('events.k8s.io/v1');
    expect(read.events).toEqual([
      expect.objectContaining({
        subject: GATEWAY,
        reason: 'FailedBuildModel',
        message: 'Failed build model',
        count: 2,
        lastSeen: '2026-11-26T21:00:00.000Z',
        reportingController: 'gateway',
      }),
      expect.objectContaining({ subject: ROUTE, reason: 'Accepted' }),
    ]);
    expect(calls.map(c => c.options)).toContainEqual({
      namespace: 'shop',
      fieldSelector: `regarding.kind=Gateway,regarding.name=web,regarding.uid=${GATEWAY.uid}`,
      limit: 51,
    });
    expect(cache.get('c1')).toBe('events.k8s.io/v1');
  });

  it.each([403, 404] as const)(
    'falls back to core v1 events when events.k8s.io answers %s, and remembers it for the cluster',
    async status => {
      const { connection, calls } = fakeConnection([build], {
        'events.k8s.io': status,
      });
      const cache = new EventApiCache();

      const read = await new ClusterEventReader('c1', connection, cache).read([
        GATEWAY,
      ]);

      expect(read).toMatchObject({ availability: 'read', api: 'v1' });
      expect(read.events[0]).toMatchObject({ message: 'Failed build model' });
      expect(calls.at(-1)!.options.fieldSelector).toBe(
        `involvedObject.kind=Gateway,involvedObject.name=web,involvedObject.uid=${GATEWAY.uid}`,
      );
      calls.length = 0;
      await new ClusterEventReader('c1', connection, cache).read([GATEWAY]);
      expect(calls.map(c => c.api)).toEqual(['core']);
    },
  );

  it('says events are not readable when RBAC allows neither API, and asks again after a minute', async () => {
    const { connection, calls } = fakeConnection([build], {
      'events.k8s.io': 403,
      core: 403,
    });
    const cache = new EventApiCache({ apiMs: 600_000, notReadableMs: 0 });

    const read = await new ClusterEventReader('c1', connection, cache).read([
      GATEWAY,
    ]);

    expect(read).toEqual({
      availability: 'not-readable',
      events: [],
      cappedSubjects: 0,
    });
    await new Promise(r => setTimeout(r, 5));
    calls.length = 0;
    await new ClusterEventReader('c1', connection, cache).read([GATEWAY]);
    expect(calls).toHaveLength(2);
  });

  it('chooses again within the same read when the remembered API is refused (RBAC changed)', async () => {
    const { connection, calls } = fakeConnection([build], {
      'events.k8s.io': 403,
    });
    const cache = new EventApiCache();
    cache.set('c1', 'events.k8s.io/v1');

    const read = await new ClusterEventReader('c1', connection, cache).read([
      GATEWAY,
    ]);

    expect(read).toMatchObject({ availability: 'read', api: 'v1' });
    expect(read).not.toHaveProperty('refused');
    // The refused list is not asked again; the probe's answer is the read.
    expect(calls.map(c => c.api)).toEqual(['events.k8s.io', 'core']);
    expect(cache.get('c1')).toBe('v1');
  });

  it("reads a subject its chosen API refuses in the other one when the rest were answered (the watch cache's events watches moving between APIs)", async () => {
    const { connection } = fakeConnection([build, routeEvent]);
    const moving: KubernetesConnection = {
      ...connection,
      // The route kind's watch already serves core events; the Gateway kind's still events.k8s.io.
      list: async (resource, options) => {
        const route = options?.fieldSelector?.includes('kind=TCPRoute');
        if ((resource.group === 'events.k8s.io') === Boolean(route)) {
          throw new KubernetesApiError('not served', 404);
        }
        return connection.list(resource, options);
      },
    };
    const read = await new ClusterEventReader(
      'c1',
      moving,
      new EventApiCache(),
    ).read([GATEWAY, ROUTE]);
    expect(read).toMatchObject({
      availability: 'read',
      api: 'events.k8s.io/v1',
    });
    expect(read.events.map(e => [e.subject.kind, e.reason])).toEqual([
      ['Gateway', 'FailedBuildModel'],
      ['TCPRoute', 'Accepted'],
    ]);
    // Refused in both for one subject: not readable.
    const { connection: neither } = fakeConnection([build, routeEvent], {
      'events.k8s.io': 404,
      core: 403,
    });
    expect(
      (
        await new ClusterEventReader('c1', neither, new EventApiCache()).read([
          GATEWAY,
          ROUTE,
        ])
      ).availability,
    ).toBe('not-readable');
  });

  it('reports any other failure as failed, without remembering an API', async () => {
    const { connection } = fakeConnection([build], { 'events.k8s.io': 500 });
    const cache = new EventApiCache();

    const read = await new ClusterEventReader('c1', connection, cache).read([
      GATEWAY,
    ]);

    expect(read.availability).toBe('failed');
    expect(read.failure).toBeInstanceOf(KubernetesApiError);
    expect(cache.get('c1')).toBeUndefined();
  });

  it('keeps at most the per-object limit and counts the objects that had more', async () => {
    const many = Array.from({ length: 4 }, (_, i) =>
      coreEvent(GATEWAY, `Reason${i}`, `message ${i}`),
    );
    const { connection, calls } = fakeConnection(many);

    const read = await new ClusterEventReader(
      'c1',
      connection,
      new EventApiCache(),
      {
        perObjectLimit: 3,
      },
    ).read([GATEWAY]);

    expect(read.events).toHaveLength(3);
    expect(read.cappedSubjects).toBe(1);
    expect(calls.at(-1)!.options.limit).toBe(4);
  });

  it('never asks about an object whose name or kind is not a Kubernetes one', async () => {
    const { connection, calls } = fakeConnection([build]);

    const read = await new ClusterEventReader(
      'c1',
      connection,
      new EventApiCache(),
    ).read([
      { kind: 'Gateway', namespace: 'shop', name: 'web,reason=x' },
      { kind: 'Gateway=1', namespace: 'shop', name: 'web' },
      { kind: 'Gateway', namespace: 'Shop', name: 'web' },
    ]);

    expect(read).toEqual({
      availability: 'read',
      events: [],
      cappedSubjects: 0,
    });
    expect(calls).toEqual([]);
  });

  it("reads a cluster-scoped object's events (a GatewayClass's) where client-go writes them: in default", async () => {
    const gatewayClass: EventSubject = {
      kind: 'GatewayClass',
      name: 'nlb',
      uid: '0a1b2c3d-0000-4000-8000-000000000002',
    };
    const classEvent = {
      ...coreEvent(
        gatewayClass,
        'NotFound',
        'LoadBalancerConfiguration not found',
      ),
      metadata: { name: 'nlb.1', namespace: 'default' },
    };
    const { connection, calls } = fakeConnection([classEvent, build]);
    const read = await new ClusterEventReader(
      'c1',
      connection,
      new EventApiCache(),
    ).read([gatewayClass]);
    expect(read.events).toEqual([
      expect.objectContaining({ subject: gatewayClass, reason: 'NotFound' }),
    ]);
    expect(calls.map(c => c.options)).toEqual([
      {
        namespace: 'default',
        fieldSelector: `regarding.kind=GatewayClass,regarding.name=nlb,regarding.uid=${gatewayClass.uid}`,
        limit: 51,
      },
    ]);
  });

  it('reads an object once per request, however many gateways ask', async () => {
    const { connection, calls } = fakeConnection([build]);
    const reader = new ClusterEventReader(
      'c1',
      connection,
      new EventApiCache(),
    );

    await Promise.all([reader.read([GATEWAY]), reader.read([GATEWAY])]);

    // The probe that chose the API, then one read of the Gateway's events.
    expect(calls).toHaveLength(1);
  });
});

/**
 * How the status service behaves when what it depends on falters: a cache
 * that hangs, a read that stalls, a database that is down, AWS throttling,
 * and callers asking for refresh=true. The source of answers is a stand-in
 * here (the collector has its own tests); time is real and short.
 */
import http from 'node:http';
import { AddressInfo } from 'node:net';
import {
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { CacheService } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { NotFoundError, ServiceUnavailableError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  EntityGatewaysResponse,
  StatusError,
} from '@gateway-portal/plugin-aws-gateway-common';
import { componentEntity } from '../__testUtils__/entities';
import { MemoryCache } from '../__testUtils__/memoryCache';
import { AnswerDue } from '../deadline';
import { noStatusMetrics, StatusMetrics } from '../metrics';
import { AwsBackoff } from './awsBackoff';
import { addAwsCallAccounting } from './awsCallAccounting';
import {
  DefaultGatewayStatusService,
  StatusSettings,
} from './DefaultGatewayStatusService';
import { EntityGatewaysSource } from './sharedReads';

const ENTITY_REF = 'component:default/orders';
const entity = componentEntity('orders', {
  'aws-gateway.io/gateways': 'shop/orders',
});

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** A CacheService whose calls never settle (a paused Redis). */
class HangingCache implements CacheService {
  gets = 0;
  sets = 0;
  get() {
    this.gets++;
    return new Promise<undefined>(() => {});
  }
  set() {
    this.sets++;
    return new Promise<void>(() => {});
  }
  delete() {
    return new Promise<void>(() => {});
  }
  withOptions() {
    return this;
  }
}

/** Answers as told: at once, after a delay, never, or with errors. */
class ScriptedSource implements EntityGatewaysSource {
  calls = 0;
  aborted = 0;
  delayMs = 0;
  stalled = false;
  errors: StatusError[] = [];
  gatewayNames = ['orders-gw'];
  /** What each read was told was left before its answer is due. */
  dueInMs: number[] = [];

  async collect(
    _entity: Entity,
    entityRef: string,
    options?: { signal?: AbortSignal; answerDue?: AnswerDue },
  ): Promise<EntityGatewaysResponse> {
    this.calls++;
    this.dueInMs.push(options?.answerDue?.remainingMs() ?? Infinity);
    const call = this.calls;
    options?.signal?.addEventListener('abort', () => this.aborted++);
    if (this.stalled) await new Promise(() => {});
    if (this.delayMs) await sleep(this.delayMs);
    return {
      entityRef,
      configured: true,
      // Stamped at the start, as a collector does: the service restamps it.
      fetchedAt: new Date(Date.now() - this.delayMs).toISOString(),
      errors: [...this.errors],
      gateways: this.gatewayNames.map(name => ({
        gateway: { cluster: 'dev', namespace: 'shop', name },
        gatewayClassName: 'aws-nlb',
        state: 'programmed',
        stateReason: `read #${call}`,
        listeners: [],
        warnings: [],
        errors: [],
      })),
    };
  }
}

class RecordingMetrics implements StatusMetrics {
  readonly events: string[] = [];
  requestDuration = (_ms: number, outcome: string) =>
    this.events.push(`request:${outcome}`);
  cache = (op: string, result: string) =>
    this.events.push(`cache:${op}:${result}`);
  awsCall = (op: string, result: string) =>
    this.events.push(`aws:${op}:${result}`);
  staleServed = (reason: string) => this.events.push(`stale:${reason}`);
  deadlineExpired = (stage: string) => this.events.push(`deadline:${stage}`);
  refresh = (result: string) => this.events.push(`refresh:${result}`);
  awsBackoff = (s: number) => this.events.push(`backoff:${s}`);
  count(event: string) {
    return this.events.filter(e => e === event).length;
  }
}

const SETTINGS: StatusSettings = {
  cacheTtlMs: 15_000,
  kubernetesTimeoutMs: 10_000,
  requestDeadlineMs: 300,
  cacheTimeoutMs: 30,
  staleMaxAgeMs: 900_000,
  refresh: { minIntervalMs: 30_000, perUserPerMinute: 10 },
};

function setup(
  options: {
    cache?: CacheService;
    source?: ScriptedSource;
    settings?: Partial<StatusSettings>;
    catalog?: {
      getEntityByRef: (...args: any[]) => Promise<Entity | undefined>;
    };
    backoff?: AwsBackoff;
    decisions?: AuthorizeResult[];
  } = {},
) {
  let skewMs = 0;
  const now = () => Date.now() + skewMs;
  const source = options.source ?? new ScriptedSource();
  const logger = mockServices.logger.mock();
  const metrics = new RecordingMetrics();
  const catalog = options.catalog ?? {
    getEntityByRef: jest.fn(async (ref: string) =>
      ref === ENTITY_REF ? entity : undefined,
    ),
  };
  const authorize = jest.fn(async (requests: unknown[]) =>
    requests.map((_, i) => ({
      result: options.decisions?.[i] ?? AuthorizeResult.ALLOW,
    })),
  );
  const ownCredentials = mockCredentials.service('plugin:aws-gateway');
  const service = DefaultGatewayStatusService.create({
    catalog: catalog as any,
    permissions: { authorize: authorize as any },
    auth: { getOwnServiceCredentials: async () => ownCredentials },
    cache: options.cache ?? new MemoryCache(),
    logger,
    source,
    settings: { ...SETTINGS, ...options.settings },
    metrics,
    backoff: options.backoff,
    now,
  });
  const get = (refresh = false, user = 'user:default/mia') =>
    service.getEntityGateways(
      { entityRef: ENTITY_REF, refresh },
      { credentials: mockCredentials.user(user) },
    );
  const timed = async <T>(p: () => Promise<T>): Promise<[number, T]> => {
    const t0 = Date.now();
    const value = await p();
    return [Date.now() - t0, value];
  };
  return {
    service,
    source,
    logger,
    metrics,
    catalog,
    authorize,
    ownCredentials,
    get,
    timed,
    advance: (ms: number) => {
      skewMs += ms;
    },
  };
}

describe('DefaultGatewayStatusService under faults', () => {
  it('answers without waiting when the shared cache hangs, and warns once', async () => {
    const cache = new HangingCache();
    // A deadline far beyond the cache's 30 ms: waiting for the cache would show.
    const t = setup({ cache, settings: { requestDeadlineMs: 3_000 } });
    const [ms, first] = await t.timed(() => t.get());
    expect(first.gateways).toHaveLength(1);
    expect(first.stale).toBeUndefined();
    expect(ms).toBeLessThan(1_000);
    // The second answer comes from process memory; the write was never awaited.
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => t.get()),
    );
    expect(answers.every(a => a.fetchedAt === first.fetchedAt)).toBe(true);
    expect(t.source.calls).toBe(1);
    // The read had just timed out: the write is skipped rather than queued behind it.
    expect(cache.sets).toBe(0);
    expect(t.metrics.count('cache:read:timeout')).toBe(1);
    expect(t.logger.warn).toHaveBeenCalledTimes(1);
    expect(String(t.logger.warn.mock.calls[0][0])).toMatch(
      /did not answer a read within 30 ms/,
    );
  });

  it('treats a cache that keeps failing as a miss, probing it again only after a pause', async () => {
    const cache = new HangingCache();
    const t = setup({
      cache,
      settings: { cacheTtlMs: 1_000, requestDeadlineMs: 3_000 },
    });
    await t.get();
    t.advance(1_500); // expired: the cache is asked again, at most once per pause
    const [ms] = await t.timed(() => t.get());
    expect(ms).toBeLessThan(1_000);
    expect(cache.gets).toBe(1); // the second read was skipped: the cache failed just before
    expect(t.metrics.count('cache:read:unavailable')).toBe(1);
    expect(t.source.calls).toBe(2);
  });

  it('restamps fetchedAt when the read ends, so the TTL bounds the age of what is served', async () => {
    const source = new ScriptedSource();
    source.delayMs = 120;
    const t = setup({ source });
    const before = Date.now();
    const res = await t.get();
    expect(Date.parse(res.fetchedAt)).toBeGreaterThanOrEqual(before + 100);
  });

  it('serves the last known answer, marked stale, when a read misses the deadline, and frees every waiter', async () => {
    const t = setup({ settings: { cacheTtlMs: 1_000 } });
    const good = await t.get();
    t.advance(5_000);
    t.source.stalled = true;
    const [ms, answers] = await t.timed(() =>
      Promise.all(Array.from({ length: 5 }, () => t.get())),
    );
    expect(ms).toBeLessThan(1_500);
    for (const a of answers) {
      expect(a.fetchedAt).toBe(good.fetchedAt);
      expect(a.stale).toEqual({
        ageSeconds: 5,
        reason:
          'Kubernetes or AWS did not answer within 1 s; a new read goes on in the background',
      });
    }
    expect(t.source.calls).toBe(2); // one shared read for the five waiters
    expect(t.metrics.count('deadline:collection')).toBe(5);
    expect(t.metrics.count('stale:deadline')).toBe(5);
  });

  it('answers 503 within the deadline when a read stalls and nothing is known yet', async () => {
    const source = new ScriptedSource();
    source.stalled = true;
    const t = setup({ source });
    const t0 = Date.now();
    await expect(t.get()).rejects.toThrow(ServiceUnavailableError);
    expect(Date.now() - t0).toBeLessThan(1_500);
  });

  it("tells the read when the request's answer is due (the watch cache's waits end before it)", async () => {
    const t = setup();
    await t.get();
    expect(t.source.dueInMs).toHaveLength(1);
    expect(t.source.dueInMs[0]).toBeGreaterThan(0);
    expect(t.source.dueInMs[0]).toBeLessThanOrEqual(SETTINGS.requestDeadlineMs);
  });

  it('lets a late read finish in the background and serves it next', async () => {
    const source = new ScriptedSource();
    const t = setup({ source, settings: { cacheTtlMs: 1_000 } });
    await t.get();
    t.advance(5_000);
    source.delayMs = 500;
    const late = await t.get();
    expect(late.stale?.reason).toMatch(/did not answer/);
    await sleep(600);
    const next = await t.get();
    expect(next.stale).toBeUndefined();
    expect(next.gateways[0].stateReason).toBe('read #2');
    expect(source.calls).toBe(2);
  });

  it('cancels a read that outlives the hard limit, so the next request starts a new one', async () => {
    const source = new ScriptedSource();
    source.stalled = true;
    // The hard limit is max(30 s, 2 × kubernetesTimeout): shorten it with fake timers.
    jest.useFakeTimers({ doNotFake: ['Date'] });
    try {
      const t = setup({ source });
      const first = t.get().catch(e => e);
      await jest.advanceTimersByTimeAsync(400);
      expect(await first).toBeInstanceOf(ServiceUnavailableError);
      await jest.advanceTimersByTimeAsync(30_000);
      expect(source.aborted).toBe(1);
      const second = t.get().catch(e => e);
      await jest.advanceTimersByTimeAsync(400);
      expect(await second).toBeInstanceOf(ServiceUnavailableError);
      expect(source.calls).toBe(2);
    } finally {
      jest.useRealTimers();
    }
  });

  it('keeps serving the last complete answer while a cluster is unreachable', async () => {
    const source = new ScriptedSource();
    const t = setup({ source, settings: { cacheTtlMs: 1_000 } });
    const good = await t.get();
    t.advance(2_000);
    source.errors = [
      {
        part: 'kubernetes',
        kind: 'unreachable',
        cluster: 'dev',
        message: 'connect ECONNREFUSED 10.1.2.3:443',
      },
    ];
    source.gatewayNames = [];
    const degraded = await t.get();
    expect(degraded.fetchedAt).toBe(good.fetchedAt);
    expect(degraded.gateways).toHaveLength(1);
    expect(degraded.stale).toEqual({
      ageSeconds: 2,
      reason: 'Kubernetes cluster dev could not be reached',
    });
    // Within the TTL of the degraded read, still the complete answer, without reading again.
    const again = await t.get();
    expect(again.stale?.reason).toBe(
      'Kubernetes cluster dev could not be reached',
    );
    expect(source.calls).toBe(2);
  });

  it('serves a degraded answer as it is when nothing better is known', async () => {
    const source = new ScriptedSource();
    source.errors = [{ part: 'aws', kind: 'unreachable', message: 'timeout' }];
    const t = setup({ source });
    const res = await t.get();
    expect(res.stale).toBeUndefined();
    expect(res.errors).toEqual(source.errors);
  });

  it('does not serve answers older than staleMaxAge', async () => {
    const t = setup({ settings: { cacheTtlMs: 1_000, staleMaxAgeMs: 60_000 } });
    await t.get();
    t.advance(120_000);
    t.source.stalled = true;
    await expect(t.get()).rejects.toThrow(ServiceUnavailableError);
  });
});

describe('DefaultGatewayStatusService when the catalog or permission backend fail', () => {
  it('is 503 with a generic message when the catalog fails; the log has the details but no address', async () => {
    const t = setup({
      catalog: {
        getEntityByRef: async () => {
          throw Object.assign(
            new Error(
              'Request failed with 500, connect ECONNREFUSED 10.20.30.40:5432 (postgres://db.internal:5432/catalog)',
            ),
            { name: 'ResponseError', statusCode: 500 },
          );
        },
      },
    });
    const error = await t.get().catch(e => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error.message).toBe(
      'The gateway status is unavailable right now: the catalog or the permission service did not answer. Try again shortly.',
    );
    const logged = String(t.logger.error.mock.calls[0][0]);
    expect(logged).toMatch(/ResponseError \(HTTP 500\)/);
    expect(logged).not.toMatch(/10\.20\.30\.40|db\.internal|postgres:/);
    expect(t.source.calls).toBe(0);
  });

  it('is 503 within the deadline when the catalog hangs', async () => {
    const t = setup({
      catalog: { getEntityByRef: () => new Promise(() => {}) },
    });
    const t0 = Date.now();
    await expect(t.get()).rejects.toThrow(ServiceUnavailableError);
    expect(Date.now() - t0).toBeLessThan(1_500);
    expect(t.metrics.count('deadline:lookup')).toBe(1);
  });

  it('makes one permission call per request, for reading the entity and its status, and reads the entity as itself', async () => {
    const t = setup();
    await t.get();
    expect(t.authorize).toHaveBeenCalledTimes(1);
    const [requests] = t.authorize.mock.calls[0] as any[];
    expect(
      requests.map((r: any) => [r.permission.name, r.resourceRef]),
    ).toEqual([
      ['catalog.entity.read', ENTITY_REF],
      ['aws-gateway.status.read', ENTITY_REF],
    ]);
    expect(t.catalog.getEntityByRef).toHaveBeenCalledWith(ENTITY_REF, {
      credentials: t.ownCredentials,
    });
  });

  it('is NotFound when the caller may not read the entity, even though the plugin could', async () => {
    const t = setup({
      decisions: [AuthorizeResult.DENY, AuthorizeResult.ALLOW],
    });
    await expect(t.get()).rejects.toThrow(NotFoundError);
    expect(t.source.calls).toBe(0);
  });
});

describe('DefaultGatewayStatusService refresh budget', () => {
  it('honours refresh=true once per entity per interval across replicas sharing one cache', async () => {
    const cache = new MemoryCache();
    const a = setup({ cache });
    const b = setup({ cache });
    await a.get();
    const refreshedOnA = await a.get(true);
    expect(refreshedOnA.refreshDeclined).toBeUndefined();
    expect(a.source.calls).toBe(2);
    await sleep(50); // the mark is written in the background
    const onB = await b.get(true);
    expect(onB.refreshDeclined).toBe(
      'This entity was refreshed less than 30 s ago',
    );
    expect(b.source.calls).toBe(0); // served from the shared cache
    expect(onB.fetchedAt).toBe(refreshedOnA.fetchedAt);
    expect(b.metrics.count('refresh:entity-interval')).toBe(1);
  });

  it('says a refresh was declined also when the cached answer had expired and was read again', async () => {
    const t = setup({ settings: { cacheTtlMs: 1_000 } });
    await t.get(true);
    t.advance(2_000);
    const again = await t.get(true);
    expect(again.refreshDeclined).toBe(
      'This entity was refreshed less than 30 s ago',
    );
    expect(t.source.calls).toBe(2); // the expired answer was read again, as without refresh
  });

  it('honours one of many concurrent refreshes of an entity on one replica', async () => {
    const t = setup();
    await t.get();
    const answers = await Promise.all(
      Array.from({ length: 5 }, (_, i) => t.get(true, `user:default/u${i}`)),
    );
    expect(answers.filter(a => !a.refreshDeclined)).toHaveLength(1);
    expect(t.source.calls).toBe(2);
  });

  it('limits refreshes per user', async () => {
    const t = setup({
      settings: { refresh: { minIntervalMs: 0, perUserPerMinute: 2 } },
    });
    await t.get(true);
    await t.get(true);
    const third = await t.get(true);
    expect(third.refreshDeclined).toMatch(/^At most 2 refreshes a minute/);
    expect(t.source.calls).toBe(2);
    const other = await t.get(true, 'user:default/noah');
    expect(other.refreshDeclined).toBeUndefined();
    expect(t.source.calls).toBe(3);
  });

  it('backs off after throttling: no refresh, expired answers served stale without reading', async () => {
    const backoff = new AwsBackoff(noStatusMetrics);
    const t = setup({ backoff, settings: { cacheTtlMs: 1_000 } });
    await t.get();
    backoff.throttled();
    const refresh = await t.get(true);
    expect(refresh.refreshDeclined).toMatch(
      /^AWS is throttling reads; refresh is possible again in 5 s/,
    );
    t.advance(2_000);
    const expired = await t.get();
    expect(expired.stale?.reason).toMatch(
      /^AWS is throttling reads; the next read is in \d s$/,
    );
    expect(t.source.calls).toBe(1);
  });

  it('doubles the backoff when throttled again after a window, and shrinks it after successes', () => {
    let now = 0;
    const metrics = new RecordingMetrics();
    const backoff = new AwsBackoff(metrics, () => now);
    backoff.throttled();
    backoff.throttled(); // inside the window: no change
    expect(backoff.remainingMs()).toBe(5_000);
    now = 6_000;
    backoff.throttled();
    expect(backoff.remainingMs()).toBe(10_000);
    now = 20_000;
    backoff.succeeded();
    backoff.throttled();
    expect(backoff.remainingMs()).toBe(10_000);
    now = 40_000;
    backoff.succeeded();
    backoff.succeeded();
    expect(metrics.events.filter(e => e.startsWith('backoff:'))).toEqual([
      'backoff:5',
      'backoff:10',
      'backoff:10',
      'backoff:0',
    ]);
  });
});

describe('AWS call accounting', () => {
  it('counts attempts by operation and opens the backoff on a throttling answer from a real SDK client', async () => {
    const server = http.createServer((_req, res) => {
      res.writeHead(400, { 'content-type': 'text/xml' });
      res.end(
        '<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r-1</RequestId></ErrorResponse>',
      );
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const client = new ElasticLoadBalancingV2Client({
      region: 'eu-west-1',
      endpoint: `http://127.0.0.1:${port}`,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      maxAttempts: 2,
      retryStrategy: undefined,
    });
    const metrics = new RecordingMetrics();
    const backoff = new AwsBackoff(metrics);
    addAwsCallAccounting(client, metrics, backoff);
    try {
      await expect(
        client.send(new DescribeLoadBalancersCommand({})),
      ).rejects.toMatchObject({ name: 'Throttling' });
    } finally {
      client.destroy();
      server.close();
    }
    expect(metrics.count('aws:DescribeLoadBalancers:throttled')).toBe(2);
    expect(backoff.remainingMs()).toBeGreaterThan(4_000);
  });
});

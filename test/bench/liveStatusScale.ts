/**
 * Issue 14's scale goal, scaled to this benchmark's budget: Gateways spread
 * over two cluster names, 1,000 catalog entities, concurrent viewers of 50 of
 * them through a service with its watch cache. Measures the watch cache's
 * heap, read latency under load and AWS calls per minute.
 */
import * as k8s from '@kubernetes/client-node';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { Entity } from '@backstage/catalog-model';
import type { GatewayStatusService } from '@gateway-portal/plugin-aws-gateway-backend/testUtils';
import type { GoalRow, LiveStatusBench } from './liveStatusGoals';
import { startLive, watchAnswers } from './liveStatusGoals';

export interface ScaleBench extends LiveStatusBench {
  /** The two cluster names (one API server behind both). */
  clusters: readonly [string, string];
  /** The catalog the service reads; the scale entities are added to it. */
  entities: Record<string, Entity>;
  cacheTtlSeconds: number;
  /** Builds a catalog entity with these annotations. */
  entity(name: string, annotations: Record<string, string>): Entity;
}

/** The figures, chosen to keep `./run bench` within its budget. */
export const SCALE = {
  gateways: 500,
  catalogEntities: 1_000,
  viewedEntities: 50,
  viewers: 200,
  /** Each viewer reads its entity again after this pause. */
  viewerPauseMs: 1_000,
  /** Longer than the cache TTL, so its refreshes are counted. */
  durationMs: 35_000,
};

const CREATE_CONCURRENCY = 10;

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

/** The heap in use after a full collection. */
function heapUsed(): number {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

const GATEWAYS = {
  group: 'gateway.networking.k8s.io',
  version: 'v1',
  plural: 'gateways',
};

/**
 * Half the Gateways in each of two namespaces. The first 50 are linked to
 * the viewed entities and carry the status of one of the 10 programmed
 * Gateways (its NLB), so their reads ask AWS; the rest are bare.
 */
async function createGateways(bench: ScaleBench): Promise<string[]> {
  const custom = bench.kc.makeApiClient(k8s.CustomObjectsApi);
  const core = bench.kc.makeApiClient(k8s.CoreV1Api);
  const namespaces = [`${bench.namespace}-a`, `${bench.namespace}-b`];
  for (const name of namespaces) {
    await core.createNamespace({ body: { metadata: { name } } });
  }
  const programmed = await Promise.all(
    Array.from(
      { length: 10 },
      async (_, i) =>
        (await custom.getNamespacedCustomObject({
          ...GATEWAYS,
          namespace: bench.namespace,
          name: `multi-${i}`,
        })) as { status?: unknown },
    ),
  );
  const create = async (i: number) => {
    const namespace = namespaces[i % 2];
    const name = `scale-${i}`;
    const viewed = i < SCALE.viewedEntities;
    const created = (await custom.createNamespacedCustomObject({
      ...GATEWAYS,
      namespace,
      body: {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        metadata: {
          name,
          namespace,
          annotations: viewed
            ? { 'aws-gateway.io/entity-ref': `component:default/${name}` }
            : {},
        },
        spec: {
          gatewayClassName: 'aws-nlb',
          listeners: [{ name: 'tcp', protocol: 'TCP', port: 8080 }],
        },
      },
    })) as Record<string, unknown>;
    if (viewed) {
      await custom.replaceNamespacedCustomObjectStatus({
        ...GATEWAYS,
        namespace,
        name,
        body: { ...created, status: programmed[i % 10].status },
      });
    }
    return `${namespace}/${name}`;
  };
  const names: string[] = [];
  for (let i = 0; i < SCALE.gateways; i += CREATE_CONCURRENCY) {
    const batch = Array.from(
      { length: Math.min(CREATE_CONCURRENCY, SCALE.gateways - i) },
      (_, j) => create(i + j),
    );
    names.push(...(await Promise.all(batch)));
  }
  return names;
}

/**
 * 1,000 entities, each showing one Gateway in the cluster name of its
 * namespace (so both clusters are watched); the first 50 are the viewed ones.
 */
function addEntities(bench: ScaleBench, gateways: string[]): string[] {
  const viewed: string[] = [];
  for (let i = 0; i < SCALE.catalogEntities; i++) {
    const name = `scale-${i}`;
    const g = i % gateways.length;
    bench.entities[name] = bench.entity(name, {
      'aws-gateway.io/gateways': `${bench.clusters[g % 2]}/${gateways[g]}`,
    });
    if (i < SCALE.viewedEntities) viewed.push(name);
  }
  return viewed;
}

/** 200 viewers, each reading one of the viewed entities again and again. */
async function viewers(
  bench: ScaleBench,
  service: GatewayStatusService,
  viewed: string[],
): Promise<{
  latencies: number[];
  aws: number;
  failures: number;
  firstFailure?: string;
}> {
  const latencies: number[] = [];
  let failures = 0;
  let firstFailure: string | undefined;
  const awsBefore = bench.counters.aws;
  const until = performance.now() + SCALE.durationMs;
  await Promise.all(
    Array.from({ length: SCALE.viewers }, async (_, v) => {
      // Spread the viewers' first reads over one pause.
      await new Promise(r =>
        setTimeout(r, (v * SCALE.viewerPauseMs) / SCALE.viewers),
      );
      while (performance.now() < until) {
        const t0 = performance.now();
        try {
          const res = await bench.get(
            viewed[v % viewed.length],
            false,
            service,
          );
          if (res.gateways.length !== 1 || res.errors.length) {
            failures++;
            firstFailure ??= JSON.stringify(res.errors);
          }
        } catch (e) {
          failures++;
          firstFailure ??= String(e);
        }
        latencies.push(performance.now() - t0);
        await new Promise(r => setTimeout(r, SCALE.viewerPauseMs));
      }
    }),
  );
  return {
    latencies,
    aws: bench.counters.aws - awsBefore,
    failures,
    firstFailure,
  };
}

/** Measures the scale goal; never throws for a missed one. */
export async function measureScale(bench: ScaleBench): Promise<GoalRow[]> {
  const t0 = performance.now();
  const bare = await createGateways(bench);
  const viewed = addEntities(bench, bare);
  const setupMs = performance.now() - t0;

  const heapBefore = heapUsed();
  const live = startLive(bench);
  try {
    // Starts and syncs both clusters' watches.
    for (const name of viewed.slice(0, 2)) {
      await watchAnswers(bench, () => bench.get(name, true, live.service));
    }

    // The new service with both watches synced, before any load.
    const heapDelta = heapUsed() - heapBefore;

    // One cold read of every viewed entity: the AWS calls one TTL costs.
    const awsBefore = bench.counters.aws;
    for (const name of viewed) await bench.get(name, true, live.service);
    const awsPerTtl = bench.counters.aws - awsBefore;

    const load = await viewers(bench, live.service, viewed);
    const minutes = SCALE.durationMs / 60_000;
    const awsPerMinute = load.aws / minutes;
    // Bounded by the TTL: at most one set of lookups per TTL (+1 for the set in flight).
    const bound =
      awsPerTtl *
      (Math.ceil(SCALE.durationMs / (bench.cacheTtlSeconds * 1000)) + 1);
    const reads = load.latencies.length;
    const scope = `2 cluster names each watching all ${SCALE.gateways} + 11 Gateways, ${SCALE.catalogEntities} entities`;
    return [
      {
        goal: `scale: watch-cache heap (${scope}; set up in ${(
          setupMs / 1000
        ).toFixed(1)} s)`,
        measured: `${(heapDelta / 1024 / 1024).toFixed(
          1,
        )} MB heap delta (a new live service, both watches synced)`,
        // A figure to report: the issue sets no limit for it.
        met: undefined,
      },
      {
        goal: `scale: every read answered; status p50/p99, ${
          SCALE.viewers
        } viewers over ${SCALE.viewedEntities} entities for ${
          SCALE.durationMs / 1000
        } s`,
        measured: `p50 ${quantile(load.latencies, 0.5).toFixed(
          1,
        )} ms, p99 ${quantile(load.latencies, 0.99).toFixed(
          1,
        )} ms over ${reads} reads, ${load.failures} failed${
          load.firstFailure
            ? ` (first: ${load.firstFailure.slice(0, 200)})`
            : ''
        }`,
        met: load.failures === 0,
      },
      {
        goal: `scale: AWS calls per minute bounded by the ${
          bench.cacheTtlSeconds
        } s cache TTL, not by viewers (≤ ${bound} in ${
          SCALE.durationMs / 1000
        } s)`,
        measured: `${awsPerMinute.toFixed(0)} per minute (${
          load.aws
        } calls for ${reads} reads; one TTL's set: ${awsPerTtl})`,
        met: load.aws <= bound,
      },
    ];
  } finally {
    await live.stop();
  }
}

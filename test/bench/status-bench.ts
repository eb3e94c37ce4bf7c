/**
 * Benchmark of the gateway status service against the peers (a script, not a
 * timed test). Plays the controller for an entity with 1 Gateway and for one
 * with 10, injects a per-call latency into every AWS and Kubernetes call, and
 * prints cold/warm latency, calls per request, calls for 100 concurrent
 * viewers and process memory.
 *
 *   yarn workspace @gateway-portal/test-suite bench [--latency-ms 50]
 *   (uses PEERS_FILE when set, else starts aws + kube peers for this run)
 */
import * as k8s from '@kubernetes/client-node';
import { CacheManager } from '@backstage/backend-defaults/cache';
import { ConfigReader } from '@backstage/config';
import type { Entity } from '@backstage/catalog-model';
import { DefaultAwsClientFactory } from '@gateway-portal/plugin-aws-gateway-node';
import { InMemoryKubernetesClusters } from '@gateway-portal/plugin-aws-gateway-node/testUtils';
import {
  createGatewayStatusService,
  type CreateGatewayStatusServiceOptions,
  type GatewayStatusService,
  type KubernetesObjectClient,
  type WatchTransport,
} from '@gateway-portal/plugin-aws-gateway-backend/testUtils';
import {
  ensureClassicGatewayClass,
  programClassicGateway,
  startFakeController,
} from '../fixtures/classicGateway';
import { observeAwsCalls, type PeersInfo } from '../peers';
import { measureLiveStatusGoals, printGoals } from './liveStatusGoals';
import { peerFloorReplayer, type RecordedCalls } from './peerFloor';
import { measureScale, SCALE } from './liveStatusScale';

const PROFILE = 'gateway-api-v1.6';
const CLUSTERS = ['bench', 'bench-b'] as const;
const CACHE_TTL_SECONDS = 15;

const argLatency = process.argv.indexOf('--latency-ms');
const LATENCY_MS = argLatency > 0 ? Number(process.argv[argLatency + 1]) : 50;
/**
 * The latency injected now: LATENCY_MS, except while the live-status goals
 * measure the same reads with none (what the peers and this process cost).
 */
const injected = { ms: LATENCY_MS };

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

const counters = { aws: 0, kube: 0, watches: 0 };
const awsByCommand = new Map<string, number>();

/**
 * AWS round trips: the longest chain of AWS calls each started after
 * another's (injected) answer. Reset before each measured request. Answers
 * come in time order, so the deepest answer before a call starts is the
 * deepest so far: O(1) per call (this process's CPU is what is measured).
 */
const awsTrips = {
  deepestAnswered: 0,
  longest: 0,
  reset() {
    this.deepestAnswered = 0;
    this.longest = 0;
  },
  async call(delayMs: number) {
    const depth = 1 + this.deepestAnswered;
    await sleep(delayMs);
    this.deepestAnswered = Math.max(this.deepestAnswered, depth);
    this.longest = Math.max(this.longest, depth);
  },
};
/** Kubernetes calls by resource plural (which reads the watch cache leaves to the API server). */
const kubeByResource = new Map<string, number>();
/** The calls of the read being recorded (the peers' floor replays them). */
const recording: { calls?: RecordedCalls } = {};
const countKube = (plural: string) => {
  counters.kube++;
  kubeByResource.set(plural, (kubeByResource.get(plural) ?? 0) + 1);
};

/** Counts and delays every Kubernetes call, like a remote API server would. */
function delayingKubernetes(
  inner: KubernetesObjectClient,
): KubernetesObjectClient {
  return {
    async connect(cluster) {
      const c = await inner.connect(cluster);
      return {
        list: async (r, o) => {
          countKube(r.plural);
          await sleep(injected.ms);
          return c.list(r, o);
        },
        get: async (r, ns, n) => {
          countKube(r.plural);
          await sleep(injected.ms);
          return c.get(r, ns, n);
        },
      };
    },
  };
}

/**
 * Counts and delays the watch cache's lists, and delays each watch request
 * before it goes out (a remote API server answers a watch's headers one round
 * trip later too). Watches are counted apart: they are long-lived streams, not
 * reads a warm answer makes.
 */
function delayingWatchTransport(inner: WatchTransport): WatchTransport {
  return {
    list: async (r, o) => {
      countKube(r.plural);
      recording.calls?.lists.push({ resource: r, options: o });
      await sleep(injected.ms);
      return inner.list(r, o);
    },
    watch: async () => {
      const watch = await inner.watch();
      const delayed: typeof watch = Object.create(watch);
      delayed.watch = async (...args: Parameters<typeof watch.watch>) => {
        counters.watches++;
        await sleep(injected.ms);
        return watch.watch(...args);
      };
      return delayed;
    },
  };
}

const quietLogger: any = {
  info() {},
  warn: (m: string) => process.stderr.write(`warn: ${m}\n`),
  error: (m: string) => process.stderr.write(`error: ${m}\n`),
  debug() {},
  child: () => quietLogger,
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const r = await fn();
  return [performance.now() - t0, r];
}

async function main() {
  let stopPeers: (() => Promise<void>) | undefined;
  let peers: PeersInfo;
  if (process.env.PEERS_FILE) {
    const { loadPeers } = await import('../peers');
    peers = loadPeers();
  } else {
    const { startPeers } = await import('../peers/harness');
    const running = await startPeers(['aws', 'kube'], [PROFILE]);
    stopPeers = running.stop;
    peers = running.info;
    process.env.PEERS_FILE = running.file;
  }
  try {
    await run(peers);
  } finally {
    await stopPeers?.();
  }
}

async function run(peers: PeersInfo) {
  const aws = peers.aws!;
  const { awsAccountsConfig, kubeConfigFor, uniqueName } = await import(
    '../peers'
  );
  const kc = kubeConfigFor(PROFILE);
  // The status service calls ELBv2 only, which moto serves itself: the Pod
  // Identity emulator in front of moto is a reverse proxy running in this
  // process, and its CPU would be measured as the product's.
  process.env.AWS_ENDPOINT_URL = aws.motoEndpoint;

  // --- play the controller: entity "single" (1 Gateway), entity "multi" (10 Gateways)
  const clusterName = uniqueName('bench');
  const ns = uniqueName('bench');
  const { controller, elbv2 } = await startFakeController(kc, clusterName);
  await kc
    .makeApiClient(k8s.CoreV1Api)
    .createNamespace({ body: { metadata: { name: ns } } });
  await ensureClassicGatewayClass(kc);
  const names = [
    'single',
    ...Array.from({ length: 10 }, (_, i) => `multi-${i}`),
  ];
  for (const [i, name] of names.entries()) {
    await programClassicGateway(kc, controller, {
      namespace: ns,
      name,
      id: name === 'single' ? 'single' : 'multi',
      ips: [`192.0.2.${i + 10}`],
    });
  }
  elbv2.destroy();

  // --- the product, wired as in the backend, with latency injected on every call
  const configData = {
    aws: awsAccountsConfig(aws),
    awsGateway: {
      status: {
        cacheTtlSeconds: CACHE_TTL_SECONDS,
        // Cold reads are measured with refresh=true, many in a row: no refresh limits.
        refresh: { minIntervalSeconds: 0, perUserPerMinute: 0 },
        clusters: [
          ...CLUSTERS.map(name => ({
            name,
            accountId: aws.accountId,
            region: aws.region,
            controllerClusterName: clusterName,
          })),
        ],
      },
    },
  };
  const config = new ConfigReader(configData);
  // The first table is the service as it was before its caches of AWS
  // structure: every uncached read is a full one (its figures stay comparable).
  const fullReadConfig = ConfigReader.fromConfigs([
    { context: 'bench', data: configData },
    {
      context: 'full reads',
      data: { awsGateway: { status: { structureMaxAgeSeconds: 0 } } },
    },
  ]);
  // The peer's API server directly, as the Kubernetes plugin's proxy would
  // forward to it; the scale part adds a second name for it.
  const clustersOf = (clusterNames: readonly string[]) =>
    new InMemoryKubernetesClusters(
      clusterNames.map(name => ({ name, kubeConfig: kc })),
    );
  const registry = clustersOf(CLUSTERS.slice(0, 1));
  const awsFactory = DefaultAwsClientFactory.fromConfig(config, {
    instrument: client =>
      observeAwsCalls(client, 'benchLatency', async (name, input) => {
        counters.aws++;
        recording.calls?.aws.push({ operation: name, input });
        awsByCommand.set(name, (awsByCommand.get(name) ?? 0) + 1);
        await awsTrips.call(injected.ms);
      }),
  });
  const entities: Record<string, Entity> = {
    single: entity('single', {
      'aws-gateway.io/gateways': `bench/${ns}/single`,
    }),
    multi: entity('multi', {
      'backstage.io/kubernetes-id': 'multi',
      'backstage.io/kubernetes-namespace': ns,
    }),
  };
  const newService = (
    live?: Pick<CreateGatewayStatusServiceOptions, 'lifecycle' | 'signals'>,
    clusters = registry,
  ) =>
    createGatewayStatusService({
      ...live,
      config: live ? config : fullReadConfig,
      logger: quietLogger,
      catalog: {
        getEntityByRef: async (ref: any) => entities[String(ref).split('/')[1]],
      },
      permissions: {
        authorize: async reqs => reqs.map(() => ({ result: 'ALLOW' as any })),
      },
      cache: CacheManager.fromConfig(config).forPlugin('aws-gateway'),
      clusters,
      kubernetes: delayingKubernetes,
      watchTransport: delayingWatchTransport,
      elbv2: awsFactory,
    });
  const service = newService();
  const credentials: any = {
    $$type: '@backstage/BackstageCredentials',
    principal: { type: 'user', userEntityRef: 'user:default/bench' },
  };
  const get = (
    name: string,
    refresh: boolean,
    svc: GatewayStatusService = service,
  ) =>
    svc.getEntityGateways(
      { entityRef: `component:default/${name}`, refresh },
      { credentials },
    );

  // Warm up connections, credentials and the served-version memory once.
  const check = await get('multi', true);
  if (
    check.gateways.length !== 10 ||
    check.gateways.some(g => g.state !== 'programmed' || g.errors.length)
  ) {
    throw new Error(
      `bench setup is wrong: ${JSON.stringify(
        check.errors,
      )} ${check.gateways.map(g => g.state)}`,
    );
  }
  await get('single', true);

  const rows: string[][] = [];
  for (const [label, name, count] of [
    ['1 gateway', 'single', 1],
    ['10 gateways', 'multi', 10],
  ] as const) {
    const cold: number[] = [];
    let calls = { aws: 0, kube: 0 };
    let commands = '';
    let trips = 0;
    for (let i = 0; i < 5; i++) {
      const before = { ...counters };
      awsByCommand.clear();
      awsTrips.reset();
      const [ms, res] = await timed(() => get(name, true));
      if (res.gateways.length !== count)
        throw new Error(`expected ${count} gateways`);
      cold.push(ms);
      calls = {
        aws: counters.aws - before.aws,
        kube: counters.kube - before.kube,
      };
      commands = [...awsByCommand.entries()]
        .map(([k, v]) => `${k}×${v}`)
        .join(' ');
      trips = awsTrips.longest;
    }
    const warm: number[] = [];
    for (let i = 0; i < 50; i++) {
      const before = { ...counters };
      const [ms] = await timed(() => get(name, false));
      if (counters.aws !== before.aws || counters.kube !== before.kube)
        throw new Error('warm request made calls');
      warm.push(ms);
    }
    rows.push([
      label,
      median(cold).toFixed(1),
      median(warm).toFixed(2),
      String(calls.aws),
      String(trips),
      String(calls.kube),
      commands,
    ]);
  }

  // 100 concurrent viewers of one entity, nothing cached yet.
  const fresh = newService();
  const before = { ...counters };
  const [ms100, answers] = await timed(() =>
    Promise.all(Array.from({ length: 100 }, () => get('multi', false, fresh))),
  );
  const concurrent = {
    aws: counters.aws - before.aws,
    kube: counters.kube - before.kube,
  };
  const distinct = new Set(answers.map(a => a.fetchedAt)).size;

  // Issue 14's goals: the service with its watch cache and signals.
  const liveBench = {
    latencyMs: LATENCY_MS,
    withoutLatency: async <T>(fn: () => Promise<T>): Promise<T> => {
      injected.ms = 0;
      try {
        return await fn();
      } finally {
        injected.ms = LATENCY_MS;
      }
    },
    kc,
    namespace: ns,
    counters,
    kubeByResource,
    recording,
    peerFloor: peerFloorReplayer({
      kc,
      aws: {
        endpoint: aws.motoEndpoint,
        region: aws.region,
        credentials: {
          accessKeyId: aws.accessKeyId,
          secretAccessKey: aws.secretAccessKey,
        },
      },
    }),
    newLiveService: newService,
    get,
  };
  const goals = await measureLiveStatusGoals(liveBench).finally(() =>
    liveBench.peerFloor.close(),
  );
  const scale = await measureScale({
    ...liveBench,
    clusters: CLUSTERS,
    newLiveService: live => newService(live, clustersOf(CLUSTERS)),
    entities,
    cacheTtlSeconds: CACHE_TTL_SECONDS,
    entity,
  });

  const mem = process.memoryUsage();
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  console.log(
    `\nGateway status benchmark — injected latency ${LATENCY_MS} ms per AWS and Kubernetes call (peers: moto + kube-apiserver ${PROFILE})`,
  );
  console.log(
    `Goal: cold ≈ Kubernetes reads + one AWS round trip; warm < 10 ms; 100 viewers → one set of calls\n`,
  );
  const header = [
    'entity',
    'cold p50 ms',
    'warm p50 ms',
    'AWS calls/req',
    'AWS round trips',
    'kube calls/req',
    'AWS calls (cold)',
  ];
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map(r => r[i].length)),
  );
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ');
  console.log(line(header));
  rows.forEach(r => console.log(line(r)));
  console.log(
    `\n100 concurrent viewers of the 10-gateway entity (cold cache): ${ms100.toFixed(
      1,
    )} ms total, ` +
      `${concurrent.aws} AWS calls + ${concurrent.kube} Kubernetes calls, ${distinct} distinct answer(s)`,
  );
  console.log(
    `Process memory: RSS ${mb(mem.rss)}, heap used ${mb(
      mem.heapUsed,
    )} / total ${mb(mem.heapTotal)}`,
  );
  printGoals(
    `Live status goals (issue 14) — ${LATENCY_MS} ms per AWS and Kubernetes call`,
    goals,
  );
  printGoals(
    `Scale (issue 14: 500 gateways over 2 clusters, 1,000 entities, 200 viewers over 50; here ${
      SCALE.gateways
    } on one API server behind 2 cluster names (each watches all of them), ${
      SCALE.catalogEntities
    } entities, ${SCALE.viewers} viewers over ${SCALE.viewedEntities} for ${
      SCALE.durationMs / 1000
    } s)`,
    scale,
  );
}

function entity(name: string, annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: {},
  };
}

main().then(
  () => process.exit(0),
  e => {
    process.stderr.write(`${e?.stack ?? e}\n`);
    process.exit(1);
  },
);

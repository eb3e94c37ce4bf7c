/**
 * Issue 14's live-status goals, measured on the status benchmark's setup (the
 * same peers, entities and injected latency): the service built with a
 * lifecycle, so clusters are read through the watch cache and changes become
 * signals. Prints each goal with "met"/"not met" and the measured figure; a
 * missed goal never fails the run.
 */
import * as k8s from '@kubernetes/client-node';
import { mkdir, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import { gatewayStatusSignalChannel } from '@gateway-portal/plugin-aws-gateway-common';
import type {
  GatewayStatusService,
  SignalPublisher,
} from '@gateway-portal/plugin-aws-gateway-backend/testUtils';
import type { PeerFloor, RecordedCalls, peerFloorReplayer } from './peerFloor';

/** What the status benchmark hands over. */
export interface LiveStatusBench {
  latencyMs: number;
  /** Runs `fn` with no latency injected: the floor the peers and this process cost. */
  withoutLatency<T>(fn: () => Promise<T>): Promise<T>;
  kc: k8s.KubeConfig;
  namespace: string;
  /** Calls made so far (the benchmark's counters; watches: watch requests opened). */
  counters: { aws: number; kube: number; watches: number };
  /** Kubernetes calls so far by resource plural. */
  kubeByResource: ReadonlyMap<string, number>;
  /** While `calls` is set, the lists and AWS calls made are recorded into it. */
  recording: { calls?: RecordedCalls };
  /** Replays recorded calls with a bare client: the peers' own floor. */
  peerFloor: ReturnType<typeof peerFloorReplayer>;
  /** A new status service with a watch cache, its signals going to `signals`. */
  newLiveService(options: {
    lifecycle: { addShutdownHook(hook: () => void | Promise<void>): void };
    signals: SignalPublisher;
  }): GatewayStatusService;
  /** Reads an entity's gateways (`component:default/<name>`). */
  get(
    name: string,
    refresh: boolean,
    service: GatewayStatusService,
  ): ReturnType<GatewayStatusService['getEntityGateways']>;
}

export interface GoalRow {
  goal: string;
  measured: string;
  /** Undefined for a figure the issue asks for without a limit. */
  met: boolean | undefined;
}

const WARM_READS = 20;
const COLD_READS = 5;

/**
 * With BENCH_CPU_PROFILE=<dir>, the warm reads are CPU-profiled into
 * `<dir>/warm-<entity>.cpuprofile` (open in Chrome DevTools).
 */
async function startCpuProfile(): Promise<{
  stop(name: string): Promise<void>;
}> {
  const dir = process.env.BENCH_CPU_PROFILE;
  if (!dir) return { stop: async () => {} };
  const session = new Session();
  session.connect();
  const post = (method: string) =>
    new Promise<any>((resolve, reject) =>
      session.post(method, (err, res) => (err ? reject(err) : resolve(res))),
    );
  await post('Profiler.enable');
  await post('Profiler.start');
  return {
    stop: async name => {
      const { profile } = await post('Profiler.stop');
      session.disconnect();
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
    },
  };
}
const SIGNAL_GOAL_MS = 2_000;
const SIGNAL_TIMEOUT_MS = 15_000;
const WARM_TIMEOUT_MS = 15_000;

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** A started live service, its published signals and a way to stop it. */
export function startLive(bench: LiveStatusBench) {
  const hooks: Array<() => void | Promise<void>> = [];
  const published: Array<{ channel: string; at: number }> = [];
  const service = bench.newLiveService({
    lifecycle: { addShutdownHook: hook => void hooks.push(hook) },
    signals: {
      publish: async signal => {
        published.push({ channel: signal.channel, at: performance.now() });
      },
    },
  });
  const stop = async () => {
    for (const hook of hooks) await hook();
  };
  return { service, published, stop };
}

/** Calls made by `fn`, and how long it took. */
async function measured(
  bench: LiveStatusBench,
  fn: () => Promise<unknown>,
): Promise<Measured> {
  const before = { ...bench.counters };
  const byResource = new Map(bench.kubeByResource);
  const calls: RecordedCalls = { lists: [], aws: [] };
  bench.recording.calls = calls;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  try {
    await fn();
  } finally {
    bench.recording.calls = undefined;
  }
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const kubeBy = new Map<string, number>();
  for (const [plural, n] of bench.kubeByResource) {
    const made = n - (byResource.get(plural) ?? 0);
    if (made) kubeBy.set(plural, made);
  }
  return {
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    aws: bench.counters.aws - before.aws,
    kube: bench.counters.kube - before.kube,
    watches: bench.counters.watches - before.watches,
    kubeBy,
    calls,
  };
}

interface Measured {
  ms: number;
  /** CPU this process spent meanwhile (the rest of `ms` is waiting: injected latency and the peers' own time). */
  cpuMs: number;
  aws: number;
  kube: number;
  /** Watch requests opened meanwhile (delayed like every call; the first answer waits for their verdicts). */
  watches: number;
  kubeBy: Map<string, number>;
  /** The lists and AWS calls made (the peers' floor replays them). */
  calls: RecordedCalls;
}

/** The Kubernetes reads the watch cache does not serve by design: none (the card's Events are watched too). */
const READ_DIRECTLY = new Set<string>();

const describeKube = (m: Measured) =>
  m.kube
    ? `${m.kube} Kubernetes (${[...m.kubeBy]
        .map(([k, v]) => `${k}×${v}`)
        .join(' ')})`
    : '0 Kubernetes';

const ENTITIES = [
  ['1 gateway', 'single'],
  ['10 gateways', 'multi'],
] as const;

/**
 * What a latency figure is made of: the same work with no latency injected
 * (this process's CPU and the peers' own time: moto answers one call after
 * another) and what the injected latency added, in round trips.
 */
function breakdown(ms: number, floor: Measured, latencyMs: number): string {
  const added = ms - floor.ms;
  return `= ${floor.ms.toFixed(
    1,
  )} ms with no latency injected (this process's CPU ${floor.cpuMs.toFixed(
    1,
  )} ms, the rest the peers) + ${added.toFixed(1)} ms injected (${(
    added / latencyMs
  ).toFixed(1)} round trips of ${latencyMs} ms)`;
}

/**
 * The peers' own floor for a read's calls next to what the goal allows
 * beyond its round trips: the part of the floor no client avoids here.
 */
function peersShare(
  bare: PeerFloor,
  calls: RecordedCalls,
  allowanceMs: number,
  connections: string,
): string {
  return `; the same ${calls.lists.length} lists then ${
    calls.aws.length
  } AWS calls replayed by a bare client (${connections}, nothing of ours, no latency): ${bare.ms.toFixed(
    1,
  )} ms (its CPU ${bare.cpuMs.toFixed(1)} ms) against the ${allowanceMs.toFixed(
    0,
  )} ms the goal leaves beyond its round trips`;
}

/** Cold process: a new service's first answer (nothing cached, no watch yet). */
async function coldProcess(bench: LiveStatusBench): Promise<GoalRow[]> {
  const goal = 1.2 * 2 * bench.latencyMs;
  const rows: GoalRow[] = [];
  const coldRead = async (name: string) => {
    const live = startLive(bench);
    try {
      return await measured(bench, () => bench.get(name, false, live.service));
    } finally {
      await live.stop();
    }
  };
  // Each a median of COLD_READS new services: one cold read is noise.
  const medianOf = async (read: () => Promise<Measured>) => {
    const runs: Measured[] = [];
    for (let i = 0; i < COLD_READS; i++) runs.push(await read());
    const ms = median(runs.map(r => r.ms));
    return runs.find(r => r.ms === ms)!;
  };
  for (const [label, name] of ENTITIES) {
    const profile = await startCpuProfile();
    const m = await medianOf(() => coldRead(name));
    await profile.stop(`cold-${name}`);
    const floor = await bench.withoutLatency(() =>
      medianOf(() => coldRead(name)),
    );
    const bare = await bench.peerFloor.measure(floor.calls, {
      fresh: true,
      runs: COLD_READS,
    });
    const bareHttp2 = await bench.peerFloor.measure(floor.calls, {
      fresh: true,
      runs: COLD_READS,
      overHttp2: true,
    });
    rows.push({
      goal: `cold process, ${label}: ≤ 1 Kubernetes + 1 AWS round trip (≤ ${goal} ms)`,
      measured: `p50 of ${COLD_READS}: ${m.ms.toFixed(1)} ms ${breakdown(
        m.ms,
        floor,
        bench.latencyMs,
      )}; ${describeKube(m)} + ${m.watches} watch requests (delayed too) + ${
        m.aws
      } AWS calls${peersShare(
        bare,
        floor.calls,
        goal - 2 * bench.latencyMs,
        'new connections',
      )}; with the lists as streams of one HTTP/2 connection instead: ${bareHttp2.ms.toFixed(
        1,
      )} ms (its CPU ${bareHttp2.cpuMs.toFixed(
        1,
      )} ms; not open to the product, whose lists go through the Kubernetes plugin's HTTP/1.1 proxy)`,
      met: m.ms <= goal,
    });
  }
  return rows;
}

/**
 * Repeats `read` until the watch cache answers it (no Kubernetes call but
 * those it leaves to the API server by design); false after WARM_TIMEOUT_MS.
 */
export async function watchAnswers(
  bench: LiveStatusBench,
  read: () => Promise<unknown>,
): Promise<boolean> {
  const until = performance.now() + WARM_TIMEOUT_MS;
  for (;;) {
    const m = await measured(bench, read);
    if ([...m.kubeBy.keys()].every(k => READ_DIRECTLY.has(k))) return true;
    if (performance.now() > until) return false;
    await sleep(100);
  }
}

/**
 * Waits until the watch cache answers, then measures
 * uncached status reads (`refresh`: the status cache is bypassed, so each
 * pays its AWS lookups).
 */
async function warmWatch(
  bench: LiveStatusBench,
  service: GatewayStatusService,
): Promise<GoalRow[]> {
  const goal = 1.2 * bench.latencyMs;
  const rows: GoalRow[] = [];
  for (const [label, name] of ENTITIES) {
    const goalText = `warm watch cache, ${label}: 1 AWS round trip, no Kubernetes (≤ ${goal} ms)`;
    if (!(await watchAnswers(bench, () => bench.get(name, true, service)))) {
      rows.push({
        goal: goalText,
        measured: `the watch cache did not answer within ${WARM_TIMEOUT_MS} ms`,
        met: false,
      });
      continue;
    }
    const reads = async () => {
      const runs = [];
      for (let i = 0; i < WARM_READS; i++) {
        runs.push(await measured(bench, () => bench.get(name, true, service)));
      }
      return runs;
    };
    const profile = await startCpuProfile();
    const runs = await reads();
    await profile.stop(`warm-${name}`);
    const floors = await bench.withoutLatency(reads);
    const p50 = median(runs.map(r => r.ms));
    const floor = floors.find(f => f.ms === median(floors.map(r => r.ms)))!;
    const last = runs[runs.length - 1];
    const bare = await bench.peerFloor.measure(floor.calls, {
      fresh: false,
      runs: WARM_READS,
    });
    rows.push({
      goal: goalText,
      measured: `p50 ${p50.toFixed(1)} ms ${breakdown(
        p50,
        floor,
        bench.latencyMs,
      )}; a read: ${describeKube(last)} + ${last.aws} AWS calls${peersShare(
        bare,
        floor.calls,
        goal - bench.latencyMs,
        'kept-alive connections',
      )}`,
      met: p50 <= goal && runs.every(r => r.kube === 0),
    });
  }
  return rows;
}

/** Replaces the Programmed condition of one Gateway's status (as the controller writes it). */
async function writeProgrammed(
  bench: LiveStatusBench,
  name: string,
  status: 'True' | 'False',
): Promise<void> {
  const custom = bench.kc.makeApiClient(k8s.CustomObjectsApi);
  const ref = {
    group: 'gateway.networking.k8s.io',
    version: 'v1',
    namespace: bench.namespace,
    plural: 'gateways',
    name,
  };
  const gateway = (await custom.getNamespacedCustomObject(ref)) as {
    status?: { conditions?: Array<Record<string, unknown>> };
  };
  const conditions = (gateway.status?.conditions ?? []).filter(
    c => c.type !== 'Programmed',
  );
  conditions.push({
    type: 'Programmed',
    status,
    reason: status === 'True' ? 'Programmed' : 'Pending',
    message: 'written by the benchmark',
    lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    observedGeneration: 1,
  });
  await custom.replaceNamespacedCustomObjectStatus({
    ...ref,
    body: { ...gateway, status: { ...gateway.status, conditions } },
  });
}

/** Programmed=True written → the entity's status-changed signal published. */
async function signalLatency(
  bench: LiveStatusBench,
  live: ReturnType<typeof startLive>,
): Promise<GoalRow> {
  const channel = gatewayStatusSignalChannel('component:default/single');
  await writeProgrammed(bench, 'single', 'False');
  // The card reads again after the signal; that read is what the next one tracks.
  const waitSignal = async (since: number) => {
    const until = since + SIGNAL_TIMEOUT_MS;
    for (;;) {
      const hit = live.published.find(
        p => p.channel === channel && p.at >= since,
      );
      if (hit) return hit.at;
      if (performance.now() > until) return undefined;
      await sleep(10);
    }
  };
  await waitSignal(performance.now() - 1);
  const state = (await bench.get('single', false, live.service)).gateways[0];
  if (state?.programmed?.status !== 'False') {
    throw new Error(
      `expected Programmed=False, read ${state?.programmed?.status}`,
    );
  }
  const t0 = performance.now();
  await writeProgrammed(bench, 'single', 'True');
  const at = await waitSignal(t0);
  const shown = (await bench.get('single', false, live.service)).gateways[0];
  const ms = at === undefined ? undefined : at - t0;
  return {
    goal: `Programmed=True written → status-changed signal (≤ ${SIGNAL_GOAL_MS} ms)`,
    measured:
      ms === undefined
        ? `no signal within ${SIGNAL_TIMEOUT_MS} ms`
        : `${ms.toFixed(0)} ms (the next read shows Programmed=${
            shown?.programmed?.status
          })`,
    met:
      ms !== undefined &&
      ms <= SIGNAL_GOAL_MS &&
      shown?.programmed?.status === 'True',
  };
}

/** Measures the goals on the benchmark's peers. */
export async function measureLiveStatusGoals(
  bench: LiveStatusBench,
): Promise<GoalRow[]> {
  const rows = await coldProcess(bench);
  const live = startLive(bench);
  try {
    rows.push(...(await warmWatch(bench, live.service)));
    rows.push(await signalLatency(bench, live));
  } finally {
    await live.stop();
  }
  return rows;
}

const STATUS_WORDS: Record<string, string> = {
  true: 'met    ',
  false: 'not met',
  undefined: 'figure ',
};

/** Prints the goals; never throws for a missed one. */
export function printGoals(title: string, rows: GoalRow[]): void {
  console.log(`\n${title}`);
  const w0 = Math.max(...rows.map(r => r.goal.length));
  const w1 = Math.max(...rows.map(r => r.measured.length));
  for (const r of rows) {
    console.log(
      `${STATUS_WORDS[String(r.met)]}  ${r.goal.padEnd(
        w0,
      )}  ${r.measured.padEnd(w1)}`,
    );
  }
}

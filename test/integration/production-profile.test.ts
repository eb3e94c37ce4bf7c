/**
 * The production profile, proved: two replicas of the real portal
 * (packages/backend serving the built frontend) share one throw-away
 * PostgreSQL and one throw-away Redis, with the settings of
 * app-config.production.yaml itself, wired to the peers (test/load/productionRig.ts).
 *   (a) a scaffolder task created on replica A is read, and followed to its
 *       end, on replica B;
 *   (b) the gateway status one replica fetched from AWS is served by the
 *       other from Redis: same body, zero AWS calls (counted by a proxy);
 *   (b') live status across replicas: a viewer connected to replica B gets
 *       the signal when replica A's watch sees a change of the Gateway (the
 *       signals backend subscribes through the events service; the events
 *       backend's PostgreSQL bus carries the event to B);
 * and the status API when what it depends on falters:
 *   (c) Redis paused (SIGSTOP): answers stay fast and correct;
 *   (d) the AWS endpoint stalled: answers within the deadline, the last
 *       known status marked stale with its age and reason;
 *   (e) refresh=true from many requests: a bounded number of AWS calls;
 *   (f) PostgreSQL restarted: 503 at once with a generic body, then 200 again.
 */
import * as k8s from '@kubernetes/client-node';
import { gatewayStatusSignalChannel } from '@gateway-portal/plugin-aws-gateway-common';
import {
  CLUSTER,
  exposeTaskOnRig,
  NAMESPACE,
  ProductionRig,
  startProductionRig,
  STATUS_PATH,
} from '../load/productionRig';
import { probeStatus } from '../load/statusProbe';
import { kubeConfigFor, PROFILE_V16 } from '../peers';
import { SignalsSubscriber } from './support/signalsSubscriber';

// Short enough that an entry expires within a test; the rest is the production file's.
const TTL_SECONDS = 5;
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

let rig: ProductionRig | undefined;
let gateway: { name: string; dnsName: string } | undefined;
const started = Date.now();

function deadlineMs(): number {
  return rig!.statusConfig.requestDeadlineMs;
}

/** The gateway this suite programmed, from a status answer. */
function ourGateway(body: any): any {
  return (body.gateways as any[]).find(g => g.gateway.name === gateway!.name);
}

beforeAll(async () => {
  rig = await startProductionRig({
    // Every uncached read is a full one (no load-balancer structure cache:
    // status.test covers it), so the refresh case bounds AWS calls by reads.
    status: { cacheTtlSeconds: TTL_SECONDS, structureMaxAgeSeconds: 0 },
  });
  await rig.replicas[0].client.waitForEntity(
    'component',
    'default',
    'backend',
    120_000,
  );
  gateway = await rig.programBackendGateway();
}, 1_200_000);

afterAll(async () => {
  await rig?.stop();
  console.log(
    [
      `Production profile (${Math.round(
        (Date.now() - started) / 1000,
      )} s in all):`,
      ...(rig?.figures ?? []),
    ].join('\n  '),
  );
}, 120_000);

describe('two backend replicas on PostgreSQL + Redis', () => {
  it('both replicas start with no startup errors', () => {
    expect(rig!.replicas.map(r => r.name)).toEqual(['a', 'b']);
    for (const r of rig!.replicas) expect(r.portal.startupErrors).toEqual([]);
  });

  // First of the status cases: replica B has read no status yet, so it has
  // answered nothing and watches nothing; only A's watch can see the change.
  it("a viewer on replica B gets the signal when replica A's watch sees the change", async () => {
    const [a, b] = rig!.replicas;
    const viewer = new SignalsSubscriber();
    await viewer.connect(
      b.portal.baseUrl,
      gatewayStatusSignalChannel('component:default/backend'),
      b.client.authorization(),
    );
    const objects = kubeConfigFor(PROFILE_V16).makeApiClient(
      k8s.CustomObjectsApi,
    );
    try {
      // A answers for the entity: its watch of the cluster starts, and it
      // remembers that the entity's answer shows our Gateway.
      const answer = await a.client.request('GET', STATUS_PATH);
      expect(answer.status).toBe(200);
      expect(ourGateway(answer.body)).toBeDefined();
      // A change of the Gateway (an annotation) until one reaches B: the
      // first may come while A's watch is still listing, which is no news.
      const until = Date.now() + 90_000;
      let delayMs: number | undefined;
      for (let poke = 1; delayMs === undefined && Date.now() < until; poke++) {
        const before = viewer.received.length;
        const changedAt = Date.now();
        await objects.patchNamespacedCustomObject(
          {
            group: 'gateway.networking.k8s.io',
            version: 'v1',
            namespace: NAMESPACE,
            plural: 'gateways',
            name: gateway!.name,
            body: {
              metadata: {
                annotations: { 'test.gateway-portal.io/poke': String(poke) },
              },
            },
          },
          k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
        );
        const pokeUntil = Date.now() + 5_000;
        while (viewer.received.length === before && Date.now() < pokeUntil)
          await sleep(20);
        const signal = viewer.received[before];
        if (signal) delayMs = signal.at - changedAt;
      }
      expect(delayMs).toBeDefined();
      expect(viewer.received[0].channel).toBe(
        gatewayStatusSignalChannel('component:default/backend'),
      );
      rig!.figures.push(
        `live status across replicas: a change seen by replica A's watch (cluster ${CLUSTER}) reached a viewer on replica B in ${delayMs} ms (goal 2000 ms)`,
      );
    } finally {
      viewer.close();
    }
  }, 180_000);

  it('a scaffolder task created on replica A is read and followed to its end on replica B', async () => {
    const [a, b] = rig!.replicas;
    const template = await a.client.waitForEntity(
      'template',
      'default',
      'expose-tcp-endpoint',
      120_000,
    );
    await b.client.waitForEntity('component', 'default', 'backend', 120_000);
    const { values, repo } = await exposeTaskOnRig(
      template,
      'production-gitops',
    );

    const createdTask = await a.client.createTask(
      'template:default/expose-tcp-endpoint',
      values,
    );
    expect(createdTask.status).toBe(201);
    const id: string = createdTask.body.id;

    const t0 = Date.now();
    const first = await b.client.request(
      'GET',
      `/api/scaffolder/v2/tasks/${id}`,
    );
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      id,
      spec: expect.objectContaining({ templateInfo: expect.anything() }),
    });
    let task = first.body;
    while (!['completed', 'failed', 'cancelled'].includes(task.status)) {
      if (Date.now() - t0 > 240_000)
        throw new Error(`task ${id} still ${task.status} after 240 s`);
      await sleep(500);
      const res = await b.client.request(
        'GET',
        `/api/scaffolder/v2/tasks/${id}`,
      );
      expect(res.status).toBe(200);
      task = res.body;
    }
    const events = await b.client.request(
      'GET',
      `/api/scaffolder/v2/tasks/${id}/events`,
    );
    const log = (events.body as any[])
      .filter(e => e.type === 'log')
      .map(e => e.body.message);
    if (task.status !== 'completed')
      throw new Error(
        `task ${id} ${task.status}:\n${log.slice(-15).join('\n')}`,
      );
    expect((events.body as any[]).some(e => e.type === 'completion')).toBe(
      true,
    );
    // The task really ran: the manifests are committed.
    expect(repo.commitCount()).toBe(2);
    rig!.figures.push(
      `task ${id}: created on A, read on B at once, completed in ${(
        (Date.now() - t0) /
        1000
      ).toFixed(1)} s`,
    );
  }, 300_000);

  it('the gateway status one replica fetched from AWS is served by the other from Redis', async () => {
    const [a, b] = rig!.replicas;
    const { awsCalls, services } = rig!;
    await sleep(TTL_SECONDS * 1000); // nothing cached from an earlier test
    awsCalls.reset();
    const fromA = await probeStatus(a.client);
    const callsA = awsCalls.calls.length;
    expect(fromA.status).toBe(200);
    const gw = ourGateway(fromA.body);
    expect(gw).toMatchObject({
      state: 'programmed',
      dnsName: gateway!.dnsName,
      errors: [],
    });
    expect(gw.listeners[0].targetGroups[0].health).toMatchObject({
      healthy: 2,
      total: 2,
    });
    expect(fromA.body.stale).toBeUndefined();
    expect(callsA).toBeGreaterThan(0);
    expect(awsCalls.mutating()).toEqual([]);
    const operations = [
      ...new Set(awsCalls.calls.map(c => c.operation)),
    ].sort();
    const redisKeys = await services.redis.command('DBSIZE');

    awsCalls.reset();
    // The shared write is not awaited by A's answer: give it a moment.
    await sleep(200);
    const fromB = await probeStatus(b.client);
    expect(fromB.status).toBe(200);
    expect(fromB.body).toEqual(fromA.body);
    expect(awsCalls.calls.length).toBe(0);

    rig!.figures.push(
      `gateway status: replica A ${callsA} AWS calls (${operations.join(
        ', ',
      )}) in ${fromA.ms} ms; ` +
        `replica B 0 AWS calls in ${
          fromB.ms
        } ms, same body (Redis DBSIZE ${redisKeys.replace(/\D/g, '')})`,
    );
  }, 300_000);
});

describe('the status API when Redis, AWS or PostgreSQL falter', () => {
  afterEach(() => {
    rig?.services.redis.resume();
    rig?.aws.resume();
  });

  it('keeps answering fast and correctly on both replicas while Redis is paused', async () => {
    const { replicas, services, statusConfig } = rig!;
    // What a miss costs on this machine now, on each replica (an answer read
    // from AWS and Kubernetes; a replica whose watch cache is still cold reads
    // Kubernetes directly): the slower of the two.
    await sleep(TTL_SECONDS * 1000 + 500);
    const misses = await Promise.all(replicas.map(r => probeStatus(r.client)));
    misses.forEach(m => expect(m.status).toBe(200));
    const miss = misses.reduce((a, b) => (b.ms > a.ms ? b : a));
    // Fast: under 1 s, or, on a machine busy enough that a miss alone takes
    // longer, a miss plus the cache's own deadline -- never a wait on Redis.
    const fastMs = Math.max(1_000, miss.ms + statusConfig.cacheTimeoutMs + 250);
    services.redis.pause();
    const samples = [];
    const until = Date.now() + 2 * TTL_SECONDS * 1000; // long enough for entries to expire
    while (Date.now() < until) {
      samples.push(
        ...(await Promise.all(
          replicas.map(r => probeStatus(r.client, { limitMs: 5_000 })),
        )),
      );
      await sleep(250);
    }
    services.redis.resume();
    for (const s of samples) {
      expect(s.status).toBe(200);
      expect(s.ms).toBeLessThan(fastMs);
      expect(ourGateway(s.body)).toMatchObject({
        state: 'programmed',
        dnsName: gateway!.dnsName,
      });
    }
    const slowest = Math.max(...samples.map(s => s.ms));
    rig!.figures.push(
      `Redis paused ${2 * TTL_SECONDS} s: ${
        samples.length
      } answers, all 200 and correct, slowest ${slowest} ms (a miss took ${
        miss.ms
      } ms)`,
    );
  }, 120_000);

  it('answers within the deadline with the last known status, marked stale, while AWS is stalled', async () => {
    const { replicas, aws } = rig!;
    const known = await Promise.all(replicas.map(r => probeStatus(r.client)));
    known.forEach(k =>
      expect(ourGateway(k.body)).toMatchObject({ state: 'programmed' }),
    );
    await sleep(TTL_SECONDS * 1000 + 500); // expired: the next request must read AWS again
    aws.stall();
    const samples = await Promise.all(
      replicas.flatMap(r => [
        probeStatus(r.client, { limitMs: 20_000 }),
        probeStatus(r.client, { limitMs: 20_000 }),
      ]),
    );
    for (const s of samples) {
      expect(s.hung).toBe(false);
      expect(s.status).toBe(200);
      expect(s.ms).toBeLessThan(deadlineMs() + 1_000);
      expect(s.body.stale).toEqual({
        ageSeconds: expect.any(Number),
        reason: expect.stringMatching(/did not answer within \d+ s/),
      });
      expect(s.body.stale.ageSeconds).toBeGreaterThanOrEqual(TTL_SECONDS);
      expect(ourGateway(s.body)).toMatchObject({
        state: 'programmed',
        dnsName: gateway!.dnsName,
      });
    }
    aws.resume();
    // Once AWS answers again, the background read lands and answers are fresh.
    const t0 = Date.now();
    let fresh = await probeStatus(replicas[0].client);
    while (fresh.body?.stale && Date.now() - t0 < 30_000) {
      await sleep(500);
      fresh = await probeStatus(replicas[0].client);
    }
    expect(fresh.body.stale).toBeUndefined();
    rig!.figures.push(
      `AWS stalled: ${samples.length} answers in ${Math.min(
        ...samples.map(s => s.ms),
      )}–${Math.max(
        ...samples.map(s => s.ms),
      )} ms (deadline ${deadlineMs()} ms), all stale and marked; fresh again ${(
        (Date.now() - t0) /
        1000
      ).toFixed(1)} s after AWS resumed`,
    );
  }, 120_000);

  it('keeps AWS calls bounded when many requests ask for refresh=true', async () => {
    const { replicas, awsCalls } = rig!;
    await sleep(TTL_SECONDS * 1000 + 500);
    awsCalls.reset();
    await probeStatus(replicas[0].client); // one read: what a read costs
    const perRead = awsCalls.calls.length;
    expect(perRead).toBeGreaterThan(0);
    awsCalls.reset();
    const answers = [];
    const t0 = Date.now();
    for (let wave = 0; wave < 5; wave++) {
      answers.push(
        ...(await Promise.all(
          replicas.flatMap(r =>
            Array.from({ length: 4 }, () =>
              probeStatus(r.client, { refresh: true }),
            ),
          ),
        )),
      );
    }
    answers.forEach(a => expect(a.status).toBe(200));
    const declined = answers.filter(a => a.body.refreshDeclined);
    // Honoured at most once per entity per interval across replicas (two may
    // race on the mark); each replica also reads again when its answer expires.
    const expiries = Math.floor((Date.now() - t0) / (TTL_SECONDS * 1000));
    expect(awsCalls.calls.length).toBeLessThanOrEqual(
      (2 + 2 * expiries) * perRead,
    );
    expect(declined.length).toBeGreaterThanOrEqual(answers.length - 2);
    rig!.figures.push(
      `refresh=true ×${answers.length}: ${awsCalls.calls.length} AWS calls (one read costs ${perRead}), ${declined.length} declined`,
    );
  }, 120_000);

  it('answers 503 at once with a generic body while PostgreSQL restarts, then 200 again', async () => {
    const { replicas, services } = rig!;
    const [a] = replicas;
    const samples: Array<{ ms: number; status: number; body: any }> = [];
    let restarted = false;
    const restart = services.postgres
      .restart({ downMs: 5_000 })
      .then(downSeconds => {
        restarted = true;
        return downSeconds;
      });
    await sleep(300);
    while (!restarted) {
      samples.push(await probeStatus(a.client, { limitMs: 10_000 }));
      await sleep(200);
    }
    const downSeconds = await restart;
    const during = samples.filter(s => s.status !== 200);
    expect(during.length).toBeGreaterThan(0);
    for (const s of during) {
      expect(s.status).toBe(503);
      expect(s.ms).toBeLessThan(1_000);
      expect(s.body.error).toMatchObject({
        name: 'ServiceUnavailableError',
        message: expect.stringMatching(
          /^The gateway status is unavailable right now/,
        ),
      });
      const text = JSON.stringify(s.body);
      expect(text).not.toContain(String(services.postgres.port));
      expect(text).not.toMatch(/postgres|ECONNREFUSED|127\.0\.0\.1/i);
    }
    const t0 = Date.now();
    let after = await probeStatus(a.client);
    while (after.status !== 200 && Date.now() - t0 < 60_000) {
      await sleep(500);
      after = await probeStatus(a.client);
    }
    expect(after.status).toBe(200);
    rig!.figures.push(
      `PostgreSQL down ${downSeconds.toFixed(1)} s: ${
        during.length
      } answers 503 in ≤ ${Math.max(
        ...during.map(s => s.ms),
      )} ms with a generic body; 200 again ${((Date.now() - t0) / 1000).toFixed(
        1,
      )} s after it was back`,
    );
  }, 180_000);
});

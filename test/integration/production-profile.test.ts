/**
 * The production profile, proved: two replicas of the real portal
 * (packages/backend serving the built frontend) share one throw-away
 * PostgreSQL and one throw-away Redis, with the database and cache settings of
 * app-config.production.yaml itself (its ${POSTGRES_*}, ${REDIS_URL} and
 * ${BACKEND_SECRET} filled in through the environment), wired to the peers.
 *   (a) a scaffolder task created on replica A is read, and followed to its
 *       end, on replica B;
 *   (b) the gateway status one replica fetched from AWS is served by the
 *       other from Redis: same body, zero AWS calls (counted by a proxy).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import YAML from 'yaml';
import { ensureAppBuilt, REPO_ROOT, RunningPortal, startPortal } from '../e2e/portal';
import { CLUSTER_FOR_PROFILE, portalEnvForPeers, portalOverlayForPeers } from '../e2e/portalConfig';
import { ensureClassicGatewayClass, programClassicGateway, startFakeController } from '../fixtures/classicGateway';
import {
  createBareRepo,
  kubeConfigFor,
  loadPeers,
  PROFILE_V16,
  resetAws,
  uniqueName,
} from '../peers';
import { ProductionServices, startProductionServices } from '../peers/production-services';
import { CountingProxy, startCountingProxy } from './support/countingProxy';
import { PortalClient } from './support/scaffolderClient';
import { BareRepo, ensureBackendService, formDefaults } from './support/templatesPortal';

const CLUSTER = CLUSTER_FOR_PROFILE[PROFILE_V16];
const NAMESPACE = 'default';
const STATUS_PATH = '/api/aws-gateway/entities/component/default/backend/gateways';

let services: ProductionServices | undefined;
let proxy: CountingProxy | undefined;
let elbv2: ElasticLoadBalancingV2Client | undefined;
const replicas: Array<{ name: string; portal: RunningPortal; client: PortalClient; startSeconds: number }> = [];
const created: k8s.KubernetesObject[] = [];
const figures: string[] = [];
const started = Date.now();

/** backend.database, backend.cache and backend.auth exactly as app-config.production.yaml has them. */
function productionBackendConfig(): Record<string, unknown> {
  const production = YAML.parse(fs.readFileSync(path.join(REPO_ROOT, 'app-config.production.yaml'), 'utf8'));
  const { database, cache, auth } = production.backend;
  expect(database.client).toBe('pg');
  expect(cache.store).toBe('redis');
  return { database, cache, auth };
}

async function stopAll(): Promise<void> {
  for (const r of replicas.splice(0).reverse()) await r.portal.stop();
  elbv2?.destroy();
  elbv2 = undefined;
  await proxy?.close();
  proxy = undefined;
  await services?.stop();
}

beforeAll(async () => {
  const peers = loadPeers();
  if (!peers.aws || !peers.kube?.profiles[PROFILE_V16] || !peers.git) {
    throw new Error(`the production-profile test needs the aws, kube (${PROFILE_V16}) and git peers`);
  }
  ensureAppBuilt();
  services = await startProductionServices();
  const { postgres, redis } = services;
  figures.push(`PostgreSQL ready in ${postgres.startSeconds.toFixed(1)} s (port ${postgres.port}), Redis in ${redis.startSeconds.toFixed(1)} s`);

  await resetAws();
  proxy = await startCountingProxy(peers.aws.endpoint);
  const overlay = {
    ...portalOverlayForPeers(peers, { statusCacheTtlSeconds: 60 }),
    backend: productionBackendConfig(),
  };
  // Same secret, database and cache for every replica; each gets its own URL and port from startPortal.
  const env = {
    ...portalEnvForPeers(peers),
    AWS_ENDPOINT_URL: proxy.endpoint,
    POSTGRES_HOST: postgres.host,
    POSTGRES_PORT: String(postgres.port),
    POSTGRES_USER: postgres.user,
    POSTGRES_PASSWORD: postgres.password,
    REDIS_URL: redis.url,
    BACKEND_SECRET: crypto.randomBytes(24).toString('base64'),
  };
  // One after the other, as a rolling deployment would: the first creates the
  // per-plugin databases and runs the migrations, the second finds them.
  for (const name of ['a', 'b']) {
    const t0 = Date.now();
    const portal = await startPortal({ name: `production-${name}`, overlay, env });
    const startSeconds = (Date.now() - t0) / 1000;
    const client = await PortalClient.signInAsGuest(portal.baseUrl);
    replicas.push({ name, portal, client, startSeconds });
    figures.push(`replica ${name.toUpperCase()} ready in ${startSeconds.toFixed(1)} s (${portal.baseUrl}, log ${portal.logFile})`);
  }
}, 1_200_000);

afterAll(async () => {
  if (created.length) {
    const api = k8s.KubernetesObjectApi.makeApiClient(kubeConfigFor(PROFILE_V16));
    for (const object of created.splice(0).reverse()) await api.delete(object).catch(() => undefined);
  }
  await stopAll();
  console.log([`Production profile (${Math.round((Date.now() - started) / 1000)} s in all):`, ...figures].join('\n  '));
}, 120_000);

describe('two backend replicas on PostgreSQL + Redis', () => {
  it('both replicas start with no startup errors', () => {
    expect(replicas.map(r => r.name)).toEqual(['a', 'b']);
    for (const r of replicas) expect(r.portal.startupErrors).toEqual([]);
  });

  it('a scaffolder task created on replica A is read and followed to its end on replica B', async () => {
    const [a, b] = replicas;
    const template = await a.client.waitForEntity('template', 'default', 'expose-tcp-endpoint', 120_000);
    await b.client.waitForEntity('component', 'default', 'backend', 120_000);
    // The Service the developer picks exists before the template runs (it checks).
    await ensureBackendService(kubeConfigFor(PROFILE_V16), NAMESPACE);
    const repoName = uniqueName('production-gitops');
    const repoUrl = createBareRepo(repoName, { 'README.md': '# GitOps\n' });
    const values = { ...formDefaults(template), cluster: CLUSTER, sourceCidrs: ['203.0.113.0/24'], repoUrl };

    const createdTask = await a.client.createTask('template:default/expose-tcp-endpoint', values);
    expect(createdTask.status).toBe(201);
    const id: string = createdTask.body.id;

    const t0 = Date.now();
    const first = await b.client.request('GET', `/api/scaffolder/v2/tasks/${id}`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ id, spec: expect.objectContaining({ templateInfo: expect.anything() }) });
    let task = first.body;
    while (!['completed', 'failed', 'cancelled'].includes(task.status)) {
      if (Date.now() - t0 > 240_000) throw new Error(`task ${id} still ${task.status} after 240 s`);
      await new Promise(r => setTimeout(r, 500));
      const res = await b.client.request('GET', `/api/scaffolder/v2/tasks/${id}`);
      expect(res.status).toBe(200);
      task = res.body;
    }
    const events = await b.client.request('GET', `/api/scaffolder/v2/tasks/${id}/events`);
    const log = (events.body as any[]).filter(e => e.type === 'log').map(e => e.body.message);
    if (task.status !== 'completed') throw new Error(`task ${id} ${task.status}:\n${log.slice(-15).join('\n')}`);
    expect((events.body as any[]).some(e => e.type === 'completion')).toBe(true);
    // The task really ran: the manifests are committed.
    expect(new BareRepo(repoName).commitCount()).toBe(2);
    figures.push(`task ${id}: created on A, read on B at once, completed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }, 300_000);

  it('the gateway status one replica fetched from AWS is served by the other from Redis', async () => {
    const [a, b] = replicas;
    await a.client.waitForEntity('component', 'default', 'backend', 120_000);
    const kc = kubeConfigFor(PROFILE_V16);
    // As integration/status.test.ts: a Gateway labelled for the `backend` component, its
    // TCPRoute, Service and EndpointSlice; the fake controller programs it in moto.
    const fake = await startFakeController(kc, CLUSTER);
    elbv2 = fake.elbv2;
    await ensureClassicGatewayClass(kc);
    const name = uniqueName('prod');
    const lb = await programClassicGateway(
      kc,
      fake.controller,
      { namespace: NAMESPACE, name, id: 'backend', ips: ['192.0.2.31', '192.0.2.32'] },
      object => created.push(object),
    );

    proxy!.reset();
    const t0 = Date.now();
    const fromA = await a.client.request('GET', STATUS_PATH);
    const msA = Date.now() - t0;
    const callsA = proxy!.calls.length;
    expect(fromA.status).toBe(200);
    const gw = (fromA.body.gateways as any[]).find(g => g.gateway.name === name);
    expect(gw).toMatchObject({ state: 'programmed', dnsName: lb.dnsName.toLowerCase(), errors: [] });
    expect(gw.listeners[0].targetGroups[0].health).toMatchObject({ healthy: 2, total: 2 });
    expect(callsA).toBeGreaterThan(0);
    expect(proxy!.mutating()).toEqual([]);
    const operations = [...new Set(proxy!.calls.map(c => c.operation))].sort();
    const redisKeys = await services!.redis.command('DBSIZE');

    proxy!.reset();
    const t1 = Date.now();
    const fromB = await b.client.request('GET', STATUS_PATH);
    const msB = Date.now() - t1;
    const callsB = proxy!.calls.length;
    expect(fromB.status).toBe(200);
    expect(fromB.body).toEqual(fromA.body);
    expect(callsB).toBe(0);

    figures.push(
      `gateway status: replica A ${callsA} AWS calls (${operations.join(', ')}) in ${msA} ms; ` +
        `replica B ${callsB} AWS calls in ${msB} ms, same body (Redis DBSIZE ${redisKeys.replace(/\D/g, '')})`,
    );
  }, 300_000);
});

/**
 * The production profile on loopback, for the tests and the load-and-fault
 * script alike: two replicas of the real portal on one throw-away PostgreSQL
 * and one Redis, with app-config.production.yaml's own database, cache, auth,
 * logging, scaffolder and status settings (its ${...} filled in through the
 * environment), wired to the peers. The replicas reach AWS through a proxy
 * that can stall, in front of one that counts every call; a Gateway labelled
 * for the sample `backend` component is programmed by the fake controller.
 * Needs the peers (PEERS_FILE) and the built frontend.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import YAML from 'yaml';
import { ensureAppBuilt, RunningPortal, startPortal } from '../e2e/portal';
import {
  CLUSTER_FOR_PROFILE,
  portalEnvForPeers,
  portalOverlayForPeers,
} from '../e2e/portalConfig';
import {
  ensureClassicGatewayClass,
  programClassicGateway,
  startFakeController,
} from '../fixtures/classicGateway';
import {
  CountingProxy,
  startCountingProxy,
} from '../integration/support/countingProxy';
import { PortalClient } from '../integration/support/scaffolderClient';
import {
  BareRepo,
  ensureBackendService,
  formDefaults,
} from '../integration/support/templatesPortal';
import {
  createBareRepo,
  kubeConfigFor,
  loadPeers,
  PROFILE_V16,
  resetAws,
  uniqueName,
} from '../peers';
import { REPO_ROOT } from '../peers/cache';
import {
  ProductionServices,
  startProductionServices,
} from '../peers/production-services';
import { StallableProxy, startStallableProxy } from './stallableProxy';

export const CLUSTER = CLUSTER_FOR_PROFILE[PROFILE_V16];
export const NAMESPACE = 'default';
export const STATUS_PATH =
  '/api/aws-gateway/entities/component/default/backend/gateways';

export interface Replica {
  name: string;
  portal: RunningPortal;
  client: PortalClient;
  startSeconds: number;
}

export interface ProductionRig {
  services: ProductionServices;
  /** Every AWS call the replicas make, by operation. */
  awsCalls: CountingProxy;
  /** The AWS endpoint the replicas see; stall() hangs it. */
  aws: StallableProxy;
  replicas: Replica[];
  /** The production file's `awsGateway.status`, with the rig's overrides. */
  statusConfig: Record<string, any>;
  figures: string[];
  /** Programs a Gateway for the `backend` component; returns its name and DNS name. */
  programBackendGateway(): Promise<{ name: string; dnsName: string }>;
  stop(): Promise<void>;
}

/** The parts of app-config.production.yaml the rig applies, as the file has them. */
function productionConfig(): {
  backend: Record<string, unknown>;
  scaffolder: unknown;
  status: Record<string, any>;
} {
  const production = YAML.parse(
    fs.readFileSync(path.join(REPO_ROOT, 'app-config.production.yaml'), 'utf8'),
  );
  const { database, cache, auth, logger } = production.backend;
  if (database.client !== 'pg' || cache.store !== 'redis') {
    throw new Error(
      'app-config.production.yaml no longer uses PostgreSQL and Redis',
    );
  }
  return {
    backend: { database, cache, auth, logger },
    scaffolder: production.scaffolder,
    status: production.awsGateway?.status ?? {},
  };
}

export async function startProductionRig(
  options: { status?: Record<string, unknown>; replicas?: number } = {},
): Promise<ProductionRig> {
  const peers = loadPeers();
  if (!peers.aws || !peers.kube?.profiles[PROFILE_V16] || !peers.git) {
    throw new Error(
      `the production profile needs the aws, kube (${PROFILE_V16}) and git peers`,
    );
  }
  ensureAppBuilt();
  const figures: string[] = [];
  const replicas: Replica[] = [];
  const created: k8s.KubernetesObject[] = [];
  const elbv2Clients: ElasticLoadBalancingV2Client[] = [];
  let awsCalls: CountingProxy | undefined;
  let aws: StallableProxy | undefined;
  const services = await startProductionServices();
  const stop = async () => {
    if (created.length) {
      const api = k8s.KubernetesObjectApi.makeApiClient(
        kubeConfigFor(PROFILE_V16),
      );
      for (const object of created.splice(0).reverse())
        await api.delete(object).catch(() => undefined);
    }
    for (const r of replicas.splice(0).reverse()) await r.portal.stop();
    for (const client of elbv2Clients.splice(0)) client.destroy();
    aws?.resume();
    await aws?.close();
    await awsCalls?.close();
    services.redis.resume();
    await services.stop();
  };
  try {
    const { postgres, redis } = services;
    figures.push(
      `PostgreSQL ready in ${postgres.startSeconds.toFixed(1)} s (port ${
        postgres.port
      }), Redis in ${redis.startSeconds.toFixed(1)} s`,
    );
    await resetAws();
    awsCalls = await startCountingProxy(peers.aws.endpoint);
    aws = await startStallableProxy(awsCalls.endpoint);
    const production = productionConfig();
    const peersOverlay = portalOverlayForPeers(peers) as Record<string, any>;
    // The peers overlay's cache TTL is a test's; the production file's (its default) applies here.
    const { cacheTtlSeconds: _testTtl, ...peersStatus } =
      peersOverlay.awsGateway.status;
    const statusConfig = {
      ...peersStatus,
      ...production.status,
      ...options.status,
    };
    const overlay = {
      ...peersOverlay,
      awsGateway: { ...peersOverlay.awsGateway, status: statusConfig },
      scaffolder: production.scaffolder,
      backend: production.backend,
    };
    // Same secret, database and cache for every replica; each gets its own URL and port from startPortal.
    const env = {
      ...portalEnvForPeers(peers),
      AWS_ENDPOINT_URL: aws.endpoint,
      POSTGRES_HOST: postgres.host,
      POSTGRES_PORT: String(postgres.port),
      POSTGRES_USER: postgres.user,
      POSTGRES_PASSWORD: postgres.password,
      REDIS_URL: redis.url,
      BACKEND_SECRET: crypto.randomBytes(24).toString('base64'),
    };
    // One after the other, as a rolling deployment would: the first creates the
    // per-plugin databases and runs the migrations, the second finds them.
    for (const name of ['a', 'b', 'c'].slice(0, options.replicas ?? 2)) {
      const t0 = Date.now();
      const portal = await startPortal({
        name: `production-${name}`,
        overlay,
        env,
      });
      const startSeconds = (Date.now() - t0) / 1000;
      const client = await PortalClient.signInAsGuest(portal.baseUrl);
      replicas.push({ name, portal, client, startSeconds });
      figures.push(
        `replica ${name.toUpperCase()} ready in ${startSeconds.toFixed(1)} s (${
          portal.baseUrl
        }, log ${portal.logFile})`,
      );
    }
    const programBackendGateway = async () => {
      const kc = kubeConfigFor(PROFILE_V16);
      const fake = await startFakeController(kc, CLUSTER);
      elbv2Clients.push(fake.elbv2);
      await ensureClassicGatewayClass(kc);
      const name = uniqueName('prod');
      const lb = await programClassicGateway(
        kc,
        fake.controller,
        {
          namespace: NAMESPACE,
          name,
          id: 'backend',
          ips: ['192.0.2.31', '192.0.2.32'],
        },
        object => created.push(object),
      );
      return { name, dnsName: lb.dnsName.toLowerCase() };
    };
    return {
      services,
      awsCalls,
      aws,
      replicas,
      statusConfig,
      figures,
      programBackendGateway,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

/**
 * A real expose-tcp-endpoint task's values on the rig: the form's defaults of
 * `template`, internet-facing from a documentation range, committed to a fresh
 * GitOps repository named after `repoPrefix`. The Service the developer picks
 * is created first (the template checks it exists).
 */
export async function exposeTaskOnRig(
  template: unknown,
  repoPrefix: string,
): Promise<{ values: Record<string, unknown>; repo: BareRepo }> {
  await ensureBackendService(kubeConfigFor(PROFILE_V16), NAMESPACE);
  const repoName = uniqueName(repoPrefix);
  const repoUrl = createBareRepo(repoName, { 'README.md': '# GitOps\n' });
  const values = {
    ...formDefaults(template),
    cluster: CLUSTER,
    scheme: 'internet-facing',
    sourceCidrs: ['203.0.113.0/24'],
    repoUrl,
  };
  return { values, repo: new BareRepo(repoName) };
}

/**
 * Integration (issue 14, the cold process's floor): a new status service's
 * first read of a cluster served over https (the kube-apiserver peer, its CA
 * verified) opens its connections with one full TLS handshake; the burst's
 * other connections (the watch cache's first lists, all at once) resume that
 * session. A CA that did not sign the API server is refused on every
 * connection: resumption never stands in for verification.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import * as k8s from '@kubernetes/client-node';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  ensureClassicGatewayClass,
  programClassicGateway,
  startFakeController,
} from '../fixtures/classicGateway';
import { kubeConfigFor, PROFILE_V16, uniqueName } from '../peers';
import { statusServiceFor } from './support/statusService';

const ENTITY = 'component:default/orders';

/** The TLS connections opened to `port` while `fn` runs, and whether each resumed a session. */
async function handshakesTo<T>(
  port: number,
  fn: () => Promise<T>,
): Promise<{ result: T; handshakes: boolean[]; failed: number }> {
  const handshakes: boolean[] = [];
  let failed = 0;
  const connect = tls.connect;
  const spy = jest
    .spyOn(tls, 'connect')
    .mockImplementation((...args: unknown[]) => {
      const socket = (connect as (...a: unknown[]) => tls.TLSSocket)(...args);
      const options = args[0] as tls.ConnectionOptions | undefined;
      if (Number(options?.port) === port) {
        socket.once('secureConnect', () =>
          handshakes.push(socket.isSessionReused()),
        );
        socket.once('error', () => failed++);
      }
      return socket;
    });
  try {
    return { result: await fn(), handshakes, failed };
  } finally {
    spy.mockRestore();
  }
}

/** A live status service (with its watch cache) over `kc`, stopped after `fn`. */
async function withLiveService<T>(
  kc: k8s.KubeConfig,
  controllerClusterName: string,
  fn: (get: ReturnType<typeof statusServiceFor>) => Promise<T>,
): Promise<T> {
  const hooks: Array<() => void | Promise<void>> = [];
  const get = statusServiceFor(kc, controllerClusterName, ENTITY, {
    lifecycle: { addShutdownHook: hook => void hooks.push(hook) },
  });
  try {
    return await fn(get);
  } finally {
    for (const hook of hooks) await hook();
  }
}

describe('cluster connections: one full TLS handshake per cold pool', () => {
  const kc = kubeConfigFor(PROFILE_V16);
  const port = Number(new URL(kc.getCurrentCluster()!.server).port);
  const ns = uniqueName('conns');
  const clusterName = uniqueName('conns');
  let elbv2: ElasticLoadBalancingV2Client;
  let dir: string;
  const annotations = { 'aws-gateway.io/gateways': `test/${ns}/orders` };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cluster-connections-'));
    const started = await startFakeController(kc, clusterName);
    elbv2 = started.elbv2;
    await kc
      .makeApiClient(k8s.CoreV1Api)
      .createNamespace({ body: { metadata: { name: ns } } });
    await ensureClassicGatewayClass(kc);
    await programClassicGateway(kc, started.controller, {
      namespace: ns,
      name: 'orders',
      id: 'orders',
      ips: ['192.0.2.10'],
    });
  });

  afterAll(() => {
    elbv2?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it("a cold read's connections: the first does a full handshake, the others resume its session", async () => {
    // Each new service is a cold process: a pool of its own, one full handshake.
    for (let service = 0; service < 2; service++) {
      const { result, handshakes } = await handshakesTo(port, () =>
        withLiveService(kc, clusterName, get => get(annotations)),
      );
      expect(result.errors).toEqual([]);
      expect(result.gateways.map(g => [g.gateway.name, g.state])).toEqual([
        ['orders', 'programmed'],
      ]);
      // The watch cache's first lists, at once: many connections, one full handshake.
      expect(handshakes.length).toBeGreaterThanOrEqual(10);
      expect(handshakes.filter(resumed => !resumed)).toHaveLength(1);
    }
  });

  it('refuses every connection when the CA did not sign the API server; no session is resumed', async () => {
    const caFile = join(dir, 'other-ca.crt');
    execFileSync(
      'openssl',
      [
        ...['req', '-x509', '-newkey', 'ec', '-pkeyopt'],
        ...['ec_paramgen_curve:P-256', '-nodes', '-days', '1'],
        ...['-subj', '/CN=not-the-api-server-ca'],
        ...['-addext', 'subjectAltName=IP:127.0.0.1'],
        ...['-keyout', join(dir, 'other-ca.key'), '-out', caFile],
      ],
      { stdio: 'ignore' },
    );
    const cluster = kc.getCurrentCluster()!;
    const untrusted = new k8s.KubeConfig();
    untrusted.loadFromOptions({
      clusters: [
        {
          name: cluster.name,
          server: cluster.server,
          caData: Buffer.from(readFileSync(caFile)).toString('base64'),
        },
      ],
      users: [kc.getCurrentUser()!],
      contexts: [kc.getCurrentContext()].map(name => ({
        name,
        cluster: cluster.name,
        user: kc.getCurrentUser()!.name,
      })),
      currentContext: kc.getCurrentContext(),
    });
    const { result, handshakes, failed } = await handshakesTo(port, () =>
      withLiveService(untrusted, clusterName, get => get(annotations)),
    );
    expect(result.gateways).toEqual([]);
    expect(result.errors).toEqual([
      expect.objectContaining({
        part: 'kubernetes',
        cluster: 'test',
        message: expect.stringMatching(/could not be reached \(\w*CERT\w*\)/),
      }),
    ]);
    expect(handshakes).toEqual([]);
    expect(failed).toBeGreaterThanOrEqual(1);
  });
});

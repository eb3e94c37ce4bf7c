/**
 * Integration (issue 9, classes 5, 6 and the status parts of 8): the gateway
 * status service, as the backend builds it, attacked by what a user with an
 * ordinary account controls -- catalog entities, their annotations, and
 * Kubernetes objects in their own namespaces -- against the real peers: a
 * kube-apiserver with the real CRDs (Gateway API 1.6 profile), moto behind a
 * counting proxy, and the controller stand-in programming two teams' Gateways.
 * Then the fault drills: a stalled AWS endpoint and a stalled API server
 * (loopback servers that accept and never answer).
 */
import * as k8s from '@kubernetes/client-node';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { CacheManager } from '@backstage/backend-defaults/cache';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { Entity } from '@backstage/catalog-model';
import {
  createGatewayStatusService,
  type KubernetesObjectClient,
} from '@gateway-portal/plugin-aws-gateway-backend/testUtils';
import type { EntityGatewaysResponse } from '@gateway-portal/plugin-aws-gateway-common';
import type { GatewayCluster } from '@gateway-portal/plugin-aws-gateway-node';
import {
  InMemoryKubernetesClusters,
  startStalledServer,
  StalledServer,
} from '@gateway-portal/plugin-aws-gateway-node/testUtils';
import {
  ensureClassicGatewayClass,
  programClassicGateway,
  startFakeController,
} from '../fixtures/classicGateway';
import type { FakeController, ReconcileResult } from '../fixtures/controller';
import {
  awsAccountsConfig,
  awsPeer,
  kubeConfigFor,
  PROFILE_V16,
  uniqueName,
} from '../peers';
import { CountingProxy, startCountingProxy } from './support/countingProxy';

const CLUSTER = 'peers';
const ORDERS = 'component:default/orders';
const LEDGER = 'component:default/ledger';
const GW = {
  group: 'gateway.networking.k8s.io',
  version: 'v1',
  plural: 'gateways',
};
const TGB = {
  group: 'elbv2.k8s.aws',
  version: 'v1beta1',
  plural: 'targetgroupbindings',
};
/** What every deadline in this file is set to. */
const TIMEOUT_SECONDS = 1;

/** Counts the calls the status backend makes to the API server. */
class CountingKubernetes implements KubernetesObjectClient {
  calls = 0;
  constructor(private readonly inner: KubernetesObjectClient) {}
  async connect(cluster: string, options?: { signal?: AbortSignal }) {
    const connection = await this.inner.connect(cluster, options);
    return {
      list: (...args: Parameters<typeof connection.list>) => {
        this.calls++;
        return connection.list(...args);
      },
      get: (...args: Parameters<typeof connection.get>) => {
        this.calls++;
        return connection.get(...args);
      },
    };
  }
}

/** A configured cluster whose API server is at `url` (with a token that must never leak). */
function clusterAt(
  name: string,
  url: string,
): { cluster: GatewayCluster; kc: k8s.KubeConfig } {
  const kc = new k8s.KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name, server: url, skipTLSVerify: true }],
    users: [{ name: 'u', token: 'not-a-real-token' }],
    contexts: [{ name, cluster: name, user: 'u' }],
    currentContext: name,
  });
  return { cluster: { name, authProvider: 'serviceAccount' }, kc };
}

/** Every ARN a request to AWS carried. */
function arnsSent(proxy: CountingProxy): string[] {
  return proxy.calls.flatMap(c =>
    Object.values(c.params).filter(v => v.startsWith('arn:')),
  );
}

/** Every link in a response. */
function linksIn(res: EntityGatewaysResponse): string[] {
  return JSON.stringify(res).match(/https?:\/\/[^"\\]+/g) ?? [];
}

describe('gateway status: attacks and fault drills against the peers', () => {
  const aws = awsPeer();
  const kc = kubeConfigFor(PROFILE_V16);
  const nsA = uniqueName('sec-a');
  const nsB = uniqueName('sec-b');
  const clusterName = uniqueName('sec');
  // Label ids unique to this run: the peers are shared with other test files.
  const idOrders = uniqueName('orders');
  const idLedger = uniqueName('ledger');
  const custom = kc.makeApiClient(k8s.CustomObjectsApi);
  let proxy: CountingProxy;
  let controller: FakeController;
  let elbv2: ElasticLoadBalancingV2Client;
  let orders: ReconcileResult;
  let ledger: ReconcileResult;
  const stalled: StalledServer[] = [];
  const figures: string[] = [];

  const peerCluster: GatewayCluster = {
    name: CLUSTER,
    authProvider: 'serviceAccount',
  };

  /** The status service as the backend builds it, over these clusters. */
  function statusService(
    clusters: Array<{ cluster: GatewayCluster; kc: k8s.KubeConfig }>,
  ) {
    const registry = new InMemoryKubernetesClusters(
      clusters.map(c => ({ ...c.cluster, kubeConfig: c.kc })),
    );
    // Set when the service wraps its client (kubernetesTimeoutSeconds below).
    let kubernetes!: CountingKubernetes;
    const config = new ConfigReader({
      aws: awsAccountsConfig(aws),
      awsGateway: {
        status: {
          cacheTtlSeconds: 0,
          kubernetesTimeoutSeconds: TIMEOUT_SECONDS,
          awsTimeoutSeconds: TIMEOUT_SECONDS,
          requestDeadlineMs: 20_000,
          clusters: clusters.map(c => ({
            name: c.cluster.name,
            accountId: aws.accountId,
            region: aws.region,
            controllerClusterName: clusterName,
          })),
        },
      },
    });
    let entity: Entity | undefined;
    const service = createGatewayStatusService({
      config,
      logger: mockServices.logger.mock(),
      catalog: { getEntityByRef: async () => entity },
      permissions: {
        authorize: async reqs => reqs.map(() => ({ result: 'ALLOW' as any })),
      },
      cache: CacheManager.fromConfig(new ConfigReader({})).forPlugin(
        'aws-gateway',
      ),
      clusters: registry,
      kubernetes: client => (kubernetes = new CountingKubernetes(client)),
    });
    const get = (annotations: Record<string, string>) => {
      entity = {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'orders', namespace: 'default', annotations },
        spec: { owner: 'group:default/team-orders' },
      };
      return service.getEntityGateways(
        { entityRef: ORDERS },
        {
          credentials: {
            $$type: '@backstage/BackstageCredentials',
            principal: { type: 'user', userEntityRef: 'user:default/mallory' },
          } as any,
        },
      );
    };
    return { get, kubernetes };
  }

  let peers: ReturnType<typeof statusService>;

  beforeAll(async () => {
    proxy = await startCountingProxy(aws.endpoint);
    // The product never configures endpoints: the SDK's variable points it at the proxy.
    process.env.AWS_ENDPOINT_URL = proxy.endpoint;
    ({ controller, elbv2 } = await startFakeController(kc, clusterName));
    const core = kc.makeApiClient(k8s.CoreV1Api);
    for (const name of [nsA, nsB])
      await core.createNamespace({ body: { metadata: { name } } });
    await ensureClassicGatewayClass(kc);
    // Team B's Gateway names its own entity; team A's names orders.
    ledger = await programClassicGateway(kc, controller, {
      namespace: nsB,
      name: 'ledger',
      id: idLedger,
      entityRef: LEDGER,
      ips: ['192.0.2.77', '192.0.2.78'],
    });
    orders = await programClassicGateway(kc, controller, {
      namespace: nsA,
      name: 'orders',
      id: idOrders,
      entityRef: ORDERS,
      ips: ['192.0.2.41'],
    });
    peers = statusService([{ cluster: peerCluster, kc }]);
  }, 120_000);

  afterAll(async () => {
    elbv2?.destroy();
    await proxy?.close();
    await Promise.all(stalled.map(s => s.close()));
    // eslint-disable-next-line no-console
    console.log(`security-status figures:\n  ${figures.join('\n  ')}`);
  });

  beforeEach(() => {
    proxy.reset();
    peers.kubernetes.calls = 0;
  });

  /**
   * Runs `read` while team A's Gateway status says `message` in its
   * Programmed condition (as whoever may write the status could), then puts
   * the controller's message back.
   */
  async function withProgrammedMessage<T>(
    message: string,
    read: () => Promise<T>,
  ): Promise<T> {
    const target = { ...GW, namespace: nsA, name: 'orders' };
    const setMessage = async (next: (original: string) => string) => {
      const current: any = await custom.getNamespacedCustomObject(target);
      const programmed = current.status.conditions.find(
        (c: any) => c.type === 'Programmed',
      );
      const original: string = programmed.message;
      programmed.message = next(original);
      await custom.replaceNamespacedCustomObjectStatus({
        ...target,
        body: current,
      });
      return original;
    };
    const original = await setMessage(() => message);
    try {
      return await read();
    } finally {
      await setMessage(() => original);
    }
  }

  /** Nothing of team B's Gateway is in the answer. */
  function expectNothingOfLedger(res: EntityGatewaysResponse) {
    const body = JSON.stringify(res);
    expect(body).not.toContain(ledger.dnsName.toLowerCase());
    expect(body).not.toContain(ledger.dnsName);
    expect(body).not.toContain(ledger.loadBalancerArn);
    for (const arn of ledger.targetGroupArns) expect(body).not.toContain(arn);
    expect(body).not.toContain('192.0.2.77');
  }

  it("shows the entity's own Gateway (control case)", async () => {
    const res = await peers.get({ 'aws-gateway.io/gateways': `${nsA}/orders` });
    expect(res.errors).toEqual([]);
    expect(res.gateways).toHaveLength(1);
    expect(res.gateways[0]).toMatchObject({
      state: 'programmed',
      dnsName: orders.dnsName.toLowerCase(),
    });
    expect(res.gateways[0].listeners[0].targetGroups[0].health).toMatchObject({
      healthy: 1,
      total: 1,
    });
  });

  it("an entity naming another team's Gateway gets no DNS name, ARN or targets, and no AWS call is made", async () => {
    const res = await peers.get({ 'aws-gateway.io/gateways': `${nsB}/ledger` });
    expect(res.gateways).toEqual([]);
    expect(res.errors).toEqual([
      expect.objectContaining({
        part: 'catalog',
        kind: 'permission',
        message: expect.stringContaining(
          `Gateway ${nsB}/ledger in cluster ${CLUSTER} is not linked to this entity`,
        ),
      }),
    ]);
    expectNothingOfLedger(res);
    expect(proxy.calls).toEqual([]);
  });

  it("a borrowed kubernetes-id does not reveal another team's Gateway", async () => {
    const res = await peers.get({
      'backstage.io/kubernetes-id': idLedger,
      'backstage.io/kubernetes-namespace': nsB,
    });
    expect(res.gateways).toEqual([]);
    expect(res.errors).toEqual([
      expect.objectContaining({
        kind: 'permission',
        message: expect.stringMatching(/^1 Gateway labelled .* not linked/),
      }),
    ]);
    expectNothingOfLedger(res);
    expect(JSON.stringify(res)).not.toContain(`${nsB}/ledger`);
    expect(proxy.calls).toEqual([]);
  });

  it('ignores spoofed TargetGroupBindings: copied labels in another namespace, or a target group not on the load balancer', async () => {
    const spoof = (namespace: string, name: string, targetGroupARN: string) =>
      custom.createNamespacedCustomObject({
        ...TGB,
        namespace,
        body: {
          apiVersion: 'elbv2.k8s.aws/v1beta1',
          kind: 'TargetGroupBinding',
          metadata: {
            name,
            namespace,
            labels: {
              'gateway.k8s.aws.nlb/stack-namespace': nsA,
              'gateway.k8s.aws.nlb/stack-name': 'orders',
            },
          },
          spec: {
            targetGroupARN,
            targetType: 'ip',
            serviceRef: { name: 'ledger', port: 8080 },
          },
        },
      });
    const foreignTg = ledger.targetGroupArns[0];
    await spoof(nsB, 'spoof-elsewhere', foreignTg);
    await spoof(nsA, 'spoof-here', foreignTg);
    await spoof(
      nsA,
      'spoof-crafted',
      foreignTg.replace(aws.accountId, '210987654321'),
    );

    const res = await peers.get({ 'aws-gateway.io/gateways': `${nsA}/orders` });
    const gw = res.gateways[0];
    expect(gw.listeners[0].targetGroups.map(t => t.arn)).toEqual(
      orders.targetGroupArns,
    );
    expectNothingOfLedger(res);
    expect(gw.errors).toContainEqual(
      expect.objectContaining({
        message:
          "2 TargetGroupBindings labelled for this Gateway do not bind one of its load balancer's target groups and were ignored",
      }),
    );
    const sent = arnsSent(proxy);
    expect(sent).not.toContain(foreignTg);
    expect(sent.some(a => a.includes('210987654321'))).toBe(false);
    expect(
      proxy.calls.filter(c => c.operation === 'DescribeTargetHealth'),
    ).toHaveLength(1);
  });

  it('answers 1,500 references with a clear bounded error and no call at all', async () => {
    const refs = Array.from({ length: 1500 }, (_, i) => `${nsB}/gw-${i}`).join(
      ',',
    );
    const res = await peers.get({ 'aws-gateway.io/gateways': refs });
    expect(res.gateways).toEqual([]);
    expect(res.errors).toEqual([
      {
        part: 'catalog',
        kind: 'error',
        message:
          'aws-gateway.io/gateways names 1500 Gateways; at most 25 are read for one entity (awsGateway.status.maxGatewaysPerEntity)',
      },
    ]);
    expect(peers.kubernetes.calls).toBe(0);
    expect(proxy.calls).toHaveLength(0);
    figures.push(
      `1,500 references: ${peers.kubernetes.calls} Kubernetes calls, ${proxy.calls.length} AWS calls`,
    );
  });

  describe.each([
    [
      'another account',
      (arn: string) => arn.replace(aws.accountId, '210987654321'),
    ],
    [
      'another region',
      (arn: string) => arn.replace(`:${aws.region}:`, ':eu-central-1:'),
    ],
    [
      'another partition',
      (arn: string) => arn.replace('arn:aws:', 'arn:aws-cn:'),
    ],
    [
      'a host in it',
      (arn: string) => arn.replace(`:${aws.region}:`, ':evil.example.com/#:'),
    ],
  ])('a crafted Programmed ARN (%s)', (_, craft) => {
    it('is never called nor linked', async () => {
      const crafted = craft(orders.loadBalancerArn);
      const res = await withProgrammedMessage(crafted, () =>
        peers.get({ 'aws-gateway.io/gateways': `${nsA}/orders` }),
      );
      expect(arnsSent(proxy)).not.toContain(crafted);
      const links = linksIn(res);
      expect(links.length).toBeGreaterThan(0);
      for (const link of links)
        expect(new URL(link).host).toBe(`${aws.region}.console.aws.amazon.com`);
      expect(res.gateways[0].errors).toContainEqual(
        expect.objectContaining({
          part: 'kubernetes',
          message: expect.stringContaining('it was ignored'),
        }),
      );
      // The load balancer is still found, by the controller's tags.
      expect(res.gateways[0].loadBalancer).toMatchObject({
        arn: orders.loadBalancerArn,
        foundBy: 'tags',
      });
    });
  });

  it("a Gateway status forged to name another team's load balancer shows none of it", async () => {
    const res = await withProgrammedMessage(ledger.loadBalancerArn, () =>
      peers.get({ 'aws-gateway.io/gateways': `${nsA}/orders` }),
    );
    const gw = res.gateways[0];
    expect(gw.loadBalancer).toBeUndefined();
    expect(gw.listeners[0].targetGroups).toEqual([]);
    expect(gw.errors).toContainEqual(
      expect.objectContaining({
        message: expect.stringContaining(
          'is tagged by the controller for another Gateway or cluster',
        ),
      }),
    );
    expect(JSON.stringify(res)).not.toContain(ledger.dnsName.toLowerCase());
    expect(JSON.stringify(res)).not.toContain('192.0.2.77');
    // Only whose it is was asked (DescribeLoadBalancers and DescribeTags by
    // ARN) and, at once with them, its listeners (their answer dropped):
    // nothing that needs it to be this Gateway's, not its target groups.
    expect(
      proxy.calls
        .filter(c => Object.values(c.params).includes(ledger.loadBalancerArn))
        .map(c => c.operation)
        .sort(),
    ).toEqual(['DescribeListeners', 'DescribeLoadBalancers', 'DescribeTags']);
    for (const arn of ledger.targetGroupArns)
      expect(arnsSent(proxy)).not.toContain(arn);
  });

  it('never puts an internal cluster URL into a response', async () => {
    // A cluster whose API server refuses connections: its URL is an internal address.
    const closed = await startStalledServer();
    await closed.close();
    const service = statusService([
      { cluster: peerCluster, kc },
      clusterAt('internal', closed.url),
    ]);
    const res = await service.get({ 'backstage.io/kubernetes-id': idOrders });
    expect(res.gateways.map(g => g.gateway.name)).toEqual(['orders']);
    expect(res.errors).toEqual([
      expect.objectContaining({
        part: 'kubernetes',
        kind: 'unreachable',
        cluster: 'internal',
      }),
    ]);
    const body = JSON.stringify(res);
    const { host, port } = new URL(closed.url);
    expect(body).not.toContain(closed.url);
    expect(body).not.toContain(host);
    expect(body).not.toContain(`:${port}`);
    expect(body).not.toContain(new URL(kc.getCurrentCluster()!.server).host);
    expect(body).not.toContain('not-a-real-token');
  });

  it('drill: a stalled kube-apiserver ends each call at its deadline with a generic error, sockets closed', async () => {
    const server = await startStalledServer();
    stalled.push(server);
    const service = statusService([clusterAt('stalled', server.url)]);
    const started = Date.now();
    const res = await service.get({
      'aws-gateway.io/gateways': `${nsA}/orders`,
    });
    const ms = Date.now() - started;
    expect(res.gateways).toEqual([]);
    expect(res.errors).toEqual([
      expect.objectContaining({
        part: 'kubernetes',
        kind: 'unreachable',
        cluster: 'stalled',
        message: `get gateways.gateway.networking.k8s.io/v1 ${nsA}/orders: no answer within ${
          TIMEOUT_SECONDS * 1000
        } ms`,
      }),
    ]);
    expect(JSON.stringify(res)).not.toContain(server.url);
    expect(ms).toBeLessThan(TIMEOUT_SECONDS * 1000 + 1_500);
    await new Promise(r => setTimeout(r, 200));
    expect(server.open()).toBe(0);
    figures.push(
      `stalled kube-apiserver: answer in ${ms} ms (deadline ${TIMEOUT_SECONDS} s per call), ` +
        `${server.accepted()} connections, ${server.open()} left open`,
    );
  });

  it('drill: a stalled AWS endpoint ends each call at its deadline with a generic error, sockets closed', async () => {
    const server = await startStalledServer();
    stalled.push(server);
    // Clients read the endpoint when they are made: a new service makes new ones.
    process.env.AWS_ENDPOINT_URL = server.url;
    try {
      const service = statusService([{ cluster: peerCluster, kc }]);
      const started = Date.now();
      const res = await service.get({
        'aws-gateway.io/gateways': `${nsA}/orders`,
      });
      const ms = Date.now() - started;
      const gw = res.gateways[0];
      // Kubernetes facts are there; AWS says it did not answer, in our words.
      expect(gw.listeners[0].routes).toHaveLength(1);
      expect(gw.loadBalancer).toBeUndefined();
      expect(gw.errors).toContainEqual({
        part: 'aws',
        kind: 'unreachable',
        message:
          'DescribeLoadBalancers: AWS did not answer before the deadline',
      });
      expect(JSON.stringify(res)).not.toContain(server.url);
      expect(ms).toBeLessThan(TIMEOUT_SECONDS * 1000 + 3_000);
      await new Promise(r => setTimeout(r, 200));
      expect(server.open()).toBe(0);
      figures.push(
        `stalled AWS endpoint: answer in ${ms} ms (deadline ${TIMEOUT_SECONDS} s per call), ` +
          `${server.accepted()} connections, ${server.open()} left open`,
      );
    } finally {
      process.env.AWS_ENDPOINT_URL = proxy.endpoint;
    }
  });
});

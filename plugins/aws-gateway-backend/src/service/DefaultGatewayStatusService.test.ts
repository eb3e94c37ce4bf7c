import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  GatewayCluster,
  KubernetesApiError,
  UserKubernetesCredentials,
} from '@gateway-portal/plugin-aws-gateway-node';
import { FakeElbv2, FakeKubernetes } from '../__testUtils__/fakes';
import { MemoryCache } from '../__testUtils__/memoryCache';
import { exposeScenario, REGION } from '../__testUtils__/scenario';
import { readStatusConfig } from '../config';
import { ConfigReader } from '@backstage/config';
import { KubernetesConnectOptions } from '../kubernetes/KubernetesObjectClient';
import { DefaultGatewayStatusService } from './DefaultGatewayStatusService';
import { GatewayStatusCollector } from './collector/GatewayStatusCollector';

function entity(annotations: Record<string, string>, name = 'orders'): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: {},
  };
}

function setup(
  options: {
    clusters?: string[];
    entities?: Entity[];
    deny?: boolean;
    ttlSeconds?: number;
  } = {},
) {
  const kube = new FakeKubernetes();
  const elbv2 = new FakeElbv2();
  const clusters: GatewayCluster[] = (options.clusters ?? ['dev']).map(
    name => ({ name, authProvider: 'serviceAccount' }),
  );
  clusters.forEach(c => kube.cluster(c.name));
  const entities = options.entities ?? [
    entity({ 'aws-gateway.io/gateways': 'shop/orders' }),
  ];
  const catalog = catalogServiceMock({ entities });
  jest.spyOn(catalog, 'getEntityByRef');
  const permissions = mockServices.permissions({
    result: options.deny ? AuthorizeResult.DENY : AuthorizeResult.ALLOW,
  });
  const authorize = jest.spyOn(permissions, 'authorize');
  const cache = new MemoryCache();
  const config = readStatusConfig(
    new ConfigReader({
      awsGateway: {
        status: { region: REGION, cacheTtlSeconds: options.ttlSeconds ?? 15 },
      },
    }),
  );
  const service = DefaultGatewayStatusService.create({
    catalog,
    permissions,
    cache,
    logger: mockServices.logger.mock(),
    settings: config,
    source: new GatewayStatusCollector({
      clusters: { listClusters: async () => clusters },
      kubernetes: kube,
      elbv2: elbv2.source,
      config,
    }),
  });
  const credentials = mockCredentials.user();
  const get = (ref = 'component:default/orders', refresh = false) =>
    service.getEntityGateways({ entityRef: ref, refresh }, { credentials });
  return { kube, elbv2, service, catalog, authorize, cache, get, credentials };
}

describe('DefaultGatewayStatusService', () => {
  it('finds the NLB by the ARN in the Programmed condition and joins listeners, target groups and pods', async () => {
    const t = setup();
    const s = exposeScenario(t.kube, t.elbv2);
    const res = await t.get();

    expect(res.configured).toBe(true);
    expect(res.errors).toEqual([]);
    expect(res.gateways).toHaveLength(1);
    const gw = res.gateways[0];
    expect(gw.gateway).toEqual({
      cluster: 'dev',
      namespace: 'shop',
      name: 'orders',
    });
    expect(gw.state).toBe('programmed');
    expect(gw.dnsName).toBe(s.dnsName);
    expect(gw.loadBalancer).toMatchObject({
      arn: s.lbArn,
      foundBy: 'status-arn',
      scheme: 'internet-facing',
      region: REGION,
    });
    expect(gw.listeners).toHaveLength(1);
    const listener = gw.listeners[0];
    expect(listener).toMatchObject({
      name: 'tcp-8080',
      port: 8080,
      protocol: 'TCP',
      attachedRoutes: 1,
    });
    expect(listener.loadBalancerListener).toMatchObject({
      port: 8080,
      protocol: 'TCP',
    });
    expect(listener.routes[0]).toMatchObject({
      kind: 'TCPRoute',
      apiVersion: 'gateway.networking.k8s.io/v1',
      accepted: { status: 'True' },
      backends: [
        { kind: 'Service', namespace: 'shop', name: 'orders', port: 8080 },
      ],
    });
    expect(listener.targetGroups).toHaveLength(1);
    const tg = listener.targetGroups[0];
    expect(tg).toMatchObject({
      arn: s.tgArn,
      targetType: 'ip',
      service: { namespace: 'shop', name: 'orders', port: 8080 },
      health: { healthy: 2, unhealthy: 0, total: 2 },
    });
    expect(tg.targets.map(x => [x.id, x.state, x.pod?.name])).toEqual([
      ['10.0.1.10', 'healthy', 'orders-a'],
      ['10.0.2.20', 'healthy', 'orders-b'],
    ]);
    expect(gw.warnings).toEqual([]);
    // The ARN is enough: no inventory scan, only the NLB's own tags (is it this Gateway's?).
    expect(t.elbv2.count('DescribeLoadBalancers')).toBe(1);
    expect(t.elbv2.count('DescribeTags')).toBe(1);
    expect(t.elbv2.count('DescribeListeners')).toBe(1);
    expect(t.elbv2.count('DescribeTargetHealth')).toBe(1);
  });

  it("keeps an answer read with a user's own Kubernetes tokens for that user alone, and gives the tokens to the cluster reads", async () => {
    const t = setup();
    exposeScenario(t.kube, t.elbv2);
    const connect = jest.spyOn(t.kube, 'connect');
    const tokens = () =>
      UserKubernetesCredentials.fromHeaders({
        'backstage-kubernetes-authorization-oidc-okta': 'okta-id-token',
      });
    const read = (
      user: string,
      kubernetesCredentials?: UserKubernetesCredentials,
    ) =>
      t.service.getEntityGateways(
        { entityRef: 'component:default/orders' },
        { credentials: mockCredentials.user(user), kubernetesCredentials },
      );
    const alices = tokens();
    await read('user:default/alice', alices);
    expect(connect).toHaveBeenCalledTimes(1);
    expect(
      (connect.mock.calls[0][1] as KubernetesConnectOptions).userCredentials,
    ).toBe(alices);
    // Alice again with her tokens: her cached answer.
    await read('user:default/alice', tokens());
    expect(connect).toHaveBeenCalledTimes(1);
    // Alice without tokens: not the answer read with them.
    await read('user:default/alice');
    expect(connect).toHaveBeenCalledTimes(2);
    expect(
      (connect.mock.calls[1][1] as KubernetesConnectOptions).userCredentials,
    ).toBeUndefined();
    // Bob with tokens: his own read; Bob without: the shared answer.
    await read('user:default/bob', tokens());
    expect(connect).toHaveBeenCalledTimes(3);
    await read('user:default/bob');
    expect(connect).toHaveBeenCalledTimes(3);
  });

  it("takes a target's zone from its EndpointSlice endpoint when ELBv2 gives none", async () => {
    const t = setup();
    exposeScenario(t.kube, t.elbv2, {
      targets: [
        // ELBv2's answer wins when there is one.
        {
          id: '10.0.1.10',
          state: 'healthy',
          pod: 'orders-a',
          zone: 'us-west-2a',
          availabilityZone: 'all',
        },
        // Real AWS (in some cases) and moto leave it out for ip targets.
        {
          id: '10.0.2.20',
          state: 'healthy',
          pod: 'orders-b',
          zone: 'us-west-2b',
        },
        { id: '10.0.3.30', state: 'healthy', pod: 'orders-c' },
        { id: '10.0.4.40', state: 'healthy' },
      ],
    });
    const res = await t.get();
    const targets = res.gateways[0].listeners[0].targetGroups[0].targets;
    expect(targets.map(x => [x.id, x.availabilityZone])).toEqual([
      ['10.0.1.10', 'all'],
      ['10.0.2.20', 'us-west-2b'],
      ['10.0.3.30', undefined],
      ['10.0.4.40', undefined],
    ]);
    // The zone is a fact about the target, not about the pod.
    expect(targets[1].pod).toEqual({
      namespace: 'shop',
      name: 'orders-b',
      nodeName: 'node-1',
    });
  });

  it("falls back to the controller's tags when the status carries no ARN", async () => {
    const t = setup();
    const s = exposeScenario(t.kube, t.elbv2, { statusArn: false });
    // Another gateway's NLB in the same account must not be picked.
    exposeScenario(t.kube, t.elbv2, { namespace: 'other', name: 'orders' });
    const res = await t.get();
    const gw = res.gateways[0];
    expect(gw.loadBalancer).toMatchObject({ arn: s.lbArn, foundBy: 'tags' });
    expect(t.elbv2.count('DescribeTags')).toBe(1);
    expect(gw.listeners[0].targetGroups[0].health.healthy).toBe(2);
  });

  it('falls back to the DNS name, case-insensitively, when neither ARN nor tags match', async () => {
    const t = setup();
    const s = exposeScenario(t.kube, t.elbv2, {
      statusArn: false,
      lbTags: false,
    });
    const gwObj = t.kube
      .cluster('dev')
      .objects.get('gateway.networking.k8s.io/v1/gateways')![0];
    gwObj.status.addresses[0].value = s.dnsName.toUpperCase();
    const res = await t.get();
    expect(res.gateways[0].loadBalancer).toMatchObject({
      arn: s.lbArn,
      foundBy: 'dns-name',
    });
  });

  it('reports a stale ARN as not found when nothing else matches', async () => {
    const t = setup();
    const s = exposeScenario(t.kube, t.elbv2, {
      lbTags: false,
      dnsName: 'x.elb.amazonaws.com',
    });
    t.elbv2.loadBalancers.splice(0, 1);
    t.kube
      .cluster('dev')
      .objects.get(
        'gateway.networking.k8s.io/v1/gateways',
      )![0].status.addresses = [];
    const res = await t.get();
    const gw = res.gateways[0];
    expect(gw.loadBalancer).toBeUndefined();
    expect(gw.state).toBe('error');
    expect(gw.errors).toContainEqual(
      expect.objectContaining({
        part: 'aws',
        kind: 'not-found',
        message: expect.stringContaining(s.lbArn),
      }),
    );
  });

  it('warns about a Gateway listener without a route', async () => {
    const t = setup();
    exposeScenario(t.kube, t.elbv2, { route: false });
    const res = await t.get();
    const gw = res.gateways[0];
    expect(gw.listeners[0].loadBalancerListener).toBeUndefined();
    expect(gw.listeners[0].targetGroups).toEqual([]);
    expect(gw.warnings).toEqual([
      expect.objectContaining({
        code: 'listener-without-route',
        listener: 'tcp-8080',
        message: expect.stringContaining('no listener on port 8080'),
        fix: expect.stringContaining('TCPRoute'),
      }),
    ]);
  });

  it('counts unhealthy targets and warns with a fix', async () => {
    const t = setup();
    exposeScenario(t.kube, t.elbv2, {
      targets: [
        { id: '10.0.1.10', state: 'healthy', pod: 'orders-a' },
        {
          id: '10.0.2.20',
          state: 'unhealthy',
          reason: 'Target.FailedHealthChecks',
          pod: 'orders-b',
        },
      ],
    });
    const res = await t.get();
    const tg = res.gateways[0].listeners[0].targetGroups[0];
    expect(tg.health).toMatchObject({ healthy: 1, unhealthy: 1, total: 2 });
    expect(tg.targets[1]).toMatchObject({
      state: 'unhealthy',
      reason: 'Target.FailedHealthChecks',
      pod: { name: 'orders-b' },
    });
    expect(res.gateways[0].warnings).toEqual([
      expect.objectContaining({
        code: 'unhealthy-targets',
        message: expect.stringContaining('1 of 2 targets'),
      }),
    ]);
  });

  it('turns AccessDenied into a permission error on the part that failed', async () => {
    const t = setup();
    exposeScenario(t.kube, t.elbv2);
    t.elbv2.failures.set('DescribeTargetHealth', FakeElbv2.accessDenied());
    const res = await t.get();
    const gw = res.gateways[0];
    expect(gw.state).toBe('programmed');
    expect(gw.loadBalancer).toBeDefined();
    const tg = gw.listeners[0].targetGroups[0];
    expect(tg.errors).toEqual([
      expect.objectContaining({
        part: 'aws',
        kind: 'permission',
        message: expect.stringMatching(/^DescribeTargetHealth: AccessDenied/),
      }),
    ]);
    expect(gw.warnings.map(w => w.code)).not.toContain('no-targets');

    const t2 = setup();
    exposeScenario(t2.kube, t2.elbv2);
    t2.elbv2.failures.set('DescribeLoadBalancers', FakeElbv2.accessDenied());
    const res2 = await t2.get();
    expect(res2.gateways[0].errors).toContainEqual(
      expect.objectContaining({ part: 'aws', kind: 'permission' }),
    );
    // Kubernetes facts are still there.
    expect(res2.gateways[0].listeners[0].routes).toHaveLength(1);
  });

  it.each(['DescribeLoadBalancers', 'DescribeTags', 'DescribeTargetHealth'])(
    'names the IAM action to grant when %s is refused',
    async operation => {
      const t = setup();
      exposeScenario(t.kube, t.elbv2);
      t.elbv2.failures.set(operation, FakeElbv2.accessDenied());
      const gw = (await t.get()).gateways[0];
      const messages = [
        ...gw.errors,
        ...gw.listeners.flatMap(l => l.targetGroups.flatMap(g => g.errors)),
      ].map(e => e.message);
      expect(messages).toEqual([
        `${operation}: AccessDenied (the backend's AWS credentials were refused; its IAM policy must allow elasticloadbalancing:${operation})`,
      ]);
    },
  );

  it('answers with the clusters it could read when another one is unreachable', async () => {
    const t = setup({
      clusters: ['dev', 'prod'],
      entities: [entity({ 'backstage.io/kubernetes-id': 'orders' })],
    });
    exposeScenario(t.kube, t.elbv2, {
      cluster: 'dev',
      labels: { 'backstage.io/kubernetes-id': 'orders' },
    });
    const refused = Object.assign(
      new KubernetesApiError(
        'list gateways: connect ECONNREFUSED 10.1.2.3:443',
        undefined,
        'ECONNREFUSED',
      ),
    );
    t.kube.cluster('prod').failure = refused;
    const res = await t.get();
    expect(res.gateways.map(g => g.gateway.cluster)).toEqual(['dev']);
    expect(res.errors).toEqual([
      expect.objectContaining({
        part: 'kubernetes',
        kind: 'unreachable',
        cluster: 'prod',
      }),
    ]);
  });

  it('selects Gateways by the kubernetes-id label in the kubernetes-namespace namespace', async () => {
    const t = setup({
      entities: [
        entity({
          'backstage.io/kubernetes-id': 'orders',
          'backstage.io/kubernetes-namespace': 'shop',
        }),
      ],
    });
    exposeScenario(t.kube, t.elbv2, {
      labels: { 'backstage.io/kubernetes-id': 'orders' },
    });
    exposeScenario(t.kube, t.elbv2, {
      namespace: 'other',
      labels: { 'backstage.io/kubernetes-id': 'orders' },
    });
    exposeScenario(t.kube, t.elbv2, {
      name: 'payments',
      labels: { 'backstage.io/kubernetes-id': 'payments' },
    });
    const res = await t.get();
    expect(
      res.gateways.map(g => `${g.gateway.namespace}/${g.gateway.name}`),
    ).toEqual(['shop/orders']);
  });

  it('reads v1alpha2 routes when the cluster does not serve v1 (Gateway API v1.3)', async () => {
    const t = setup();
    exposeScenario(t.kube, t.elbv2);
    const c = t.kube.cluster('dev');
    const routes = c.objects.get('gateway.networking.k8s.io/v1/tcproutes')!;
    c.objects.delete('gateway.networking.k8s.io/v1/tcproutes');
    c.served.delete('gateway.networking.k8s.io/v1/tcproutes');
    c.add('gateway.networking.k8s.io/v1alpha2/tcproutes', ...routes);
    const res = await t.get();
    expect(res.gateways[0].listeners[0].routes[0].apiVersion).toBe(
      'gateway.networking.k8s.io/v1alpha2',
    );
    expect(c.calls).toContain('gateway.networking.k8s.io/v1/tcproutes');
    // Remembered: the next request asks v1alpha2 directly.
    c.calls = [];
    await t.get('component:default/orders', true);
    expect(c.calls).not.toContain('gateway.networking.k8s.io/v1/tcproutes');
    expect(c.calls).toContain('gateway.networking.k8s.io/v1alpha2/tcproutes');
  });

  it('warns about instance targets on a ClusterIP Service, open source ranges and a stale status', async () => {
    const t = setup();
    exposeScenario(t.kube, t.elbv2, {
      targetType: 'instance',
      sourceRanges: ['0.0.0.0/0'],
    });
    t.kube
      .cluster('dev')
      .objects.get(
        'gateway.networking.k8s.io/v1/gateways',
      )![0].metadata.generation = 3;
    const res = await t.get();
    expect(res.gateways[0].warnings.map(w => w.code).sort()).toEqual([
      'instance-target-clusterip',
      'open-to-world',
      'status-stale',
    ]);
  });

  it('reports a route the controller did not accept', async () => {
    const t = setup();
    exposeScenario(t.kube, t.elbv2);
    const route = t.kube
      .cluster('dev')
      .objects.get('gateway.networking.k8s.io/v1/tcproutes')![0];
    route.status.parents[0].conditions[1] = {
      type: 'ResolvedRefs',
      status: 'False',
      reason: 'BackendNotFound',
      message: 'Service shop/orders not found',
    };
    const res = await t.get();
    expect(res.gateways[0].warnings).toContainEqual(
      expect.objectContaining({
        code: 'route-not-accepted',
        fix: expect.stringContaining('Create the backend Service'),
      }),
    );
  });

  it('shows provisioning while Programmed is Unknown', async () => {
    const t = setup();
    exposeScenario(t.kube, t.elbv2, { statusArn: false });
    const gw = t.kube
      .cluster('dev')
      .objects.get('gateway.networking.k8s.io/v1/gateways')![0];
    gw.status.conditions[1] = {
      type: 'Programmed',
      status: 'Unknown',
      reason: 'Pending',
      message: 'Waiting for load balancer to be active.',
    };
    t.elbv2.loadBalancers[0].state = 'provisioning';
    const res = await t.get();
    expect(res.gateways[0].state).toBe('provisioning');
    expect(res.gateways[0].stateReason).toContain(
      'Waiting for load balancer to be active.',
    );
    expect(res.gateways[0].loadBalancer).toMatchObject({
      foundBy: 'tags',
      state: 'provisioning',
    });
  });

  it('treats a load balancer without target groups yet as empty, not as an error', async () => {
    const t = setup();
    exposeScenario(t.kube, t.elbv2);
    // The controller has not made the target group (nor its binding) yet.
    t.elbv2.targetGroups.length = 0;
    t.kube
      .cluster('dev')
      .objects.set('elbv2.k8s.aws/v1beta1/targetgroupbindings', []);
    const res = await t.get();
    expect(res.gateways[0].errors).toEqual([]);
  });

  it("reports the LoadBalancerConfiguration's scheme before the NLB exists", async () => {
    const t = setup();
    exposeScenario(t.kube, t.elbv2, { statusArn: false, lbTags: false });
    t.elbv2.loadBalancers.length = 0;
    const gw = t.kube
      .cluster('dev')
      .objects.get('gateway.networking.k8s.io/v1/gateways')![0];
    gw.status.addresses = [];
    gw.status.conditions[1] = {
      type: 'Programmed',
      status: 'Unknown',
      reason: 'Pending',
      message: 'Waiting for load balancer to be active.',
    };
    const res = await t.get();
    expect(res.gateways[0].state).toBe('provisioning');
    expect(res.gateways[0].loadBalancer).toBeUndefined();
    expect(res.gateways[0].requestedScheme).toBe('internet-facing');
  });

  it('reports a named Gateway that does not exist', async () => {
    const t = setup();
    const res = await t.get();
    expect(res.gateways).toEqual([]);
    expect(res.errors).toEqual([
      expect.objectContaining({
        part: 'kubernetes',
        kind: 'not-found',
        message: expect.stringContaining('shop/orders'),
      }),
    ]);
  });

  it('says not configured when no cluster is configured', async () => {
    const t = setup({ clusters: [] });
    const res = await t.get();
    expect(res).toMatchObject({ configured: false, gateways: [], errors: [] });
  });

  it('is NotFound when the user cannot see the entity and NotAllowed without the permission', async () => {
    const t = setup();
    await expect(t.get('component:default/nope')).rejects.toThrow(
      NotFoundError,
    );
    const denied = setup({ deny: true });
    exposeScenario(denied.kube, denied.elbv2);
    await expect(denied.get()).rejects.toThrow(NotAllowedError);
    expect(denied.elbv2.count()).toBe(0);
    expect(denied.kube.callCount).toBe(0);
  });

  it('coalesces concurrent requests and serves the cache, authorizing every request', async () => {
    const t = setup();
    exposeScenario(t.kube, t.elbv2);
    t.elbv2.delayMs = 20;
    const first = await Promise.all(Array.from({ length: 10 }, () => t.get()));
    expect(new Set(first.map(r => r.fetchedAt)).size).toBe(1);
    const awsCalls = t.elbv2.count();
    const kubeCalls = t.kube.callCount;
    expect(awsCalls).toBe(5); // DescribeLoadBalancers, DescribeTags, DescribeListeners, DescribeTargetGroups, DescribeTargetHealth
    expect(t.authorize).toHaveBeenCalledTimes(10);
    expect(t.catalog.getEntityByRef).toHaveBeenCalledTimes(10);

    const cached = await t.get();
    expect(cached.fetchedAt).toBe(first[0].fetchedAt);
    expect(t.elbv2.count()).toBe(awsCalls);
    expect(t.kube.callCount).toBe(kubeCalls);
    expect(t.authorize).toHaveBeenCalledTimes(11);

    // A refresh reads target health again; the load balancer's structure,
    // read less than structureRefreshAfterSeconds ago, is not.
    const refreshed = await t.get('component:default/orders', true);
    expect(t.elbv2.count()).toBe(awsCalls + 1);
    expect(t.elbv2.calls.at(-1)?.command).toBe('DescribeTargetHealth');
    expect(refreshed.gateways[0].state).toBe('programmed');
  });

  it('batches DescribeLoadBalancers across the Gateways of one request (20 ARNs at most)', async () => {
    const names = Array.from({ length: 22 }, (_, i) => `gw${i}`);
    const t = setup({
      entities: [
        entity({
          'aws-gateway.io/gateways': names.map(n => `shop/${n}`).join(','),
        }),
      ],
    });
    names.forEach(name => exposeScenario(t.kube, t.elbv2, { name }));
    const res = await t.get();
    expect(res.gateways).toHaveLength(22);
    expect(
      res.gateways.every(
        g =>
          g.state === 'programmed' && g.loadBalancer?.foundBy === 'status-arn',
      ),
    ).toBe(true);
    const describes = t.elbv2.calls.filter(
      c => c.command === 'DescribeLoadBalancers',
    );
    expect(
      describes.map(c => c.input.LoadBalancerArns.length).sort((a, b) => a - b),
    ).toEqual([2, 20]);
    // One list per resource per cluster, however many Gateways.
    expect(
      t.kube.cluster('dev').calls.filter(c => c.endsWith('/tcproutes')),
    ).toHaveLength(1);
  });
});

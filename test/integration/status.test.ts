/**
 * Integration: the gateway status service against the peers — a real
 * kube-apiserver with the real Gateway API / LBC CRDs (both profiles) and moto
 * for ELBv2 — with test/fixtures/fakeController.ts playing the AWS Load
 * Balancer Controller. Checks what the entity card shows: DNS name, listener,
 * target health per pod, provisioning and no-route states.
 */
import * as k8s from '@kubernetes/client-node';
import {
  DeleteListenerCommand,
  DescribeListenersCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetEntityGateways, statusServiceFor } from './support/statusService';
import { CountingProxy, startCountingProxy } from './support/countingProxy';
import {
  applyClassicGateway,
  ensureClassicGatewayClass,
  programClassicGateway,
  startFakeController,
} from '../fixtures/classicGateway';
import type {
  FakeController,
  ReconcileResult,
} from '../fixtures/fakeController';
import {
  awsPeer,
  kubeConfigFor,
  PROFILE_V13,
  PROFILE_V16,
  uniqueName,
} from '../peers';

const GW = 'gateway.networking.k8s.io';
/** The entity asked about; each Gateway names it, as the expose template writes it. */
const ENTITY = 'component:default/svc';

describe.each([
  [PROFILE_V16, 'v1' as const],
  [PROFILE_V13, 'v1alpha2' as const],
])('gateway status against the peers (%s)', (profile, routeVersion) => {
  const clusterName = `peers-${routeVersion}`;
  let kc: k8s.KubeConfig;
  let namespace: string;
  let controller: FakeController;
  let elbv2: ElasticLoadBalancingV2Client;
  let get: GetEntityGateways;

  beforeAll(async () => {
    kc = kubeConfigFor(profile);
    ({ controller, elbv2 } = await startFakeController(
      kc,
      clusterName,
      routeVersion,
    ));

    namespace = uniqueName('status');
    await kc
      .makeApiClient(k8s.CoreV1Api)
      .createNamespace({ body: { metadata: { name: namespace } } });
    await ensureClassicGatewayClass(kc);

    get = statusServiceFor(kc, clusterName, ENTITY);
  });

  afterAll(() => elbv2?.destroy());

  it('shows a programmed Gateway: DNS name, listener 8080/TCP, healthy targets mapped to pods', async () => {
    const name = 'web';
    const lb = await programClassicGateway(kc, controller, {
      namespace,
      name,
      routeVersion,
      entityRef: ENTITY,
      id: 'web',
      ips: ['192.0.2.11', '192.0.2.12'],
    });

    const res = await get({
      'aws-gateway.io/gateways': `test/${namespace}/${name}`,
    });
    expect(res.errors).toEqual([]);
    expect(res.gateways).toHaveLength(1);
    const gw = res.gateways[0];
    expect(gw.errors).toEqual([]);
    expect(gw.state).toBe('programmed');
    expect(gw.dnsName).toBe(lb.dnsName.toLowerCase());
    expect(gw.loadBalancer).toMatchObject({
      arn: lb.loadBalancerArn,
      foundBy: 'status-arn',
      scheme: 'internal',
    });
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
    expect(listener.routes).toEqual([
      expect.objectContaining({
        kind: 'TCPRoute',
        apiVersion: `${GW}/${routeVersion}`,
        accepted: expect.objectContaining({ status: 'True' }),
      }),
    ]);
    expect(listener.targetGroups).toHaveLength(1);
    const tg = listener.targetGroups[0];
    expect(tg).toMatchObject({
      arn: lb.targetGroupArns[0],
      targetType: 'ip',
      service: { namespace, name, port: 8080 },
      health: { healthy: 2, total: 2 },
    });
    expect(tg.targets.map(t => [t.id, t.state, t.pod?.name]).sort()).toEqual([
      ['192.0.2.11', 'healthy', `${name}-0`],
      ['192.0.2.12', 'healthy', `${name}-1`],
    ]);
    expect(gw.warnings).toEqual([]);
  });

  it('finds Gateways by the kubernetes-id label and shows a provisioning one', async () => {
    const name = 'queue';
    await applyClassicGateway(kc, {
      namespace,
      name,
      routeVersion,
      entityRef: ENTITY,
      id: 'queue',
      ips: ['192.0.2.21'],
    });
    const lb = await controller.reconcileProvisioning(namespace, name);

    const res = await get({
      'backstage.io/kubernetes-id': 'queue',
      'backstage.io/kubernetes-namespace': namespace,
    });
    expect(res.gateways).toHaveLength(1);
    const gw = res.gateways[0];
    expect(gw.state).toBe('provisioning');
    expect(gw.stateReason).toContain('Waiting for load balancer to be active.');
    // No ARN in the status yet: found by the controller's tags.
    expect(gw.loadBalancer).toMatchObject({ arn: lb.arn, foundBy: 'tags' });
    expect(gw.dnsName).toBe(lb.dnsName);
  });

  it('warns that a listener without a route has no NLB listener', async () => {
    const name = 'lonely';
    await programClassicGateway(kc, controller, {
      namespace,
      name,
      routeVersion,
      route: false,
      entityRef: ENTITY,
      id: 'lonely',
      ips: [],
    });

    const res = await get({
      'aws-gateway.io/gateways': `${namespace}/${name}`,
    });
    const gw = res.gateways[0];
    expect(gw.state).toBe('programmed');
    expect(gw.listeners[0].loadBalancerListener).toBeUndefined();
    expect(gw.listeners[0].attachedRoutes).toBe(0);
    expect(gw.warnings).toEqual([
      expect.objectContaining({
        code: 'listener-without-route',
        listener: 'tcp-8080',
      }),
    ]);
  });

  it('shows several Gateways each its own target groups (their lookups sent together, each answer checked against its load balancer)', async () => {
    const names = ['batch-a', 'batch-b', 'batch-c'];
    const programmed: ReconcileResult[] = [];
    for (const [i, name] of names.entries()) {
      programmed.push(
        await programClassicGateway(kc, controller, {
          namespace,
          name,
          routeVersion,
          entityRef: ENTITY,
          id: name,
          ips: [`192.0.2.${31 + i}`],
        }),
      );
    }
    const res = await get({
      'aws-gateway.io/gateways': names.map(n => `${namespace}/${n}`).join(','),
    });
    expect(res.errors).toEqual([]);
    expect(
      res.gateways.map(gw => ({
        name: gw.gateway.name,
        errors: gw.errors,
        loadBalancer: gw.loadBalancer?.arn,
        targetGroups: gw.listeners[0].targetGroups.map(t => ({
          arn: t.arn,
          service: t.service?.name,
          targets: t.targets.map(x => x.id),
        })),
      })),
    ).toEqual(
      names.map((name, i) => ({
        name,
        errors: [],
        loadBalancer: programmed[i].loadBalancerArn,
        targetGroups: [
          {
            arn: programmed[i].targetGroupArns[0],
            service: name,
            targets: [`192.0.2.${31 + i}`],
          },
        ],
      })),
    );
  });

  it('reports a named Gateway that does not exist', async () => {
    const res = await get({
      'aws-gateway.io/gateways': `${namespace}/missing`,
    });
    expect(res.gateways).toEqual([]);
    expect(res.errors).toEqual([
      expect.objectContaining({ part: 'kubernetes', kind: 'not-found' }),
    ]);
  });
});

/**
 * The load-balancer structure cache against moto and the kube-apiserver:
 * what the controller changes only when it reconciles is read once; a read
 * then asks ELBv2 only for target health, until the controller reconciles a
 * change or the entry is older than structureMaxAgeSeconds.
 */
describe('gateway status: the load-balancer structure cache', () => {
  const clusterName = 'peers-structure';
  const MAX_AGE_SECONDS = 3;
  const kc = kubeConfigFor(PROFILE_V16);
  const namespace = uniqueName('structure');
  let controller: FakeController;
  let elbv2: ElasticLoadBalancingV2Client;
  let proxy: CountingProxy;
  let endpointBefore: string | undefined;
  let get: GetEntityGateways;
  const FULL_READ = [
    'DescribeListeners',
    'DescribeLoadBalancers',
    'DescribeTags',
    'DescribeTargetGroups',
    'DescribeTargetHealth',
  ];
  const operations = () => proxy.calls.map(c => c.operation).sort();
  const read = (name: string) =>
    get({ 'aws-gateway.io/gateways': `test/${namespace}/${name}` });

  beforeAll(async () => {
    endpointBefore = process.env.AWS_ENDPOINT_URL;
    ({ controller, elbv2 } = await startFakeController(kc, clusterName, 'v1'));
    await kc
      .makeApiClient(k8s.CoreV1Api)
      .createNamespace({ body: { metadata: { name: namespace } } });
    await ensureClassicGatewayClass(kc);
    proxy = await startCountingProxy(awsPeer().endpoint);
    get = statusServiceFor(kc, clusterName, ENTITY, {
      awsEndpoint: proxy.endpoint,
      status: { structureMaxAgeSeconds: MAX_AGE_SECONDS },
    });
  }, 120_000);

  afterAll(async () => {
    elbv2?.destroy();
    await proxy?.close();
    process.env.AWS_ENDPOINT_URL = endpointBefore;
    await kc
      .makeApiClient(k8s.CoreV1Api)
      .deleteNamespace({ name: namespace })
      .catch(() => undefined);
  });

  beforeEach(() => proxy.reset());

  const program = (name: string, ips: string[]) =>
    programClassicGateway(kc, controller, {
      namespace,
      name,
      routeVersion: 'v1',
      entityRef: ENTITY,
      id: name,
      ips,
    });

  it('a warm read makes only the health calls and answers the same', async () => {
    const lb = await program('warm', ['192.0.2.41']);
    const first = await read('warm');
    expect(first.gateways[0].errors).toEqual([]);
    expect(operations()).toEqual(FULL_READ);
    proxy.reset();
    const second = await read('warm');
    expect(operations()).toEqual(['DescribeTargetHealth']);
    expect(
      proxy.calls.map(c => c.params.TargetGroupArn).filter(Boolean),
    ).toEqual(lb.targetGroupArns);
    expect({ ...second, fetchedAt: '' }).toEqual({ ...first, fetchedAt: '' });
  });

  it("a route's spec change is read again once the controller reconciles it, and not kept before", async () => {
    await program('reconciled', ['192.0.2.42']);
    await read('reconciled');
    const custom = kc.makeApiClient(k8s.CustomObjectsApi);
    const ref = {
      group: GW,
      version: 'v1',
      plural: 'tcproutes',
      namespace,
      name: 'reconciled',
    };
    const route: any = await custom.getNamespacedCustomObject(ref);
    route.spec.rules[0].backendRefs[0].weight = 2;
    await custom.replaceNamespacedCustomObject({ ...ref, body: route });

    // Not reconciled yet: read in full, not kept.
    proxy.reset();
    await read('reconciled');
    expect(operations()).toEqual(FULL_READ);
    proxy.reset();
    await read('reconciled');
    expect(operations()).toEqual(FULL_READ);

    await controller.reconcile(namespace, 'reconciled');
    proxy.reset();
    const res = await read('reconciled');
    expect(operations()).toEqual(FULL_READ);
    expect(res.gateways[0].errors).toEqual([]);
    proxy.reset();
    await read('reconciled');
    expect(operations()).toEqual(['DescribeTargetHealth']);
  });

  it(`a listener deleted in AWS out of band shows within structureMaxAgeSeconds (${MAX_AGE_SECONDS} s)`, async () => {
    const lb = await program('deleted', ['192.0.2.43']);
    const before = await read('deleted');
    expect(before.gateways[0].listeners[0].loadBalancerListener).toBeDefined();
    const started = Date.now();
    const { Listeners } = await elbv2.send(
      new DescribeListenersCommand({ LoadBalancerArn: lb.loadBalancerArn }),
    );
    for (const l of Listeners ?? []) {
      await elbv2.send(
        new DeleteListenerCommand({ ListenerArn: l.ListenerArn }),
      );
    }
    let shown = before;
    while (shown.gateways[0].listeners[0].loadBalancerListener) {
      expect(Date.now() - started).toBeLessThan((MAX_AGE_SECONDS + 2) * 1000);
      await new Promise(resolve => setTimeout(resolve, 250));
      shown = await read('deleted');
    }
    expect(shown.gateways[0].listeners[0].loadBalancerListener).toBeUndefined();
  });
});

import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
import { FakeElbv2, FakeKubernetes } from '../../__testUtils__/fakes';
import { ACCOUNT, exposeScenario, REGION } from '../../__testUtils__/scenario';
import { readStatusConfig } from '../../config';
import { Deadline } from '../../deadline';
import {
  GatewayStatusCollector,
  GatewayStatusCollectorOptions,
} from './GatewayStatusCollector';

const ORDERS = 'component:default/orders';

function entity(
  annotations: Record<string, string>,
  spec: Entity['spec'] = { owner: 'team-shop' },
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'orders', namespace: 'default', annotations },
    spec,
  };
}

function setup(
  status: Record<string, unknown> = {},
  extra: Pick<GatewayStatusCollectorOptions, 'liveUpdateNotes'> = {},
) {
  const kube = new FakeKubernetes();
  const elbv2 = new FakeElbv2();
  kube.cluster('dev');
  const collector = new GatewayStatusCollector({
    clusters: {
      listClusters: async () => [
        { name: 'dev', authProvider: 'serviceAccount' },
      ],
    },
    kubernetes: kube,
    elbv2: elbv2.source,
    config: readStatusConfig(
      new ConfigReader({
        awsGateway: {
          status: {
            clusters: [{ name: 'dev', region: REGION, accountId: ACCOUNT }],
            ...status,
          },
        },
      }),
    ),
    logger: mockServices.logger.mock(),
    ...extra,
  });
  const get = (
    annotations: Record<string, string>,
    options: { signal?: AbortSignal } = {},
  ) => collector.collect(entity(annotations), ORDERS, options);
  return { kube, elbv2, collector, get };
}

/** Another team's Gateway payments/ledger, naming its own entity. */
function ledgerGateway(
  t: ReturnType<typeof setup>,
  labels: Record<string, string> = {},
) {
  return exposeScenario(t.kube, t.elbv2, {
    namespace: 'payments',
    name: 'ledger',
    labels,
    entityRef: 'component:default/ledger',
  });
}

/**
 * A binding labelled for shop/orders, as anyone who can write `namespace`
 * could add one, serving `service`:8080 of that namespace.
 */
function spoofBinding(
  t: ReturnType<typeof setup>,
  binding: { namespace: string; arn: string; service: string },
) {
  t.kube.cluster('dev').add('elbv2.k8s.aws/v1beta1/targetgroupbindings', {
    metadata: {
      name: `spoof-${binding.namespace}-${binding.service}`,
      namespace: binding.namespace,
      labels: {
        'gateway.k8s.aws.nlb/stack-namespace': 'shop',
        'gateway.k8s.aws.nlb/stack-name': 'orders',
      },
    },
    spec: {
      targetGroupARN: binding.arn,
      targetType: 'ip',
      serviceRef: { name: binding.service, port: 8080 },
    },
  });
}

/** Every ARN sent to ELBv2, whatever the command. */
function arnsCalled(elbv2: FakeElbv2): string[] {
  return elbv2.calls.flatMap(c => [
    ...(c.input.LoadBalancerArns ?? []),
    ...(c.input.ResourceArns ?? []),
    ...(c.input.TargetGroupArns ?? []),
    ...[c.input.LoadBalancerArn, c.input.TargetGroupArn].filter(Boolean),
  ]);
}

describe('GatewayStatusCollector: which Gateways an entity may see', () => {
  it('shows a Gateway that names the entity in its entity-ref annotation', async () => {
    const t = setup();
    exposeScenario(t.kube, t.elbv2, { entityRef: ORDERS });
    const res = await t.get({ 'aws-gateway.io/gateways': 'shop/orders' });
    expect(res.errors).toEqual([]);
    expect(res.gateways).toHaveLength(1);
    expect(res.gateways[0].state).toBe('programmed');
  });

  it("reports another team's Gateway as not linked, with none of its data and no AWS call", async () => {
    const t = setup();
    const other = ledgerGateway(t);
    const res = await t.get({ 'aws-gateway.io/gateways': 'payments/ledger' });
    expect(res.gateways).toEqual([]);
    expect(res.errors).toEqual([
      expect.objectContaining({
        part: 'catalog',
        kind: 'permission',
        message: expect.stringContaining(
          'Gateway payments/ledger in cluster dev is not linked to this entity',
        ),
      }),
    ]);
    const body = JSON.stringify(res);
    expect(body).not.toContain(other.dnsName);
    expect(body).not.toContain(other.lbArn);
    expect(body).not.toContain('10.0.1.10');
    expect(t.elbv2.count()).toBe(0);
  });

  it("adds each read cluster's live-update note after its reads, without hiding a missing Gateway's error", async () => {
    const note = {
      part: 'kubernetes' as const,
      kind: 'permission' as const,
      cluster: 'dev',
      message: 'Live updates are off for cluster dev: …',
    };
    const asked: string[] = [];
    const t = setup(
      {},
      {
        liveUpdateNotes: cluster => {
          asked.push(cluster);
          return [note];
        },
      },
    );
    exposeScenario(t.kube, t.elbv2, { entityRef: ORDERS });
    const res = await t.get({
      'aws-gateway.io/gateways': 'shop/orders, shop/missing',
    });
    expect(asked).toEqual(['dev']);
    expect(res.gateways).toHaveLength(1);
    expect(res.errors).toEqual([
      expect.objectContaining({
        kind: 'not-found',
        message: expect.stringContaining('shop/missing was not found'),
      }),
      note,
    ]);
  });

  it("gives the caller's answer deadline to each cluster connection and live-update note", async () => {
    const dues: unknown[] = [];
    const t = setup(
      {},
      {
        liveUpdateNotes: (_cluster, _signal, answerDue) => {
          dues.push(answerDue);
          return [];
        },
      },
    );
    exposeScenario(t.kube, t.elbv2, { entityRef: ORDERS });
    const connect = jest.spyOn(t.kube, 'connect');
    const answerDue = new Deadline(4_000);
    await t.collector.collect(
      entity({ 'aws-gateway.io/gateways': 'shop/orders' }),
      ORDERS,
      { answerDue },
    );
    expect(connect).toHaveBeenCalledWith(
      'dev',
      expect.objectContaining({ answerDue }),
    );
    expect(dues).toEqual([answerDue]);
  });

  it('shows Gateways of a namespace that configuration maps to the entity owner', async () => {
    const t = setup({
      namespaceOwners: [
        { namespace: 'shop', owners: ['group:default/team-shop'] },
      ],
    });
    exposeScenario(t.kube, t.elbv2, { entityRef: null });
    const named = entity({ 'aws-gateway.io/gateways': 'shop/orders' });
    expect((await t.collector.collect(named, ORDERS)).gateways).toHaveLength(1);
    // Another owner gets nothing from that namespace.
    const foreign = entity(
      { 'aws-gateway.io/gateways': 'shop/orders' },
      { owner: 'group:default/team-other' },
    );
    const res = await t.collector.collect(foreign, ORDERS);
    expect(res.gateways).toEqual([]);
    expect(res.errors[0].message).toContain('not linked');
  });

  it('does not reveal Gateways selected by a borrowed kubernetes-id, only counts them', async () => {
    const t = setup();
    const other = ledgerGateway(t, { 'backstage.io/kubernetes-id': 'ledger' });
    const res = await t.get({ 'backstage.io/kubernetes-id': 'ledger' });
    expect(res.gateways).toEqual([]);
    expect(res.errors).toEqual([
      expect.objectContaining({
        kind: 'permission',
        message: expect.stringMatching(
          /^1 Gateway labelled backstage.io\/kubernetes-id=ledger .* not linked/,
        ),
      }),
    ]);
    expect(JSON.stringify(res)).not.toMatch(/payments\/ledger|ledger-/);
    expect(JSON.stringify(res)).not.toContain(other.dnsName);
  });

  it('answers too many references with a clear error and no call at all', async () => {
    const t = setup();
    const refs = Array.from({ length: 1500 }, (_, i) => `shop/gw-${i}`).join(
      ',',
    );
    const res = await t.get({ 'aws-gateway.io/gateways': refs });
    expect(res.gateways).toEqual([]);
    expect(res.errors).toEqual([
      {
        part: 'catalog',
        kind: 'error',
        message:
          'aws-gateway.io/gateways names 1500 Gateways; at most 25 are read for one entity (awsGateway.status.maxGatewaysPerEntity)',
      },
    ]);
    expect(t.kube.callCount).toBe(0);
    expect(t.elbv2.count()).toBe(0);
  });
});

describe('GatewayStatusCollector: bounds', () => {
  it('reads no Gateway when a borrowed or shared kubernetes-id selects more than maxGatewaysPerEntity', async () => {
    const t = setup({ maxGatewaysPerEntity: 2 });
    ['a', 'b', 'c'].forEach(name =>
      exposeScenario(t.kube, t.elbv2, {
        name,
        labels: { 'backstage.io/kubernetes-id': 'orders' },
      }),
    );
    const res = await t.get({ 'backstage.io/kubernetes-id': 'orders' });
    expect(res.gateways).toEqual([]);
    expect(res.errors).toEqual([
      expect.objectContaining({
        part: 'catalog',
        message:
          '3 Gateways in cluster dev belong to this entity; at most 2 are read for one entity (awsGateway.status.maxGatewaysPerEntity)',
      }),
    ]);
    expect(t.elbv2.count()).toBe(0);
  });
});

describe('GatewayStatusCollector: TargetGroupBindings and ARNs', () => {
  const spoofedTg = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/k8s-payments-ledger/abcdef0123456789`;

  const spoof = (t: ReturnType<typeof setup>, namespace: string, arn: string) =>
    spoofBinding(t, { namespace, arn, service: 'orders' });

  it('ignores bindings with copied labels in another namespace, and bindings of target groups not on the load balancer', async () => {
    const t = setup();
    const s = exposeScenario(t.kube, t.elbv2);
    // Another team's real target group, with healthy targets.
    t.elbv2.targetGroups.push({
      arn: spoofedTg,
      name: 'k8s-payments-ledger',
      port: 9000,
      protocol: 'TCP',
      targetType: 'ip',
      loadBalancerArns: [],
      targets: [{ id: '10.7.7.7', port: 9000, state: 'healthy' }],
    });
    spoof(t, 'payments', spoofedTg);
    spoof(t, 'shop', spoofedTg);
    const res = await t.get({ 'aws-gateway.io/gateways': 'shop/orders' });
    const gw = res.gateways[0];
    const groups = gw.listeners[0].targetGroups;
    expect(groups.map(g => g.arn)).toEqual([s.tgArn]);
    expect(JSON.stringify(res)).not.toContain('10.7.7.7');
    expect(arnsCalled(t.elbv2)).not.toContain(spoofedTg);
    // Bindings are listed in the Gateway's (and its backends') namespace only.
    expect(gw.errors).toContainEqual(
      expect.objectContaining({
        message:
          "1 TargetGroupBinding labelled for this Gateway does not bind one of its load balancer's target groups and was ignored",
      }),
    );
  });

  it.each([
    ['another account', (arn: string) => arn.replace(ACCOUNT, '210987654321')],
    ['another region', (arn: string) => arn.replace(REGION, 'eu-west-1')],
    [
      'another partition',
      (arn: string) => arn.replace('arn:aws:', 'arn:aws-cn:'),
    ],
    ['a host in it', (arn: string) => arn.replace(REGION, 'evil.example.com#')],
  ])('never calls nor links a status ARN of %s', async (_, craft) => {
    const t = setup();
    const s = exposeScenario(t.kube, t.elbv2, { lbTags: false });
    const crafted = craft(s.lbArn);
    const gateway = t.kube
      .cluster('dev')
      .objects.get('gateway.networking.k8s.io/v1/gateways')![0];
    gateway.status.conditions[1].message = crafted;
    const res = await t.get({ 'aws-gateway.io/gateways': 'shop/orders' });
    expect(arnsCalled(t.elbv2)).not.toContain(crafted);
    // The condition is shown as the text it is; every link is built from
    // validated parts only, so it points at this cluster's regional console.
    const links = JSON.stringify(res).match(/https?:\/\/[^"]+/g) ?? [];
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) {
      expect(new URL(link).host).toBe(`${REGION}.console.aws.amazon.com`);
      expect(link).not.toContain('evil.example.com');
    }
    expect(res.gateways[0].errors).toContainEqual(
      expect.objectContaining({
        part: 'kubernetes',
        message: expect.stringContaining('it was ignored'),
      }),
    );
  });
});

describe('GatewayStatusCollector: deadlines', () => {
  it('passes the request signal to every cluster connection and ends AWS calls when it fires', async () => {
    const t = setup({ awsTimeoutSeconds: 30 });
    exposeScenario(t.kube, t.elbv2);
    t.elbv2.delayMs = 60_000;
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(new Error('request deadline')), 100);
    const res = await t.get(
      { 'aws-gateway.io/gateways': 'shop/orders' },
      { signal: controller.signal },
    );
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(t.kube.signals).toEqual([controller.signal]);
    expect(res.gateways[0].errors).toContainEqual(
      expect.objectContaining({
        part: 'aws',
        kind: 'unreachable',
        message:
          'DescribeLoadBalancers: AWS did not answer before the deadline',
      }),
    );
  });

  it('keeps at most maxConcurrentCallsPerCluster AWS calls in flight per account and region', async () => {
    const t = setup({ maxConcurrentCallsPerCluster: 2 });
    const names = ['a', 'b', 'c', 'd', 'e'];
    names.forEach(name => exposeScenario(t.kube, t.elbv2, { name }));
    t.elbv2.delayMs = 20;
    const res = await t.get({
      'aws-gateway.io/gateways': names.map(n => `shop/${n}`).join(','),
    });
    expect(res.gateways.map(g => g.state)).toEqual(
      names.map(() => 'programmed'),
    );
    expect(t.elbv2.count()).toBeGreaterThan(10);
    expect(t.elbv2.maxInFlight).toBe(2);
  });

  it('ends each AWS call at awsTimeoutSeconds', async () => {
    const t = setup({ awsTimeoutSeconds: 0.2 });
    exposeScenario(t.kube, t.elbv2);
    t.elbv2.delayMs = 60_000;
    const started = Date.now();
    const res = await t.get({ 'aws-gateway.io/gateways': 'shop/orders' });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(res.gateways[0].errors[0]).toMatchObject({
      part: 'aws',
      kind: 'unreachable',
    });
  });
});

describe("GatewayStatusCollector: another Gateway's load balancer", () => {
  it.each([
    ['its ARN', 'arn'],
    ['its DNS name', 'dns'],
  ])("is not shown when a Gateway's status names %s", async (_, what) => {
    const t = setup();
    const ledger = exposeScenario(t.kube, t.elbv2, {
      namespace: 'payments',
      name: 'ledger',
      entityRef: 'component:default/ledger',
    });
    exposeScenario(t.kube, t.elbv2, { statusArn: false, lbTags: false });
    // The status of our Gateway, forged to point at team B's NLB.
    const ours = t.kube
      .cluster('dev')
      .objects.get('gateway.networking.k8s.io/v1/gateways')!
      .find(g => g.metadata.name === 'orders')!;
    if (what === 'arn') ours.status.conditions[1].message = ledger.lbArn;
    else ours.status.addresses[0].value = ledger.dnsName;
    const res = await t.get({ 'aws-gateway.io/gateways': 'shop/orders' });
    const gw = res.gateways[0];
    expect(gw.loadBalancer).toBeUndefined();
    expect(gw.errors).toContainEqual(
      expect.objectContaining({
        message: expect.stringContaining(
          'is tagged by the controller for another Gateway or cluster',
        ),
      }),
    );
    // Nothing is read of it beyond what tells whose it is, and the listeners
    // asked for at once with its tags (their answer dropped): not its target
    // groups, not their health.
    expect(gw.listeners[0].targetGroups).toEqual([]);
    expect(
      t.elbv2.calls
        .filter(c => c.input.LoadBalancerArn === ledger.lbArn)
        .map(c => c.command),
    ).toEqual(what === 'arn' ? ['DescribeListeners'] : []);
    expect(arnsCalled(t.elbv2)).not.toContain(ledger.tgArn);
    expect(gw.listeners[0].loadBalancerListener).toBeUndefined();
  });
});

describe('GatewayStatusCollector: the AWS side in one round trip', () => {
  /** The collector's Gateway shop/orders, its binding's target group replaced by `arn`. */
  function bindOrdersTo(t: ReturnType<typeof setup>, arn: string) {
    const binding = t.kube
      .cluster('dev')
      .objects.get('elbv2.k8s.aws/v1beta1/targetgroupbindings')!
      .find(b => b.metadata.namespace === 'shop')!;
    (binding as any).spec.targetGroupARN = arn;
  }

  it('reads 10 Gateways with every AWS call sent at once, the ARN lookups batched', async () => {
    const t = setup();
    const names = Array.from({ length: 10 }, (_, i) => `gw-${i}`);
    names.forEach(name => exposeScenario(t.kube, t.elbv2, { name }));
    // Long enough that a machine stalling between two turns of the event loop
    // (the batched lookups go out on the next turn) does not end the first
    // calls before the last ones start; with 20 ms it did, once in nine runs
    // of a loaded machine.
    t.elbv2.delayMs = 250;
    const res = await t.get({
      'aws-gateway.io/gateways': names.map(n => `shop/${n}`).join(','),
    });
    expect(
      res.gateways.map(g => g.listeners[0].targetGroups[0].health),
    ).toEqual(
      names.map(() => expect.objectContaining({ healthy: 2, total: 2 })),
    );
    expect(res.gateways.flatMap(g => g.errors)).toEqual([]);
    // No call waited for another's answer.
    expect(t.elbv2.calls.filter(c => c.completedBefore > 0)).toEqual([]);
    expect(
      Object.fromEntries(
        [
          'DescribeLoadBalancers',
          'DescribeTags',
          'DescribeListeners',
          'DescribeTargetGroups',
          'DescribeTargetHealth',
        ].map(c => [c, t.elbv2.count(c)]),
      ),
    ).toEqual({
      DescribeLoadBalancers: 1,
      DescribeTags: 1,
      DescribeListeners: 10,
      DescribeTargetGroups: 1,
      DescribeTargetHealth: 10,
    });
    expect(t.elbv2.maxInFlight).toBe(23);
  });

  it("never shows the health of another team's target group that a binding names, though it was asked for at once", async () => {
    const t = setup();
    const ours = exposeScenario(t.kube, t.elbv2);
    const ledger = ledgerGateway(t);
    // Our Gateway's only binding, rewritten to name team B's target group.
    bindOrdersTo(t, ledger.tgArn);
    const res = await t.get({ 'aws-gateway.io/gateways': 'shop/orders' });
    const gw = res.gateways[0];
    // Our own group is found through our listener (a second round trip) and
    // shown without the binding; team B's is not shown at all.
    expect(gw.listeners[0].targetGroups.map(g => g.arn)).toEqual([ours.tgArn]);
    expect(gw.listeners[0].targetGroups[0].service).toBeUndefined();
    const body = JSON.stringify(res);
    expect(body).not.toContain(ledger.tgArn);
    expect(body).not.toContain(ledger.lbArn);
    expect(gw.errors).toContainEqual(
      expect.objectContaining({
        message:
          "1 TargetGroupBinding labelled for this Gateway does not bind one of its load balancer's target groups and was ignored",
      }),
    );
    // Asked for speculatively (the binding serves the route's backend), dropped.
    expect(
      t.elbv2.calls
        .filter(c => c.command === 'DescribeTargetHealth')
        .map(c => c.input.TargetGroupArn)
        .sort(),
    ).toEqual([ledger.tgArn, ours.tgArn].sort());
  });

  it.each([
    ['serves none of its routes’ backends', 'ledger'],
    ['claims a backend another binding claims', 'orders'],
  ])(
    'never sends the target group of a binding that %s',
    async (_, service) => {
      const t = setup();
      const ours = exposeScenario(t.kube, t.elbv2);
      const ledger = ledgerGateway(t);
      spoofBinding(t, { namespace: 'shop', arn: ledger.tgArn, service });
      const res = await t.get({ 'aws-gateway.io/gateways': 'shop/orders' });
      const gw = res.gateways[0];
      expect(gw.listeners[0].targetGroups.map(g => g.arn)).toEqual([
        ours.tgArn,
      ]);
      expect(gw.listeners[0].targetGroups[0].health.healthy).toBe(2);
      expect(arnsCalled(t.elbv2)).not.toContain(ledger.tgArn);
      expect(JSON.stringify(res)).not.toContain(ledger.tgArn);
    },
  );

  it.each([
    ['another account', (arn: string) => arn.replace(ACCOUNT, '210987654321')],
    ['another region', (arn: string) => arn.replace(REGION, 'eu-central-1')],
  ])(
    'never calls a target group of %s that a binding names',
    async (_, craft) => {
      const t = setup();
      const ours = exposeScenario(t.kube, t.elbv2);
      const crafted = craft(ours.tgArn);
      bindOrdersTo(t, crafted);
      const res = await t.get({ 'aws-gateway.io/gateways': 'shop/orders' });
      expect(arnsCalled(t.elbv2)).not.toContain(crafted);
      expect(res.gateways[0].listeners[0].targetGroups.map(g => g.arn)).toEqual(
        [ours.tgArn],
      );
    },
  );

  it('falls back to the tags when the load balancer the status names no longer exists', async () => {
    const t = setup();
    const s = exposeScenario(t.kube, t.elbv2);
    const gateway = t.kube
      .cluster('dev')
      .objects.get('gateway.networking.k8s.io/v1/gateways')![0];
    const stale = s.lbArn.replace(/\/[^/]+$/, '/0000000000');
    gateway.status.conditions[1].message = stale;
    const res = await t.get({ 'aws-gateway.io/gateways': 'shop/orders' });
    const gw = res.gateways[0];
    expect(gw.loadBalancer).toMatchObject({ arn: s.lbArn, foundBy: 'tags' });
    expect(gw.listeners[0].targetGroups[0]).toMatchObject({
      arn: s.tgArn,
      service: { name: 'orders' },
      health: { healthy: 2 },
    });
    expect(gw.errors).toEqual([]);
  });
});

describe('GatewayStatusCollector: the load-balancer structure cache', () => {
  const ORDERS_GW = { 'aws-gateway.io/gateways': 'shop/orders' };
  /** The answer without the time it was read at. */
  const body = (res: { fetchedAt: string }) => ({ ...res, fetchedAt: '' });
  const objectsOf = (t: ReturnType<typeof setup>, resource: string) =>
    t.kube.cluster('dev').objects.get(resource)!;
  const commands = (t: ReturnType<typeof setup>) =>
    t.elbv2.calls.map(c => c.command).sort();
  const FULL_READ = [
    'DescribeListeners',
    'DescribeLoadBalancers',
    'DescribeTags',
    'DescribeTargetGroups',
    'DescribeTargetHealth',
  ];
  /**
   * Date.now as the test moves it, set before the collector is built (its
   * structure cache keeps the clock it had): on a stalled machine the real
   * clock could age an entry past its bound between two reads meant to come
   * within it.
   */
  const heldClock = () => {
    let now = Date.now();
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    return {
      advance: (ms: number) => {
        now += ms;
      },
    };
  };
  afterEach(() => jest.restoreAllMocks());

  it('a second read asks AWS only for target health, and answers the same', async () => {
    const t = setup();
    exposeScenario(t.kube, t.elbv2);
    const first = await t.get(ORDERS_GW);
    expect(commands(t)).toEqual(FULL_READ);
    t.elbv2.calls.length = 0;
    const second = await t.get(ORDERS_GW);
    expect(commands(t)).toEqual(['DescribeTargetHealth']);
    expect(body(second)).toEqual(body(first));
  });

  it('shows new target health at once', async () => {
    const t = setup();
    exposeScenario(t.kube, t.elbv2);
    await t.get(ORDERS_GW);
    t.elbv2.targetGroups[0].targets[0].state = 'unhealthy';
    const res = await t.get(ORDERS_GW);
    expect(res.gateways[0].listeners[0].targetGroups[0].health).toMatchObject({
      healthy: 1,
      unhealthy: 1,
    });
  });

  it('reads the structure again when a route changes (the controller reconciles from it)', async () => {
    const t = setup();
    exposeScenario(t.kube, t.elbv2);
    await t.get(ORDERS_GW);
    const [route] = objectsOf(t, 'gateway.networking.k8s.io/v1/tcproutes');
    route.metadata.generation = 2;
    t.elbv2.calls.length = 0;
    await t.get(ORDERS_GW);
    expect(commands(t)).toEqual(FULL_READ);
  });

  it('keeps the entry through status-only writes', async () => {
    const t = setup();
    exposeScenario(t.kube, t.elbv2);
    await t.get(ORDERS_GW);
    const [gw] = objectsOf(t, 'gateway.networking.k8s.io/v1/gateways');
    gw.status.conditions[1].lastTransitionTime = '2026-11-27T04:00:00Z';
    gw.status.listeners[0].attachedRoutes = 1;
    t.elbv2.calls.length = 0;
    await t.get(ORDERS_GW);
    expect(commands(t)).toEqual(['DescribeTargetHealth']);
  });

  it.each([
    [
      'a target group gone (TargetGroupNotFound)',
      (t: ReturnType<typeof setup>) => {
        const lb = t.elbv2.loadBalancers[0];
        const next = {
          ...t.elbv2.targetGroups[0],
          arn: t.elbv2.targetGroups[0].arn.replace(/\/[^/]+$/, '/0123456789'),
        };
        t.elbv2.targetGroups.splice(0, 1, next);
        lb.listeners![0].targetGroupArn = next.arn;
        const binding = objectsOf(
          t,
          'elbv2.k8s.aws/v1beta1/targetgroupbindings',
        )[0];
        // The controller's new binding: a new object (the key changes too).
        binding.metadata.uid = 'recreated';
        binding.spec.targetGroupARN = next.arn;
        return next.arn;
      },
    ],
    [
      'targets no listener uses (Target.NotInUse: the listener was deleted)',
      (t: ReturnType<typeof setup>) => {
        t.elbv2.loadBalancers[0].listeners = [];
        t.elbv2.targetGroups[0].loadBalancerArns = [];
        for (const target of t.elbv2.targetGroups[0].targets) {
          target.state = 'unused';
          target.reason = 'Target.NotInUse';
        }
        return undefined;
      },
    ],
  ])(
    'falls back to the full read in the same request on %s',
    async (_, change) => {
      const t = setup();
      exposeScenario(t.kube, t.elbv2);
      await t.get(ORDERS_GW);
      const expectedGroup = change(t);
      t.elbv2.calls.length = 0;
      const res = await t.get(ORDERS_GW);
      expect(commands(t)).toEqual(expect.arrayContaining(FULL_READ));
      // The same answer as a process that never cached anything.
      const fresh = setup();
      fresh.kube.clusters.set('dev', t.kube.cluster('dev'));
      fresh.elbv2.loadBalancers.push(...t.elbv2.loadBalancers);
      fresh.elbv2.targetGroups.push(...t.elbv2.targetGroups);
      expect(body(res)).toEqual(body(await fresh.get(ORDERS_GW)));
      expect(res.gateways[0].listeners[0].targetGroups.map(g => g.arn)).toEqual(
        expectedGroup ? [expectedGroup] : [],
      );
    },
  );

  it('drops the entry when AWS refuses, and shows the refusal', async () => {
    const t = setup();
    exposeScenario(t.kube, t.elbv2);
    await t.get(ORDERS_GW);
    t.elbv2.failures.set('DescribeTargetHealth', FakeElbv2.accessDenied());
    t.elbv2.calls.length = 0;
    const res = await t.get(ORDERS_GW);
    expect(commands(t)).toEqual(expect.arrayContaining(FULL_READ));
    expect(res.gateways[0].listeners[0].targetGroups[0].errors).toContainEqual(
      expect.objectContaining({ kind: 'permission' }),
    );
    t.elbv2.failures.clear();
    t.elbv2.calls.length = 0;
    await t.get(ORDERS_GW);
    // What the full read found of the structure was kept (the refusal was health's).
    expect(commands(t)).toEqual(['DescribeTargetHealth']);
  });

  it('asks for the load balancer too while it is not active, and shows its new state', async () => {
    const t = setup();
    exposeScenario(t.kube, t.elbv2);
    t.elbv2.loadBalancers[0].state = 'provisioning';
    await t.get(ORDERS_GW);
    t.elbv2.loadBalancers[0].state = 'active';
    t.elbv2.calls.length = 0;
    const res = await t.get(ORDERS_GW);
    expect(commands(t)).toEqual([
      'DescribeLoadBalancers',
      'DescribeTargetHealth',
    ]);
    expect(res.gateways[0].loadBalancer?.state).toBe('active');
    t.elbv2.calls.length = 0;
    await t.get(ORDERS_GW);
    // Cached as read, provisioning: the state is asked until a full read says active.
    expect(commands(t)).toEqual([
      'DescribeLoadBalancers',
      'DescribeTargetHealth',
    ]);
  });

  it('falls back to the full read when the load balancer is gone (LoadBalancerNotFound)', async () => {
    const t = setup();
    exposeScenario(t.kube, t.elbv2);
    t.elbv2.loadBalancers[0].state = 'provisioning';
    await t.get(ORDERS_GW);
    t.elbv2.loadBalancers.length = 0;
    t.elbv2.calls.length = 0;
    const res = await t.get(ORDERS_GW);
    expect(commands(t)).toContain('DescribeTags');
    expect(res.gateways[0].loadBalancer).toBeUndefined();
    expect(res.gateways[0].errors).toContainEqual(
      expect.objectContaining({ part: 'aws', kind: 'not-found' }),
    );
  });

  it("a status rewritten to name another team's load balancer after a cached read shows nothing of it", async () => {
    const t = setup();
    exposeScenario(t.kube, t.elbv2);
    const ledger = ledgerGateway(t);
    await t.get(ORDERS_GW);
    const gw = objectsOf(t, 'gateway.networking.k8s.io/v1/gateways').find(
      g => g.metadata.name === 'orders',
    )!;
    gw.status.conditions[1].message = ledger.lbArn;
    const res = await t.get(ORDERS_GW);
    const text = JSON.stringify(res);
    expect(text).not.toContain(ledger.tgArn);
    expect(res.gateways[0].loadBalancer?.arn).not.toBe(ledger.lbArn);
    expect(res.gateways[0].errors).toContainEqual(
      expect.objectContaining({
        message: expect.stringContaining(
          'tagged by the controller for another',
        ),
      }),
    );
  });

  it("a binding re-pointed to another team's group after a cached read: the full read, the group never shown", async () => {
    const t = setup();
    const ours = exposeScenario(t.kube, t.elbv2);
    const ledger = ledgerGateway(t);
    await t.get(ORDERS_GW);
    const binding = objectsOf(
      t,
      'elbv2.k8s.aws/v1beta1/targetgroupbindings',
    ).find(b => b.metadata.namespace === 'shop')!;
    binding.spec.targetGroupARN = ledger.tgArn;
    t.elbv2.calls.length = 0;
    const res = await t.get(ORDERS_GW);
    expect(commands(t)).toEqual(expect.arrayContaining(FULL_READ));
    expect(JSON.stringify(res)).not.toContain(ledger.tgArn);
    expect(res.gateways[0].listeners[0].targetGroups.map(g => g.arn)).toEqual([
      ours.tgArn,
    ]);
  });

  it('believes a tag verdict for at most structureMaxAgeSeconds', async () => {
    const clock = heldClock();
    const t = setup({ structureMaxAgeSeconds: 0.2 });
    exposeScenario(t.kube, t.elbv2);
    await t.get(ORDERS_GW);
    t.elbv2.loadBalancers[0].tags!['gateway.k8s.aws.nlb/stack'] = 'payments/x';
    clock.advance(150);
    const within = await t.get(ORDERS_GW);
    expect(within.gateways[0].loadBalancer).toBeDefined();
    clock.advance(100);
    const after = await t.get(ORDERS_GW);
    expect(after.gateways[0].loadBalancer).toBeUndefined();
  });

  it('a refresh reads the structure again once it is older than structureRefreshAfterSeconds', async () => {
    const clock = heldClock();
    const t = setup({ structureRefreshAfterSeconds: 0.1 });
    exposeScenario(t.kube, t.elbv2);
    await t.get(ORDERS_GW);
    t.elbv2.calls.length = 0;
    clock.advance(50);
    await t.collector.collect(entity(ORDERS_GW), ORDERS, { refresh: true });
    expect(commands(t)).toEqual(['DescribeTargetHealth']);
    clock.advance(100);
    t.elbv2.calls.length = 0;
    await t.collector.collect(entity(ORDERS_GW), ORDERS, { refresh: true });
    expect(commands(t)).toEqual(FULL_READ);
    t.elbv2.calls.length = 0;
    // Without refresh, the entry is used up to structureMaxAgeSeconds.
    await t.get(ORDERS_GW);
    expect(commands(t)).toEqual(['DescribeTargetHealth']);
  });

  it('is off with structureMaxAgeSeconds 0', async () => {
    const t = setup({ structureMaxAgeSeconds: 0 });
    exposeScenario(t.kube, t.elbv2);
    await t.get(ORDERS_GW);
    t.elbv2.calls.length = 0;
    await t.get(ORDERS_GW);
    expect(commands(t)).toEqual(FULL_READ);
  });
});

/**
 * Red team, status side: a team that can write its own namespace creates a
 * Gateway there carrying another team's `backstage.io/kubernetes-id` label and
 * naming that team's entity in `aws-gateway.io/entity-ref`. The victim's
 * entity selects its Gateways by that label in every namespace (the
 * Kubernetes plugin's convention), so without a rule the attacker's NLB and
 * DNS name show on the victim's card as the victim's own endpoint. With the
 * namespace given to the attacker's team in `awsGateway.status.namespaceOwners`,
 * the annotation written there links only that team's entities. Real
 * kube-apiserver, moto and the status service as the backend builds it.
 */
import * as k8s from '@kubernetes/client-node';
import {
  AddTagsCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { CacheManager } from '@backstage/backend-defaults/cache';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { Entity } from '@backstage/catalog-model';
import { createGatewayStatusService } from '@gateway-portal/plugin-aws-gateway-backend/testUtils';
import { InMemoryKubernetesClusters } from '@gateway-portal/plugin-aws-gateway-node/testUtils';
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
const VICTIM = 'component:default/payments';

interface ReaderOptions {
  kc: k8s.KubeConfig;
  clusterName: string;
  /** The component `default/<name>`, its owner and annotations. */
  component: { name: string; owner: string };
  annotations: Record<string, string>;
  namespaceOwners?: Array<{ namespace: string; owners: string[] }>;
  /** awsGateway.status.structureMaxAgeSeconds (the default when absent). */
  structureMaxAgeSeconds?: number;
}

/**
 * One read of `entity`'s gateways by a signed-in user, through the status
 * service as the backend builds it (no cache, so every read asks AWS).
 */
function readAsUser(options: ReaderOptions) {
  return userReader(options)();
}

/**
 * Reads of `entity`'s gateways by a signed-in user through one status
 * service (one process: its load-balancer structure cache lives across
 * reads; no status cache).
 */
function userReader(options: ReaderOptions) {
  const aws = awsPeer();
  const entity: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: options.component.name,
      namespace: 'default',
      annotations: options.annotations,
    },
    spec: { owner: options.component.owner },
  };
  const service = createGatewayStatusService({
    config: new ConfigReader({
      aws: awsAccountsConfig(aws),
      awsGateway: {
        status: {
          cacheTtlSeconds: 0,
          ...(options.structureMaxAgeSeconds !== undefined
            ? { structureMaxAgeSeconds: options.structureMaxAgeSeconds }
            : {}),
          namespaceOwners: options.namespaceOwners ?? [],
          clusters: [
            {
              name: CLUSTER,
              accountId: aws.accountId,
              region: aws.region,
              controllerClusterName: options.clusterName,
            },
          ],
        },
      },
    }),
    logger: mockServices.logger.mock(),
    catalog: { getEntityByRef: async () => entity },
    permissions: {
      authorize: async reqs => reqs.map(() => ({ result: 'ALLOW' as any })),
    },
    cache: CacheManager.fromConfig(new ConfigReader({})).forPlugin(
      'aws-gateway',
    ),
    clusters: new InMemoryKubernetesClusters([
      { name: CLUSTER, kubeConfig: options.kc },
    ]),
  });
  return () =>
    service.getEntityGateways(
      { entityRef: `component:default/${options.component.name}` },
      {
        credentials: {
          $$type: '@backstage/BackstageCredentials',
          principal: { type: 'user', userEntityRef: 'user:default/reader' },
        } as any,
      },
    );
}

/** The controller stand-in for `clusterName` and `namespaces`, created (the classic GatewayClass too). */
async function teamsCluster(
  kc: k8s.KubeConfig,
  clusterName: string,
  namespaces: string[],
): Promise<{
  controller: FakeController;
  elbv2: ElasticLoadBalancingV2Client;
}> {
  const started = await startFakeController(kc, clusterName);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  for (const name of namespaces)
    await core.createNamespace({ body: { metadata: { name } } });
  await ensureClassicGatewayClass(kc);
  return started;
}

/**
 * Points the AWS SDK at `endpoint` (its AWS_ENDPOINT_URL: the product never
 * configures endpoints); returns the undo. Without it the status service
 * would call the public ELBv2 endpoint, and answer only once DNS gave up.
 */
function pointAwsAt(endpoint: string): () => void {
  const before = process.env.AWS_ENDPOINT_URL;
  process.env.AWS_ENDPOINT_URL = endpoint;
  return () => {
    if (before === undefined) delete process.env.AWS_ENDPOINT_URL;
    else process.env.AWS_ENDPOINT_URL = before;
  };
}

/** Undoes teamsCluster. */
async function removeTeams(
  kc: k8s.KubeConfig,
  elbv2: ElasticLoadBalancingV2Client | undefined,
  namespaces: string[],
): Promise<void> {
  elbv2?.destroy();
  const core = kc.makeApiClient(k8s.CoreV1Api);
  for (const name of namespaces)
    await core.deleteNamespace({ name }).catch(() => undefined);
}

describe('status: a Gateway in another team’s namespace cannot claim an entity', () => {
  const kc = kubeConfigFor(PROFILE_V16);
  const nsVictim = uniqueName('rt-victim');
  const nsAttacker = uniqueName('rt-attacker');
  const clusterName = uniqueName('rt');
  const id = uniqueName('payments');
  let elbv2: ElasticLoadBalancingV2Client;
  let victim: ReconcileResult;
  let phishing: ReconcileResult;
  let restoreAws: (() => void) | undefined;

  const statusService = (
    namespaceOwners: Array<{ namespace: string; owners: string[] }>,
  ) =>
    readAsUser({
      kc,
      clusterName,
      component: { name: 'payments', owner: 'group:default/team-payments' },
      annotations: { 'backstage.io/kubernetes-id': id },
      namespaceOwners,
    });

  beforeAll(async () => {
    restoreAws = pointAwsAt(awsPeer().endpoint);
    let controller;
    ({ controller, elbv2 } = await teamsCluster(kc, clusterName, [
      nsVictim,
      nsAttacker,
    ]));
    victim = await programClassicGateway(kc, controller, {
      namespace: nsVictim,
      name: 'payments',
      id,
      entityRef: VICTIM,
      ips: ['192.0.2.10'],
    });
    // The attacker's own namespace: the victim's label and entity ref, the attacker's NLB.
    phishing = await programClassicGateway(kc, controller, {
      namespace: nsAttacker,
      name: 'payments',
      id,
      entityRef: VICTIM,
      ips: ['192.0.2.66'],
    });
  }, 180_000);

  afterAll(async () => {
    restoreAws?.();
    await removeTeams(kc, elbv2, [nsVictim, nsAttacker]);
  });

  it('shows the phishing Gateway when no namespace is given to a team (the annotation is all there is)', async () => {
    const res = await statusService([]);
    expect(res.gateways.map(g => g.gateway.namespace).sort()).toEqual(
      [nsAttacker, nsVictim].sort(),
    );
    // Both read in full from the AWS peer (the phishing NLB is a real one).
    expect(res.errors).toEqual([]);
    expect(res.gateways.every(g => g.errors.length === 0)).toBe(true);
  });

  it("hides the attacker's Gateway, DNS name included, once its namespace is given to the attacker's team", async () => {
    const res = await statusService([
      { namespace: nsAttacker, owners: ['group:default/team-mallory'] },
      { namespace: nsVictim, owners: ['group:default/team-payments'] },
    ]);
    expect(
      res.gateways.map(g => `${g.gateway.namespace}/${g.gateway.name}`),
    ).toEqual([`${nsVictim}/payments`]);
    expect(res.gateways[0].dnsName?.toLowerCase()).toBe(
      victim.dnsName.toLowerCase(),
    );
    expect(JSON.stringify(res).toLowerCase()).not.toContain(
      phishing.dnsName.toLowerCase(),
    );
    expect(JSON.stringify(res)).not.toContain(nsAttacker);
    expect(res.gateways[0].errors).toEqual([]);
  });
});

/**
 * A status read sends all its AWS calls at once, with what the Gateway's
 * status and its TargetGroupBindings name (known before AWS is asked), and
 * uses the answers only once the load balancer's tags say it is this
 * Gateway's and ELBv2 lists each target group for that load balancer.
 * Mallory controls her own namespace: her Gateway's status and bindings.
 * Team B's Gateway is the victim. Moto behind a counting proxy.
 */
describe('status: what a Gateway names is asked of AWS at once, shown only when ELBv2 agrees', () => {
  const aws = awsPeer();
  const kc = kubeConfigFor(PROFILE_V16);
  const nsMallory = uniqueName('rt-spec-m');
  const nsVictim = uniqueName('rt-spec-v');
  const clusterName = uniqueName('rt-spec');
  const custom = kc.makeApiClient(k8s.CustomObjectsApi);
  const TGB = {
    group: 'elbv2.k8s.aws',
    version: 'v1beta1',
    plural: 'targetgroupbindings',
  };
  let proxy: CountingProxy;
  let restoreAws: (() => void) | undefined;
  let elbv2: ElasticLoadBalancingV2Client;
  let controller: FakeController;
  let mallory: ReconcileResult;
  let victim: ReconcileResult;

  const read = () =>
    readAsUser({
      kc,
      clusterName,
      component: { name: 'mallory-app', owner: 'group:default/team-mallory' },
      annotations: { 'aws-gateway.io/gateways': `${nsMallory}/app` },
    });

  /** Every ARN a request to AWS carried, with its operation. */
  const sent = () =>
    proxy.calls.flatMap(c =>
      Object.values(c.params)
        .filter(v => v.startsWith('arn:'))
        .map(arn => ({ operation: c.operation, arn })),
    );

  /** Nothing of the victim's load balancer or targets is in the answer. */
  function expectNothingOfVictim(body: string) {
    expect(body).not.toContain(victim.loadBalancerArn);
    expect(body.toLowerCase()).not.toContain(victim.dnsName.toLowerCase());
    for (const arn of victim.targetGroupArns) expect(body).not.toContain(arn);
    expect(body).not.toContain('192.0.2.88');
  }

  /** Mallory's Gateway's one binding (the controller's), to rewrite and put back. */
  async function malloryBinding(): Promise<any> {
    const list: any = await custom.listNamespacedCustomObject({
      ...TGB,
      namespace: nsMallory,
    });
    expect(list.items).toHaveLength(1);
    return list.items[0];
  }

  async function setBindingArn(arn: string): Promise<void> {
    const binding = await malloryBinding();
    binding.spec.targetGroupARN = arn;
    await custom.replaceNamespacedCustomObject({
      ...TGB,
      namespace: nsMallory,
      name: binding.metadata.name,
      body: binding,
    });
  }

  async function setProgrammedMessage(message: string): Promise<string> {
    const ref = {
      group: 'gateway.networking.k8s.io',
      version: 'v1',
      plural: 'gateways',
      namespace: nsMallory,
      name: 'app',
    };
    const gateway: any = await custom.getNamespacedCustomObject(ref);
    const programmed = gateway.status.conditions.find(
      (c: any) => c.type === 'Programmed',
    );
    const original: string = programmed.message;
    programmed.message = message;
    await custom.replaceNamespacedCustomObjectStatus({ ...ref, body: gateway });
    return original;
  }

  beforeAll(async () => {
    proxy = await startCountingProxy(aws.endpoint);
    restoreAws = pointAwsAt(proxy.endpoint);
    ({ controller, elbv2 } = await teamsCluster(kc, clusterName, [
      nsMallory,
      nsVictim,
    ]));
    victim = await programClassicGateway(kc, controller, {
      namespace: nsVictim,
      name: 'ledger',
      id: uniqueName('ledger'),
      entityRef: 'component:default/ledger',
      ips: ['192.0.2.88'],
    });
    mallory = await programClassicGateway(kc, controller, {
      namespace: nsMallory,
      name: 'app',
      id: uniqueName('mallory'),
      entityRef: 'component:default/mallory-app',
      ips: ['192.0.2.61'],
    });
  }, 180_000);

  afterAll(async () => {
    await proxy?.close();
    restoreAws?.();
    await removeTeams(kc, elbv2, [nsMallory, nsVictim]);
  });

  beforeEach(() => proxy.reset());

  it('control: her own Gateway, one call of each kind (the target group by ARN)', async () => {
    const res = await read();
    const gw = res.gateways[0];
    expect(gw.errors).toEqual([]);
    expect(gw.listeners[0].targetGroups.map(t => [t.arn, t.health])).toEqual([
      [mallory.targetGroupArns[0], expect.objectContaining({ healthy: 1 })],
    ]);
    expect(proxy.calls.map(c => c.operation).sort()).toEqual([
      'DescribeListeners',
      'DescribeLoadBalancers',
      'DescribeTags',
      'DescribeTargetGroups',
      'DescribeTargetHealth',
    ]);
  });

  it("a binding naming the victim's target group: its health is asked for at once and never shown", async () => {
    const [victimTg] = victim.targetGroupArns;
    await setBindingArn(victimTg);
    try {
      const res = await read();
      const gw = res.gateways[0];
      expectNothingOfVictim(JSON.stringify(res));
      // Her own group is still found, through her load balancer's listener.
      expect(gw.listeners[0].targetGroups.map(t => t.arn)).toEqual([
        mallory.targetGroupArns[0],
      ]);
      expect(gw.errors).toContainEqual(
        expect.objectContaining({
          message:
            "1 TargetGroupBinding labelled for this Gateway does not bind one of its load balancer's target groups and was ignored",
        }),
      );
      // The documented price of one round trip: the binding serves her
      // route's backend as the controller's would, so its group was asked
      // about with the others before ELBv2 said whose it is.
      expect(
        sent()
          .filter(c => c.arn === victimTg)
          .map(c => c.operation)
          .sort(),
      ).toEqual(['DescribeTargetGroups', 'DescribeTargetHealth']);
    } finally {
      await setBindingArn(mallory.targetGroupArns[0]);
    }
  });

  it("a status naming the victim's load balancer: only whose it is and its listeners are asked, nothing is shown", async () => {
    const original = await setProgrammedMessage(victim.loadBalancerArn);
    try {
      const res = await read();
      const gw = res.gateways[0];
      expect(gw.loadBalancer).toBeUndefined();
      expect(gw.listeners[0].loadBalancerListener).toBeUndefined();
      expect(gw.listeners[0].targetGroups).toEqual([]);
      expect(JSON.stringify(res.gateways[0].listeners)).not.toContain(
        victim.loadBalancerArn,
      );
      expect(JSON.stringify(res)).not.toContain('192.0.2.88');
      expect(
        sent()
          .filter(c => c.arn === victim.loadBalancerArn)
          .map(c => c.operation)
          .sort(),
      ).toEqual(['DescribeListeners', 'DescribeLoadBalancers', 'DescribeTags']);
      const arns = sent().map(c => c.arn);
      for (const arn of victim.targetGroupArns) expect(arns).not.toContain(arn);
    } finally {
      await setProgrammedMessage(original);
    }
  });

  it.each([
    [
      'another account',
      (arn: string) => arn.replace(aws.accountId, '210987654321'),
    ],
    [
      'another region',
      (arn: string) => arn.replace(`:${aws.region}:`, ':eu-central-1:'),
    ],
  ])('status and binding ARNs of %s are never called', async (_, craft) => {
    const loadBalancer = craft(mallory.loadBalancerArn);
    const targetGroup = craft(mallory.targetGroupArns[0]);
    const original = await setProgrammedMessage(loadBalancer);
    await setBindingArn(targetGroup);
    try {
      const res = await read();
      const arns = sent().map(c => c.arn);
      expect(arns).not.toContain(loadBalancer);
      expect(arns).not.toContain(targetGroup);
      // Found by the controller's tags, her group through its listener.
      const gw = res.gateways[0];
      expect(gw.loadBalancer).toMatchObject({
        arn: mallory.loadBalancerArn,
        foundBy: 'tags',
      });
      expect(gw.listeners[0].targetGroups.map(t => t.arn)).toEqual([
        mallory.targetGroupArns[0],
      ]);
    } finally {
      await setProgrammedMessage(original);
      await setBindingArn(mallory.targetGroupArns[0]);
    }
  });

  describe('after a cached read (the load-balancer structure cache)', () => {
    const MAX_AGE_SECONDS = 2;
    const cachedReader = () =>
      userReader({
        kc,
        clusterName,
        component: { name: 'mallory-app', owner: 'group:default/team-mallory' },
        annotations: { 'aws-gateway.io/gateways': `${nsMallory}/app` },
        structureMaxAgeSeconds: MAX_AGE_SECONDS,
      });
    const operations = () => proxy.calls.map(c => c.operation).sort();

    /** A reader whose cache holds Mallory's own structure (its second read asks health only). */
    async function warmReader() {
      const reader = cachedReader();
      await reader();
      proxy.reset();
      const warm = await reader();
      expect(operations()).toEqual(['DescribeTargetHealth']);
      expect(warm.gateways[0].loadBalancer?.arn).toBe(mallory.loadBalancerArn);
      proxy.reset();
      return reader;
    }

    it("a status rewritten to name the victim's load balancer: nothing of it is shown", async () => {
      const reader = await warmReader();
      const original = await setProgrammedMessage(victim.loadBalancerArn);
      try {
        const res = await reader();
        expect(res.gateways[0].loadBalancer).toBeUndefined();
        expectNothingOfVictim(JSON.stringify(res.gateways[0].listeners));
        expect(JSON.stringify(res)).not.toContain('192.0.2.88');
        expect(res.gateways[0].errors).toContainEqual(
          expect.objectContaining({
            message: expect.stringContaining(
              'is tagged by the controller for another Gateway or cluster',
            ),
          }),
        );
      } finally {
        await setProgrammedMessage(original);
      }
      const restored = await reader();
      expect(restored.gateways[0].loadBalancer?.arn).toBe(
        mallory.loadBalancerArn,
      );
    });

    it("a binding re-pointed to the victim's target group: read in full, the group never shown", async () => {
      const reader = await warmReader();
      const [victimTg] = victim.targetGroupArns;
      await setBindingArn(victimTg);
      try {
        const res = await reader();
        expect(operations()).toEqual(
          expect.arrayContaining([
            'DescribeListeners',
            'DescribeLoadBalancers',
            'DescribeTags',
            'DescribeTargetGroups',
          ]),
        );
        expectNothingOfVictim(JSON.stringify(res));
        expect(
          res.gateways[0].listeners[0].targetGroups.map(t => t.arn),
        ).toEqual([mallory.targetGroupArns[0]]);
        expect(res.gateways[0].errors).toContainEqual(
          expect.objectContaining({
            message:
              "1 TargetGroupBinding labelled for this Gateway does not bind one of its load balancer's target groups and was ignored",
          }),
        );
      } finally {
        await setBindingArn(mallory.targetGroupArns[0]);
      }
    });

    it(`tags changed on her load balancer so it is no longer her Gateway's: not shown once the entry is ${MAX_AGE_SECONDS} s old`, async () => {
      const reader = await warmReader();
      const stack = { Key: 'gateway.k8s.aws.nlb/stack' };
      const setStack = (Value: string) =>
        elbv2.send(
          new AddTagsCommand({
            ResourceArns: [mallory.loadBalancerArn],
            Tags: [{ ...stack, Value }],
          }),
        );
      const retagged = Date.now();
      await setStack(`${nsVictim}/ledger`);
      try {
        let res = await reader();
        // The documented bound: the verdict is believed until the entry is
        // structureMaxAgeSeconds old.
        while (res.gateways[0].loadBalancer) {
          expect(Date.now() - retagged).toBeLessThan(
            (MAX_AGE_SECONDS + 2) * 1000,
          );
          await new Promise(resolve => setTimeout(resolve, 200));
          res = await reader();
        }
        expect(JSON.stringify(res.gateways[0].listeners)).not.toContain(
          mallory.targetGroupArns[0],
        );
      } finally {
        await setStack(`${nsMallory}/app`);
      }
    });
  });
});

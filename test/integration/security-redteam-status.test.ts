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
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
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
import type { ReconcileResult } from '../fixtures/controller';
import {
  awsAccountsConfig,
  awsPeer,
  kubeConfigFor,
  PROFILE_V16,
  uniqueName,
} from '../peers';

const CLUSTER = 'peers';
const VICTIM = 'component:default/payments';

describe('status: a Gateway in another team’s namespace cannot claim an entity', () => {
  const aws = awsPeer();
  const kc = kubeConfigFor(PROFILE_V16);
  const nsVictim = uniqueName('rt-victim');
  const nsAttacker = uniqueName('rt-attacker');
  const clusterName = uniqueName('rt');
  const id = uniqueName('payments');
  let elbv2: ElasticLoadBalancingV2Client;
  let victim: ReconcileResult;
  let phishing: ReconcileResult;

  function statusService(
    namespaceOwners: Array<{ namespace: string; owners: string[] }>,
  ) {
    const registry = new InMemoryKubernetesClusters([
      { name: CLUSTER, kubeConfig: kc },
    ]);
    const entity: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'payments',
        namespace: 'default',
        annotations: { 'backstage.io/kubernetes-id': id },
      },
      spec: { owner: 'group:default/team-payments' },
    };
    const service = createGatewayStatusService({
      config: new ConfigReader({
        aws: awsAccountsConfig(aws),
        awsGateway: {
          status: {
            cacheTtlSeconds: 0,
            namespaceOwners,
            clusters: [
              {
                name: CLUSTER,
                accountId: aws.accountId,
                region: aws.region,
                controllerClusterName: clusterName,
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
      clusters: registry,
    });
    return service.getEntityGateways(
      { entityRef: VICTIM },
      {
        credentials: {
          $$type: '@backstage/BackstageCredentials',
          principal: { type: 'user', userEntityRef: 'user:default/victim' },
        } as any,
      },
    );
  }

  beforeAll(async () => {
    let controller;
    ({ controller, elbv2 } = await startFakeController(kc, clusterName));
    const core = kc.makeApiClient(k8s.CoreV1Api);
    for (const name of [nsVictim, nsAttacker])
      await core.createNamespace({ body: { metadata: { name } } });
    await ensureClassicGatewayClass(kc);
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
    elbv2?.destroy();
    const core = kc.makeApiClient(k8s.CoreV1Api);
    for (const name of [nsVictim, nsAttacker])
      await core.deleteNamespace({ name }).catch(() => undefined);
  });

  it('shows the phishing Gateway when no namespace is given to a team (the annotation is all there is)', async () => {
    const res = await statusService([]);
    expect(res.gateways.map(g => g.gateway.namespace).sort()).toEqual(
      [nsAttacker, nsVictim].sort(),
    );
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
  });
});

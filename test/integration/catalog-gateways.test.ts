/**
 * Integration: Gateways as catalog Resources. A real catalog backend
 * (startTestBackend) with the catalog module and the Kubernetes backend,
 * whose only cluster is the peer kube-apiserver with the real Gateway API and
 * LBC CRDs. The Gateways and their status are written as the AWS Load
 * Balancer Controller writes them; the provider publishes them through the
 * Kubernetes plugin's proxy, and the catalog's REST API shows each Resource
 * with its owner and its relation to the component it exposes; a Gateway of
 * a namespace given to another team gets the default owner and no relation;
 * a removed Gateway's Resource disappears.
 */
import { ServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { GATEWAY_RESOURCE_TYPE } from '@gateway-portal/plugin-aws-gateway-common';
import { gatewayResourceName } from '@gateway-portal/plugin-catalog-backend-module-aws-gateway';
import * as k8s from '@kubernetes/client-node';
import { readFileSync } from 'node:fs';
import { Server } from 'node:http';
import {
  applyNlbGateway,
  createGatewayClass,
  deleteGateway,
  deleteGatewayClass,
} from '../fixtures/nlbGatewayObjects';
import { kubeConfigFor, PROFILE_V16, uniqueName } from '../peers';
import { catalogEntitiesModule } from './support/catalogEntities';

const CLUSTER = 'peers-catalog';
const TASK = 'aws-gateway-entity-provider:refresh';
const ARN =
  'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/k8s-web-0123456789/0123456789abcdef';

const suffix = uniqueName('cat');
const teamNamespace = `${suffix}-a`;
const otherTeamNamespace = `${suffix}-b`;
const gatewayClass = `nlb-${suffix}`;
const otherClass = `other-${suffix}`;
const component = `web-${suffix}`;

/** The catalog's users of the Resources: a component of team A in system shop, and the groups. */
const CATALOG_ENTITIES: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: component, namespace: 'default' },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/team-a',
      system: 'shop',
    },
  },
  ...['team-a', 'team-b', 'platform'].map(name => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', children: [] },
  })),
];

/** The component and groups, in the catalog as a location would put them. */
const testEntities = catalogEntitiesModule('test-entities', CATALOG_ENTITIES);

/** The scheduler of the test backend, whose tasks the test runs itself. */
interface ManualScheduler {
  factory(options?: { skipTaskRunOnStartup?: boolean }): ServiceFactory;
  triggerTask(id: string): Promise<void>;
}

/** The peer API server as the Kubernetes plugin's configuration names it. */
function kubernetesConfig(kc: k8s.KubeConfig) {
  const cluster = kc.getCurrentCluster()!;
  const caData =
    cluster.caData ??
    (cluster.caFile
      ? readFileSync(cluster.caFile).toString('base64')
      : undefined);
  return {
    serviceLocatorMethod: { type: 'multiTenant' },
    clusterLocatorMethods: [
      {
        type: 'config',
        clusters: [
          {
            name: CLUSTER,
            url: cluster.server,
            authProvider: 'serviceAccount',
            serviceAccountToken: kc.getCurrentUser()!.token,
            caData,
          },
        ],
      },
    ],
  };
}

describe('Gateways as catalog Resources, in a real catalog', () => {
  let kc: k8s.KubeConfig;
  let server: Server & { stop?: () => Promise<void> };
  let stop: () => Promise<void>;
  const scheduler = mockServices.scheduler() as unknown as ManualScheduler;

  async function catalogGet(path: string): Promise<Response> {
    const { port } = server.address() as { port: number };
    return fetch(`http://localhost:${port}/api/catalog${path}`, {
      headers: { Authorization: mockCredentials.user.header() },
    });
  }

  /** The entity once the catalog has processed it (its relations present), or undefined after `timeoutMs`. */
  async function waitForEntity(
    kind: string,
    name: string,
    until: (entity: Entity | undefined) => boolean,
    timeoutMs = 60_000,
  ): Promise<Entity | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const res = await catalogGet(`/entities/by-name/${kind}/default/${name}`);
      const entity = res.ok ? ((await res.json()) as Entity) : undefined;
      if (until(entity)) return entity;
      if (Date.now() > deadline) {
        throw new Error(
          `${kind}:default/${name} did not reach the expected state: ${JSON.stringify(
            entity,
          )}`,
        );
      }
      await new Promise(r => setTimeout(r, 500));
    }
  }

  /** Team A's component's Gateway, as the expose template writes it and the controller reports it. */
  const webGateway = (namespace: string) =>
    applyNlbGateway(kc, {
      namespace,
      name: 'web',
      gatewayClassName: gatewayClass,
      entityRef: `component:default/${component}`,
      listeners: [
        { port: 8080, protocol: 'TCP' },
        { port: 5353, protocol: 'UDP' },
      ],
      loadBalancer: {
        scheme: 'internet-facing',
        sourceRanges: ['203.0.113.0/24'],
      },
      programmed: {
        dnsName: `web-${suffix}.elb.eu-west-1.amazonaws.com`,
        arn: ARN,
      },
    });

  beforeAll(async () => {
    kc = kubeConfigFor(PROFILE_V16);
    const core = kc.makeApiClient(k8s.CoreV1Api);
    for (const name of [teamNamespace, otherTeamNamespace]) {
      await core.createNamespace({ body: { metadata: { name } } });
    }
    await createGatewayClass(kc, gatewayClass);
    await createGatewayClass(kc, otherClass, 'example.com/gateway-controller');
    await webGateway(teamNamespace);
    // Team B's namespace names team A's component: it may not claim it.
    await webGateway(otherTeamNamespace);
    // Another controller's Gateway is no NLB endpoint.
    await applyNlbGateway(kc, {
      namespace: teamNamespace,
      name: 'not-nlb',
      gatewayClassName: otherClass,
      listeners: [{ port: 9000, protocol: 'TCP' }],
    });

    const backend = await startTestBackend({
      features: [
        import('@backstage/plugin-catalog-backend'),
        import('@backstage/plugin-kubernetes-backend'),
        import('@gateway-portal/plugin-catalog-backend-module-aws-gateway'),
        testEntities,
        scheduler.factory({ skipTaskRunOnStartup: true }),
        mockServices.rootLogger.factory({ level: 'warn' }),
        mockServices.rootConfig.factory({
          data: {
            kubernetes: kubernetesConfig(kc),
            awsGateway: {
              catalog: { defaultOwner: 'group:default/platform' },
              status: {
                namespaceOwners: [
                  {
                    namespace: otherTeamNamespace,
                    owners: ['group:default/team-b'],
                  },
                ],
                clusters: [
                  {
                    name: CLUSTER,
                    region: 'eu-west-1',
                    accountId: '123456789012',
                  },
                ],
              },
            },
          },
        }),
      ],
    });
    server = backend.server as typeof server;
    stop = () => backend.stop();
  });

  afterAll(async () => {
    await stop?.();
    const core = kc.makeApiClient(k8s.CoreV1Api);
    for (const name of [teamNamespace, otherTeamNamespace]) {
      await core.deleteNamespace({ name }).catch(() => undefined);
    }
    for (const name of [gatewayClass, otherClass]) {
      await deleteGatewayClass(kc, name);
    }
  });

  it('publishes each NLB Gateway as a Resource owned like its component, related to it', async () => {
    // The provider reads components from the catalog: let it have them first.
    await waitForEntity('component', component, e => Boolean(e));
    await scheduler.triggerTask(TASK);
    const name = gatewayResourceName(CLUSTER, teamNamespace, 'web');
    const resource = (await waitForEntity('resource', name, e =>
      Boolean(e?.relations?.some(r => r.type === 'dependencyOf')),
    ))!;
    expect(resource.spec).toEqual({
      type: GATEWAY_RESOURCE_TYPE,
      owner: 'group:default/team-a',
      dependencyOf: [`component:default/${component}`],
      system: 'system:default/shop',
    });
    expect(resource.metadata.annotations).toMatchObject({
      'aws-gateway.io/cluster': CLUSTER,
      'aws-gateway.io/gateway-namespace': teamNamespace,
      'aws-gateway.io/gateway-name': 'web',
      'aws-gateway.io/dns-name': `web-${suffix}.elb.eu-west-1.amazonaws.com`,
      'aws-gateway.io/scheme': 'internet-facing',
      'aws-gateway.io/listeners': 'UDP:5353,TCP:8080',
      'aws-gateway.io/source-ranges': '203.0.113.0/24',
      'aws-gateway.io/state': 'programmed',
    });
    expect(resource.metadata.links?.[0].url).toMatch(
      /^https:\/\/eu-west-1\.console\.aws\.amazon\.com\/ec2\/home\?region=eu-west-1#LoadBalancer:loadBalancerArn=/,
    );
    expect(resource.relations).toEqual(
      expect.arrayContaining([
        { type: 'ownedBy', targetRef: 'group:default/team-a' },
        { type: 'dependencyOf', targetRef: `component:default/${component}` },
        { type: 'partOf', targetRef: 'system:default/shop' },
      ]),
    );
    // The catalog graph's other side: the component depends on its endpoint.
    const web = await waitForEntity('component', component, e =>
      Boolean(
        e?.relations?.some(
          r =>
            r.type === 'dependsOn' &&
            r.targetRef === `resource:default/${name}`,
        ),
      ),
    );
    expect(web).toBeDefined();
  });

  it('attack: a namespace given to team B cannot take team A’s component; another controller’s Gateway is not published', async () => {
    const name = gatewayResourceName(CLUSTER, otherTeamNamespace, 'web');
    const resource = (await waitForEntity('resource', name, e => Boolean(e)))!;
    expect(resource.spec).toEqual({
      type: GATEWAY_RESOURCE_TYPE,
      owner: 'group:default/platform',
    });
    expect(
      resource.metadata.annotations?.['aws-gateway.io/owner-fallback'],
    ).toBe('not-linked');
    const res = await catalogGet(
      `/entities?filter=kind=resource,spec.type=${GATEWAY_RESOURCE_TYPE},metadata.annotations.aws-gateway.io/cluster=${CLUSTER}`,
    );
    const names = ((await res.json()) as Entity[]).map(e => e.metadata.name);
    expect(names).not.toContain(
      gatewayResourceName(CLUSTER, teamNamespace, 'not-nlb'),
    );
  });

  it('removes the Resource of a removed Gateway', async () => {
    await deleteGateway(kc, otherTeamNamespace, 'web');
    await scheduler.triggerTask(TASK);
    const name = gatewayResourceName(CLUSTER, otherTeamNamespace, 'web');
    await waitForEntity('resource', name, e => e === undefined);
    expect(
      await waitForEntity(
        'resource',
        gatewayResourceName(CLUSTER, teamNamespace, 'web'),
        e => Boolean(e),
      ),
    ).toBeDefined();
  });
});

import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ServiceUnavailableError } from '@backstage/errors';
import {
  CONTROLLER_PROFILES,
  FormService,
} from '@gateway-portal/plugin-aws-gateway-common';
import { DetectedControllerProfile } from '@gateway-portal/plugin-aws-gateway-node';
import { InMemoryKubernetesClusters } from '@gateway-portal/plugin-aws-gateway-node/testUtils';
import { ApiException, KubeConfig } from '@kubernetes/client-node';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { awsGatewayPlugin } from '../plugin';
import { FormClusterReader } from './clusterReads';
import { FormOptionsService } from './FormOptionsService';
import { EndpointFormOptions, ManagedObjectsReader } from './endpointOptions';
import { createFormOptionsRouter } from './router';
import { SharedGatewayFormOptions } from './sharedGatewayOptions';

const ALICE = 'user:default/alice'; // team-a
const BOB = 'user:default/bob'; // team-b
const PLATFORM = 'user:default/pat'; // platform team

const MEMBERSHIP: Record<string, string[]> = {
  [ALICE]: [ALICE, 'group:default/team-a'],
  [BOB]: [BOB, 'group:default/team-b'],
  [PLATFORM]: [PLATFORM, 'group:default/platform'],
};

const SERVICES: Record<string, FormService[]> = {
  'team-a-apps': [
    {
      name: 'orders',
      type: 'ClusterIP',
      ports: [{ name: 'tcp', port: 3000, protocol: 'TCP' }],
    },
  ],
  default: [
    { name: 'backend', ports: [{ port: 3000, protocol: 'TCP' }] },
    { name: 'api', ports: [{ port: 80, protocol: 'TCP' }] },
  ],
};

const V16: DetectedControllerProfile = {
  profile: CONTROLLER_PROFILES['lbc-v3.5'],
  routeApiVersions: {
    TCPRoute: ['gateway.networking.k8s.io/v1'],
    UDPRoute: ['gateway.networking.k8s.io/v1'],
    TLSRoute: ['gateway.networking.k8s.io/v1'],
  },
  lbcApiVersions: ['gateway.k8s.aws/v1', 'gateway.k8s.aws/v1beta1'],
};

const config = {
  awsGateway: {
    permissions: { platformTeams: ['group:default/platform'] },
    status: {
      namespaceOwners: [
        { namespace: 'team-a-apps', owners: ['group:default/team-a'] },
      ],
    },
    provisioning: {
      allowedClusters: ['dev', 'ghost'],
      gateways: {
        allowedNamespaces: ['default', 'team-a-apps', 'kube-system'],
        allowedListenerPorts: ['1024-65535'],
      },
    },
  },
};

function fakeReader(failure?: { error: Error }): FormClusterReader & {
  calls: string[];
} {
  const calls: string[] = [];
  const maybeFail = () => {
    if (failure) throw failure.error;
  };
  return {
    calls,
    async listNamespaces() {
      calls.push('namespaces');
      maybeFail();
      return ['kube-system', 'team-a-apps', 'default', 'other'];
    },
    async listServices(_kc: KubeConfig, namespace: string) {
      calls.push(`services ${namespace}`);
      maybeFail();
      return SERVICES[namespace] ?? [];
    },
    async detectProfile() {
      calls.push('discovery');
      maybeFail();
      return V16;
    },
  };
}

// "prod" is the Kubernetes plugin's but not allowed; "ghost" is allowed but not the Kubernetes plugin's.
const registry = new InMemoryKubernetesClusters([
  { name: 'dev', title: 'Development', kubeConfig: new KubeConfig() },
  { name: 'prod', kubeConfig: new KubeConfig() },
]);

async function start(
  reader = fakeReader(),
  sharedGateways?: SharedGatewayFormOptions,
  endpointsOf?: (service: FormOptionsService) => EndpointFormOptions,
) {
  const logger = mockServices.logger.mock();
  const userInfo = mockServices.userInfo.mock({
    getUserInfo: async credentials => {
      const ref = (credentials.principal as { userEntityRef: string })
        .userEntityRef;
      return { userEntityRef: ref, ownershipEntityRefs: MEMBERSHIP[ref] };
    },
  });
  const service = new FormOptionsService({
    ...FormOptionsService.settingsFromConfig(new ConfigReader(config)),
    logger,
    userInfo,
    clusters: registry,
    reader,
  });
  const plugin = createBackendPlugin({
    pluginId: 'aws-gateway',
    register(env) {
      env.registerInit({
        deps: {
          httpRouter: coreServices.httpRouter,
          httpAuth: coreServices.httpAuth,
          config: coreServices.rootConfig,
        },
        async init(deps) {
          deps.httpRouter.use(
            await createFormOptionsRouter({
              ...deps,
              logger,
              userInfo,
              clusters: registry,
              service,
              ...(sharedGateways ? { sharedGateways } : {}),
              ...(endpointsOf ? { endpoints: endpointsOf(service) } : {}),
            }),
          );
        },
      });
    },
  });
  const { server } = await startTestBackend({
    features: [plugin, mockServices.rootConfig.factory({ data: config })],
  });
  const as = (user: string) => ({
    get: (path: string) =>
      request(server)
        .get(`/api/aws-gateway/form-options${path}`)
        .set('Authorization', mockCredentials.user.header(user)),
    post: (path: string, body: object) =>
      request(server)
        .post(`/api/aws-gateway/form-options${path}`)
        .set('Authorization', mockCredentials.user.header(user))
        .send(body),
  });
  return { server, as, reader, logger };
}

describe('form options routes', () => {
  it('refuses requests without a signed-in user', async () => {
    const { server } = await start();
    const res = await request(server)
      .get('/api/aws-gateway/form-options/guardrails')
      .set('Authorization', mockCredentials.none.header());
    expect(res.status).toBe(401);
    const service = await request(server)
      .get('/api/aws-gateway/form-options/guardrails')
      .set('Authorization', mockCredentials.service.header());
    expect(service.status).toBe(403);
  });

  it('shows the guardrails the actions enforce', async () => {
    const { as } = await start();
    const res = await as(ALICE).get('/guardrails');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      allowedListenerPorts: [{ from: 1024, to: 65535 }],
      internetFacingNeedsSourceCidrs: true,
      minSourceRangePrefixLength: { ipv4: 8, ipv6: 32 },
      allowedNamespaces: ['default', 'team-a-apps', 'kube-system'],
      defaultControllerProfile: 'lbc-v3.5',
    });
  });

  it('lists only allowed, configured clusters with the detected controller profile', async () => {
    const { as, reader } = await start();
    const res = await as(ALICE).get('/clusters');
    expect(res.status).toBe(200);
    expect(res.body.clusters).toEqual([
      {
        name: 'dev',
        title: 'Development',
        controllerProfile: {
          id: 'lbc-v3.5',
          title: CONTROLLER_PROFILES['lbc-v3.5'].title,
        },
      },
    ]);
    await as(ALICE).get('/clusters');
    expect(reader.calls.filter(c => c === 'discovery')).toHaveLength(1);
  });

  it("says why a cluster shows no profile, without the API server's text", async () => {
    const { as } = await start(
      fakeReader({
        error: new ApiException(
          403,
          'Forbidden',
          '{"message":"system:serviceaccount:x cannot list at https://10.0.0.1"}',
          {},
        ),
      }),
    );
    const res = await as(ALICE).get('/clusters');
    expect(res.status).toBe(200);
    expect(res.body.clusters[0].problem).toMatch(
      /The portal may not read the API discovery on cluster dev/,
    );
    expect(JSON.stringify(res.body)).not.toMatch(/10\.0\.0\.1|serviceaccount/);
  });

  it('gives a developer the allowed namespaces not given to another team; a platform engineer all allowed ones', async () => {
    const { as } = await start();
    const bob = await as(BOB).get('/clusters/dev/namespaces');
    expect(bob.status).toBe(200);
    expect(bob.body).toEqual({ namespaces: ['default', 'kube-system'] });
    const alice = await as(ALICE).get('/clusters/dev/namespaces');
    expect(alice.body).toEqual({
      namespaces: ['default', 'kube-system', 'team-a-apps'],
    });
    const pat = await as(PLATFORM).get('/clusters/dev/namespaces');
    expect(pat.body).toEqual({
      namespaces: ['default', 'kube-system', 'team-a-apps'],
    });
  });

  it('lists Services and their ports in a namespace the user may use', async () => {
    const { as } = await start();
    const res = await as(ALICE).get(
      '/clusters/dev/namespaces/team-a-apps/services',
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ services: SERVICES['team-a-apps'] });
    const sorted = await as(BOB).get(
      '/clusters/dev/namespaces/default/services',
    );
    expect(sorted.body.services.map((s: FormService) => s.name)).toEqual([
      'api',
      'backend',
    ]);
  });

  it("refuses another team's namespace (403) without reading the cluster", async () => {
    const { as, reader } = await start();
    const res = await as(BOB).get(
      '/clusters/dev/namespaces/team-a-apps/services',
    );
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe(
      'Namespace team-a-apps belongs to another team; choose a namespace of your team',
    );
    const notAllowed = await as(PLATFORM).get(
      '/clusters/dev/namespaces/other/services',
    );
    expect(notAllowed.status).toBe(403);
    expect(reader.calls).toEqual([]);
  });

  it('refuses clusters the actions may not use (403), unknown ones (404) and malformed names (400)', async () => {
    const { as, reader } = await start();
    const prod = await as(PLATFORM).get('/clusters/prod/namespaces');
    expect(prod.status).toBe(403);
    expect(prod.body.error.message).not.toMatch(/awsGateway/);
    const ghost = await as(PLATFORM).get('/clusters/ghost/namespaces');
    expect(ghost.status).toBe(404);
    expect(ghost.body.error.message).toBe('Cluster ghost is not available');
    const bad = await as(PLATFORM).get(
      '/clusters/dev/namespaces/..%2Fetc/services',
    );
    expect(bad.status).toBe(400);
    expect(reader.calls).toEqual([]);
  });

  it('answers 503 when the cluster fails, naming the cluster and not its address', async () => {
    const unreachable = Object.assign(
      new Error('connect ECONNREFUSED 10.1.2.3:6443'),
      {
        code: 'ECONNREFUSED',
      },
    );
    const { as } = await start(fakeReader({ error: unreachable }));
    const res = await as(ALICE).get('/clusters/dev/namespaces');
    expect(res.status).toBe(503);
    expect(res.body.error.message).toBe(
      'Could not list namespaces on cluster dev (ECONNREFUSED); try again in a moment',
    );
    expect(res.body.error.stack).toBeUndefined();
    const deadline = await start(
      fakeReader({
        error: new ServiceUnavailableError(
          "Reading the API discovery: the cluster's API server did not answer within 10 s",
        ),
      }),
    );
    const clusters = await deadline.as(ALICE).get('/clusters');
    expect(clusters.body.clusters[0].problem).toBe(
      "Cluster dev: Reading the API discovery: the cluster's API server did not answer within 10 s",
    );
  });

  describe('endpoint check', () => {
    const valid = {
      cluster: 'dev',
      namespace: 'default',
      serviceName: 'backend',
      servicePort: 3000,
      gatewayName: 'aws-tcp-gateway',
      listenerName: 'tcp-app',
      listenerPort: 8080,
      protocol: 'TCP',
      routeName: 'tcp-backend-aws',
      scheme: 'internal',
    };

    it('lists the files the commit will write and the detected profile', async () => {
      const { as } = await start();
      const res = await as(BOB).post('/endpoint-check', valid);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        controllerProfile: { id: 'lbc-v3.5', source: 'cluster' },
        targetPath: 'gateways/default/aws-tcp-gateway',
        files: [
          'gateways/default/aws-tcp-gateway/loadbalancerconfiguration-aws-tcp-gateway.yaml',
          'gateways/default/aws-tcp-gateway/targetgroupconfiguration-backend.yaml',
          'gateways/default/aws-tcp-gateway/gateway-aws-tcp-gateway.yaml',
          'gateways/default/aws-tcp-gateway/tcproute-tcp-backend-aws.yaml',
        ],
        issues: [],
      });
    });

    it('uses the platform default profile without a cluster and a TLS route for TLS', async () => {
      const { as } = await start();
      const res = await as(BOB).post('/endpoint-check', {
        ...valid,
        cluster: '',
        protocol: 'TLS',
        tlsHostname: 'db.example.com',
      });
      expect(res.body.controllerProfile).toMatchObject({
        id: 'lbc-v3.5',
        source: 'configuration',
      });
      expect(res.body.files).toContain(
        'gateways/default/aws-tcp-gateway/tlsroute-tcp-backend-aws.yaml',
      );
      expect(res.body.issues).toEqual([]);
    });

    it('speaks to the developer about the guardrails, naming the form field, without configuration keys', async () => {
      const { as, logger } = await start();
      const res = await as(BOB).post('/endpoint-check', {
        ...valid,
        namespace: 'team-a-apps',
        listenerPort: 80,
        scheme: 'internet-facing',
        sourceCidrs: [],
        protocol: 'TLS',
      });
      expect(res.status).toBe(200);
      const byField = Object.fromEntries(
        res.body.issues.map((i: { field: string; rule: string }) => [
          i.field,
          i.rule,
        ]),
      );
      expect(byField).toEqual({
        namespace: 'namespace-not-usable',
        listenerPort: 'listener-port-not-allowed',
        sourceCidrs: 'open-to-world',
        tlsHostname: 'tls-hostname-required',
      });
      const text = JSON.stringify(res.body.issues);
      expect(text).not.toMatch(/awsGateway|listeners\[0\]/);
      expect(text).toMatch(/Listener port: 80 is not an allowed listener port/);
      expect(logger.info).toHaveBeenCalledWith(
        expect.stringMatching(
          /awsGateway\.provisioning\.gateways\.allowOpenToWorld/,
        ),
      );
    });

    it('refuses a profile the cluster does not serve, and malformed input with the field named', async () => {
      const { as } = await start();
      const mismatch = await as(BOB).post('/endpoint-check', {
        ...valid,
        controllerProfile: 'lbc-v2.17',
      });
      expect(mismatch.body.issues).toEqual([
        expect.objectContaining({
          field: 'controllerProfile',
          rule: 'controller-profile-mismatch',
        }),
      ]);
      const bad = await as(BOB).post('/endpoint-check', {
        ...valid,
        listenerPort: 'eighty',
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(
        /^listenerPort Invalid input: expected number/,
      );
    });

    it("on a shared gateway, shows what shared-listener would refuse for the Service's TargetGroupConfiguration and what the check could not see; another team's namespace is not read", async () => {
      const taken = {
        field: 'serviceName',
        rule: 'shared-target-group-configuration-taken',
        message:
          'Service default/backend already has TargetGroupConfiguration db (proposed in … by pull request …): the controller applies only one per Service',
      };
      const checkTargetGroupConfiguration = jest.fn(async () => ({
        issues: [taken],
        notes: [
          'The TargetGroupConfiguration check could not see every file: …',
        ],
      }));
      const { as } = await start(fakeReader(), {
        checkTargetGroupConfiguration,
      } as unknown as SharedGatewayFormOptions);
      const shared = {
        ...valid,
        gatewayKind: 'shared',
        sharedGateway: 'dev/platform-gateways/shared-nlb',
        protocol: 'TLS',
        tlsHostname: 'db.apps.example.com',
      };
      const res = await as(BOB).post('/endpoint-check', shared);
      expect(res.status).toBe(200);
      expect(res.body.issues).toEqual([taken]);
      expect(res.body.notes).toEqual([
        'The TargetGroupConfiguration check could not see every file: …',
      ]);
      expect(checkTargetGroupConfiguration).toHaveBeenCalledWith(
        expect.objectContaining({
          gatewayKind: 'shared',
          sharedGateway: 'dev/platform-gateways/shared-nlb',
          namespace: 'default',
          serviceName: 'backend',
          protocol: 'TLS',
        }),
        expect.objectContaining({ signal: expect.anything() }),
      );

      checkTargetGroupConfiguration.mockClear();
      const other = await as(BOB).post('/endpoint-check', {
        ...shared,
        namespace: 'team-a-apps',
      });
      expect(other.body.issues.map((i: { rule: string }) => i.rule)).toEqual([
        'namespace-not-usable',
      ]);
      expect(other.body.notes).toBeUndefined();
      expect(checkTargetGroupConfiguration).not.toHaveBeenCalled();

      const malformed = await as(BOB).post('/endpoint-check', {
        ...shared,
        gatewayKind: 'both',
      });
      expect(malformed.status).toBe(400);
      expect(malformed.body.error.message).toMatch(/^gatewayKind /);
    });
  });
});

describe('endpoint picker', () => {
  const managed = { 'app.kubernetes.io/managed-by': 'backstage-aws-gateway' };
  const claim = (ref: string) => ({ 'aws-gateway.io/entity-ref': ref });
  const OBJECTS: Record<string, unknown[]> = {
    gateways: [
      {
        metadata: {
          name: 'db',
          labels: managed,
          annotations: claim('component:default/orders'),
        },
        spec: { listeners: [{ name: 'tcp', port: 5432, protocol: 'TCP' }] },
      },
    ],
    tlsroutes: [
      {
        metadata: {
          name: 'db-tls',
          labels: managed,
          annotations: {
            ...claim('orders'),
            'aws-gateway.io/listener-port': '20043',
          },
        },
        spec: {
          parentRefs: [
            { name: 'shared', namespace: 'infra', sectionName: 'team-db' },
          ],
          hostnames: ['db.apps.example.com'],
        },
      },
    ],
  };
  const SHARED = {
    id: 'dev/infra/shared',
    cluster: 'dev',
    namespace: 'infra',
    name: 'shared',
    title: 'Shared NLB',
    gitops: {
      repoUrl: 'https://git.example.com/p/r',
      path: 'g.yaml',
      branch: 'main',
    },
    listenerPorts: [{ from: 20000, to: 20099 }],
    protocols: ['TCP', 'TLS'] as ('TCP' | 'TLS')[],
    tlsHostnames: ['*.apps.example.com'],
    allowedRoutes: { from: 'All' as const },
  };
  function fakeObjects(more = false) {
    const calls: string[] = [];
    const reader: ManagedObjectsReader = {
      async listManaged(_kc, resource, namespace, { limit }) {
        calls.push(
          `${resource.plural}.${resource.version} ${namespace} limit ${limit}`,
        );
        return { items: OBJECTS[resource.plural] ?? [], more };
      },
    };
    return { calls, reader };
  }
  const startWith = (
    objects: ReturnType<typeof fakeObjects>,
    reader = fakeReader(),
  ) =>
    start(
      reader,
      undefined,
      service =>
        new EndpointFormOptions({
          service,
          sharedGateways: [SHARED],
          reader: objects.reader,
        }),
    );
  const query = (q: Record<string, string>) =>
    `/endpoints?${new URLSearchParams(q)}`;

  it("lists the component's Gateways and its shared listeners, read in the route versions the cluster serves", async () => {
    const objects = fakeObjects();
    const { as } = await startWith(objects);
    const res = await as(BOB).get(
      query({
        cluster: 'dev',
        namespace: 'default',
        entityRef: 'Component:default/Orders',
      }),
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      endpoints: [
        {
          name: 'db',
          kind: 'gateway',
          listeners: [{ name: 'tcp', port: 5432, protocol: 'TCP' }],
        },
        {
          name: 'db-tls',
          kind: 'shared-listener',
          listeners: [
            {
              name: 'team-db',
              port: 20043,
              protocol: 'TLS',
              hostname: 'db.apps.example.com',
            },
          ],
          sharedGateway: {
            id: 'dev/infra/shared',
            title: 'Shared NLB',
            protocols: ['TCP', 'TLS'],
            tlsHostnames: ['*.apps.example.com'],
          },
        },
      ],
    });
    expect(objects.calls.sort()).toEqual([
      'gateways.v1 default limit 200',
      'tcproutes.v1 default limit 200',
      'tlsroutes.v1 default limit 200',
      'udproutes.v1 default limit 200',
    ]);
    // Another component's ref lists nothing.
    const other = await as(BOB).get(
      query({ cluster: 'dev', namespace: 'default', entityRef: 'billing' }),
    );
    expect(other.body).toEqual({ endpoints: [] });
  });

  it('reads each route kind in the version the cluster serves, and skips a kind it does not serve', async () => {
    const objects = fakeObjects();
    const older: DetectedControllerProfile = {
      routeApiVersions: {
        TCPRoute: ['gateway.networking.k8s.io/v1alpha2'],
        UDPRoute: [],
        TLSRoute: [
          'gateway.networking.k8s.io/v1',
          'gateway.networking.k8s.io/v1alpha2',
        ],
      },
      lbcApiVersions: ['gateway.k8s.aws/v1beta1'],
    };
    const { as } = await startWith(objects, {
      ...fakeReader(),
      detectProfile: async () => older,
    });
    const res = await as(BOB).get(
      query({ cluster: 'dev', namespace: 'default', entityRef: 'orders' }),
    );
    expect(res.status).toBe(200);
    expect(objects.calls.sort()).toEqual([
      'gateways.v1 default limit 200',
      'tcproutes.v1alpha2 default limit 200',
      'tlsroutes.v1 default limit 200',
    ]);
  });

  it("answers 503 when a list fails, naming the cluster and the read, not the API server's text", async () => {
    const failing = {
      calls: [] as string[],
      reader: {
        async listManaged() {
          throw new ApiException(
            500,
            'Internal',
            '{"message":"etcd at https://10.0.0.1:2379 timed out"}',
            {},
          );
        },
      },
    };
    const { as } = await startWith(failing);
    const res = await as(BOB).get(
      query({ cluster: 'dev', namespace: 'default', entityRef: 'orders' }),
    );
    expect(res.status).toBe(503);
    expect(res.body.error.message).toMatch(
      /^Could not list (Gateways|TCPRoutes|UDPRoutes|TLSRoutes) in namespace default on cluster dev \(HTTP 500\)/,
    );
    expect(JSON.stringify(res.body)).not.toMatch(/10\.0\.0\.1|etcd/);
  });

  it('lists what it could read when the user may not list one kind, naming that kind and why', async () => {
    const objects = fakeObjects();
    const refusing = {
      calls: objects.calls,
      reader: {
        async listManaged(
          ...args: Parameters<ManagedObjectsReader['listManaged']>
        ) {
          if (args[1].plural === 'tlsroutes') {
            throw new ApiException(
              403,
              'Forbidden',
              '{"message":"tlsroutes is forbidden: User \\"bob\\" cannot list"}',
              {},
            );
          }
          return objects.reader.listManaged(...args);
        },
      },
    };
    const { as } = await startWith(refusing);
    const res = await as(BOB).get(
      query({ cluster: 'dev', namespace: 'default', entityRef: 'orders' }),
    );
    expect(res.status).toBe(200);
    // The Gateway is listed; the shared TLS listener (a TLSRoute) could not be.
    expect(res.body.endpoints.map((e: { name: string }) => e.name)).toEqual([
      'db',
    ]);
    expect(res.body.problem).toMatch(
      /^TLSRoutes could not be read, so no endpoint of that kind is listed: .*TLSRoutes in namespace default on cluster dev/,
    );
    expect(res.body.problem).not.toContain('forbidden: User');
  });

  it('says when only the first objects were read', async () => {
    const { as } = await startWith(fakeObjects(true));
    const res = await as(BOB).get(
      query({ cluster: 'dev', namespace: 'default', entityRef: 'orders' }),
    );
    expect(res.status).toBe(200);
    expect(res.body.problem).toBe(
      'Only the first 200 Gateways, TCPRoutes, UDPRoutes, TLSRoutes of the portal in namespace default were read; if yours is not listed, type its name',
    );
  });

  it('refuses malformed input naming the field, before reading anything', async () => {
    const objects = fakeObjects();
    const { as, reader } = await startWith(objects);
    const cases: [Record<string, string>, RegExp][] = [
      [
        { cluster: 'dev', namespace: 'Not_A_Name', entityRef: 'orders' },
        /^namespace must be a DNS label$/,
      ],
      [
        { cluster: 'dev;rm', namespace: 'default', entityRef: 'orders' },
        /^cluster must be a cluster name$/,
      ],
      [
        { cluster: 'dev', namespace: 'default', entityRef: 'component:' },
        /^entityRef must be an entity ref/,
      ],
      [{ cluster: 'dev', namespace: 'default' }, /^entityRef /],
    ];
    for (const [q, message] of cases) {
      const res = await as(BOB).get(query(q));
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('InputError');
      expect(res.body.error.message).toMatch(message);
    }
    // Repeated parameters are not a string.
    const twice = await as(BOB).get(
      '/endpoints?cluster=dev&cluster=prod&namespace=default&entityRef=orders',
    );
    expect(twice.status).toBe(400);
    expect(objects.calls).toEqual([]);
    expect(reader.calls).toEqual([]);
  });

  it("reads nothing in another team's namespace or on a cluster the actions may not use", async () => {
    const objects = fakeObjects();
    const { as } = await startWith(objects);
    const other = await as(BOB).get(
      query({ cluster: 'dev', namespace: 'team-a-apps', entityRef: 'orders' }),
    );
    expect(other.status).toBe(403);
    expect(other.body.error.message).toBe(
      'Namespace team-a-apps belongs to another team; choose a namespace of your team',
    );
    const notAllowed = await as(BOB).get(
      query({ cluster: 'prod', namespace: 'default', entityRef: 'orders' }),
    );
    expect(notAllowed.status).toBe(403);
    expect(objects.calls).toEqual([]);
  });
});

describe('the aws-gateway plugin', () => {
  it('mounts the form options next to the status API', async () => {
    const { server } = await startTestBackend({
      features: [
        awsGatewayPlugin,
        catalogServiceMock.factory({ entities: [] }),
        actionsRegistryServiceMock.factory(),
        mockServices.rootConfig.factory({ data: config }),
      ],
    });
    const res = await request(server)
      .get('/api/aws-gateway/form-options/guardrails')
      .set('Authorization', mockCredentials.user.header(ALICE));
    expect(res.status).toBe(200);
    expect(res.body.internetFacingNeedsSourceCidrs).toBe(true);
    const clusters = await request(server)
      .get('/api/aws-gateway/form-options/clusters')
      .set('Authorization', mockCredentials.user.header(ALICE));
    expect(clusters.body).toEqual({ clusters: [] });
  });
});

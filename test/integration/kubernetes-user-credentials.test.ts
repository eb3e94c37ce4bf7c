/**
 * Integration: a cluster whose Kubernetes plugin auth provider takes the
 * user's own token (`authProvider: oidc`, `oidcTokenProvider: okta`). A real
 * backend (startTestBackend) with the Kubernetes backend and aws-gateway; the
 * peer kube-apiserver accepts its static bearer token, which stands for the
 * user's OIDC ID token (the proxy hands either to the API server the same
 * way). The user's token travels as the Kubernetes plugin's frontend sends it
 * (`Backstage-Kubernetes-Authorization-oidc-okta`).
 *
 * Proves: the card's status read and the expose form's options reach the
 * cluster with the user's token; without it they fail with a 403 / a
 * permission error that says which sign-in is missing, before any call; a
 * token the API server refuses is a permission error; one user's answer is
 * never served to a request without that token or to another user (the status
 * cache keys it by user); malformed headers are refused with 400; no token
 * appears in any answer. The change and remove forms' endpoint picker reads
 * with the user's token under the user's own RBAC (a ServiceAccount's token
 * stands for it): a kind the user may not list is named in `problem` while the
 * rest is listed; a user who may list none of the kinds gets the form's 403.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import {
  CONTROLLER_PROFILES,
  EntityGatewaysResponse,
  FormEndpoint,
  kubernetesUserAuthHeader,
} from '@gateway-portal/plugin-aws-gateway-common';
import {
  readSharedGateways,
  renderEndpointManifests,
  renderSharedRouteManifests,
} from '@gateway-portal/plugin-aws-gateway-node';
import { classicEndpoint } from '@gateway-portal/plugin-aws-gateway-node/testUtils';
import * as k8s from '@kubernetes/client-node';
import { readFileSync } from 'node:fs';
import { Server } from 'node:http';
import { kubeConfigFor, PROFILE_V16, uniqueName } from '../peers';
import { deleteApplied, serverSideApply } from './support/serverSideApply';
import { serviceAccountAccess } from './support/serviceAccountAccess';
import { createPeerSharedGateway } from './support/sharedGatewayPeer';
import {
  componentEntity,
  createEntityGateway,
  deleteGateway,
  entityGatewaysPath,
  statusBackendConfig,
} from './support/statusBackend';

const CLUSTER = uniqueName('oidc-cluster');
const NAMESPACE = 'default';
const GATEWAY = uniqueName('oidc-gw');
const ENTITY_REF = `component:default/${uniqueName('oidc-app')}`;
const USER_AUTH_HEADER = kubernetesUserAuthHeader({
  authProvider: 'oidc',
  oidcTokenProvider: 'okta',
});

const entity = componentEntity(ENTITY_REF, {
  'aws-gateway.io/gateways': `${CLUSTER}/${NAMESPACE}/${GATEWAY}`,
});

describe('a cluster that admits each user with their own token (oidc)', () => {
  let objects: k8s.CustomObjectsApi;
  let baseUrl: string;
  let stop: () => Promise<void>;
  /** The peer API server's bearer token: the user's ID token here. */
  let userToken: string;
  /** `awsGateway.provisioning.sharedGateways`: the peer's shared gateway, on this cluster, offering TLS. */
  let sharedGatewaysConfig: JsonObject[];
  let sharedNamespace: string | undefined;
  const answers: string[] = [];

  async function call(
    path: string,
    options: {
      token?: string;
      user?: string;
      headers?: Record<string, string>;
    } = {},
  ) {
    const res = await fetch(`${baseUrl}/api/aws-gateway${path}`, {
      headers: {
        Authorization: mockCredentials.user.header(options.user),
        ...(options.token ? { [USER_AUTH_HEADER]: options.token } : {}),
        ...options.headers,
      },
    });
    const text = await res.text();
    answers.push(text);
    return { status: res.status, body: JSON.parse(text) };
  }

  async function status(
    options: Parameters<typeof call>[1] = {},
  ): Promise<EntityGatewaysResponse> {
    const res = await call(entityGatewaysPath(ENTITY_REF), options);
    expect(res.status).toBe(200);
    return res.body;
  }

  beforeAll(async () => {
    const kc = kubeConfigFor(PROFILE_V16);
    userToken = kc.getCurrentUser()!.token!;
    const cluster = kc.getCurrentCluster()!;
    const caData =
      cluster.caData ??
      (cluster.caFile ? readFileSync(cluster.caFile).toString('base64') : '');
    objects = kc.makeApiClient(k8s.CustomObjectsApi);
    const shared = await createPeerSharedGateway();
    sharedNamespace = shared.namespace;
    sharedGatewaysConfig = [
      {
        ...shared.entry,
        cluster: CLUSTER,
        protocols: ['TCP', 'UDP', 'TLS'],
        tlsHostnames: ['*.apps.example.com'],
      },
    ];
    await createEntityGateway(objects, {
      namespace: NAMESPACE,
      name: GATEWAY,
      entityRef: ENTITY_REF,
    });
    const backend = await startTestBackend({
      features: [
        import('@backstage/plugin-kubernetes-backend'),
        import('@gateway-portal/plugin-aws-gateway-backend'),
        catalogServiceMock.factory({ entities: [entity] }),
        actionsRegistryServiceMock.factory(),
        mockServices.rootLogger.factory({ level: 'warn' }),
        mockServices.rootConfig.factory({
          data: statusBackendConfig({
            cluster: {
              name: CLUSTER,
              url: cluster.server,
              caData,
              authProvider: 'oidc',
              oidcTokenProvider: 'okta',
            },
            status: {
              // The watch cache reads with the Kubernetes plugin's own
              // credentials only, which this cluster refuses: every read
              // here is the user's, made directly.
              watch: { enabled: false },
            },
            awsGateway: {
              provisioning: {
                allowedClusters: [CLUSTER],
                gateways: { allowedNamespaces: ['default'] },
                sharedGateways: sharedGatewaysConfig,
              },
            },
          }),
        }),
      ],
    });
    const { port } = (backend.server as unknown as Server).address() as {
      port: number;
    };
    baseUrl = `http://localhost:${port}`;
    stop = () => backend.stop();
  }, 120_000);

  afterAll(async () => {
    await stop?.();
    await deleteGateway(objects, NAMESPACE, GATEWAY);
    if (sharedNamespace) {
      await kubeConfigFor(PROFILE_V16)
        .makeApiClient(k8s.CoreV1Api)
        .deleteNamespace({ name: sharedNamespace })
        .catch(() => undefined);
    }
  });

  it("reads the card's status with the user's token, and without it says which sign-in is missing", async () => {
    const withToken = await status({ token: userToken });
    expect(withToken.gateways.map(g => g.gateway.name)).toEqual([GATEWAY]);
    expect(withToken.errors.filter(e => e.kind === 'permission')).toEqual([]);

    // Same user, no token: the shared answer, never the one read with the token.
    const without = await status();
    expect(without.gateways).toEqual([]);
    expect(without.errors).toContainEqual(
      expect.objectContaining({
        part: 'kubernetes',
        kind: 'permission',
        cluster: CLUSTER,
        message: expect.stringContaining(
          `Cluster "${CLUSTER}" admits each user with their own Kubernetes credentials (auth provider oidc.okta)`,
        ),
      }),
    );
    // Another user: not the first user's cached answer either.
    const bob = await status({ user: 'user:default/bob' });
    expect(bob.gateways).toEqual([]);
    // The first user again, with the token: their own answer.
    const again = await status({ token: userToken });
    expect(again.gateways.map(g => g.gateway.name)).toEqual([GATEWAY]);
  });

  it('reports a token the API server refuses as a permission error', async () => {
    const refused = await status({
      token: 'eyJhbGciOiJSUzI1NiJ9.bm90LWEtdmFsaWQtdG9rZW4.c2ln',
      user: 'user:default/carol',
    });
    expect(refused.gateways).toEqual([]);
    expect(refused.errors).toContainEqual(
      expect.objectContaining({
        kind: 'permission',
        cluster: CLUSTER,
        message: expect.stringContaining('HTTP 401'),
      }),
    );
  });

  it("gives the expose form's options with the user's token, and a 403 naming the missing sign-in without it", async () => {
    const clusters = await call('/form-options/clusters', { token: userToken });
    expect(clusters.status).toBe(200);
    expect(clusters.body.clusters).toEqual([
      expect.objectContaining({
        name: CLUSTER,
        controllerProfile: expect.objectContaining({ id: 'lbc-v3.5' }),
      }),
    ]);
    const namespaces = await call(
      `/form-options/clusters/${CLUSTER}/namespaces`,
      {
        token: userToken,
      },
    );
    expect(namespaces).toMatchObject({
      status: 200,
      body: { namespaces: ['default'] },
    });

    const noProfile = await call('/form-options/clusters');
    expect(noProfile.body.clusters).toEqual([
      expect.objectContaining({
        name: CLUSTER,
        problem: expect.stringContaining('own Kubernetes credentials'),
      }),
    ]);
    expect(noProfile.body.clusters[0].controllerProfile).toBeUndefined();
    const rejected = await call(
      `/form-options/clusters/${CLUSTER}/namespaces`,
      {
        token: 'eyJhbGciOiJSUzI1NiJ9.bm90LWEtdmFsaWQtdG9rZW4.c2ln',
      },
    );
    expect(rejected.status).toBe(403);
    expect(rejected.body.error.message).toBe(
      `Cluster ${CLUSTER} did not accept your own Kubernetes credentials to list namespaces (HTTP 401); sign in to its auth provider again`,
    );
    const refused = await call(`/form-options/clusters/${CLUSTER}/namespaces`);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining(
        'sign in to that provider in Backstage and try again',
      ),
    });
  });

  it.each([
    ['a "Bearer " prefix', { [USER_AUTH_HEADER]: 'Bearer abc.def' }],
    [
      'the bare header, which the proxy would send to any cluster',
      { 'Backstage-Kubernetes-Authorization': 'abc.def' },
    ],
    ['an oversized token', { [USER_AUTH_HEADER]: 'a'.repeat(9000) }],
  ])('refuses %s with 400 naming the header', async (_, headers) => {
    for (const path of [
      entityGatewaysPath(ENTITY_REF),
      '/form-options/clusters',
    ]) {
      const res = await call(path, { headers });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(/Backstage-Kubernetes-Authorization/i),
      });
    }
  });

  describe("the change and remove forms' endpoint picker under the user's RBAC", () => {
    const admin = kubeConfigFor(PROFILE_V16);
    /** RBAC, ServiceAccounts and the picker's objects, deleted after. */
    const applied: k8s.KubernetesObject[] = [];
    const own = uniqueName('rbac-picker-gw');
    const tlsRoute = uniqueName('rbac-picker-tls');
    /** A user who may list Gateways, TCPRoutes and UDPRoutes in the namespace, not TLSRoutes. */
    let noTlsRoutes: string;
    /** A user with no right on any of the kinds. */
    let noKinds: string;

    const endpoints = (token: string) =>
      call(
        `/form-options/endpoints?${new URLSearchParams({
          cluster: CLUSTER,
          namespace: NAMESPACE,
          entityRef: ENTITY_REF,
        })}`,
        { token },
      );

    beforeAll(async () => {
      const api = k8s.KubernetesObjectApi.makeApiClient(admin);
      const profile = CONTROLLER_PROFILES['lbc-v3.5'];
      // As the render and shared-listener actions write them, applied as the GitOps agent would.
      const gateway = renderEndpointManifests(
        { ...classicEndpoint, name: own, entityRef: ENTITY_REF },
        profile,
      )
        .map(r => r.manifest)
        .filter(m => m.kind === 'Gateway');
      const [sharedGateway] = readSharedGateways(
        new ConfigReader({
          awsGateway: {
            provisioning: { sharedGateways: sharedGatewaysConfig },
          },
        }),
      );
      const route = renderSharedRouteManifests(
        sharedGateway,
        {
          sharedGateway: sharedGateway.id,
          namespace: NAMESPACE,
          listenerName: `${NAMESPACE}-${tlsRoute}`,
          listenerPort: 20032,
          protocol: 'TLS',
          hostname: 'db.apps.example.com',
          routeName: tlsRoute,
          backend: { service: 'backend', port: 3000 },
          entityRef: ENTITY_REF,
          kubernetesId: 'backend',
        },
        profile,
      )
        .map(r => r.manifest)
        .filter(m => m.kind === 'TLSRoute');
      expect(gateway).toHaveLength(1);
      expect(route).toHaveLength(1);
      for (const m of [...gateway, ...route]) {
        await serverSideApply(api, m, 'gitops-agent', applied);
      }

      const serviceAccountUser = async (name: string) => {
        const access = await serviceAccountAccess(admin, NAMESPACE, name);
        applied.push({
          apiVersion: 'v1',
          kind: 'ServiceAccount',
          metadata: { name, namespace: NAMESPACE },
        });
        return access;
      };
      const partial = await serviceAccountUser(uniqueName('picker-no-tls'));
      const none = await serviceAccountUser(uniqueName('picker-none'));
      const role = uniqueName('picker-no-tlsroutes');
      for (const m of [
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'Role',
          metadata: { name: role, namespace: NAMESPACE },
          rules: [
            {
              apiGroups: ['gateway.networking.k8s.io'],
              resources: ['gateways', 'tcproutes', 'udproutes'],
              verbs: ['list'],
            },
          ],
        },
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'RoleBinding',
          metadata: { name: role, namespace: NAMESPACE },
          roleRef: {
            apiGroup: 'rbac.authorization.k8s.io',
            kind: 'Role',
            name: role,
          },
          subjects: [partial.subject],
        },
      ]) {
        await serverSideApply(api, m, 'test', applied);
      }
      noTlsRoutes = partial.token;
      noKinds = none.token;
    });

    afterAll(async () => {
      await deleteApplied(admin, applied);
    });

    it("lists the Gateway of a user who may not list TLSRoutes and names that kind in the form's words; one who may list nothing gets 403", async () => {
      // Allowed everything: the shared TLS listener is listed (the case below can fail).
      const all = await endpoints(userToken);
      expect(all.status).toBe(200);
      expect(all.body.endpoints.map((e: FormEndpoint) => e.name)).toEqual([
        own,
        tlsRoute,
      ]);
      expect(all.body.problem).toBeUndefined();

      const partial = await endpoints(noTlsRoutes);
      expect(partial.status).toBe(200);
      expect(partial.body.endpoints).toEqual([
        {
          name: own,
          kind: 'gateway',
          listeners: [{ name: 'tcp-app', port: 8080, protocol: 'TCP' }],
        },
      ]);
      expect(partial.body.problem).toBe(
        `TLSRoutes could not be read, so no endpoint of that kind is listed: Cluster ${CLUSTER} refused your own Kubernetes credentials to list TLSRoutes in namespace ${NAMESPACE} (HTTP 403): your identity may not do this there; ask your platform team for access`,
      );

      const none = await endpoints(noKinds);
      expect(none.status).toBe(403);
      expect(none.body.error).toMatchObject({
        name: 'NotAllowedError',
        message: `Cluster ${CLUSTER} refused your own Kubernetes credentials to list Gateways in namespace ${NAMESPACE} (HTTP 403): your identity may not do this there; ask your platform team for access`,
      });

      for (const answer of [partial.body, none.body].map(b =>
        JSON.stringify(b),
      )) {
        // The API server's own text (who was refused, and how) stays in the log.
        expect(answer).not.toMatch(/forbidden|User "|system:serviceaccount/i);
        expect(answer).not.toContain(noTlsRoutes);
        expect(answer).not.toContain(noKinds);
      }
    });
  });

  it("never answered with the user's token, whatever was asked", () => {
    expect(answers.length).toBeGreaterThan(10);
    for (const answer of answers) expect(answer).not.toContain(userToken);
  });
});

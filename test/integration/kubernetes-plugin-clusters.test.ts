/**
 * Integration: a cluster the suite knows only through the Kubernetes plugin.
 * A real backend (startTestBackend) with the catalog, the Kubernetes backend
 * and the aws-gateway plugin; the peer kube-apiserver (real Gateway API and
 * LBC CRDs) is declared ONLY as a catalog Resource (`spec.type:
 * kubernetes-cluster`, the `catalog` cluster locator) whose auth provider is
 * a strategy added through `kubernetesAuthStrategyExtensionPoint` by a test
 * module (the catalog locator refuses `serviceAccount`). The expose form's
 * options API then lists the cluster with the controller profile detected
 * through the Kubernetes plugin's proxy, and its namespaces; a cluster the
 * Kubernetes plugin does not know is refused.
 */
import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import { Entity } from '@backstage/catalog-model';
import {
  catalogProcessingExtensionPoint,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { kubernetesAuthStrategyExtensionPoint } from '@backstage/plugin-kubernetes-node';
import * as k8s from '@kubernetes/client-node';
import { readFileSync } from 'node:fs';
import { Server } from 'node:http';
import { kubeConfigFor, PROFILE_V16, uniqueName } from '../peers';
import { closingDatabaseServiceFactory } from './support/closingDatabases';

const CLUSTER = uniqueName('catalog-located');
const AUTH_PROVIDER = 'peerStaticToken';

/** The peer API server as a catalog Resource, the catalog cluster locator's way. */
function clusterResource(kc: k8s.KubeConfig): Entity {
  const cluster = kc.getCurrentCluster()!;
  const caData =
    cluster.caData ??
    (cluster.caFile ? readFileSync(cluster.caFile).toString('base64') : '');
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: CLUSTER,
      namespace: 'default',
      annotations: {
        'kubernetes.io/api-server': cluster.server,
        'kubernetes.io/api-server-certificate-authority': caData,
        'kubernetes.io/auth-provider': AUTH_PROVIDER,
        'backstage.io/managed-by-location': 'test:clusters',
        'backstage.io/managed-by-origin-location': 'test:clusters',
      },
    },
    spec: { type: 'kubernetes-cluster', owner: 'group:default/platform' },
  };
}

/** Puts the cluster Resource in the catalog, as a location would. */
const clusterInCatalog = (kc: k8s.KubeConfig) =>
  createBackendModule({
    pluginId: 'catalog',
    moduleId: 'test-cluster-resource',
    register(env) {
      env.registerInit({
        deps: { processing: catalogProcessingExtensionPoint },
        async init({ processing }) {
          processing.addEntityProvider({
            getProviderName: () => 'test-cluster-resource',
            connect: async (connection: EntityProviderConnection) => {
              await connection.applyMutation({
                type: 'full',
                entities: [
                  { entity: clusterResource(kc), locationKey: 'test:clusters' },
                ],
              });
            },
          });
        },
      });
    },
  });

/** An auth strategy of the Kubernetes plugin added by a module: the peer's static token. */
const staticTokenStrategy = (token: string) =>
  createBackendModule({
    pluginId: 'kubernetes',
    moduleId: 'test-static-token',
    register(env) {
      env.registerInit({
        deps: { strategies: kubernetesAuthStrategyExtensionPoint },
        async init({ strategies }) {
          strategies.addAuthStrategy(AUTH_PROVIDER, {
            getCredential: async () => ({ type: 'bearer token', token }),
            validateCluster: () => [],
            presentAuthMetadata: () => ({}),
          });
        },
      });
    },
  });

describe('a cluster declared only through the catalog locator', () => {
  let server: Server;
  let stop: () => Promise<void>;
  let token: string;

  async function formOptions(path: string) {
    const { port } = server.address() as { port: number };
    const res = await fetch(
      `http://localhost:${port}/api/aws-gateway/form-options${path}`,
      { headers: { Authorization: mockCredentials.user.header() } },
    );
    return { status: res.status, body: await res.json() };
  }

  beforeAll(async () => {
    const kc = kubeConfigFor(PROFILE_V16);
    token = kc.getCurrentUser()!.token!;
    const backend = await startTestBackend({
      features: [
        import('@backstage/plugin-catalog-backend'),
        import('@backstage/plugin-kubernetes-backend'),
        import('@gateway-portal/plugin-aws-gateway-backend'),
        clusterInCatalog(kc),
        staticTokenStrategy(token),
        actionsRegistryServiceMock.factory(),
        // The catalog's database closed at stop: the file exits on its own.
        closingDatabaseServiceFactory,
        mockServices.rootLogger.factory({ level: 'warn' }),
        mockServices.rootConfig.factory({
          data: {
            kubernetes: {
              serviceLocatorMethod: { type: 'multiTenant' },
              clusterLocatorMethods: [
                {
                  type: 'catalog',
                  // The peer listens on loopback, which the locator refuses by default (SSRF guard).
                  dangerouslyAllowClusterUrls: [
                    new URL(kc.getCurrentCluster()!.server).hostname,
                  ],
                },
              ],
            },
            awsGateway: {
              provisioning: {
                allowedClusters: [CLUSTER, 'elsewhere'],
                gateways: { allowedNamespaces: ['default'] },
              },
            },
          },
        }),
      ],
    });
    server = backend.server as unknown as Server;
    stop = () => backend.stop();
  }, 120_000);

  afterAll(async () => {
    await stop?.();
  });

  /** Resolves once the catalog serves the cluster Resource (processed in the background). */
  async function clusterResourceProcessed() {
    const { port } = server.address() as { port: number };
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const res = await fetch(
        `http://localhost:${port}/api/catalog/entities/by-name/resource/default/${CLUSTER}`,
        { headers: { Authorization: mockCredentials.user.header() } },
      );
      await res.body?.cancel();
      if (res.status === 200) return;
      await new Promise(r => setTimeout(r, 200));
    }
  }

  it('lists it with the controller profile detected through the proxy, and its namespaces', async () => {
    // The cluster list is reused for 30 s: asked before the catalog has the
    // Resource, the form would wait that long, so ask once the catalog has it.
    await clusterResourceProcessed();
    const deadline = Date.now() + 90_000;
    let clusters: Array<{ name: string; controllerProfile?: { id: string } }> =
      [];
    while (Date.now() < deadline) {
      const res = await formOptions('/clusters');
      expect(res.status).toBe(200);
      clusters = res.body.clusters;
      if (clusters.some(c => c.name === CLUSTER)) break;
      await new Promise(r => setTimeout(r, 2_000));
    }
    expect(clusters).toContainEqual(
      expect.objectContaining({
        name: CLUSTER,
        controllerProfile: expect.objectContaining({ id: 'lbc-v3.5' }),
      }),
    );
    const namespaces = await formOptions(`/clusters/${CLUSTER}/namespaces`);
    expect(namespaces).toMatchObject({
      status: 200,
      body: { namespaces: ['default'] },
    });
  }, 120_000);

  it('refuses a cluster the Kubernetes plugin does not know, without a token or address', async () => {
    const res = await formOptions('/clusters/elsewhere/namespaces');
    expect(res.status).toBe(404);
    const body = JSON.stringify(res.body);
    expect(body).not.toContain(token);
    expect(body).not.toContain('127.0.0.1');
  });
});

import http from 'node:http';
import { AddressInfo } from 'node:net';
import { mockServices } from '@backstage/backend-test-utils';
import {
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { CoreV1Api } from '@kubernetes/client-node';
import { startStalledServer } from '../testUtils';
import { classifyKubernetesError } from './apiErrors';
import { detectControllerProfile } from './controllerProfileDetection';
import { KubernetesPluginClusters } from './KubernetesPluginClusters';
import { readServices } from './serverSideDryRun';
import { UserKubernetesCredentials } from './userKubernetesCredentials';

interface SeenRequest {
  path: string;
  authorization?: string;
  cluster?: string;
  /** The Backstage-Kubernetes-Authorization-… headers, as `name: value`. */
  userAuthorization?: string[];
}

/**
 * The Kubernetes backend's HTTP shape, in process: `GET /clusters` and the
 * proxy endpoint, which answers its own refusals as serialised Backstage
 * errors (`{ error: { name, message } }`) and forwards the rest to the
 * cluster, whose errors are Kubernetes Status objects.
 */
async function startKubernetesBackend(options: {
  clusters: unknown;
  clustersStatus?: number;
}) {
  const seen: SeenRequest[] = [];
  const json = (res: http.ServerResponse, status: number, body: unknown) =>
    res
      .writeHead(status, { 'Content-Type': 'application/json' })
      .end(JSON.stringify(body));
  const backstageError = (name: string, message: string) => ({
    error: { name, message },
    response: { statusCode: 0 },
  });
  const server = http.createServer((req, res) => {
    const path = req.url ?? '';
    const cluster = req.headers['backstage-kubernetes-cluster'] as string;
    const userAuthorization = Object.entries(req.headers)
      .filter(([name]) => name.startsWith('backstage-kubernetes-authorization'))
      .map(([name, value]) => `${name}: ${value}`);
    seen.push({
      path,
      authorization: req.headers.authorization,
      cluster,
      ...(userAuthorization.length ? { userAuthorization } : {}),
    });
    if (path === '/api/kubernetes/clusters') {
      json(res, options.clustersStatus ?? 200, options.clusters);
      return;
    }
    if (!path.startsWith('/api/kubernetes/proxy/')) {
      json(res, 404, backstageError('NotFoundError', 'no route'));
      return;
    }
    const apiPath = path.slice('/api/kubernetes/proxy'.length);
    if (cluster === 'denied') {
      json(res, 403, backstageError('NotAllowedError', 'Unauthorized'));
    } else if (cluster === 'vanished') {
      json(
        res,
        404,
        backstageError('NotFoundError', `Cluster 'vanished' not found`),
      );
    } else if (cluster === 'down') {
      json(
        res,
        500,
        backstageError('ForwardedError', `Cluster 'down' request error`),
      );
    } else if (apiPath === '/api/v1/namespaces') {
      json(res, 200, {
        kind: 'NamespaceList',
        apiVersion: 'v1',
        metadata: {},
        items: [{ metadata: { name: `ns-of-${cluster}` } }],
      });
    } else {
      json(res, 404, {
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        reason: 'NotFound',
        code: 404,
        message: 'services "web" not found',
      });
    }
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    seen,
    discovery: { getBaseUrl: async (id: string) => `${base}/api/${id}` },
    close: () =>
      new Promise<void>(r => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

describe('KubernetesPluginClusters', () => {
  const auth = mockServices.auth({ pluginId: 'aws-gateway' });
  let serviceToken: string;
  const logger = mockServices.logger.mock();
  const clusters = {
    items: [
      { name: 'prod-eu', title: 'Production', authProvider: 'aws' },
      { name: 'catalog-located', authProvider: 'test-token' },
      { name: 'denied', authProvider: 'serviceAccount' },
      { name: 'vanished', authProvider: 'serviceAccount' },
      { name: 'down', authProvider: 'serviceAccount' },
      { name: 'evil\r\nX-Injected: 1', authProvider: 'serviceAccount' },
      { name: 'no-provider' },
      { name: 'prod-eu', authProvider: 'aws' },
      { name: 'oidc-eu', authProvider: 'oidc', oidcTokenProvider: 'okta' },
    ],
  };
  let backend: Awaited<ReturnType<typeof startKubernetesBackend>>;

  beforeAll(async () => {
    serviceToken = (
      await auth.getPluginRequestToken({
        onBehalfOf: await auth.getOwnServiceCredentials(),
        targetPluginId: 'kubernetes',
      })
    ).token;
  });

  beforeEach(async () => {
    backend = await startKubernetesBackend({ clusters });
  });

  afterEach(() => backend.close());

  function create(overrides: { now?: () => number } = {}) {
    return KubernetesPluginClusters.create({
      discovery: backend.discovery,
      auth,
      logger,
      ...overrides,
    });
  }

  it("lists the Kubernetes plugin's clusters with this plugin's service token, leaving out what cannot be a header", async () => {
    const listed = await create().listClusters();
    expect(listed).toEqual([
      { name: 'prod-eu', title: 'Production', authProvider: 'aws' },
      { name: 'catalog-located', authProvider: 'test-token' },
      { name: 'denied', authProvider: 'serviceAccount' },
      { name: 'vanished', authProvider: 'serviceAccount' },
      { name: 'down', authProvider: 'serviceAccount' },
      { name: 'oidc-eu', authProvider: 'oidc', oidcTokenProvider: 'okta' },
    ]);
    expect(backend.seen).toEqual([
      {
        path: '/api/kubernetes/clusters',
        authorization: `Bearer ${serviceToken}`,
      },
    ]);
  });

  it('reuses one answer within its lifetime and asks again after it', async () => {
    let now = 0;
    const access = create({ now: () => now });
    await Promise.all([access.listClusters(), access.listClusters()]);
    now = 29_000;
    await access.listClusters();
    expect(backend.seen).toHaveLength(1);
    now = 31_000;
    await access.listClusters();
    expect(backend.seen).toHaveLength(2);
  });

  it('sends every API call through the proxy, naming the cluster, with a fresh Backstage token', async () => {
    const kc = await create().getKubeConfig('catalog-located');
    const list = await kc.makeApiClient(CoreV1Api).listNamespace();
    expect(list.items.map(ns => ns.metadata?.name)).toEqual([
      'ns-of-catalog-located',
    ]);
    expect(backend.seen.at(-1)).toEqual({
      path: '/api/kubernetes/proxy/api/v1/namespaces',
      authorization: `Bearer ${serviceToken}`,
      cluster: 'catalog-located',
    });
  });

  it("sends the user's token for a cluster of the token's auth provider only, and refuses a user-token cluster without one before any proxy call", async () => {
    const access = create();
    const userCredentials = UserKubernetesCredentials.fromHeaders({
      'backstage-kubernetes-authorization-oidc-okta': 'eyJ.user-a.sig',
    });
    const oidc = await access.getKubeConfig('oidc-eu', { userCredentials });
    await oidc.makeApiClient(CoreV1Api).listNamespace();
    expect(backend.seen.at(-1)).toEqual({
      path: '/api/kubernetes/proxy/api/v1/namespaces',
      authorization: `Bearer ${serviceToken}`,
      cluster: 'oidc-eu',
      userAuthorization: [
        'backstage-kubernetes-authorization-oidc-okta: eyJ.user-a.sig',
      ],
    });
    // A server-side cluster gets the plugin's credential only.
    const aws = await access.getKubeConfig('prod-eu', { userCredentials });
    await aws.makeApiClient(CoreV1Api).listNamespace();
    expect(backend.seen.at(-1)?.userAuthorization).toBeUndefined();

    const calls = backend.seen.length;
    const refused = await access.getKubeConfig('oidc-eu').catch(e => e);
    expect(refused).toBeInstanceOf(NotAllowedError);
    expect(refused.message).toBe(
      'Cluster "oidc-eu" admits each user with their own Kubernetes credentials (auth provider oidc.okta), and this request carried none for it: sign in to that provider in Backstage and try again',
    );
    const google = UserKubernetesCredentials.fromHeaders({
      'backstage-kubernetes-authorization-google': 'ya29.token',
    });
    await expect(
      access.getKubeConfig('oidc-eu', { userCredentials: google }),
    ).rejects.toBeInstanceOf(NotAllowedError);
    expect(backend.seen).toHaveLength(calls);
  });

  it("keeps the API server's own 404 apart from the proxy's unknown cluster", async () => {
    const access = create();
    const services = await readServices(
      await access.getKubeConfig('prod-eu'),
      'apps',
      ['web'],
    );
    expect(services.get('web')).toBeUndefined();

    const vanished = await readServices(
      await access.getKubeConfig('vanished'),
      'apps',
      ['web'],
    ).catch(e => e);
    expect(vanished).toBeInstanceOf(NotFoundError);
    expect(vanished.message).toBe(
      'Reading Service apps/web: The Kubernetes plugin does not know the cluster (none of its cluster locators lists it)',
    );
    expect(classifyKubernetesError(vanished)).toBe('not-configured');
  });

  it('refuses a cluster the Kubernetes plugin does not list, before any proxy call', async () => {
    const error = await create()
      .getKubeConfig('elsewhere')
      .catch(e => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toBe(
      'The Kubernetes plugin does not know cluster "elsewhere" (none of its cluster locators lists it)',
    );
    expect(backend.seen.map(s => s.path)).toEqual(['/api/kubernetes/clusters']);
  });

  it('says the kubernetes.proxy permission was refused, without the token', async () => {
    const kc = await create().getKubeConfig('denied');
    const error = await detectControllerProfile(kc).catch(e => e);
    expect(error).toBeInstanceOf(NotAllowedError);
    expect(error.message).toBe(
      `Reading the API discovery: The Kubernetes plugin's proxy refused the aws-gateway backend's request to the cluster (HTTP 403); its service principal needs the kubernetes.proxy permission`,
    );
    expect(classifyKubernetesError(error)).toBe('permission');
    expect(JSON.stringify(error)).not.toContain(serviceToken);
  });

  it('says the proxy could not reach a cluster', async () => {
    const kc = await create().getKubeConfig('down');
    const error = await kc
      .makeApiClient(CoreV1Api)
      .listNamespace()
      .catch(e => e);
    expect(classifyKubernetesError(error)).toBe('error');
    const mapped = await detectControllerProfile(kc).catch(e => e);
    expect(mapped).toBeInstanceOf(ServiceUnavailableError);
    expect(classifyKubernetesError(mapped)).toBe('unreachable');
  });

  it('maps a refused cluster list to NotAllowedError and no Kubernetes backend to no clusters', async () => {
    await backend.close();
    backend = await startKubernetesBackend({
      clusters: { error: { name: 'NotAllowedError', message: 'Unauthorized' } },
      clustersStatus: 403,
    });
    const refused = await create()
      .listClusters()
      .catch(e => e);
    expect(refused).toBeInstanceOf(NotAllowedError);
    expect(refused.message).toContain('kubernetes.clusters.read');

    await backend.close();
    backend = await startKubernetesBackend({
      clusters: { error: { name: 'NotFoundError', message: 'Not found' } },
      clustersStatus: 404,
    });
    const access = create();
    await expect(access.listClusters()).resolves.toEqual([]);
    await expect(access.getKubeConfig('prod-eu')).rejects.toThrow(
      NotFoundError,
    );
  });

  it('ends a stalled cluster list on its deadline, and a caller on its own signal', async () => {
    const stalled = await startStalledServer();
    try {
      const access = KubernetesPluginClusters.create({
        discovery: { getBaseUrl: async () => `${stalled.url}/api/kubernetes` },
        auth,
        logger,
        timeoutMs: 300,
      });
      const caller = new AbortController();
      const waiting = access.listClusters({ signal: caller.signal });
      caller.abort(new Error('request ended'));
      await expect(waiting).rejects.toThrow('request ended');

      const start = Date.now();
      const error = await access.listClusters().catch(e => e);
      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect(error.message).toBe(
        'The Kubernetes plugin did not list its clusters within 0.3 s',
      );
      expect(Date.now() - start).toBeLessThan(2_000);
    } finally {
      await stalled.close();
    }
  });
});

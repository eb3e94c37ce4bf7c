import http from 'node:http';
import { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { ClientNodeManagedObjectsReader } from './endpointOptions';

/** An API server answering each list with `answer(path)`; it records the request URLs. */
async function startApiServer(answer: (url: URL) => [number, unknown]) {
  const urls: URL[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://api');
    urls.push(url);
    const [status, body] = answer(url);
    res.statusCode = status;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(body));
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: 'c',
        server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        // Plain HTTP on loopback: the client asks for this flag to allow it.
        skipTLSVerify: true,
      },
    ],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: 'c', cluster: 'c', user: 'u' }],
    currentContext: 'c',
  });
  return {
    kc,
    urls,
    close: () => new Promise<void>(r => server.close(() => r())),
  };
}

const TCPROUTES = {
  group: 'gateway.networking.k8s.io',
  version: 'v1alpha2',
  plural: 'tcproutes',
};

describe('ClientNodeManagedObjectsReader', () => {
  const signal = new AbortController().signal;

  it("asks the API server for the portal's objects only, one page of `limit`, and says when more were left", async () => {
    const api = await startApiServer(() => [
      200,
      {
        items: [{ metadata: { name: 'a' } }, { metadata: { name: 'b' } }],
        metadata: { continue: 'next-page' },
      },
    ]);
    try {
      const page = await new ClientNodeManagedObjectsReader().listManaged(
        api.kc,
        TCPROUTES,
        'apps',
        { limit: 2, signal },
      );
      expect(page).toEqual({
        items: [{ metadata: { name: 'a' } }, { metadata: { name: 'b' } }],
        more: true,
      });
      const [url] = api.urls;
      expect(url.pathname).toBe(
        '/apis/gateway.networking.k8s.io/v1alpha2/namespaces/apps/tcproutes',
      );
      expect(url.searchParams.get('labelSelector')).toBe(
        'app.kubernetes.io/managed-by=backstage-aws-gateway',
      );
      expect(url.searchParams.get('limit')).toBe('2');
    } finally {
      await api.close();
    }
  });

  it('keeps no more than `limit` items from a server that ignores it, and reads a resource no longer served as empty', async () => {
    const api = await startApiServer(url =>
      url.pathname.endsWith('/tcproutes')
        ? [200, { items: [1, 2, 3, 4], metadata: {} }]
        : [404, { kind: 'Status', code: 404 }],
    );
    try {
      const reader = new ClientNodeManagedObjectsReader();
      expect(
        await reader.listManaged(api.kc, TCPROUTES, 'apps', {
          limit: 3,
          signal,
        }),
      ).toEqual({ items: [1, 2, 3], more: true });
      expect(
        await reader.listManaged(
          api.kc,
          { ...TCPROUTES, plural: 'udproutes' },
          'apps',
          { limit: 3, signal },
        ),
      ).toEqual({ items: [], more: false });
    } finally {
      await api.close();
    }
  });
});

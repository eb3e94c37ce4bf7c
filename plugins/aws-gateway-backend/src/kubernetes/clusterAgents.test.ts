import http from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { GATEWAYS } from '@gateway-portal/plugin-aws-gateway-node';
import {
  eventually,
  InMemoryKubernetesClusters,
} from '@gateway-portal/plugin-aws-gateway-node/testUtils';
import { ClusterAgents } from './clusterAgents';
import { ClientNodeKubernetesObjectClient } from './KubernetesObjectClient';
import { proxyWatchTransport } from './watch/proxyWatchTransport';

const GATEWAYS_V1 = { ...GATEWAYS, version: 'v1' };

/** An API server answering every list empty (a watch: one event, then held open); it records connections and headers. */
async function startApiServer() {
  const sockets = new Set<Socket>();
  let connections = 0;
  const requests: http.IncomingHttpHeaders[] = [];
  const watches: http.ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req.headers);
    res.setHeader('content-type', 'application/json');
    if (req.url?.includes('watch=true')) {
      watches.push(res);
      res.write(`${JSON.stringify({ type: 'BOOKMARK', object: {} })}\n`);
      return;
    }
    res.end(JSON.stringify({ items: [], metadata: { resourceVersion: '1' } }));
  });
  server.on('connection', socket => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => connections,
    open: () => sockets.size,
    requests,
    /** Sends an event to every watch held open. */
    event: (type: string) =>
      watches.forEach(w =>
        w.write(`${JSON.stringify({ type, object: {} })}\n`),
      ),
    close: () => {
      server.closeAllConnections();
      return new Promise<void>(r => server.close(() => r()));
    },
  };
}

function kubeConfig(
  url: string,
  user: { token?: string; certData?: string; keyData?: string },
) {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: url, skipTLSVerify: true }],
    users: [{ name: 'u', ...user }],
    contexts: [{ name: 'c', cluster: 'c', user: 'u' }],
    currentContext: 'c',
  });
  return kc;
}

/** A socket closed that must stay open would show up within it. */
const quietPeriod = () => new Promise(r => setTimeout(r, 100));

describe('ClusterAgents', () => {
  let server: Awaited<ReturnType<typeof startApiServer>>;
  beforeEach(async () => {
    server = await startApiServer();
  });
  afterEach(() => server.close());

  function client(agents: ClusterAgents | undefined, names = ['c']) {
    const kc = kubeConfig(server.url, { token: 'plugin-token' });
    return new ClientNodeKubernetesObjectClient(
      new InMemoryKubernetesClusters(
        names.map(name => ({ name, kubeConfig: kc })),
      ),
      { agents },
    );
  }

  it("reuses one connection for a cluster's direct reads, with each request's own headers", async () => {
    const agents = new ClusterAgents({ maxClusters: 5 });
    const pooled = client(agents);
    for (let i = 0; i < 3; i++) {
      await (await pooled.connect('c')).list(GATEWAYS_V1);
    }
    expect(server.connections()).toBe(1);
    expect(server.requests.map(h => h.authorization)).toEqual([
      'Bearer plugin-token',
      'Bearer plugin-token',
      'Bearer plugin-token',
    ]);

    // Without the pool, as before: one connection per request.
    const unpooled = client(undefined);
    for (let i = 0; i < 2; i++) {
      await (await unpooled.connect('c')).list(GATEWAYS_V1);
    }
    expect(server.connections()).toBe(3);
    agents.destroy();
  });

  it("shares the cluster's connections between the watch cache's lists and watches and the direct reads; a watch asks for no compression", async () => {
    const agents = new ClusterAgents({ maxClusters: 5 });
    await (await client(agents).connect('c')).list(GATEWAYS_V1);
    const transport = proxyWatchTransport(
      new InMemoryKubernetesClusters([
        { name: 'c', kubeConfig: kubeConfig(server.url, { token: 't' }) },
      ]),
      'c',
      5_000,
      agents,
    );
    await transport.list(GATEWAYS_V1, { limit: 10 });
    const events: string[] = [];
    const watch = await transport.watch();
    const controller = await watch.watch(
      '/apis/gateway.networking.k8s.io/v1/gateways',
      {},
      type => events.push(type),
      () => undefined,
    );
    await eventually(() => expect(events).toEqual(['BOOKMARK']));
    expect(server.connections()).toBe(1);
    expect(server.requests.at(-1)?.['accept-encoding']).toBe('identity');
    controller.abort();
    agents.destroy();
  });

  it('gives a cluster a new agent when what its agent is built from changes (server, client certificate), never by a token', async () => {
    const agents = new ClusterAgents({ maxClusters: 5 });
    const cert = (certData: string, token = 'x') =>
      kubeConfig(server.url, {
        token,
        certData: Buffer.from(certData).toString('base64'),
        keyData: Buffer.from(`key of ${certData}`).toString('base64'),
      });
    const read = async (kc: KubeConfig) => {
      const c = new ClientNodeKubernetesObjectClient(
        new InMemoryKubernetesClusters([{ name: 'c', kubeConfig: kc }]),
        { agents },
      );
      await (await c.connect('c')).list(GATEWAYS_V1);
    };
    await read(cert('plugin'));
    await read(cert('plugin', 'another token'));
    expect(server.connections()).toBe(1);
    expect(agents.sizes()).toEqual({ c: 1 });

    // Another identity's certificate never rides the plugin's connection.
    await read(cert('user'));
    expect(server.connections()).toBe(2);
    expect(agents.sizes()).toEqual({ c: 2 });

    // A new server address (the same host under another name).
    await read(kubeConfig(server.url.replace('127.0.0.1', 'localhost'), {}));
    expect(server.connections()).toBe(3);
    agents.destroy();
  });

  it('keeps agents for at most maxClusters clusters: the least recently used is retired and its idle connection closed', async () => {
    const agents = new ClusterAgents({ maxClusters: 2 });
    const pooled = client(agents, ['a', 'b', 'c']);
    for (const name of ['a', 'b']) {
      await (await pooled.connect(name)).list(GATEWAYS_V1);
    }
    // Kept alive once their requests are over.
    await quietPeriod();
    expect(server.open()).toBe(2);
    await (await pooled.connect('a')).list(GATEWAYS_V1);
    await (await pooled.connect('c')).list(GATEWAYS_V1);
    expect(Object.keys(agents.sizes()).sort()).toEqual(['a', 'c']);
    // b's idle connection closed; a's and c's kept.
    await eventually(() => expect(server.open()).toBe(2));
    await quietPeriod();
    expect(server.open()).toBe(2);

    agents.release('a');
    expect(agents.sizes()).toEqual({ c: 1 });
    await eventually(() => expect(server.open()).toBe(1));
    agents.destroy();
  });

  it('lets a retired agent finish its requests in flight', async () => {
    const agents = new ClusterAgents({ maxClusters: 5 });
    const transport = proxyWatchTransport(
      new InMemoryKubernetesClusters([
        { name: 'c', kubeConfig: kubeConfig(server.url, {}) },
      ]),
      'c',
      5_000,
      agents,
    );
    const events: string[] = [];
    const watch = await (
      await transport.watch()
    ).watch(
      '/apis/x/v1/y',
      {},
      type => events.push(type),
      () => undefined,
    );
    await eventually(() => expect(events).toEqual(['BOOKMARK']));
    agents.release('c');
    server.event('ADDED');
    await eventually(() => expect(events).toEqual(['BOOKMARK', 'ADDED']));
    await quietPeriod();
    expect(server.open()).toBe(1);
    // Its request over, the retired agent's socket is not kept.
    watch.abort();
    await eventually(() => expect(server.open()).toBe(0));
    agents.destroy();
  });

  it('closes every connection at shutdown; later reads still work, unpooled', async () => {
    const agents = new ClusterAgents({ maxClusters: 5 });
    const pooled = client(agents);
    await (await pooled.connect('c')).list(GATEWAYS_V1);
    await quietPeriod();
    expect(server.open()).toBe(1);
    agents.destroy();
    await eventually(() => expect(server.open()).toBe(0));
    expect(agents.sizes()).toEqual({});
    await (await pooled.connect('c')).list(GATEWAYS_V1);
    expect(agents.sizes()).toEqual({});
  });

  it('still ends a pooled call at its deadline and closes its socket', async () => {
    const stalled = http.createServer(() => undefined);
    const open = new Set<Socket>();
    let accepted = 0;
    stalled.on('connection', s => {
      accepted += 1;
      open.add(s);
      s.on('close', () => open.delete(s));
    });
    await new Promise<void>(r => stalled.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(stalled.address() as AddressInfo).port}`;
    const agents = new ClusterAgents({ maxClusters: 5 });
    try {
      const c = new ClientNodeKubernetesObjectClient(
        new InMemoryKubernetesClusters([
          { name: 'c', kubeConfig: kubeConfig(url, {}) },
        ]),
        { agents, timeoutMs: 200 },
      );
      await expect((await c.connect('c')).list(GATEWAYS_V1)).rejects.toThrow(
        /no answer within 200 ms/,
      );
      // Seen, then closed (a stalled machine may accept it late).
      await eventually(() =>
        expect({ accepted, open: open.size }).toEqual({ accepted: 1, open: 0 }),
      );
    } finally {
      agents.destroy();
      stalled.closeAllConnections();
      await new Promise<void>(r => stalled.close(() => r()));
    }
  });
});

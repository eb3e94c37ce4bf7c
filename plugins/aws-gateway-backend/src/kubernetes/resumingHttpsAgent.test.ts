import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import { AddressInfo, createServer, Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { TLSSocket } from 'node:tls';
import { KubeConfig } from '@kubernetes/client-node';
import { GATEWAYS } from '@gateway-portal/plugin-aws-gateway-node';
import {
  eventually,
  InMemoryKubernetesClusters,
} from '@gateway-portal/plugin-aws-gateway-node/testUtils';
import { ClusterAgents } from './clusterAgents';
import {
  FIRST_SESSION_WAIT_MS,
  ResumingHttpsAgent,
} from './resumingHttpsAgent';
import { ClientNodeKubernetesObjectClient } from './KubernetesObjectClient';
import { proxyWatchTransport } from './watch/proxyWatchTransport';

const GATEWAYS_V1 = { ...GATEWAYS, version: 'v1' };
const BURST = 8;

interface Pem {
  cert: string;
  key: string;
}

/** A self-signed certificate (its own CA) made with the openssl CLI, as the test peers' are. */
function selfSigned(dir: string, name: string, san: string): Pem {
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  execFileSync(
    'openssl',
    [
      ...[
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
      ],
      ...['-nodes', '-days', '1', '-subj', `/CN=${name}`],
      ...['-addext', `subjectAltName=${san}`, '-keyout', key, '-out', cert],
    ],
    { stdio: 'ignore' },
  );
  return { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') };
}

/** An https API server answering every list empty; it records each connection's handshake and client certificate. */
async function startTlsApiServer(pem: Pem) {
  const handshakes: Array<{ resumed: boolean; clientCert: string }> = [];
  const sockets = new Set<Socket>();
  const server = https.createServer(
    { ...pem, requestCert: true, rejectUnauthorized: false },
    (_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({ items: [], metadata: { resourceVersion: '1' } }),
      );
    },
  );
  server.on('secureConnection', (socket: TLSSocket) => {
    handshakes.push({
      resumed: socket.isSessionReused(),
      clientCert: String(socket.getPeerCertificate().subject?.CN ?? ''),
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    handshakes,
    open: () => sockets.size,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>(r => server.close(() => r()));
    },
  };
}

function kubeConfig(
  url: string,
  caPem: string,
  user: { certData?: string; keyData?: string } = {},
) {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: 'c',
        server: url,
        caData: Buffer.from(caPem).toString('base64'),
      },
    ],
    users: [{ name: 'u', token: 'plugin-token', ...user }],
    contexts: [{ name: 'c', cluster: 'c', user: 'u' }],
    currentContext: 'c',
  });
  return kc;
}

describe('ResumingHttpsAgent (through ClusterAgents)', () => {
  let dir: string;
  let serving: Pem;
  let otherCa: Pem;
  let clientCert: Pem;
  let server: Awaited<ReturnType<typeof startTlsApiServer>>;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'resuming-agent-'));
    serving = selfSigned(dir, 'api-server', 'IP:127.0.0.1');
    otherCa = selfSigned(dir, 'other-ca', 'DNS:other.example');
    clientCert = selfSigned(dir, 'plugin-identity', 'DNS:plugin');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  beforeEach(async () => {
    server = await startTlsApiServer(serving);
  });
  afterEach(() => server.close());

  const clientFor = (
    agents: ClusterAgents | undefined,
    clusters: Array<{ name: string; kubeConfig: KubeConfig }>,
    timeoutMs?: number,
  ) =>
    new ClientNodeKubernetesObjectClient(
      new InMemoryKubernetesClusters(clusters),
      { agents, timeoutMs, maxConcurrentCalls: BURST },
    );
  const burst = async (
    client: ClientNodeKubernetesObjectClient,
    name = 'c',
  ) => {
    const connection = await client.connect(name);
    await Promise.all(
      Array.from({ length: BURST }, () => connection.list(GATEWAYS_V1)),
    );
  };

  it("resumes the first connection's TLS session in the other connections of a cold burst", async () => {
    const agents = new ClusterAgents({ maxClusters: 5 });
    const kc = kubeConfig(server.url, serving.cert);
    await burst(clientFor(agents, [{ name: 'c', kubeConfig: kc }]));
    expect(server.handshakes).toHaveLength(BURST);
    expect(server.handshakes.filter(h => !h.resumed)).toHaveLength(1);

    // Without the pool every request is a full handshake.
    server.handshakes.length = 0;
    await burst(clientFor(undefined, [{ name: 'c', kubeConfig: kc }]));
    expect(server.handshakes.filter(h => !h.resumed)).toHaveLength(BURST);
    agents.destroy();
  });

  it("resumes the watch cache's lists and watches in the same session as the direct reads", async () => {
    const agents = new ClusterAgents({ maxClusters: 5 });
    const kc = kubeConfig(server.url, serving.cert);
    await burst(clientFor(agents, [{ name: 'c', kubeConfig: kc }]));
    const transport = proxyWatchTransport(
      new InMemoryKubernetesClusters([{ name: 'c', kubeConfig: kc }]),
      'c',
      5_000,
      agents,
    );
    await Promise.all(
      Array.from({ length: BURST + 2 }, () =>
        transport.list(GATEWAYS_V1, { limit: 10 }),
      ),
    );
    expect(server.handshakes.length).toBeGreaterThan(BURST);
    expect(server.handshakes.filter(h => !h.resumed)).toHaveLength(1);
    agents.destroy();
  });

  it('never resumes a session across clusters, CAs or client certificates', async () => {
    const agents = new ClusterAgents({ maxClusters: 5 });
    const trusted = kubeConfig(server.url, serving.cert);
    const client = clientFor(agents, [
      { name: 'c', kubeConfig: trusted },
      { name: 'other-cluster', kubeConfig: trusted },
    ]);
    await burst(client);
    expect(server.handshakes.filter(h => !h.resumed)).toHaveLength(1);

    // The same server and CA under another cluster name: its own pool.
    server.handshakes.length = 0;
    await burst(client, 'other-cluster');
    expect(server.handshakes.filter(h => !h.resumed)).toHaveLength(1);

    // Another CA bundle (one that also trusts another CA).
    server.handshakes.length = 0;
    const bundle = kubeConfig(server.url, `${serving.cert}${otherCa.cert}`);
    await burst(clientFor(agents, [{ name: 'c', kubeConfig: bundle }]));
    expect(server.handshakes.filter(h => !h.resumed)).toHaveLength(1);

    // A client certificate: a full handshake presents it, the rest resume
    // that identity's session only.
    server.handshakes.length = 0;
    const withCert = kubeConfig(server.url, serving.cert, {
      certData: Buffer.from(clientCert.cert).toString('base64'),
      keyData: Buffer.from(clientCert.key).toString('base64'),
    });
    await burst(clientFor(agents, [{ name: 'c', kubeConfig: withCert }]));
    const full = server.handshakes.filter(h => !h.resumed);
    expect(full).toEqual([{ resumed: false, clientCert: 'plugin-identity' }]);
    expect(agents.sizes()).toEqual({ c: 3, 'other-cluster': 1 });
    agents.destroy();
  });

  it('still verifies the server: a CA that did not sign it fails every call of the burst', async () => {
    const agents = new ClusterAgents({ maxClusters: 5 });
    const untrusted = kubeConfig(server.url, otherCa.cert);
    const connection = await clientFor(agents, [
      { name: 'c', kubeConfig: untrusted },
    ]).connect('c');
    const results = await Promise.allSettled(
      Array.from({ length: BURST }, () => connection.list(GATEWAYS_V1)),
    );
    expect(results.every(r => r.status === 'rejected')).toBe(true);
    expect(server.handshakes).toEqual([]);
    agents.destroy();
  });

  describe('against a server that never finishes a handshake', () => {
    let stalled: Server;
    let open: Set<Socket>;
    beforeEach(async () => {
      open = new Set();
      // Reads the client hello (so it sees the client close) and never answers.
      stalled = createServer(socket => {
        socket.resume();
        open.add(socket);
        socket.on('close', () => open.delete(socket));
      });
      await new Promise<void>(r => stalled.listen(0, '127.0.0.1', r));
    });
    afterEach(async () => {
      for (const socket of open) socket.destroy();
      await new Promise<void>(r => stalled.close(() => r()));
    });

    it('ends every call at its deadline, those waiting for the first handshake too', async () => {
      const agents = new ClusterAgents({ maxClusters: 5 });
      const url = `https://127.0.0.1:${
        (stalled.address() as AddressInfo).port
      }`;
      const client = clientFor(
        agents,
        [{ name: 'c', kubeConfig: kubeConfig(url, serving.cert) }],
        200,
      );
      const connection = await client.connect('c');
      const started = Date.now();
      const results = await Promise.allSettled(
        Array.from({ length: BURST }, () => connection.list(GATEWAYS_V1)),
      );
      expect(Date.now() - started).toBeLessThan(1_000);
      for (const result of results) {
        expect(result).toMatchObject({
          status: 'rejected',
          reason: { message: expect.stringMatching(/no answer within 200 ms/) },
        });
      }
      agents.destroy();
      await eventually(() => expect(open.size).toBe(0));
    });
  });
});

describe('ResumingHttpsAgent: how long a burst waits for the first session', () => {
  /** The connections Node's agent would open, as streams this test drives. */
  let opened: PassThrough[];
  beforeEach(() => {
    opened = [];
    jest
      .spyOn(https.Agent.prototype, 'createConnection')
      .mockImplementation(() => {
        const socket = new PassThrough();
        opened.push(socket);
        return socket;
      });
  });
  afterEach(() => jest.restoreAllMocks());

  /** Asks the agent for a connection as Node's Agent does; resolves once it is given. */
  const connect = (agent: ResumingHttpsAgent) =>
    new Promise<unknown>((resolve, reject) => {
      const given = agent.createConnection(
        {
          host: 'api.example',
          port: 443,
          _agentKey: 'api.example:443:',
        } as any,
        (err, socket) => (err ? reject(err) : resolve(socket)),
      );
      if (given) resolve(given);
    });
  const waited = async (promise: Promise<unknown>, ms = 50) =>
    (await Promise.race([
      promise.then(() => false),
      new Promise(r => setTimeout(() => r(true), ms)),
    ])) as boolean;

  it('releases the burst at the first answer when no ticket came before it, and never waits for that server again', async () => {
    const agent = new ResumingHttpsAgent({ keepAlive: true });
    await connect(agent);
    const waiting = connect(agent);
    expect(await waited(waiting)).toBe(true);
    expect(opened).toHaveLength(1);

    opened[0].emit('free');
    await waiting;
    expect(opened).toHaveLength(2);
    // A later burst opens its connections at once.
    const later = [connect(agent), connect(agent)];
    expect(await waited(Promise.all(later))).toBe(false);
    agent.destroy();
  });

  it('releases the burst when the first connection ends, and lets the next connection try again', async () => {
    const agent = new ResumingHttpsAgent({ keepAlive: true });
    await connect(agent);
    const waiting = connect(agent);
    opened[0].destroy();
    await waiting;
    // No answer came: the server may still issue tickets, so the next is a first again.
    await connect(agent);
    const next = connect(agent);
    expect(await waited(next)).toBe(true);
    opened[opened.length - 1].emit('free');
    await next;
    agent.destroy();
  });

  it('waits at most FIRST_SESSION_WAIT_MS for a stalled first handshake', async () => {
    const agent = new ResumingHttpsAgent({ keepAlive: true });
    await connect(agent);
    const started = Date.now();
    await connect(agent);
    const ms = Date.now() - started;
    expect(ms).toBeGreaterThanOrEqual(FIRST_SESSION_WAIT_MS - 50);
    expect(ms).toBeLessThan(FIRST_SESSION_WAIT_MS + 1_000);
    agent.destroy();
  });

  it('fails the connections still waiting when the pool is closed', async () => {
    const agent = new ResumingHttpsAgent({ keepAlive: true });
    await connect(agent);
    const waiting = connect(agent);
    agent.destroy();
    opened[0].emit('free');
    await expect(waiting).rejects.toThrow('the connection pool was closed');
    expect(opened).toHaveLength(1);
  });
});

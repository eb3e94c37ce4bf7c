import http from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { KubernetesApiError } from '@gateway-portal/plugin-aws-gateway-node';
import {
  eventually,
  InMemoryKubernetesClusters,
} from '@gateway-portal/plugin-aws-gateway-node/testUtils';
import { ClientNodeKubernetesObjectClient } from './KubernetesObjectClient';

const GATEWAYS = {
  group: 'gateway.networking.k8s.io',
  version: 'v1',
  plural: 'gateways',
};

/** An API server that takes requests and never answers; it counts open sockets. */
async function startStalledServer() {
  const sockets = new Set<Socket>();
  let maxOpen = 0;
  const server = http.createServer(() => undefined);
  server.on('connection', socket => {
    sockets.add(socket);
    maxOpen = Math.max(maxOpen, sockets.size);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    open: () => sockets.size,
    maxOpen: () => maxOpen,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>(r => server.close(() => r()));
    },
  };
}

function clientFor(
  url: string,
  options: { timeoutMs?: number; maxConcurrentCalls?: number },
) {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: url, skipTLSVerify: true }],
    users: [{ name: 'u', token: 'secret-token' }],
    contexts: [{ name: 'c', cluster: 'c', user: 'u' }],
    currentContext: 'c',
  });
  return new ClientNodeKubernetesObjectClient(
    new InMemoryKubernetesClusters([{ name: 'c', kubeConfig: kc }]),
    options,
  );
}

/** A connection that must not be opened would show up within it. */
const quietPeriod = () => new Promise(r => setTimeout(r, 100));

describe('ClientNodeKubernetesObjectClient', () => {
  it('ends a call to a stalled API server at its timeout and closes the socket', async () => {
    const server = await startStalledServer();
    try {
      const connection = await clientFor(server.url, {
        timeoutMs: 200,
      }).connect('c');
      const started = Date.now();
      const error = await connection.list(GATEWAYS).catch(e => e);
      expect(Date.now() - started).toBeLessThan(1_500);
      expect(error).toBeInstanceOf(KubernetesApiError);
      expect(error.message).toBe(
        'list gateways.gateway.networking.k8s.io/v1: no answer within 200 ms',
      );
      expect(error.code).toBe('ETIMEDOUT');
      // Seen, then closed (a stalled machine may accept it late).
      await eventually(() => {
        expect(server.maxOpen()).toBe(1);
        expect(server.open()).toBe(0);
      });
    } finally {
      await server.close();
    }
  });

  it("ends calls when the request's signal fires, including calls still waiting for a slot", async () => {
    const server = await startStalledServer();
    try {
      const controller = new AbortController();
      const connection = await clientFor(server.url, {
        timeoutMs: 60_000,
        maxConcurrentCalls: 2,
      }).connect('c', { signal: controller.signal });
      const calls = Array.from({ length: 5 }, () =>
        connection.list(GATEWAYS).catch(e => e),
      );
      // At most two calls per cluster are in flight: two connections, no third.
      await eventually(() => expect(server.open()).toBe(2));
      await quietPeriod();
      expect(server.maxOpen()).toBe(2);
      const started = Date.now();
      controller.abort();
      const errors = await Promise.all(calls);
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(errors.every(e => e instanceof KubernetesApiError)).toBe(true);
      await eventually(() => expect(server.open()).toBe(0));
      // The calls that waited for a slot never connect.
      await quietPeriod();
      expect(server.maxOpen()).toBe(2);
    } finally {
      await server.close();
    }
  });

  it('says the API server could not be reached without naming its address', async () => {
    const server = await startStalledServer();
    await server.close();
    const connection = await clientFor(server.url, {
      timeoutMs: 2_000,
    }).connect('c');
    const error = await connection.list(GATEWAYS).catch(e => e);
    expect(error.message).toBe(
      'list gateways.gateway.networking.k8s.io/v1: the API server could not be reached (ECONNREFUSED)',
    );
    expect(error.message).not.toContain('127.0.0.1');
    // The log gets the details.
    expect(error.detail).toContain('127.0.0.1');
  });
  it("bounds opening a cluster (which may list the Kubernetes plugin's clusters) by the same timeout", async () => {
    const client = new ClientNodeKubernetesObjectClient(
      new InMemoryKubernetesClusters([
        { name: 'c', kubeConfig: () => new Promise(() => {}) },
      ]),
      { timeoutMs: 200 },
    );
    const started = Date.now();
    const error = await client.connect('c').catch(e => e);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(error).toBeInstanceOf(KubernetesApiError);
    expect(error.message).toBe('open cluster c: no answer within 200 ms');
  });
});

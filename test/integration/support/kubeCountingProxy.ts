/**
 * A loopback HTTP front of a peer kube-apiserver (HTTPS, its own CA) that
 * records each request (method, path, whether it is a watch) and streams
 * answers through (watches included), so a test can count the Kubernetes
 * round trips of a real backend, and cut its watches as a lost connection
 * would.
 */
import http from 'node:http';
import https from 'node:https';
import { AddressInfo, Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import * as k8s from '@kubernetes/client-node';

export interface KubeRequest {
  method: string;
  path: string;
  watch: boolean;
}

export interface KubeCountingProxy {
  url: string;
  requests: KubeRequest[];
  /** Requests other than watches (lists and gets: the round trips a read costs). */
  reads(): KubeRequest[];
  /**
   * Ends every open watch and answers 503 to every request (as a proxy that
   * lost its upstream) until the returned function is called. The watches
   * end cleanly: an aborted upstream is not passed on by the Kubernetes
   * plugin's proxy (the watch cache's stall guard ends such a watch later).
   */
  interrupt(): () => void;
  close(): Promise<void>;
}

export interface KubeCountingProxyOptions {
  /** How long to hold a request before passing it on (a slow API server for it); none by default. */
  holdMs?: (request: KubeRequest) => number;
}

export async function startKubeCountingProxy(
  kc: k8s.KubeConfig,
  { holdMs }: KubeCountingProxyOptions = {},
): Promise<KubeCountingProxy> {
  const cluster = kc.getCurrentCluster()!;
  const upstream = new URL(cluster.server);
  const ca = cluster.caFile ? readFileSync(cluster.caFile) : undefined;
  const requests: KubeRequest[] = [];
  const sockets = new Set<Socket>();
  const openWatches = new Set<http.ServerResponse>();
  let interrupted = false;

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://proxy');
    const watch = url.searchParams.get('watch') === 'true';
    const request = { method: req.method ?? 'GET', path: url.pathname, watch };
    requests.push(request);
    const held = holdMs?.(request) ?? 0;
    if (held > 0) {
      const timer = setTimeout(() => pass(req, res, watch), held);
      res.on('close', () => clearTimeout(timer));
    } else {
      pass(req, res, watch);
    }
  });
  /** Passes a request on to the API server and streams its answer back. */
  function pass(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    watch: boolean,
  ): void {
    if (interrupted) {
      res.writeHead(503).end();
      return;
    }
    if (watch) {
      openWatches.add(res);
      res.on('close', () => openWatches.delete(res));
    }
    const forward = https.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        path: req.url,
        method: req.method,
        headers: { ...req.headers, host: upstream.host },
        ca,
      },
      answer => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    res.on('close', () => forward.destroy());
    req.pipe(forward);
  }
  server.on('connection', socket => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>(resolve =>
    server.listen(0, '127.0.0.1', () => resolve()),
  );
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    reads: () => requests.filter(r => !r.watch),
    interrupt: () => {
      interrupted = true;
      openWatches.forEach(res => res.end());
      return () => {
        interrupted = false;
      };
    },
    close: () =>
      new Promise(resolve => {
        sockets.forEach(s => s.destroy());
        server.close(() => resolve());
      }),
  };
}

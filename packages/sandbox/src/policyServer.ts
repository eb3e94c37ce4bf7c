/**
 * Serves the controller's IAM policy to the controller setup on loopback, at
 * the path layout of its published URL (/{version}/iam_policy.json), so the
 * portal's fetch-iam-policy step runs unchanged (same-origin, size cap,
 * pinned sha256) without reaching GitHub. Only the release the document is
 * known to equal is served; any other path is a 404.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PolicyServer {
  urlTemplate: string;
  close(): Promise<void>;
}

export function servePolicy(
  release: string,
  document: Buffer,
): Promise<PolicyServer> {
  const path = `/${release}/iam_policy.json`;
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url === path)
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(document);
    else res.writeHead(404).end();
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () =>
      resolve({
        urlTemplate: `http://127.0.0.1:${
          (server.address() as AddressInfo).port
        }/{version}/iam_policy.json`,
        close: () =>
          new Promise(r => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      }),
    );
  });
}

/**
 * A catalog file served over HTTP from loopback, for locations registered
 * through the catalog REST API the way any signed-in user can.
 */
import http from 'node:http';
import { AddressInfo } from 'node:net';

export function serveCatalogFile(
  body: string,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/yaml' }).end(body);
  });
  return new Promise(resolve =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}/catalog-info.yaml`,
        close: () =>
          new Promise<void>(r => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    }),
  );
}

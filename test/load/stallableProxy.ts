/**
 * A loopback TCP proxy that can stall: while stalled, connections are
 * accepted and requests are read, but nothing is forwarded or answered, as
 * when the service behind it hangs (a network partition, a stopped process).
 * resume() lets everything held flow again. Used in front of the AWS peer.
 */
import net from 'node:net';
import { AddressInfo } from 'node:net';

export interface StallableProxy {
  /** http://127.0.0.1:<port>, to use as the upstream's endpoint. */
  endpoint: string;
  stall(): void;
  resume(): void;
  close(): Promise<void>;
}

export function startStallableProxy(upstream: string): Promise<StallableProxy> {
  const target = new URL(upstream);
  const sockets = new Set<net.Socket>();
  const held: Array<() => void> = [];
  let stalled = false;

  const server = net.createServer(client => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    client.pause();
    const connect = () => {
      const remote = net.connect(Number(target.port), target.hostname);
      sockets.add(remote);
      remote.on('close', () => sockets.delete(remote));
      remote.on('error', () => client.destroy());
      client.on('close', () => remote.destroy());
      remote.on('close', () => client.destroy());
      // Forward chunk by chunk, holding each one while stalled.
      const forward = (from: net.Socket, to: net.Socket) =>
        from.on('data', chunk => {
          if (!stalled) {
            to.write(chunk);
            return;
          }
          from.pause();
          held.push(() => {
            to.write(chunk);
            from.resume();
          });
        });
      forward(client, remote);
      forward(remote, client);
      client.resume();
    };
    if (stalled) held.push(connect);
    else connect();
  });

  return new Promise(resolve =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        endpoint: `http://127.0.0.1:${port}`,
        stall: () => {
          stalled = true;
        },
        resume: () => {
          stalled = false;
          for (const release of held.splice(0)) release();
        },
        close: () =>
          new Promise<void>(r => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      });
    }),
  );
}

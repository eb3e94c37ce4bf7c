/**
 * A loopback TCP server that accepts connections and never answers: a
 * stalled AWS endpoint or API server. It reads (and drops) what arrives, so
 * that a client closing its socket is seen, and counts the sockets still open.
 */
import net, { AddressInfo } from 'node:net';

/** A TCP server that accepts connections and never answers. @public */
export interface StalledServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Connections still open. */
  open(): number;
  /** Connections accepted so far. */
  accepted(): number;
  /** Most connections open at once. */
  maxOpen(): number;
  close(): Promise<void>;
}

/** Starts a {@link StalledServer} on loopback. @public */
export async function startStalledServer(): Promise<StalledServer> {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  let maxOpen = 0;
  const server = net.createServer(socket => {
    accepted++;
    sockets.add(socket);
    maxOpen = Math.max(maxOpen, sockets.size);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.resume();
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    open: () => sockets.size,
    accepted: () => accepted,
    maxOpen: () => maxOpen,
    close: () =>
      new Promise<void>(r => {
        sockets.forEach(s => s.destroy());
        server.close(() => r());
      }),
  };
}

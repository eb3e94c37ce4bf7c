import { once } from 'node:events';
import https from 'node:https';
import { Duplex } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * How long connections opened while a server's first TLS handshake is under
 * way wait for its session before doing full handshakes of their own. Only a
 * stalled first handshake makes them wait this long.
 */
export const FIRST_SESSION_WAIT_MS = 1_000;

type ConnectionOptions = Parameters<https.Agent['createConnection']>[0] & {
  /** Set by Node's Agent on every connection it opens: host, port and TLS options. */
  _agentKey?: string;
};
type OnCreate = (err: Error | null, socket: Duplex) => void;

/**
 * A keep-alive https agent whose first connection's TLS session is resumed by
 * the connections opened while it was being established. Node's agent caches
 * a connection's session for its next connections, but a burst of requests on
 * a new agent (a cold cluster's first lists, all at once) would each do a full
 * handshake: the server signs and the client verifies the certificate chain
 * once per connection. Here the burst's other connections wait for the first
 * one's session (its ticket, or its first answer, or its end, at most
 * FIRST_SESSION_WAIT_MS) and resume it. A session is only ever resumed by
 * connections of the same agent, so of the same server, CA, client
 * certificate and TLS options; verification is never skipped for a server
 * that has not proven the session. A server that issues no ticket makes only
 * its first burst wait.
 */
export class ResumingHttpsAgent extends https.Agent {
  /** First handshakes under way, by connection key. */
  private readonly firstHandshakes = new Map<string, Promise<void>>();
  /** Connection keys whose server answered its first request without a ticket: not waited for again. */
  private readonly noTicket = new Set<string>();
  private destroyed = false;

  override createConnection(
    options: ConnectionOptions,
    oncreate?: OnCreate,
  ): Duplex | null | undefined {
    const key = options._agentKey ?? this.getName(options);
    const firstHandshake = this.firstHandshakes.get(key);
    if (firstHandshake && oncreate) {
      firstHandshake.then(() => {
        // Node's Agent reads no socket with an error.
        const failed = (e: unknown) => oncreate(e as Error, undefined as never);
        if (this.destroyed) {
          failed(new Error('the connection pool was closed'));
          return;
        }
        try {
          const socket = super.createConnection(options);
          if (socket) oncreate(null, socket);
          else failed(new Error('no connection was opened'));
        } catch (e) {
          failed(e);
        }
      });
      // Node's Agent waits for `oncreate` when no socket is returned.
      return undefined;
    }
    const socket = super.createConnection(options);
    if (
      socket &&
      !firstHandshake &&
      !this.noTicket.has(key) &&
      !this.hasSession(key)
    ) {
      this.firstHandshakes.set(key, this.firstSession(key, socket));
    }
    return socket;
  }

  override destroy(): void {
    this.destroyed = true;
    super.destroy();
  }

  /** Whether Node's agent holds a session to resume for this key. */
  private hasSession(key: string): boolean {
    return Boolean((this as unknown as SessionCache)._getSession(key));
  }

  /** Settles when the first connection has a session to share, or will not have one. */
  private async firstSession(key: string, socket: Duplex): Promise<void> {
    const stop = new AbortController();
    const { signal } = stop;
    // A failed connection ('error') or a listener stopped below reads as 'failed'.
    const on = (event: string) =>
      once(socket, event, { signal }).then(
        () => event,
        () => 'failed',
      );
    try {
      // 'session' is cached by Node's own listener, added before this one.
      const first = await Promise.race([
        on('session'),
        on('free'),
        on('close'),
        sleep(FIRST_SESSION_WAIT_MS, 'timeout', { signal, ref: false }).catch(
          () => 'failed',
        ),
      ]);
      // Its first answer read with no ticket before it: this server issues none.
      if (first === 'free' && !this.hasSession(key)) this.noTicket.add(key);
    } finally {
      stop.abort();
      this.firstHandshakes.delete(key);
    }
  }
}

/** Node's https.Agent session cache (lib/https.js), which its createConnection fills and reads. */
interface SessionCache {
  _getSession(key: string): Buffer | undefined;
}

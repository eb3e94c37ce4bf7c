/**
 * A subscriber of a real backend's signals WebSocket (`/api/signals`), as the
 * frontend's signal API is: it connects with the user's token and subscribes
 * to one channel; what arrives is recorded with the time it arrived.
 */
export class SignalsSubscriber {
  readonly received: Array<{ channel: string; at: number }> = [];
  private socket?: WebSocket;

  /** `authorization` is the Authorization header the app would send (`Bearer <token>`). */
  async connect(
    baseUrl: string,
    channel: string,
    authorization: string,
  ): Promise<void> {
    const url = `${baseUrl.replace(/^http/, 'ws')}/api/signals`;
    // Node's WebSocket (undici) takes headers: the user's token, as the app sends it.
    const socket = new WebSocket(url, {
      headers: { Authorization: authorization },
    } as unknown as string[]);
    this.socket = socket;
    await new Promise<void>((resolve, reject) => {
      socket.onopen = () => resolve();
      socket.onerror = e =>
        reject(new Error(`signals WebSocket: ${String(e)}`));
    });
    socket.onmessage = event => {
      const data = JSON.parse(String(event.data));
      this.received.push({ channel: data.channel, at: Date.now() });
    };
    socket.send(JSON.stringify({ action: 'subscribe', channel }));
  }

  close() {
    this.socket?.close();
  }
}

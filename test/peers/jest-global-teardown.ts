/** Jest globalTeardown: stop only what globalSetup started. */
export default async function globalTeardown(): Promise<void> {
  const running = globalThis.__PEERS__;
  if (running) {
    globalThis.__PEERS__ = undefined;
    delete process.env.PEERS_FILE;
    await running.stop();
  }
}

/** Jest globalTeardown: stop only what globalSetup started. */
import fs from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const started = globalThis.__PEERS_CHILD__;
  if (!started) return;
  globalThis.__PEERS_CHILD__ = undefined;
  delete process.env.PEERS_FILE;
  const alive = () => {
    try {
      process.kill(started.pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  try {
    process.kill(started.pid, 'SIGTERM');
  } catch {
    /* already gone */
  }
  for (let i = 0; i < 150 && alive(); i++)
    await new Promise(r => setTimeout(r, 100));
  if (alive()) process.kill(started.pid, 'SIGKILL');
  fs.rmSync(started.dir, { recursive: true, force: true });
}

/**
 * Jest globalSetup: start the peers once for the whole run (both projects),
 * unless PEERS_FILE already points at a running set. A peer that cannot start
 * fails the run -- always, and in particular with CI=true; tests are never
 * silently skipped.
 */
import fs from 'node:fs';
import { startPeers, RunningPeers } from './harness';

declare global {
  // eslint-disable-next-line no-var
  var __PEERS__: RunningPeers | undefined;
}

export default async function globalSetup(): Promise<void> {
  const existing = process.env.PEERS_FILE;
  if (existing) {
    if (!fs.existsSync(existing)) {
      throw new Error(`PEERS_FILE=${existing} does not exist; unset it to let the test run start its own peers`);
    }
    process.stderr.write(`[peers] using already running peers from PEERS_FILE=${existing}\n`);
    return;
  }
  let running: RunningPeers;
  try {
    running = await startPeers();
  } catch (e: any) {
    const ci = process.env.CI === 'true' || process.env.CI === '1';
    throw new Error(
      `\n[peers] could not start the test peers${ci ? ' (CI=true: this fails the run)' : ''}.\n` +
        `${e?.message ?? e}\n` +
        'Run `./run peers install` to see the install step that fails.\n',
    );
  }
  globalThis.__PEERS__ = running;
  process.env.PEERS_FILE = running.file;
}

import fs from 'node:fs';
import startPeers from '../peers/jest-global-setup';
import stopPeers from '../peers/jest-global-teardown';
import { ensureAppBuilt } from './portal';

/**
 * Browser tests need Chromium, the built frontend and the peers (the same
 * separate peers process the jest suites use; PEERS_FILE reaches the workers
 * through the environment). Returns the teardown.
 */
export default async function globalSetup() {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!fs.existsSync(chromium)) {
    throw new Error(
      `Chromium not found at ${chromium}: install Debian's chromium (scripts/system-deps.sh does, as root) or set CHROMIUM_PATH`,
    );
  }
  ensureAppBuilt();
  await startPeers();
  return async () => {
    await stopPeers();
  };
}

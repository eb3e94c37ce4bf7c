import fs from 'node:fs';
import { ensureAppBuilt } from './portal';

export default async function globalSetup() {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!fs.existsSync(chromium)) {
    throw new Error(
      `Chromium not found at ${chromium}: install Debian's chromium (scripts/system-deps.sh does, as root) or set CHROMIUM_PATH`,
    );
  }
  ensureAppBuilt();
}

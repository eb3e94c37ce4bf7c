/**
 * `yarn workspace @gateway-portal/test-suite bench`: runs every benchmark
 * script in turn (each prints its own figures).
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const scripts = ['status-bench.ts'];
const args = process.argv.slice(2);
for (const s of scripts) {
  execFileSync(
    process.execPath,
    [...process.execArgv, path.join(__dirname, s), ...args],
    { stdio: 'inherit' },
  );
}

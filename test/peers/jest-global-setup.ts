/**
 * Jest globalSetup: start the peers once for the whole run (both projects),
 * unless PEERS_FILE already points at a running set.
 *
 * The peers run in a separate process (`tsx peers/cli.ts start`), not inside
 * jest: jest may run test files in-band in this very process, and a test that
 * makes a synchronous call (execFileSync('git', ['clone', ...])) would
 * otherwise deadlock against an in-process git server or AWS emulator. The
 * child watches this process and stops its peers if jest dies.
 *
 * A peer that cannot start fails the run -- always, and in particular with
 * CI=true; tests are never silently skipped.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

declare global {
  // eslint-disable-next-line no-var
  var __PEERS_CHILD__: { pid: number; dir: string } | undefined;
}

const TEST_DIR = path.resolve(__dirname, '..');

export default async function globalSetup(): Promise<void> {
  const existing = process.env.PEERS_FILE;
  if (existing) {
    if (!fs.existsSync(existing)) {
      throw new Error(
        `PEERS_FILE=${existing} does not exist; unset it to let the test run start its own peers`,
      );
    }
    process.stderr.write(
      `\n[peers] using already running peers from PEERS_FILE=${existing}\n`,
    );
    return;
  }
  const dir = fs.mkdtempSync(
    path.join(os.tmpdir(), 'gateway-portal-jest-peers-'),
  );
  const out = path.join(dir, 'peers.json');
  const logFile = path.join(dir, 'peers.log');
  const logFd = fs.openSync(logFile, 'a');
  // node --import tsx (not the tsx CLI wrapper): the pid we signal is the harness itself
  const tsx = pathToFileURL(require.resolve('tsx', { paths: [TEST_DIR] })).href;
  const child = spawn(
    process.execPath,
    [
      '--import',
      tsx,
      path.join(TEST_DIR, 'peers', 'cli.ts'),
      'start',
      '--out',
      out,
      '--parent-pid',
      String(process.pid),
      '--quiet',
    ],
    {
      cwd: TEST_DIR,
      stdio: ['ignore', logFd, logFd],
      env: process.env,
    },
  );
  fs.closeSync(logFd);
  process.stderr.write(
    `\n[peers] starting peers (pid ${child.pid}; log ${logFile})\n`,
  );

  let exited: number | null | undefined;
  child.on('exit', code => (exited = code));
  const deadline = Date.now() + 30 * 60_000; // a cold install (kube build) may run first
  while (!fs.existsSync(out)) {
    if (exited !== undefined || Date.now() > deadline) {
      const tail = fs
        .readFileSync(logFile, 'utf8')
        .split('\n')
        .slice(-40)
        .join('\n');
      const ci = process.env.CI === 'true' || process.env.CI === '1';
      if (exited === undefined) child.kill('SIGTERM');
      fs.rmSync(dir, { recursive: true, force: true });
      throw new Error(
        `\n[peers] could not start the test peers${
          ci ? ' (CI=true: this fails the run)' : ''
        }` +
          ` -- ${
            exited !== undefined
              ? `peers process exited with ${exited}`
              : 'timed out'
          }.\n${tail}\n` +
          'Run `./run peers install` to see the install step that fails.\n',
      );
    }
    await new Promise(r => setTimeout(r, 200));
  }
  const info = JSON.parse(fs.readFileSync(out, 'utf8'));
  process.stderr.write(
    `[peers] up in ${info.timings?.total?.toFixed?.(1)}s; PEERS_FILE=${out}\n`,
  );
  globalThis.__PEERS_CHILD__ = { pid: child.pid!, dir };
  process.env.PEERS_FILE = out;
}

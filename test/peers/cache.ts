/**
 * Where the peers live on disk, and small shared utilities (timing, free ports,
 * disk usage). The cache sits OUTSIDE the clone so that a fresh CI clone on the
 * same machine starts warm: ${PEERS_CACHE_DIR:-$HOME/.cache/gateway-portal-peers}.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** test/ directory of the repository (this file is test/peers/cache.ts). */
export const TEST_DIR = path.resolve(__dirname, '..');
export const REPO_ROOT = path.resolve(TEST_DIR, '..');

export function cacheDir(): string {
  const dir =
    process.env.PEERS_CACHE_DIR ||
    path.join(os.homedir(), '.cache', 'gateway-portal-peers');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

export function cachePath(...parts: string[]): string {
  return path.join(cacheDir(), ...parts);
}

/** The shared reference data (CRDs). Never copied into the repository. */
export function referenceDir(): string {
  const shared =
    process.env.SHARED_DIR || path.resolve(REPO_ROOT, '..', 'shared');
  return path.join(shared, 'reference');
}

export function log(msg: string): void {
  process.stderr.write(`[peers] ${msg}\n`);
}

/** Runs fn and logs how long it took. */
export async function timed<T>(
  label: string,
  fn: () => Promise<T> | T,
): Promise<T> {
  const t0 = Date.now();
  try {
    const result = await fn();
    log(`${label}: ${((Date.now() - t0) / 1000).toFixed(1)}s`);
    return result;
  } catch (e) {
    log(`${label}: FAILED after ${((Date.now() - t0) / 1000).toFixed(1)}s`);
    throw e;
  }
}

/** A free TCP port on 127.0.0.1 (the OS picks; tiny race window is acceptable). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Disk usage of a path in bytes (du -sb), 0 when missing. */
export function diskUsage(p: string): number {
  if (!fs.existsSync(p)) return 0;
  try {
    return Number(
      execFileSync('du', ['-sb', p], { encoding: 'utf8' }).split('\t')[0],
    );
  } catch {
    return 0;
  }
}

export function humanBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let n = bytes;
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n.toFixed(i ? 1 : 0)} ${units[i]}`;
}

/** Sizes of the peers cache and of the Go caches the kube build fills. */
export function cacheReport(): Record<string, string> {
  const report: Record<string, string> = {};
  const root = cacheDir();
  for (const entry of fs.readdirSync(root)) {
    report[`cache/${entry}`] = humanBytes(diskUsage(path.join(root, entry)));
  }
  report['cache (total)'] = humanBytes(diskUsage(root));
  try {
    const env = JSON.parse(
      execFileSync('go', ['env', '-json', 'GOMODCACHE', 'GOCACHE'], {
        encoding: 'utf8',
      }),
    );
    report['go module cache (shared)'] = humanBytes(diskUsage(env.GOMODCACHE));
    report['go build cache (shared)'] = humanBytes(diskUsage(env.GOCACHE));
  } catch {
    /* go not on PATH: nothing to report */
  }
  return report;
}

export function sleep(ms: number): Promise<void> {
  return new Promise(r => setTimeout(r, ms));
}

/** Polls fn until it returns a truthy value or the deadline passes. */
export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined | false>,
  timeoutMs = 60_000,
  intervalMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastErr: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      lastErr = e;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs / 1000}s waiting for ${what}${
          lastErr ? `: ${String(lastErr)}` : ''
        }`,
      );
    }
    await sleep(intervalMs);
  }
}

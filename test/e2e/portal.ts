/**
 * Starts the real portal for browser tests: the backend (packages/backend,
 * through backstage-cli) serving the built frontend (packages/app/dist) on one
 * loopback port, with a generated config overlay on top of app-config.yaml.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { freePort, REPO_ROOT } from '../peers/cache';

// eslint-disable-next-line no-control-regex
const ANSI_ESCAPES = /\u001b\[[0-9;]*m/g;

export const ARTIFACTS_DIR = path.join(REPO_ROOT, 'test', 'artifacts');

export interface RunningPortal {
  baseUrl: string;
  logFile: string;
  /** Lines the backend logged at level error during startup. */
  startupErrors: string[];
  stop(): Promise<void>;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(
      newest,
      entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs,
    );
  }
  return newest;
}

/** Builds packages/app unless its dist is newer than every frontend source. */
export function ensureAppBuilt(): void {
  const index = path.join(REPO_ROOT, 'packages', 'app', 'dist', 'index.html');
  const sources = [
    path.join(REPO_ROOT, 'packages', 'app'),
    path.join(REPO_ROOT, 'plugins', 'aws-gateway'),
    path.join(REPO_ROOT, 'plugins', 'aws-gateway-common'),
  ];
  const sourceTime = Math.max(...sources.map(newestMtime));
  if (fs.existsSync(index) && fs.statSync(index).mtimeMs > sourceTime) {
    return;
  }
  const t0 = Date.now();
  process.stderr.write('[portal] building the frontend (packages/app)...\n');
  const result = spawnSync('yarn', ['workspace', 'app', 'build'], {
    cwd: REPO_ROOT,
    // Jest sets NODE_ENV=test, which selects no browserslist environment.
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) {
    throw new Error(`frontend build failed with exit code ${result.status}`);
  }
  process.stderr.write(
    `[portal] frontend built in ${Math.round((Date.now() - t0) / 1000)}s\n`,
  );
}

/** Resolves when `url` answers 2xx; rejects when `child` exits first or after `timeoutMs`. */
export async function waitForHealthy(
  url: string,
  child: ChildProcess,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(
        `backend exited with code ${child.exitCode} before it was ready`,
      );
    }
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise(r => setTimeout(r, 500));
  }
  throw new Error(`backend not ready at ${url} after ${timeoutMs} ms`);
}

/**
 * Starts the backend with app-config.yaml plus `overlay`. The frontend is
 * served by the app backend from the same origin.
 */
export async function startPortal(
  options: {
    overlay?: Record<string, unknown>;
    env?: Record<string, string>;
    name?: string;
  } = {},
): Promise<RunningPortal> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-'));
  const overlayFile = path.join(workDir, 'app-config.e2e.yaml');
  // `backend` is merged one level deep: an overlay may add e.g. database and
  // cache (the production profile) and keep this replica's URL and port.
  const { backend: backendOverlay, ...otherOverlay } = options.overlay ?? {};
  const overlay = {
    app: { baseUrl },
    ...otherOverlay,
    backend: {
      baseUrl,
      listen: { port, host: '127.0.0.1' },
      cors: { origin: baseUrl },
      ...(backendOverlay as Record<string, unknown> | undefined),
    },
  };
  fs.writeFileSync(overlayFile, YAML.stringify(overlay));
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const logFile = path.join(
    ARTIFACTS_DIR,
    `backend-${options.name ?? 'e2e'}.log`,
  );
  const log = fs.openSync(logFile, 'w');
  const child = spawn(
    'yarn',
    [
      'backstage-cli',
      'package',
      'start',
      '--config',
      path.join(REPO_ROOT, 'app-config.yaml'),
      '--config',
      overlayFile,
    ],
    {
      cwd: path.join(REPO_ROOT, 'packages', 'backend'),
      env: {
        ...process.env,
        ...options.env,
        NODE_ENV: 'development',
        FORCE_COLOR: '0',
      },
      stdio: ['ignore', log, log],
      detached: true,
    },
  );
  const stop = async () => {
    if (child.exitCode !== null) return;
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      return;
    }
    const exited = new Promise(r => child.once('exit', r));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise(r => {
      timer = setTimeout(r, 10_000);
    });
    await Promise.race([exited, timeout]);
    clearTimeout(timer);
    if (child.exitCode === null) {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    fs.rmSync(workDir, { recursive: true, force: true });
  };
  process.once('exit', () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  });
  try {
    await waitForHealthy(
      `${baseUrl}/.backstage/health/v1/readiness`,
      child,
      180_000,
    );
  } catch (e) {
    await stop();
    throw new Error(`${(e as Error).message}; see ${logFile}`);
  }
  // The app backend serves the frontend a little after the backend is ready.
  try {
    await waitForHealthy(`${baseUrl}/catalog`, child, 120_000);
  } catch (e) {
    await stop();
    throw new Error(
      `frontend not served: ${(e as Error).message}; see ${logFile}`,
    );
  }
  // What the backend logged at level error (or a failed plugin start) before it was ready.
  const startupErrors = startupErrorsIn(fs.readFileSync(logFile, 'utf8'));
  return { baseUrl, logFile, startupErrors, stop };
}

/** The lines of a backend log at level error, or saying that the backend failed to start. */
export function startupErrorsIn(log: string): string[] {
  return log
    .split('\n')
    .map(line => line.replace(ANSI_ESCAPES, ''))
    .filter(
      line =>
        /^\S+\s+\S+\s+error\s/.test(line) ||
        /Backend startup failed/.test(line),
    );
}

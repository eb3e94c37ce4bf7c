/**
 * The adopter-install test (`./run adopter`): what a platform team does to add
 * the suite to its Backstage, on a fresh app.
 *   1. pack every publishable package (scripts/pack-packages.sh) and serve the
 *      tarballs from a loopback npm registry for our scope (the "publish");
 *   2. create an app with `@backstage/create-app` (new frontend system);
 *   3. follow the README's install section word for word (installSection.ts);
 *   4. type-check it, build its frontend, start its backend;
 *   5. check in Chromium that the card and both templates appear and that the
 *      actions are registered (adopter.spec.ts), with no backend startup error.
 * Prints the time of each step. Every failure fails the run; nothing is skipped.
 * Caches: npx's (create-app) and Yarn's global cache, both in $HOME.
 * ADOPTER_KEEP=1 keeps the app's folder for a look afterwards.
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { freePort, REPO_ROOT } from '../peers/cache';
import { ARTIFACTS_DIR, startupErrorsIn, waitForHealthy } from '../e2e/portal';
import { applyFileStep } from './applySteps';
import { readInstallSection, shellCommands } from './installSection';
import { offerRepositoryPrebuilds } from './nativePrebuilds';
import { PackedPackage, startLocalRegistry } from './registry';
import {
  ADOPTER_ENTITY_YAML,
  ADOPTER_SCOPE,
  CREATE_APP_VERSION,
  UNUSED_NATIVE_BUILDS,
} from './adopterApp';

const OUT_DIR = path.join(ARTIFACTS_DIR, 'adopter');
const figures: Array<[string, number]> = [];
/** Aborted when the test fails: every step still running is stopped with its process group. */
const stopSteps = new AbortController();

function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; log: string },
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const stop = () => {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // already gone
      }
    };
    stopSteps.signal.addEventListener('abort', stop, { once: true });
    const log = fs.createWriteStream(path.join(OUT_DIR, options.log), {
      flags: 'a',
    });
    log.write(`$ ${command} ${args.join(' ')}  (in ${options.cwd})\n`);
    let stdout = '';
    child.stdout.on('data', chunk => {
      stdout += chunk;
      log.write(chunk);
    });
    child.stderr.pipe(log, { end: false });
    child.on('error', reject);
    child.on('close', code => {
      stopSteps.signal.removeEventListener('abort', stop);
      log.end();
      if (code === 0) resolve(stdout);
      else
        reject(
          new Error(
            `${command} ${args.join(' ')} exited with ${code}; see ${path.join(
              OUT_DIR,
              options.log,
            )}`,
          ),
        );
    });
  });
}

async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const t0 = Date.now();
  process.stderr.write(`[adopter] ${label}...\n`);
  const result = await fn();
  const seconds = Math.round((Date.now() - t0) / 1000);
  figures.push([label, seconds]);
  process.stderr.write(`[adopter] ${label}: ${seconds}s\n`);
  return result;
}

/** Yarn in the adopter's app: its own .yarnrc.yml, lockfile writes allowed even under CI=true. */
const appEnv: NodeJS.ProcessEnv = { YARN_ENABLE_IMMUTABLE_INSTALLS: 'false' };

const PACK_LABEL = 'pack (beside create+install)';

async function packPackages(): Promise<PackedPackage[]> {
  const out = await run(
    'bash',
    [
      path.join(REPO_ROOT, 'scripts', 'pack-packages.sh'),
      path.join(OUT_DIR, 'packages'),
    ],
    { cwd: REPO_ROOT, log: 'pack.log' },
  );
  return out
    .split('\n')
    .filter(Boolean)
    .map(line => {
      const [name, tarball] = line.split(' ');
      return { name, tarball };
    });
}

/** Points the app's Yarn at the loopback registry for our scope only. */
function useRegistryForScope(appDir: string, registryUrl: string): void {
  const file = path.join(appDir, '.yarnrc.yml');
  const rc = YAML.parse(fs.readFileSync(file, 'utf8')) ?? {};
  rc.npmScopes = {
    ...rc.npmScopes,
    [ADOPTER_SCOPE]: { npmRegistryServer: registryUrl },
  };
  rc.unsafeHttpWhitelist = [...(rc.unsafeHttpWhitelist ?? []), '127.0.0.1'];
  // Packed a moment ago: exempt from the app's minimum-age gate for new releases.
  rc.npmPreapprovedPackages = [
    ...(rc.npmPreapprovedPackages ?? []),
    `@${ADOPTER_SCOPE}/*`,
  ];
  fs.writeFileSync(file, YAML.stringify(rc));
}

/** The test's choice before the README's steps: no build of the addons the app never loads (UNUSED_NATIVE_BUILDS). */
function skipUnusedNativeBuilds(appDir: string): void {
  const file = path.join(appDir, 'package.json');
  const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
  pkg.dependenciesMeta = { ...pkg.dependenciesMeta };
  for (const name of UNUSED_NATIVE_BUILDS) {
    pkg.dependenciesMeta[name] = {
      ...pkg.dependenciesMeta[name],
      built: false,
    };
  }
  fs.writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
}

async function createApp(workDir: string): Promise<string> {
  const appDir = path.join(workDir, 'app');
  await run(
    'npx',
    [
      '-y',
      `@backstage/create-app@${CREATE_APP_VERSION}`,
      '--skip-install',
      '--path',
      appDir,
    ],
    {
      cwd: workDir,
      env: { BACKSTAGE_APP_NAME: 'adopter-app' },
      log: 'create-app.log',
    },
  );
  return appDir;
}

async function followInstallSection(appDir: string): Promise<void> {
  const installEnv = { ...appEnv, ...offerRepositoryPrebuilds(OUT_DIR) };
  for (const step of readInstallSection(path.join(REPO_ROOT, 'README.md'))) {
    if (step.kind !== 'shell') {
      applyFileStep(appDir, step);
      continue;
    }
    for (const command of shellCommands(step.code)) {
      process.stderr.write(`[adopter]   $ ${command}\n`);
      await run('bash', ['-euo', 'pipefail', '-c', command], {
        cwd: appDir,
        env: installEnv,
        log: 'install.log',
      });
    }
  }
}

interface StartedBackend {
  baseUrl: string;
  child: ChildProcess;
  logFile: string;
}

async function startBackend(appDir: string): Promise<StartedBackend> {
  // The test's own component, with the annotation the card looks for and no cluster anywhere.
  fs.appendFileSync(
    path.join(appDir, 'examples', 'entities.yaml'),
    `\n${ADOPTER_ENTITY_YAML}`,
  );
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const overlay = path.join(appDir, 'app-config.adopter-test.yaml');
  fs.writeFileSync(
    overlay,
    YAML.stringify({
      app: { baseUrl },
      backend: {
        baseUrl,
        listen: { port, host: '127.0.0.1' },
        cors: { origin: baseUrl },
      },
    }),
  );
  const logFile = path.join(OUT_DIR, 'backend.log');
  const log = fs.openSync(logFile, 'w');
  const child = spawn(
    'yarn',
    ['start', '--config', '../../app-config.yaml', '--config', overlay],
    {
      cwd: path.join(appDir, 'packages', 'backend'),
      env: {
        ...process.env,
        ...appEnv,
        NODE_ENV: 'development',
        FORCE_COLOR: '0',
      },
      stdio: ['ignore', log, log],
      detached: true,
    },
  );
  const started = { baseUrl, child, logFile };
  try {
    await waitForHealthy(
      `${baseUrl}/.backstage/health/v1/readiness`,
      child,
      300_000,
    );
    await waitForHealthy(`${baseUrl}/catalog`, child, 120_000);
  } catch (e) {
    stopBackend(started);
    throw new Error(`${(e as Error).message}; see ${logFile}`);
  }
  return started;
}

function stopBackend(backend: StartedBackend | undefined): void {
  if (!backend || backend.child.exitCode !== null) return;
  try {
    process.kill(-backend.child.pid!, 'SIGTERM');
  } catch {
    // already gone
  }
}

async function main(): Promise<void> {
  fs.rmSync(OUT_DIR, { recursive: true, force: true });
  fs.mkdirSync(OUT_DIR, { recursive: true });
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'adopter-'));
  const t0 = Date.now();
  let backend: StartedBackend | undefined;
  let registry: Awaited<ReturnType<typeof startLocalRegistry>> | undefined;
  let failed = false;
  let total = 0;
  try {
    // The packing runs beside the app's creation and the README's first
    // steps, which install everything but our packages (two cores: the
    // packages' builds and the app's native addons); the loopback registry
    // holds back its answers until the tarballs are there.
    const packing = timed(PACK_LABEL, packPackages);
    const served = startLocalRegistry(packing);
    const installing = (async () => {
      registry = await served;
      const appDir = await timed('create the app', () => createApp(workDir));
      useRegistryForScope(appDir, registry.url);
      skipUnusedNativeBuilds(appDir);
      await timed('install (README steps)', () => followInstallSection(appDir));
      return appDir;
    })();
    const [packages, appDir] = await Promise.all([
      packing,
      installing,
      served.then(r => r.ready),
    ]);
    process.stderr.write(
      `[adopter] packed: ${packages.map(p => p.name).join(', ')}\n`,
    );
    await timed('build (tsc + frontend)', async () => {
      await run('yarn', ['tsc'], {
        cwd: appDir,
        env: appEnv,
        log: 'build.log',
      });
      await run('yarn', ['workspace', 'app', 'build'], {
        cwd: appDir,
        env: { ...appEnv, NODE_ENV: 'production' },
        log: 'build.log',
      });
    });
    backend = await timed('start the backend', () => startBackend(appDir));
    const errors = startupErrorsIn(fs.readFileSync(backend.logFile, 'utf8'));
    if (errors.length > 0) {
      throw new Error(
        `the adopter's backend logged startup errors:\n${errors.join('\n')}`,
      );
    }
    const baseUrl = backend.baseUrl;
    await timed('browser and API checks', () =>
      run(
        'yarn',
        [
          'playwright',
          'test',
          '-c',
          path.join('adopter', 'playwright.config.ts'),
        ],
        {
          cwd: path.join(REPO_ROOT, 'test'),
          env: { ADOPTER_BASE_URL: baseUrl },
          log: 'playwright.log',
        },
      ),
    );
  } catch (e) {
    failed = true;
    stopSteps.abort();
    process.stderr.write(`[adopter] FAILED: ${(e as Error).message}\n`);
  } finally {
    // The adopter's time; removing the app's folder afterwards is the test's own.
    total = Math.round((Date.now() - t0) / 1000);
    stopBackend(backend);
    await registry?.close();
    if (!process.env.ADOPTER_KEEP) {
      fs.rmSync(workDir, { recursive: true, force: true });
    } else {
      process.stderr.write(`[adopter] app kept in ${workDir}/app\n`);
    }
  }
  const lines = [
    ...figures.map(
      ([label, s]) => `${label.padEnd(28)} ${String(s).padStart(5)} s`,
    ),
    `${'total'.padEnd(28)} ${String(total).padStart(5)} s`,
  ];
  fs.writeFileSync(path.join(OUT_DIR, 'figures.txt'), `${lines.join('\n')}\n`);
  process.stdout.write(`[adopter] figures:\n${lines.join('\n')}\n`);
  process.stdout.write(
    `[adopter] ${failed ? 'FAILED' : 'passed'}; logs in ${OUT_DIR}\n`,
  );
  process.exit(failed ? 1 : 0);
}

main();

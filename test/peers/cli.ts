/**
 * peers install [--lbc]   build/install everything into the cache; prints cold/warm times and cache sizes
 * peers start [--out F]   start the peers, write the PEERS_FILE JSON, stay in the foreground until SIGINT/SIGTERM
 *                         (--parent-pid P: also stop when process P is gone; --quiet: do not print the JSON)
 * peers status            show the cache, pinned versions and whether a started set is alive
 *
 * Run from the repo root as `./run peers <verb>` (= yarn workspace @gateway-portal/test-suite peers <verb>).
 */
import fs from 'node:fs';
import path from 'node:path';
import { cacheDir, cachePath, cacheReport, log } from './cache';
import { DEFAULT_PROFILES } from './crds';
import {
  installPeers,
  PeersInfo,
  requestedComponents,
  startPeers,
} from './harness';
import { KUBE_VERSION, ETCD_VERSION, kubeBinDir, kubeInstalled } from './kube';
import { LBC_VERSION, lbcInstalled } from './lbc';
import { MOTO_VERSION, motoInstalled } from './moto';

const STATE_FILE = () => cachePath('run', 'current.json');

/** What `peers start` remembers for `peers status`. */
interface StartedPeers {
  pid: number;
  file: string;
}

function printCache() {
  const r = cacheReport();
  for (const [k, v] of Object.entries(r)) console.log(`  ${k.padEnd(32)} ${v}`);
}

async function install(args: string[]) {
  const lbc = args.includes('--lbc');
  const t0 = Date.now();
  const wasWarm =
    motoInstalled() && kubeInstalled() && (!lbc || lbcInstalled());
  await installPeers(requestedComponents(), { lbc });
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  console.log(
    `peers install: ${
      wasWarm ? 'warm' : 'cold'
    } in ${secs}s (cache ${cacheDir()})`,
  );
  printCache();
}

async function start(args: string[]) {
  const outIdx = args.indexOf('--out');
  const parentIdx = args.indexOf('--parent-pid');
  const quiet = args.includes('--quiet');
  const running = await startPeers();
  const out = outIdx >= 0 ? path.resolve(args[outIdx + 1]) : running.file;
  if (out !== running.file) {
    // write-then-rename: a watcher never sees a half-written file
    fs.copyFileSync(running.file, `${out}.tmp`);
    fs.renameSync(`${out}.tmp`, out);
  }
  if (parentIdx < 0) {
    // interactive `peers start`: remember it for `peers status`
    fs.mkdirSync(path.dirname(STATE_FILE()), { recursive: true });
    const started: StartedPeers = { pid: process.pid, file: out };
    fs.writeFileSync(STATE_FILE(), JSON.stringify(started));
  }
  if (!quiet) console.log(fs.readFileSync(running.file, 'utf8'));
  console.log(`\nexport PEERS_FILE=${out}\n(peers running; Ctrl-C to stop)`);
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    log('stopping peers');
    await running.stop();
    if (out !== running.file) fs.rmSync(out, { force: true });
    if (parentIdx < 0) fs.rmSync(STATE_FILE(), { force: true });
    process.exit(0);
  };
  if (parentIdx >= 0) {
    // started by jest's globalSetup: stop when that process is gone
    const parent = Number(args[parentIdx + 1]);
    setInterval(() => {
      try {
        process.kill(parent, 0);
      } catch {
        log(`parent ${parent} is gone`);
        void shutdown();
      }
    }, 1000);
  }
  // Registered after the harness' own handlers would call process.exit first,
  // so replace them: a graceful stop, then exit.
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.removeAllListeners('SIGHUP');
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  process.on('SIGHUP', shutdown);
  setInterval(() => undefined, 1 << 30);
}

async function status() {
  console.log(`cache: ${cacheDir()}`);
  console.log(
    `  moto[server] ${MOTO_VERSION}: ${
      motoInstalled() ? 'installed' : 'missing'
    }`,
  );
  console.log(
    `  kube-apiserver ${KUBE_VERSION} + etcd ${ETCD_VERSION}: ${
      kubeInstalled() ? `built (${kubeBinDir()})` : 'missing'
    }`,
  );
  console.log(
    `  aws-load-balancer-controller ${LBC_VERSION} (optional): ${
      lbcInstalled() ? 'built' : 'missing'
    }`,
  );
  console.log(`  CRD profiles: ${DEFAULT_PROFILES.join(', ')}`);
  printCache();
  if (!fs.existsSync(STATE_FILE())) {
    console.log('no peers started by `peers start` are running');
    return;
  }
  const st = JSON.parse(fs.readFileSync(STATE_FILE(), 'utf8')) as StartedPeers;
  let alive = false;
  try {
    process.kill(st.pid, 0);
    alive = true;
  } catch {
    /* dead */
  }
  console.log(
    `peers start pid ${st.pid}: ${
      alive ? 'running' : 'NOT running (stale state file)'
    }`,
  );
  if (alive && fs.existsSync(st.file)) {
    const info = JSON.parse(fs.readFileSync(st.file, 'utf8')) as PeersInfo;
    const checks: Array<[string, string]> = [];
    if (info.aws)
      checks.push([
        'aws (emulator -> moto)',
        `${info.aws.endpoint}/moto-api/data.json`,
      ]);
    if (info.git) checks.push(['git', info.git.baseUrl]);
    for (const [name, url] of checks) {
      const ok = await fetch(url).then(
        r => r.status < 500,
        () => false,
      );
      console.log(`  ${name.padEnd(24)} ${url} ${ok ? 'up' : 'DOWN'}`);
    }
    for (const [p, v] of Object.entries(info.kube?.profiles ?? {}))
      console.log(`  kube ${p.padEnd(19)} ${v.server}`);
    console.log(`export PEERS_FILE=${st.file}`);
  }
}

async function main() {
  const [verb, ...args] = process.argv.slice(2);
  switch (verb) {
    case 'install':
      return install(args);
    case 'start':
      return start(args);
    case 'status':
      return status();
    default:
      console.error(
        'usage: peers <install [--lbc] | start [--out FILE] | status>',
      );
      process.exitCode = 2;
      return undefined;
  }
}

main().catch(e => {
  console.error(`[peers] ${e?.stack ?? e}`);
  process.exit(1);
});

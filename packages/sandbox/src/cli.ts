/**
 * `./run start` ends here:
 *
 *   sandbox start [--config F]...   decides (sandboxDecision) from the config the portal will load; when the
 *                                   sandbox applies, starts it and adds its overlay; then runs the portal
 *                                   (backstage-cli repo start) until Ctrl-C, and stops everything
 *   sandbox plan [--config F]...    prints that decision as JSON and exits (nothing is started)
 *
 * Without --config the portal's defaults apply (app-config.yaml, app-config.local.yaml, APP_CONFIG_* variables).
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { targetPaths } from '@backstage/cli-common';
import { ConfigSources } from '@backstage/config-loader';
import { sandboxDecision, SandboxDecision } from './decision';
import { processTreeRss } from './processes';
import { RunningSandbox, startSandbox } from './sandbox';

/** The repository root, found from the working directory (./run start runs there). */
const REPO_ROOT = targetPaths.rootDir;
const STOP_GRACE_MS = 10_000;

function log(message: string) {
  process.stderr.write(`[sandbox] ${message}\n`);
}

function configArgs(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--config' && args[i + 1])
      out.push('--config', path.resolve(args[++i]));
    else
      throw new Error(
        `unknown argument ${args[i]} (usage: sandbox start|plan [--config FILE]...)`,
      );
  }
  return out;
}

/** The decision for the configuration the portal itself would load with these arguments. */
export async function planStart(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<SandboxDecision> {
  const source = ConfigSources.default({
    argv: configArgs(args),
    env,
    rootDir: REPO_ROOT,
    watch: false,
  });
  const config = await ConfigSources.toConfig(source);
  try {
    return sandboxDecision(config, env);
  } finally {
    config.close();
  }
}

/** backstage-cli repo start in its own process group, so that stopping it stops all it started. */
function startPortal(
  portalArgs: string[],
  env: Record<string, string>,
): ChildProcess {
  return spawn('yarn', ['backstage-cli', 'repo', 'start', ...portalArgs], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: 'inherit',
    detached: true,
  });
}

async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid)
    return;
  const exited = new Promise(r => child.once('exit', r));
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, s);
    } catch {
      /* gone */
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
  signal('SIGKILL'); // what the group leader left behind
}

async function waitUntilServed(
  url: string,
  child: ChildProcess,
): Promise<boolean> {
  while (child.exitCode === null) {
    const ok = await fetch(url, { signal: AbortSignal.timeout(2000) }).then(
      r => r.ok,
      () => false,
    );
    if (ok) return true;
    await new Promise(r => setTimeout(r, 1000));
  }
  return false;
}

function banner(sandbox: RunningSandbox, rssBytes: number) {
  const v = sandbox.values;
  const mb = (rssBytes / (1 << 20)).toFixed(0);
  process.stderr.write(
    [
      '',
      '┌ Sandbox ─ emulated AWS (moto), a local cluster, nothing real is created ─────────────',
      `│ cluster ${v.cluster}   region ${v.region}   account ${v.accountId}   VPC ${v.vpcId}`,
      `│ GitOps repository ${v.repoUrl}  (branch main, applied to the cluster within ~2 s)`,
      `│   in the templates' repository picker: host ${
        new URL(v.repoUrl).host
      }, owner and repository from its path`,
      `│ sample Service default/backend:3000 with two ready endpoints`,
      `│ up in ${sandbox.timings.total.toFixed(
        1,
      )} s, ${mb} MB resident (all sandbox processes); Ctrl-C stops everything`,
      '└──────────────────────────────────────────────────────────────────────────────────────',
      '',
    ].join('\n'),
  );
}

async function start(args: string[]) {
  const t0 = Date.now();
  const decision = await planStart(args);
  let sandbox: RunningSandbox | undefined;
  let portalArgs = configArgs(args);
  if (decision.start) {
    log(
      'no cluster and no AWS account configured: starting the local sandbox (see README.md, "Sandbox")',
    );
    sandbox = await startSandbox(log);
    // The sandbox's overlay goes on top of what the portal would load anyway.
    const base = portalArgs.length ? portalArgs : defaultConfigArgs();
    portalArgs = [...base, '--config', sandbox.configFile];
  } else {
    log(`not starting the sandbox: ${decision.reasons.join('; ')}`);
  }
  const portal = startPortal(portalArgs, sandbox?.env ?? {});
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('stopping');
    await stopGroup(portal);
    await sandbox?.stop();
    process.exit(code);
  };
  // The peers harness exits at once on a signal; here the portal goes first, then the sandbox, gracefully.
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.removeAllListeners(s);
    process.on(s, () => void shutdown(0));
  }
  process.once('exit', () => {
    try {
      process.kill(-portal.pid!, 'SIGKILL');
    } catch {
      /* gone */
    }
  });
  portal.once('exit', code => void shutdown(code ?? 1));
  if (sandbox) {
    const rss = processTreeRss(process.pid, new Set([portal.pid!]));
    banner(sandbox, rss);
    if (
      await waitUntilServed(
        'http://localhost:7007/.backstage/health/v1/readiness',
        portal,
      )
    ) {
      log(
        `portal backend ready ${((Date.now() - t0) / 1000).toFixed(
          0,
        )} s after ./run start began the sandbox`,
      );
    }
  }
}

/** What backstage-cli loads without --config: app-config.yaml, and app-config.local.yaml when it exists. */
function defaultConfigArgs(): string[] {
  return ['app-config.yaml', 'app-config.local.yaml']
    .map(f => path.join(REPO_ROOT, f))
    .filter(f => fs.existsSync(f))
    .flatMap(f => ['--config', f]);
}

async function main() {
  const [verb, ...args] = process.argv.slice(2);
  if (verb === 'plan') {
    process.stdout.write(`${JSON.stringify(await planStart(args))}\n`);
    return;
  }
  if (verb === 'start') {
    await start(args);
    return;
  }
  process.stderr.write('usage: sandbox start|plan [--config FILE]...\n');
  process.exit(2);
}

main().catch(e => {
  log(`failed: ${(e as Error)?.stack ?? e}`);
  process.exit(1);
});

/**
 * `./run start` starts the sandbox only when nothing real is configured. Here
 * the portal's configuration names the peers' real kube-apiserver and AWS
 * account (exactly as the browser tests wire the portal to them): the
 * sandbox's CLI, given the same --config files `./run start` passes on to the
 * portal, must decide not to start, say why, and start nothing.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { portalOverlayForPeers } from '../e2e/portalConfig';
import { loadPeers } from '../peers';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(REPO_ROOT, 'packages', 'sandbox', 'src', 'cli.ts');
const TSX = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');

/** The environment without anything that configures AWS, so each case sets exactly what it tests. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !/^(AWS_|APP_CONFIG_|GATEWAY_PORTAL_SANDBOX)/.test(k),
    ),
  );
  return { ...env, ...extra };
}

function plan(
  configs: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ decision: { start: boolean; reasons: string[] }; ms: number }> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    execFile(
      TSX,
      [CLI, 'plan', ...configs.flatMap(c => ['--config', c])],
      { cwd: REPO_ROOT, env, timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error)
          reject(new Error(`sandbox plan failed: ${error.message}\n${stderr}`));
        else
          resolve({
            decision: JSON.parse(stdout.trim().split('\n').pop()!),
            ms: Date.now() - t0,
          });
      },
    );
  });
}

/** Processes whose command line names the peers' binaries, for "nothing was started". */
function peerProcesses(): string[] {
  return fs
    .readdirSync('/proc')
    .filter(p => /^\d+$/.test(p))
    .map(p => {
      try {
        return fs
          .readFileSync(`/proc/${p}/cmdline`, 'utf8')
          .replace(/\0/g, ' ');
      } catch {
        return '';
      }
    })
    .filter(cmd => /kube-apiserver|moto_server|\betcd\b/.test(cmd));
}

describe('the sandbox stays off when real clusters or AWS are configured', () => {
  let dir: string;
  const appConfig = path.join(REPO_ROOT, 'app-config.yaml');

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-off-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const overlay = (name: string, content: Record<string, unknown>) => {
    const file = path.join(dir, `${name}.yaml`);
    fs.writeFileSync(file, YAML.stringify(content), { mode: 0o600 });
    return file;
  };

  it('starts for the shipped app-config.yaml alone (no cluster, no AWS account)', async () => {
    const { decision } = await plan([appConfig], cleanEnv());
    expect(decision).toEqual({ start: true, reasons: [] });
  });

  it('stays off for a portal wired to the real kube-apiserver and AWS account of the peers, and starts nothing', async () => {
    const peers = loadPeers();
    const before = peerProcesses().length;
    const wired = overlay('peers', portalOverlayForPeers(peers));
    const { decision, ms } = await plan([appConfig, wired], cleanEnv());
    const clusters = (
      portalOverlayForPeers(peers) as any
    ).kubernetes.clusterLocatorMethods[0].clusters.map((c: any) => c.name);
    expect(decision.start).toBe(false);
    expect(decision.reasons).toEqual([
      `kubernetes.clusterLocatorMethods[0] configures cluster(s) ${clusters.join(
        ', ',
      )}`,
      'aws.mainAccount is configured',
    ]);
    expect(peerProcesses().length).toBe(before);
    expect(ms).toBeLessThan(30_000);
  });

  it('stays off with only a cluster, or only AWS credentials in the environment', async () => {
    const peers = loadPeers();
    const { kubernetes } = portalOverlayForPeers(peers) as any;
    const clusterOnly = overlay('cluster-only', { kubernetes });
    expect(
      (await plan([appConfig, clusterOnly], cleanEnv())).decision.start,
    ).toBe(false);
    const envOnly = await plan(
      [appConfig],
      cleanEnv({
        AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'x',
      }),
    );
    expect(envOnly.decision).toEqual({
      start: false,
      reasons: ['AWS credentials in the environment (AWS_ACCESS_KEY_ID)'],
    });
  });

  it('reads APP_CONFIG_ variables as the portal does', async () => {
    const { decision } = await plan(
      [appConfig],
      cleanEnv({
        APP_CONFIG_aws_mainAccount_accessKeyId: 'AKIAEXAMPLE',
        APP_CONFIG_aws_mainAccount_secretAccessKey: 'x',
      }),
    );
    expect(decision).toEqual({
      start: false,
      reasons: ['aws.mainAccount is configured'],
    });
  });
});

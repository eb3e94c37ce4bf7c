/**
 * Starts and stops a whole set of peers and describes it as one JSON document
 * (the PEERS_FILE). Used by the jest globalSetup and by `peers start`.
 *
 * Env:
 *   PEERS_COMPONENTS  comma list of aws,kube,git (default: all)
 *   PEERS_PROFILES    comma list of CRD profiles (default: gateway-api-v1.6,gateway-api-v1.3)
 *   PEERS_CACHE_DIR   install cache (default ~/.cache/gateway-portal-peers)
 *   SHARED_DIR        folder holding reference/ (default <repo>/../shared)
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AwsPeerInfo } from './aws';
import { log, timed } from './cache';
import { installProfileCrds, PROFILES, requestedProfiles } from './crds';
import { createBareRepoAt, GitServer, startGitServer } from './git-server';
import {
  ApiServerPeer,
  EtcdPeer,
  installKube,
  makeKubeSecrets,
  startApiServer,
  startEtcd,
} from './kube';
import { installLbc } from './lbc';
import { installMoto, MotoPeer, startMoto } from './moto';
import {
  PodIdentityEmulator,
  startPodIdentityEmulator,
} from './pod-identity-emulator';
import { onExit } from './proc';

export type Component = 'aws' | 'kube' | 'git';
export const ALL_COMPONENTS: Component[] = ['aws', 'kube', 'git'];

export interface KubeProfileInfo {
  server: string;
  kubeconfig: string;
  description: string;
  crds: string[];
}

export interface PeersInfo {
  version: 1;
  pid: number;
  startedAt: string;
  workDir: string;
  components: Component[];
  aws?: AwsPeerInfo;
  kube?: {
    adminToken: string;
    caFile: string;
    etcdUrl: string;
    profiles: Record<string, KubeProfileInfo>;
  };
  git?: { baseUrl: string; user: string; password: string; root: string };
  timings: Record<string, number>;
}

export function requestedComponents(): Component[] {
  const raw = process.env.PEERS_COMPONENTS;
  if (!raw) return ALL_COMPONENTS;
  const list = raw
    .split(',')
    .map(s => s.trim())
    .filter(Boolean) as Component[];
  for (const c of list) {
    if (!ALL_COMPONENTS.includes(c))
      throw new Error(
        `unknown PEERS_COMPONENTS entry "${c}"; known: ${ALL_COMPONENTS.join(
          ', ',
        )}`,
      );
  }
  return list;
}

export async function installPeers(
  components: Component[] = ALL_COMPONENTS,
  opts: { lbc?: boolean } = {},
) {
  const jobs: Promise<void>[] = [];
  // The Go build is by far the longest: start it first, install moto meanwhile.
  if (components.includes('kube')) jobs.push(installKube());
  if (components.includes('aws')) jobs.push(installMoto());
  if (opts.lbc) jobs.push(installLbc());
  const results = await Promise.allSettled(jobs);
  const failed = results.filter(
    r => r.status === 'rejected',
  ) as PromiseRejectedResult[];
  if (failed.length)
    throw new Error(
      failed.map(f => String(f.reason?.message ?? f.reason)).join('\n'),
    );
}

export interface RunningPeers {
  info: PeersInfo;
  file: string;
  stop(): Promise<void>;
}

export async function startPeers(
  components: Component[] = requestedComponents(),
  profiles: string[] = requestedProfiles(),
): Promise<RunningPeers> {
  const t0 = Date.now();
  const timings: Record<string, number> = {};
  const step = async <T>(label: string, fn: () => Promise<T>): Promise<T> => {
    const s = Date.now();
    const r = await timed(label, fn);
    timings[label] = (Date.now() - s) / 1000;
    return r;
  };

  const workDir = fs.mkdtempSync(
    path.join(os.tmpdir(), 'gateway-portal-peers-'),
  );
  const unregisterTmp = onExit(() =>
    fs.rmSync(workDir, { recursive: true, force: true }),
  );
  const stoppers: Array<() => Promise<void>> = [];
  const info: PeersInfo = {
    version: 1,
    pid: process.pid,
    startedAt: new Date().toISOString(),
    workDir,
    components,
    timings,
  };

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    for (const s of stoppers.reverse()) {
      try {
        await s();
      } catch (e) {
        log(`stop: ${String(e)}`);
      }
    }
    fs.rmSync(workDir, { recursive: true, force: true });
    unregisterTmp();
  };

  try {
    await step('install check', () => installPeers(components));

    const startAws = async () => {
      const moto: MotoPeer = await step('start moto_server', () =>
        startMoto(workDir),
      );
      stoppers.push(() => moto.child.stop());
      const emu: PodIdentityEmulator = await step(
        'start pod-identity emulator',
        () => startPodIdentityEmulator(moto.endpoint),
      );
      stoppers.push(() => emu.close());
      info.aws = {
        endpoint: emu.endpoint,
        motoEndpoint: moto.endpoint,
        region: process.env.PEERS_AWS_REGION || 'us-west-2',
        accountId: process.env.MOTO_ACCOUNT_ID || '123456789012',
        accessKeyId: 'testing',
        secretAccessKey: 'testing',
      };
    };

    const startKube = async () => {
      const adminToken = crypto.randomBytes(24).toString('hex');
      const [etcd, secrets] = await Promise.all([
        step('start etcd', () => startEtcd(workDir)) as Promise<EtcdPeer>,
        step('generate kube keys (openssl)', async () =>
          makeKubeSecrets(path.join(workDir, 'kube-secrets'), adminToken),
        ),
      ]);
      stoppers.push(() => etcd.child.stop());
      const servers: ApiServerPeer[] = await Promise.all(
        profiles.map(p =>
          step(`start kube-apiserver[${p}]`, () =>
            startApiServer(p, etcd.url, secrets, workDir),
          ),
        ),
      );
      for (const s of servers) stoppers.push(() => s.child.stop());
      const profileInfo: Record<string, KubeProfileInfo> = {};
      await Promise.all(
        servers.map(async s => {
          const crds = await step(`install CRDs [${s.profile}]`, () =>
            installProfileCrds(s.kubeconfig, s.profile),
          );
          profileInfo[s.profile] = {
            server: s.server,
            kubeconfig: s.kubeconfig,
            description: PROFILES[s.profile].description,
            crds,
          };
        }),
      );
      info.kube = {
        adminToken,
        caFile: secrets.tlsCert,
        etcdUrl: etcd.url,
        profiles: profileInfo,
      };
    };

    const startGit = async () => {
      const git: GitServer = await step('start git server', () =>
        startGitServer(path.join(workDir, 'git')),
      );
      stoppers.push(() => git.close());
      info.git = {
        baseUrl: git.baseUrl,
        user: git.user,
        password: git.password,
        root: git.root,
      };
    };

    const jobs: Array<[Component, () => Promise<void>]> = [
      ['aws', startAws],
      ['kube', startKube],
      ['git', startGit],
    ];
    const results = await Promise.allSettled(
      jobs.filter(([c]) => components.includes(c)).map(([, fn]) => fn()),
    );
    const failures = results.filter(
      r => r.status === 'rejected',
    ) as PromiseRejectedResult[];
    if (failures.length) {
      throw new Error(
        failures
          .map(f => f.reason?.message ?? String(f.reason))
          .join('\n---\n'),
      );
    }
  } catch (e) {
    await stop();
    throw new Error(
      `peers failed to start (logs were in ${workDir}):\n${
        e instanceof Error ? e.message : String(e)
      }`,
    );
  }

  timings.total = (Date.now() - t0) / 1000;
  log(`all peers up in ${timings.total.toFixed(1)}s`);
  const file = path.join(workDir, 'peers.json');
  fs.writeFileSync(file, JSON.stringify(info, null, 2), { mode: 0o600 });
  return { info, file, stop };
}

export { createBareRepoAt };

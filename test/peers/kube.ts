/**
 * Kubernetes peer: a real etcd + kube-apiserver, built from the Go module proxy.
 *
 * test/peers/kube-build/ is a throw-away Go module (go.mod/go.sum only) that
 * requires k8s.io/kubernetes and replaces every k8s.io staging module with its
 * published v0.Y.Z; etcd comes from the same module graph at the version that
 * Kubernetes release uses. Binaries are cached per pinned version outside the
 * clone: <cache>/kube/k8s-<ver>-etcd-<ver>/{kube-apiserver,etcd}.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { cachePath, freePort, log, TEST_DIR, timed, waitFor } from './cache';
import { Child, runLogged, startChild } from './proc';

export const KUBE_VERSION = 'v1.36.5';
export const ETCD_VERSION = 'v3.6.8'; // what k8s.io/kubernetes v1.36.5 requires
const BUILD_MODULE = path.join(TEST_DIR, 'peers', 'kube-build');

export function kubeBinDir(): string {
  return cachePath('kube', `k8s-${KUBE_VERSION}-etcd-${ETCD_VERSION}`);
}

export function kubeInstalled(): boolean {
  const dir = kubeBinDir();
  return (
    fs.existsSync(path.join(dir, 'kube-apiserver')) &&
    fs.existsSync(path.join(dir, 'etcd'))
  );
}

/** go build of kube-apiserver and etcd (8–15 min cold on 2 cores), once per pin. */
export async function installKube(): Promise<void> {
  if (kubeInstalled()) {
    log(
      `kube-apiserver ${KUBE_VERSION} + etcd ${ETCD_VERSION}: cached at ${kubeBinDir()}`,
    );
    return;
  }
  const out = kubeBinDir();
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.mkdirSync(cachePath('logs'), { recursive: true });
  const minor = KUBE_VERSION.split('.')[1];
  const ld = [
    '-s -w',
    `-X k8s.io/component-base/version.gitVersion=${KUBE_VERSION}`,
    '-X k8s.io/component-base/version.gitMajor=1',
    `-X k8s.io/component-base/version.gitMinor=${minor}`,
    '-X k8s.io/component-base/version.gitTreeState=clean',
  ].join(' ');
  // flock: a second harness (another CI job) waits instead of building twice.
  const script = `
    set -e
    [ -x "${out}/kube-apiserver" ] && [ -x "${out}/etcd" ] && exit 0
    rm -rf "${out}.tmp"; mkdir -p "${out}.tmp"
    t0=$(date +%s)
    go build -trimpath -ldflags "${ld}" -o "${out}.tmp/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver
    t1=$(date +%s); echo "kube-apiserver built in $((t1-t0))s"
    go build -trimpath -ldflags "-s -w" -o "${out}.tmp/etcd" go.etcd.io/etcd/server/v3
    echo "etcd built in $(( $(date +%s) - t1 ))s"
    rm -rf "${out}"; mv "${out}.tmp" "${out}"`;
  const logFile = cachePath('logs', 'kube-build.log');
  log(
    `building kube-apiserver ${KUBE_VERSION} + etcd ${ETCD_VERSION} (cold: 8-15 min on 2 cores); log ${logFile}`,
  );
  await timed(
    `go build kube-apiserver ${KUBE_VERSION} + etcd ${ETCD_VERSION}`,
    () =>
      runLogged('flock', [`${out}.lock`, 'bash', '-c', script], logFile, {
        cwd: BUILD_MODULE,
        env: { ...process.env, GOFLAGS: '-mod=mod' },
      }),
  );
}

export interface EtcdPeer {
  url: string;
  child: Child;
}

export async function startEtcd(workDir: string): Promise<EtcdPeer> {
  const [clientPort, peerPort] = [await freePort(), await freePort()];
  const url = `http://127.0.0.1:${clientPort}`;
  const peerUrl = `http://127.0.0.1:${peerPort}`;
  const dataDir = path.join(workDir, 'etcd-data');
  const child = startChild(
    'etcd',
    path.join(kubeBinDir(), 'etcd'),
    [
      '--name=peers',
      `--data-dir=${dataDir}`,
      `--listen-client-urls=${url}`,
      `--advertise-client-urls=${url}`,
      `--listen-peer-urls=${peerUrl}`,
      `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=peers=${peerUrl}`,
      '--unsafe-no-fsync',
      '--log-level=warn',
    ],
    path.join(workDir, 'etcd.log'),
  );
  await waitFor('etcd /health', async () => {
    if (child.exited) throw new Error(`etcd exited:\n${child.tail()}`);
    const res = await fetch(`${url}/health`);
    return res.ok && (await res.json()).health === 'true';
  });
  return { url, child };
}

/** Key material shared by the API servers of one harness run. */
export interface KubeSecrets {
  dir: string;
  adminToken: string;
  tokenFile: string;
  saKey: string;
  saPub: string;
  tlsCert: string;
  tlsKey: string;
}

export function makeKubeSecrets(dir: string, adminToken: string): KubeSecrets {
  fs.mkdirSync(dir, { recursive: true });
  const s: KubeSecrets = {
    dir,
    adminToken,
    tokenFile: path.join(dir, 'tokens.csv'),
    saKey: path.join(dir, 'sa.key'),
    saPub: path.join(dir, 'sa.pub'),
    tlsCert: path.join(dir, 'serving.crt'),
    tlsKey: path.join(dir, 'serving.key'),
  };
  fs.writeFileSync(
    s.tokenFile,
    `${adminToken},admin,admin-uid,"system:masters"\n`,
    { mode: 0o600 },
  );
  const q = { stdio: 'pipe' as const };
  execFileSync('openssl', ['genrsa', '-out', s.saKey, '2048'], q);
  execFileSync(
    'openssl',
    ['rsa', '-in', s.saKey, '-pubout', '-out', s.saPub],
    q,
  );
  // Self-signed serving certificate for 127.0.0.1/localhost; kubeconfigs trust it as CA.
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '7',
      '-subj',
      '/CN=kube-apiserver-peer',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout',
      s.tlsKey,
      '-out',
      s.tlsCert,
    ],
    q,
  );
  return s;
}

export interface ApiServerPeer {
  profile: string;
  server: string;
  port: number;
  kubeconfig: string;
  child: Child;
}

function readyz(server: string, token: string, ca: Buffer): Promise<boolean> {
  return new Promise(resolve => {
    const req = https.get(
      `${server}/readyz`,
      { ca, headers: { Authorization: `Bearer ${token}` }, timeout: 5000 },
      res => {
        res.resume();
        resolve(res.statusCode === 200);
      },
    );
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
  });
}

export async function startApiServer(
  profile: string,
  etcdUrl: string,
  secrets: KubeSecrets,
  workDir: string,
): Promise<ApiServerPeer> {
  const port = await freePort();
  const dir = path.join(workDir, `apiserver-${profile}`);
  fs.mkdirSync(dir, { recursive: true });
  const child = startChild(
    `kube-apiserver[${profile}]`,
    path.join(kubeBinDir(), 'kube-apiserver'),
    [
      `--etcd-servers=${etcdUrl}`,
      `--etcd-prefix=/registry-${profile}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${port}`,
      `--cert-dir=${dir}`,
      `--tls-cert-file=${secrets.tlsCert}`,
      `--tls-private-key-file=${secrets.tlsKey}`,
      `--token-auth-file=${secrets.tokenFile}`,
      '--authorization-mode=RBAC',
      `--service-account-key-file=${secrets.saPub}`,
      `--service-account-signing-key-file=${secrets.saKey}`,
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      '--service-cluster-ip-range=10.96.0.0/16',
      '--endpoint-reconciler-type=none',
      '--enable-priority-and-fairness=false',
      '--profiling=false',
      '--allow-privileged=true',
      '--v=0',
    ],
    path.join(dir, 'kube-apiserver.log'),
  );
  const server = `https://127.0.0.1:${port}`;
  const ca = fs.readFileSync(secrets.tlsCert);
  await waitFor(
    `kube-apiserver[${profile}] /readyz`,
    async () => {
      if (child.exited)
        throw new Error(`kube-apiserver[${profile}] exited:\n${child.tail()}`);
      return readyz(server, secrets.adminToken, ca);
    },
    120_000,
    300,
  );
  const kubeconfig = path.join(dir, 'kubeconfig.yaml');
  fs.writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      `- name: ${profile}`,
      '  cluster:',
      `    server: ${server}`,
      `    certificate-authority: ${secrets.tlsCert}`,
      'users:',
      '- name: admin',
      '  user:',
      `    token: ${secrets.adminToken}`,
      'contexts:',
      `- name: ${profile}`,
      '  context:',
      `    cluster: ${profile}`,
      '    user: admin',
      `current-context: ${profile}`,
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  return { profile, server, port, kubeconfig, child };
}

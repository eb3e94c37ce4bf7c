/**
 * The sandbox's GitOps sync against the peers: commits pushed to main of a
 * repository on the git peer are applied to the real kube-apiserver
 * (Gateway API v1.6 profile) by server-side apply, as Flux or Argo CD would;
 * what a later commit drops is pruned, and only what the sync applied.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { GitOpsSync, SYNC_FIELD_MANAGER } from '@gateway-portal/sandbox';
import {
  createBareRepo,
  gitPeer,
  kubeConfigFor,
  PROFILE_V16,
  uniqueName,
} from '../peers';
import { git } from './support/gitCli';

const GW = 'gateway.networking.k8s.io';

const gateway = (ns: string, name: string) => `apiVersion: ${GW}/v1
kind: Gateway
metadata:
  name: ${name}
  namespace: ${ns}
  labels: { backstage.io/kubernetes-id: backend }
spec:
  gatewayClassName: aws-nlb
  listeners:
    - { name: tcp-app, protocol: TCP, port: 8080, allowedRoutes: { namespaces: { from: Same } } }
`;

const route = (
  ns: string,
  name: string,
  gatewayName: string,
) => `apiVersion: ${GW}/v1
kind: TCPRoute
metadata: { name: ${name}, namespace: ${ns} }
spec:
  parentRefs: [{ name: ${gatewayName}, sectionName: tcp-app }]
  rules: [{ backendRefs: [{ name: backend, port: 3000 }] }]
`;

describe('sandbox GitOps sync (git peer → kube-apiserver)', () => {
  let kc: k8s.KubeConfig;
  let objects: k8s.KubernetesObjectApi;
  let core: k8s.CoreV1Api;
  let work: string;
  let sync: GitOpsSync;
  let ns: string;
  const logs: string[] = [];

  const commit = (
    files: Record<string, string | null>,
    message: string,
  ): string => {
    for (const [file, content] of Object.entries(files)) {
      const full = path.join(work, file);
      if (content === null) fs.rmSync(full);
      else {
        fs.mkdirSync(path.dirname(full), { recursive: true });
        fs.writeFileSync(full, content);
      }
    }
    git(['add', '-A'], work);
    git(['commit', '-q', '-m', message], work);
    git(['push', '-q', 'origin', 'HEAD:main'], work);
    return git(['rev-parse', 'HEAD'], work);
  };

  const read = (
    apiVersion: string,
    kind: string,
    name: string,
    namespace?: string,
  ) =>
    objects.read({ apiVersion, kind, metadata: { name, namespace } }).then(
      o => o as k8s.KubernetesObject & { spec?: any },
      (e: any) => {
        if (e?.code === 404) return undefined;
        throw e;
      },
    );

  beforeAll(async () => {
    kc = kubeConfigFor(PROFILE_V16);
    objects = k8s.KubernetesObjectApi.makeApiClient(kc);
    core = kc.makeApiClient(k8s.CoreV1Api);
    ns = uniqueName('sync');
    await core.createNamespace({ body: { metadata: { name: ns } } });
    const name = uniqueName('platform-gitops');
    createBareRepo(name);
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-work-'));
    git(['clone', '-q', path.join(gitPeer().root, `${name}.git`), work]);
    sync = new GitOpsSync({
      gitDir: path.join(gitPeer().root, `${name}.git`),
      branch: 'main',
      kc,
      log: m => logs.push(m),
    });
  });

  afterAll(async () => {
    await sync?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('applies a commit on main to the cluster within seconds, by server-side apply, skipping what it does not sync', async () => {
    sync.start();
    const sha = commit(
      {
        [`gateways/${ns}/aws-tcp-gateway/gateway.yaml`]: gateway(
          ns,
          'aws-tcp-gateway',
        ),
        [`gateways/${ns}/aws-tcp-gateway/tcproute.yaml`]: route(
          ns,
          'tcp-backend-aws',
          'aws-tcp-gateway',
        ),
        [`gateways/${ns}/aws-tcp-gateway/loadbalancerconfiguration.yaml`]: `apiVersion: gateway.k8s.aws/v1\nkind: LoadBalancerConfiguration\nmetadata: { name: aws-tcp-gateway, namespace: ${ns} }\nspec: { scheme: internal }\n`,
        // not synced: Helm values (no apiVersion/kind) and a kind outside the two API groups
        'clusters/sandbox/aws-load-balancer-controller/values.yaml':
          'clusterName: sandbox\n',
        [`apps/${ns}/configmap.yaml`]: `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: sneaky, namespace: ${ns} }\ndata: { a: b }\n`,
      },
      'Expose backend',
    );
    const t0 = Date.now();
    while (sync.status().appliedCommit !== sha) {
      if (Date.now() - t0 > 15_000)
        throw new Error(
          `commit not applied within 15 s: ${JSON.stringify(sync.status())}`,
        );
      await new Promise(r => setTimeout(r, 200));
    }
    const seconds = (Date.now() - t0) / 1000;
    expect(seconds).toBeLessThan(5);

    const gw = await read(`${GW}/v1`, 'Gateway', 'aws-tcp-gateway', ns);
    expect(gw?.spec.listeners[0]).toMatchObject({
      name: 'tcp-app',
      protocol: 'TCP',
      port: 8080,
    });
    expect(
      gw?.metadata?.managedFields?.map(f => `${f.manager}/${f.operation}`),
    ).toContain(`${SYNC_FIELD_MANAGER}/Apply`);
    expect(
      await read(`${GW}/v1`, 'TCPRoute', 'tcp-backend-aws', ns),
    ).toBeDefined();
    expect(
      (
        await read(
          'gateway.k8s.aws/v1',
          'LoadBalancerConfiguration',
          'aws-tcp-gateway',
          ns,
        )
      )?.spec,
    ).toEqual({ scheme: 'internal' });
    expect(await read('v1', 'ConfigMap', 'sneaky', ns)).toBeUndefined();
    expect(sync.status().inventory).toHaveLength(3);
    expect(logs.join('\n')).toMatch(
      /ConfigMap \(v1\) is not of a synced API group/,
    );
    expect(logs.join('\n')).toMatch(/values\.yaml#0: not a Kubernetes object/);
  });

  it('a commit that changes an object updates it; a commit that drops one prunes it, and nothing it did not apply', async () => {
    // An object of a synced kind that someone created by hand: never in the sync's inventory.
    await objects.create({
      apiVersion: `${GW}/v1`,
      kind: 'Gateway',
      metadata: { name: 'hand-made', namespace: ns },
      spec: {
        gatewayClassName: 'aws-nlb',
        listeners: [{ name: 'tcp', protocol: 'TCP', port: 9000 }],
      },
    } as k8s.KubernetesObject);

    const changed = gateway(ns, 'aws-tcp-gateway').replace(
      'port: 8080',
      'port: 8081',
    );
    commit(
      { [`gateways/${ns}/aws-tcp-gateway/gateway.yaml`]: changed },
      'Listener on 8081',
    );
    expect(await sync.syncOnce()).toBe(git(['rev-parse', 'HEAD'], work));
    expect(
      (await read(`${GW}/v1`, 'Gateway', 'aws-tcp-gateway', ns))?.spec
        .listeners[0].port,
    ).toBe(8081);

    const sha = commit(
      { [`gateways/${ns}/aws-tcp-gateway/tcproute.yaml`]: null },
      'Remove the route',
    );
    expect(await sync.syncOnce()).toBe(sha);
    expect(
      await read(`${GW}/v1`, 'TCPRoute', 'tcp-backend-aws', ns),
    ).toBeUndefined();
    expect(
      await read(`${GW}/v1`, 'Gateway', 'aws-tcp-gateway', ns),
    ).toBeDefined();
    expect(await read(`${GW}/v1`, 'Gateway', 'hand-made', ns)).toBeDefined();
    expect(
      sync
        .status()
        .inventory.map(r => r.kind)
        .sort(),
    ).toEqual(['Gateway', 'LoadBalancerConfiguration']);
  });

  it('the same commit again changes nothing in the cluster', async () => {
    const before = await read(`${GW}/v1`, 'Gateway', 'aws-tcp-gateway', ns);
    await sync.syncOnce();
    await new Promise(r => setTimeout(r, 2000)); // a poll or more of the running loop
    const after = await read(`${GW}/v1`, 'Gateway', 'aws-tcp-gateway', ns);
    expect(after?.metadata?.resourceVersion).toBe(
      before?.metadata?.resourceVersion,
    );
  });

  it('a commit the cluster refuses is not recorded as applied, and is retried until a fix lands', async () => {
    const bad = gateway(ns, 'aws-tcp-gateway').replace(
      'port: 8080',
      'port: 70000',
    ); // the CRD allows 1-65535
    const badSha = commit(
      { [`gateways/${ns}/aws-tcp-gateway/gateway.yaml`]: bad },
      'Broken',
    );
    await expect(sync.syncOnce()).rejects.toThrow();
    expect(sync.status().appliedCommit).not.toBe(badSha);
    const fixed = commit(
      {
        [`gateways/${ns}/aws-tcp-gateway/gateway.yaml`]: gateway(
          ns,
          'aws-tcp-gateway',
        ),
      },
      'Fixed',
    );
    expect(await sync.syncOnce()).toBe(fixed);
    expect(
      (await read(`${GW}/v1`, 'Gateway', 'aws-tcp-gateway', ns))?.spec
        .listeners[0].port,
    ).toBe(8080);
  });
});

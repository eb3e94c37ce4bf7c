/**
 * The whole sandbox of `./run start`, without the portal: started as the CLI
 * starts it (its own peers, CRDs from the Go module proxy), the cluster is
 * detected as the lbc-v3.5 profile, the portal's own renderer's manifests for
 * the classic endpoint pass a server-side dry run, and once committed to the
 * platform-gitops repository the GitOps sync applies them and the controller
 * stand-in provisions the NLB with the sample Service's two endpoints as
 * healthy targets, within seconds. Stopping leaves no process and no state
 * behind. (The browser test of the same path through the portal:
 * e2e/specs/newcomer-sandbox.spec.ts.)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import * as k8s from '@kubernetes/client-node';
import YAML from 'yaml';
import { CONTROLLER_PROFILES } from '@gateway-portal/plugin-aws-gateway-common';
import {
  detectControllerProfile,
  renderEndpointManifests,
  serverSideDryRun,
} from '@gateway-portal/plugin-aws-gateway-node';
import {
  RunningSandbox,
  SAMPLE_SERVICE,
  startSandbox,
} from '@gateway-portal/sandbox';
import { awsClientConfigFrom } from '@gateway-portal/test-suite/peers/aws';
import { git } from './support/gitCli';

const GATEWAY = 'aws-tcp-gateway';

function processAlive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('the sandbox of ./run start (peers from the Go module proxy CRDs, GitOps sync, controller stand-in)', () => {
  let sandbox: RunningSandbox;
  let elbv2: ElasticLoadBalancingV2Client;
  const logs: string[] = [];

  beforeAll(async () => {
    sandbox = await startSandbox(m => logs.push(m));
    elbv2 = new ElasticLoadBalancingV2Client(
      awsClientConfigFrom(sandbox.peers.aws!),
    );
  }, 180_000);

  afterAll(async () => {
    elbv2?.destroy();
    await sandbox?.stop();
  });

  it('serves what the lbc-v3.5 profile needs, and the sample Service has two ready endpoints', async () => {
    const detected = await detectControllerProfile(sandbox.kubeConfig);
    expect(detected.problem).toBeUndefined();
    expect(detected.profile?.id).toBe('lbc-v3.5');
    expect(detected.lbcApiVersions).toEqual(
      expect.arrayContaining(['gateway.k8s.aws/v1', 'gateway.k8s.aws/v1beta1']),
    );
    const slices = await sandbox.kubeConfig
      .makeApiClient(k8s.DiscoveryV1Api)
      .listNamespacedEndpointSlice({
        namespace: SAMPLE_SERVICE.namespace,
        labelSelector: `kubernetes.io/service-name=${SAMPLE_SERVICE.name}`,
      });
    expect(
      slices.items.flatMap(s =>
        s.endpoints.filter(e => e.conditions?.ready).flatMap(e => e.addresses),
      ),
    ).toHaveLength(2);
  });

  it('applies the committed classic endpoint and the stand-in makes it a healthy NLB within seconds', async () => {
    const rendered = renderEndpointManifests(
      {
        name: GATEWAY,
        namespace: SAMPLE_SERVICE.namespace,
        gatewayClassName: 'aws-nlb',
        listeners: [{ name: 'tcp-app', protocol: 'TCP', port: 8080 }],
        routes: [
          {
            name: 'tcp-backend-aws',
            listener: 'tcp-app',
            backends: [
              { service: SAMPLE_SERVICE.name, port: SAMPLE_SERVICE.port },
            ],
          },
        ],
        scheme: 'internal',
        sourceCidrs: [],
        targetType: 'ip',
        entityRef: 'component:default/backend',
        kubernetesId: SAMPLE_SERVICE.kubernetesId,
      },
      CONTROLLER_PROFILES['lbc-v3.5'],
    );
    // The CRDs from the module proxy accept what the portal renders.
    expect(
      await serverSideDryRun(
        sandbox.kubeConfig,
        rendered.map(r => r.manifest),
      ),
    ).toEqual([]);

    const gatewayClass = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'GatewayClass',
      metadata: { name: 'aws-nlb' },
      spec: { controllerName: 'gateway.k8s.aws/nlb' },
    };
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-work-'));
    try {
      const repoPath = new URL(sandbox.values.repoUrl).pathname.replace(
        /^\//,
        '',
      );
      git(['clone', '-q', path.join(sandbox.peers.git!.root, repoPath), work]);
      const dir = path.join(
        work,
        'gateways',
        SAMPLE_SERVICE.namespace,
        GATEWAY,
      );
      fs.mkdirSync(dir, { recursive: true });
      for (const r of rendered)
        fs.writeFileSync(path.join(dir, r.path), YAML.stringify(r.manifest));
      fs.mkdirSync(path.join(work, 'clusters', 'sandbox'), { recursive: true });
      fs.writeFileSync(
        path.join(work, 'clusters', 'sandbox', 'gatewayclass.yaml'),
        YAML.stringify(gatewayClass),
      );
      git(['add', '-A'], work);
      git(['commit', '-q', '-m', 'Expose backend'], work);
      git(['push', '-q', 'origin', 'HEAD:main'], work);
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
    const pushed = Date.now();

    const custom = sandbox.kubeConfig.makeApiClient(k8s.CustomObjectsApi);
    let gateway: any;
    for (;;) {
      gateway = await custom
        .getNamespacedCustomObject({
          group: 'gateway.networking.k8s.io',
          version: 'v1',
          namespace: 'default',
          plural: 'gateways',
          name: GATEWAY,
        })
        .catch(() => undefined);
      const programmed = gateway?.status?.conditions?.find(
        (c: any) => c.type === 'Programmed',
      );
      if (programmed?.status === 'True') break;
      if (Date.now() - pushed > 30_000)
        throw new Error(
          `not programmed 30 s after the push:\n${logs.join('\n')}`,
        );
      await new Promise(r => setTimeout(r, 250));
    }
    const seconds = (Date.now() - pushed) / 1000;
    expect(seconds).toBeLessThan(15);
    process.stderr.write(
      `[sandbox test] commit → Programmed in ${seconds.toFixed(1)} s\n`,
    );

    const lbs =
      (await elbv2.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ??
      [];
    expect(lbs).toHaveLength(1);
    expect(gateway.status.addresses?.[0]?.value?.toLowerCase()).toBe(
      lbs[0].DNSName!.toLowerCase(),
    );
    const tgs =
      (
        await elbv2.send(
          new DescribeTargetGroupsCommand({
            LoadBalancerArn: lbs[0].LoadBalancerArn,
          }),
        )
      ).TargetGroups ?? [];
    expect(tgs).toHaveLength(1);
    const health = await elbv2.send(
      new DescribeTargetHealthCommand({
        TargetGroupArn: tgs[0].TargetGroupArn,
      }),
    );
    expect(
      health.TargetHealthDescriptions?.map(
        t => `${t.Target?.Id}:${t.Target?.Port} ${t.TargetHealth?.State}`,
      ).sort(),
    ).toEqual(['192.0.2.10:3000 healthy', '192.0.2.11:3000 healthy']);
  });

  it('stops every process it started and removes its state', async () => {
    const pids = [sandbox.peers.pid];
    const workDir = sandbox.peers.workDir;
    const configFile = sandbox.configFile;
    expect(fs.existsSync(configFile)).toBe(true);
    expect((fs.statSync(configFile).mode & 0o077).toString(8)).toBe('0');
    // moto, etcd and kube-apiserver: children of this process (the harness starts them in their own groups).
    // Each is known by its program: moto is Python running moto's keep-alive server script.
    const children = fs
      .readdirSync('/proc')
      .filter(p => /^\d+$/.test(p))
      .map(p => {
        try {
          const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
          const ppid = Number(
            stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1],
          );
          const argv = fs
            .readFileSync(`/proc/${p}/cmdline`, 'utf8')
            .split('\0')
            .map(arg => path.basename(arg));
          return { pid: Number(p), argv, ppid };
        } catch {
          return undefined;
        }
      })
      .filter(
        p =>
          p &&
          p.ppid === process.pid &&
          (['etcd', 'kube-apiserver'].includes(p.argv[0]) ||
            p.argv.includes('moto_keepalive_server.py')),
      )
      .map(p => p!.pid);
    expect(children).toHaveLength(3);
    await sandbox.stop();
    await new Promise(r => setTimeout(r, 500));
    expect(children.filter(processAlive)).toEqual([]);
    expect(fs.existsSync(workDir)).toBe(false);
    expect(pids).toEqual([process.pid]);
  });
});

/**
 * An endpoint over its whole life, through the real git peer and a real
 * kube-apiserver (Gateway API v1.6 + LBC CRDs) with moto and the controller
 * stand-in: expose (render + commit), change its port and source CIDRs
 * (plan-change + render + commit with replace), remove it (plan-removal +
 * commit with removeGateway); what lands on main is applied to the cluster as
 * a GitOps agent would, and the status service shows the Gateway programmed,
 * changed, then being removed while the controller's finalizer holds it.
 * Refusals: a change the guardrails forbid, a hand-edited manifest, a
 * foreign one — each before anything is pushed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { DescribeLoadBalancersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import {
  GitOpsRepository,
  readGatewayGuardrails,
} from '@gateway-portal/plugin-aws-gateway-node';
import { InMemoryKubernetesClusters } from '@gateway-portal/plugin-aws-gateway-node/testUtils';
import {
  createPlanEndpointChangeAction,
  createPlanEndpointRemovalAction,
  createRenderEndpointAction,
  readGitOpsSettings,
} from '@gateway-portal/plugin-scaffolder-backend-module-aws-gateway';
import yaml from 'yaml';
import {
  ensureClassicGatewayClass,
  startFakeController,
} from '../fixtures/classicGateway';
import { FakeController } from '../fixtures/fakeController';
import {
  createBareRepo,
  gitPeer,
  kubeConfigFor,
  PROFILE_V16,
  uniqueName,
} from '../peers';
import { runAction } from './support/actionRun';
import { classicRenderInput } from './support/classicEndpoint';
import { git, pushToMainByHand } from './support/gitCli';
import { commitAction, gitopsConfig } from './support/gitopsActions';
import { ownershipRuleOff } from './support/ownership';
import { serverSideApply } from './support/serverSideApply';
import { GetEntityGateways, statusServiceFor } from './support/statusService';

const ENTITY = 'component:default/backend';
const CONTROLLER_CLUSTER = 'peers-lifecycle';
const GATEWAY = 'aws-tcp-gateway';

let kc: k8s.KubeConfig;
let objects: k8s.KubernetesObjectApi;
let controller: FakeController;
let elbv2: ElasticLoadBalancingV2Client;
let namespace: string;
let repoName: string;
let repoUrl: string;
let config: ConfigReader;
let getStatus: GetEntityGateways;
const workspaces: string[] = [];

const bare = () => path.join(gitPeer().root, `${repoName}.git`);
const head = () => git(['--git-dir', bare(), 'rev-parse', 'main']);
const folder = () => `gateways/${namespace}/${GATEWAY}`;
const filesOnMain = () =>
  git(['--git-dir', bare(), 'ls-tree', '-r', '--name-only', 'main'])
    .split('\n')
    .filter(f => f.startsWith(`${folder()}/`))
    .sort();
const show = (file: string) =>
  git(['--git-dir', bare(), 'show', `main:${file}`]);

function workspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifecycle-'));
  workspaces.push(dir);
  return dir;
}

/** A developer's own push to main (a hand edit). */
const pushByHand = (edit: (work: string) => void, message: string) =>
  pushToMainByHand(bare(), edit, message);

const repository = () => GitOpsRepository.fromConfig(config);
const settings = () => readGitOpsSettings(config);
const guardrails = () => readGatewayGuardrails(config);
const noClusters = new InMemoryKubernetesClusters();

const renderAction = () =>
  createRenderEndpointAction({
    guardrails: guardrails(),
    clusters: noClusters,
    ownership: ownershipRuleOff(),
  });
const planChange = () =>
  createPlanEndpointChangeAction({
    repository: repository(),
    settings: settings(),
    guardrails: guardrails(),
    ownership: ownershipRuleOff(),
  });
const planRemoval = () =>
  createPlanEndpointRemovalAction({
    repository: repository(),
    settings: settings(),
    ownership: ownershipRuleOff(),
  });
const commit = () => commitAction(config);

const endpointRef = () => ({
  repoUrl,
  branch: 'main',
  namespace,
  name: GATEWAY,
  entityRef: ENTITY,
});

/** What a GitOps agent does with main: applies the endpoint's files (server-side apply). */
async function applyMain(): Promise<void> {
  for (const file of filesOnMain()) {
    await serverSideApply(objects, yaml.parse(show(file)), 'gitops-agent', []);
  }
}

/** Runs the change template's steps: plan-change, render, commit with replace. */
async function change(changeInput: JsonObject, isDryRun = false) {
  const ws = workspace();
  const plan = await runAction(
    planChange(),
    { ...endpointRef(), change: changeInput },
    { workspacePath: ws, isDryRun },
  );
  const o = plan.outputs;
  await runAction(
    renderAction(),
    {
      name: o.name,
      namespace: o.namespace,
      gatewayClassName: o.gatewayClassName,
      listeners: o.listeners,
      routes: o.routes,
      scheme: o.scheme,
      sourceCidrs: o.sourceCidrs,
      targetType: o.targetType,
      entityRef: o.entityRef,
      kubernetesId: o.kubernetesId,
      controllerProfile: o.controllerProfile,
      serverDryRun: false,
      outputDir: 'manifests',
    } as JsonObject,
    { workspacePath: ws, isDryRun },
  );
  const committed = await runAction(
    commit(),
    {
      repoUrl,
      branch: 'main',
      sourcePath: 'manifests',
      replace: true,
      commitMessage: `Change ${GATEWAY}`,
    },
    { workspacePath: ws, isDryRun },
  );
  return { plan, committed };
}

async function gatewayStatus() {
  const res = await getStatus({
    'aws-gateway.io/gateways': `test/${namespace}/${GATEWAY}`,
  });
  return res.gateways[0];
}

beforeAll(async () => {
  kc = kubeConfigFor(PROFILE_V16);
  objects = k8s.KubernetesObjectApi.makeApiClient(kc);
  ({ controller, elbv2 } = await startFakeController(kc, CONTROLLER_CLUSTER));
  await ensureClassicGatewayClass(kc);
  namespace = uniqueName('lifecycle');
  await kc
    .makeApiClient(k8s.CoreV1Api)
    .createNamespace({ body: { metadata: { name: namespace } } });
  // The component's Service and its two ready pods.
  await serverSideApply(
    objects,
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'backend', namespace },
      spec: { ports: [{ name: 'app', port: 3000, targetPort: 3000 }] },
    } as k8s.KubernetesObject,
    'test',
    [],
  );
  await serverSideApply(
    objects,
    {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        name: 'backend-1',
        namespace,
        labels: { 'kubernetes.io/service-name': 'backend' },
      },
      addressType: 'IPv4',
      ports: [{ name: 'app', port: 3000, protocol: 'TCP' }],
      endpoints: ['192.0.2.31', '192.0.2.32'].map((ip, i) => ({
        addresses: [ip],
        conditions: { ready: true },
        targetRef: { kind: 'Pod', name: `backend-${i}`, namespace },
      })),
    } as k8s.KubernetesObject,
    'test',
    [],
  );

  repoName = uniqueName('lifecycle');
  repoUrl = createBareRepo(repoName, { 'README.md': '# GitOps\n' });
  const base = gitopsConfig().get() as any;
  config = new ConfigReader({
    ...base,
    awsGateway: {
      provisioning: {
        ...base.awsGateway.provisioning,
        gateways: { allowedNamespaces: [namespace] },
      },
    },
  });
  getStatus = statusServiceFor(kc, CONTROLLER_CLUSTER, ENTITY);
}, 120_000);

afterAll(async () => {
  elbv2?.destroy();
  for (const dir of workspaces)
    fs.rmSync(dir, { recursive: true, force: true });
  await kc
    ?.makeApiClient(k8s.CoreV1Api)
    .deleteNamespace({ name: namespace })
    .catch(() => undefined);
});

describe('an endpoint over its whole life (GitOps + cluster + status)', () => {
  it('expose: render and commit, applied and programmed', async () => {
    const ws = workspace();
    await runAction(
      renderAction(),
      {
        ...classicRenderInput(namespace),
        entityRef: ENTITY,
        kubernetesId: 'backend',
        controllerProfile: 'lbc-v3.5',
        serverDryRun: false,
        outputDir: 'manifests',
      },
      { workspacePath: ws },
    );
    await runAction(
      commit(),
      { repoUrl, branch: 'main', commitMessage: `Expose ${GATEWAY}` },
      { workspacePath: ws },
    );
    expect(filesOnMain()).toEqual([
      `${folder()}/gateway-${GATEWAY}.yaml`,
      `${folder()}/loadbalancerconfiguration-${GATEWAY}.yaml`,
      `${folder()}/targetgroupconfiguration-backend.yaml`,
      `${folder()}/tcproute-tcp-backend-aws.yaml`,
    ]);
    await applyMain();
    const result = await controller.reconcile(namespace, GATEWAY);
    expect(result.listeners.map(l => l.port)).toEqual([8080]);
    expect((await gatewayStatus()).state).toBe('programmed');
  });

  it('change: a dry run shows the diff and pushes nothing', async () => {
    const before = head();
    const { committed } = await change(
      { listeners: [{ port: 9090 }], sourceCidrs: ['198.51.100.0/24'] },
      true,
    );
    expect(head()).toBe(before);
    const diff = committed.logs.join('\n');
    expect(diff).toContain(`--- a/${folder()}/gateway-${GATEWAY}.yaml`);
    expect(diff).toMatch(/-\s+port: 8080\n\+\s+port: 9090/);
    expect(diff).toMatch(
      /-\s+- 203\.0\.113\.0\/24\n\+\s+- 198\.51\.100\.0\/24/,
    );
  });

  it('change: the port and the source CIDRs, committed once, applied and reconciled', async () => {
    const before = head();
    const { plan, committed } = await change({
      listeners: [{ port: 9090 }],
      sourceCidrs: ['198.51.100.0/24'],
    });
    expect(plan.outputs.changes).toEqual([
      'listener tcp-app: port 8080 → 9090',
      'source CIDRs 203.0.113.0/24 → 198.51.100.0/24',
    ]);
    expect(committed.outputs.changed).toBe(true);
    expect(git(['--git-dir', bare(), 'rev-parse', 'main~1'])).toBe(before);
    expect(
      yaml.parse(show(`${folder()}/gateway-${GATEWAY}.yaml`)).spec.listeners[0]
        .port,
    ).toBe(9090);
    expect(
      yaml.parse(show(`${folder()}/loadbalancerconfiguration-${GATEWAY}.yaml`))
        .spec.sourceRanges,
    ).toEqual(['198.51.100.0/24']);

    // Run again: nothing left to change, no commit.
    const again = await change({
      listeners: [{ port: 9090 }],
      sourceCidrs: ['198.51.100.0/24'],
    });
    expect(again.plan.outputs.changes).toEqual([]);
    expect(again.committed.outputs.changed).toBe(false);
    expect(git(['--git-dir', bare(), 'rev-parse', 'main~1'])).toBe(before);

    await applyMain();
    const result = await controller.reconcile(namespace, GATEWAY);
    expect(result.listeners.map(l => l.port)).toEqual([9090]);
    const status = await gatewayStatus();
    expect(status.state).toBe('programmed');
    expect(status.listeners.map(l => l.port)).toEqual([9090]);
  });

  it('refuses a change the guardrails forbid before anything is pushed', async () => {
    const before = head();
    await expect(change({ sourceCidrs: ['0.0.0.0/0'] })).rejects.toThrow(
      /sourceCidrs/,
    );
    await expect(
      change({
        routes: [{ backends: [{ service: 'Not A Name', port: 3000 }] }],
      }),
    ).rejects.toThrow(/backends\[0\]\.service/);
    expect(head()).toBe(before);
  });

  it('refuses a hand-edited manifest, in the plan and in the commit step, and changes nothing', async () => {
    const lbc = `${folder()}/loadbalancerconfiguration-${GATEWAY}.yaml`;
    const original = show(lbc);
    pushByHand(
      work =>
        fs.appendFileSync(
          path.join(work, lbc),
          '  loadBalancerAttributes:\n    - key: deletion_protection.enabled\n      value: "true"\n',
        ),
      'protect the NLB from deletion',
    );
    const edited = head();
    await expect(
      runAction(
        planChange(),
        { ...endpointRef(), change: { listeners: [{ port: 9091 }] } },
        { workspacePath: workspace() },
      ),
    ).rejects.toThrow(
      new RegExp(
        `${folder()} on main: files: "loadbalancerconfiguration-${GATEWAY}\\.yaml" is not what aws-gateway:endpoint:render wrote .*\\[endpoint-hand-edited\\]`,
      ),
    );
    // The commit step checks again on its own: a template that skips the plan gets the same refusal.
    await expect(
      runAction(
        commit(),
        {
          repoUrl,
          branch: 'main',
          removeGateway: `${namespace}/${GATEWAY}`,
          commitMessage: 'remove',
        },
        { workspacePath: workspace() },
      ),
    ).rejects.toThrow(/\[endpoint-hand-edited\]/);
    expect(head()).toBe(edited);
    pushByHand(
      // show() trims, as the git CLI helper does: the rendered file ends in one newline.
      work => fs.writeFileSync(path.join(work, lbc), `${original}\n`),
      'back to what the portal wrote',
    );
  });

  it('refuses to touch a Gateway the portal did not write', async () => {
    const foreign = `gateways/${namespace}/platform-gateway`;
    pushByHand(work => {
      fs.mkdirSync(path.join(work, foreign), { recursive: true });
      fs.writeFileSync(
        path.join(work, foreign, 'gateway-platform-gateway.yaml'),
        yaml.stringify({
          apiVersion: 'gateway.networking.k8s.io/v1',
          kind: 'Gateway',
          metadata: { name: 'platform-gateway', namespace },
          spec: { gatewayClassName: 'aws-nlb', listeners: [] },
        }),
      );
    }, 'the platform team adds its own Gateway');
    const before = head();
    await expect(
      runAction(
        planRemoval(),
        {
          ...endpointRef(),
          name: 'platform-gateway',
          entityRef: undefined,
        } as JsonObject,
        { workspacePath: workspace() },
      ),
    ).rejects.toThrow(
      /"gateway-platform-gateway\.yaml" has no app\.kubernetes\.io\/managed-by: backstage-aws-gateway label.*\[endpoint-not-ours\]/,
    );
    await expect(
      runAction(
        commit(),
        {
          repoUrl,
          branch: 'main',
          removeGateway: `${namespace}/platform-gateway`,
          commitMessage: 'remove',
        },
        { workspacePath: workspace() },
      ),
    ).rejects.toThrow(/\[endpoint-not-ours\]/);
    expect(head()).toBe(before);
  });

  it('remove: deletes exactly our files, once; the card shows it being removed until the controller deleted the NLB', async () => {
    const plan = await runAction(planRemoval(), endpointRef(), {
      workspacePath: workspace(),
    });
    expect(plan.outputs.files).toEqual(filesOnMain());
    const removed = await runAction(
      commit(),
      {
        repoUrl,
        branch: 'main',
        removeGateway: `${namespace}/${GATEWAY}`,
        commitMessage: `Remove ${GATEWAY}`,
      },
      { workspacePath: workspace() },
    );
    expect(removed.outputs.changed).toBe(true);
    expect(filesOnMain()).toEqual([]);
    // The platform's Gateway beside it is left alone.
    expect(
      show(
        `gateways/${namespace}/platform-gateway/gateway-platform-gateway.yaml`,
      ),
    ).toContain('platform-gateway');
    const after = head();
    const again = await runAction(
      commit(),
      {
        repoUrl,
        branch: 'main',
        removeGateway: `${namespace}/${GATEWAY}`,
        commitMessage: `Remove ${GATEWAY}`,
      },
      { workspacePath: workspace() },
    );
    expect(again.outputs.changed).toBe(false);
    expect(head()).toBe(after);

    // The GitOps agent prunes what left the repository: the Gateway is deleted, the controller's finalizer holds it.
    const lbArn = (await gatewayStatus()).loadBalancer!.arn;
    await objects.delete({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: GATEWAY, namespace },
    });
    const removing = await gatewayStatus();
    expect(removing.state).toBe('removing');
    expect(removing.stateReason).toMatch(
      /^Being removed since .*Z: the controller deletes the load balancer/,
    );

    const result = await controller.reconcile(namespace, GATEWAY);
    expect(result.deleted).toBe(true);
    await expect(
      elbv2.send(
        new DescribeLoadBalancersCommand({ LoadBalancerArns: [lbArn] }),
      ),
    ).rejects.toThrow(/LoadBalancerNotFound|does not exist/i);
    const gone = await getStatus({
      'aws-gateway.io/gateways': `test/${namespace}/${GATEWAY}`,
    });
    expect(gone.gateways.map(g => g.state)).not.toContain('removing');
  });
});

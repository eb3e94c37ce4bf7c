/**
 * Integration (issue 14): several listeners, weighted backends, and TCP and
 * UDP on one port, end to end against the peers, in both CRD profiles. The
 * render action (listeners carrying their backends) is checked by the real
 * kube-apiserver with the real CRDs (server-side dry run); the written
 * manifests are then applied as a GitOps agent would, the controller
 * stand-in programs them in moto as the real controller does (one NLB
 * listener per port, TCP + UDP merged into TCP_UDP for the oldest route, one
 * target group per weighted backend), and the status service shows every
 * listener with its weights and targets.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import yaml from 'yaml';
import { ConfigReader } from '@backstage/config';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import type { ListenerSummary } from '@gateway-portal/plugin-aws-gateway-common';
import { readGatewayGuardrails } from '@gateway-portal/plugin-aws-gateway-node';
import { InMemoryKubernetesClusters } from '@gateway-portal/plugin-aws-gateway-node/testUtils';
import { createRenderEndpointAction } from '@gateway-portal/plugin-scaffolder-backend-module-aws-gateway';
import {
  ensureClassicGatewayClass,
  startFakeController,
} from '../fixtures/classicGateway';
import { FakeController } from '../fixtures/controller';
import { L4Objects, POD_IPS } from '../fixtures/l4Objects';
import { kubeConfigFor, PROFILE_V13, PROFILE_V16, uniqueName } from '../peers';
import { deleteApplied, serverSideApply } from './support/serverSideApply';
import { GetEntityGateways, statusServiceFor } from './support/statusService';
import { ownershipRuleOff } from './support/ownership';

const ENTITY = 'component:default/edge';
const CANARY_IPS = ['192.0.2.61'];
const DNS_IPS = ['192.0.2.71', '192.0.2.72'];

type RenderInput = Parameters<
  ReturnType<typeof createRenderEndpointAction>['handler']
>[0]['input'];

/**
 * The render action's own example of several listeners (each carrying its
 * backends, as the expose template sends them), for this namespace and
 * cluster, naming the entity whose card shows it.
 */
function edgeInput(namespace: string, cluster: string) {
  const example = createRenderEndpointAction({
    guardrails: readGatewayGuardrails(new ConfigReader({})),
    clusters: new InMemoryKubernetesClusters(),
    ownership: ownershipRuleOff(),
  }).examples!.find(e => e.description.startsWith('Several listeners'))!;
  const input = yaml.parse(example.example).steps[0].input;
  return {
    ...input,
    // Detected from the cluster: the example names one profile.
    controllerProfile: undefined,
    namespace,
    entityRef: ENTITY,
    cluster,
    routes: [],
    sourceCidrs: [],
    serverDryRun: true,
    outputDir: 'manifests',
  } as RenderInput;
}

describe.each([
  [PROFILE_V16, 'v1' as const],
  [PROFILE_V13, 'v1alpha2' as const],
])('several listeners and weighted backends on %s', (profile, routeVersion) => {
  const clusterName = `multi-${routeVersion}`;
  let kc: k8s.KubeConfig;
  let namespace: string;
  let controller: FakeController;
  let destroyElbv2: () => void;
  let get: GetEntityGateways;
  let workspace: string;
  const applied: k8s.KubernetesObject[] = [];

  function renderAction() {
    return createRenderEndpointAction({
      guardrails: readGatewayGuardrails(
        new ConfigReader({
          awsGateway: { provisioning: { allowedClusters: ['peers'] } },
        }),
      ),
      clusters: new InMemoryKubernetesClusters([
        { name: 'peers', kubeConfig: async () => kc },
      ]),
      ownership: ownershipRuleOff(),
    });
  }

  async function render(input: RenderInput) {
    const ctx = createMockActionContext({ input, workspacePath: workspace });
    await renderAction().handler(ctx);
    return Object.fromEntries((ctx.output as jest.Mock).mock.calls);
  }

  beforeAll(async () => {
    kc = kubeConfigFor(profile);
    const started = await startFakeController(kc, clusterName, routeVersion);
    controller = started.controller;
    destroyElbv2 = () => started.elbv2.destroy();
    namespace = uniqueName('multi');
    await kc
      .makeApiClient(k8s.CoreV1Api)
      .createNamespace({ body: { metadata: { name: namespace } } });
    await ensureClassicGatewayClass(kc);
    get = statusServiceFor(kc, clusterName, ENTITY);

    // The backends: two Services behind 8080 (stable and canary) and one
    // DNS Service serving TCP and UDP on 53, each with ready pods.
    const o = new L4Objects({
      namespace,
      routeVersion,
      gatewayClassName: 'aws-nlb',
    });
    const [dnsService, dnsSlice] = o.workload(
      'coredns',
      53,
      5353,
      'UDP',
      DNS_IPS,
    );
    (dnsService as any).spec.ports = [
      { name: 'dns-udp', port: 53, targetPort: 5353, protocol: 'UDP' },
      { name: 'dns-tcp', port: 53, targetPort: 5353, protocol: 'TCP' },
    ];
    const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
    for (const object of [
      ...o.workload('backend', 3000, 3000),
      ...o.workload('backend-canary', 3000, 3000, 'TCP', CANARY_IPS),
      dnsService,
      dnsSlice,
    ]) {
      await serverSideApply(objects, object, 'multi-listener-test', applied);
    }
  });

  afterAll(async () => {
    await deleteApplied(kc, applied);
    destroyElbv2?.();
  });

  beforeEach(() => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'multi-listener-'));
  });
  afterEach(() => fs.rmSync(workspace, { recursive: true, force: true }));

  it('renders, passes the dry run, is programmed as the controller does, and shows every listener with its weights and targets', async () => {
    const outputs = await render(edgeInput(namespace, 'peers'));
    expect(outputs.serverDryRun).toBe('passed');
    expect(outputs.controllerNotes).toEqual([
      expect.stringMatching(
        /^Port 8080: .*backend:3000 \(weight 80, 80% of new connections\), backend-canary:3000 \(weight 20, 20% of new connections\)\.$/,
      ),
      expect.stringMatching(
        /^Port 53: listeners "dns-tcp" \(TCP\) and "dns-udp" \(UDP\) become ONE TCP_UDP load balancer listener\./,
      ),
    ]);

    // Applied as a GitOps agent would, then reconciled by the stand-in.
    const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
    for (const file of outputs.files as string[]) {
      const manifest = yaml.parse(
        fs.readFileSync(path.join(workspace, file), 'utf8'),
      );
      await serverSideApply(objects, manifest, 'gitops-agent', applied);
    }
    const programmed = await controller.reconcile(namespace, 'edge');
    // 8080 and one TCP_UDP listener on 53; three target groups (80/20 and DNS).
    expect(programmed.targetGroupArns).toHaveLength(3);

    const res = await get({
      'aws-gateway.io/gateways': `test/${namespace}/edge`,
    });
    expect(res.errors).toEqual([]);
    const [gw] = res.gateways;
    expect(gw.errors).toEqual([]);
    expect(gw.state).toBe('programmed');
    const byName = new Map<string, ListenerSummary>(
      gw.listeners.map(l => [l.name, l]),
    );
    expect([...byName.keys()].sort()).toEqual(['app', 'dns-tcp', 'dns-udp']);

    const app = byName.get('app')!;
    expect(app.loadBalancerListener).toMatchObject({
      port: 8080,
      protocol: 'TCP',
    });
    expect(
      app.targetGroups
        .map(tg => [tg.service?.name, tg.weight, tg.health.healthy])
        .sort(),
    ).toEqual([
      ['backend', 80, POD_IPS.length],
      ['backend-canary', 20, CANARY_IPS.length],
    ]);
    expect(app.routes[0].backends.map(b => [b.name, b.weight])).toEqual([
      ['backend', 80],
      ['backend-canary', 20],
    ]);

    // TCP and UDP on 53: one TCP_UDP NLB listener and ONE target group,
    // shown under both Gateway listeners; the DNS pods are its targets.
    for (const name of ['dns-tcp', 'dns-udp']) {
      const listener = byName.get(name)!;
      expect(listener.loadBalancerListener).toMatchObject({
        port: 53,
        protocol: 'TCP_UDP',
      });
      expect(listener.targetGroups).toHaveLength(1);
      expect(listener.targetGroups[0]).toMatchObject({
        protocol: 'TCP_UDP',
        port: 5353,
        service: { name: 'coredns' },
      });
      expect(listener.targetGroups[0].targets.map(t => t.id).sort()).toEqual(
        DNS_IPS,
      );
    }
    expect(byName.get('dns-tcp')!.targetGroups[0].arn).toBe(
      byName.get('dns-udp')!.targetGroups[0].arn,
    );
    // Both routes name the same backends, so neither is left without traffic.
    expect(gw.warnings.filter(w => w.code === 'route-shadowed')).toEqual([]);
  });

  it('refuses TCP and UDP on one port with different backends before anything is written, naming the input field', async () => {
    const input = edgeInput(namespace, 'peers') as any;
    input.listeners[2].backends = [{ service: 'backend', port: 3000 }];
    await expect(render(input)).rejects.toThrow(
      /listeners\[2\]\.backends must be the same Services, ports and weights as route "edge-dns-tcp"'s: TCP and UDP on port 53 become one TCP_UDP load balancer listener.*\[tcp-udp-same-backends\]/,
    );
    expect(fs.readdirSync(workspace)).toEqual([]);
  });

  it("refuses a listener's backend Service the cluster does not have, naming the input field", async () => {
    const input = edgeInput(namespace, 'peers') as any;
    input.listeners[0].backends[1].service = 'nope';
    await expect(render(input)).rejects.toThrow(
      /listeners\[0\]\.backends\[1\]\.service: Service .*\/nope does not exist.*\[service-not-found\]/,
    );
    expect(fs.readdirSync(workspace)).toEqual([]);
  });
});

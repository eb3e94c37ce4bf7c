/**
 * Issue 5's end-to-end test in the real portal: the expose template commits
 * the classic example to the git peer; exactly those manifests are applied to
 * the kube-apiserver (Gateway API v1.6 profile) with the Service, Pods and
 * EndpointSlice the cluster would have; test/fixtures/fakeController.ts plays
 * the AWS Load Balancer Controller against moto; the card is checked in
 * Chromium in three states, each saved as a screenshot.
 */
import { expect, Locator, Page, test } from '@playwright/test';
import * as k8s from '@kubernetes/client-node';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import yaml from 'yaml';
import { FakeController } from '../../fixtures/fakeController';
import {
  awsClientConfig,
  createBareRepo,
  createNetwork,
  kubeConfigFor,
  PROFILE_V16,
  uniqueName,
} from '../../peers';
import {
  BareRepo,
  ensureBackendService,
  startTemplatesPortal,
  TemplatesPortal,
  templateValues,
} from '../../integration/support/templatesPortal';
import { CLUSTER_FOR_PROFILE } from '../portalConfig';
import { openSignedIn, saveElementScreenshot } from '../screenshots';

test.describe.configure({ mode: 'serial' });

const CLUSTER = CLUSTER_FOR_PROFILE[PROFILE_V16];
const GATEWAY = 'aws-tcp-gateway';
const NAMESPACE = 'default';
const PODS = [
  { name: 'backend-6d9c7b5f4-kx2lp', ip: '192.0.2.10', zone: 'us-west-2a' },
  { name: 'backend-6d9c7b5f4-q8vzn', ip: '192.0.2.11', zone: 'us-west-2b' },
];

let env: TemplatesPortal;
let kc: k8s.KubeConfig;
let controller: FakeController;
let elbv2: ElasticLoadBalancingV2Client;
let committedFiles: string[] = [];

/** Pods and the EndpointSlice the cluster's controllers would have made (there are none here). */
async function createWorkload(config: k8s.KubeConfig) {
  const core = config.makeApiClient(k8s.CoreV1Api);
  const discovery = config.makeApiClient(k8s.DiscoveryV1Api);
  const ignoreExists = (e: any) => {
    if (e?.code !== 409) throw e;
  };
  await core
    .createNamespacedServiceAccount({ namespace: NAMESPACE, body: { metadata: { name: 'default' } } })
    .catch(ignoreExists);
  for (const pod of PODS) {
    await core
      .createNamespacedPod({
        namespace: NAMESPACE,
        body: {
          metadata: { name: pod.name, labels: { app: 'backend', 'backstage.io/kubernetes-id': 'backend' } },
          spec: { containers: [{ name: 'echo', image: 'registry.k8s.io/echoserver:2.5', ports: [{ containerPort: 3000 }] }] },
        },
      })
      .catch(ignoreExists);
  }
  await discovery
    .createNamespacedEndpointSlice({
      namespace: NAMESPACE,
      body: {
        metadata: { name: 'backend-abcde', labels: { 'kubernetes.io/service-name': 'backend' } },
        addressType: 'IPv4',
        endpoints: PODS.map(p => ({
          addresses: [p.ip],
          conditions: { ready: true },
          zone: p.zone,
          targetRef: { kind: 'Pod', name: p.name, namespace: NAMESPACE },
        })),
        ports: [{ name: 'tcp', port: 3000, protocol: 'TCP' }],
      },
    })
    .catch(ignoreExists);
}

function gatewayCard(page: Page): Locator {
  return page.locator('.MuiCard-root', { has: page.getByText('AWS gateways', { exact: true }) }).first();
}

async function openCard(page: Page): Promise<Locator> {
  await openSignedIn(page, `${env.portal.baseUrl}/catalog/default/component/backend`);
  const card = gatewayCard(page);
  await card.scrollIntoViewIfNeeded();
  await expect(card).toBeVisible();
  return card;
}

test.beforeAll(async () => {
  env = await startTemplatesPortal('gateway-card');
  const name = uniqueName('card-gitops');
  const repoUrl = createBareRepo(name, { 'README.md': '# GitOps\n' });
  const repo = new BareRepo(name);
  // The Service the developer picks exists before the template runs (it checks).
  kc = kubeConfigFor(PROFILE_V16);
  await ensureBackendService(kc, NAMESPACE);
  const values = await templateValues(env, CLUSTER, repoUrl);
  const result = await env.client.runTask('template:default/expose-tcp-endpoint', values.expose);
  if (result.status !== 'completed') {
    throw new Error(`expose template ${result.status}:\n${result.log.join('\n')}`);
  }

  // Apply exactly what was committed, as a GitOps agent would.
  const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
  committedFiles = repo.files('main').filter(f => f.endsWith('.yaml'));
  for (const file of committedFiles) {
    const manifest = yaml.parse(repo.show('main', file));
    await objects.patch(manifest, undefined, undefined, 'gitops-e2e', true, k8s.PatchStrategy.ServerSideApply);
  }
  await createWorkload(kc);

  elbv2 = new ElasticLoadBalancingV2Client(awsClientConfig());
  controller = new FakeController({
    kc,
    elbv2,
    network: await createNetwork(CLUSTER),
    clusterName: CLUSTER,
    routeVersion: 'v1',
  });
});

test.afterAll(async () => {
  elbv2?.destroy();
  await env?.stop();
});

test('the expose template committed the classic example', async () => {
  expect(committedFiles.some(f => f.includes('aws-tcp-gateway'))).toBe(true);
  expect(committedFiles.some(f => f.includes('tcp-backend-aws'))).toBe(true);
});

test('provisioning: accepted, waiting for the NLB', async ({ page }) => {
  await controller.reconcileProvisioning(NAMESPACE, GATEWAY, 'internet-facing');
  const card = await openCard(page);
  await expect(card.getByText(GATEWAY).first()).toBeVisible();
  await expect(card.getByText('Provisioning').first()).toBeVisible();
  await expect(card.getByText(/Waiting for load balancer to be active/).first()).toBeVisible();
  await saveElementScreenshot(card, 'gateway-card-provisioning');
});

test('healthy: DNS name, :8080 and healthy targets mapped to pods', async ({ page }) => {
  const reconciled = await controller.reconcile(NAMESPACE, GATEWAY, 'internet-facing');
  const card = await openCard(page);
  await card.getByRole('button', { name: 'Refresh' }).click();
  await expect(card.getByText('Programmed').first()).toBeVisible();
  const dns = reconciled.dnsName.toLowerCase();
  await expect(card.getByText(dns, { exact: false }).first()).toBeVisible();
  await expect(card.getByText(`${dns}:8080`).first()).toBeVisible();
  await expect(card.getByText('internet-facing').first()).toBeVisible();
  await card.getByRole('button', { name: 'Show targets' }).first().click();
  for (const pod of PODS) {
    await expect(card.getByText(pod.name).first()).toBeVisible();
    await expect(card.getByText(pod.ip).first()).toBeVisible();
  }
  await expect(card.getByText('healthy').first()).toBeVisible();
  // Move off the toggle so its tooltip does not sit in the screenshot.
  await page.mouse.move(0, 0);
  await expect(page.getByRole('tooltip')).toHaveCount(0);
  await saveElementScreenshot(card, 'gateway-card-healthy');
});

test('no route: a second Gateway listener without a route gets no NLB listener, and the card says why', async ({ page }) => {
  const custom = kc.makeApiClient(k8s.CustomObjectsApi);
  const gw: any = await custom.getNamespacedCustomObject({
    group: 'gateway.networking.k8s.io',
    version: 'v1',
    namespace: NAMESPACE,
    plural: 'gateways',
    name: GATEWAY,
  });
  gw.spec.listeners.push({ name: 'tcp-admin', protocol: 'TCP', port: 9090 });
  await custom.replaceNamespacedCustomObject({
    group: 'gateway.networking.k8s.io',
    version: 'v1',
    namespace: NAMESPACE,
    plural: 'gateways',
    name: GATEWAY,
    body: gw,
  });
  await controller.reconcile(NAMESPACE, GATEWAY, 'internet-facing');
  const card = await openCard(page);
  await card.getByRole('button', { name: 'Refresh' }).click();
  await expect(card.getByText(/Listener tcp-admin \(TCP 9090\) has no attached route/).first()).toBeVisible();
  await expect(card.getByText(/Create a TCPRoute/).first()).toBeVisible();
  await saveElementScreenshot(card, 'gateway-card-no-route');
});

/**
 * Issue 5's end-to-end test in the real portal: the expose template commits
 * the classic example to the git peer; exactly those manifests are applied to
 * the kube-apiserver (Gateway API v1.6 profile) with the Service, Pods and
 * EndpointSlice the cluster would have; test/fixtures/fakeController.ts plays
 * the AWS Load Balancer Controller against moto; the card is checked in
 * Chromium in each state, each saved as a screenshot: provisioning, healthy,
 * a listener without a route, TCP and UDP merged on one port (a second
 * Gateway), the classic route removed, and the Gateway being removed (deleted,
 * held by the controller's finalizer until its NLB is gone).
 */
import { expect, Locator, Page, test } from '@playwright/test';
import * as k8s from '@kubernetes/client-node';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import yaml from 'yaml';
import { ensureClassicGatewayClass } from '../../fixtures/classicGateway';
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
    .createNamespacedServiceAccount({
      namespace: NAMESPACE,
      body: { metadata: { name: 'default' } },
    })
    .catch(ignoreExists);
  for (const pod of PODS) {
    await core
      .createNamespacedPod({
        namespace: NAMESPACE,
        body: {
          metadata: {
            name: pod.name,
            labels: { app: 'backend', 'backstage.io/kubernetes-id': 'backend' },
          },
          spec: {
            containers: [
              {
                name: 'echo',
                image: 'registry.k8s.io/echoserver:2.5',
                ports: [{ containerPort: 3000 }],
              },
            ],
          },
        },
      })
      .catch(ignoreExists);
  }
  await discovery
    .createNamespacedEndpointSlice({
      namespace: NAMESPACE,
      body: {
        metadata: {
          name: 'backend-abcde',
          labels: { 'kubernetes.io/service-name': 'backend' },
        },
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

/**
 * A second Gateway for the component: TCP and UDP listeners on port 53, the
 * TCPRoute created a second before the UDPRoute (creationTimestamp has
 * one-second resolution), so the controller merges them into one TCP_UDP NLB
 * listener for the TCPRoute's Service only.
 */
const DNS_GATEWAY = 'dns-gateway';

async function applyDnsGateway(config: k8s.KubeConfig) {
  const objects = k8s.KubernetesObjectApi.makeApiClient(config);
  const gw = 'gateway.networking.k8s.io';
  const workload = (
    name: string,
    protocol: string,
    ip: string,
  ): k8s.KubernetesObject[] => [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: NAMESPACE },
      spec: {
        selector: { app: name },
        ports: [{ name: 'dns', port: 53, targetPort: 5353, protocol }],
      },
    } as k8s.KubernetesObject,
    {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        name: `${name}-abcde`,
        namespace: NAMESPACE,
        labels: { 'kubernetes.io/service-name': name },
      },
      addressType: 'IPv4',
      ports: [{ name: 'dns', port: 5353, protocol }],
      endpoints: [
        { addresses: [ip], conditions: { ready: true }, zone: 'us-west-2a' },
      ],
    } as k8s.KubernetesObject,
    {
      apiVersion: 'gateway.k8s.aws/v1',
      kind: 'TargetGroupConfiguration',
      metadata: { name, namespace: NAMESPACE },
      spec: {
        targetReference: { kind: 'Service', name },
        defaultConfiguration: { targetType: 'ip' },
      },
    } as k8s.KubernetesObject,
  ];
  const route = (
    kind: string,
    name: string,
    sectionName: string,
  ): k8s.KubernetesObject =>
    ({
      apiVersion: `${gw}/v1`,
      kind,
      metadata: { name, namespace: NAMESPACE },
      spec: {
        parentRefs: [{ name: DNS_GATEWAY, sectionName }],
        rules: [{ backendRefs: [{ name, port: 53 }] }],
      },
    } as k8s.KubernetesObject);
  for (const object of [
    {
      apiVersion: `${gw}/v1`,
      kind: 'Gateway',
      metadata: {
        name: DNS_GATEWAY,
        namespace: NAMESPACE,
        labels: { 'backstage.io/kubernetes-id': 'backend' },
        // The status backend shows a Gateway only to the entity it names (the expose template writes it).
        annotations: {
          'aws-gateway.io/entity-ref': 'component:default/backend',
        },
      },
      spec: {
        gatewayClassName: 'aws-nlb',
        listeners: [
          { name: 'dns-tcp', port: 53, protocol: 'TCP' },
          { name: 'dns-udp', port: 53, protocol: 'UDP' },
        ],
      },
    } as k8s.KubernetesObject,
    ...workload('dns-tcp', 'TCP', '192.0.2.53'),
    ...workload('dns-udp', 'UDP', '192.0.2.54'),
    route('TCPRoute', 'dns-tcp', 'dns-tcp'),
  ]) {
    await objects.create(object);
  }
  await new Promise(resolve => setTimeout(resolve, 1_100));
  await objects.create(route('UDPRoute', 'dns-udp', 'dns-udp'));
}

function gatewaySection(card: Locator, name: string): Locator {
  return card.getByRole('region', { name });
}

/** The card: a Backstage UI card (like the catalog's About card) titled AWS gateways. */
function gatewayCard(page: Page): Locator {
  return page
    .locator('.bui-Card', {
      has: page.getByRole('heading', { name: 'AWS gateways', exact: true }),
    })
    .first();
}

/**
 * What the page logs at warning or error level, and uncaught errors, from the
 * moment it opens. A resource that failed to load counts only when it is this
 * plugin's API: other plugins' requests are not this card's business.
 */
const pageProblems = new WeakMap<Page, string[]>();

function recordProblems(page: Page): void {
  if (pageProblems.has(page)) return;
  const problems: string[] = [];
  pageProblems.set(page, problems);
  page.on('console', message => {
    if (message.type() !== 'warning' && message.type() !== 'error') return;
    const url = message.location().url;
    const failedResource = message.text().startsWith('Failed to load resource');
    if (failedResource && !url.includes('/api/aws-gateway')) return;
    // Backstage's own app defaults (brokenImage, catalog, scaffolder… icons)
    // still register icons the deprecated way; not this card's output.
    if (
      message
        .text()
        .startsWith('The following icons were registered as IconComponent')
    )
      return;
    problems.push(`console.${message.type()}: ${message.text()} (${url})`);
  });
  page.on('pageerror', error => problems.push(`uncaught: ${error.message}`));
}

/** Fails when the page logged a warning or error since it was opened. */
function expectQuietConsole(page: Page): void {
  expect(pageProblems.get(page) ?? []).toEqual([]);
}

async function openCard(page: Page): Promise<Locator> {
  recordProblems(page);
  await openSignedIn(
    page,
    `${env.portal.baseUrl}/catalog/default/component/backend`,
  );
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
  const result = await env.client.runTask(
    'template:default/expose-tcp-endpoint',
    values.expose,
  );
  if (result.status !== 'completed') {
    throw new Error(
      `expose template ${result.status}:\n${result.log.join('\n')}`,
    );
  }

  // Apply exactly what was committed, as a GitOps agent would.
  const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
  committedFiles = repo.files('main').filter(f => f.endsWith('.yaml'));
  for (const file of committedFiles) {
    const manifest = yaml.parse(repo.show('main', file));
    await objects.patch(
      manifest,
      undefined,
      undefined,
      'gitops-e2e',
      true,
      k8s.PatchStrategy.ServerSideApply,
    );
  }
  await createWorkload(kc);
  // The platform's GatewayClass (the controller-setup template's), which the controller accepts first.
  await ensureClassicGatewayClass(kc);

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
  await expect(
    card.getByText(/Waiting for load balancer to be active/).first(),
  ).toBeVisible();
  await saveElementScreenshot(card, 'gateway-card-provisioning');
  expectQuietConsole(page);
});

test('healthy: DNS name, :8080 and healthy targets mapped to pods', async ({
  page,
}) => {
  const reconciled = await controller.reconcile(
    NAMESPACE,
    GATEWAY,
    'internet-facing',
  );
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
  // Loading, refreshing and opening the targets logged nothing.
  expectQuietConsole(page);
});

test('no route: a second Gateway listener without a route gets no NLB listener, and the card says why', async ({
  page,
}) => {
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
  await expect(
    card
      .getByText(/Listener tcp-admin \(TCP 9090\) has no attached route/)
      .first(),
  ).toBeVisible();
  await expect(card.getByText(/Create a TCPRoute/).first()).toBeVisible();
  await saveElementScreenshot(card, 'gateway-card-no-route');
  expectQuietConsole(page);
});

test('TCP and UDP on one port: one TCP_UDP listener, the UDP route gets no traffic, and the card says why', async ({
  page,
}) => {
  await applyDnsGateway(kc);
  await controller.reconcile(NAMESPACE, DNS_GATEWAY);
  const card = await openCard(page);
  await card.getByRole('button', { name: 'Refresh' }).click();
  const section = gatewaySection(card, DNS_GATEWAY);
  await expect(section.getByText('NLB listener TCP_UDP').first()).toBeVisible();
  await expect(section.getByText('TCP_UDP :5353').first()).toBeVisible();
  await expect(
    section.getByText(
      'Accepted, but gets no traffic: another route owns this port',
    ),
  ).toBeVisible();
  await expect(
    section.getByText(/share one TCP_UDP load balancer listener/),
  ).toBeVisible();
  await expect(
    section.getByText(/Serve TCP and UDP on port 53 from one Service/),
  ).toBeVisible();
  await saveElementScreenshot(section, 'gateway-card-tcp-udp');
  expectQuietConsole(page);
});

test('route removed: the NLB listener and target group go, the Gateway stays programmed, and the card says what to create', async ({
  page,
}) => {
  const custom = kc.makeApiClient(k8s.CustomObjectsApi);
  const routes: any = await custom.listNamespacedCustomObject({
    group: 'gateway.networking.k8s.io',
    version: 'v1',
    namespace: NAMESPACE,
    plural: 'tcproutes',
  });
  const classic = routes.items.filter((r: any) =>
    r.spec.parentRefs.some((p: any) => p.name === GATEWAY),
  );
  expect(classic).toHaveLength(1);
  await custom.deleteNamespacedCustomObject({
    group: 'gateway.networking.k8s.io',
    version: 'v1',
    namespace: NAMESPACE,
    plural: 'tcproutes',
    name: classic[0].metadata.name,
  });
  await controller.reconcile(NAMESPACE, GATEWAY);
  const card = await openCard(page);
  await card.getByRole('button', { name: 'Refresh' }).click();
  const section = gatewaySection(card, GATEWAY);
  await expect(
    section.getByText(/\(TCP 8080\) has no attached route/),
  ).toBeVisible();
  await expect(
    section.getByText('No NLB listener: no route attached').first(),
  ).toBeVisible();
  await expect(section.getByText('Programmed', { exact: true })).toBeVisible();
  await saveElementScreenshot(section, 'gateway-card-route-removed');
  expectQuietConsole(page);
});

test('being removed: the Gateway deleted, the controller finalizer holds it until the NLB is gone, then the card drops it', async ({
  page,
}) => {
  // The GitOps agent prunes what the removal took out of the repository.
  await k8s.KubernetesObjectApi.makeApiClient(kc).delete({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name: GATEWAY, namespace: NAMESPACE },
  });
  const card = await openCard(page);
  await card.getByRole('button', { name: 'Refresh' }).click();
  const section = gatewaySection(card, GATEWAY);
  await expect(section.getByText('Being removed').first()).toBeVisible();
  await expect(
    section.getByText(/the controller deletes the load balancer/).first(),
  ).toBeVisible();
  // Its deletion bumped the generation; that is no stale status to warn about.
  await expect(
    section.getByText(/has not processed the latest change/),
  ).toHaveCount(0);
  // The other Gateway of the component is untouched.
  await expect(
    gatewaySection(card, DNS_GATEWAY).getByText('Being removed'),
  ).toHaveCount(0);
  await page.mouse.move(0, 0);
  await saveElementScreenshot(section, 'gateway-card-removing');

  // The controller deletes the NLB and lifts its finalizer; the card, polling while it is removed, drops it.
  expect((await controller.reconcile(NAMESPACE, GATEWAY)).deleted).toBe(true);
  await expect(section).toHaveCount(0, { timeout: 30_000 });
  await expect(gatewaySection(card, DNS_GATEWAY)).toBeVisible();
  expectQuietConsole(page);
});

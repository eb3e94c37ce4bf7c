/**
 * Issue 14's "Exposed endpoints" page in the real portal: three Gateways on
 * the peer kube-apiserver (Gateway API v1.6 + LBC CRDs) with the status the
 * AWS Load Balancer Controller writes — an internet-facing one open to the
 * world that names no component, an internet-facing one with source CIDRs
 * for the sample `backend` component, and an internal one — are published by
 * the catalog module as Resources (its schedule shortened by the overlay),
 * and the page lists them internet-facing first, with filters.
 * Screenshot: docs/screenshots/exposed-endpoints.png (copied from
 * test/artifacts/screenshots).
 */
import { expect, test } from '@playwright/test';
import * as k8s from '@kubernetes/client-node';
import {
  applyNlbGateway,
  createGatewayClass,
  deleteGatewayClass,
} from '../../fixtures/nlbGatewayObjects';
import { kubeConfigFor, loadPeers, PROFILE_V16, uniqueName } from '../../peers';
import { ensureAppBuilt, RunningPortal, startPortal } from '../portal';
import {
  CLUSTER_FOR_PROFILE,
  portalEnvForPeers,
  portalOverlayForPeers,
} from '../portalConfig';
import { openSignedIn, saveScreenshot } from '../screenshots';

test.describe.configure({ mode: 'serial' });

const CLASS = uniqueName('nlb-endpoints');
const NAMESPACE = uniqueName('endpoints');
const CLUSTER = CLUSTER_FOR_PROFILE[PROFILE_V16];

interface DemoGateway {
  name: string;
  scheme: 'internet-facing' | 'internal';
  sourceRanges?: string[];
  entityRef?: string;
  ports: Array<[number, 'TCP' | 'UDP' | 'TLS']>;
  programmed: boolean;
}

const GATEWAYS: DemoGateway[] = [
  {
    name: 'backend-public',
    scheme: 'internet-facing',
    sourceRanges: ['198.51.100.0/24', '203.0.113.0/24'],
    entityRef: 'component:default/backend',
    ports: [[8080, 'TCP']],
    programmed: true,
  },
  {
    name: 'legacy-ftp',
    scheme: 'internet-facing',
    ports: [[2121, 'TCP']],
    programmed: true,
  },
  {
    name: 'metrics-internal',
    scheme: 'internal',
    entityRef: 'component:default/backend',
    ports: [
      [9090, 'TCP'],
      [8125, 'UDP'],
    ],
    programmed: false,
  },
];

let portal: RunningPortal;
let kc: k8s.KubeConfig;
/** Where awsGateway.status.clusters puts the peer cluster's load balancers: a status ARN there gets a console link. */
let region: string;
let accountId: string;

function applyGateway(gw: DemoGateway) {
  const hash = Math.random().toString(16).slice(2, 12);
  const lbName = `k8s-${NAMESPACE.slice(0, 8)}-${gw.name.slice(0, 8)}-${hash}`;
  return applyNlbGateway(kc, {
    namespace: NAMESPACE,
    name: gw.name,
    gatewayClassName: CLASS,
    ...(gw.entityRef ? { entityRef: gw.entityRef } : {}),
    listeners: gw.ports.map(([port, protocol]) => ({ port, protocol })),
    loadBalancer: {
      scheme: gw.scheme,
      ...(gw.sourceRanges ? { sourceRanges: gw.sourceRanges } : {}),
    },
    ...(gw.programmed
      ? {
          programmed: {
            dnsName: `${lbName}.elb.${region}.amazonaws.com`,
            arn: `arn:aws:elasticloadbalancing:${region}:${accountId}:loadbalancer/net/${lbName}/${hash}abcdef`,
          },
        }
      : {}),
  });
}

test.beforeAll(async () => {
  const peers = loadPeers();
  if (!peers.aws || !peers.kube)
    throw new Error('this test needs the aws and kube peers');
  region = peers.aws.region;
  accountId = peers.aws.accountId;
  kc = kubeConfigFor(PROFILE_V16);
  await kc
    .makeApiClient(k8s.CoreV1Api)
    .createNamespace({ body: { metadata: { name: NAMESPACE } } });
  await createGatewayClass(kc, CLASS);
  for (const gw of GATEWAYS) await applyGateway(gw);

  ensureAppBuilt();
  const overlay = portalOverlayForPeers(peers) as {
    awsGateway?: Record<string, unknown>;
  };
  // The catalog module every 5 s instead of every 2 minutes.
  overlay.awsGateway = {
    ...overlay.awsGateway,
    catalog: {
      schedule: {
        frequency: { seconds: 5 },
        timeout: { seconds: 30 },
        initialDelay: { seconds: 2 },
      },
    },
  };
  portal = await startPortal({
    name: 'exposed-endpoints',
    overlay,
    env: portalEnvForPeers(peers),
  });
});

test.afterAll(async () => {
  await portal?.stop();
  await kc
    ?.makeApiClient(k8s.CoreV1Api)
    .deleteNamespace({ name: NAMESPACE })
    .catch(() => undefined);
  if (kc) await deleteGatewayClass(kc, CLASS);
});

test('the backend starts with the catalog module and no startup error', () => {
  expect(portal.startupErrors).toEqual([]);
});

test('lists every NLB endpoint, internet-facing first, with filters', async ({
  page,
}) => {
  const url = `${portal.baseUrl}/aws-gateway/endpoints`;
  await openSignedIn(page, url);
  // The catalog module runs every 5 s here and the page reads the catalog
  // once: reload until the last Gateway is listed and the public one carries
  // its component's owner (a run before the catalog held the component
  // publishes the default owner; the next run corrects it).
  await expect(async () => {
    await page.goto(url);
    await expect(
      page.getByText(`${NAMESPACE}/metrics-internal (${CLUSTER})`),
    ).toBeVisible({ timeout: 5_000 });
    await expect(
      page.getByRole('row').filter({ hasText: 'backend-public' }),
    ).toContainText('guests', { timeout: 2_000 });
  }).toPass({ timeout: 120_000 });

  const rows = page.getByRole('row');
  const ours = rows.filter({ hasText: NAMESPACE });
  await expect(ours).toHaveCount(3);
  await expect(ours.nth(0)).toContainText('legacy-ftp');
  await expect(ours.nth(0)).toContainText('Open to the world');
  await expect(ours.nth(0)).toContainText('No component');
  await expect(ours.nth(1)).toContainText('backend-public');
  await expect(ours.nth(1)).toContainText('198.51.100.0/24');
  await expect(
    ours.nth(1).getByRole('link', { name: /in the AWS console/ }),
  ).toHaveAttribute(
    'href',
    new RegExp(`^https://${region}\\.console\\.aws\\.amazon\\.com/`),
  );
  await expect(ours.nth(1)).toContainText('guests');
  await expect(
    ours.nth(1).getByRole('link', { name: 'backend', exact: true }),
  ).toHaveAttribute('href', '/catalog/default/component/backend');
  await expect(ours.nth(2)).toContainText('metrics-internal');
  await expect(ours.nth(2)).toContainText('Internal');
  await expect(ours.nth(2)).toContainText('UDP 8125');
  await saveScreenshot(page, 'exposed-endpoints');

  await page.getByRole('button', { name: /Scheme/ }).click();
  await page.getByRole('option', { name: 'Internal' }).click();
  await expect(rows.filter({ hasText: NAMESPACE })).toHaveCount(1);
  await expect(rows.filter({ hasText: 'legacy-ftp' })).toHaveCount(0);
});

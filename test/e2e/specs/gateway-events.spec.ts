/**
 * Issue 14's browser test of the controller's own words on the card: a
 * Gateway whose route reaches a ClusterIP Service with the controller's
 * default instance targets, applied to the kube-apiserver; the controller
 * stand-in records FailedBuildModel on it, twice; the card, in Chromium,
 * opens its events where something is wrong and shows the warning with its
 * fix, merged with its count. Screenshot: gateway-card-events.
 */
import { expect, test } from '@playwright/test';
import * as k8s from '@kubernetes/client-node';
import {
  BACKEND_NAMESPACE,
  backendGateway,
  backendObjects as objects,
} from '../backendComponent';
import { openSignedIn, saveElementScreenshot } from '../screenshots';
import { StandInPortal, startStandInPortal } from '../standInPortal';

test.describe.configure({ mode: 'serial' });

const NAMESPACE = BACKEND_NAMESPACE;
const GATEWAY = 'legacy-gateway';
const SERVICE = 'legacy-app';

let portal: StandInPortal;

/** The Gateway of component backend. */
function gateway(): k8s.KubernetesObject {
  return backendGateway(GATEWAY, [
    { name: 'tcp-7000', port: 7000, protocol: 'TCP' },
  ]);
}

test.beforeAll(async () => {
  portal = await startStandInPortal('gateway-events');
  const { kc, controller } = portal;
  const api = k8s.KubernetesObjectApi.makeApiClient(kc);
  await api.create(gateway());
  await controller.reconcileOnce(NAMESPACE, GATEWAY);
  // Then a route to a ClusterIP Service, and no TargetGroupConfiguration: instance targets.
  for (const object of [
    objects.route(
      'TCPRoute',
      SERVICE,
      { gateway: GATEWAY, sectionName: 'tcp-7000' },
      [{ name: SERVICE, port: 7000 }],
    ),
    ...objects.workload(SERVICE, 7000, 7000),
  ])
    await api.create(object);
  await controller.reconcile(NAMESPACE, GATEWAY);
  await controller.reconcile(NAMESPACE, GATEWAY); // requeued: the same failure again
});

test.afterAll(async () => {
  await portal?.stop();
});

test("the card opens the controller's events where something is wrong: FailedBuildModel with its fix and count", async ({
  page,
}) => {
  const problems: string[] = [];
  page.on('pageerror', error => problems.push(error.message));
  await openSignedIn(
    page,
    `${portal.env.portal.baseUrl}/catalog/default/component/backend`,
  );
  const section = page.getByRole('region', { name: GATEWAY });
  await section.scrollIntoViewIfNeeded();
  await expect(section.getByText('Error', { exact: true })).toBeVisible();

  const events = section.getByRole('button', { name: /Controller events/ });
  await expect(events).toHaveAttribute('aria-expanded', 'true');
  const row = section
    .getByRole('grid', { name: 'Kubernetes events about this gateway' })
    .getByRole('row')
    .filter({ hasText: 'FailedBuildModel' });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(
    'TargetGroup port is empty. When using Instance targets',
  );
  await expect(row).toContainText(`Gateway ${GATEWAY}`);
  await expect(row).toContainText('Fix:');
  await expect(row).toContainText('targetType: ip');
  await expect(row).toContainText('×2');
  await saveElementScreenshot(section, 'gateway-card-events');
  expect(problems).toEqual([]);
});

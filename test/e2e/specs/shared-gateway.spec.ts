/**
 * The expose form's shared gateway choice in the real portal: a developer
 * chooses "A listener on a shared gateway" and the picker lists the shared
 * Gateway the platform configured (awsGateway.provisioning.sharedGateways)
 * with the ports its live listeners, its manifest and the portal's open review
 * pull requests leave free; a port another developer's pull request still
 * under review adds is shown pending, linking that pull request.
 * Screenshot: docs/screenshots/shared-gateway-form.png (copied from
 * test/artifacts/screenshots).
 */
import { expect, test } from '@playwright/test';
import { PROFILE_V16 } from '../../peers';
import {
  addListener,
  createPeerSharedGateway,
  openPeerReview,
} from '../../integration/support/sharedGatewayPeer';
import {
  startTemplatesPortal,
  TemplatesPortal,
} from '../../integration/support/templatesPortal';
import { CLUSTER_FOR_PROFILE } from '../portalConfig';
import { openSignedIn, saveScreenshot } from '../screenshots';

test.describe.configure({ mode: 'serial' });

const CLUSTER = CLUSTER_FOR_PROFILE[PROFILE_V16];
let env: TemplatesPortal;
let namespace: string;
/** Another developer's expose of port 20001, still under review. */
let review: { number: number; url: string };

test.beforeAll(async () => {
  test.setTimeout(900_000);
  const shared = await createPeerSharedGateway({
    title: 'Shared internal NLB',
    listeners: [{ name: 'team-b-db', protocol: 'TCP', port: 20003 }],
  });
  namespace = shared.namespace;
  review = await openPeerReview(
    shared,
    'aws-gateway/shared-team-c-db',
    addListener({ name: 'team-c-db', protocol: 'TCP', port: 20001 }),
  );
  // Deep-merged over the generated overlay by the config loader.
  process.env.APP_CONFIG_awsGateway_provisioning_sharedGateways =
    JSON.stringify([shared.entry]);
  try {
    env = await startTemplatesPortal('shared-gateway');
  } finally {
    delete process.env.APP_CONFIG_awsGateway_provisioning_sharedGateways;
  }
  expect(env.portal.startupErrors).toEqual([]);
});

test.afterAll(async () => {
  await env?.stop();
});

test('the expose form offers a listener on a shared gateway, with its free ports and those pending review', async ({
  page,
}) => {
  await openSignedIn(
    page,
    `${env.portal.baseUrl}/create/templates/default/expose-tcp-endpoint`,
  );
  const sharedPicker = page.getByRole('button', { name: /^Shared gateway\b/ });
  await expect(sharedPicker).toHaveCount(0);
  await page.getByRole('button', { name: /^Load balancer\b/ }).click();
  await page
    .getByRole('option', { name: 'A listener on a shared gateway' })
    .click();
  await sharedPicker.click();
  const option = page.getByRole('option', {
    name: `Shared internal NLB (${CLUSTER}/${namespace}/shared-nlb) — free ports 20002, 20004-20099; pending review 20001; TCP/UDP; every namespace`,
  });
  await expect(option).toBeVisible({ timeout: 60_000 });
  await option.click();
  await expect(sharedPicker).toContainText('Shared internal NLB');
  await expect(
    page.getByText(
      'Port 20001 is pending review (listener team-c-db) in pull request',
    ),
  ).toBeVisible();
  await expect(
    page.getByRole('link', { name: `#${review.number}` }),
  ).toHaveAttribute('href', review.url);
  await saveScreenshot(page, 'shared-gateway-form');
});

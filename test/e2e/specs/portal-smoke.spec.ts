/**
 * Issue 2's smoke test: the real backend serving the real frontend, with the
 * dev profile (no AWS account, no cluster) — what a fresh clone shows.
 */
import { expect, test } from '@playwright/test';
import { RunningPortal, startPortal } from '../portal';
import { openSignedIn, saveScreenshot } from '../screenshots';

let portal: RunningPortal;

test.beforeAll(async () => {
  portal = await startPortal({ name: 'smoke' });
});

test.afterAll(async () => {
  await portal?.stop();
});

test('the backend starts with no startup error', async () => {
  expect(portal.startupErrors).toEqual([]);
});

test('catalog lists the sample service', async ({ page }) => {
  await openSignedIn(page, `${portal.baseUrl}/catalog`);
  await expect(
    page.getByRole('link', { name: 'backend', exact: true }),
  ).toBeVisible();
  await saveScreenshot(page, 'portal-catalog');
});

test('the backend component page shows the gateway card in its not-configured state', async ({
  page,
}) => {
  await openSignedIn(
    page,
    `${portal.baseUrl}/catalog/default/component/backend`,
  );
  await expect(
    page.getByRole('heading', { name: 'backend' }).first(),
  ).toBeVisible();
  await expect(page.getByText(/Echo backend service/).first()).toBeVisible();
  const card = page.getByText('No Kubernetes cluster configured');
  await card.scrollIntoViewIfNeeded();
  await expect(card).toBeVisible();
  await saveScreenshot(page, 'portal-backend-component-not-configured');
});

test('the create page lists the software templates', async ({ page }) => {
  await openSignedIn(page, `${portal.baseUrl}/create`);
  await expect(page.getByText(/Expose a TCP endpoint/i).first()).toBeVisible();
  await expect(
    page.getByText(/AWS Load Balancer Controller/i).first(),
  ).toBeVisible();
  await saveScreenshot(page, 'portal-create');
});

test('the expose template form asks for the service first', async ({
  page,
}) => {
  await openSignedIn(
    page,
    `${portal.baseUrl}/create/templates/default/expose-tcp-endpoint`,
  );
  await expect(page.getByText('Expose a TCP endpoint').first()).toBeVisible();
  await expect(page.getByText('Service name').first()).toBeVisible();
  await expect(page.getByText('Service port').first()).toBeVisible();
  await saveScreenshot(page, 'portal-expose-template-form');
});

/**
 * The adopter's app, installed from the tarballs by the README's steps and
 * started by run.ts: the card on an entity page, both templates in /create,
 * our actions in the scaffolder. Screenshots: docs/screenshots/adopter-*.png.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import YAML from 'yaml';
import { AWS_GATEWAY_ACTION_IDS } from '@gateway-portal/plugin-aws-gateway-node';
import { REPO_ROOT } from '../peers/cache';
import { openSignedIn } from '../e2e/screenshots';
import { ADOPTER_ENTITY_NAME } from './adopterApp';

const DOC_SCREENSHOTS = path.join(REPO_ROOT, 'docs', 'screenshots');
const TEMPLATES_DIR = path.join(REPO_ROOT, 'templates');

function baseUrl(): string {
  const url = process.env.ADOPTER_BASE_URL;
  if (!url) throw new Error('ADOPTER_BASE_URL is not set: run ./run adopter');
  return url;
}

/** The titles of the templates the suite ships (templates/<name>/template.yaml). */
function shippedTemplateTitles(): string[] {
  return fs
    .readdirSync(TEMPLATES_DIR, { withFileTypes: true })
    .filter(entry =>
      fs.existsSync(path.join(TEMPLATES_DIR, entry.name, 'template.yaml')),
    )
    .map(entry => {
      const file = path.join(TEMPLATES_DIR, entry.name, 'template.yaml');
      return YAML.parse(fs.readFileSync(file, 'utf8')).metadata.title as string;
    });
}

test('an adopter component page shows the gateway card', async ({ page }) => {
  await openSignedIn(
    page,
    `${baseUrl()}/catalog/default/component/${ADOPTER_ENTITY_NAME}`,
  );
  await expect(
    page.getByRole('heading', { name: ADOPTER_ENTITY_NAME }).first(),
  ).toBeVisible();
  // No cluster is configured in a fresh app: the card's designed state, not an error boundary.
  const card = page.getByText('AWS gateways').first();
  await card.scrollIntoViewIfNeeded();
  await expect(card).toBeVisible();
  await expect(page.getByText(/No Kubernetes cluster/i).first()).toBeVisible();
  await page.screenshot({
    path: path.join(DOC_SCREENSHOTS, 'adopter-entity-card.png'),
    fullPage: true,
  });
});

test('the create page lists both templates', async ({ page }) => {
  const titles = shippedTemplateTitles();
  expect(titles).toHaveLength(4);
  await openSignedIn(page, `${baseUrl()}/create`);
  for (const title of titles) {
    await expect(page.getByText(title, { exact: true }).first()).toBeVisible();
  }
  await page.screenshot({
    path: path.join(DOC_SCREENSHOTS, 'adopter-create.png'),
    fullPage: true,
  });
});

test('the scaffolder lists every action of the suite', async ({ request }) => {
  const session = await request.get(
    `${baseUrl()}/api/auth/guest/refresh?env=development`,
    { headers: { 'X-Requested-With': 'XMLHttpRequest' } },
  );
  expect(session.ok()).toBe(true);
  const token: string = (await session.json()).backstageIdentity.token;
  const res = await request.get(`${baseUrl()}/api/scaffolder/v2/actions`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(res.ok()).toBe(true);
  const ids = ((await res.json()) as Array<{ id: string }>).map(a => a.id);
  expect(ids).toEqual(expect.arrayContaining([...AWS_GATEWAY_ACTION_IDS]));
});

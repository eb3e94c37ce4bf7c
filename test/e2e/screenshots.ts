import { Locator, Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { ARTIFACTS_DIR } from './portal';

export const SCREENSHOTS_DIR = path.join(ARTIFACTS_DIR, 'screenshots');

/** Saves a full-page screenshot as a test artifact and returns its path. */
export async function saveScreenshot(
  page: Page,
  name: string,
): Promise<string> {
  fs.mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  const file = path.join(SCREENSHOTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Saves a screenshot of one element (e.g. the gateway card) and returns its path. */
export async function saveElementScreenshot(
  locator: Locator,
  name: string,
): Promise<string> {
  fs.mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  const file = path.join(SCREENSHOTS_DIR, `${name}.png`);
  await locator.scrollIntoViewIfNeeded();
  await locator.screenshot({ path: file });
  return file;
}

/**
 * Opens a portal URL, signing in as guest when the sign-in page shows first
 * (a full page load asks again; the app then renders the requested route).
 */
export async function openSignedIn(page: Page, url: string): Promise<void> {
  const enter = page.getByRole('button', { name: 'Enter' });
  const sidebar = page.locator('nav[aria-label="sidebar nav"]');
  // Backstage's guest sign-in gives up on one slow refresh (its page then
  // says guests cannot sign in); a second page load asks again.
  for (let attempt = 1; ; attempt++) {
    await page.goto(url);
    await enter
      .or(sidebar)
      .first()
      .waitFor({ state: 'attached', timeout: 60_000 });
    if (!(await enter.isVisible())) return;
    await enter.click();
    const signedIn = await enter
      .waitFor({ state: 'detached', timeout: 30_000 })
      .then(() => true)
      .catch(() => false);
    if (signedIn) return;
    if (attempt === 2) {
      throw new Error(`guest sign-in did not finish twice in a row (${url})`);
    }
    console.warn(`guest sign-in did not finish; loading ${url} again`);
  }
}

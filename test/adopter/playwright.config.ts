import { defineConfig } from '@playwright/test';
import path from 'node:path';
import e2eConfig from '../e2e/playwright.config';

/**
 * The adopter-install test's browser checks: the browser settings of the
 * browser tests (Debian's Chromium), against the adopter's app that run.ts
 * started (ADOPTER_BASE_URL) — no peers, no portal of ours.
 */
export default defineConfig({
  ...e2eConfig,
  testDir: __dirname,
  testMatch: 'adopter.spec.ts',
  globalSetup: undefined,
  timeout: 120_000,
  reporter: [
    ['list'],
    [
      'json',
      {
        outputFile: path.join(
          __dirname,
          '..',
          'artifacts',
          'adopter-results.json',
        ),
      },
    ],
  ],
  outputDir: path.join(__dirname, '..', 'artifacts', 'adopter', 'playwright'),
});

import { defineConfig } from '@playwright/test';
import path from 'node:path';

/**
 * Browser tests: Debian's Chromium driven by Playwright (browsers cannot be
 * downloaded here). Each spec starts the real portal it needs; screenshots go
 * to test/artifacts/screenshots, a failed test's trace to test/artifacts/playwright/<run>.
 */
export default defineConfig({
  testDir: path.join(__dirname, 'specs'),
  globalSetup: path.join(__dirname, 'global-setup.ts'),
  timeout: 300_000,
  expect: { timeout: 30_000 },
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [
    ['list'],
    [
      'json',
      {
        outputFile: path.join(__dirname, '..', 'artifacts', 'e2e-results.json'),
      },
    ],
  ],
  // One folder per run: a run clears its output folder when it starts and its workers' trace folders when they
  // end, which would delete the files of another run on the same machine. Workers inherit the runner's variable.
  outputDir: path.join(
    __dirname,
    '..',
    'artifacts',
    'playwright',
    (process.env.E2E_RUN_ID ??= `run-${process.pid}`),
  ),
  use: {
    browserName: 'chromium',
    viewport: { width: 1440, height: 1000 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});

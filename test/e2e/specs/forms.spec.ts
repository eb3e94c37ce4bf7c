/**
 * Issue 12's forms in the real portal: a developer opens "Expose a TCP
 * endpoint" and fills it with the pickers — the cluster (with the controller
 * profile detected from its CRDs), the namespace, the Service and its port read
 * from the kube-apiserver — sees the platform's rules and what to change
 * before submitting, fields that apply only sometimes appear only then, the
 * review step shows the controller profile and the files to commit, and the
 * task's output lists the committed paths and links to the component's card.
 * Screenshots: docs/screenshots/expose-form-*.png (copied from
 * test/artifacts/screenshots).
 */
import { expect, Page, test } from '@playwright/test';
import {
  createBareRepo,
  kubeConfigFor,
  PROFILE_V16,
  uniqueName,
} from '../../peers';
import {
  BareRepo,
  ensureBackendService,
  startTemplatesPortal,
  TemplatesPortal,
} from '../../integration/support/templatesPortal';
import { CLUSTER_FOR_PROFILE } from '../portalConfig';
import { openSignedIn, saveScreenshot } from '../screenshots';

test.describe.configure({ mode: 'serial' });

const CLUSTER = CLUSTER_FOR_PROFILE[PROFILE_V16];
const GATEWAY_FOLDER = 'gateways/default/aws-tcp-gateway';

let env: TemplatesPortal;
const GITOPS_OWNER = 'platform';
let repoUrl: string;
let repoName: string;
let repo: BareRepo;

test.beforeAll(async () => {
  test.setTimeout(900_000);
  env = await startTemplatesPortal('forms');
  expect(env.portal.startupErrors).toEqual([]);
  // On a loaded machine the app plugin may still be starting after the catalog answers (503).
  await untilServed(`${env.portal.baseUrl}/create`);
  await ensureBackendService(kubeConfigFor(PROFILE_V16));
  // Owner and repository, as RepoUrlPicker names them on the git peer's Gitea integration.
  repoName = uniqueName('forms-gitops');
  const name = `${GITOPS_OWNER}/${repoName}`;
  repoUrl = createBareRepo(name, { 'README.md': '# GitOps\n' });
  repo = new BareRepo(name);
});

async function untilServed(url: string, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await fetch(url).then(
      r => r.status,
      () => 0,
    );
    if (status === 200) return;
    if (Date.now() > deadline)
      throw new Error(`${url} still answers ${status}`);
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
}

test.afterAll(async () => {
  await env?.stop();
});

/** Opens a picker (an MUI select labelled `label`) and chooses the option whose text starts with `option`. */
async function pick(page: Page, label: string, option: string | RegExp) {
  await page.getByRole('button', { name: new RegExp(`^${label}\\b`) }).click();
  await page.getByRole('option', { name: option }).click();
}

test('a developer fills the expose form with the pickers and submits it', async ({
  page,
}) => {
  await openSignedIn(
    page,
    `${env.portal.baseUrl}/create/templates/default/expose-tcp-endpoint`,
  );

  // Step 1: the cluster, with the controller profile the portal detected on it.
  await pick(page, 'Cluster', new RegExp(`^${CLUSTER} — lbc-v3\\.5: `));
  await expect(
    page.getByRole('button', { name: /^Namespace\b/ }),
  ).toContainText('default');
  await expect(
    page.getByRole('button', { name: /^Service name\b/ }),
  ).toContainText('backend — 3000/TCP (tcp)');
  await expect(
    page.getByRole('button', { name: /^Service port\b/ }),
  ).toContainText('3000/TCP (tcp)');
  // Namespaces are the allowed ones the guest may use, read from the cluster.
  await page.getByRole('button', { name: /^Namespace\b/ }).click();
  await expect(
    page.getByRole('option', { name: 'default', exact: true }),
  ).toBeVisible();
  await expect(page.getByRole('option', { name: 'kube-system' })).toHaveCount(
    0,
  );
  await page.keyboard.press('Escape');
  await saveScreenshot(page, 'expose-form-service');
  await page.getByRole('button', { name: 'Next', exact: true }).click();

  // Step 2: the rules and the check; the defaults pass the shipped guardrails.
  const check = page.getByText('Before you continue').locator('..');
  await expect(page.getByText('Listener ports: 1024–65535')).toBeVisible();
  await expect(
    page.getByText(/Internet-facing endpoints need source CIDRs/),
  ).toBeVisible();
  await expect(
    page.getByText(`${GATEWAY_FOLDER}/tcproute-tcp-backend-aws.yaml`),
  ).toBeVisible();
  await expect(check.getByRole('alert')).toHaveCount(0);
  // Fields that apply only sometimes appear only then.
  const sourceCidrsHelp = page.getByText(/^Who may connect, e\.g\./);
  const tlsHostname = page.getByRole('textbox', { name: 'TLS host name' });
  const whatToChange = page.getByRole('alert', { name: 'What to change' });
  await expect(sourceCidrsHelp).toHaveCount(0);
  await expect(tlsHostname).toHaveCount(0);
  await pick(page, 'Protocol', 'TLS');
  await expect(tlsHostname).toBeVisible();
  await pick(page, 'Protocol', 'TCP');
  await expect(tlsHostname).toHaveCount(0);
  // Internet-facing without source CIDRs: what to change, in the developer's words, before submitting.
  await pick(page, 'Scheme', 'Internet-facing');
  await expect(sourceCidrsHelp).toBeVisible();
  await expect(whatToChange).toContainText(
    'list who may connect, or choose the internal scheme',
  );
  await page.getByRole('button', { name: 'Next', exact: true }).click();
  // Still on this step: "Next" is blocked with the same words.
  await expect(sourceCidrsHelp).toBeVisible();
  await expect(
    page
      .getByText(/list who may connect, or choose the internal scheme/)
      .first(),
  ).toBeVisible();
  await expect(page.getByText(/awsGateway\.|at .*\.tsx?:\d+/)).toHaveCount(0);
  await saveScreenshot(page, 'expose-form-guardrails');
  await pick(page, 'Scheme', /^Internal/);
  await expect(sourceCidrsHelp).toHaveCount(0);
  await expect(whatToChange).toHaveCount(0);
  await page.getByRole('button', { name: 'Next', exact: true }).click();

  // Step 3: the repository; then the review shows the profile and the files.
  // RepoUrlPicker: the one host allowedRepoUrls allows is chosen already (the
  // templates module filled allowedHosts); owner and repository are typed.
  const host = new URL(repoUrl).host;
  await expect(
    page.locator('select', { has: page.locator(`option[value="${host}"]`) }),
  ).toHaveValue(host);
  await page.getByRole('textbox', { name: /^Owner/ }).fill(GITOPS_OWNER);
  // The repository name is a free-text autocomplete (Gitea lists no repositories to the picker).
  const repository = page.getByRole('textbox', { name: /^Repository/ });
  await repository.fill(repoName);
  await repository.press('Tab');
  await saveScreenshot(page, 'expose-form-repository');
  await page.getByRole('button', { name: 'Review', exact: true }).click();
  await expect(
    page.getByText('lbc-v3.5 (detected on the cluster)'),
  ).toBeVisible();
  await expect(
    page.getByText(`${GATEWAY_FOLDER}/gateway-aws-tcp-gateway.yaml`),
  ).toBeVisible();
  await saveScreenshot(page, 'expose-form-review');

  await page.getByRole('button', { name: 'Create', exact: true }).click();
  await expect(page.getByText('Your endpoint').first()).toBeVisible({
    timeout: 180_000,
  });
  const committed = repo.files('main', 'gateways');
  expect(committed).toHaveLength(4);
  for (const file of committed) {
    await expect(page.getByText(file, { exact: true }).first()).toBeVisible();
  }
  await expect(
    page.getByRole('link', { name: /Gateways card of the component/ }).first(),
  ).toBeVisible();
  await saveScreenshot(page, 'expose-form-output');
});

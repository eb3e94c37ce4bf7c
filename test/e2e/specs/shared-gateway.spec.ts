/**
 * The expose form's shared gateway choice in the real portal: a developer
 * chooses "A listener on a shared gateway" and the picker lists the shared
 * Gateway the platform configured (awsGateway.provisioning.sharedGateways)
 * with the ports its live listeners, its manifest and the portal's open review
 * pull requests leave free; a port another developer's pull request still
 * under review adds is shown pending, linking that pull request. The change
 * form on a TLS listener of a shared Gateway that offers TLS: a new host name
 * outside the platform's is refused, naming the field, the rule and the host
 * names allowed, with nothing pushed; an allowed one opens the pull request
 * the output links.
 * Screenshots: docs/screenshots/shared-gateway-form.png,
 * shared-gateway-change-tls-*.png (copied from test/artifacts/screenshots).
 */
import { expect, Page, test } from '@playwright/test';
import yaml from 'yaml';
import { createBareRepo, gitPeer, PROFILE_V16, uniqueName } from '../../peers';
import { git } from '../../integration/support/gitCli';
import {
  addListener,
  createPeerSharedGateway,
  openPeerReview,
  PeerSharedGateway,
  SHARED_GATEWAY_FILE,
} from '../../integration/support/sharedGatewayPeer';
import {
  startTemplatesPortal,
  TemplatesPortal,
  templateValues,
} from '../../integration/support/templatesPortal';
import { CLUSTER_FOR_PROFILE } from '../portalConfig';
import { openSignedIn, saveScreenshot } from '../screenshots';

test.describe.configure({ mode: 'serial' });

const CLUSTER = CLUSTER_FOR_PROFILE[PROFILE_V16];
let env: TemplatesPortal;
let namespace: string;
/** Another developer's expose of port 20001, still under review. */
let review: { number: number; url: string };
/** A second shared Gateway, offering TLS passthrough on host names below apps.example.com. */
let tlsShared: PeerSharedGateway;
const TLS_HOSTNAMES = ['*.apps.example.com'];
/** The developer's GitOps repository (owner and name, as RepoUrlPicker takes them). */
const GITOPS_OWNER = 'platform';
let gitopsRepoName: string;

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
  tlsShared = await createPeerSharedGateway({ title: 'Shared TLS NLB' });
  gitopsRepoName = uniqueName('shared-change-gitops');
  createBareRepo(`${GITOPS_OWNER}/${gitopsRepoName}`, {
    'README.md': '# GitOps\n',
  });
  // Deep-merged over the generated overlay by the config loader.
  process.env.APP_CONFIG_awsGateway_provisioning_sharedGateways =
    JSON.stringify([
      shared.entry,
      {
        ...tlsShared.entry,
        protocols: ['TCP', 'UDP', 'TLS'],
        tlsHostnames: TLS_HOSTNAMES,
      },
    ]);
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

/** Opens a picker (an MUI select labelled `label`) and chooses the option named `option`. */
async function pick(page: Page, label: string, option: string) {
  await page.getByRole('button', { name: new RegExp(`^${label}\\b`) }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

test('the change form on a TLS listener of a shared gateway: a host name outside the allowed ones is refused naming the field and the rule, an allowed one opens a pull request', async ({
  page,
}) => {
  test.setTimeout(600_000);
  const route = 'db-tls';
  const listener = `default-${route}`;
  const reviewBranchesNow = () =>
    tlsShared.repo.branches().filter(b => b.startsWith('aws-gateway/'));
  // The developer's TLS listener, exposed through the portal and merged by the platform team.
  const repoUrl = `${new URL(gitPeer().baseUrl).host}?${new URLSearchParams({
    owner: GITOPS_OWNER,
    repo: gitopsRepoName,
  })}`;
  const exposed = await env.client.runTask(
    'template:default/expose-tcp-endpoint',
    {
      ...(await templateValues(env, CLUSTER, repoUrl)).expose,
      gatewayKind: 'shared',
      sharedGateway: tlsShared.id,
      listenerName: listener,
      listenerPort: 20043,
      protocol: 'TLS',
      tlsHostname: 'db.default.apps.example.com',
      routeName: route,
      // A Service of its own: the controller applies one TargetGroupConfiguration per Service.
      serviceName: uniqueName('db-tls'),
      servicePort: 8443,
    },
  );
  expect(exposed.status, exposed.log.slice(-10).join('\n')).toBe('completed');
  git([
    '--git-dir',
    tlsShared.repo.dir,
    'update-ref',
    'refs/heads/main',
    `refs/heads/aws-gateway/shared-default-${route}`,
  ]);
  const reviewBranches = reviewBranchesNow();
  const mainHead = tlsShared.repo.head();

  await openSignedIn(
    page,
    `${env.portal.baseUrl}/create/templates/default/change-tcp-endpoint`,
  );
  // Step 1: which endpoint (the route's name; the portal finds it is a shared listener).
  await page
    .getByRole('textbox', { name: /^Gateway or route name/ })
    .fill(route);
  await page.getByRole('button', { name: 'Next', exact: true }).click();

  // Step 2: the listener stays TLS, with a host name the platform does not allow.
  await page.getByRole('button', { name: 'Add Item' }).first().click();
  const hostname = page.getByRole('textbox', { name: /^New TLS host name/ });
  await pick(page, 'New protocol', 'TLS');
  await expect(hostname).toBeVisible();
  await hostname.fill('login.bank.example');
  await saveScreenshot(page, 'shared-gateway-change-tls-form');
  await page.getByRole('button', { name: 'Next', exact: true }).click();

  // Step 3: the repository, then review and create.
  await page.getByRole('textbox', { name: /^Owner/ }).fill(GITOPS_OWNER);
  const repository = page.getByRole('textbox', { name: /^Repository/ });
  await repository.fill(gitopsRepoName);
  await repository.press('Tab');
  await page.getByRole('button', { name: 'Review', exact: true }).click();
  await page.getByRole('button', { name: 'Create', exact: true }).click();

  const refusal = new RegExp(
    `change\\.listeners\\[0\\]\\.hostname: login\\.bank\\.example is not among the host names TLS listeners may use on shared Gateway ${tlsShared.id.replace(
      /[.*+?^${}()|[\]\\]/g,
      '\\$&',
    )} \\(\\*\\.apps\\.example\\.com\\) \\[shared-tls-hostname\\]`,
  );
  await expect(page.getByText(refusal).first()).toBeVisible({
    timeout: 180_000,
  });
  // Refused before anything is written: no branch, main as it was.
  expect(reviewBranchesNow()).toEqual(reviewBranches);
  expect(tlsShared.repo.head()).toBe(mainHead);
  await saveScreenshot(page, 'shared-gateway-change-tls-refused');

  // Start over: the form comes back with the values; an allowed host name this time.
  await page.getByRole('button', { name: 'Start Over' }).first().click();
  await page.getByRole('button', { name: 'Next', exact: true }).click();
  await expect(hostname).toHaveValue('login.bank.example');
  await hostname.fill('db-v2.default.apps.example.com');
  await page.getByRole('button', { name: 'Next', exact: true }).click();
  await page.getByRole('button', { name: 'Review', exact: true }).click();
  await page.getByRole('button', { name: 'Create', exact: true }).click();

  const pullRequest = page.getByRole('link', {
    name: new RegExp(
      `^Pull request #\\d+ on the shared gateway ${tlsShared.id}`,
    ),
  });
  await expect(pullRequest.first()).toBeVisible({ timeout: 180_000 });
  await expect(pullRequest.first()).toHaveAttribute('href', /\/pulls\/\d+$/);
  await expect(
    page.getByText(
      `listener ${listener}: host name db.default.apps.example.com → db-v2.default.apps.example.com`,
    ),
  ).toBeVisible();
  const changeBranch = reviewBranchesNow().find(
    b => !reviewBranches.includes(b),
  )!;
  expect(
    yaml
      .parse(tlsShared.repo.show(changeBranch, SHARED_GATEWAY_FILE))
      .spec.listeners.find((l: any) => l.name === listener),
  ).toMatchObject({
    protocol: 'TLS',
    hostname: 'db-v2.default.apps.example.com',
  });
  await saveScreenshot(page, 'shared-gateway-change-tls-output');
});

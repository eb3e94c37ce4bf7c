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
 * the output links. Once the platform's repository is applied to the cluster,
 * the change and remove forms' endpoint picker lists the component's live
 * endpoints (its own Gateway, its listener on the shared gateway) and, on the
 * TLS listener, shows the host names the shared gateway allows.
 * Screenshots: docs/screenshots/shared-gateway-form.png,
 * shared-gateway-change-tls-*.png, endpoint-picker-*.png (copied from
 * test/artifacts/screenshots).
 */
import { expect, Page, test } from '@playwright/test';
import * as k8s from '@kubernetes/client-node';
import yaml from 'yaml';
import { CONTROLLER_PROFILES } from '@gateway-portal/plugin-aws-gateway-common';
import { renderEndpointManifests } from '@gateway-portal/plugin-aws-gateway-node';
import { classicEndpoint } from '@gateway-portal/plugin-aws-gateway-node/testUtils';
import {
  createBareRepo,
  gitPeer,
  kubeConfigFor,
  PROFILE_V16,
  uniqueName,
} from '../../peers';
import { git } from '../../integration/support/gitCli';
import {
  deleteApplied,
  serverSideApply,
} from '../../integration/support/serverSideApply';
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
/** What the tests applied to the cluster as the GitOps agent would, deleted after. */
const applied: k8s.KubernetesObject[] = [];

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
  await deleteApplied(kubeConfigFor(PROFILE_V16), applied);
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

/** Opens a picker (an MUI select labelled `label`) and chooses the option named `option` (or matching it). */
async function pick(page: Page, label: string, option: string | RegExp) {
  await page.getByRole('button', { name: new RegExp(`^${label}\\b`) }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

/** The developer's TLS listener on the TLS shared gateway: its route's name and its listener's. */
const TLS_ROUTE = 'db-tls';
const TLS_LISTENER = `default-${TLS_ROUTE}`;
let tlsListenerMerge: Promise<void> | undefined;

/**
 * The developer's TLS listener, exposed through the portal and merged by the
 * platform team into the shared gateway's repository; once for the tests
 * that need it.
 */
function tlsListenerMerged(): Promise<void> {
  tlsListenerMerge ??= (async () => {
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
        listenerName: TLS_LISTENER,
        listenerPort: 20043,
        protocol: 'TLS',
        tlsHostname: 'db.default.apps.example.com',
        routeName: TLS_ROUTE,
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
      `refs/heads/aws-gateway/shared-default-${TLS_ROUTE}`,
    ]);
  })();
  return tlsListenerMerge;
}

test('the change form on a TLS listener of a shared gateway: a host name outside the allowed ones is refused naming the field and the rule, an allowed one opens a pull request', async ({
  page,
}) => {
  test.setTimeout(600_000);
  const route = TLS_ROUTE;
  const listener = TLS_LISTENER;
  const reviewBranchesNow = () =>
    tlsShared.repo.branches().filter(b => b.startsWith('aws-gateway/'));
  await tlsListenerMerged();
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

test("the change and remove forms list the component's live endpoints; on its TLS listener of the shared gateway the host names allowed show before submit", async ({
  page,
}) => {
  test.setTimeout(600_000);
  await tlsListenerMerged();
  const objects = k8s.KubernetesObjectApi.makeApiClient(
    kubeConfigFor(PROFILE_V16),
  );
  // The GitOps agent's part: the platform's repository as merged (the shared
  // Gateway with the developer's listener, the route) applied to the cluster.
  for (const file of tlsShared.repo.files('main')) {
    if (!file.endsWith('.yaml')) continue;
    for (const doc of yaml.parseAllDocuments(
      tlsShared.repo.show('main', file),
    )) {
      const manifest = doc.toJS();
      if (manifest) {
        await serverSideApply(objects, manifest, 'gitops-agent', applied);
      }
    }
  }
  // And a Gateway of the component's own, as the expose action renders it.
  const ownGateway = uniqueName('orders-gw');
  for (const { manifest } of renderEndpointManifests(
    {
      ...classicEndpoint,
      name: ownGateway,
      routes: classicEndpoint.routes.map(r => ({
        ...r,
        name: `${ownGateway}-r`,
      })),
    },
    CONTROLLER_PROFILES['lbc-v3.5'],
  )) {
    if (manifest.kind === 'Gateway' || manifest.kind.endsWith('Route')) {
      await serverSideApply(objects, manifest, 'gitops-agent', applied);
    }
  }
  const ownOption = `${ownGateway} — own gateway; TCP 8080`;
  const sharedOption = `${TLS_ROUTE} — listener on shared gateway Shared TLS NLB; TLS 20043 db.default.apps.example.com`;
  const hostnamesAllowed = `TLS host names allowed on shared gateway Shared TLS NLB: ${TLS_HOSTNAMES.join(
    ', ',
  )}.`;
  const endpointField = page.getByRole('textbox', {
    name: /^Gateway or route name/,
  });
  /** Component (the template's default), cluster and namespace chosen, the picker's list open. */
  const openEndpointList = async (template: string) => {
    await openSignedIn(
      page,
      `${env.portal.baseUrl}/create/templates/default/${template}`,
    );
    await expect(page.getByRole('textbox', { name: /^Component/ })).toHaveValue(
      /backend/,
    );
    await pick(page, 'Cluster', new RegExp(`^${CLUSTER} — `));
    await pick(page, 'Namespace', 'default');
    await endpointField.click();
  };

  await openEndpointList('change-tcp-endpoint');
  await expect(page.getByRole('option', { name: ownOption })).toBeVisible({
    timeout: 60_000,
  });
  await expect(page.getByRole('option', { name: sharedOption })).toBeVisible();
  await expect(page.getByText(/You can still type the value/)).toHaveCount(0);
  await saveScreenshot(page, 'endpoint-picker-change-form');

  await page.getByRole('option', { name: sharedOption }).click();
  await expect(endpointField).toHaveValue(TLS_ROUTE);
  await expect(page.getByText(hostnamesAllowed)).toBeVisible();
  await expect(page.getByText(/You can still type the value/)).toHaveCount(0);
  await saveScreenshot(page, 'endpoint-picker-tls-hostnames');

  // The remove form's first page offers the same endpoints.
  await openEndpointList('remove-tcp-endpoint');
  await expect(page.getByRole('option')).toContainText(
    [ownOption, sharedOption],
    { timeout: 60_000 },
  );
});

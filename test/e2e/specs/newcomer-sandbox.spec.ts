/**
 * Issue 12's newcomer path on the local sandbox, as `./run start` sets it up
 * on a fresh clone: the sandbox (packages/sandbox: moto + Pod Identity
 * emulator, kube-apiserver with the Go-module CRDs, the git server's
 * platform-gitops repository, the GitOps sync, the controller stand-in) and
 * the real portal with the sandbox's configuration overlay on top of
 * app-config.yaml. Nothing else is prepared: the controller setup runs, then
 * "expose a TCP endpoint" for `backend` with the form's defaults, the GitOps
 * sync applies the commit, the stand-in provisions the NLB, and the card goes
 * healthy; a second run changes nothing. Tasks are submitted through the
 * scaffolder's REST API as the form submits them (the form itself has its own
 * browser test, forms.spec.ts); each step is shown in the browser and saved
 * as docs/screenshots/sandbox-*.png for the README.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, Locator, Page, test } from '@playwright/test';
import {
  ListPodIdentityAssociationsCommand,
  EKSClient,
} from '@aws-sdk/client-eks';
import {
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  IAMClient,
  ListPoliciesCommand,
  ListRolesCommand,
} from '@aws-sdk/client-iam';
import * as k8s from '@kubernetes/client-node';
import YAML from 'yaml';
import { RunningSandbox, startSandbox } from '@gateway-portal/sandbox';
import { awsClientConfigFrom } from '@gateway-portal/test-suite/peers/aws';
import { formDefaults } from '../../integration/support/templatesPortal';
import { git } from '../../integration/support/gitCli';
import {
  PortalClient,
  TaskResult,
} from '../../integration/support/scaffolderClient';
import { RunningPortal, startPortal } from '../portal';
import { openSignedIn } from '../screenshots';

test.describe.configure({ mode: 'serial' });

const DOC_SCREENSHOTS = path.resolve(
  __dirname,
  '..',
  '..',
  '..',
  'docs',
  'screenshots',
);
/** From the expose commit landing on main to a healthy card: the sync polls every 1.5 s, the stand-in every 1 s. */
const HEALTHY_WITHIN_MS = 20_000;

let sandbox: RunningSandbox;
let portal: RunningPortal;
let client: PortalClient;
/** Read-only views of the sandbox's GitOps repository (a bare repository under its git root). */
let repo: { head(): string; files(): string[] };
let exposeTask: TaskResult;

/** Saves a step's screenshot where the README shows it. */
async function docScreenshot(target: Page | Locator, name: string) {
  fs.mkdirSync(DOC_SCREENSHOTS, { recursive: true });
  if ('goto' in target)
    await target.screenshot({
      path: path.join(DOC_SCREENSHOTS, `${name}.png`),
      fullPage: true,
    });
  else {
    await target.scrollIntoViewIfNeeded();
    await target.screenshot({
      path: path.join(DOC_SCREENSHOTS, `${name}.png`),
    });
  }
}

function gatewayCard(page: Page): Locator {
  return page
    .locator('.bui-Card', {
      has: page.getByRole('heading', { name: 'AWS gateways', exact: true }),
    })
    .first();
}

async function templateValues(name: string): Promise<Record<string, unknown>> {
  return formDefaults(await client.getEntity('template', 'default', name));
}

/** The sandbox repository as RepoUrlPicker gives it: `host?owner=…&repo=…` on the sandbox's Gitea integration. */
function pickedRepository(): string {
  const url = new URL(sandbox.values.repoUrl);
  const [owner, repoName] = url.pathname
    .replace(/^\//, '')
    .replace(/\.git$/, '')
    .split('/');
  return `${url.host}?${new URLSearchParams({ owner, repo: repoName })}`;
}

function expectCompleted(task: TaskResult) {
  if (task.status !== 'completed')
    throw new Error(`task ${task.id} ${task.status}:\n${task.log.join('\n')}`);
}

test.beforeAll(async () => {
  sandbox = await startSandbox();
  // The repository lives under the sandbox's git root as <path of its URL>.
  const gitDir = path.join(
    sandbox.peers.git!.root,
    new URL(sandbox.values.repoUrl).pathname,
  );
  repo = {
    head: () => git(['--git-dir', gitDir, 'rev-parse', 'refs/heads/main']),
    files: () =>
      git(['--git-dir', gitDir, 'ls-tree', '-r', '--name-only', 'main']).split(
        '\n',
      ),
  };
  portal = await startPortal({
    name: 'sandbox',
    overlay: YAML.parse(fs.readFileSync(sandbox.configFile, 'utf8')),
    env: sandbox.env,
  });
  client = await PortalClient.signInAsGuest(portal.baseUrl);
  await client.waitForEntity('template', 'default', 'controller-setup');
  await client.waitForEntity('template', 'default', 'expose-tcp-endpoint');
  await client.waitForEntity('component', 'default', 'backend');
});

test.afterAll(async () => {
  await portal?.stop();
  await sandbox?.stop();
});

test('start: the portal runs on the sandbox and the card says so', async ({
  page,
}) => {
  expect(portal.startupErrors).toEqual([]);
  await openSignedIn(
    page,
    `${portal.baseUrl}/catalog/default/component/backend`,
  );
  const card = gatewayCard(page);
  await expect(
    card.getByText('Sandbox: emulated AWS, local cluster'),
  ).toBeVisible();
  // The sample Service exists in the sandbox cluster with two ready endpoints: nothing to expose yet.
  await expect(card.getByText(/Expose a TCP endpoint/).first()).toBeVisible();
  await docScreenshot(card, 'sandbox-1-start');
});

test('controller setup: IAM policy, role and Pod Identity association in moto, manifests committed and applied', async ({
  page,
}) => {
  const { cluster, region, accountId, vpcId } = sandbox.values;
  const task = await client.runTask('template:default/controller-setup', {
    ...(await templateValues('controller-setup')),
    cluster,
    region,
    accountId,
    vpcId,
    repoUrl: pickedRepository(),
  });
  expectCompleted(task);
  const aws = awsClientConfigFrom(sandbox.peers.aws!);
  const iam = new IAMClient(aws);
  const eks = new EKSClient(aws);
  try {
    const policies = await iam.send(
      new ListPoliciesCommand({ Scope: 'Local', PathPrefix: '/backstage/' }),
    );
    expect(policies.Policies?.map(p => p.PolicyName)).toEqual([
      expect.stringMatching(/^backstage-/),
    ]);
    const roles = await iam.send(
      new ListRolesCommand({ PathPrefix: '/backstage/' }),
    );
    expect(roles.Roles).toHaveLength(1);
    const associations = await eks.send(
      new ListPodIdentityAssociationsCommand({ clusterName: cluster }),
    );
    expect(
      associations.associations?.map(a => `${a.namespace}/${a.serviceAccount}`),
    ).toEqual(['kube-system/aws-load-balancer-controller']);
  } finally {
    iam.destroy();
    eks.destroy();
  }
  expect(
    repo
      .files()
      .some(f =>
        f.startsWith(`clusters/${cluster}/aws-load-balancer-controller/`),
      ),
  ).toBe(true);
  // The GitOps sync applies the GatewayClass and the controller stand-in accepts it.
  const custom = sandbox.kubeConfig.makeApiClient(k8s.CustomObjectsApi);
  await expect
    .poll(
      async () => {
        const classes: any = await custom.listClusterCustomObject({
          group: 'gateway.networking.k8s.io',
          version: 'v1',
          plural: 'gatewayclasses',
        });
        return classes.items.flatMap((c: any) =>
          (c.status?.conditions ?? []).filter(
            (x: any) => x.type === 'Accepted' && x.status === 'True',
          ),
        ).length;
      },
      { timeout: 15_000 },
    )
    .toBeGreaterThan(0);
  await openSignedIn(page, `${portal.baseUrl}/create/tasks/${task.id}`);
  // The output names the commit on main that the sync applied.
  await expect(
    page.getByText(new RegExp(`Commit ${repo.head()} on main`)).first(),
  ).toBeVisible();
  await docScreenshot(page, 'sandbox-2-controller-setup');
});

test('expose a TCP endpoint for backend with the form defaults: committed, and the link shows the commit', async ({
  page,
}) => {
  const before = repo.head();
  exposeTask = await client.runTask('template:default/expose-tcp-endpoint', {
    ...(await templateValues('expose-tcp-endpoint')),
    cluster: sandbox.values.cluster,
    repoUrl: pickedRepository(),
  });
  expectCompleted(exposeTask);
  const head = repo.head();
  expect(head).not.toBe(before);
  expect(repo.files().some(f => f.startsWith('gateways/default/'))).toBe(true);
  const commitLink = exposeTask.output.links.find((l: { url?: string }) =>
    l.url?.includes(head),
  );
  expect(commitLink).toBeDefined();
  await openSignedIn(page, `${portal.baseUrl}/create/tasks/${exposeTask.id}`);
  const link = page.locator(`a[href="${commitLink.url}"]`).first();
  await expect(link).toBeVisible();
  await docScreenshot(page, 'sandbox-3-expose');

  // Following the link (an external link: a new tab) shows the commit on the sandbox's git server.
  const [commitPage] = await Promise.all([
    page.context().waitForEvent('page'),
    link.click(),
  ]);
  await expect(commitPage.getByText(`commit ${head}`).first()).toBeVisible();
  const exposed = repo.files().filter(f => f.startsWith('gateways/default/'));
  for (const file of exposed)
    await expect(
      commitPage.getByRole('heading', { name: new RegExp(`added ${file}$`) }),
    ).toBeVisible();
  await docScreenshot(commitPage, 'sandbox-4-commit');
  await commitPage.close();
});

test('the card shows the endpoint healthy within seconds: DNS name, :8080, two healthy targets', async ({
  page,
}) => {
  const t0 = Date.now();
  await openSignedIn(
    page,
    `${portal.baseUrl}/catalog/default/component/backend`,
  );
  const card = gatewayCard(page);
  // The page may have loaded before the sync applied the commit: refresh until the Gateway shows.
  await expect(async () => {
    await card.getByRole('button', { name: 'Refresh' }).click();
    await expect(card.getByText('aws-tcp-gateway').first()).toBeVisible({
      timeout: 2_000,
    });
  }).toPass({ timeout: HEALTHY_WITHIN_MS });
  const elbv2 = new ElasticLoadBalancingV2Client(
    awsClientConfigFrom(sandbox.peers.aws!),
  );
  let dns = '';
  try {
    await expect
      .poll(
        async () =>
          (
            await elbv2.send(new DescribeLoadBalancersCommand({}))
          ).LoadBalancers?.length ?? 0,
        { timeout: HEALTHY_WITHIN_MS },
      )
      .toBe(1);
    dns = (
      await elbv2.send(new DescribeLoadBalancersCommand({}))
    ).LoadBalancers![0].DNSName!.toLowerCase();
  } finally {
    elbv2.destroy();
  }
  await expect(async () => {
    await card.getByRole('button', { name: 'Refresh' }).click();
    await expect(card.getByText('Programmed').first()).toBeVisible({
      timeout: 2_000,
    });
  }).toPass({ timeout: HEALTHY_WITHIN_MS });
  await expect(card.getByText(`${dns}:8080`).first()).toBeVisible();
  await card.getByRole('button', { name: 'Show targets' }).first().click();
  for (const ip of ['192.0.2.10', '192.0.2.11']) {
    await expect(
      // Backstage UI table rows carry no accessible name: find the row by its text.
      card.getByRole('row').filter({ hasText: ip }).first(),
    ).toContainText('healthy');
  }
  const seconds = (Date.now() - t0) / 1000;
  test.info().annotations.push({
    type: 'healthy after',
    description: `${seconds.toFixed(1)} s from the page load after the commit`,
  });
  await page.mouse.move(0, 0);
  await docScreenshot(card, 'sandbox-5-healthy');
});

test('running expose again changes nothing: no commit, the same load balancer', async ({
  page,
}) => {
  const head = repo.head();
  const again = await client.runTask('template:default/expose-tcp-endpoint', {
    ...(await templateValues('expose-tcp-endpoint')),
    cluster: sandbox.values.cluster,
    repoUrl: pickedRepository(),
  });
  expectCompleted(again);
  expect(repo.head()).toBe(head);
  expect(sandbox.sync.status().appliedCommit).toBe(head);
  const elbv2 = new ElasticLoadBalancingV2Client(
    awsClientConfigFrom(sandbox.peers.aws!),
  );
  try {
    expect(
      (await elbv2.send(new DescribeLoadBalancersCommand({}))).LoadBalancers,
    ).toHaveLength(1);
  } finally {
    elbv2.destroy();
  }
  await openSignedIn(page, `${portal.baseUrl}/create/tasks/${again.id}`);
  // The output (rendered once the page has the finished task) says the commit step changed nothing.
  await expect(
    page
      .getByText(
        new RegExp(`Committed to main at ${head} \\(changed: false\\)`),
      )
      .first(),
  ).toBeVisible();
  await docScreenshot(page, 'sandbox-6-rerun');
});

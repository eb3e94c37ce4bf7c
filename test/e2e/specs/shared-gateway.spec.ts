/**
 * The expose form's shared gateway choice in the real portal: a developer
 * chooses "A listener on a shared gateway" and the picker lists the shared
 * Gateway the platform configured (awsGateway.provisioning.sharedGateways)
 * with the ports its live listeners leave free, read from the kube-apiserver.
 * Screenshot: docs/screenshots/shared-gateway-form.png (copied from
 * test/artifacts/screenshots).
 */
import * as k8s from '@kubernetes/client-node';
import { expect, test } from '@playwright/test';
import yaml from 'yaml';
import {
  createBareRepo,
  kubeConfigFor,
  PROFILE_V16,
  uniqueName,
} from '../../peers';
import {
  startTemplatesPortal,
  TemplatesPortal,
} from '../../integration/support/templatesPortal';
import { serverSideApply } from '../../integration/support/serverSideApply';
import { CLUSTER_FOR_PROFILE } from '../portalConfig';
import { openSignedIn, saveScreenshot } from '../screenshots';

test.describe.configure({ mode: 'serial' });

const CLUSTER = CLUSTER_FOR_PROFILE[PROFILE_V16];
const GATEWAY_FILE = 'platform/gateways/shared-nlb.yaml';
let env: TemplatesPortal;
let namespace: string;

test.beforeAll(async () => {
  test.setTimeout(900_000);
  const kc = kubeConfigFor(PROFILE_V16);
  namespace = uniqueName('platform-gw');
  await kc
    .makeApiClient(k8s.CoreV1Api)
    .createNamespace({ body: { metadata: { name: namespace } } });
  const gateway = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: shared-nlb
  namespace: ${namespace}
spec:
  gatewayClassName: aws-nlb
  listeners:
    - name: platform-dns
      protocol: UDP
      port: 20000
    - name: team-b-db
      protocol: TCP
      port: 20003
`;
  await serverSideApply(
    k8s.KubernetesObjectApi.makeApiClient(kc),
    yaml.parse(gateway),
    'gitops-agent',
    [],
  );
  const repoUrl = createBareRepo(`platform/${uniqueName('shared-gitops')}`, {
    [GATEWAY_FILE]: gateway,
  });
  // Deep-merged over the generated overlay by the config loader.
  process.env.APP_CONFIG_awsGateway_provisioning_sharedGateways =
    JSON.stringify([
      {
        cluster: CLUSTER,
        namespace,
        name: 'shared-nlb',
        title: 'Shared internal NLB',
        gitops: { repoUrl, path: GATEWAY_FILE },
        listenerPorts: ['20000-20099'],
        allowedRoutes: { from: 'All' },
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

test('the expose form offers a listener on a shared gateway, with its free ports', async ({
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
    name: `Shared internal NLB (${CLUSTER}/${namespace}/shared-nlb) — free ports 20001-20002, 20004-20099; TCP/UDP; every namespace`,
  });
  await expect(option).toBeVisible({ timeout: 60_000 });
  await option.click();
  await expect(sharedPicker).toContainText('Shared internal NLB');
  await saveScreenshot(page, 'shared-gateway-form');
});

/**
 * Who may run which action, end to end: the real portal (packages/backend with
 * the suite's permission policy) configured with
 * `awsGateway.permissions.platformTeams: [group:default/platform]`, the real
 * scaffolder applying the policy's conditional decision, and every AWS request
 * counted by the proxy in front of moto.
 *
 * - The guest (ownership: user:development/guest and group:default/guests,
 *   the owner of the sample component) is not a platform engineer: controller-setup fails at its first privileged step with the
 *   scaffolder's permission error and makes no AWS call, no commit;
 *   expose-tcp-endpoint (endpoint and gitops actions) still completes.
 * - A guest whose ownership refs include group:default/platform (the guest
 *   provider's `ownershipEntityRefs`, as a catalog group membership would give)
 *   runs controller-setup to the end.
 */
import fs from 'node:fs';
import * as k8s from '@kubernetes/client-node';
import { kubeConfigFor } from '../peers';
import { TaskResult } from './support/scaffolderClient';
import {
  ensureBackendService,
  guestOwnershipOverlay,
  removeBackendService,
  startTemplatesPortal,
  TemplatesPortal,
} from './support/templatesPortal';
import { freshGitOpsRepo } from './support/freshGitOpsRepo';

const PERMISSIONS = { platformTeams: ['group:default/platform'] };

function describeTask(result: TaskResult): string {
  return `task ${result.id} ${result.status}:\n${result.log
    .slice(-15)
    .join('\n')}`;
}

/** Everything a task said about why it failed: log lines and the completion error. */
function failureText(result: TaskResult): string {
  const errors = result.events
    .map(e => e.body.error?.message ?? '')
    .filter(Boolean);
  return [...result.log, ...errors].join('\n');
}

/** A fresh GitOps repository and the form values for both templates on the first running cluster. */
async function prepare(env: TemplatesPortal) {
  const { profile, cluster } = env.profiles[0];
  const { repo, values } = await freshGitOpsRepo(
    env,
    cluster,
    `gitops-permissions-${cluster}`,
  );
  return {
    profile,
    cluster,
    repo,
    controller: { ...values.controller, vpcId: env.vpcId },
    expose: values.expose,
  };
}

describe('a user outside the platform teams', () => {
  let env: TemplatesPortal;
  let setup: Awaited<ReturnType<typeof prepare>>;
  let kc: k8s.KubeConfig;
  let createdService = false;

  beforeAll(async () => {
    env = await startTemplatesPortal('permissions', {
      permissions: PERMISSIONS,
      // Owner of component:default/backend, which expose-tcp-endpoint exposes (the endpoint ownership rule).
      extraOverlay: guestOwnershipOverlay('group:default/guests'),
    });
    expect(env.portal.startupErrors).toEqual([]);
    setup = await prepare(env);
    kc = kubeConfigFor(setup.profile);
  }, 900_000);

  afterAll(async () => {
    await removeBackendService(kc, createdService);
    await env?.stop();
  });

  it('starts with the policy enforcing, without the allow-everything warning', () => {
    const log = fs.readFileSync(env.portal.logFile, 'utf8');
    expect(log).toContain('Only members of group:default/platform may run');
    expect(log).not.toContain('platformTeams is not set');
  });

  it('cannot run controller-setup: refused at the first privileged step, zero AWS mutations, no commit', async () => {
    const headBefore = setup.repo.head();
    env.proxy.reset();
    const result = await env.client.runTask(
      'template:default/controller-setup',
      setup.controller,
    );
    expect(result.status).toBe('failed');
    expect(failureText(result)).toContain(
      'Unauthorized action: aws-gateway:controller:fetch-iam-policy. The action is not allowed.',
    );
    // The step failed and no later step ran (the scaffolder marks them skipped).
    const statuses = (stepId: string) => [
      ...new Set(
        result.events
          .filter(e => e.body.stepId === stepId && e.body.status)
          .map(e => e.body.status),
      ),
    ];
    expect(statuses('fetch-policy')).toContain('failed');
    for (const step of ['render', 'policy', 'role', 'association', 'commit']) {
      expect([step, statuses(step)]).toEqual([step, ['skipped']]);
    }
    expect(env.proxy.mutating()).toEqual([]);
    expect(env.proxy.calls).toEqual([]);
    expect(setup.repo.head()).toBe(headBefore);
  });

  it('still runs expose-tcp-endpoint (endpoint and gitops actions) to completion', async () => {
    createdService = await ensureBackendService(kc);
    const headBefore = setup.repo.head();
    env.proxy.reset();
    const result = await env.client.runTask(
      'template:default/expose-tcp-endpoint',
      setup.expose,
    );
    if (result.status !== 'completed') throw new Error(describeTask(result));
    expect(env.proxy.mutating()).toEqual([]);
    expect(setup.repo.head()).not.toBe(headBefore);
    expect(setup.repo.files('main', 'gateways').length).toBeGreaterThan(0);
  });
});

describe('a platform engineer (ownership includes group:default/platform)', () => {
  let env: TemplatesPortal;
  let setup: Awaited<ReturnType<typeof prepare>>;

  beforeAll(async () => {
    env = await startTemplatesPortal('permissions-platform', {
      permissions: PERMISSIONS,
      extraOverlay: guestOwnershipOverlay('group:default/platform'),
    });
    expect(env.portal.startupErrors).toEqual([]);
    setup = await prepare(env);
  }, 900_000);

  afterAll(async () => {
    await env?.stop();
  });

  it('runs controller-setup to the end: IAM policy, role, Pod Identity association, commit', async () => {
    const headBefore = setup.repo.head();
    env.proxy.reset();
    const result = await env.client.runTask(
      'template:default/controller-setup',
      setup.controller,
    );
    if (result.status !== 'completed') throw new Error(describeTask(result));
    expect(env.proxy.mutating().map(c => c.operation)).toEqual([
      'CreatePolicy',
      'CreateRole',
      'AttachRolePolicy',
      `POST /clusters/${setup.cluster}/pod-identity-associations`,
    ]);
    expect(setup.repo.head()).not.toBe(headBefore);
  });
});

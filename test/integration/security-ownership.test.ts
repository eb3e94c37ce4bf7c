/**
 * The confused deputy of expose-tcp-endpoint (issue "Safe self-service"):
 * a signed-in user must not make the portal's GitOps credentials publish
 * another team's component. The real portal with
 * `awsGateway.permissions.platformTeams: [group:default/platform]`, a guest
 * whose ownership refs are user:development/guest and group:default/guests,
 * and a component owned by group:default/team-b registered through the
 * catalog REST API from a loopback HTTP server.
 *
 * - component:default/backend (owned by guests): the template completes and commits.
 * - the team-b component: refused by the render step with the rule id, and
 *   no git, AWS or Kubernetes write.
 */
import * as k8s from '@kubernetes/client-node';
import YAML from 'yaml';
import { kubeConfigFor, PROFILE_V16, uniqueName } from '../peers';
import { TaskResult } from './support/scaffolderClient';
import {
  BareRepo,
  ensureBackendService,
  guestOwnershipOverlay,
  removeBackendService,
  startTemplatesPortal,
  TemplatesPortal,
} from './support/templatesPortal';
import { freshGitOpsRepo } from './support/freshGitOpsRepo';
import { kubeSnapshot } from './support/writeTracking';
import { serveCatalogFile } from './support/catalogFileServer';

const suffix = uniqueName('team-b').replace(/[^a-z0-9-]/g, '-');
const OTHER_TEAMS_COMPONENT = `component:default/payments-${suffix}`;

/** Everything a task said about why it failed: log lines and the completion error. */
function failureText(result: TaskResult): string {
  const errors = result.events
    .map(e => e.body.error?.message ?? '')
    .filter(Boolean);
  return [...result.log, ...errors].join('\n');
}

function stepStatuses(result: TaskResult, stepId: string): string[] {
  return [
    ...new Set(
      result.events
        .filter(e => e.body.stepId === stepId && e.body.status)
        .map(e => e.body.status as string),
    ),
  ];
}

describe("expose-tcp-endpoint: only components the user's groups own", () => {
  let env: TemplatesPortal;
  let served: { url: string; close(): Promise<void> };
  let kc: k8s.KubeConfig;
  let repo: BareRepo;
  let expose: Record<string, unknown>;
  let createdService = false;

  beforeAll(async () => {
    served = await serveCatalogFile(
      YAML.stringify({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name: `payments-${suffix}`,
          annotations: { 'backstage.io/kubernetes-id': 'backend' },
        },
        spec: {
          type: 'service',
          lifecycle: 'production',
          owner: 'group:default/team-b',
        },
      }),
    );
    env = await startTemplatesPortal('security-ownership', {
      permissions: { platformTeams: ['group:default/platform'] },
      extraOverlay: {
        ...guestOwnershipOverlay('group:default/guests'),
        backend: { reading: { allow: [{ host: new URL(served.url).host }] } },
      },
    });
    expect(env.portal.startupErrors).toEqual([]);
    // The write tracker lists v1 routes: the Gateway API v1.6 cluster when it runs.
    const { profile, cluster } =
      env.profiles.find(p => p.profile === PROFILE_V16) ?? env.profiles[0];
    kc = kubeConfigFor(profile);
    ({
      repo,
      values: { expose },
    } = await freshGitOpsRepo(env, cluster, `gitops-ownership-${cluster}`));
    const registered = await env.client.request(
      'POST',
      '/api/catalog/locations',
      { type: 'url', target: served.url },
    );
    expect(registered.status).toBe(201);
    await env.client.waitForEntity(
      'component',
      'default',
      `payments-${suffix}`,
      90_000,
    );
    createdService = await ensureBackendService(kc);
  }, 900_000);

  afterAll(async () => {
    await removeBackendService(kc, createdService);
    await env?.stop();
    await served?.close();
  });

  it("refuses another team's component at the render step, with zero git, AWS and Kubernetes writes", async () => {
    const headBefore = repo.head();
    const kubeBefore = await kubeSnapshot(kc);
    env.proxy.reset();
    const result = await env.client.runTask(
      'template:default/expose-tcp-endpoint',
      {
        ...expose,
        component: OTHER_TEAMS_COMPONENT,
      },
    );
    expect(result.status).toBe('failed');
    expect(failureText(result)).toContain(
      `${OTHER_TEAMS_COMPONENT} is owned by group:default/team-b; you may expose only components your groups own [endpoint-owner-mismatch]`,
    );
    expect(stepStatuses(result, 'render')).toContain('failed');
    expect(stepStatuses(result, 'commit')).toEqual(['skipped']);
    expect(repo.head()).toBe(headBefore);
    expect(repo.files('main', 'gateways')).toEqual([]);
    expect(env.proxy.mutating()).toEqual([]);
    expect(await kubeSnapshot(kc)).toEqual(kubeBefore);
  }, 240_000);

  it("exposes the component the guest's group owns, to the commit", async () => {
    const headBefore = repo.head();
    env.proxy.reset();
    const result = await env.client.runTask(
      'template:default/expose-tcp-endpoint',
      {
        ...expose,
        component: 'component:default/backend',
      },
    );
    if (result.status !== 'completed')
      throw new Error(
        `task ${result.id} ${result.status}:\n${failureText(result)}`,
      );
    expect(repo.head()).not.toBe(headBefore);
    expect(repo.files('main', 'gateways').length).toBeGreaterThan(0);
    expect(env.proxy.mutating()).toEqual([]);
  }, 240_000);
});

/**
 * Red-team review of the issue 9 fixes, against the real portal (packages/backend
 * with the suite's permission policy enforcing, platformTeams set as in
 * production), the git server, moto and the kube-apiserver. Each case is a hole
 * of a class the issue names that the first round of fixes left open:
 *
 * - class 4 (templates the catalog did not accept): the scaffolder's dry-run
 *   API executes a template sent in the request body; a user outside the
 *   platform teams must not be able to use it;
 * - class 3 (open to the world by spelling): a source list that leaves out only
 *   addresses no internet client has (loopback, "this network", multicast,
 *   reserved) is the whole internet.
 */
import * as k8s from '@kubernetes/client-node';
import { kubeConfigFor, uniqueName } from '../peers';
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
import { kubeSnapshot, oneStepTemplate } from './support/writeTracking';

const PERMISSIONS = { platformTeams: ['group:default/platform'] };

let env: TemplatesPortal;
let repo: BareRepo;
let kc: k8s.KubeConfig;
let exposeValues: Record<string, unknown>;
let createdService = false;
const attacks: string[] = [];

const errorText = (result: TaskResult) =>
  [
    ...result.log,
    result.events.find(e => e.type === 'completion')?.body.error?.message ?? '',
  ].join('\n');

beforeAll(async () => {
  // The guest is a member of group:default/guests, which owns the sample component it exposes.
  env = await startTemplatesPortal('security-redteam', {
    permissions: PERMISSIONS,
    extraOverlay: guestOwnershipOverlay('group:default/guests'),
  });
  expect(env.portal.startupErrors).toEqual([]);
  const { profile, cluster } = env.profiles[0];
  kc = kubeConfigFor(profile);
  createdService = await ensureBackendService(kc);
  ({
    repo,
    values: { expose: exposeValues },
  } = await freshGitOpsRepo(env, cluster, 'gitops-redteam'));
}, 900_000);

afterAll(async () => {
  await removeBackendService(kc, createdService);
  await env?.stop();
  console.log(
    `Security (red team): ${
      attacks.length
    } attack cases refused:\n  ${attacks.join('\n  ')}`,
  );
});

describe('a template the catalog never accepted cannot be run through the dry-run API', () => {
  it.each([
    [
      'a template that only logs',
      oneStepTemplate('debug:log', { message: 'hello' }),
    ],
    [
      'a template handing gitops:commit its own files',
      oneStepTemplate('aws-gateway:gitops:commit', {
        repoUrl: 'https://git.example.com/platform/gitops.git',
        sourcePath: 'manifests',
        commitMessage: 'x',
      }),
    ],
  ])(
    'refuses %s to a user outside the platform teams, before any step runs',
    async (name, template) => {
      const head = repo.head();
      env.proxy.reset();
      const { status, body } = await env.client.dryRun(template, {});
      expect(status).toBe(403);
      expect(JSON.stringify(body)).toMatch(/NotAllowedError/);
      expect(env.proxy.calls).toEqual([]);
      expect(repo.head()).toBe(head);
      attacks.push(`dry-run of ${name}: HTTP ${status} ${body?.error?.name}`);
    },
  );

  it('still runs the registered expose template for the same user', async () => {
    const result = await env.client.runTask(
      'template:default/expose-tcp-endpoint',
      {
        ...exposeValues,
        gatewayName: uniqueName('redteam-gw'),
      },
    );
    expect([result.status, errorText(result).slice(-500)]).toEqual([
      'completed',
      expect.any(String),
    ]);
  });
});

describe('open to the world is decided on the internet, not on the whole address space', () => {
  /** Every IPv4 /8 but the ones listed (the minimum prefix length, /8, allows each of them). */
  const slashEightsExcept = (...skipped: number[]) =>
    Array.from({ length: 256 }, (_, i) => i)
      .filter(i => !skipped.includes(i))
      .map(i => `${i}.0.0.0/8`);

  it.each([
    ['every /8 but loopback', slashEightsExcept(127)],
    [
      'every /8 but "this network", loopback, multicast and reserved',
      slashEightsExcept(
        0,
        127,
        ...Array.from({ length: 32 }, (_, i) => 224 + i),
      ),
    ],
    [
      'every /8 but the private 10.0.0.0/8 and loopback',
      slashEightsExcept(10, 127),
    ],
  ])(
    'expose-tcp-endpoint refuses %s with zero writes',
    async (name, sourceCidrs) => {
      const kubeBefore = await kubeSnapshot(kc);
      const head = repo.head();
      env.proxy.reset();
      const result = await env.client.runTask(
        'template:default/expose-tcp-endpoint',
        { ...exposeValues, sourceCidrs },
      );
      expect(result.status).toBe('failed');
      const error =
        /cover every IPv4 address on the internet.*\[open-to-world\]/;
      expect(errorText(result)).toMatch(error);
      expect(env.proxy.mutating()).toEqual([]);
      expect(repo.head()).toBe(head);
      expect(await kubeSnapshot(kc)).toEqual(kubeBefore);
      attacks.push(
        `expose with ${name} (${sourceCidrs.length} blocks): ${errorText(result)
          .match(error)![0]
          .slice(0, 120)}`,
      );
    },
  );
});

describe('one object, one path: a render cannot add its files to another render of the same Gateway', () => {
  it('refuses a second route committed into an existing Gateway folder, with zero writes', async () => {
    const gatewayName = uniqueName('redteam-shared');
    const first = await env.client.runTask(
      'template:default/expose-tcp-endpoint',
      { ...exposeValues, gatewayName, routeName: 'owner-route' },
    );
    expect([first.status, errorText(first).slice(-500)]).toEqual([
      'completed',
      expect.any(String),
    ]);
    const folder = `gateways/default/${gatewayName}`;
    const filesBefore = repo.files('main', folder);
    const head = repo.head();
    // Same Gateway, same listener, same entity: only the route differs, so every other file is byte for byte the same.
    const second = await env.client.runTask(
      'template:default/expose-tcp-endpoint',
      { ...exposeValues, gatewayName, routeName: 'intruder-route' },
    );
    expect(second.status).toBe('failed');
    const error = new RegExp(
      `${folder}/tcproute-owner-route\\.yaml already exists on main and is not part of this render`,
    );
    expect(errorText(second)).toMatch(error);
    expect(repo.head()).toBe(head);
    expect(repo.files('main', folder)).toEqual(filesBefore);
    attacks.push(
      `expose adding a route to an existing Gateway's folder: ${
        errorText(second).match(error)![0]
      }`,
    );
  });
});

/**
 * The change and remove templates through the real scaffolder REST API of the
 * real backend (packages/backend with app-config.yaml plus the peers
 * overlay), against the git peer (its Gitea API for pull requests) and the
 * v1.6 kube-apiserver: expose the classic endpoint, change its port and
 * source CIDRs, refuse a change the guardrails forbid with nothing pushed,
 * then remove it through a pull request. The objects' own life (applied,
 * reconciled, being removed) is in endpoint-lifecycle.test.ts.
 */
import * as k8s from '@kubernetes/client-node';
import yaml from 'yaml';
import {
  createBareRepo,
  gitPeer,
  kubeConfigFor,
  PROFILE_V16,
  uniqueName,
} from '../peers';
import { TaskResult } from './support/scaffolderClient';
import {
  BareRepo,
  ensureBackendService,
  formDefaults,
  removeBackendService,
  startTemplatesPortal,
  TemplatesPortal,
  templateValues,
} from './support/templatesPortal';

let env: TemplatesPortal;
let kc: k8s.KubeConfig;
let createdService = false;
let repo: BareRepo;
let repoUrl: string;
let cluster: string;
const FOLDER = 'gateways/default/aws-tcp-gateway';
const REVIEW_BRANCH = 'aws-gateway/default-aws-tcp-gateway';

function expectCompleted(result: TaskResult) {
  if (result.status !== 'completed') {
    throw new Error(
      `task ${result.id} ${result.status}:\n${result.log
        .slice(-15)
        .join('\n')}`,
    );
  }
}

async function values(template: string, extra: Record<string, unknown>) {
  return {
    ...formDefaults(
      await env.client.getEntity('template', 'default', template),
    ),
    cluster,
    repoUrl,
    ...extra,
  };
}

beforeAll(async () => {
  env = await startTemplatesPortal('endpoint-templates');
  expect(env.portal.startupErrors).toEqual([]);
  await env.client.waitForEntity('template', 'default', 'change-tcp-endpoint');
  await env.client.waitForEntity('template', 'default', 'remove-tcp-endpoint');
  const entry = env.profiles.find(p => p.profile === PROFILE_V16);
  if (!entry)
    throw new Error(
      `profile ${PROFILE_V16} is not running; set PEERS_PROFILES`,
    );
  cluster = entry.cluster;
  kc = kubeConfigFor(PROFILE_V16);
  createdService = await ensureBackendService(kc);
  const name = `platform/${uniqueName('endpoint-templates')}`;
  createBareRepo(name, { 'README.md': '# GitOps\n' });
  repo = new BareRepo(name);
  // As RepoUrlPicker gives it; the portal's Gitea integration pushes and opens pull requests.
  const [owner, repoName] = name.split('/');
  repoUrl = `${new URL(gitPeer().baseUrl).host}?${new URLSearchParams({
    owner,
    repo: repoName,
  })}`;
}, 900_000);

afterAll(async () => {
  if (kc) await removeBackendService(kc, createdService);
  await env?.stop();
});

describe('change-tcp-endpoint and remove-tcp-endpoint through the scaffolder', () => {
  it('expose, then change the port and the source CIDRs: committed once, a re-run commits nothing', async () => {
    const expose = (await templateValues(env, cluster, repoUrl)).expose;
    expectCompleted(
      await env.client.runTask('template:default/expose-tcp-endpoint', expose),
    );
    const exposed = repo.commitCount();

    const change = await values('change-tcp-endpoint', {
      mode: 'commit',
      change: {
        listeners: [{ port: 9090 }],
        sourceCidrs: ['198.51.100.0/24'],
      },
    });
    const changed = await env.client.runTask(
      'template:default/change-tcp-endpoint',
      change,
    );
    expectCompleted(changed);
    expect(repo.commitCount()).toBe(exposed + 1);
    expect(
      yaml.parse(repo.show('main', `${FOLDER}/gateway-aws-tcp-gateway.yaml`))
        .spec.listeners[0].port,
    ).toBe(9090);
    expect(
      yaml.parse(
        repo.show(
          'main',
          `${FOLDER}/loadbalancerconfiguration-aws-tcp-gateway.yaml`,
        ),
      ).spec.sourceRanges,
    ).toEqual(['198.51.100.0/24']);
    expect(changed.output.text[0].content).toContain(
      '- listener tcp-app: port 8080 → 9090',
    );
    // The task log shows the diff.
    expect(changed.log.join('\n')).toMatch(/-\s+port: 8080\n\+\s+port: 9090/);

    const again = await env.client.runTask(
      'template:default/change-tcp-endpoint',
      change,
    );
    expectCompleted(again);
    expect(repo.commitCount()).toBe(exposed + 1);
    expect(again.output.text[0].content).toContain(
      '- nothing: it already has these values',
    );
  });

  it('refuses a change the guardrails forbid, before anything is pushed', async () => {
    const before = repo.head();
    const refused = await env.client.runTask(
      'template:default/change-tcp-endpoint',
      await values('change-tcp-endpoint', {
        mode: 'commit',
        change: { sourceCidrs: ['0.0.0.0/0'] },
      }),
    );
    expect(refused.status).toBe('failed');
    expect(refused.log.join('\n')).toMatch(/sourceCidrs/);
    expect(repo.head()).toBe(before);
    expect(repo.branches()).toEqual(['main']);
  });

  it('remove-tcp-endpoint opens a pull request that deletes exactly the endpoint files', async () => {
    const onMain = repo.files('main', FOLDER);
    expect(onMain).toHaveLength(4);
    const removed = await env.client.runTask(
      'template:default/remove-tcp-endpoint',
      await values('remove-tcp-endpoint', {}),
    );
    expectCompleted(removed);
    expect(removed.output.links[0].title).toBe('Pull request #1 into main');
    expect(repo.files(REVIEW_BRANCH, FOLDER)).toEqual([]);
    expect(repo.files('main', FOLDER)).toEqual(onMain);
    expect(repo.files(REVIEW_BRANCH)).toContain('README.md');
    for (const file of onMain)
      expect(removed.output.text[0].content).toContain(`- \`${file}\``);
  });
});

/**
 * The change and remove templates through the real scaffolder REST API of the
 * real backend (packages/backend with app-config.yaml plus the peers
 * overlay), against the git peer (its Gitea API for pull requests) and the
 * v1.6 kube-apiserver: expose the classic endpoint, change its port and
 * source CIDRs, refuse a change the guardrails forbid with nothing pushed,
 * then remove it through a pull request. The same templates on a listener
 * on a shared gateway (exposed through the expose template's shared branch):
 * they find it is one, and change and remove exactly that listener and its
 * route through pull requests to the platform's repository, whose links the
 * output shows; while its expose pull request is still open, they change it
 * there (the output says the pull request's new title) and remove it there
 * (the output says it was closed, or retitled when it still changes
 * something). The objects' own life (applied, reconciled, being removed) is
 * in endpoint-lifecycle.test.ts; the shared listener's refusals in
 * shared-gateways.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import yaml from 'yaml';
import {
  createBareRepo,
  gitPeer,
  gitPeerPulls,
  kubeConfigFor,
  PROFILE_V16,
  uniqueName,
} from '../peers';
import { git, pushBranchByHand } from './support/gitCli';
import { TaskResult } from './support/scaffolderClient';
import {
  createPeerSharedGateway,
  SHARED_GATEWAY_FILE as SHARED_FILE,
} from './support/sharedGatewayPeer';
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
/** The platform's shared NLB: its repository and id. */
const SHARED_ROUTE = 'backend-shared';
let sharedRepo: BareRepo;
let sharedGatewayId: string;

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

/** The platform's shared Gateway, live on the v1.6 cluster and in its own repository, as the portal is configured with it. */
async function createSharedGateway(): Promise<string> {
  const shared = await createPeerSharedGateway();
  sharedRepo = shared.repo;
  sharedGatewayId = shared.id;
  // TLS passthrough offered too, on host names below apps.example.com.
  return JSON.stringify([
    {
      ...shared.entry,
      protocols: ['TCP', 'UDP', 'TLS'],
      tlsHostnames: ['*.apps.example.com'],
    },
  ]);
}

beforeAll(async () => {
  // Deep-merged over the generated overlay by the config loader.
  process.env.APP_CONFIG_awsGateway_provisioning_sharedGateways =
    await createSharedGateway();
  try {
    env = await startTemplatesPortal('endpoint-templates');
  } finally {
    delete process.env.APP_CONFIG_awsGateway_provisioning_sharedGateways;
  }
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
    const log = refused.log.join('\n');
    expect(log).toMatch(/InputError: .*\n(.*\n)*.*sourceCidrs/);
    // The task log, which every viewer of the task reads, holds the refusal, not the server's source paths.
    expect(log).not.toMatch(/\n\s+at /);
    expect(log).not.toContain('/plugins/');
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

  describe('a listener on a shared gateway', () => {
    const listeners = (ref: string) =>
      yaml
        .parse(sharedRepo.show(ref, SHARED_FILE))
        .spec.listeners.map((l: any) => `${l.name} ${l.port}`);
    const routeFile = `shared-gateway-routes/default/${SHARED_ROUTE}/tcproute-${SHARED_ROUTE}.yaml`;
    /** The platform team merges a pull request (its branch starts from main: a fast-forward). */
    const merge = (branch: string) =>
      git([
        '--git-dir',
        sharedRepo.dir,
        'update-ref',
        'refs/heads/main',
        `refs/heads/${branch}`,
        sharedRepo.head(),
      ]);

    it('expose adds it through a pull request to the platform repository, merged', async () => {
      const exposed = await env.client.runTask(
        'template:default/expose-tcp-endpoint',
        {
          ...(await templateValues(env, cluster, repoUrl)).expose,
          gatewayKind: 'shared',
          sharedGateway: sharedGatewayId,
          listenerName: 'default-backend',
          listenerPort: 20001,
          protocol: 'TCP',
          routeName: SHARED_ROUTE,
        },
      );
      expectCompleted(exposed);
      expect(exposed.output.links[0].title).toBe(
        `Pull request #1 on the shared gateway ${sharedGatewayId}`,
      );
      // What the other open reviews claim: none here (its own pull request does not count).
      expect(exposed.output.text).toContainEqual({
        title: 'Other pull requests on the shared gateway',
        content: `0 other open review pull request(s) on ${sharedGatewayId} read: no port pending`,
      });
      merge(`aws-gateway/shared-default-${SHARED_ROUTE}`);
      expect(listeners('main')).toEqual([
        'platform-dns 20000',
        'default-backend 20001',
      ]);
    });

    it('change-tcp-endpoint finds it is a shared listener and moves its port through a pull request there', async () => {
      const before = repo.branches();
      const changed = await env.client.runTask(
        'template:default/change-tcp-endpoint',
        await values('change-tcp-endpoint', {
          gatewayName: SHARED_ROUTE,
          change: { listeners: [{ port: 20002 }] },
        }),
      );
      expectCompleted(changed);
      expect(changed.log.join('\n')).toContain(
        `default/${SHARED_ROUTE} is a listener on shared Gateway ${sharedGatewayId}`,
      );
      const [link] = changed.output.links;
      expect(link.title).toBe(
        `Pull request #2 on the shared gateway ${sharedGatewayId}`,
      );
      expect(changed.output.text[0].content).toContain(
        '- listener default-backend: port 20001 → 20002',
      );
      const branch = sharedRepo
        .branches()
        .find(b =>
          b.startsWith(`aws-gateway/shared-default-${SHARED_ROUTE}-change-`),
        )!;
      expect(link.url).toMatch(/\/pulls\/2$/);
      expect(listeners(branch)).toEqual([
        'platform-dns 20000',
        'default-backend 20002',
      ]);
      expect(listeners('main')).toContain('default-backend 20001');
      // The developer's own GitOps repository is not touched.
      expect(repo.branches()).toEqual(before);
      merge(branch);
    });

    it('remove-tcp-endpoint removes exactly that listener and the route through a pull request there', async () => {
      const removed = await env.client.runTask(
        'template:default/remove-tcp-endpoint',
        await values('remove-tcp-endpoint', { gatewayName: SHARED_ROUTE }),
      );
      expectCompleted(removed);
      expect(removed.output.links[0].title).toBe(
        `Pull request #3 on the shared gateway ${sharedGatewayId}`,
      );
      expect(removed.output.text[0].content).toContain(`- \`${routeFile}\``);
      const branch = sharedRepo
        .branches()
        .find(b =>
          b.startsWith(`aws-gateway/shared-default-${SHARED_ROUTE}-remove-`),
        )!;
      expect(listeners(branch)).toEqual(['platform-dns 20000']);
      expect(sharedRepo.files(branch)).not.toContain(routeFile);
      expect(sharedRepo.files('main')).toContain(routeFile);
    });

    describe('still under review: its expose pull request open', () => {
      /** Exposes the backend on a listener of the shared gateway, its pull request left open. */
      const exposeUnderReview = async (route: string, port: number) => {
        const exposed = await env.client.runTask(
          'template:default/expose-tcp-endpoint',
          {
            ...(await templateValues(env, cluster, repoUrl)).expose,
            gatewayKind: 'shared',
            sharedGateway: sharedGatewayId,
            listenerName: `default-${route}`,
            listenerPort: port,
            protocol: 'TCP',
            routeName: route,
          },
        );
        expectCompleted(exposed);
        return exposed.output.links[0].url as string;
      };
      /** What the git peer holds of the pull request at `url`. */
      const pullAt = async (url: string) =>
        (await gitPeerPulls(sharedRepo.name)).find(p =>
          url.endsWith(`/pulls/${p.number}`),
        )!;

      it('change-tcp-endpoint changes it on that pull request and says its new title', async () => {
        const url = await exposeUnderReview('backend-review', 20005);
        const changed = await env.client.runTask(
          'template:default/change-tcp-endpoint',
          await values('change-tcp-endpoint', {
            gatewayName: 'backend-review',
            change: { listeners: [{ port: 20006 }] },
          }),
        );
        expectCompleted(changed);
        const { title } = await pullAt(url);
        expect(title).toMatch(/^Listener default-backend-review \(TCP 20006\)/);
        expect(changed.output.links[0].url).toBe(url);
        expect(changed.output.text[0].content).toContain(
          `Your listener was still under review, so its pull request's title and description now say the new values: "${title}".`,
        );
      });

      it('remove-tcp-endpoint removes it from that pull request; still changing something (a listener pushed by hand), it stays open, retitled, as the output says', async () => {
        const review = (await gitPeerPulls(sharedRepo.name)).find(p =>
          p.title.startsWith('Listener default-backend-review'),
        )!;
        const branch = 'aws-gateway/shared-default-backend-review';
        pushBranchByHand(
          sharedRepo.dir,
          branch,
          work => {
            git(['checkout', '-q', branch], work);
            fs.appendFileSync(
              path.join(work, SHARED_FILE),
              '    - name: by-hand\n      protocol: TCP\n      port: 20007\n',
            );
          },
          'A listener by hand',
        );
        expect(listeners(branch)).toContain('by-hand 20007');
        const removed = await env.client.runTask(
          'template:default/remove-tcp-endpoint',
          await values('remove-tcp-endpoint', {
            gatewayName: 'backend-review',
          }),
        );
        expectCompleted(removed);
        const pull = (await gitPeerPulls(sharedRepo.name)).find(
          p => p.number === review.number,
        )!;
        expect(pull.state).toBe('open');
        expect(pull.title).toMatch(
          /^Shared Gateway .*: what is left after route default\/backend-review was removed$/,
        );
        expect(removed.output.text[0].content).toContain(
          `; it is removed from it, and as the pull request still changes something else it stays open, retitled "${pull.title}".`,
        );
      });

      it('remove-tcp-endpoint closes that pull request when it then changes nothing, as the output says', async () => {
        const url = await exposeUnderReview('backend-gone', 20008);
        const removed = await env.client.runTask(
          'template:default/remove-tcp-endpoint',
          await values('remove-tcp-endpoint', { gatewayName: 'backend-gone' }),
        );
        expectCompleted(removed);
        const pull = await pullAt(url);
        expect(pull.state).toBe('closed');
        expect(pull.comments).toHaveLength(1);
        expect(removed.output.text[0].content).toContain(
          `Your listener was still under review in pull request #${pull.number} (${url}): without it, that pull request changes nothing, so it is closed with a comment saying why; the shared gateway never had your listener.`,
        );
      });
    });
  });
});

describe('expose-tcp-endpoint: a TLS passthrough listener on a shared gateway', () => {
  it('sends the host name to the shared-listener step: the listener passes TLS through, with a TLSRoute and a TCP TargetGroupConfiguration, in a pull request', async () => {
    const exposed = await env.client.runTask(
      'template:default/expose-tcp-endpoint',
      {
        ...(await templateValues(env, cluster, repoUrl)).expose,
        gatewayKind: 'shared',
        sharedGateway: sharedGatewayId,
        listenerName: 'default-db-tls',
        listenerPort: 20043,
        protocol: 'TLS',
        tlsHostname: 'db.default.apps.example.com',
        routeName: 'db-tls',
        // A Service no other test gives a TargetGroupConfiguration (the controller applies one per Service).
        serviceName: 'db-tls',
        servicePort: 8443,
      },
    );
    expectCompleted(exposed);
    const branch = 'aws-gateway/shared-default-db-tls';
    expect(exposed.output.links[0].url).toMatch(/\/pulls\/\d+$/);
    const listener = yaml
      .parse(sharedRepo.show(branch, SHARED_FILE))
      .spec.listeners.find((l: any) => l.name === 'default-db-tls');
    expect(listener).toMatchObject({
      protocol: 'TLS',
      port: 20043,
      hostname: 'db.default.apps.example.com',
      tls: { mode: 'Passthrough' },
    });
    const folder = 'shared-gateway-routes/default/db-tls';
    expect(
      yaml.parse(sharedRepo.show(branch, `${folder}/tlsroute-db-tls.yaml`)).spec
        .hostnames,
    ).toEqual(['db.default.apps.example.com']);
    expect(
      yaml.parse(
        sharedRepo.show(
          branch,
          `${folder}/targetgroupconfiguration-db-tls.yaml`,
        ),
      ).spec,
    ).toMatchObject({
      targetReference: { name: 'db-tls' },
      defaultConfiguration: { targetType: 'ip', protocol: 'TCP' },
    });
  });
});

/**
 * A listener on a shared Gateway, against the real git peer (the platform's
 * GitOps repository, pull requests through its Gitea API) and a real
 * kube-apiserver with the Gateway API v1.6 and LBC CRDs holding the live
 * shared Gateway: the happy path opens one pull request with the Gateway
 * change and the app's route, and the cluster accepts what it proposes;
 * a backend in another namespace gets a ReferenceGrant the cluster accepts;
 * a re-run reuses that pull request; a taken port, a namespace the listener
 * does not admit, a Gateway not in the configuration and a live listener the
 * repository lacks are refused with nothing pushed. Then the listener's
 * life after the merge: located as a shared listener, its port changed and
 * it removed, each through a pull request of exactly that listener and route
 * (re-runs reuse it; after the merge they change nothing); a hand-edited
 * listener, a route the portal did not write and a taken port are refused
 * with nothing pushed. (The form's list of shared Gateways with their free
 * ports: e2e/specs/shared-gateway.spec.ts.)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import type { HttpClient } from 'isomorphic-git';
import {
  GitOpsRepository,
  parseSharedGatewayManifest,
  readGatewayGuardrails,
  readPendingSharedReviews,
  readSharedGateways,
  RepositoryUrlAllowList,
} from '@gateway-portal/plugin-aws-gateway-node';
import { InMemoryKubernetesClusters } from '@gateway-portal/plugin-aws-gateway-node/testUtils';
import {
  createChangeSharedListenerAction,
  createLocateEndpointAction,
  createRemoveSharedListenerAction,
  createSharedListenerAction,
  readGitOpsSettings,
  SharedGatewayActionDeps,
} from '@gateway-portal/plugin-scaffolder-backend-module-aws-gateway';
import yaml from 'yaml';
import {
  createBareRepo,
  gitPeer,
  gitPeerPulls,
  gitPeerRefuseEdits,
  kubeConfigFor,
  PROFILE_V16,
  uniqueName,
} from '../peers';
import { runAction } from './support/actionRun';
import { git, pushBranchByHand, pushToMainByHand } from './support/gitCli';
import { ownershipRuleOff } from './support/ownership';
import { serverSideApply } from './support/serverSideApply';

const CLUSTER = 'peers-shared';
const GATEWAY_FILE = 'platform/gateways/shared-nlb.yaml';

let kc: k8s.KubeConfig;
let objects: k8s.KubernetesObjectApi;
let gatewayNamespace: string;
let appNamespace: string;
let outsiderNamespace: string;
let repoPath: string;
let repoUrl: string;
let gatewayYaml: string;
const workspaces: string[] = [];

const bare = () => path.join(gitPeer().root, `${repoPath}.git`);
const heads = () =>
  git([
    '--git-dir',
    bare(),
    'for-each-ref',
    '--format=%(refname) %(objectname)',
  ]);
const show = (ref: string, file: string) =>
  git(['--git-dir', bare(), 'show', `${ref}:${file}`]);

/** The portal's configuration, its shared Gateway's manifest in `gitopsRepoUrl` (default: this file's repository). */
function config(gitopsRepoUrl = repoUrl): ConfigReader {
  const { baseUrl, user, password } = gitPeer();
  return new ConfigReader({
    integrations: {
      gitea: [
        {
          host: new URL(baseUrl).host,
          baseUrl: baseUrl.replace(/\/$/, ''),
          username: user,
          password,
        },
      ],
    },
    awsGateway: {
      provisioning: {
        allowedClusters: [CLUSTER],
        gitops: { allowedRepoUrls: [`${baseUrl}*`] },
        sharedGateways: [
          {
            cluster: CLUSTER,
            namespace: gatewayNamespace,
            name: 'shared-nlb',
            gitops: { repoUrl: gitopsRepoUrl, path: GATEWAY_FILE },
            listenerPorts: ['20000-20099'],
            allowedRoutes: {
              from: 'Selector',
              matchLabels: { 'shared-nlb': 'yes' },
            },
          },
        ],
      },
    },
  });
}

function deps(): SharedGatewayActionDeps {
  const c = config();
  return {
    sharedGateways: readSharedGateways(c),
    repository: GitOpsRepository.fromConfig(c),
    settings: readGitOpsSettings(c),
    guardrails: readGatewayGuardrails(c),
    clusters: new InMemoryKubernetesClusters([
      { name: CLUSTER, kubeConfig: kc },
    ]),
    ownership: ownershipRuleOff(),
  };
}

function workspace(): string {
  const workspacePath = fs.mkdtempSync(path.join(os.tmpdir(), 'shared-gw-'));
  workspaces.push(workspacePath);
  return workspacePath;
}

function run(input: JsonObject, isDryRun = false) {
  const workspacePath = workspace();
  return runAction(
    createSharedListenerAction(deps()),
    {
      sharedGateway: `${CLUSTER}/${gatewayNamespace}/shared-nlb`,
      namespace: appNamespace,
      listenerName: `${appNamespace}-db`,
      listenerPort: 20001,
      protocol: 'TCP',
      routeName: 'db',
      serviceName: 'postgres',
      servicePort: 5432,
      mode: 'pull-request',
      ...input,
    },
    { workspacePath, isDryRun },
  );
}

const basicAuth = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

async function pullRequests(): Promise<any[]> {
  const { baseUrl, user, password } = gitPeer();
  const res = await fetch(
    `${baseUrl}api/v1/repos/${repoPath}/pulls?state=all`,
    { headers: { authorization: basicAuth(user, password) } },
  );
  expect(res.status).toBe(200);
  return res.json();
}

beforeAll(async () => {
  kc = kubeConfigFor(PROFILE_V16);
  objects = k8s.KubernetesObjectApi.makeApiClient(kc);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  gatewayNamespace = uniqueName('platform-gw');
  appNamespace = uniqueName('team-a');
  outsiderNamespace = uniqueName('team-x');
  await core.createNamespace({
    body: { metadata: { name: gatewayNamespace } },
  });
  await core.createNamespace({
    body: { metadata: { name: appNamespace, labels: { 'shared-nlb': 'yes' } } },
  });
  await core.createNamespace({
    body: { metadata: { name: outsiderNamespace } },
  });
  gatewayYaml = `# The platform team's shared NLB.
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: shared-nlb
  namespace: ${gatewayNamespace}
spec:
  gatewayClassName: aws-nlb
  listeners:
    - name: platform-dns # the platform's own
      protocol: UDP
      port: 20000
`;
  // Live, as the platform's GitOps agent applied it.
  await serverSideApply(objects, yaml.parse(gatewayYaml), 'gitops-agent', []);
  repoPath = `platform/${uniqueName('shared-gitops')}`;
  repoUrl = createBareRepo(repoPath, { [GATEWAY_FILE]: gatewayYaml });
});

afterAll(() => {
  for (const w of workspaces) fs.rmSync(w, { recursive: true, force: true });
});

describe('aws-gateway:endpoint:shared-listener against the peers', () => {
  it('dry run: shows the Gateway diff and the new route, pushes nothing', async () => {
    const before = heads();
    const { outputs, logs } = await run({}, true);
    expect(outputs.gatewayDiff).toContain(`+    - name: ${appNamespace}-db`);
    expect(outputs.gatewayDiff).toContain('+      port: 20001');
    expect(outputs.files).toEqual([
      GATEWAY_FILE,
      `shared-gateway-routes/${appNamespace}/db/tcproute-db.yaml`,
    ]);
    expect(logs.join('\n')).toContain('kind: TCPRoute');
    expect(outputs.pullRequestNumber).toBe(0);
    expect(heads()).toBe(before);
  });

  it('grants a route access to its backend in another namespace with a ReferenceGrant there, which the cluster accepts', async () => {
    const { outputs } = await run(
      {
        listenerName: `${appNamespace}-cache`,
        listenerPort: 20002,
        routeName: 'cache',
        serviceName: 'redis',
        servicePort: 6379,
        serviceNamespace: outsiderNamespace,
      },
      true,
    );
    const folder = `shared-gateway-routes/${appNamespace}/cache`;
    expect(outputs.files).toEqual([
      GATEWAY_FILE,
      `${folder}/tcproute-cache.yaml`,
      `${folder}/referencegrant-${appNamespace}-cache.yaml`,
    ]);
    // The dry run ran the server-side dry run of the Gateway, the route and the grant.
    expect(outputs.serverDryRun).toBe('passed');
  });

  it('opens one pull request with the Gateway change and the route, which the cluster accepts; a re-run reuses it', async () => {
    const { outputs } = await run({});
    const branch = `aws-gateway/shared-${appNamespace}-db`;
    expect(outputs).toMatchObject({
      branch,
      changed: true,
      serverDryRun: 'passed',
      pullRequestNumber: 1,
    });
    // The platform's file: one listener added, comments and the rest kept.
    const gateway = show(branch, GATEWAY_FILE);
    expect(gateway).toContain("# The platform team's shared NLB.");
    expect(gateway).toContain("# the platform's own");
    expect(yaml.parse(gateway).spec.listeners).toEqual([
      { name: 'platform-dns', protocol: 'UDP', port: 20000 },
      {
        name: `${appNamespace}-db`,
        protocol: 'TCP',
        port: 20001,
        allowedRoutes: {
          namespaces: {
            from: 'Selector',
            selector: { matchLabels: { 'shared-nlb': 'yes' } },
          },
          kinds: [{ group: 'gateway.networking.k8s.io', kind: 'TCPRoute' }],
        },
      },
    ]);
    const route = yaml.parse(
      show(branch, `shared-gateway-routes/${appNamespace}/db/tcproute-db.yaml`),
    );
    expect(route.spec.parentRefs).toEqual([
      {
        group: 'gateway.networking.k8s.io',
        kind: 'Gateway',
        namespace: gatewayNamespace,
        name: 'shared-nlb',
        sectionName: `${appNamespace}-db`,
      },
    ]);
    // main is untouched until the platform merges.
    expect(show('main', GATEWAY_FILE)).toBe(gatewayYaml.trimEnd());
    const [pr] = await pullRequests();
    expect(pr).toMatchObject({ number: 1, state: 'open' });
    expect(pr.body).toContain(`+    - name: ${appNamespace}-db`);

    // What the pull request proposes, applied for real (not a dry run), is accepted by the API server.
    for (const m of [yaml.parse(gateway), route]) {
      await serverSideApply(objects, m, 'gitops-agent', []);
    }
    const live = await objects.read({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'shared-nlb', namespace: gatewayNamespace },
    });
    expect((live as any).spec.listeners).toHaveLength(2);

    const again = await run({});
    expect(again.outputs).toMatchObject({
      branch,
      changed: false,
      pullRequestNumber: 1,
    });
    expect(await pullRequests()).toHaveLength(1);
  });

  it('refuses, with nothing pushed, when the live Gateway has a listener the repository lacks (applied, not merged)', async () => {
    // The pull request above was applied to the cluster but main still lacks its listener.
    const before = heads();
    await expect(
      run({
        listenerName: `${appNamespace}-mq`,
        routeName: 'mq',
        listenerPort: 20005,
      }),
    ).rejects.toThrow(
      new RegExp(
        `the live listener ${appNamespace}-db \\(TCP 20001\\) is missing in ${GATEWAY_FILE}.*\\[shared-gateway-drift\\]`,
      ),
    );
    expect(heads()).toBe(before);
  });

  it.each<[string, JsonObject, RegExp]>([
    [
      'a port the live Gateway already has',
      { listenerName: 'other', routeName: 'other', listenerPort: 20000 },
      /listenerPort: port 20000 is taken on shared Gateway .*\(listener platform-dns\) \[shared-port-taken\]/,
    ],
    [
      'a namespace the listener does not admit',
      { namespace: '', listenerName: 'x-db', routeName: 'x-db' },
      /namespace: routes from namespace .* may not attach .*\[shared-namespace-not-allowed\]/,
    ],
    [
      'a Gateway not in the configuration',
      { sharedGateway: `${CLUSTER}/kube-system/internal-nlb` },
      /is not a shared Gateway the platform offers .*\[shared-gateway-not-configured\]/,
    ],
  ])('refuses %s with nothing pushed', async (_what, input, message) => {
    const before = heads();
    await expect(
      run({
        ...input,
        ...(input.namespace === '' ? { namespace: outsiderNamespace } : {}),
      }),
    ).rejects.toThrow(message);
    expect(heads()).toBe(before);
  });
});

describe('the listener over its life: locate, change, remove against the peers', () => {
  const sharedGateway = () => `${CLUSTER}/${gatewayNamespace}/shared-nlb`;
  const routeFile = () =>
    `shared-gateway-routes/${appNamespace}/db/tcproute-db.yaml`;
  const listenersOn = (ref: string) =>
    yaml
      .parse(show(ref, GATEWAY_FILE))
      .spec.listeners.map((l: any) => `${l.name} ${l.protocol} ${l.port}`);

  /** An example's input, pointed at this test's shared Gateway and route (written for no component). */
  function exampleInput(example: { example: string }, extra: JsonObject = {}) {
    const { entityRef: _component, ...input } = yaml.parse(example.example)
      .steps[0].input;
    return {
      ...input,
      sharedGateway: sharedGateway(),
      namespace: appNamespace,
      routeName: 'db',
      ...extra,
    } as JsonObject;
  }

  // The actions' own examples, run against the peers.
  const changeExamples = () =>
    createChangeSharedListenerAction(deps()).examples!;
  const removeExamples = () =>
    createRemoveSharedListenerAction(deps()).examples!;
  const locateExamples = () => createLocateEndpointAction(deps()).examples!;

  const change = (input: JsonObject, isDryRun = false) =>
    runAction(createChangeSharedListenerAction(deps()), input, {
      workspacePath: workspace(),
      isDryRun,
    });
  const remove = (input: JsonObject) =>
    runAction(createRemoveSharedListenerAction(deps()), input, {
      workspacePath: workspace(),
    });

  /** The forge's merge of a review branch (each starts from main: a fast-forward). */
  function merge(branch: string) {
    git(['--git-dir', bare(), 'merge-base', '--is-ancestor', 'main', branch]);
    git([
      '--git-dir',
      bare(),
      'update-ref',
      'refs/heads/main',
      `refs/heads/${branch}`,
    ]);
  }

  /** A platform engineer's own push to main. */
  const pushByHand = (edit: (work: string) => void, message: string) =>
    pushToMainByHand(bare(), edit, message);

  /** The GitOps agent: applies main's Gateway manifest (its listeners as they are there). */
  async function applyGateway() {
    await serverSideApply(
      objects,
      yaml.parse(show('main', GATEWAY_FILE)),
      'gitops-agent',
      [],
    );
    const live: any = await objects.read({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'shared-nlb', namespace: gatewayNamespace },
    });
    return live.spec.listeners.map(
      (l: any) => `${l.name} ${l.protocol} ${l.port}`,
    );
  }

  beforeAll(() => {
    // The platform merged the pull request of the listener added above (and it is applied).
    merge(`aws-gateway/shared-${appNamespace}-db`);
  });

  it('locates the route as a listener on the shared Gateway (the locate example)', async () => {
    const { entityRef: _component, ...input } = yaml.parse(
      locateExamples()[0].example,
    ).steps[0].input;
    const { outputs } = await runAction(
      createLocateEndpointAction(deps()),
      { ...input, repoUrl, namespace: appNamespace, name: 'db' },
      { workspacePath: workspace() },
    );
    expect(outputs).toEqual({
      kind: 'shared-listener',
      sharedGateway: sharedGateway(),
      path: `shared-gateway-routes/${appNamespace}/db`,
    });
  });

  it('dry run of the second example (UDP, another backend): the UDPRoute replaces the TCPRoute, nothing pushed', async () => {
    const before = heads();
    const { outputs, logs } = await change(
      exampleInput(changeExamples()[1]),
      true,
    );
    expect(outputs).toMatchObject({
      changes: [
        `listener ${appNamespace}-db: protocol TCP → UDP`,
        'route db: backends postgres:5432 → orders-udp:5433',
      ],
      files: [
        GATEWAY_FILE,
        `shared-gateway-routes/${appNamespace}/db/udproute-db.yaml`,
      ],
      deleted: [routeFile()],
      serverDryRun: 'passed',
      pullRequestNumber: 0,
    });
    expect(outputs.gatewayDiff).toContain('+      protocol: UDP');
    expect(logs.join('\n')).toContain('kind: UDPRoute');
    expect(heads()).toBe(before);
  });

  it('refuses a port another listener holds, with nothing pushed', async () => {
    const before = heads();
    await expect(
      change(
        exampleInput(changeExamples()[0], {
          change: { listeners: [{ port: 20000 }] },
        }),
      ),
    ).rejects.toThrow(
      /change\.listeners\[0\]\.port: port 20000 is taken on shared Gateway .*\(listener platform-dns\) \[shared-port-taken\]/,
    );
    expect(heads()).toBe(before);
  });

  it('changes the port (the first example) in one pull request of exactly the listener and the route; a re-run reuses it; merged, a re-run changes nothing', async () => {
    const onMain = show('main', GATEWAY_FILE);
    const input = exampleInput(changeExamples()[0]);
    const { outputs } = await change(input);
    const branch = outputs.branch as string;
    expect(branch).toMatch(
      new RegExp(`^aws-gateway/shared-${appNamespace}-db-change-[0-9a-f]{10}$`),
    );
    expect(outputs).toMatchObject({
      changed: true,
      changes: [`listener ${appNamespace}-db: port 20001 → 20002`],
      pullRequestNumber: 2,
    });
    // Exactly our listener changed; the platform's listener and comments stay.
    expect(listenersOn(branch)).toEqual([
      'platform-dns UDP 20000',
      `${appNamespace}-db TCP 20002`,
    ]);
    expect(show(branch, GATEWAY_FILE)).toContain("# the platform's own");
    expect(
      yaml.parse(show(branch, routeFile())).metadata.annotations[
        'aws-gateway.io/listener-port'
      ],
    ).toBe('20002');
    expect(show('main', GATEWAY_FILE)).toBe(onMain);
    const pr = (await pullRequests()).find(p => p.number === 2);
    expect(pr).toMatchObject({ state: 'open', head: { ref: branch } });
    expect(pr.body).toContain('-      port: 20001');
    expect(pr.body).toContain('+      port: 20002');

    const again = await change(input);
    expect(again.outputs).toMatchObject({
      branch,
      changed: false,
      pullRequestNumber: 2,
    });
    expect(await pullRequests()).toHaveLength(2);

    merge(branch);
    expect(await applyGateway()).toEqual([
      'platform-dns UDP 20000',
      `${appNamespace}-db TCP 20002`,
    ]);
    const before = heads();
    const merged = await change(input);
    expect(merged.outputs).toMatchObject({ changed: false, files: [] });
    expect(merged.outputs.pullRequestUrl).toBeUndefined();
    expect(heads()).toBe(before);
  });

  it('refuses a listener edited by hand since, with nothing pushed', async () => {
    pushByHand(work => {
      const file = path.join(work, GATEWAY_FILE);
      fs.writeFileSync(
        file,
        fs.readFileSync(file, 'utf8').replace('port: 20002', 'port: 20003'),
      );
    }, 'platform: move the db listener by hand');
    const before = heads();
    try {
      await expect(
        change(
          exampleInput(changeExamples()[0], {
            change: { listeners: [{ port: 20004 }] },
          }),
        ),
      ).rejects.toThrow(
        new RegExp(
          `the listener ${appNamespace}-db in ${GATEWAY_FILE} .* is not what the portal wrote for route ${appNamespace}/db \\(edited by hand since\\).*\\[endpoint-hand-edited\\]`,
        ),
      );
      await expect(remove(exampleInput(removeExamples()[0]))).rejects.toThrow(
        /\[endpoint-hand-edited\]/,
      );
      expect(heads()).toBe(before);
    } finally {
      pushByHand(work => {
        const file = path.join(work, GATEWAY_FILE);
        fs.writeFileSync(
          file,
          fs.readFileSync(file, 'utf8').replace('port: 20003', 'port: 20002'),
        );
      }, 'platform: undo');
    }
  });

  it('refuses a route (and its listener) the portal did not write, with nothing pushed', async () => {
    const legacy = `shared-gateway-routes/${appNamespace}/legacy/tcproute-legacy.yaml`;
    pushByHand(work => {
      fs.mkdirSync(path.join(work, path.dirname(legacy)), { recursive: true });
      fs.writeFileSync(
        path.join(work, legacy),
        yaml.stringify({
          apiVersion: 'gateway.networking.k8s.io/v1',
          kind: 'TCPRoute',
          metadata: { name: 'legacy', namespace: appNamespace },
          spec: {
            parentRefs: [
              {
                namespace: gatewayNamespace,
                name: 'shared-nlb',
                sectionName: 'platform-dns',
              },
            ],
            rules: [{ backendRefs: [{ name: 'legacy', port: 53 }] }],
          },
        }),
      );
    }, 'platform: a route of its own');
    const before = heads();
    await expect(
      remove(exampleInput(removeExamples()[0], { routeName: 'legacy' })),
    ).rejects.toThrow(
      /"tcproute-legacy.yaml" has no app.kubernetes.io\/managed-by: backstage-aws-gateway label.*\[endpoint-not-ours\]/,
    );
    expect(heads()).toBe(before);
    expect(listenersOn('main')).toContain('platform-dns UDP 20000');
  });

  it('removes exactly the listener and the route (the remove example) in one pull request; a re-run reuses it; merged, nothing is left to remove', async () => {
    const input = exampleInput(removeExamples()[0]);
    const { outputs } = await remove(input);
    const branch = outputs.branch as string;
    expect(branch).toMatch(
      new RegExp(`^aws-gateway/shared-${appNamespace}-db-remove-[0-9a-f]{10}$`),
    );
    expect(outputs).toMatchObject({
      changed: true,
      deleted: [routeFile()],
      pullRequestNumber: 3,
    });
    expect(listenersOn(branch)).toEqual(['platform-dns UDP 20000']);
    expect(show(branch, GATEWAY_FILE)).toContain(
      "# The platform team's shared NLB.",
    );
    const tree = git([
      '--git-dir',
      bare(),
      'ls-tree',
      '-r',
      '--name-only',
      branch,
    ]);
    expect(tree).not.toContain(routeFile());
    // The platform's own route folder is left alone.
    expect(tree).toContain(
      `shared-gateway-routes/${appNamespace}/legacy/tcproute-legacy.yaml`,
    );
    expect(listenersOn('main')).toContain(`${appNamespace}-db TCP 20002`);

    const again = await remove(input);
    expect(again.outputs).toMatchObject({
      branch,
      changed: false,
      pullRequestNumber: 3,
    });
    expect(await pullRequests()).toHaveLength(3);

    merge(branch);
    expect(await applyGateway()).toEqual(['platform-dns UDP 20000']);
    const before = heads();
    const gone = await remove(input);
    expect(gone.outputs).toMatchObject({ changed: false, deleted: [] });
    expect(heads()).toBe(before);
  });

  it('exposed again after the removal was merged: a new review branch from main and a new pull request (the merged branch is left as it is); a re-run while it is open reuses it', async () => {
    const first = `aws-gateway/shared-${appNamespace}-db`;
    const firstSha = git(['--git-dir', bare(), 'rev-parse', first]);
    const preview = await run({}, true);
    expect(preview.outputs).toMatchObject({
      branch: `${first}_2`,
      pullRequestNumber: 0,
    });
    expect(preview.logs.join('\n')).toContain(
      `Would use review branch ${first}_2, new from main (${first}: no pull request open any more, left as they are)`,
    );

    const { outputs } = await run({});
    expect(outputs).toMatchObject({
      branch: `${first}_2`,
      changed: true,
      pullRequestNumber: 4,
    });
    // From main as it is now (the removal merged), with the listener back.
    git([
      '--git-dir',
      bare(),
      'merge-base',
      '--is-ancestor',
      'main',
      `${first}_2`,
    ]);
    expect(listenersOn(`${first}_2`)).toEqual([
      'platform-dns UDP 20000',
      `${appNamespace}-db TCP 20001`,
    ]);
    expect(git(['--git-dir', bare(), 'rev-parse', first])).toBe(firstSha);
    const pulls = await pullRequests();
    expect(pulls.find(p => p.number === 1)).toMatchObject({
      state: 'closed',
      merged: true,
    });
    expect(pulls.find(p => p.number === 4)).toMatchObject({
      state: 'open',
      head: { ref: `${first}_2` },
    });

    const again = await run({});
    expect(again.outputs).toMatchObject({
      branch: `${first}_2`,
      changed: false,
      pullRequestNumber: 4,
    });
    expect(again.logs.join('\n')).toContain(
      `Using review branch ${first}_2: its pull request #4 into main is still open`,
    );
    expect(await pullRequests()).toHaveLength(4);

    merge(`${first}_2`);
    expect(await applyGateway()).toEqual([
      'platform-dns UDP 20000',
      `${appNamespace}-db TCP 20001`,
    ]);
  });

  it('the same change repeated after the first was merged opens a new pull request on a new branch; a re-run while it is open reuses it', async () => {
    const input = exampleInput(changeExamples()[0]);
    const { outputs } = await change(input);
    const branch = outputs.branch as string;
    // The same edit as the merged change above (20001 → 20002): its branch name, with a suffix.
    const merged = branch.replace(/_2$/, '');
    expect(branch).toMatch(
      new RegExp(
        `^aws-gateway/shared-${appNamespace}-db-change-[0-9a-f]{10}_2$`,
      ),
    );
    expect(heads()).toContain(`refs/heads/${merged} `);
    expect(outputs).toMatchObject({
      changed: true,
      changes: [`listener ${appNamespace}-db: port 20001 → 20002`],
      pullRequestNumber: 5,
    });
    expect(listenersOn(branch)).toEqual([
      'platform-dns UDP 20000',
      `${appNamespace}-db TCP 20002`,
    ]);
    expect((await pullRequests()).find(p => p.number === 5)).toMatchObject({
      state: 'open',
      head: { ref: branch },
    });

    const again = await change(input);
    expect(again.outputs).toMatchObject({
      branch,
      changed: false,
      pullRequestNumber: 5,
    });
    expect(await pullRequests()).toHaveLength(5);
  });
});

describe('two developers at once: ports pending review, and a change or removal while the expose is under review', () => {
  const sharedGateway = () => `${CLUSTER}/${gatewayNamespace}/shared-nlb`;
  let teamB: string;
  let teamC: string;
  const apiBranch = () => `aws-gateway/shared-${teamB}-api`;
  const listenersOn = (ref: string) =>
    yaml
      .parse(show(ref, GATEWAY_FILE))
      .spec.listeners.map((l: any) => `${l.name} ${l.protocol} ${l.port}`);
  const exposeB = (input: JsonObject = {}, isDryRun = false) =>
    run(
      {
        namespace: teamB,
        listenerName: `${teamB}-api`,
        listenerPort: 20010,
        routeName: 'api',
        serviceName: 'api',
        servicePort: 8080,
        ...input,
      },
      isDryRun,
    );
  const exposeC = (input: JsonObject, isDryRun = false) =>
    run(
      {
        namespace: teamC,
        listenerName: `${teamC}-web`,
        routeName: 'web',
        serviceName: 'web',
        servicePort: 8080,
        ...input,
      },
      isDryRun,
    );
  /** Team B's change or removal of its route `api` (the action made from the module's dependencies). */
  const editB = <Context>(
    action: { handler(ctx: Context): Promise<void> },
    input: JsonObject = {},
    isDryRun = false,
  ) =>
    runAction(
      action,
      {
        sharedGateway: sharedGateway(),
        namespace: teamB,
        routeName: 'api',
        mode: 'pull-request',
        ...input,
      },
      { workspacePath: workspace(), isDryRun },
    );
  /** The expose pull request's title for team B's listener on this port. */
  const titleB = (port: number) =>
    `Listener ${teamB}-api (TCP ${port}) on shared Gateway ${gatewayNamespace}/shared-nlb for ${teamB}/api:8080`;

  /** The git peer's record of a pull request: its state and comments. */
  const peerPull = async (number: number) =>
    (await gitPeerPulls(repoPath)).find(p => p.number === number)!;
  const refuseEdits = (refuse: boolean) => gitPeerRefuseEdits(repoPath, refuse);

  beforeAll(async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    teamB = uniqueName('team-b');
    teamC = uniqueName('team-c');
    for (const name of [teamB, teamC]) {
      await core.createNamespace({
        body: { metadata: { name, labels: { 'shared-nlb': 'yes' } } },
      });
    }
  });

  it("refuses, before any write, a port another developer's open pull request adds, naming it; another port is granted, and the first developer's re-run is not refused by its own pull request", async () => {
    const first = await exposeB();
    expect(first.outputs).toMatchObject({
      branch: apiBranch(),
      changed: true,
      pullRequestNumber: 6,
    });
    const pr = `${gitPeer().baseUrl}${repoPath}/pulls/6`;
    // main and the live Gateway do not have it yet: only the open pull request does.
    expect(listenersOn('main')).not.toContain(`${teamB}-api TCP 20010`);

    const before = heads();
    await expect(exposeC({ listenerPort: 20010 })).rejects.toThrow(
      new RegExp(
        `listenerPort: pull request #6 \\(${pr}\\), still open, adds listener ${teamB}-api with port 20010 to shared Gateway ${sharedGateway()}: choose another port, or wait until it is merged or closed \\[shared-port-pending\\]`,
      ),
    );
    // The change still open above (#5) moves the db listener to 20002: held too.
    await expect(exposeC({ listenerPort: 20002 }, true)).rejects.toThrow(
      /listenerPort: pull request #5 .* adds listener .*-db with port 20002 .*\[shared-port-pending\]/,
    );
    expect(heads()).toBe(before);
    expect(await pullRequests()).toHaveLength(6);

    const preview = await exposeC({ listenerPort: 20011 }, true);
    expect(preview.outputs.pendingReviews).toMatch(
      new RegExp(
        `^2 other open review pull request\\(s\\) on ${sharedGateway()} read: .*port 20010 \\(${teamB}-api\\) in #6`,
      ),
    );
    expect(preview.outputs.pendingReviews).toContain(
      `port 20002 (${appNamespace}-db) in #5`,
    );

    const again = await exposeB();
    expect(again.outputs).toMatchObject({
      branch: apiBranch(),
      changed: false,
      pullRequestNumber: 6,
    });
    expect(again.outputs.pendingReviews).not.toContain('#6');
  });

  it('locates and changes the port of a listener whose expose pull request is still open, on that pull request (no new branch or pull request), which is retitled (a host refusing the retitle fails the task with the branch edited; the re-run retitles it); the old port is free again', async () => {
    // The change template's first step finds it on the open pull request's branch.
    const located = await runAction(
      createLocateEndpointAction(deps()),
      { repoUrl, namespace: teamB, name: 'api' },
      { workspacePath: workspace() },
    );
    expect(located.outputs).toEqual({
      kind: 'shared-listener',
      sharedGateway: sharedGateway(),
      path: `shared-gateway-routes/${teamB}/api`,
    });
    expect(located.logs.join('\n')).toContain(
      `on ${apiBranch()}: its expose pull request is still open`,
    );

    const onMain = show('main', GATEWAY_FILE);
    const toPort = (port: number) => ({ change: { listeners: [{ port }] } });
    expect((await peerPull(6)).title).toBe(titleB(20010));
    const dryRun = await editB(
      createChangeSharedListenerAction(deps()),
      toPort(20012),
      true,
    );
    expect(dryRun.outputs.pullRequestTitle).toBe(titleB(20012));
    expect(dryRun.logs.join('\n')).toContain(
      `Pull request #6 (${
        gitPeer().baseUrl
      }${repoPath}/pulls/6) would be retitled "${titleB(20012)}"`,
    );
    expect((await peerPull(6)).title).toBe(titleB(20010));

    const { outputs, logs } = await editB(
      createChangeSharedListenerAction(deps()),
      toPort(20012),
    );
    expect(outputs).toMatchObject({
      branch: apiBranch(),
      changed: true,
      changes: [`listener ${teamB}-api: port 20010 → 20012`],
      pullRequestNumber: 6,
      pullRequestTitle: titleB(20012),
    });
    // What the pull request shows now: the title and the diff against where the branch left main.
    const retitled = await peerPull(6);
    expect(retitled.title).toBe(titleB(20012));
    expect(retitled.body).toMatch(/^\+ +port: 20012$/m);
    expect(retitled.body).not.toContain('20010');
    expect(logs.join('\n')).toContain(
      `is not on main yet: its pull request #6 (${
        gitPeer().baseUrl
      }${repoPath}/pulls/6) is still open, so the change goes to its branch ${apiBranch()}`,
    );
    expect(listenersOn(apiBranch())).toContain(`${teamB}-api TCP 20012`);
    expect(listenersOn(apiBranch())).not.toContain(`${teamB}-api TCP 20010`);
    expect(
      yaml.parse(
        show(
          apiBranch(),
          `shared-gateway-routes/${teamB}/api/tcproute-api.yaml`,
        ),
      ).metadata.annotations['aws-gateway.io/listener-port'],
    ).toBe('20012');
    expect(show('main', GATEWAY_FILE)).toBe(onMain);
    expect(await pullRequests()).toHaveLength(6);

    // 20010 is no longer claimed; 20012 is.
    await expect(exposeC({ listenerPort: 20012 }, true)).rejects.toThrow(
      /pull request #6 .* with port 20012 .*\[shared-port-pending\]/,
    );
    const free = await exposeC({ listenerPort: 20010 }, true);
    expect(free.outputs.serverDryRun).toBe('passed');

    // The host refuses the retitle: the branch edit stands, the task fails naming the host's answer.
    await refuseEdits(true);
    await expect(
      editB(createChangeSharedListenerAction(deps()), toPort(20014)),
    ).rejects.toThrow(
      /is changed on aws-gateway\/shared-.*-api, but pull request #6 \(.*\/pulls\/6\) could not be retitled .*HTTP 403 when asked to retitle the pull request.*Run the task again to retitle it/,
    );
    expect(listenersOn(apiBranch())).toContain(`${teamB}-api TCP 20014`);
    expect((await peerPull(6)).title).toBe(titleB(20012));
    await refuseEdits(false);
    const before = heads();
    const rerun = await editB(
      createChangeSharedListenerAction(deps()),
      toPort(20014),
    );
    expect(rerun.outputs).toMatchObject({
      changed: false,
      pullRequestTitle: titleB(20014),
    });
    expect(heads()).toBe(before);
    expect(await peerPull(6)).toMatchObject({
      title: titleB(20014),
      state: 'open',
    });
    expect(await pullRequests()).toHaveLength(6);
  });

  it('removes a listener whose expose pull request is still open from that branch: the pull request then changes nothing and is closed with a comment (a host refusing the close fails the task with the branch edited; the re-run closes it); its port is free', async () => {
    const dryRun = await runAction(
      createRemoveSharedListenerAction(deps()),
      {
        sharedGateway: sharedGateway(),
        namespace: teamB,
        routeName: 'api',
        mode: 'pull-request',
      },
      { workspacePath: workspace(), isDryRun: true },
    );
    expect(dryRun.outputs.pullRequestClosed).toBe(true);
    expect(dryRun.logs.join('\n')).toContain(
      `Pull request #6 (${
        gitPeer().baseUrl
      }${repoPath}/pulls/6) would then change nothing relative to main: it would be closed`,
    );

    // The host refuses the close: the branch edit stands, the task fails naming the host's answer.
    await refuseEdits(true);
    await expect(
      editB(createRemoveSharedListenerAction(deps())),
    ).rejects.toThrow(
      /is removed from aws-gateway\/shared-.*-api, and pull request #6 \(.*\/pulls\/6\) now changes nothing, but it could not be closed: .*HTTP 403 when asked to close the pull request.*Run the task again to close it/,
    );
    const forkPoint = git([
      '--git-dir',
      bare(),
      'merge-base',
      'main',
      apiBranch(),
    ]);
    // The branch is back to where it left main, byte for byte: its pull request shows no change.
    expect(
      git(['--git-dir', bare(), 'diff', '--stat', forkPoint, apiBranch()]),
    ).toBe('');
    expect(await peerPull(6)).toMatchObject({ state: 'open' });

    await refuseEdits(false);
    const { outputs, logs } = await editB(
      createRemoveSharedListenerAction(deps()),
    );
    expect(outputs).toMatchObject({ changed: false, pullRequestClosed: true });
    expect(logs.join('\n')).toContain('Closed pull request #6 (');
    const closed = await peerPull(6);
    expect(closed.state).toBe('closed');
    // Posted before the refused close: the re-run does not post it again.
    expect(closed.comments).toHaveLength(1);
    expect(closed.comments.at(-1)).toMatch(
      /^Closed by Backstage \(aws-gateway:endpoint:remove-shared-listener\): route .*\/api on shared Gateway .* was removed from aws-gateway\/shared-.*-api before this pull request was merged, so it no longer changes anything relative to main/,
    );
    expect(listenersOn(apiBranch())).toEqual(listenersOn('main'));
    expect(await pullRequests()).toHaveLength(6);
    const free = await exposeC({ listenerPort: 20012 }, true);
    expect(free.outputs.pendingReviews).not.toContain('#6');

    // Closed, nothing left to do: a re-run writes nothing and closes nothing.
    const before = heads();
    const again = await editB(createRemoveSharedListenerAction(deps()));
    expect(again.outputs).toMatchObject({ changed: false, deleted: [] });
    expect(again.outputs.pullRequestClosed).toBeUndefined();
    expect(heads()).toBe(before);
  });

  it('a review branch that predates a removal merged since does not hold the removed port: it claims only what it adds since it left main', async () => {
    const cacheBranch = `aws-gateway/shared-${teamC}-cache`;
    const platformTmp =
      '    - name: platform-tmp\n      protocol: TCP\n      port: 20015\n';
    /** A platform engineer's edit of main's Gateway manifest, pushed by hand. */
    const editOnMain = (edit: (content: string) => string, message: string) =>
      pushToMainByHand(
        bare(),
        work => {
          const file = path.join(work, GATEWAY_FILE);
          fs.writeFileSync(file, edit(fs.readFileSync(file, 'utf8')));
        },
        message,
      );
    // The platform adds a listener of its own by hand (merged, not applied yet)…
    editOnMain(content => `${content}${platformTmp}`, 'platform-tmp');
    // …team C opens an expose from that main…
    const opened = await exposeC({
      listenerName: `${teamC}-cache`,
      routeName: 'cache',
      serviceName: 'cache',
      listenerPort: 20016,
    });
    expect(opened.outputs).toMatchObject({
      branch: cacheBranch,
      changed: true,
    });
    expect(listenersOn(cacheBranch)).toContain('platform-tmp TCP 20015');
    // …and the platform removes its listener from main.
    editOnMain(
      content => content.replace(platformTmp, ''),
      'remove platform-tmp',
    );
    // Main moves on (more than the first fetch's depth): where the branch left it is found deeper.
    for (const n of [1, 2, 3])
      editOnMain(content => `${content}# note ${n}\n`, `note ${n}`);
    expect(listenersOn('main')).not.toContain('platform-tmp TCP 20015');

    // 20015 is free: team C's pull request still has it, but had it where it left main.
    const preview = await exposeB(
      { listenerName: `${teamB}-mq`, routeName: 'mq', listenerPort: 20015 },
      true,
    );
    expect(preview.outputs.serverDryRun).toBe('passed');
    expect(preview.outputs.pendingReviews).toContain(
      `port 20016 (${teamC}-cache) in #7`,
    );
    expect(preview.outputs.pendingReviews).not.toContain('20015');
    // What team C's pull request does add is still held.
    await expect(
      exposeB(
        { listenerName: `${teamB}-mq`, routeName: 'mq', listenerPort: 20016 },
        true,
      ),
    ).rejects.toThrow(
      /pull request #7 .* with port 20016 .*\[shared-port-pending\]/,
    );
  });

  it('removes a listener from its open expose pull request that still changes something (a listener pushed to it by hand): the pull request stays open, retitled; the dry run says so', async () => {
    const cacheBranch = `aws-gateway/shared-${teamC}-cache`;
    // Someone adds a second listener to team C's open pull request by hand.
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pr-by-hand-'));
    try {
      git(['clone', '-q', '-b', cacheBranch, bare(), work]);
      const file = path.join(work, GATEWAY_FILE);
      fs.writeFileSync(
        file,
        `${fs.readFileSync(
          file,
          'utf8',
        )}    - name: ${teamC}-extra\n      protocol: TCP\n      port: 20017\n`,
      );
      git(['commit', '-qam', 'extra listener'], work);
      git(['push', '-q', 'origin', `HEAD:refs/heads/${cacheBranch}`], work);
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
    const removeCache = (isDryRun = false) =>
      runAction(
        createRemoveSharedListenerAction(deps()),
        {
          sharedGateway: sharedGateway(),
          namespace: teamC,
          routeName: 'cache',
          mode: 'pull-request',
        },
        { workspacePath: workspace(), isDryRun },
      );
    const title = `Shared Gateway ${gatewayNamespace}/shared-nlb: what is left after route ${teamC}/cache was removed`;
    const pr = `${gitPeer().baseUrl}${repoPath}/pulls/7`;
    const before = heads();
    const dryRun = await removeCache(true);
    expect(dryRun.outputs).toMatchObject({
      pullRequestClosed: false,
      pullRequestTitle: title,
    });
    expect(dryRun.logs.join('\n')).toContain(
      `Pull request #7 (${pr}) would be retitled "${title}"`,
    );
    expect(heads()).toBe(before);

    const { outputs } = await removeCache();
    expect(outputs).toMatchObject({
      branch: cacheBranch,
      changed: true,
      pullRequestClosed: false,
      pullRequestTitle: title,
    });
    expect(listenersOn(cacheBranch)).not.toContain(`${teamC}-cache TCP 20016`);
    expect(listenersOn(cacheBranch)).toContain(`${teamC}-extra TCP 20017`);
    const kept = await peerPull(7);
    expect(kept).toMatchObject({ state: 'open', title, comments: [] });
    // Its description: what it still changes against where it left main, and no route.
    expect(kept.body).toMatch(/^\+ +port: 20017$/m);
    expect(kept.body).not.toContain('20016');
    expect(kept.body).toContain('- none (the route was removed)');
  });

  it('says, in the dry run, that pending ports are not known when the host cannot list pull requests (mode commit, no pull request integration)', async () => {
    const c = config();
    const { baseUrl, user, password } = gitPeer();
    // Plain git over HTTPS with no forge: a generic integration cannot list pull requests.
    const noForge = new ConfigReader({
      ...c.get(),
      integrations: {
        gerrit: [
          {
            host: new URL(baseUrl).host,
            baseUrl: baseUrl.replace(/\/$/, ''),
            gitilesBaseUrl: `${baseUrl}gitiles`,
            username: user,
            password,
          },
        ],
      },
    } as JsonObject);
    const { outputs, logs } = await runAction(
      createSharedListenerAction({
        ...deps(),
        repository: GitOpsRepository.fromConfig(noForge),
        settings: readGitOpsSettings(noForge),
      }),
      {
        sharedGateway: sharedGateway(),
        namespace: teamC,
        listenerName: `${teamC}-web`,
        listenerPort: 20013,
        routeName: 'web',
        serviceName: 'web',
        servicePort: 8080,
        mode: 'commit',
      },
      { workspacePath: workspace(), isDryRun: true },
    );
    expect(outputs.pendingReviews).toMatch(
      /ports pending review on .* are not known; the open pull requests of .* could not be listed \(repoUrl: .*cannot open pull requests here/,
    );
    expect(logs.join('\n')).toContain('could not be listed');
  });
});

/** A body of one chunk, as isomorphic-git's transport reads request bodies. */
async function* oneChunk(body: Buffer): AsyncIterableIterator<Uint8Array> {
  yield body;
}

/** The pkt-lines of a git protocol request body (flush and delimiter packets left out). */
function pktLines(body: Buffer): string[] {
  const lines: string[] = [];
  for (let at = 0; at + 4 <= body.length; ) {
    const length = parseInt(body.subarray(at, at + 4).toString('latin1'), 16);
    if (!(length >= 4)) {
      at += 4;
      continue;
    }
    lines.push(
      body
        .subarray(at + 4, at + length)
        .toString('latin1')
        .trimEnd(),
    );
    at += length;
  }
  return lines;
}

describe('the open reviews read together', () => {
  it('ten review branches: one branch listing and one fetch of the base (one more where a branch left it deeper), each branch compared with where it left it', async () => {
    const name = `platform/${uniqueName('pending-gitops')}`;
    const reviewsRepoUrl = createBareRepo(name, {
      [GATEWAY_FILE]: gatewayYaml,
    });
    const reviewsBare = path.join(gitPeer().root, `${name}.git`);
    const addListener = (port: number) => (work: string) =>
      fs.appendFileSync(
        path.join(work, GATEWAY_FILE),
        `    - name: team-${port}\n      protocol: TCP\n      port: ${port}\n`,
      );
    const branchOf = (port: number) => `aws-gateway/shared-team-${port}-db`;
    // One review leaves main before main moves three commits on (its merge base is found only deeper)…
    pushBranchByHand(reviewsBare, branchOf(20059), addListener(20059), 'old');
    for (const n of [1, 2, 3])
      pushToMainByHand(
        reviewsBare,
        work => fs.appendFileSync(path.join(work, GATEWAY_FILE), `# ${n}\n`),
        `note ${n}`,
      );
    // …the nine others leave main as it is now.
    const ports = Array.from({ length: 10 }, (_, i) => 20050 + i);
    for (const port of ports.slice(0, 9))
      pushBranchByHand(reviewsBare, branchOf(port), addListener(port), 'new');
    const { baseUrl, user, password } = gitPeer();
    for (const port of ports) {
      const res = await fetch(`${baseUrl}api/v1/repos/${name}/pulls`, {
        method: 'POST',
        headers: {
          authorization: basicAuth(user, password),
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          head: branchOf(port),
          base: 'main',
          title: `Listener team-${port}`,
        }),
      });
      expect(res.status).toBe(201);
    }

    // Every git request the read makes: branch listings (ls-refs) and fetches (their wants).
    const requests: Array<{ listing: boolean; wants: string[] }> = [];
    const counted = (http: HttpClient): HttpClient => ({
      async request(req) {
        if (req.method !== 'POST') return http.request(req);
        const chunks: Uint8Array[] = [];
        for await (const chunk of req.body as AsyncIterable<Uint8Array>)
          chunks.push(chunk);
        const body = Buffer.concat(chunks);
        const lines = pktLines(body);
        requests.push({
          listing: lines.includes('command=ls-refs'),
          wants: lines
            .filter(l => l.startsWith('want '))
            .map(l => l.split(' ')[1]),
        });
        return http.request({ ...req, body: oneChunk(body) });
      },
    });
    const c = config(reviewsRepoUrl);
    const [shared] = readSharedGateways(c);
    const mainSha = git(['--git-dir', reviewsBare, 'rev-parse', 'main']);
    const pending = await readPendingSharedReviews({
      repository: GitOpsRepository.fromConfig(c, { wrapHttp: counted }),
      repoUrl: RepositoryUrlAllowList.fromGitOpsConfig(c).check(
        reviewsRepoUrl,
        'gitops.repoUrl',
      ),
      shared,
      baseGateway: parseSharedGatewayManifest(
        shared,
        git(['--git-dir', reviewsBare, 'show', `main:${GATEWAY_FILE}`]),
      ).gateway,
    });

    expect(pending).toMatchObject({ listed: true, read: 10 });
    expect(pending.note).toBeUndefined();
    expect(pending.claims.map(claim => claim.port).sort()).toEqual(ports);
    expect(requests.filter(r => r.listing)).toHaveLength(1);
    // The base at depth 2 for all ten, and at depth 16 for the one that left it three commits back.
    expect(requests.filter(r => r.wants.includes(mainSha))).toHaveLength(2);
    // Each branch once, the old one twice (deepened).
    expect(requests.filter(r => !r.listing)).toHaveLength(2 + 10 + 1);
  });
});

describe('a TLS passthrough listener on a shared Gateway against the peers', () => {
  const TLS_FILE = 'platform/gateways/shared-tls.yaml';
  let tlsGatewayNamespace: string;
  let tlsAppNamespace: string;
  let tlsRepoPath: string;
  let tlsRepoUrl: string;
  const tlsBare = () => path.join(gitPeer().root, `${tlsRepoPath}.git`);
  const tlsHeads = () =>
    git([
      '--git-dir',
      tlsBare(),
      'for-each-ref',
      '--format=%(refname) %(objectname)',
    ]);
  const tlsShow = (ref: string, file: string) =>
    git(['--git-dir', tlsBare(), 'show', `${ref}:${file}`]);
  const tlsGateway = () => `${CLUSTER}/${tlsGatewayNamespace}/shared-tls`;
  const routeFolder = () => `shared-gateway-routes/${tlsAppNamespace}/db`;

  /** The platform offers TLS passthrough on host names below apps.example.com. */
  function tlsDeps(): SharedGatewayActionDeps {
    const c = config();
    const withTls = new ConfigReader({
      ...c.get(),
      awsGateway: {
        provisioning: {
          ...(c.get('awsGateway.provisioning') as JsonObject),
          sharedGateways: [
            {
              cluster: CLUSTER,
              namespace: tlsGatewayNamespace,
              name: 'shared-tls',
              gitops: { repoUrl: tlsRepoUrl, path: TLS_FILE },
              listenerPorts: ['20100-20199', '20400-20499'],
              protocols: ['TCP', 'UDP', 'TLS'],
              tlsHostnames: ['*.apps.example.com'],
              allowedRoutes: { from: 'All' },
            },
          ],
        },
      },
    } as JsonObject);
    return { ...deps(), sharedGateways: readSharedGateways(withTls) };
  }

  /** The action's own TLS example, pointed at this test's shared Gateway and namespace. */
  function runTls(extra: JsonObject = {}, isDryRun = false) {
    const example = createSharedListenerAction(tlsDeps()).examples!.find(e =>
      e.example.includes('protocol: TLS'),
    )!;
    const { entityRef: _component, ...input } = yaml.parse(example.example)
      .steps[0].input;
    return runAction(
      createSharedListenerAction(tlsDeps()),
      {
        ...input,
        sharedGateway: tlsGateway(),
        namespace: tlsAppNamespace,
        listenerName: `${tlsAppNamespace}-db`,
        mode: 'pull-request',
        ...extra,
      },
      { workspacePath: workspace(), isDryRun },
    );
  }

  beforeAll(async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    tlsGatewayNamespace = uniqueName('platform-tls');
    tlsAppNamespace = uniqueName('team-t');
    for (const name of [tlsGatewayNamespace, tlsAppNamespace]) {
      await core.createNamespace({ body: { metadata: { name } } });
    }
    const manifest = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: shared-tls
  namespace: ${tlsGatewayNamespace}
spec:
  gatewayClassName: aws-nlb
  listeners:
    - name: platform-dns # the platform's own
      protocol: UDP
      port: 20100
`;
    await serverSideApply(objects, yaml.parse(manifest), 'gitops-agent', []);
    // A Service of the app that already has a TargetGroupConfiguration of its own (written by hand).
    await serverSideApply(
      objects,
      {
        apiVersion: 'gateway.k8s.aws/v1',
        kind: 'TargetGroupConfiguration',
        metadata: { name: 'legacy-db', namespace: tlsAppNamespace },
        spec: {
          targetReference: { name: 'legacy-db' },
          defaultConfiguration: { targetType: 'ip' },
        },
      } as k8s.KubernetesObject,
      'someone',
      [],
    );
    tlsRepoPath = `platform/${uniqueName('shared-tls-gitops')}`;
    tlsRepoUrl = createBareRepo(tlsRepoPath, { [TLS_FILE]: manifest });
  });

  it('dry run: the passthrough listener, the TLSRoute and the TCP TargetGroupConfiguration, accepted by the cluster, nothing pushed', async () => {
    const before = tlsHeads();
    const { outputs, logs } = await runTls({}, true);
    expect(outputs.files).toEqual([
      TLS_FILE,
      `${routeFolder()}/tlsroute-db.yaml`,
      `${routeFolder()}/targetgroupconfiguration-db.yaml`,
    ]);
    expect(outputs.gatewayDiff).toContain(
      '+      hostname: db.team-a.apps.example.com',
    );
    expect(outputs.gatewayDiff).toContain('+        mode: Passthrough');
    expect(outputs.serverDryRun).toBe('passed');
    const log = logs.join('\n');
    expect(log).toContain('kind: TLSRoute');
    expect(log).toMatch(
      /defaultConfiguration:\n\s+targetType: ip\n\s+protocol: TCP/,
    );
    expect(tlsHeads()).toBe(before);
  });

  it.each<[string, JsonObject, RegExp]>([
    [
      'a host name with a wildcard inside',
      { hostname: 'db.*.apps.example.com' },
      /hostname: the host name "db\.\*\.apps\.example\.com" must be a lower-case DNS name.*\[tls-hostname\]/,
    ],
    [
      'a host name the platform does not list',
      { hostname: 'login.bank.example' },
      /hostname: login\.bank\.example is not among the host names .*\[shared-tls-hostname\]/,
    ],
    [
      "the port of the platform's UDP listener",
      { listenerName: 'other', routeName: 'other', listenerPort: 20100 },
      /port 20100 is taken .*\(listener platform-dns, UDP: the NLB would merge them into one TCP_UDP listener.*\[tls-udp-same-port\]\) \[shared-port-taken\]/,
    ],
    [
      'a Service that has a TargetGroupConfiguration of its own',
      {
        listenerName: 'legacy',
        routeName: 'legacy',
        listenerPort: 20144,
        serviceName: 'legacy-db',
      },
      /serviceName: Service .*\/legacy-db already has TargetGroupConfiguration legacy-db \(live on the cluster\): the controller applies only one per Service.*\[shared-target-group-configuration-taken\]/,
    ],
  ])('refuses %s with nothing pushed', async (_what, input, message) => {
    const before = tlsHeads();
    await expect(runTls(input)).rejects.toThrow(message);
    expect(tlsHeads()).toBe(before);
  });

  it('opens a pull request the cluster accepts when applied for real (read back), and a re-run reuses it', async () => {
    const { outputs } = await runTls();
    const branch = `aws-gateway/shared-${tlsAppNamespace}-db`;
    expect(outputs).toMatchObject({
      branch,
      changed: true,
      serverDryRun: 'passed',
    });
    const gateway = yaml.parse(tlsShow(branch, TLS_FILE));
    expect(gateway.spec.listeners[1]).toMatchObject({
      name: `${tlsAppNamespace}-db`,
      protocol: 'TLS',
      port: 20443,
      hostname: 'db.team-a.apps.example.com',
      tls: { mode: 'Passthrough' },
      allowedRoutes: { kinds: [{ kind: 'TLSRoute' }] },
    });
    const route = yaml.parse(
      tlsShow(branch, `${routeFolder()}/tlsroute-db.yaml`),
    );
    const tgc = yaml.parse(
      tlsShow(branch, `${routeFolder()}/targetgroupconfiguration-db.yaml`),
    );
    for (const m of [gateway, route, tgc]) {
      await serverSideApply(objects, m, 'gitops-agent', []);
    }
    const liveRoute: any = await objects.read({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'TLSRoute',
      metadata: { name: 'db', namespace: tlsAppNamespace },
    });
    expect(liveRoute.spec.hostnames).toEqual(['db.team-a.apps.example.com']);
    expect(liveRoute.spec.parentRefs[0]).toMatchObject({
      namespace: tlsGatewayNamespace,
      name: 'shared-tls',
      sectionName: `${tlsAppNamespace}-db`,
    });
    const liveTgc: any = await objects.read({
      apiVersion: 'gateway.k8s.aws/v1',
      kind: 'TargetGroupConfiguration',
      metadata: { name: 'db', namespace: tlsAppNamespace },
    });
    expect(liveTgc.spec).toMatchObject({
      targetReference: { kind: 'Service', name: 'postgres' },
      defaultConfiguration: { targetType: 'ip', protocol: 'TCP' },
    });

    // Our own TargetGroupConfiguration, now live, is not in the way of the re-run.
    const again = await runTls();
    expect(again.outputs).toMatchObject({
      branch,
      changed: false,
      pullRequestNumber: outputs.pullRequestNumber,
    });
  });

  /** The change and remove actions' input for route db on this test's TLS shared Gateway (the TLS change example's). */
  function tlsEditInput(extra: JsonObject = {}): JsonObject {
    const example = createChangeSharedListenerAction(tlsDeps()).examples!.find(
      e => e.example.includes('hostname:'),
    )!;
    const { entityRef: _component, ...input } = yaml.parse(example.example)
      .steps[0].input;
    return {
      ...input,
      sharedGateway: tlsGateway(),
      namespace: tlsAppNamespace,
      ...extra,
    };
  }
  /** The forge's merge of a review branch (a fast-forward of main). */
  const tlsMerge = (branch: string) =>
    git([
      '--git-dir',
      tlsBare(),
      'update-ref',
      'refs/heads/main',
      `refs/heads/${branch}`,
    ]);
  const tlsTree = (ref: string) =>
    git([
      '--git-dir',
      tlsBare(),
      'ls-tree',
      '-r',
      '--name-only',
      ref,
      routeFolder(),
    ])
      .split('\n')
      .filter(Boolean);

  it('merged, the change example moves host name and port in one pull request (listener, TLSRoute, TargetGroupConfiguration); leaving TLS drops the TargetGroupConfiguration', async () => {
    tlsMerge(`aws-gateway/shared-${tlsAppNamespace}-db`);
    const change = (input: JsonObject, isDryRun = false) =>
      runAction(createChangeSharedListenerAction(tlsDeps()), input, {
        workspacePath: workspace(),
        isDryRun,
      });

    // To TCP (a dry run): the route becomes a TCPRoute, the TargetGroupConfiguration goes.
    const toTcp = await change(
      tlsEditInput({ change: { listeners: [{ protocol: 'TCP' }] } }),
      true,
    );
    expect(toTcp.outputs.changes).toEqual([
      `listener ${tlsAppNamespace}-db: protocol TLS → TCP`,
    ]);
    expect(toTcp.outputs.deleted).toEqual([
      `${routeFolder()}/targetgroupconfiguration-db.yaml`,
      `${routeFolder()}/tlsroute-db.yaml`,
    ]);

    const before = tlsHeads();
    const { outputs } = await change(tlsEditInput());
    expect(tlsHeads()).not.toBe(before);
    expect(outputs.changes).toEqual([
      `listener ${tlsAppNamespace}-db: port 20443 → 20444`,
      `listener ${tlsAppNamespace}-db: host name db.team-a.apps.example.com → db-v2.team-a.apps.example.com`,
    ]);
    const branch = outputs.branch as string;
    const listener = yaml
      .parse(tlsShow(branch, TLS_FILE))
      .spec.listeners.find((l: any) => l.name === `${tlsAppNamespace}-db`);
    expect(listener).toMatchObject({
      protocol: 'TLS',
      port: 20444,
      hostname: 'db-v2.team-a.apps.example.com',
      tls: { mode: 'Passthrough' },
    });
    expect(
      yaml.parse(tlsShow(branch, `${routeFolder()}/tlsroute-db.yaml`)).spec
        .hostnames,
    ).toEqual(['db-v2.team-a.apps.example.com']);
    expect(tlsTree(branch)).toEqual([
      `${routeFolder()}/targetgroupconfiguration-db.yaml`,
      `${routeFolder()}/tlsroute-db.yaml`,
    ]);

    // Merged and applied, the remove action takes the listener, the TLSRoute and the TargetGroupConfiguration.
    tlsMerge(branch);
    await serverSideApply(
      objects,
      yaml.parse(tlsShow('main', TLS_FILE)),
      'gitops-agent',
      [],
    );
    const removed = await runAction(
      createRemoveSharedListenerAction(tlsDeps()),
      {
        sharedGateway: tlsGateway(),
        namespace: tlsAppNamespace,
        routeName: 'db',
        mode: 'pull-request',
      },
      { workspacePath: workspace() },
    );
    expect(removed.outputs.deleted).toEqual([
      `${routeFolder()}/targetgroupconfiguration-db.yaml`,
      `${routeFolder()}/tlsroute-db.yaml`,
    ]);
    const removal = removed.outputs.branch as string;
    expect(tlsTree(removal)).toEqual([]);
    expect(
      yaml
        .parse(tlsShow(removal, TLS_FILE))
        .spec.listeners.map((l: any) => l.name),
    ).toEqual(['platform-dns']);
  });

  describe('one TargetGroupConfiguration per Service, also across GitOps', () => {
    let mqPullRequestUrl: string;
    let redisFile: string;
    /** A path or URL, as it stands in a message. */
    const escape = (text: string) =>
      text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    /** A TLS listener for `service` on its own route, port and host name. */
    const tlsFor = (service: string, port: number, isDryRun = false) =>
      runTls(
        {
          listenerName: `${tlsAppNamespace}-${service}`,
          routeName: service,
          listenerPort: port,
          serviceName: service,
          hostname: `${service}.apps.example.com`,
        },
        isDryRun,
      );
    const tgcYaml = (name: string, service: string, protocol?: string) =>
      yaml.stringify({
        apiVersion: 'gateway.k8s.aws/v1',
        kind: 'TargetGroupConfiguration',
        metadata: { name, namespace: tlsAppNamespace },
        spec: {
          targetReference: { name: service },
          defaultConfiguration: {
            targetType: 'ip',
            ...(protocol ? { protocol } : {}),
          },
        },
      });

    it('refuses a Service whose TargetGroupConfiguration is committed on main but not applied yet, naming its file, with nothing pushed', async () => {
      const file = `gateways/${tlsAppNamespace}/cache/targetgroupconfiguration-cache.yaml`;
      redisFile = file;
      pushToMainByHand(
        tlsBare(),
        work => {
          fs.mkdirSync(path.join(work, path.dirname(file)), {
            recursive: true,
          });
          fs.writeFileSync(path.join(work, file), tgcYaml('cache', 'redis'));
        },
        'redis: its own TargetGroupConfiguration (not applied yet)',
      );
      const before = tlsHeads();
      await expect(tlsFor('redis', 20150)).rejects.toThrow(
        new RegExp(
          `serviceName: Service ${tlsAppNamespace}/redis already has TargetGroupConfiguration cache \\(committed in ${file} on main\\): the controller applies only one per Service.*\\[shared-target-group-configuration-taken\\]`,
        ),
      );
      expect(tlsHeads()).toBe(before);
    });

    it("refuses a Service another open pull request gives a TargetGroupConfiguration, naming that pull request; the first developer's re-run is not refused by its own", async () => {
      // A first developer exposes Service mq with TLS: the pull request holds its TargetGroupConfiguration.
      const first = await tlsFor('mq', 20151);
      const url = first.outputs.pullRequestUrl as string;
      expect(url).toMatch(/^http/);
      mqPullRequestUrl = url;
      const before = tlsHeads();
      // A second listener for the same Service (another route and host name) would bring a second one.
      await expect(
        runTls({
          listenerName: `${tlsAppNamespace}-mq-b`,
          routeName: 'mq-b',
          listenerPort: 20152,
          serviceName: 'mq',
          hostname: 'mq-b.apps.example.com',
        }),
      ).rejects.toThrow(
        new RegExp(
          `serviceName: Service ${tlsAppNamespace}/mq already has TargetGroupConfiguration mq \\(proposed in shared-gateway-routes/${tlsAppNamespace}/mq/targetgroupconfiguration-mq\\.yaml by pull request ${escape(
            url,
          )}\\).*\\[shared-target-group-configuration-taken\\]`,
        ),
      );
      expect(tlsHeads()).toBe(before);
      const again = await tlsFor('mq', 20151);
      expect(again.outputs).toMatchObject({
        changed: false,
        pullRequestNumber: first.outputs.pullRequestNumber,
      });
    });

    it('refuses a change of a TLS listener to a Service with another one committed or in review, naming the change field and where', async () => {
      const toService = (service: string) =>
        runAction(
          createChangeSharedListenerAction(tlsDeps()),
          tlsEditInput({
            change: {
              routes: [{ backends: [{ service, port: 5432 }] }],
            },
          }),
          { workspacePath: workspace(), isDryRun: true },
        );
      await expect(toService('mq')).rejects.toThrow(
        new RegExp(
          `change\\.routes\\[0\\]\\.backends\\[0\\]\\.service: Service ${tlsAppNamespace}/mq already has TargetGroupConfiguration mq \\(proposed in .* by pull request ${escape(
            mqPullRequestUrl,
          )}\\).*\\[shared-target-group-configuration-taken\\]`,
        ),
      );
      await expect(toService('redis')).rejects.toThrow(
        new RegExp(
          `change\\.routes\\[0\\]\\.backends\\[0\\]\\.service: Service ${tlsAppNamespace}/redis already has TargetGroupConfiguration cache \\(committed in ${escape(
            redisFile,
          )} on main\\)`,
        ),
      );
    });

    it('does not reuse a live one that already says protocol TCP with ip targets, and says why', async () => {
      await serverSideApply(
        objects,
        yaml.parse(tgcYaml('kafka-tcp', 'kafka', 'TCP')),
        'someone',
        [],
      );
      await expect(tlsFor('kafka', 20154, true)).rejects.toThrow(
        /Service .*\/kafka already has TargetGroupConfiguration kafka-tcp \(live on the cluster\); it says protocol TCP with ip targets, as this listener needs, but it is not reused: it belongs to the endpoint that wrote it, whose change or removal would silently leave this passthrough listener TLS target groups.*\[shared-target-group-configuration-taken\]/,
      );
    });
  });
});

/**
 * Security (issue 9, classes 1, 2, 4 and 8 for GitOps): aws-gateway:gitops:commit
 * and the GitOps repository against the real git peer, attacked the way a user
 * with an ordinary account could: repository content (symbolic links,
 * submodules), repository URLs (dot segments, encodings, userinfo), files
 * that our render actions did not produce, a second path for the same
 * Gateway, and a stalled git server (SIGSTOP of the process serving it).
 *
 * Every attack must be refused (or land only in the repository), with an
 * error naming the field and the rule, leaving the repository, the host's
 * files and the other repositories as they were.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { onFirstPush } from './support/firstPush';
import { GitOpsRepository } from '@gateway-portal/plugin-aws-gateway-node';
import { createBareRepo, gitPeer, loadPeers, uniqueName } from '../peers';
import { CLASSIC_ENDPOINT } from './support/classicEndpoint';
import {
  CLASSIC_PATH,
  commitAction,
  CONTROLLER_CLUSTER,
  gitopsConfig,
  renderedWorkspace,
} from './support/gitopsActions';
import { runAction } from './support/actionRun';
import {
  BareRepo,
  startTemplatesPortal,
  TemplatesPortal,
} from './support/templatesPortal';

const attacks: string[] = [];
const drills: string[] = [];

afterAll(() => {
  console.log(
    `GitOps attack cases refused: ${attacks.length}\n  ${attacks.join('\n  ')}`,
  );
  if (drills.length)
    console.log(`GitOps fault drills:\n  ${drills.join('\n  ')}`);
});

function git(args: string[], cwd?: string): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'attacker',
      GIT_AUTHOR_EMAIL: 'a@example.com',
      GIT_COMMITTER_NAME: 'attacker',
      GIT_COMMITTER_EMAIL: 'a@example.com',
      GIT_CONFIG_NOSYSTEM: '1',
    },
  }).trim();
}

/** A repository under platform/ whose main branch also holds what `prepare` adds in a work tree (links, submodules). */
function hostileRepo(prepare: (work: string) => void): {
  repo: BareRepo;
  repoUrl: string;
} {
  const name = `platform/${uniqueName('hostile')}`;
  const repoUrl = createBareRepo(name, { 'README.md': '# gitops\n' });
  const repo = new BareRepo(name);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hostile-work-'));
  try {
    git(['clone', '-q', repo.dir, work]);
    prepare(work);
    git(['add', '-A'], work);
    git(['commit', '-q', '-m', 'hostile content'], work);
    git(['push', '-q', 'origin', 'main'], work);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  return { repo, repoUrl };
}

/** A file outside every repository and workspace that an attack would like to overwrite. */
interface Sentinel {
  dir: string;
  file: string;
  check(): void;
}

function sentinel(): Sentinel {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-sentinel-'));
  const file = path.join(dir, 'gateway-aws-tcp-gateway.yaml');
  fs.writeFileSync(file, 'untouched\n');
  const past = new Date(Date.now() - 60_000);
  fs.utimesSync(file, past, past);
  const { mtimeMs } = fs.statSync(file);
  return {
    dir,
    file,
    check() {
      expect(fs.readFileSync(file, 'utf8')).toBe('untouched\n');
      expect(fs.statSync(file).mtimeMs).toBe(mtimeMs);
      expect(fs.readdirSync(dir)).toEqual(['gateway-aws-tcp-gateway.yaml']);
    },
  };
}

/** What the old implementation left in the temp directory (a checkout); the new one writes no file at all. */
const checkouts = () =>
  fs
    .readdirSync(os.tmpdir())
    .filter(n => n.startsWith('aws-gateway-gitops-'))
    .sort();

describe('GitOps security against the git peer', () => {
  let workspace: string;
  let guard: Sentinel;
  let tmpBefore: string[];

  beforeEach(async () => {
    workspace = await renderedWorkspace();
    guard = sentinel();
    tmpBefore = checkouts();
  });
  afterEach(() => {
    guard.check();
    expect(checkouts()).toEqual(tmpBefore);
    fs.rmSync(workspace, { recursive: true, force: true });
    fs.rmSync(guard.dir, { recursive: true, force: true });
  });

  const commit = (
    repoUrl: string,
    input: Record<string, unknown> = {},
    isDryRun = false,
    config = gitopsConfig(),
  ) =>
    runAction(
      commitAction(config),
      {
        repoUrl,
        branch: 'main',
        sourcePath: 'manifests',
        commitMessage: 'Expose backend',
        ...input,
      },
      { workspacePath: workspace, isDryRun },
    );

  /** Runs an attack that must be refused; the repository must not move. */
  async function refused(
    name: string,
    repo: BareRepo,
    attack: () => Promise<unknown>,
    message: string | RegExp,
  ) {
    const head = repo.head();
    const branches = repo.branches();
    const error = await attack().then(
      () => undefined,
      e => e,
    );
    expect(error).toBeDefined();
    expect(error.message).toMatch(message);
    expect(repo.head()).toBe(head);
    expect(repo.branches()).toEqual(branches);
    attacks.push(`${name}: ${error.message.split('\n')[0].slice(0, 150)}`);
  }

  describe('symbolic links and submodules in the repository (class 1)', () => {
    it.each<[string, (work: string, outside: Sentinel) => void, RegExp]>([
      [
        'the target folder is a link to a directory outside the clone',
        (w, s) => fs.symlinkSync(s.dir, path.join(w, 'gateways')),
        /"gateways", which is a symbolic link in the GitOps repository/,
      ],
      [
        'the target folder is a relative link climbing out of the clone',
        w =>
          fs.symlinkSync(
            '../../../../../../../../tmp',
            path.join(w, 'gateways'),
          ),
        /"gateways", which is a symbolic link/,
      ],
      [
        'a nested folder is a link outside the clone',
        (w, s) => {
          fs.mkdirSync(path.join(w, 'gateways/default'), { recursive: true });
          fs.symlinkSync(
            s.dir,
            path.join(w, 'gateways/default/aws-tcp-gateway'),
          );
        },
        /"gateways\/default\/aws-tcp-gateway", which is a symbolic link/,
      ],
      [
        'the manifest file itself is a link to a file outside',
        (w, s) => {
          fs.mkdirSync(path.join(w, CLASSIC_PATH), { recursive: true });
          fs.symlinkSync(
            s.file,
            path.join(w, CLASSIC_PATH, 'gateway-aws-tcp-gateway.yaml'),
          );
        },
        /gateway-aws-tcp-gateway.yaml", which is a symbolic link/,
      ],
      [
        'the manifest file is a link to .git/config (to redirect the push)',
        w => {
          fs.mkdirSync(path.join(w, CLASSIC_PATH), { recursive: true });
          fs.symlinkSync(
            '../../../.git/config',
            path.join(w, CLASSIC_PATH, 'gateway-aws-tcp-gateway.yaml'),
          );
        },
        /gateway-aws-tcp-gateway.yaml", which is a symbolic link/,
      ],
      [
        'the target folder is a submodule',
        w => {
          // An embedded repository: `git add` records it as a gitlink (mode 160000).
          const inner = path.join(w, CLASSIC_PATH);
          fs.mkdirSync(inner, { recursive: true });
          git(['init', '-q', '-b', 'main', inner]);
          fs.writeFileSync(path.join(inner, 'x'), 'x');
          git(['add', 'x'], inner);
          git(['commit', '-q', '-m', 'inner'], inner);
        },
        /"gateways\/default\/aws-tcp-gateway", which is a submodule/,
      ],
    ])(
      'refuses a commit when %s, writing nothing outside the repository',
      async (name, prepare, message) => {
        const { repo, repoUrl } = hostileRepo(w => prepare(w, guard));
        // Read-only, as the templates' first step does it before any write anywhere.
        const check = () =>
          GitOpsRepository.fromConfig(gitopsConfig()).checkWritableDirectory(
            repoUrl,
            { branch: 'main', directory: CLASSIC_PATH },
          );
        await refused(
          `gitops:check of the folder: ${name}`,
          repo,
          check,
          message,
        );
        await refused(`commit: ${name}`, repo, () => commit(repoUrl), message);
        await refused(
          `dry run: ${name}`,
          repo,
          () => commit(repoUrl, {}, true),
          message,
        );
        await refused(
          `pull request: ${name}`,
          repo,
          () =>
            commit(repoUrl, {
              mode: 'pull-request',
              branch: 'aws-gateway/x',
              baseBranch: 'main',
            }),
          message,
        );
      },
    );

    it('commits next to a link elsewhere in the repository: the commit lands only in the repository, and the link is kept', async () => {
      const { repo, repoUrl } = hostileRepo(w => {
        fs.symlinkSync(guard.dir, path.join(w, 'elsewhere'));
        fs.symlinkSync('../.git/config', path.join(w, 'config-link'));
      });
      const before = repo.commitCount();
      const { outputs } = await commit(repoUrl);
      expect(outputs.changed).toBe(true);
      expect(repo.commitCount()).toBe(before + 1);
      expect(repo.files()).toEqual(
        expect.arrayContaining([
          `${CLASSIC_PATH}/gateway-aws-tcp-gateway.yaml`,
          'elsewhere',
          'config-link',
        ]),
      );
      // Still links (mode 120000) pointing where they did.
      expect(
        git([
          '--git-dir',
          repo.dir,
          'ls-tree',
          'main',
          'elsewhere',
          'config-link',
        ]),
      ).toMatch(
        /^120000 blob [0-9a-f]+\tconfig-link\n120000 blob [0-9a-f]+\telsewhere$/,
      );
      expect(git(['--git-dir', repo.dir, 'fsck', '--strict'])).toBe('');
      // The push went to the allowed repository: its config is the peer's, unchanged.
      expect(
        git(['--git-dir', repo.dir, 'config', '--get', 'http.receivepack']),
      ).toBe('true');
    });
  });

  it('writes nothing in a dry run: no push, no file on the host, a real commit id', async () => {
    const name = `platform/${uniqueName('dry')}`;
    const repoUrl = createBareRepo(name, { 'README.md': '# gitops\n' });
    const repo = new BareRepo(name);
    const head = repo.head();
    const { outputs } = await commit(repoUrl, {}, true);
    expect(outputs.commitSha).toMatch(/^[0-9a-f]{40}$/);
    expect(outputs.commitSha).not.toBe(head);
    expect(repo.head()).toBe(head);
    expect(repo.branches()).toEqual(['main']);
  });

  describe('repository URLs (class 2)', () => {
    let secret: BareRepo;
    let secretPulls: () => Promise<unknown[]>;
    const allowed = () =>
      gitopsConfig({ allowedRepoUrls: [`${gitPeer().baseUrl}platform/*`] });

    beforeAll(() => {
      const name = `secret/${uniqueName('gitops')}`;
      createBareRepo(name, { 'README.md': '# not for the portal\n' });
      secret = new BareRepo(name);
      secretPulls = async () => {
        const { baseUrl, user, password } = gitPeer();
        const res = await fetch(
          `${baseUrl}api/v1/repos/${name}/pulls?state=all`,
          {
            headers: {
              authorization: `Basic ${Buffer.from(
                `${user}:${password}`,
              ).toString('base64')}`,
            },
          },
        );
        return res.json();
      };
    });

    const target = () => secret.name.split('/')[1];
    const urls: Array<[string, () => string, string | RegExp]> = [
      [
        'dot segments',
        () => `${gitPeer().baseUrl}platform/../secret/${target()}.git`,
        'must not have dot segments',
      ],
      [
        'percent-encoded dot segments',
        () => `${gitPeer().baseUrl}platform/%2e%2e/secret/${target()}.git`,
        'must not percent-encode its path',
      ],
      [
        'upper-case encoded dots',
        () => `${gitPeer().baseUrl}platform/%2E%2E/secret/${target()}.git`,
        'must not percent-encode its path',
      ],
      [
        'a mixed dot segment',
        () => `${gitPeer().baseUrl}platform/.%2e/secret/${target()}.git`,
        'must not percent-encode its path',
      ],
      [
        'an encoded slash',
        () => `${gitPeer().baseUrl}platform/..%2fsecret%2f${target()}.git`,
        'must not percent-encode its path',
      ],
      [
        'double encoding',
        () => `${gitPeer().baseUrl}platform/%252e%252e/secret/${target()}.git`,
        'must not percent-encode its path',
      ],
      [
        'backslashes',
        () => `${gitPeer().baseUrl}platform\\..\\secret/${target()}.git`,
        'must not contain backslashes',
      ],
      [
        'userinfo',
        () =>
          `${gitPeer().baseUrl.replace(
            'http://',
            'http://platform@',
          )}secret/${target()}.git`,
        'must not contain credentials',
      ],
      [
        'a query',
        () =>
          `${gitPeer().baseUrl}platform/x.git?/../../secret/${target()}.git`,
        'must not have a query or a fragment',
      ],
      [
        'a repository outside the prefix',
        () => `${gitPeer().baseUrl}secret/${target()}.git`,
        /is not allowed; it must be listed in awsGateway.provisioning.gitops.allowedRepoUrls/,
      ],
    ];

    it('uses a real attack: a URL resolver sends the dot segments to the secret repository', () => {
      const [, dotSegments] = urls.find(([name]) => name === 'dot segments')!;
      expect(new URL(dotSegments()).pathname).toBe(`/secret/${target()}.git`);
    });

    it.each(urls)(
      'refuses %s in mode commit and pull-request, reaching no other repository',
      async (name, url, message) => {
        const raw = url();
        await refused(
          `URL with ${name} (commit)`,
          secret,
          () => commit(raw, {}, false, allowed()),
          message,
        );
        await refused(
          `URL with ${name} (pull request)`,
          secret,
          () =>
            commit(
              raw,
              {
                mode: 'pull-request',
                branch: 'aws-gateway/x',
                baseBranch: 'main',
              },
              false,
              allowed(),
            ),
          message,
        );
        expect(await secretPulls()).toEqual([]);
      },
    );
  });

  describe('only what the render actions produced, at its one path (classes 4 and 8)', () => {
    let repo: BareRepo;
    let repoUrl: string;
    beforeEach(() => {
      const name = `platform/${uniqueName('content')}`;
      repoUrl = createBareRepo(name, { 'README.md': '# gitops\n' });
      repo = new BareRepo(name);
    });

    const write = (file: string, content: string) =>
      fs.writeFileSync(path.join(workspace, file), content);
    const edit = (file: string, change: (t: string) => string) =>
      write(file, change(fs.readFileSync(path.join(workspace, file), 'utf8')));

    it.each<[string, () => void, Record<string, unknown>, string | RegExp]>([
      [
        'a cluster-admin ClusterRoleBinding next to the rendered manifests',
        () =>
          write(
            'manifests/zz-admin.yaml',
            'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: portal-admin\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}\nsubjects: [{kind: Group, name: "system:authenticated", apiGroup: rbac.authorization.k8s.io}]\n',
          ),
        {},
        /files: "zz-admin.yaml" is a ClusterRoleBinding; aws-gateway:gitops:commit commits only what .* \[foreign-kind\]/,
      ],
      [
        'a workspace holding only a hand-written ClusterRoleBinding',
        () => {
          fs.mkdirSync(path.join(workspace, 'own'));
          write(
            'own/rbac.yaml',
            'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: x\n',
          );
        },
        { sourcePath: 'own' },
        /\[foreign-kind\]/,
      ],
      [
        'a Secret hidden as a second YAML document',
        () =>
          edit(
            'manifests/gateway-aws-tcp-gateway.yaml',
            t => `${t}---\napiVersion: v1\nkind: Secret\nmetadata: {name: x}\n`,
          ),
        {},
        /must hold exactly one YAML document/,
      ],
      [
        'a rendered Gateway edited by hand to accept routes from every namespace',
        () =>
          edit('manifests/gateway-aws-tcp-gateway.yaml', t =>
            t.replace('from: Same', 'from: All'),
          ),
        {},
        /files: "gateway-aws-tcp-gateway.yaml" is not what aws-gateway:endpoint:render renders for Gateway default\/aws-tcp-gateway .* \[not-rendered\]/,
      ],
      [
        'manifests moved to a namespace configuration does not allow',
        () => {
          for (const f of fs.readdirSync(path.join(workspace, 'manifests')))
            edit(`manifests/${f}`, t =>
              t.replace(/namespace: default/g, 'namespace: kube-system'),
            );
        },
        {},
        /namespace "kube-system" is not allowed.*\[namespace-not-allowed\]/s,
      ],
      [
        'the same Gateway under a second path',
        () => undefined,
        { targetPath: 'clusters/prod/gateways/default/aws-tcp-gateway' },
        /targetPath: .* the repository layout is fixed so one object has one path: gateways\/default\/aws-tcp-gateway \[fixed-layout\]/,
      ],
      [
        'Helm values with another controller image',
        () =>
          edit(
            'controller/aws-load-balancer-controller-values.yaml',
            t =>
              `${t}image:\n  repository: evil.example/aws-load-balancer-controller\n`,
          ),
        { sourcePath: 'controller' },
        /is not what aws-gateway:controller:render renders/,
      ],
      [
        'a controller setup for a cluster configuration does not allow',
        () => {
          for (const f of fs.readdirSync(path.join(workspace, 'controller')))
            edit(`controller/${f}`, t =>
              t.split(CONTROLLER_CLUSTER).join('someone-elses'),
            );
        },
        { sourcePath: 'controller' },
        /clusterName: "someone-elses" is not allowed/,
      ],
      [
        'a link in the workspace to a host file',
        () =>
          fs.symlinkSync(
            '/etc/passwd',
            path.join(workspace, 'manifests/passwd.yaml'),
          ),
        {},
        /sourcePath: "manifests\/passwd.yaml" is a symbolic link/,
      ],
    ])(
      'refuses %s before any git call',
      async (name, tamper, input, message) => {
        tamper();
        await refused(name, repo, () => commit(repoUrl, input), message);
      },
    );

    it('commits the rendered endpoint at its one path, and a re-run changes nothing', async () => {
      const first = await commit(repoUrl);
      expect(first.outputs).toMatchObject({
        changed: true,
        targetPath: CLASSIC_PATH,
      });
      expect(repo.files().filter(f => f.startsWith('gateways/'))).toEqual(
        fs
          .readdirSync(path.join(workspace, 'manifests'))
          .map(f => `${CLASSIC_PATH}/${f}`)
          .sort(),
      );
      const again = await commit(repoUrl, { targetPath: `/${CLASSIC_PATH}/` });
      expect(again.outputs).toMatchObject({
        changed: false,
        commitSha: first.outputs.commitSha,
      });
      const controller = await commit(repoUrl, { sourcePath: 'controller' });
      expect(controller.outputs.targetPath).toBe(
        `clusters/${CONTROLLER_CLUSTER}/aws-load-balancer-controller`,
      );
    });
  });

  describe('a stalled git server (fault drill)', () => {
    const peersPid = () => loadPeers().pid;
    const fast = () =>
      gitopsConfig({ timeouts: { requestSeconds: 2, operationSeconds: 6 } });

    it('fails a commit in bounded time with a clear error, writes nothing, and a re-run after it resumes finishes', async () => {
      const pid = peersPid();
      // The git peer runs in the peers process (not this one): stopping it stalls every git request.
      expect(pid).not.toBe(process.pid);
      const name = `platform/${uniqueName('stall')}`;
      const repoUrl = createBareRepo(name, { 'README.md': '# gitops\n' });
      const repo = new BareRepo(name);
      const head = repo.head();

      let failedAfter = 0;
      let error: any;
      process.kill(pid, 'SIGSTOP');
      try {
        const started = Date.now();
        error = await commit(repoUrl, {}, false, fast()).then(
          () => undefined,
          e => e,
        );
        failedAfter = Date.now() - started;
      } finally {
        process.kill(pid, 'SIGCONT');
      }
      expect(error?.message).toMatch(
        /^the GitOps repository did not answer in time \(listing its branches: no response within 2 s\)/,
      );
      expect(error.message).not.toContain(gitPeer().password);
      expect(failedAfter).toBeLessThan(5_000);
      expect(repo.head()).toBe(head);

      const resumedStart = Date.now();
      const { outputs } = await commit(repoUrl, {}, false, fast());
      const resumedAfter = Date.now() - resumedStart;
      expect(outputs.changed).toBe(true);
      expect(repo.commitCount()).toBe(2);
      drills.push(
        `git server SIGSTOPped during a commit: refused after ${failedAfter} ms (2 s request deadline); re-run after SIGCONT committed in ${resumedAfter} ms`,
      );
    });

    it('fails a commit whose push stalls within the operation deadline; a re-run after it resumes leaves exactly one commit', async () => {
      const pid = peersPid();
      const name = `platform/${uniqueName('stall-push')}`;
      const repoUrl = createBareRepo(name, { 'README.md': '# gitops\n' });
      const repo = new BareRepo(name);
      // The server stops the moment our push starts: the pack may be half sent.
      const stall = onFirstPush(() => process.kill(pid, 'SIGSTOP'));
      // A long request deadline: the operation's 6 s deadline is the one that must stop the push.
      const config = gitopsConfig({
        timeouts: { requestSeconds: 30, operationSeconds: 6 },
      });
      const repository = GitOpsRepository.fromConfig(config, {
        wrapHttp: stall.wrapHttp,
      });
      const files = fs
        .readdirSync(path.join(workspace, 'manifests'))
        .map(f => ({
          path: `${CLASSIC_PATH}/${f}`,
          content: fs.readFileSync(
            path.join(workspace, 'manifests', f),
            'utf8',
          ),
        }));
      const attempt = () =>
        repository.commitFiles({
          repoUrl,
          branch: 'main',
          files,
          message: 'Expose backend',
          author: { name: 'Jane', email: 'jane@example.com' },
        });
      let failedAfter = 0;
      let error: any;
      try {
        const started = Date.now();
        error = await attempt().then(
          () => undefined,
          e => e,
        );
        failedAfter = Date.now() - started;
      } finally {
        if (stall.happened()) process.kill(pid, 'SIGCONT');
      }
      expect(stall.happened()).toBe(true);
      expect(error?.message).toBe(
        'the GitOps repository did not answer in time (pushing the commit: 6 s deadline); run the task again: a re-run makes no second commit',
      );
      expect(failedAfter).toBeLessThan(9_000);
      const resumedStart = Date.now();
      const again = await attempt();
      const resumedAfter = Date.now() - resumedStart;
      // Whether or not the stalled push landed once the server resumed, the content is there exactly once.
      expect(repo.commitCount()).toBe(2);
      expect(repo.files().filter(f => f.startsWith('gateways/'))).toEqual(
        files.map(f => f.path).sort(),
      );
      drills.push(
        `git server SIGSTOPped at the start of the push: refused after ${failedAfter} ms (6 s operation deadline); re-run after SIGCONT ${
          again.changed ? 'committed' : 'found the content already pushed'
        } in ${resumedAfter} ms, one commit in all`,
      );
    });

    it("stops a read-only check (describeRemote) at the deadline, and the task's cancellation stops it sooner", async () => {
      const pid = peersPid();
      const name = `platform/${uniqueName('stall-check')}`;
      const repoUrl = createBareRepo(name, { 'README.md': '# gitops\n' });
      const repository = GitOpsRepository.fromConfig(fast());
      let deadlineAfter = 0;
      let cancelledAfter = 0;
      process.kill(pid, 'SIGSTOP');
      try {
        let started = Date.now();
        await expect(repository.describeRemote(repoUrl)).rejects.toThrow(
          'the GitOps repository did not answer in time',
        );
        deadlineAfter = Date.now() - started;
        const cancel = new AbortController();
        setTimeout(() => cancel.abort(), 300);
        started = Date.now();
        await expect(
          repository.describeRemote(repoUrl, { signal: cancel.signal }),
        ).rejects.toThrow('listing its branches was cancelled');
        cancelledAfter = Date.now() - started;
      } finally {
        process.kill(pid, 'SIGCONT');
      }
      expect(deadlineAfter).toBeLessThan(5_000);
      expect(cancelledAfter).toBeLessThan(1_500);
      expect(
        Object.keys((await repository.describeRemote(repoUrl)).branches),
      ).toEqual(['main']);
      drills.push(
        `git server SIGSTOPped during gitops:check: deadline after ${deadlineAfter} ms, task cancellation after ${cancelledAfter} ms; answers again after SIGCONT`,
      );
    });
  });
});

/**
 * The same guardrails inside the real backend, through the scaffolder's REST
 * API: one-step templates in a dry run, which is what anyone who can write a
 * template can run. The files a template brings (`fetch:plain` from the
 * template's own directory) are the hostile content here.
 */
describe('GitOps security through the real scaffolder (dry-run API)', () => {
  let env: TemplatesPortal;
  let repo: BareRepo;
  let repoUrl: string;

  beforeAll(async () => {
    env = await startTemplatesPortal('security-gitops');
    const name = `platform/${uniqueName('scaffolder')}`;
    repoUrl = createBareRepo(name, { 'README.md': '# gitops\n' });
    repo = new BareRepo(name);
  }, 600_000);
  afterAll(async () => {
    await env?.stop();
  });

  const render = {
    id: 'render',
    name: 'render',
    action: 'aws-gateway:endpoint:render',
    input: { ...CLASSIC_ENDPOINT, serverDryRun: false, outputDir: 'manifests' },
  };
  const commitStep = (input: Record<string, unknown> = {}) => ({
    id: 'commit',
    name: 'commit',
    action: 'aws-gateway:gitops:commit',
    input: {
      repoUrl,
      branch: 'main',
      sourcePath: 'manifests',
      commitMessage: 'm',
      ...input,
    },
  });
  const fromTemplateDir = {
    id: 'fetch',
    name: 'fetch',
    action: 'fetch:plain',
    input: { url: './skeleton', targetPath: 'manifests' },
  };

  /** POST /api/scaffolder/v2/dry-run with files in the template's directory; returns the error text or '' on success. */
  async function dryRun(
    steps: unknown[],
    files: Record<string, string> = {},
  ): Promise<{ status: number; text: string }> {
    const { status, body } = await env.client.request(
      'POST',
      '/api/scaffolder/v2/dry-run',
      {
        template: {
          apiVersion: 'scaffolder.backstage.io/v1beta3',
          kind: 'Template',
          metadata: { name: 'hostile', namespace: 'default' },
          spec: { owner: 'guests', type: 'test', parameters: [], steps },
        },
        values: {},
        secrets: {},
        directoryContents: Object.entries(files).map(([p, content]) => ({
          path: p,
          base64Content: Buffer.from(content).toString('base64'),
        })),
      },
    );
    if (status !== 200)
      return { status, text: `${body?.error?.name}: ${body?.error?.message}` };
    const failed = (body.log ?? []).filter(
      (l: any) => l.body.status === 'failed',
    );
    return {
      status: failed.length ? 500 : 200,
      text: (body.log ?? []).map((l: any) => l.body.message).join('\n'),
    };
  }

  async function refusedByScaffolder(
    name: string,
    steps: unknown[],
    files: Record<string, string>,
    message: RegExp,
  ) {
    const head = repo.head();
    const result = await dryRun(steps, files);
    expect(result.status).not.toBe(200);
    expect(result.text).toMatch(message);
    expect(repo.head()).toBe(head);
    expect(repo.branches()).toEqual(['main']);
    attacks.push(
      `scaffolder dry run: ${name}: ${result.text
        .match(message)![0]
        .slice(0, 150)}`,
    );
  }

  it('accepts the render step followed by the commit step (control), writing nothing in a dry run', async () => {
    const head = repo.head();
    const result = await dryRun([render, commitStep()]);
    expect(result).toMatchObject({ status: 200 });
    expect(repo.head()).toBe(head);
  });

  it('refuses a cluster-admin binding a template brings along', async () => {
    await refusedByScaffolder(
      'ClusterRoleBinding from the template directory',
      [fromTemplateDir, commitStep()],
      {
        'skeleton/admin.yaml':
          'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: portal-admin\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}\n',
      },
      /files: "admin.yaml" is a ClusterRoleBinding; aws-gateway:gitops:commit commits only what .*\[foreign-kind\]/,
    );
  });

  it('refuses the same Gateway under a second path', async () => {
    await refusedByScaffolder(
      'second path for a Gateway',
      [render, commitStep({ targetPath: 'elsewhere/aws-tcp-gateway' })],
      {},
      /targetPath: "elsewhere\/aws-tcp-gateway" is not where the Gateway default\/aws-tcp-gateway lives; .*\[fixed-layout\]/,
    );
  });

  it.each([
    [
      'dot segments',
      (u: string) => u.replace('/platform/', '/platform/../secret/'),
      /must not have dot segments/,
    ],
    [
      'encoded dot segments',
      (u: string) => u.replace('/platform/', '/platform/%2e%2e/secret/'),
      /must not percent-encode its path/,
    ],
  ])(
    'refuses a repository URL with %s, in mode commit and pull-request',
    async (name, change, message) => {
      await refusedByScaffolder(
        `URL with ${name} (commit)`,
        [render, commitStep({ repoUrl: change(repoUrl) })],
        {},
        message,
      );
      await refusedByScaffolder(
        `URL with ${name} (pull request)`,
        [
          render,
          commitStep({
            repoUrl: change(repoUrl),
            mode: 'pull-request',
            branch: 'aws-gateway/x',
            baseBranch: 'main',
          }),
        ],
        {},
        message,
      );
    },
  );

  it('refuses to commit through a symbolic link in the repository', async () => {
    const hostile = hostileRepo(w =>
      fs.symlinkSync('/tmp', path.join(w, 'gateways')),
    );
    const guard = sentinel();
    try {
      const head = hostile.repo.head();
      // The templates' first step, read-only, before any other step writes anything.
      const checked = await dryRun([
        {
          id: 'check',
          name: 'check',
          action: 'aws-gateway:gitops:check',
          input: {
            repoUrl: hostile.repoUrl,
            branch: 'main',
            gateway: 'default/aws-tcp-gateway',
          },
        },
      ]);
      expect(checked.status).not.toBe(200);
      expect(checked.text).toMatch(
        /"gateways", which is a symbolic link in the GitOps repository/,
      );
      const result = await dryRun([
        render,
        commitStep({ repoUrl: hostile.repoUrl }),
      ]);
      expect(result.text).toMatch(
        /"gateways", which is a symbolic link in the GitOps repository/,
      );
      expect(hostile.repo.head()).toBe(head);
      guard.check();
      attacks.push(
        'scaffolder dry run: symbolic link on the target path: refused by gitops:check (first step) and by gitops:commit',
      );
    } finally {
      fs.rmSync(guard.dir, { recursive: true, force: true });
    }
  });
});

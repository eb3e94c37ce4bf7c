/**
 * Integration: GitOpsRepository against the git peer (git http-backend over
 * smart HTTP with basic auth), credentials from Backstage's SCM integration
 * config (gitea type: username + password).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { onFirstPush } from './support/firstPush';
import { GitOpsRepository } from '@gateway-portal/plugin-aws-gateway-node';
import { createBareRepo, gitPeer, uniqueName } from '../peers';
import {
  CLASSIC_PATH,
  commitAction,
  gitopsConfig,
  renderedWorkspace,
} from './support/gitopsActions';
import { runAction } from './support/actionRun';

const author = { name: 'Jane Doe', email: 'jane@example.com' };

const integrationsConfig = (password?: string) => gitopsConfig({ password });

function bareDir(name: string) {
  return path.join(gitPeer().root, `${name}.git`);
}

function git(args: string[], cwd?: string): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'other',
      GIT_AUTHOR_EMAIL: 'o@example.com',
      GIT_COMMITTER_NAME: 'other',
      GIT_COMMITTER_EMAIL: 'o@example.com',
      GIT_CONFIG_NOSYSTEM: '1',
    },
  }).trim();
}

const log = (name: string, branch = 'main') =>
  git(['--git-dir', bareDir(name), 'log', '--format=%H %P', branch]).split(
    '\n',
  );
const show = (name: string, ref: string) =>
  git(['--git-dir', bareDir(name), 'show', ref]);

describe('GitOpsRepository against a smart-HTTP git server', () => {
  let name: string;
  let repoUrl: string;
  const repo = () => GitOpsRepository.fromConfig(integrationsConfig());

  beforeEach(() => {
    name = uniqueName('gitops');
    repoUrl = createBareRepo(name, {
      'README.md': '# gitops\n',
      'apps/existing.yaml': 'kind: ConfigMap\n',
    });
  });

  const commit = (
    files: Record<string, string>,
    extra: Record<string, unknown> = {},
    repository = repo(),
  ) =>
    repository.commitFiles({
      repoUrl,
      branch: 'main',
      files: Object.entries(files).map(([p, content]) => ({
        path: p,
        content,
      })),
      message: 'Add gateway',
      author,
      ...extra,
    });

  it('commits new files, and a re-run with the same content makes no commit', async () => {
    const first = await commit({
      'apps/gw/gateway.yaml': 'kind: Gateway\n',
      'apps/gw/route.yaml': 'kind: TCPRoute\n',
    });
    expect(first).toMatchObject({
      changed: true,
      branch: 'main',
      branchCreated: false,
      attempts: 1,
    });
    expect(first.files).toEqual([
      { path: 'apps/gw/gateway.yaml', status: 'added' },
      { path: 'apps/gw/route.yaml', status: 'added' },
    ]);
    expect(log(name)[0].split(' ')[0]).toBe(first.commitSha);
    expect(first.commitUrl).toBe(
      `${repoUrl.replace(/\.git$/, '')}/commit/${first.commitSha}`,
    );
    expect(show(name, `main:apps/gw/gateway.yaml`)).toBe('kind: Gateway');
    expect(show(name, 'main')).toContain('Author: Jane Doe <jane@example.com>');

    const again = await commit({
      'apps/gw/gateway.yaml': 'kind: Gateway\n',
      'apps/gw/route.yaml': 'kind: TCPRoute\n',
    });
    expect(again).toMatchObject({ changed: false, commitSha: first.commitSha });
    expect(log(name)).toHaveLength(2);
  });

  it('refuses to replace a different existing file unless told to', async () => {
    await expect(
      commit({ 'apps/existing.yaml': 'kind: Secret\n' }),
    ).rejects.toThrow(
      'apps/existing.yaml already exists on main with different content; set overwrite to replace',
    );
    expect(log(name)).toHaveLength(1);
    const replaced = await commit(
      { 'apps/existing.yaml': 'kind: Secret\n' },
      { overwrite: true },
    );
    expect(replaced.files).toEqual([
      { path: 'apps/existing.yaml', status: 'updated' },
    ]);
    expect(show(name, 'main:apps/existing.yaml')).toBe('kind: Secret');
  });

  it('creates a missing branch from the base branch and leaves main alone', async () => {
    const result = await commit(
      { 'apps/gw/gateway.yaml': 'kind: Gateway\n' },
      { branch: 'backstage/gw' },
    );
    expect(result).toMatchObject({ branchCreated: true, changed: true });
    const [tip, parent] = log(name, 'backstage/gw')[0].split(' ');
    expect(tip).toBe(result.commitSha);
    expect(parent).toBe(log(name)[0].split(' ')[0]);
    expect(log(name)).toHaveLength(1);
  });

  it('computes the commit in a dry run without pushing', async () => {
    const result = await commit(
      { 'apps/gw/gateway.yaml': 'kind: Gateway\n' },
      { dryRun: true },
    );
    expect(result.changed).toBe(true);
    expect(result.commitSha).toMatch(/^[0-9a-f]{40}$/);
    expect(log(name)).toHaveLength(1);
  });

  it('after a concurrent push, starts again from the new head instead of forcing', async () => {
    // Another writer pushes right before our first push reaches the server.
    const race = onFirstPush(() => {
      const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-race-'));
      git(['clone', '-q', bareDir(name), work]);
      fs.writeFileSync(path.join(work, 'other.yaml'), 'kind: Other\n');
      git(['add', '-A'], work);
      git(['commit', '-q', '-m', 'concurrent'], work);
      git(['push', '-q', 'origin', 'main'], work);
      fs.rmSync(work, { recursive: true, force: true });
    });
    const repository = GitOpsRepository.fromConfig(integrationsConfig(), {
      wrapHttp: race.wrapHttp,
    });
    const result = await commit(
      { 'apps/gw/gateway.yaml': 'kind: Gateway\n' },
      {},
      repository,
    );
    expect(race.happened()).toBe(true);
    expect(result.attempts).toBe(2);
    const history = log(name);
    expect(history).toHaveLength(3);
    // Linear: our commit sits on top of the concurrent one, which is kept.
    expect(history[0].split(' ')).toEqual([
      result.commitSha,
      history[1].split(' ')[0],
    ]);
    expect(show(name, 'main:other.yaml')).toBe('kind: Other');
  });

  it('names the repository, not the secret, when the credentials are refused', async () => {
    const wrong = 'definitely-wrong-password';
    const error = await commit(
      { 'a.yaml': 'a\n' },
      {},
      GitOpsRepository.fromConfig(integrationsConfig(wrong)),
    ).catch(e => e);
    expect(error.message).toContain(
      `the git server refused the integration's credentials for ${repoUrl}`,
    );
    expect(error.message).not.toContain(wrong);
    expect(log(name)).toHaveLength(1);
  });

  it.each([
    [
      'a path escaping the repository',
      { path: '../x.yaml' },
      'file path "../x.yaml" must be relative to the repository root',
    ],
    [
      'a path into .git',
      { path: '.git/config' },
      'file path ".git/config" must be relative',
    ],
  ])('refuses %s', async (_n, file, message) => {
    await expect(
      repo().commitFiles({
        repoUrl,
        branch: 'main',
        files: [{ ...file, content: 'x' }],
        message: 'm',
        author,
      }),
    ).rejects.toThrow(message);
  });

  describe('describeRemote (read-only)', () => {
    it('lists the branches and the default branch, and writes nothing', async () => {
      git(['--git-dir', bareDir(name), 'branch', 'review', 'main']);
      const info = await repo().describeRemote(repoUrl);
      const head = log(name)[0].split(' ')[0];
      expect(info).toEqual({
        type: 'gitea',
        defaultBranch: 'main',
        branches: { main: head, review: head },
      });
      expect(log(name)).toHaveLength(1);
    });

    it('names repoUrl and the rule for a repository that does not exist', async () => {
      const missing = repoUrl.replace(/\.git$/, '-missing.git');
      await expect(repo().describeRemote(missing)).rejects.toThrow(
        new RegExp(
          `^repoUrl: ${missing.replace(
            /[.*+?^${}()|[\]\\/]/g,
            '\\$&',
          )} could not be read with the integration's credentials \\(HTTP 404[^)]*\\); it must be an existing repository they can read$`,
        ),
      );
    });

    it('names the repository, not the secret, when the credentials are refused or missing', async () => {
      const wrong = 'definitely-wrong-password';
      const refusedError = await GitOpsRepository.fromConfig(
        integrationsConfig(wrong),
      )
        .describeRemote(repoUrl)
        .catch(e => e);
      expect(refusedError.message).toBe(
        `repoUrl: the git server refused the integration's credentials for ${repoUrl}`,
      );
      const host = new URL(gitPeer().baseUrl).host;
      const noCredentials = GitOpsRepository.fromConfig(
        new ConfigReader({
          integrations: {
            gitea: [{ host, baseUrl: gitPeer().baseUrl.replace(/\/$/, '') }],
          },
        }),
      );
      await expect(noCredentials.describeRemote(repoUrl)).rejects.toThrow(
        `repoUrl: the gitea integration for ${host} has no credentials; set them under integrations.gitea in app-config`,
      );
    });
  });

  it('refuses a repository host without an SCM integration, and credentials in the URL', async () => {
    await expect(
      repo().commitFiles({
        repoUrl: 'http://127.0.0.2:1/x.git',
        branch: 'main',
        files: [{ path: 'a', content: 'a' }],
        message: 'm',
        author,
      }),
    ).rejects.toThrow(
      'repoUrl host 127.0.0.2:1 has no SCM integration in app-config',
    );
    await expect(
      repo().commitFiles({
        repoUrl: repoUrl.replace('http://', 'http://u:p@'),
        branch: 'main',
        files: [{ path: 'a', content: 'a' }],
        message: 'm',
        author,
      }),
    ).rejects.toThrow('repoUrl must not contain credentials');
  });
});

/** The peer's pull requests, read through its Gitea-compatible API. */
async function pullRequests(repoPath: string, state = 'all'): Promise<any[]> {
  const { baseUrl, user, password } = gitPeer();
  const res = await fetch(
    `${baseUrl}api/v1/repos/${repoPath}/pulls?state=${state}`,
    {
      headers: {
        authorization: `Basic ${Buffer.from(`${user}:${password}`).toString(
          'base64',
        )}`,
      },
    },
  );
  expect(res.status).toBe(200);
  return res.json();
}

describe('aws-gateway:gitops:commit in mode pull-request against the git peer', () => {
  let repoPath: string;
  let repoUrl: string;
  let workspace: string;
  let rendered: string[];
  const branch = 'aws-gateway/default-aws-tcp-gateway';

  beforeEach(async () => {
    repoPath = `platform/${uniqueName('gitops-pr')}`;
    repoUrl = createBareRepo(repoPath, { 'README.md': '# gitops\n' });
    workspace = await renderedWorkspace();
    rendered = fs.readdirSync(path.join(workspace, 'manifests')).sort();
  });
  afterEach(() => fs.rmSync(workspace, { recursive: true, force: true }));

  async function run(
    input: Record<string, unknown>,
    config?: ConfigReader,
    isDryRun = false,
  ) {
    return runAction(
      commitAction(config ?? gitopsConfig()),
      {
        repoUrl,
        mode: 'pull-request',
        branch,
        sourcePath: 'manifests',
        commitMessage: 'Expose backend',
        ...input,
      },
      { workspacePath: workspace, isDryRun },
    );
  }

  const bare = () => path.join(gitPeer().root, `${repoPath}.git`);
  const branchLog = (ref: string) =>
    git(['--git-dir', bare(), 'log', '--format=%H', ref]).split('\n');
  const branches = () =>
    git([
      '--git-dir',
      bare(),
      'for-each-ref',
      '--format=%(refname:short)',
      'refs/heads',
    ]);

  it('pushes the branch and opens a pull request; a re-run opens no second one and makes no new commit', async () => {
    const first = await run({});
    const mainHead = branchLog('main')[0];
    const pulls = await pullRequests(repoPath);
    expect(pulls).toHaveLength(1);
    expect(pulls[0]).toMatchObject({
      number: 1,
      state: 'open',
      title: 'Expose backend',
      head: { ref: branch },
      base: { ref: 'main' },
    });
    expect(pulls[0].body).toContain(
      rendered.map(f => `- ${CLASSIC_PATH}/${f}`).join('\n'),
    );
    expect(first.outputs).toMatchObject({
      branch,
      changed: true,
      branchCreated: true,
      pullRequestNumber: 1,
      pullRequestUrl: `${gitPeer().baseUrl}${repoPath}/pulls/1`,
    });
    expect(branchLog(branch)).toEqual([first.outputs.commitSha, mainHead]);
    expect(
      `${show(
        `${repoPath}`,
        `${branch}:${CLASSIC_PATH}/gateway-aws-tcp-gateway.yaml`,
      )}\n`,
    ).toBe(
      fs.readFileSync(
        path.join(workspace, 'manifests/gateway-aws-tcp-gateway.yaml'),
        'utf8',
      ),
    );
    expect(first.logs.join('\n')).toContain(
      `Opened pull request #1 from ${branch} into main`,
    );

    const again = await run({});
    expect(again.outputs).toMatchObject({
      changed: false,
      commitSha: first.outputs.commitSha,
      pullRequestNumber: 1,
      pullRequestUrl: first.outputs.pullRequestUrl,
    });
    expect(again.logs.join('\n')).toContain('is already open');
    expect(await pullRequests(repoPath)).toHaveLength(1);
    expect(branchLog(branch)).toHaveLength(2);
    expect(branchLog('main')).toEqual([mainHead]);
  });

  it('after the pull request was merged, a re-run does not write to the merged branch: a new one from main, here with nothing to push', async () => {
    const first = await run({});
    // The forge's merge: main moves to the review branch (a fast-forward).
    git(['--git-dir', bare(), 'update-ref', 'refs/heads/main', branch]);
    expect((await pullRequests(repoPath))[0]).toMatchObject({
      state: 'closed',
      merged: true,
    });
    const preview = await run({}, undefined, true);
    expect(preview.logs.join('\n')).toContain(
      `Would use review branch ${branch}_2, new from main (${branch}: no pull request open any more, left as they are)`,
    );
    const again = await run({});
    expect(again.outputs).toMatchObject({
      branch: `${branch}_2`,
      changed: false,
      branchCreated: true,
    });
    expect(again.outputs.pullRequestNumber).toBeUndefined();
    expect(again.logs.join('\n')).toContain(
      'main already has this content; no branch pushed and no pull request needed',
    );
    expect(await pullRequests(repoPath)).toHaveLength(1);
    expect(branches().split('\n').sort()).toEqual([branch, 'main']);
    expect(branchLog(branch)[0]).toBe(first.outputs.commitSha);
  });

  it('returns the pull request URL shape in a dry run, and pushes and opens nothing', async () => {
    const { outputs } = await run({ baseBranch: 'main' }, undefined, true);
    expect(outputs.pullRequestUrl).toBe(
      `${gitPeer().baseUrl}${repoPath}/pulls/0`,
    );
    expect(outputs.pullRequestNumber).toBe(0);
    expect(await pullRequests(repoPath)).toEqual([]);
    expect(branches()).toBe('main');
  });

  it('the peer refuses a pull request whose head branch does not exist, and a duplicate, like Gitea', async () => {
    const { baseUrl, user, password } = gitPeer();
    const post = (body: unknown, auth = password) =>
      fetch(`${baseUrl}api/v1/repos/${repoPath}/pulls`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Basic ${Buffer.from(`${user}:${auth}`).toString(
            'base64',
          )}`,
        },
        body: JSON.stringify(body),
      });
    expect(
      (await post({ head: 'nope', base: 'main', title: 't' })).status,
    ).toBe(422);
    expect(
      (await post({ head: 'main', base: 'main', title: 't' })).status,
    ).toBe(422);
    expect(
      (await post({ head: 'main', base: 'main', title: 't' }, 'wrong')).status,
    ).toBe(401);
    git(['--git-dir', bare(), 'branch', 'review', 'main']);
    const created = await post({ head: 'review', base: 'main', title: 't' });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({
      number: 1,
      html_url: `${baseUrl}${repoPath}/pulls/1`,
      head: { ref: 'review' },
      base: { ref: 'main' },
    });
    expect(
      (await post({ head: 'review', base: 'main', title: 't' })).status,
    ).toBe(409);
    expect(await pullRequests(repoPath, 'open')).toHaveLength(1);
  });

  it('refuses mode pull-request on a host with no pull request support before any push', async () => {
    const url = new URL(gitPeer().baseUrl);
    const gerrit = new ConfigReader({
      integrations: {
        gerrit: [
          {
            host: url.host,
            baseUrl: gitPeer().baseUrl.replace(/\/$/, ''),
            gitilesBaseUrl: `${gitPeer().baseUrl}plugins/gitiles`,
            username: gitPeer().user,
            password: gitPeer().password,
          },
        ],
      },
      awsGateway: gitopsConfig().get('awsGateway'),
    });
    const before = branchLog('main');
    await expect(run({}, gerrit)).rejects.toThrow(
      `repoUrl: ${repoUrl} is served by a gerrit integration, which cannot open pull requests here; mode pull-request needs a gitea, github, gitlab, azure integration (use mode commit)`,
    );
    expect(branches()).toBe('main');
    expect(branchLog('main')).toEqual(before);
    expect(await pullRequests(repoPath)).toEqual([]);
  });

  it('refuses a gitea repository URL without an owner before any push', async () => {
    const flat = createBareRepo(uniqueName('gitops-flat'));
    await expect(run({ repoUrl: flat })).rejects.toThrow(
      `repoUrl: ${flat} is not a gitea repository URL; mode pull-request needs ${gitPeer().baseUrl.replace(
        /\/$/,
        '',
      )}/<owner>/<repo>.git`,
    );
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { GitOpsRepository } from '@gateway-portal/plugin-aws-gateway-node';
import yaml from 'yaml';
import { testActionContext } from '../support/__testUtils__/testContext';
import { createGitOpsCommitAction } from './gitopsCommit';
import { examples } from './gitopsCommit.examples';
import { readGitOpsSettings } from './gitopsSettings';

// The git side is covered against a real git server in test/integration/gitops.test.ts;
// here the repository records what the action asks of it.
function recordingRepository() {
  const commitFiles = jest.fn(async (options: any) => ({
    commitSha: options.dryRun ? 'a'.repeat(40) : 'b'.repeat(40),
    commitUrl: `https://git.example.com/platform/gitops/commit/${'b'.repeat(40)}`,
    branch: options.branch,
    changed: true,
    branchCreated: false,
    files: options.files.map((f: any) => ({ path: f.path, status: 'added' })),
    attempts: 1,
  }));
  const open = jest.fn(async (request: any) => ({
    number: 12,
    url: `https://git.example.com/platform/gitops/pulls/12?head=${request.head}`,
    created: true,
  }));
  const previewUrl = jest.fn((n: number) => `https://git.example.com/platform/gitops/pulls/${n}`);
  const pullRequestOpener = jest.fn(async (repoUrl: string) => {
    if (repoUrl.includes('gerrit')) {
      throw new Error(`repoUrl: ${repoUrl} is served by a gerrit integration, which cannot open pull requests here`);
    }
    return { type: 'gitea', open, previewUrl };
  });
  const describeRemote = jest.fn(async () => ({ type: 'gitea', defaultBranch: 'main', branches: { main: 'c'.repeat(40) } }));
  return {
    repository: { commitFiles, pullRequestOpener, describeRemote } as unknown as GitOpsRepository,
    commitFiles,
    pullRequestOpener,
    describeRemote,
    open,
  };
}

const settings = readGitOpsSettings(
  new ConfigReader({
    awsGateway: {
      provisioning: {
        gitops: {
          allowedRepoUrls: ['https://git.example.com/platform/*', 'https://gerrit.example.com/*'],
          committer: { name: 'Portal Bot', email: 'bot@example.com' },
        },
      },
    },
  }),
);

describe('aws-gateway:gitops:commit', () => {
  let workspace: string;
  beforeEach(() => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-commit-'));
    fs.mkdirSync(path.join(workspace, 'manifests/nested'), { recursive: true });
    fs.writeFileSync(path.join(workspace, 'manifests/gateway.yaml'), 'kind: Gateway\n');
    fs.writeFileSync(path.join(workspace, 'manifests/nested/route.yaml'), 'kind: TCPRoute\n');
  });
  afterEach(() => fs.rmSync(workspace, { recursive: true, force: true }));

  const withDefaults = (input: Record<string, any>): Record<string, any> => ({
    branch: 'main',
    sourcePath: 'manifests',
    overwrite: false,
    ...input,
  });

  it.each(examples.map(e => [e.description, e.example]))('runs the example: %s', async (_d, example) => {
    const { repository, commitFiles, open } = recordingRepository();
    const input = withDefaults(yaml.parse(example).steps[0].input);
    const ctx = testActionContext(input, { workspacePath: workspace });
    await createGitOpsCommitAction({ repository, settings }).handler(ctx);
    expect(commitFiles).toHaveBeenCalledTimes(1);
    const pullRequest = input.mode === 'pull-request';
    expect(open.mock.calls).toEqual(
      pullRequest
        ? [[{ head: input.branch, base: input.baseBranch, title: input.pullRequestTitle, body: input.pullRequestBody }]]
        : [],
    );
    expect((ctx.output as jest.Mock).mock.calls.filter(([k]: [string]) => k === 'pullRequestNumber')).toEqual(
      pullRequest ? [['pullRequestNumber', 12]] : [],
    );
    const call = commitFiles.mock.calls[0][0];
    expect(call.files).toEqual([
      { path: `${input.targetPath}/gateway.yaml`, content: 'kind: Gateway\n' },
      { path: `${input.targetPath}/nested/route.yaml`, content: 'kind: TCPRoute\n' },
    ]);
    expect(call).toMatchObject({ repoUrl: input.repoUrl, branch: input.branch, overwrite: input.overwrite });
    expect(call.committer).toEqual({ name: 'Portal Bot', email: 'bot@example.com' });
    expect(ctx.output).toHaveBeenCalledWith('commitSha', 'b'.repeat(40));
  });

  it('authors the commit as the task user and commits once across a recovered task', async () => {
    const { repository, commitFiles } = recordingRepository();
    const store = new Map<string, any>();
    const input = withDefaults({ repoUrl: 'https://git.example.com/platform/gitops.git', targetPath: 'apps', commitMessage: 'm' });
    const user = { entity: { apiVersion: 'backstage.io/v1alpha1', kind: 'User', metadata: { name: 'jane' }, spec: { profile: { displayName: 'Jane Doe', email: 'jane@example.com' } } } };
    for (let run = 0; run < 2; run++) {
      const ctx = testActionContext(input, { workspacePath: workspace, store });
      Object.assign(ctx, { user });
      await createGitOpsCommitAction({ repository, settings }).handler(ctx);
      expect(ctx.output).toHaveBeenCalledWith('files', ['apps/gateway.yaml', 'apps/nested/route.yaml']);
    }
    expect(commitFiles).toHaveBeenCalledTimes(1);
    expect(commitFiles.mock.calls[0][0].author).toEqual({ name: 'Jane Doe', email: 'jane@example.com' });
  });

  it('computes the commit without pushing in a dry run', async () => {
    const { repository, commitFiles } = recordingRepository();
    const ctx = testActionContext(
      withDefaults({ repoUrl: 'https://git.example.com/platform/gitops.git', targetPath: 'apps', commitMessage: 'm' }),
      { workspacePath: workspace, isDryRun: true },
    );
    await createGitOpsCommitAction({ repository, settings }).handler(ctx);
    expect(commitFiles.mock.calls[0][0].dryRun).toBe(true);
    expect(ctx.checkpoint).not.toHaveBeenCalled();
    expect(ctx.output).toHaveBeenCalledWith('commitSha', 'a'.repeat(40));
  });

  it.each([
    ['a repository not allowed by configuration', { repoUrl: 'https://git.example.com/other/gitops.git' }, 'repoUrl: "https://git.example.com/other/gitops.git" is not allowed'],
    ['a missing source directory', { sourcePath: 'nope' }, 'sourcePath: workspace directory "nope" does not exist'],
    ['a source path outside the workspace', { sourcePath: '../..' }, /outside/i],
  ])('refuses %s without touching the repository', async (_name, change, message) => {
    const { repository, commitFiles } = recordingRepository();
    const ctx = testActionContext(
      withDefaults({ repoUrl: 'https://git.example.com/platform/gitops.git', targetPath: 'apps', commitMessage: 'm', ...change }),
      { workspacePath: workspace },
    );
    await expect(createGitOpsCommitAction({ repository, settings }).handler(ctx)).rejects.toThrow(message);
    expect(commitFiles).not.toHaveBeenCalled();
  });

  describe('mode pull-request', () => {
    const prInput = (change: Record<string, any> = {}) =>
      withDefaults({
        repoUrl: 'https://git.example.com/platform/gitops.git',
        mode: 'pull-request',
        branch: 'aws-gateway/gw',
        targetPath: 'apps',
        commitMessage: 'Add gw\n\nmore',
        ...change,
      });

    it('pushes the branch, then opens the pull request into the default branch, once across a recovered task', async () => {
      const { repository, commitFiles, open, describeRemote } = recordingRepository();
      const store = new Map<string, any>();
      for (let run = 0; run < 2; run++) {
        const ctx = testActionContext(prInput(), { workspacePath: workspace, store });
        await createGitOpsCommitAction({ repository, settings }).handler(ctx);
        expect(ctx.output).toHaveBeenCalledWith('pullRequestUrl', 'https://git.example.com/platform/gitops/pulls/12?head=aws-gateway/gw');
        expect(ctx.output).toHaveBeenCalledWith('pullRequestNumber', 12);
      }
      expect(describeRemote).toHaveBeenCalledWith('https://git.example.com/platform/gitops.git');
      expect(commitFiles).toHaveBeenCalledTimes(1);
      expect(commitFiles.mock.calls[0][0]).toMatchObject({ branch: 'aws-gateway/gw', baseBranch: 'main' });
      expect(open).toHaveBeenCalledTimes(1);
      expect(open.mock.calls[0][0]).toEqual({
        head: 'aws-gateway/gw',
        base: 'main',
        title: 'Add gw',
        body: expect.stringContaining('- apps/gateway.yaml\n- apps/nested/route.yaml'),
      });
      expect(commitFiles.mock.invocationCallOrder[0]).toBeLessThan(open.mock.invocationCallOrder[0]);
    });

    it('returns the URL shape in a dry run without opening anything', async () => {
      const { repository, open } = recordingRepository();
      const ctx = testActionContext(prInput({ baseBranch: 'main' }), { workspacePath: workspace, isDryRun: true });
      await createGitOpsCommitAction({ repository, settings }).handler(ctx);
      expect(open).not.toHaveBeenCalled();
      expect(ctx.checkpoint).not.toHaveBeenCalled();
      expect(ctx.output).toHaveBeenCalledWith('pullRequestUrl', 'https://git.example.com/platform/gitops/pulls/0');
      expect(ctx.output).toHaveBeenCalledWith('pullRequestNumber', 0);
    });

    it('opens nothing when the base already has the content (no branch was pushed)', async () => {
      const { repository, commitFiles, open } = recordingRepository();
      commitFiles.mockImplementationOnce(async (options: any) => ({
        commitSha: 'c'.repeat(40),
        commitUrl: 'u',
        branch: options.branch,
        changed: false,
        branchCreated: true,
        files: [],
        attempts: 1,
      }));
      const ctx = testActionContext(prInput(), { workspacePath: workspace });
      await createGitOpsCommitAction({ repository, settings }).handler(ctx);
      expect(open).not.toHaveBeenCalled();
      expect(ctx.output).not.toHaveBeenCalledWith('pullRequestUrl', expect.anything());
    });

    it.each([
      ['a host that cannot open pull requests', { repoUrl: 'https://gerrit.example.com/platform/gitops.git' }, 'repoUrl: https://gerrit.example.com/platform/gitops.git is served by a gerrit integration'],
      ['a branch equal to its base', { branch: 'main' }, 'branch: mode pull-request needs a branch other than its base "main"'],
    ])('refuses %s before pushing anything', async (_n, change, message) => {
      const { repository, commitFiles, open } = recordingRepository();
      const ctx = testActionContext(prInput(change), { workspacePath: workspace });
      await expect(createGitOpsCommitAction({ repository, settings }).handler(ctx)).rejects.toThrow(message);
      expect(commitFiles).not.toHaveBeenCalled();
      expect(open).not.toHaveBeenCalled();
    });
  });
});

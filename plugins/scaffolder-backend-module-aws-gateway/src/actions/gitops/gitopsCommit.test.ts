import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { GitOpsRepository } from '@gateway-portal/plugin-aws-gateway-node';
import yaml from 'yaml';
import { testActionContext } from '../shared/__testUtils__/testContext';
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
  return { repository: { commitFiles } as unknown as GitOpsRepository, commitFiles };
}

const settings = readGitOpsSettings(
  new ConfigReader({
    awsGateway: {
      provisioning: {
        gitops: {
          allowedRepoUrls: ['https://git.example.com/platform/*'],
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
    const { repository, commitFiles } = recordingRepository();
    const input = withDefaults(yaml.parse(example).steps[0].input);
    const ctx = testActionContext(input, { workspacePath: workspace });
    await createGitOpsCommitAction({ repository, settings }).handler(ctx);
    expect(commitFiles).toHaveBeenCalledTimes(1);
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
});

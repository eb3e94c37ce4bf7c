import { ConfigReader } from '@backstage/config';
import { InputError, NotAllowedError } from '@backstage/errors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { GitOpsRemoteInfo } from '@gateway-portal/plugin-aws-gateway-node';
import yaml from 'yaml';
import { createGitOpsCheckAction } from './gitopsCheck';
import { examples } from './gitopsCheck.examples';
import { readGitOpsSettings } from './gitopsSettings';

// The git side (integration credentials, listing refs) is covered against a
// real git server in test/integration/gitops.test.ts; here the repository
// answers with a fixed set of branches and records what it is asked.
const MAIN_SHA = 'a'.repeat(40);
function fakeRepository(remote: Partial<GitOpsRemoteInfo> = {}) {
  const describeRemote = jest.fn(
    async (
      _repoUrl: unknown,
      _options?: unknown,
    ): Promise<GitOpsRemoteInfo> => ({
      type: 'gitea',
      defaultBranch: 'main',
      branches: { main: MAIN_SHA },
      ...remote,
    }),
  );
  const checkWritableDirectory = jest.fn(
    async (_repoUrl: unknown, _options: unknown): Promise<void> => undefined,
  );
  return {
    repository: { describeRemote, checkWritableDirectory },
    describeRemote,
    checkWritableDirectory,
  };
}

const settings = readGitOpsSettings(
  new ConfigReader({
    awsGateway: {
      provisioning: {
        gitops: { allowedRepoUrls: ['https://git.example.com/platform/*'] },
      },
    },
  }),
);
const REPO = 'https://git.example.com/platform/gitops.git';
// Inputs as the scaffolder passes them: zod defaults not applied.
const mockContext = (input: Record<string, any>) =>
  createMockActionContext<any, any>({ input });

async function check(
  input: Record<string, any>,
  remote?: Partial<GitOpsRemoteInfo>,
  isDryRun = false,
) {
  const fake = fakeRepository(remote);
  const ctx = Object.assign(mockContext(input), { isDryRun });
  await createGitOpsCheckAction({
    repository: fake.repository,
    settings,
  }).handler(ctx);
  const outputs = Object.fromEntries((ctx.output as jest.Mock).mock.calls);
  return {
    outputs,
    describeRemote: fake.describeRemote,
    checkWritableDirectory: fake.checkWritableDirectory,
  };
}

describe('aws-gateway:gitops:check', () => {
  it.each(examples.map(e => [e.description, e.example]))(
    'runs the example: %s',
    async (_d, example) => {
      const input = yaml.parse(example).steps[0].input;
      const { outputs, describeRemote, checkWritableDirectory } = await check(
        input,
      );
      expect(describeRemote).toHaveBeenCalledWith(
        expect.objectContaining({ href: input.repoUrl }),
        { signal: undefined },
      );
      const exists = input.branch === 'main';
      let targetPath: string | undefined;
      if (input.gateway) targetPath = `gateways/${input.gateway}`;
      if (input.controllerCluster)
        targetPath = `clusters/${input.controllerCluster}/aws-load-balancer-controller`;
      expect(outputs).toEqual({
        repoUrl: input.repoUrl,
        branch: input.branch,
        branchExists: exists,
        ...(exists ? { headSha: MAIN_SHA } : {}),
        ...(targetPath ? { targetPath } : {}),
      });
      const checkedFolders = checkWritableDirectory.mock.calls.map(
        ([url, options]: any[]) => ({ href: url.href, ...options }),
      );
      expect(checkedFolders).toEqual(
        targetPath
          ? [
              {
                href: input.repoUrl,
                branch: input.branch,
                baseBranch: input.baseBranch,
                directory: targetPath,
                signal: undefined,
              },
            ]
          : [],
      );
    },
  );

  it.each([
    [
      'a Gateway that is not <namespace>/<name>',
      { gateway: 'default' },
      'gateway: "default" must be <namespace>/<name>',
    ],
    [
      'a Gateway folder climbing out',
      { gateway: '../gw' },
      'gateway: "../gw" must be <namespace>/<name>',
    ],
    [
      'a Gateway folder one level deeper',
      { gateway: 'a/b/c' },
      'gateway: "a/b/c" must be <namespace>/<name>',
    ],
    [
      'a cluster with a path in it',
      { controllerCluster: 'x/../../y' },
      'controllerCluster: "x/../../y" must be a cluster name',
    ],
    [
      'both folders at once',
      { gateway: 'default/gw', controllerCluster: 'demo' },
      'gateway, controllerCluster: give one of them',
    ],
  ])(
    'refuses %s before asking the git server',
    async (_name, change, message) => {
      const fake = fakeRepository();
      const ctx = mockContext({ repoUrl: REPO, ...change });
      await expect(
        createGitOpsCheckAction({
          repository: fake.repository,
          settings,
        }).handler(ctx),
      ).rejects.toThrow(message);
      expect(fake.describeRemote).not.toHaveBeenCalled();
      expect(fake.checkWritableDirectory).not.toHaveBeenCalled();
    },
  );

  it('fails when the folder cannot be written (a link on the way), naming it', async () => {
    const fake = fakeRepository();
    fake.checkWritableDirectory.mockRejectedValue(
      new InputError(
        'files: "gateways/default/gw/" would be written through "gateways", which is a symbolic link in the GitOps repository',
      ),
    );
    const ctx = mockContext({ repoUrl: REPO, gateway: 'default/gw' });
    await expect(
      createGitOpsCheckAction({
        repository: fake.repository,
        settings,
      }).handler(ctx),
    ).rejects.toThrow('which is a symbolic link');
    expect(ctx.output).not.toHaveBeenCalled();
  });

  it('applies the default branch main, and runs the same in a dry run', async () => {
    for (const dryRun of [false, true]) {
      const { outputs } = await check({ repoUrl: REPO }, {}, dryRun);
      expect(outputs).toEqual({
        repoUrl: REPO,
        branch: 'main',
        headSha: MAIN_SHA,
        branchExists: true,
      });
    }
  });

  it('accepts a missing branch that would be created from the default branch', async () => {
    const { outputs } = await check({ repoUrl: REPO, branch: 'backstage/gw' });
    expect(outputs).toEqual({
      repoUrl: REPO,
      branch: 'backstage/gw',
      branchExists: false,
    });
  });

  it('reports an existing branch even when its base branch is missing', async () => {
    const { outputs } = await check(
      { repoUrl: REPO, branch: 'review', baseBranch: 'gone' },
      { branches: { main: MAIN_SHA, review: 'b'.repeat(40) } },
    );
    expect(outputs).toMatchObject({
      branchExists: true,
      headSha: 'b'.repeat(40),
    });
  });

  it.each([
    [
      'a repository not allowed by configuration',
      { repoUrl: 'https://git.example.com/other/gitops.git' },
      NotAllowedError,
      'repoUrl: "https://git.example.com/other/gitops.git" is not allowed; it must be listed in awsGateway.provisioning.gitops.allowedRepoUrls',
    ],
    [
      'a dot segment leaving the allowed prefix',
      { repoUrl: 'https://git.example.com/platform/../other/gitops.git' },
      InputError,
      'repoUrl: "https://git.example.com/platform/../other/gitops.git" must not have dot segments',
    ],
    [
      'a percent-encoded dot segment',
      { repoUrl: 'https://git.example.com/platform/%2E%2e/other/gitops.git' },
      InputError,
      'must not percent-encode its path',
    ],
    [
      'an invalid branch name',
      { branch: 'a..b' },
      InputError,
      'branch: "a..b" is not a valid git branch name',
    ],
    [
      'an invalid base branch name',
      { branch: 'x', baseBranch: '-main' },
      InputError,
      'baseBranch: "-main" is not a valid git branch name',
    ],
  ])(
    'refuses %s without asking the git server',
    async (_name, change, type, message) => {
      const fake = fakeRepository();
      const ctx = mockContext({ repoUrl: REPO, ...change });
      const error = await createGitOpsCheckAction({
        repository: fake.repository,
        settings,
      })
        .handler(ctx)
        .catch(e => e);
      expect(error).toBeInstanceOf(type);
      expect(error.message).toContain(message);
      expect(fake.describeRemote).not.toHaveBeenCalled();
      expect(ctx.output).not.toHaveBeenCalled();
    },
  );

  it.each([
    [
      'a missing base branch',
      { branch: 'review', baseBranch: 'develop' },
      {},
      'baseBranch: "develop" does not exist in https://git.example.com/platform/gitops.git; branch "review" does not exist either',
    ],
    [
      'a missing branch and no default branch',
      { branch: 'review' },
      { defaultBranch: undefined },
      'branch: "review" does not exist in https://git.example.com/platform/gitops.git and the repository has no default branch',
    ],
  ])('refuses %s, naming the field', async (_name, change, remote, message) => {
    await expect(check({ repoUrl: REPO, ...change }, remote)).rejects.toThrow(
      message,
    );
  });

  it('passes on what the repository says about credentials and reachability', async () => {
    const fake = fakeRepository();
    fake.describeRemote.mockRejectedValue(
      new InputError(
        `repoUrl: ${REPO} could not be read with the integration's credentials (HTTP 404 Not Found)`,
      ),
    );
    const ctx = mockContext({ repoUrl: REPO });
    await expect(
      createGitOpsCheckAction({
        repository: fake.repository,
        settings,
      }).handler(ctx),
    ).rejects.toThrow(/^repoUrl: .* could not be read/);
    expect(ctx.output).not.toHaveBeenCalled();
  });
});

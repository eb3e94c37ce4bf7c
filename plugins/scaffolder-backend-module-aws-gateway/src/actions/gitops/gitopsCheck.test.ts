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
  const describeRemote = jest.fn(async (_repoUrl: unknown, _options?: unknown): Promise<GitOpsRemoteInfo> => ({
    type: 'gitea',
    defaultBranch: 'main',
    branches: { main: MAIN_SHA },
    ...remote,
  }));
  return { repository: { describeRemote }, describeRemote };
}

const settings = readGitOpsSettings(
  new ConfigReader({
    awsGateway: { provisioning: { gitops: { allowedRepoUrls: ['https://git.example.com/platform/*'] } } },
  }),
);
const REPO = 'https://git.example.com/platform/gitops.git';
// Inputs as the scaffolder passes them: zod defaults not applied.
const mockContext = (input: Record<string, any>) => createMockActionContext<any, any>({ input });

async function check(input: Record<string, any>, remote?: Partial<GitOpsRemoteInfo>, isDryRun = false) {
  const fake = fakeRepository(remote);
  const ctx = Object.assign(mockContext(input), { isDryRun });
  await createGitOpsCheckAction({ repository: fake.repository, settings }).handler(ctx);
  const outputs = Object.fromEntries((ctx.output as jest.Mock).mock.calls);
  return { outputs, describeRemote: fake.describeRemote };
}

describe('aws-gateway:gitops:check', () => {
  it.each(examples.map(e => [e.description, e.example]))('runs the example: %s', async (_d, example) => {
    const input = yaml.parse(example).steps[0].input;
    const { outputs, describeRemote } = await check(input);
    expect(describeRemote).toHaveBeenCalledWith(expect.objectContaining({ href: input.repoUrl }), { signal: undefined });
    const exists = input.branch === 'main';
    expect(outputs).toEqual({
      repoUrl: input.repoUrl,
      branch: input.branch,
      branchExists: exists,
      ...(exists ? { headSha: MAIN_SHA } : {}),
    });
  });

  it('applies the default branch main, and runs the same in a dry run', async () => {
    for (const dryRun of [false, true]) {
      const { outputs } = await check({ repoUrl: REPO }, {}, dryRun);
      expect(outputs).toEqual({ repoUrl: REPO, branch: 'main', headSha: MAIN_SHA, branchExists: true });
    }
  });

  it('accepts a missing branch that would be created from the default branch', async () => {
    const { outputs } = await check({ repoUrl: REPO, branch: 'backstage/gw' });
    expect(outputs).toEqual({ repoUrl: REPO, branch: 'backstage/gw', branchExists: false });
  });

  it('reports an existing branch even when its base branch is missing', async () => {
    const { outputs } = await check(
      { repoUrl: REPO, branch: 'review', baseBranch: 'gone' },
      { branches: { main: MAIN_SHA, review: 'b'.repeat(40) } },
    );
    expect(outputs).toMatchObject({ branchExists: true, headSha: 'b'.repeat(40) });
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
    ['an invalid branch name', { branch: 'a..b' }, InputError, 'branch: "a..b" is not a valid git branch name'],
    ['an invalid base branch name', { branch: 'x', baseBranch: '-main' }, InputError, 'baseBranch: "-main" is not a valid git branch name'],
  ])('refuses %s without asking the git server', async (_name, change, type, message) => {
    const fake = fakeRepository();
    const ctx = mockContext({ repoUrl: REPO, ...change });
    const error = await createGitOpsCheckAction({ repository: fake.repository, settings }).handler(ctx).catch(e => e);
    expect(error).toBeInstanceOf(type);
    expect(error.message).toContain(message);
    expect(fake.describeRemote).not.toHaveBeenCalled();
    expect(ctx.output).not.toHaveBeenCalled();
  });

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
    await expect(check({ repoUrl: REPO, ...change }, remote)).rejects.toThrow(message);
  });

  it('passes on what the repository says about credentials and reachability', async () => {
    const fake = fakeRepository();
    fake.describeRemote.mockRejectedValue(new InputError(`repoUrl: ${REPO} could not be read with the integration's credentials (HTTP 404 Not Found)`));
    const ctx = mockContext({ repoUrl: REPO });
    await expect(createGitOpsCheckAction({ repository: fake.repository, settings }).handler(ctx)).rejects.toThrow(
      /^repoUrl: .* could not be read/,
    );
    expect(ctx.output).not.toHaveBeenCalled();
  });
});

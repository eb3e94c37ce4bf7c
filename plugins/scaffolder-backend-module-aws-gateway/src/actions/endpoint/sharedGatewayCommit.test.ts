import {
  OpenPullRequest,
  PullRequestOpener,
} from '@gateway-portal/plugin-aws-gateway-node';
import { assertAllowedRepo } from '../gitops/gitopsSettings';
import { gitopsTestSettings } from '../support/__testUtils__/gitopsTestSettings';
import { testActionContext } from '../support/__testUtils__/testContext';
import { chooseSharedReviewBranch } from './sharedGatewayCommit';

const PREFERRED = 'aws-gateway/shared-apps-db';
const repoUrl = assertAllowedRepo(
  'https://git.example.com/platform/gitops.git',
  gitopsTestSettings,
);

/** The remote's branches and the open pull requests into main (head → number). */
function remote(branches: string[], open: Record<string, number>) {
  const describeRemote = jest.fn(async () => ({
    type: 'gitea',
    defaultBranch: 'main',
    branches: Object.fromEntries(
      ['main', ...branches].map(b => [b, 'a'.repeat(40)]),
    ),
  }));
  const findOpen = jest.fn(
    async (head: string, base: string): Promise<OpenPullRequest | undefined> =>
      base === 'main' && open[head]
        ? { number: open[head], url: `https://git.example/pulls/${open[head]}` }
        : undefined,
  );
  return {
    deps: {
      repository: { describeRemote },
      opener: { findOpen } as unknown as PullRequestOpener,
    },
    describeRemote,
    findOpen,
  };
}

const target = {
  repoUrl,
  preferred: PREFERRED,
  baseBranch: 'main',
  step: 'shared-listener',
};

describe('chooseSharedReviewBranch', () => {
  it('dry run: says which branch it would use and why, with no checkpoint', async () => {
    const ctx = testActionContext({}, { isDryRun: true });
    const info = jest.spyOn(ctx.logger, 'info');
    const { deps } = remote([PREFERRED], {});
    expect(await chooseSharedReviewBranch(ctx, deps, target)).toBe(
      `${PREFERRED}_2`,
    );
    expect(ctx.checkpoint).not.toHaveBeenCalled();
    expect(info).toHaveBeenCalledWith(
      `Would use review branch ${PREFERRED}_2, new from main (${PREFERRED}: no pull request open any more, left as they are)`,
    );
  });

  it('reuses the branch whose pull request is open, asking with the user token and the signal', async () => {
    const ctx = testActionContext({});
    const info = jest.spyOn(ctx.logger, 'info');
    const { deps, describeRemote, findOpen } = remote([PREFERRED], {
      [PREFERRED]: 7,
    });
    expect(
      await chooseSharedReviewBranch(ctx, deps, {
        ...target,
        userToken: 'user-token',
      }),
    ).toBe(PREFERRED);
    expect(describeRemote).toHaveBeenCalledWith(repoUrl, {
      signal: ctx.signal,
      userToken: 'user-token',
    });
    expect(findOpen).toHaveBeenCalledWith(PREFERRED, 'main', {
      signal: ctx.signal,
    });
    expect(info).toHaveBeenCalledWith(
      `Using review branch ${PREFERRED}: its pull request #7 into main is still open`,
    );
  });

  it('a retried task keeps the branch its first attempt chose (checkpoint), even once that branch exists with no pull request yet', async () => {
    const store = new Map<string, any>();
    // One task's attempts: the same checkpoint store.
    const attempt = (deps: ReturnType<typeof remote>['deps']) =>
      chooseSharedReviewBranch(testActionContext({}, { store }), deps, target);
    expect(await attempt(remote([], {}).deps)).toBe(PREFERRED);
    // Pushed, but the pull request was not opened before the task stopped.
    const retry = remote([PREFERRED], {});
    expect(await attempt(retry.deps)).toBe(PREFERRED);
    expect(retry.findOpen).not.toHaveBeenCalled();
  });
});

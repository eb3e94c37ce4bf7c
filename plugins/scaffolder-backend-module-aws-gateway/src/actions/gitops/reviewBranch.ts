import { ActionContext } from '@backstage/plugin-scaffolder-node';
import {
  chooseReviewBranch,
  PullRequestOpener,
} from '@gateway-portal/plugin-aws-gateway-node';

type ReviewBranchContext = Pick<
  ActionContext<any, any>,
  'isDryRun' | 'signal' | 'logger' | 'checkpoint'
>;

/**
 * The review branch an action that opens a pull request writes to: the
 * `preferred` one while its pull request into the base is still open (a
 * re-run), else a new branch from the current base (the node library's
 * chooseReviewBranch: a merged or closed one is never written to again).
 * Reads only; a checkpoint, so a retried task keeps its choice. Logs which
 * branch is used and why — in a dry run, which it would use.
 */
export async function reviewBranchFor(
  ctx: ReviewBranchContext,
  opener: Pick<PullRequestOpener, 'findOpen'>,
  target: {
    preferred: string;
    baseBranch: string;
    /** The remote's branches (describeRemote). */
    branches: Readonly<Record<string, string>>;
    /** Names the checkpoint. */
    step: string;
  },
): Promise<string> {
  const { preferred, baseBranch } = target;
  const choose = async () => {
    const choice = await chooseReviewBranch({
      preferred,
      baseBranch,
      branches: target.branches,
      findOpen: (head, base) =>
        opener.findOpen(head, base, { signal: ctx.signal }),
    });
    return {
      branch: choice.branch,
      openPullRequest: choice.pullRequest?.number ?? 0,
      skipped: choice.skipped,
    };
  };
  const choice = ctx.isDryRun
    ? await choose()
    : await ctx.checkpoint({
        key: `${target.step}-review-branch-${preferred}`,
        fn: choose,
      });
  const use = ctx.isDryRun ? 'Would use' : 'Using';
  ctx.logger.info(
    choice.openPullRequest
      ? `${use} review branch ${choice.branch}: its pull request #${choice.openPullRequest} into ${baseBranch} is still open`
      : `${use} review branch ${choice.branch}, new from ${baseBranch}${
          choice.skipped.length
            ? ` (${choice.skipped.join(
                ', ',
              )}: no pull request open any more, left as they are)`
            : ''
        }`,
  );
  return choice.branch;
}

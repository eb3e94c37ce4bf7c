import {
  InputError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import { PullRequestOpener } from '@gateway-portal/plugin-aws-gateway-node';
import { ZodImpl } from '../support/inputDefaults';

/**
 * A removal on an open expose pull request can leave it changing nothing
 * relative to where its branch left the base: its title would still say it
 * adds the listener. Such a pull request is closed, with a comment saying
 * why (its branch is left as it is). The branch edit is the truth: it is
 * committed first, and a host refusing the close fails the task naming the
 * host's answer — the re-run finds the branch already edited and closes it.
 */

/** The output saying whether the expose pull request was closed. */
export const emptyReviewOutput = {
  pullRequestClosed: (z: ZodImpl) =>
    z
      .boolean()
      .optional()
      .describe(
        'True when the removal left its expose pull request changing nothing, so it was closed with a comment saying why (in a dry run: would be)',
      ),
};

type CloseContext = Pick<
  ActionContext<any, any>,
  'isDryRun' | 'signal' | 'logger' | 'checkpoint'
> & { output(name: 'pullRequestClosed', value: boolean): void };

/** Closes (or, in a dry run, says it would close) the review that now adds nothing; a checkpoint. */
export async function closeEmptyReview(
  ctx: CloseContext,
  opener: Pick<PullRequestOpener, 'close'>,
  review: { branch: string; pullRequest: { number: number; url: string } },
  why: { subject: string; baseBranch: string; actionId: string },
): Promise<void> {
  const { number, url } = review.pullRequest;
  const comment = `Closed by Backstage (${why.actionId}): ${why.subject} was removed from ${review.branch} before this pull request was merged, so it no longer changes anything relative to ${why.baseBranch}. The branch is left as it is.`;
  if (ctx.isDryRun) {
    ctx.logger.info(
      `Pull request #${number} (${url}) would then change nothing relative to ${why.baseBranch}: it would be closed, with a comment saying why`,
    );
    ctx.output('pullRequestClosed', true);
    return;
  }
  try {
    await ctx.checkpoint({
      key: `shared-listener-close-${number}`,
      fn: async () => {
        await opener.close(number, comment, { signal: ctx.signal });
        return true;
      },
    });
  } catch (error) {
    ctx.signal?.throwIfAborted();
    const message = `${why.subject} is removed from ${
      review.branch
    }, and pull request #${number} (${url}) now changes nothing, but it could not be closed: ${
      (error as Error).message
    }. Run the task again to close it (the branch is not written again), or close it by hand`;
    if (error instanceof NotAllowedError) throw new NotAllowedError(message);
    if (error instanceof ServiceUnavailableError)
      throw new ServiceUnavailableError(message);
    throw new InputError(message);
  }
  ctx.logger.info(
    `Closed pull request #${number} (${url}): after the removal it changes nothing relative to ${why.baseBranch}`,
  );
  ctx.output('pullRequestClosed', true);
}

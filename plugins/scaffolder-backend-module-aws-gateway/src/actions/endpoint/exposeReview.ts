import {
  InputError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import {
  AWS_GATEWAY_ACTION_ID,
  GitOpsFile,
  GitOpsReviewBranch,
  PullRequestOpener,
  PullRequestText,
  SharedGateway,
  SharedListenerRequest,
  reviewAddsNothingAfter,
} from '@gateway-portal/plugin-aws-gateway-node';
import { ZodImpl } from '../support/inputDefaults';

/**
 * An expose pull request after a change or removal on its branch while it
 * is open. A change leaves its title and description naming the old values:
 * they are set to what the branch holds now. A removal can leave it changing
 * nothing relative to where its branch left the base: it is closed, with a
 * comment saying why (its branch is left as it is); a removal that leaves it
 * still changing something (say, a listener pushed to it by hand) retitles
 * it instead, its title naming the route removed, its description what is
 * left. The branch edit is the
 * truth: it is committed first, and a host refusing the retitle or close
 * fails the task naming the host's answer — the re-run finds the branch
 * already edited and finishes (the close posts its comment once).
 */

/** The expose pull request's title: the listener as the branch has it (opened with it, retitled after a change). */
export function exposeReviewTitle(
  shared: Pick<SharedGateway, 'namespace' | 'name'>,
  listener: Pick<
    SharedListenerRequest,
    'listenerName' | 'protocol' | 'listenerPort' | 'namespace' | 'backend'
  >,
): string {
  return `Listener ${listener.listenerName} (${listener.protocol} ${listener.listenerPort}) on shared Gateway ${shared.namespace}/${shared.name} for ${listener.namespace}/${listener.backend.service}:${listener.backend.port}`;
}

/** The title of an expose pull request whose route was removed from its branch while it still changes something. */
export function removedExposeReviewTitle(
  shared: Pick<SharedGateway, 'namespace' | 'name'>,
  routeRef: string,
): string {
  return `Shared Gateway ${shared.namespace}/${shared.name}: what is left after route ${routeRef} was removed`;
}

/** The description of an expose pull request changed while under review: what it shows now. */
export function changedExposeReviewBody(
  actionId: string,
  gatewayDiff: string | undefined,
  baseBranch: string,
  routeFiles: string[],
): string {
  return `Opened by Backstage (${
    AWS_GATEWAY_ACTION_ID.sharedListener
  }), changed while under review by Backstage (${actionId}).\n\n${
    gatewayDiff === undefined
      ? `Where this branch left ${baseBranch} is not known: see the pull request's changes.`
      : `\`\`\`diff\n${gatewayDiff}\`\`\``
  }\n\nRoute files:\n${
    routeFiles.length
      ? routeFiles.map(f => `- ${f}`).join('\n')
      : '- none (the route was removed)'
  }\n`;
}

/** The output saying the expose pull request's title after a change. */
export const retitledReviewOutput = {
  pullRequestTitle: (z: ZodImpl) =>
    z
      .string()
      .optional()
      .describe(
        "Set when the change or removal went to the listener's open expose pull request and it stays open: its title (and description) were set to what it changes now (in a dry run: would be)",
      ),
};

/** The output saying whether the expose pull request was closed. */
export const emptyReviewOutput = {
  pullRequestClosed: (z: ZodImpl) =>
    z
      .boolean()
      .optional()
      .describe(
        'Set when the removal went to its open expose pull request. True: it then changed nothing, so it was closed with a comment saying why. False: it still changes something, so it stays open, retitled (pullRequestTitle). In a dry run: would be',
      ),
};

type ReviewContext = Pick<
  ActionContext<any, any>,
  'isDryRun' | 'signal' | 'logger' | 'checkpoint'
> & {
  output(name: 'pullRequestClosed', value: boolean): void;
  output(name: 'pullRequestTitle', value: string): void;
};

type Review = {
  branch: string;
  pullRequest: { number: number; url: string };
};

/**
 * One host call on the expose pull request after the branch edit: in a dry
 * run only said; else a checkpoint (once per task), whose refusal is the
 * host's answer said with what is done and how to finish.
 */
async function reviewStep(
  ctx: ReviewContext,
  step: {
    key: string;
    wouldDo: string;
    call: () => Promise<void>;
    refused: (hostAnswer: string) => string;
    done: string;
  },
): Promise<void> {
  if (ctx.isDryRun) {
    ctx.logger.info(step.wouldDo);
    return;
  }
  try {
    await ctx.checkpoint({
      key: step.key,
      fn: async () => {
        await step.call();
        return true;
      },
    });
  } catch (error) {
    ctx.signal?.throwIfAborted();
    throw sameKind(error, step.refused((error as Error).message));
  }
  ctx.logger.info(step.done);
}

/** The host's refusal said with what is done: the same kind of error, a new message. */
function sameKind(error: unknown, message: string): Error {
  if (error instanceof NotAllowedError) return new NotAllowedError(message);
  if (error instanceof ServiceUnavailableError)
    return new ServiceUnavailableError(message);
  return new InputError(message);
}

/** Retitles (or, in a dry run, says it would retitle) the expose pull request after a change or removal on its branch. */
export async function retitleExposeReview(
  ctx: ReviewContext,
  opener: Pick<PullRequestOpener, 'retitle'>,
  review: Review,
  text: PullRequestText,
  subject: string,
  op: 'change' | 'remove' = 'change',
): Promise<void> {
  const { number, url } = review.pullRequest;
  await reviewStep(ctx, {
    key: `shared-listener-retitle-${number}`,
    wouldDo: `Pull request #${number} (${url}) would be retitled "${text.title}", its description saying what it changes now`,
    call: () => opener.retitle(number, text, { signal: ctx.signal }),
    refused: answer =>
      `${subject} is ${op === 'change' ? 'changed on' : 'removed from'} ${
        review.branch
      }, but pull request #${number} (${url}) could not be retitled "${
        text.title
      }": ${answer}. Run the task again to retitle it (the branch is not written again), or edit its title by hand`,
    done: `Retitled pull request #${number} (${url}): "${text.title}"`,
  });
  ctx.output('pullRequestTitle', text.title);
}

/** Closes (or, in a dry run, says it would close) the review that now adds nothing. */
export async function closeEmptyReview(
  ctx: ReviewContext,
  opener: Pick<PullRequestOpener, 'close'>,
  review: Review,
  why: { subject: string; baseBranch: string; actionId: string },
): Promise<void> {
  const { number, url } = review.pullRequest;
  const comment = `Closed by Backstage (${why.actionId}): ${why.subject} was removed from ${review.branch} before this pull request was merged, so it no longer changes anything relative to ${why.baseBranch}. The branch is left as it is.`;
  await reviewStep(ctx, {
    key: `shared-listener-close-${number}`,
    wouldDo: `Pull request #${number} (${url}) would then change nothing relative to ${why.baseBranch}: it would be closed, with a comment saying why`,
    call: () => opener.close(number, comment, { signal: ctx.signal }),
    refused: answer =>
      `${why.subject} is removed from ${review.branch}, and pull request #${number} (${url}) now changes nothing, but it could not be closed: ${answer}. Run the task again to close it (the branch is not written again), or close it by hand`,
    done: `Closed pull request #${number} (${url}): after the removal it changes nothing relative to ${why.baseBranch}`,
  });
  ctx.output('pullRequestClosed', true);
}

/**
 * After a removal on the expose pull request's branch (`commit`: what it
 * writes over what it replaces, empty on a re-run): closed when the branch
 * then changes nothing relative to its merge base; else — it still changes
 * something, or that is not known — it stays open, retitled with `text`.
 */
export async function closeOrRetitleAfterRemoval(
  ctx: ReviewContext,
  opener: Pick<PullRequestOpener, 'close' | 'retitle'>,
  review: Review & { changes?: GitOpsReviewBranch['changes'] },
  commit: { files: GitOpsFile[]; replaces: GitOpsFile[] },
  why: { subject: string; baseBranch: string; actionId: string },
  text: () => PullRequestText,
): Promise<void> {
  if (
    review.changes &&
    (await reviewAddsNothingAfter(review.changes, commit))
  ) {
    await closeEmptyReview(ctx, opener, review, why);
    return;
  }
  ctx.logger.info(
    `Pull request #${review.pullRequest.number} still changes something relative to where it left ${why.baseBranch} (or that is not known): it stays open, retitled`,
  );
  await retitleExposeReview(ctx, opener, review, text(), why.subject, 'remove');
  ctx.output('pullRequestClosed', false);
}

import { ActionContext } from '@backstage/plugin-scaffolder-node';
import {
  FoundTargetGroupConfiguration,
  GitOpsRepository,
  PendingListenerClaim,
  PullRequestOpener,
  readPendingSharedReviews,
  RepositoryUrl,
  SharedGateway,
} from '@gateway-portal/plugin-aws-gateway-node';
import { ZodImpl } from '../support/inputDefaults';

/**
 * The shared-gateway actions (add, change a listener) count what the
 * portal's other open review pull requests claim on the Gateway as taken,
 * like the base and the live Gateway: two developers at once are not both
 * granted a port, nor two TargetGroupConfigurations for one Service. What could not be read is logged and given as output (a
 * dry run shows it); the check then rests on the base and the live Gateway,
 * and a conflicting merge still fails.
 */

/** The output saying what the open reviews claim, or what is not known. */
export const pendingReviewsOutput = {
  pendingReviews: (z: ZodImpl) =>
    z
      .string()
      .describe(
        "What the portal's other open pull requests on the shared Gateway claim (counted as taken), or why that is not known",
      ),
};

type PendingContext = Pick<ActionContext<any, any>, 'signal' | 'logger'> & {
  output(name: 'pendingReviews', value: string): void;
};

/** Reads the other open reviews' claims and TargetGroupConfigurations (reads only), logs and outputs what was read. */
export async function readOtherPendingReviews(
  ctx: PendingContext,
  deps: {
    repository: Pick<
      GitOpsRepository,
      'reviewBranchReader' | 'pullRequestOpener'
    >;
    opener?: Pick<PullRequestOpener, 'listOpen'>;
  },
  target: {
    repoUrl: RepositoryUrl;
    shared: SharedGateway;
    baseGateway: unknown;
    /** The run's own review branch, if it has one. */
    exceptBranch?: string;
    userToken?: string;
  },
): Promise<{
  claims: PendingListenerClaim[];
  targetGroupConfigurations: FoundTargetGroupConfiguration[];
  /** What the reviews' TargetGroupConfiguration reads could not see (the bound each met). */
  targetGroupConfigurationsNote?: string;
}> {
  const pending = await readPendingSharedReviews({
    ...deps,
    ...target,
    signal: ctx.signal,
  });
  const claims = pending.claims.length
    ? pending.claims
        .map(c => `port ${c.port} (${c.name}) in #${c.pullRequest.number}`)
        .join(', ')
    : 'no port';
  const summary = pending.listed
    ? `${pending.read} other open review pull request(s) on ${target.shared.id} read: ${claims} pending`
    : `ports pending review on ${target.shared.id} are not known`;
  const text = pending.note ? `${summary}; ${pending.note}` : summary;
  if (pending.note) ctx.logger.warn(text);
  else ctx.logger.info(text);
  ctx.output('pendingReviews', text);
  return {
    claims: pending.claims,
    targetGroupConfigurations: pending.targetGroupConfigurations ?? [],
    ...(pending.targetGroupConfigurationsNote
      ? { targetGroupConfigurationsNote: pending.targetGroupConfigurationsNote }
      : {}),
  };
}

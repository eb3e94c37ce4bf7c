import crypto from 'node:crypto';
import { ServiceUnavailableError } from '@backstage/errors';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import {
  GitOpsFile,
  GitOpsRepository,
  PullRequestOpener,
  RepositoryUrl,
} from '@gateway-portal/plugin-aws-gateway-node';
import { GitOpsSettings } from '../gitops/gitopsSettings';
import { reviewBranchFor } from '../gitops/reviewBranch';
import { ZodImpl } from '../support/inputDefaults';

/**
 * The one way the shared-gateway actions (add, change, remove a listener)
 * write to the platform's GitOps repository: a commit on a review branch (or
 * the Gateway's branch in mode commit) replacing the files only if they are
 * still as read, then a pull request opened or the open one reused — each a
 * checkpoint, so a retried task neither commits nor opens twice. A dry run
 * computes the commit and the pull request's URL shape and writes nothing.
 */

/** What goes to the platform's repository. */
export interface SharedGatewayCommit {
  repoUrl: RepositoryUrl;
  branch: string;
  baseBranch: string;
  /** The files as they will be. */
  files: GitOpsFile[];
  /** The files as read: each must still be so; those not among `files` are deleted. */
  replaces: GitOpsFile[];
  message: string;
  /** The pull request's description. */
  body: string;
  userToken?: string;
  /** Names the checkpoints (`shared-listener`, `shared-listener-change`…). */
  step: string;
}

type CommitContext = Pick<
  ActionContext<any, any>,
  'isDryRun' | 'signal' | 'logger' | 'checkpoint' | 'output'
>;

/** The branch, commit and pull request outputs every shared-gateway action has. */
export const sharedGatewayCommitOutputs = {
  branch: (z: ZodImpl) =>
    z
      .string()
      .describe(
        'The branch written to (mode pull-request: the review branch while its pull request is open, else a new one from the base named <branch>_2, _3…)',
      ),
  commitSha: (z: ZodImpl) => z.string(),
  commitUrl: (z: ZodImpl) => z.string(),
  changed: (z: ZodImpl) =>
    z.boolean().describe('False when the content was already there'),
  pullRequestUrl: (z: ZodImpl) => z.string().optional(),
  pullRequestNumber: (z: ZodImpl) =>
    z.number().optional().describe('0 in a dry run'),
};

/**
 * The review branch a shared-gateway action writes to (reviewBranchFor, on
 * the branches the platform's repository has now). Reads only.
 */
export async function chooseSharedReviewBranch(
  ctx: CommitContext,
  deps: {
    repository: Pick<GitOpsRepository, 'describeRemote'>;
    opener: Pick<PullRequestOpener, 'findOpen'>;
  },
  target: {
    repoUrl: RepositoryUrl;
    preferred: string;
    baseBranch: string;
    userToken?: string;
    step: string;
  },
): Promise<string> {
  const { repoUrl, userToken, ...rest } = target;
  const { branches } = await deps.repository.describeRemote(repoUrl, {
    signal: ctx.signal,
    userToken,
  });
  return reviewBranchFor(ctx, deps.opener, { ...rest, branches });
}

/** Commits and, given an opener, opens (or reuses) the pull request; sets the outputs above. */
export async function commitToSharedGateway(
  ctx: CommitContext,
  deps: {
    repository: Pick<GitOpsRepository, 'commitFiles'>;
    settings: GitOpsSettings;
    opener?: PullRequestOpener;
  },
  commit: SharedGatewayCommit,
): Promise<void> {
  const { repository, settings, opener } = deps;
  const request = {
    repoUrl: commit.repoUrl,
    branch: commit.branch,
    baseBranch: commit.baseBranch,
    files: commit.files,
    replaces: commit.replaces,
    message: commit.message,
    author: settings.committer,
    committer: settings.committer,
    userToken: commit.userToken,
  };
  const key = digest(commit);
  ctx.signal?.throwIfAborted();
  const result = ctx.isDryRun
    ? await repository.commitFiles({
        ...request,
        dryRun: true,
        signal: ctx.signal,
      })
    : await ctx.checkpoint({
        key: `${commit.step}-commit-${key}`,
        fn: async () => {
          const r = await repository.commitFiles({
            ...request,
            signal: ctx.signal,
          });
          return {
            commitSha: r.commitSha,
            commitUrl: r.commitUrl,
            branch: r.branch,
            changed: r.changed,
          };
        },
      });
  ctx.output('branch', result.branch);
  ctx.output('commitSha', result.commitSha);
  ctx.output('commitUrl', result.commitUrl);
  ctx.output('changed', result.changed);
  if (!opener) return;

  const pullRequest = ctx.isDryRun
    ? { number: 0, url: opener.previewUrl(0) }
    : await ctx.checkpoint({
        key: `${commit.step}-pull-request-${key}`,
        fn: async () => {
          if (ctx.signal?.aborted)
            throw new ServiceUnavailableError(
              'the task was cancelled after the push; no pull request opened',
            );
          const pr = await opener.open(
            {
              head: commit.branch,
              base: commit.baseBranch,
              title: commit.message,
              body: commit.body,
            },
            { signal: ctx.signal },
          );
          ctx.logger.info(
            pr.created
              ? `Opened pull request #${pr.number}: ${pr.url}`
              : `Pull request #${pr.number} is already open: ${pr.url}`,
          );
          return { number: pr.number, url: pr.url };
        },
      });
  ctx.output('pullRequestUrl', pullRequest.url);
  ctx.output('pullRequestNumber', pullRequest.number);
}

/** Checkpoint keys: the same commit of the same task is made once. */
function digest(commit: SharedGatewayCommit): string {
  const hash = crypto.createHash('sha256');
  hash.update(`${commit.branch}\n${commit.baseBranch}\n`);
  for (const f of commit.files) hash.update(`${f.path}\n${f.content}\n`);
  for (const f of commit.replaces) hash.update(`-${f.path}\n`);
  return hash.digest('hex').slice(0, 16);
}

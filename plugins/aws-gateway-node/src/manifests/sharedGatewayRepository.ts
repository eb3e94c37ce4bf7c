import path from 'node:path';
import { InputError } from '@backstage/errors';
import { GitOpsRepository } from '../gitops/GitOpsRepository';
import { PullRequestOpener } from '../gitops/pullRequests';
import { GitOpsFile } from '../gitops/types';
import { RepositoryUrl } from '../urls/repositoryUrl';
import { SharedGateway } from './sharedGatewayConfig';
import {
  gatewayListeners,
  GatewayListenerSummary,
  parseSharedGatewayManifest,
  sameListenerSummary,
} from './sharedListener';

/**
 * A shared Gateway's manifest in the platform's GitOps repository, on its
 * branch and on the portal's review branches still under review: a listener
 * an open pull request of the portal adds (or moves) holds its port and name
 * as surely as a merged one — two developers must not be offered, or
 * granted, the same port. The repository is hostile: each branch is read
 * like the base (plain files, size-capped, one Gateway document, no
 * aliases), a bounded number of pull requests is read, and what cannot be
 * read is said, never taken as free.
 */

/** Every review branch the portal opens on a shared Gateway's repository starts so. @public */
export const SHARED_REVIEW_BRANCH_PREFIX = 'aws-gateway/shared-';

/** How many open review pull requests are read for their claims. */
export const MAX_PENDING_REVIEWS_READ = 10;

/**
 * The review branch of a listener's route (`edit`: `change-<digest>`,
 * `remove-<digest>`; none for the expose itself). @public
 */
export function sharedReviewBranch(
  namespace: string,
  routeName: string,
  edit?: string,
): string {
  return `${SHARED_REVIEW_BRANCH_PREFIX}${namespace}-${routeName}${
    edit ? `-${edit}` : ''
  }`;
}

/** A listener an open pull request adds or moves: its port and name are held. @public */
export interface PendingListenerClaim extends GatewayListenerSummary {
  pullRequest: { number: number; url: string };
  branch: string;
}

/** What the open review pull requests claim on one shared Gateway. @public */
export interface PendingSharedReviews {
  /** False when the open pull requests could not be listed: no claim is known. */
  listed: boolean;
  /** How many open review pull requests were read. */
  read: number;
  claims: PendingListenerClaim[];
  /** What is not known, in words for the form and the task log; undefined when every open review was read. */
  note?: string;
}

/** The shared Gateway's manifest on a branch (or the base it would start from). @public */
export async function readSharedGatewayManifest(
  repository: Pick<GitOpsRepository, 'readFiles'>,
  repoUrl: RepositoryUrl,
  shared: SharedGateway,
  options: {
    branch: string;
    baseBranch?: string;
    userToken?: string;
    signal?: AbortSignal;
  },
): Promise<{ file: GitOpsFile; branch: string; commitSha: string }> {
  const read = await repository.readFiles(repoUrl, {
    ...options,
    directory: path.posix.dirname(shared.gitops.path),
  });
  const file = read.files.find(f => f.path === shared.gitops.path);
  if (!file) {
    throw new InputError(
      `sharedGateway: ${shared.gitops.path} is not a file on ${read.branch} of ${repoUrl.href}; ask the platform team to check awsGateway.provisioning.sharedGateways [shared-gateway-manifest-missing]`,
    );
  }
  return { file, branch: read.branch, commitSha: read.commitSha };
}

/**
 * The listeners a review branch's manifest has that the base's lacks (by
 * name, port and protocol): what merging it would add or move. A branch
 * that predates a removal on the base shows the removed listener too — its
 * port counts as held until the pull request is merged or closed (the safe
 * side). Throws an InputError for a manifest that is not the Gateway.
 *
 * @public
 */
export function pendingListenerClaims(
  shared: SharedGateway,
  baseGateway: unknown,
  branchGatewayYaml: string,
  review: { branch: string; pullRequest: { number: number; url: string } },
): PendingListenerClaim[] {
  const { gateway } = parseSharedGatewayManifest(shared, branchGatewayYaml);
  const onBase = gatewayListeners(baseGateway);
  return gatewayListeners(gateway)
    .filter(l => !onBase.some(b => sameListenerSummary(b, l)))
    .map(l => ({ ...l, ...review }));
}

/**
 * Reads the claims of the portal's open review pull requests into the
 * shared Gateway's branch (heads `aws-gateway/shared-…`, newest first, at
 * most `MAX_PENDING_REVIEWS_READ`), except `exceptBranch` (the run's
 * own). Reads only; every call has the GitOps deadlines and `signal`. A host
 * that cannot list pull requests, a branch that cannot be read or holds no
 * valid manifest, and reviews beyond the bound are said in `note` — the
 * caller falls back to the base and the live Gateway, where a conflicting
 * merge still fails.
 *
 * @public
 */
export async function readPendingSharedReviews(options: {
  repository: Pick<GitOpsRepository, 'readFiles' | 'pullRequestOpener'>;
  repoUrl: RepositoryUrl;
  shared: SharedGateway;
  /** The Gateway on the base branch, parsed: what the branches are compared with. */
  baseGateway: unknown;
  /** An opener already made (the action's, with the user's token); else one with the integration's credentials. */
  opener?: Pick<PullRequestOpener, 'listOpen'>;
  exceptBranch?: string;
  userToken?: string;
  signal?: AbortSignal;
}): Promise<PendingSharedReviews> {
  const { repository, repoUrl, shared, signal, userToken } = options;
  const unknown = (why: string): PendingSharedReviews => ({
    listed: false,
    read: 0,
    claims: [],
    note: `the open pull requests of ${repoUrl.href} could not be listed (${why}): ports that reviews still open claim are not known — a port may be offered that a pending pull request takes (merging the second one then conflicts)`,
  });
  let listed;
  try {
    const opener =
      options.opener ??
      (await repository.pullRequestOpener(repoUrl, { userToken }));
    listed = await opener.listOpen(
      shared.gitops.branch,
      {
        headPrefix: SHARED_REVIEW_BRANCH_PREFIX,
        limit: MAX_PENDING_REVIEWS_READ + (options.exceptBranch ? 1 : 0),
      },
      { signal },
    );
  } catch (error) {
    signal?.throwIfAborted();
    return unknown(reasonOf(error));
  }
  const reviews = listed.pullRequests
    .filter(p => p.head !== options.exceptBranch)
    .slice(0, MAX_PENDING_REVIEWS_READ);
  const unread: string[] = [];
  const claims = (
    await Promise.all(
      reviews.map(async pr => {
        const review = {
          branch: pr.head,
          pullRequest: { number: pr.number, url: pr.url },
        };
        try {
          const { file } = await readSharedGatewayManifest(
            repository,
            repoUrl,
            shared,
            { branch: pr.head, userToken, signal },
          );
          return pendingListenerClaims(
            shared,
            options.baseGateway,
            file.content,
            review,
          );
        } catch (error) {
          signal?.throwIfAborted();
          unread.push(`#${pr.number} (${reasonOf(error)})`);
          return [];
        }
      }),
    )
  ).flat();
  const notes = [
    ...(unread.length
      ? [
          `the manifest of pull request ${unread
            .sort()
            .join(', ')} could not be read: its ports are not known`,
        ]
      : []),
    ...(listed.complete
      ? []
      : [
          `only the newest ${MAX_PENDING_REVIEWS_READ} open review pull requests were read: older ones may claim ports too`,
        ]),
  ];
  return {
    listed: true,
    read: reviews.length,
    claims,
    ...(notes.length ? { note: notes.join('; ') } : {}),
  };
}

/** An error's own message, on one line: the portal's errors name no secret. */
function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0];
}

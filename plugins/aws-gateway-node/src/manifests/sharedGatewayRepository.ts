import path from 'node:path';
import { InputError } from '@backstage/errors';
import { GitOpsRepository } from '../gitops/GitOpsRepository';
import { PullRequestOpener } from '../gitops/pullRequests';
import { MERGE_BASE_DEPTHS } from '../gitops/remoteGit';
import {
  GitOpsDirectory,
  GitOpsFile,
  GitOpsReviewBranch,
} from '../gitops/types';
import { RepositoryUrl } from '../urls/repositoryUrl';
import { SharedGateway } from './sharedGatewayConfig';
import {
  committedFilesBoundNote,
  COMMITTED_TARGET_GROUP_CONFIGURATION_FILES,
  committedTargetGroupConfigurations,
  FoundTargetGroupConfiguration,
} from './sharedTargetGroupConfigurations';
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
  /** The TargetGroupConfigurations the reviews read add or change (each with its pull request's URL); none when not listed. */
  targetGroupConfigurations?: FoundTargetGroupConfiguration[];
  /** What is not known, in words for the form and the task log; undefined when every open review was read. */
  note?: string;
  /**
   * The part of `note` the TargetGroupConfiguration check rests on: the
   * reviews whose files were not all read, and the bound each met.
   */
  targetGroupConfigurationsNote?: string;
}

/** The TargetGroupConfigurations committed on a branch, as `readSharedGatewayManifest` read them. @public */
export interface CommittedTargetGroupConfigurations {
  found: FoundTargetGroupConfiguration[];
  complete: boolean;
  /** What the read could not see, naming the bound; undefined when complete. */
  note?: string;
}

/**
 * The shared Gateway's manifest on a branch (or the base it would start
 * from); `targetGroupConfigurations`: the TargetGroupConfigurations committed
 * there too, from the same fetch (`committed`, each naming its file).
 *
 * @public
 */
export async function readSharedGatewayManifest(
  repository: Pick<GitOpsRepository, 'readFiles'>,
  repoUrl: RepositoryUrl,
  shared: SharedGateway,
  options: {
    branch: string;
    baseBranch?: string;
    userToken?: string;
    signal?: AbortSignal;
    targetGroupConfigurations?: boolean;
  },
): Promise<{
  file: GitOpsFile;
  branch: string;
  commitSha: string;
  committed?: CommittedTargetGroupConfigurations;
}> {
  const { targetGroupConfigurations, ...read } = options;
  const directory = await repository.readFiles(repoUrl, {
    ...read,
    directory: path.posix.dirname(shared.gitops.path),
    ...(targetGroupConfigurations
      ? { filesBelow: COMMITTED_TARGET_GROUP_CONFIGURATION_FILES }
      : {}),
  });
  const file = manifestIn(directory, shared);
  if (!file) throw manifestMissing(shared, directory.branch, repoUrl);
  return {
    file,
    branch: directory.branch,
    commitSha: directory.commitSha,
    ...(directory.below
      ? {
          committed: {
            found: committedTargetGroupConfigurations(
              directory.below.files,
              f => `committed in ${f.path} on ${directory.branch}`,
            ),
            complete: directory.below.complete,
            ...optional(
              'note',
              committedFilesBoundNote(
                directory.below,
                `on ${directory.branch}`,
              ),
            ),
          },
        }
      : {}),
  };
}

function manifestIn(
  read: GitOpsDirectory,
  shared: SharedGateway,
): GitOpsFile | undefined {
  return read.files.find(f => f.path === shared.gitops.path);
}

function manifestMissing(
  shared: SharedGateway,
  branch: string,
  repoUrl: RepositoryUrl,
): InputError {
  return new InputError(
    `sharedGateway: ${shared.gitops.path} is not a file on ${branch} of ${repoUrl.href}; ask the platform team to check awsGateway.provisioning.sharedGateways [shared-gateway-manifest-missing]`,
  );
}

/** A shared Gateway's manifest on a review branch, with the manifest where the branch left the Gateway's branch. */
export interface SharedGatewayReview {
  file: GitOpsFile;
  review: GitOpsReviewBranch;
  mergeBase?: { file?: GitOpsFile; commitSha: string };
}

/**
 * Reads the shared Gateway's manifest on review branches and where each
 * branch left the Gateway's branch (their merge base: what its pull request
 * is compared with), both read with the base's hostile-content rules; the
 * branch listing and the base's fetches are shared by every `read`.
 * `mergeBase` is undefined when the merge base was not found within the
 * bounded depth, and its `file` is undefined when the manifest did not exist
 * there.
 */
export function sharedGatewayReviewReader(
  repository: Pick<GitOpsRepository, 'reviewBranchReader'>,
  repoUrl: RepositoryUrl,
  shared: SharedGateway,
  options: {
    userToken?: string;
    signal?: AbortSignal;
    /** Also read the files the TargetGroupConfigurations may be in (`review.head.below`). */
    targetGroupConfigurations?: boolean;
  },
): { read(branch: string): Promise<SharedGatewayReview> } {
  const { targetGroupConfigurations, ...read } = options;
  const reader = repository.reviewBranchReader(repoUrl, {
    ...read,
    baseBranch: shared.gitops.branch,
    directory: path.posix.dirname(shared.gitops.path),
    ...(targetGroupConfigurations
      ? { filesBelow: COMMITTED_TARGET_GROUP_CONFIGURATION_FILES }
      : {}),
  });
  return {
    async read(branch) {
      const review = await reader.read(branch);
      const file = manifestIn(review.head, shared);
      if (!file) throw manifestMissing(shared, review.head.branch, repoUrl);
      return {
        file,
        review,
        ...(review.mergeBase
          ? {
              mergeBase: {
                file: manifestIn(review.mergeBase, shared),
                commitSha: review.mergeBase.commitSha,
              },
            }
          : {}),
      };
    },
  };
}

/** One review branch read by `sharedGatewayReviewReader`. @public */
export async function readSharedGatewayReview(
  repository: Pick<GitOpsRepository, 'reviewBranchReader'>,
  repoUrl: RepositoryUrl,
  shared: SharedGateway,
  options: { branch: string; userToken?: string; signal?: AbortSignal },
): Promise<{
  file: GitOpsFile;
  review: GitOpsReviewBranch;
  mergeBase?: { file?: GitOpsFile; commitSha: string };
}> {
  const { branch, ...rest } = options;
  return sharedGatewayReviewReader(repository, repoUrl, shared, rest).read(
    branch,
  );
}

/**
 * The listeners a review branch's manifest adds or moves (by name, port and
 * protocol): those its merge base (`since`: where it left the base, the
 * manifest there) lacks — what its pull request shows — and today's base
 * lacks too (already merged: the base holds them). A branch that predates a
 * removal merged since still has the removed listener, as its merge base
 * does: it claims nothing. Without a known merge base, `since` is today's
 * base (the safe side: a listener removed since counts as held). Throws an
 * InputError for a manifest that is not the Gateway.
 *
 * @public
 */
export function pendingListenerClaims(
  shared: SharedGateway,
  compared: { base: unknown; since: unknown },
  branchGatewayYaml: string,
  review: { branch: string; pullRequest: { number: number; url: string } },
): PendingListenerClaim[] {
  const { gateway } = parseSharedGatewayManifest(shared, branchGatewayYaml);
  const held = [
    ...gatewayListeners(compared.since),
    ...gatewayListeners(compared.base),
  ];
  return gatewayListeners(gateway)
    .filter(l => !held.some(b => sameListenerSummary(b, l)))
    .map(l => ({ ...l, ...review }));
}

/**
 * Reads the claims of the portal's open review pull requests into the
 * shared Gateway's branch (heads `aws-gateway/shared-…`, newest first, at
 * most `MAX_PENDING_REVIEWS_READ`), except `exceptBranch` (the run's
 * own): what each branch adds since it left the base (pendingListenerClaims).
 * Reads only; every call has the GitOps deadlines and `signal`. A host
 * that cannot list pull requests, a branch that cannot be read or holds no
 * valid manifest, a merge base out of reach and reviews beyond the bound
 * are said in `note` — the
 * caller falls back to the base and the live Gateway, where a conflicting
 * merge still fails.
 *
 * @public
 */
export async function readPendingSharedReviews(options: {
  repository: Pick<
    GitOpsRepository,
    'reviewBranchReader' | 'pullRequestOpener'
  >;
  repoUrl: RepositoryUrl;
  shared: SharedGateway;
  /** The Gateway on the base branch, parsed (what it holds is not pending; without a merge base, what a branch is compared with). */
  baseGateway: unknown;
  /** An opener already made (the action's, with the user's token); else one with the integration's credentials. */
  opener?: Pick<PullRequestOpener, 'listOpen'>;
  exceptBranch?: string;
  userToken?: string;
  signal?: AbortSignal;
  /**
   * Also read the TargetGroupConfigurations the reviews add (default true;
   * a reader of ports only, the expose form, skips walking their files).
   */
  targetGroupConfigurations?: boolean;
}): Promise<PendingSharedReviews> {
  const { repository, repoUrl, shared, signal, userToken } = options;
  const withTargetGroupConfigurations =
    options.targetGroupConfigurations ?? true;
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
  const unplaced: string[] = [];
  const partly: { pullRequest: number; note: string }[] = [];
  const targetGroupConfigurations: FoundTargetGroupConfiguration[] = [];
  // One branch listing and one base fetch per depth for all of them.
  const reviewed = sharedGatewayReviewReader(repository, repoUrl, shared, {
    userToken,
    signal,
    targetGroupConfigurations: withTargetGroupConfigurations,
  });
  const claims = (
    await Promise.all(
      reviews.map(async pr => {
        const review = {
          branch: pr.head,
          pullRequest: { number: pr.number, url: pr.url },
        };
        try {
          const {
            file,
            mergeBase,
            review: branch,
          } = await reviewed.read(pr.head);
          if (!mergeBase) unplaced.push(`#${pr.number}`);
          if (withTargetGroupConfigurations) {
            const proposed = proposedFiles(branch);
            const bound = committedFilesBoundNote(
              proposed,
              `in pull request #${pr.number}`,
            );
            if (bound) partly.push({ pullRequest: pr.number, note: bound });
            targetGroupConfigurations.push(
              ...committedTargetGroupConfigurations(
                proposed.files,
                f => `proposed in ${f.path} by pull request ${pr.url}`,
              ),
            );
          }
          return pendingListenerClaims(
            shared,
            {
              base: options.baseGateway,
              since: mergeBase
                ? mergeBase.file &&
                  parseSharedGatewayManifest(shared, mergeBase.file.content)
                    .gateway
                : options.baseGateway,
            },
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
  const targetGroupConfigurationsNote = partly.length
    ? partly
        .sort((a, b) => a.pullRequest - b.pullRequest)
        .map(p => p.note)
        .join('; ')
    : undefined;
  const notes = [
    ...(unread.length
      ? [
          `the manifest of pull request ${unread
            .sort()
            .join(', ')} could not be read: its ports are not known`,
        ]
      : []),
    ...(unplaced.length
      ? [
          `where pull request ${unplaced.sort().join(', ')} left ${
            shared.gitops.branch
          } was not found within ${
            MERGE_BASE_DEPTHS[MERGE_BASE_DEPTHS.length - 1]
          } commits: it was compared with ${
            shared.gitops.branch
          } as it is now (a listener removed there since counts as held)`,
        ]
      : []),
    ...(targetGroupConfigurationsNote ? [targetGroupConfigurationsNote] : []),
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
    ...(withTargetGroupConfigurations ? { targetGroupConfigurations } : {}),
    ...(notes.length ? { note: notes.join('; ') } : {}),
    ...optional('targetGroupConfigurationsNote', targetGroupConfigurationsNote),
  };
}

/** `{ [key]: value }`, or nothing when there is no value. */
function optional<K extends string>(
  key: K,
  value: string | undefined,
): { [k in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [k in K]?: string };
}

/**
 * The files below the layout's folders a review branch adds or changes since
 * its merge base (what its pull request shows); without the changes known
 * (no merge base, or beyond their bound), every such file of its head (the
 * safe side).
 */
function proposedFiles(review: GitOpsReviewBranch): {
  files: GitOpsFile[];
  complete: boolean;
} {
  const below = review.head.below ?? { files: [], complete: true };
  const changes = review.changes;
  if (!changes?.complete) return below;
  const changed = new Set(changes.changes.filter(c => c.to).map(c => c.path));
  return {
    files: below.files.filter(f => changed.has(f.path)),
    complete: below.complete,
  };
}

/** An error's own message, on one line: the portal's errors name no secret. */
function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0];
}

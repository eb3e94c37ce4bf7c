import { ConflictError } from '@backstage/errors';
import { OpenPullRequest } from './pullRequestHosts/types';

/**
 * Which review branch a run that opens a pull request writes to. A branch is
 * reused only while it is still under review — its pull request into the base
 * is open — so a re-run finds its own branch and pull request. A branch left
 * by a pull request that was merged or closed is never written to again (it
 * holds what the base had then, or work someone declined): the run starts a
 * new branch from the current base, named `<preferred>_2`, `_3`… (`_` is in no
 * Kubernetes name, so a suffix never reads as another object's branch). Old
 * branches are left as they are: nothing is force-pushed or lost.
 */

/** How many branches of one name are tried before giving up. */
const MAX_REVIEW_BRANCHES = 20;

/** @public */
export interface ReviewBranchChoice {
  branch: string;
  /** The open pull request of `branch` into the base, when the branch is reused. */
  pullRequest?: OpenPullRequest;
  /** Branches of this name that exist and are no longer under review (skipped). */
  skipped: string[];
}

/**
 * Chooses the review branch for `preferred` on a remote whose `branches`
 * were listed; `findOpen` reads the open pull request of a branch into
 * `baseBranch`. Reads only. @public
 */
export async function chooseReviewBranch(options: {
  preferred: string;
  baseBranch: string;
  branches: Readonly<Record<string, string>>;
  findOpen: (
    head: string,
    base: string,
  ) => Promise<OpenPullRequest | undefined>;
}): Promise<ReviewBranchChoice> {
  const { preferred, baseBranch, branches, findOpen } = options;
  const skipped: string[] = [];
  for (let n = 1; n <= MAX_REVIEW_BRANCHES; n++) {
    const branch = n === 1 ? preferred : `${preferred}_${n}`;
    if (!Object.prototype.hasOwnProperty.call(branches, branch)) {
      return { branch, skipped };
    }
    const pullRequest = await findOpen(branch, baseBranch);
    if (pullRequest) return { branch, pullRequest, skipped };
    skipped.push(branch);
  }
  throw new ConflictError(
    `branch: ${MAX_REVIEW_BRANCHES} review branches named ${preferred} exist with no open pull request into ${baseBranch}; delete the merged ones`,
  );
}

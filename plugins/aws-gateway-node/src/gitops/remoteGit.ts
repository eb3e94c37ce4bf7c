import { InputError, ServiceUnavailableError } from '@backstage/errors';
import git, { HttpClient } from 'isomorphic-git';
import { planBranch } from './branches';
import { credentialsWording, GitRemote } from './gitCredentials';
import { GitOperation } from './gitHttp';
import { createObjectStore } from './objectStore';
import { GitOpsRemoteInfo } from './types';

/**
 * The network half of a GitOps commit: list the branches, fetch the base
 * commit into memory, push without force. Each is one operation with its
 * deadlines and the caller's signal.
 */

/** Starts an operation: its deadlines, the caller's signal and the HTTP transport bound to both. */
export type OpenOperation = (
  what: string,
  signal?: AbortSignal,
) => { operation: GitOperation; http: HttpClient };

/** A push lost a race with another writer: fetch again and redo the change. */
export class ConcurrentUpdate extends Error {}

export function authCallbacks(remote: GitRemote) {
  const { credentials } = remote;
  const { field, whose } = credentialsWording(remote.source);
  return {
    onAuth: () =>
      credentials.bearer
        ? { headers: { Authorization: `Bearer ${credentials.password}` } }
        : { username: credentials.username, password: credentials.password },
    onAuthFailure: () => {
      // Never retry with the same secret, never echo it, never fall back to other credentials.
      throw new InputError(
        `${field}: the git server refused ${whose} for ${remote.url.href}${
          remote.source === 'user'
            ? "; nothing was pushed, and the integration's credentials were not tried instead"
            : ''
        }`,
      );
    },
  };
}

/** What went wrong reaching a git server, without any text the server or the request supplied. */
function gitFailure(error: unknown): string {
  const e = error as {
    code?: unknown;
    cause?: { code?: unknown };
    data?: { statusCode?: unknown; statusMessage?: unknown };
  };
  if (e?.code === 'HttpError' && typeof e.data?.statusCode === 'number') {
    return `HTTP ${e.data.statusCode}${
      typeof e.data.statusMessage === 'string' && e.data.statusMessage
        ? ` ${e.data.statusMessage}`
        : ''
    }`;
  }
  for (const code of [e?.code, e?.cause?.code]) {
    if (typeof code === 'string' && /^[A-Za-z0-9_]+$/.test(code)) return code;
  }
  return 'unexpected error';
}

export async function listBranches(
  open: OpenOperation,
  remote: GitRemote,
  signal?: AbortSignal,
): Promise<Omit<GitOpsRemoteInfo, 'type'>> {
  const repoUrl = remote.url.href;
  const { operation, http } = open('listing its branches', signal);
  let refs;
  try {
    refs = await operation.run(() =>
      git.listServerRefs({
        http,
        url: repoUrl,
        symrefs: true,
        ...authCallbacks(remote),
      }),
    );
  } catch (error) {
    // Refused credentials and deadlines are already explained.
    if (error instanceof InputError || error instanceof ServiceUnavailableError)
      throw error;
    // Only a status or an error code: a server's message could echo a request.
    const { field, whose } = credentialsWording(remote.source);
    throw new InputError(
      `${field}: ${repoUrl} could not be read with ${whose} (${gitFailure(
        error,
      )}); it must be an existing repository they can read`,
    );
  }
  const branches: Record<string, string> = {};
  for (const r of refs) {
    if (r.ref.startsWith('refs/heads/')) branches[r.ref.slice(11)] = r.oid;
  }
  if (!Object.keys(branches).length) {
    throw new InputError(
      `repoUrl: repository ${repoUrl} has no branches; push an initial commit first`,
    );
  }
  const defaultBranch = refs
    .find(r => r.ref === 'HEAD')
    ?.target?.replace(/^refs\/heads\//, '');
  return { branches, ...(defaultBranch ? { defaultBranch } : {}) };
}

/** Fetches `branch`'s last `depth` commits into `store`; its head, as fetched. */
async function fetchBranch(
  open: OpenOperation,
  remote: GitRemote,
  store: { fs: any; gitdir: string },
  branch: string,
  depth: number,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const fetching = open('fetching the branch', signal);
  const fetched = await fetching.operation.run(() =>
    git.fetch({
      ...store,
      http: fetching.http,
      remote: 'origin',
      url: remote.url.href,
      ref: branch,
      singleBranch: true,
      depth,
      tags: false,
      ...authCallbacks(remote),
    }),
  );
  return fetched.fetchHead ?? undefined;
}

/**
 * Fetches the head commit a commit to `branch` would start from into a new
 * in-memory object store: the branch, or the base it would be created from.
 */
export async function fetchBase(
  open: OpenOperation,
  remote: GitRemote,
  branch: string,
  baseBranch: string | undefined,
  signal?: AbortSignal,
) {
  const repoUrl = remote.url.href;
  const listed = await listBranches(open, remote, signal);
  const plan = planBranch(listed, repoUrl, branch, baseBranch);
  // Only git objects, in memory: the repository's files never touch a disk.
  const store = await createObjectStore(plan.base, repoUrl);
  const head =
    (await fetchBranch(open, remote, store, plan.base, 1, signal)) ??
    plan.baseSha;
  const { commit } = await git.readCommit({ ...store, oid: head });
  return { plan, store, head, rootTree: commit.tree };
}

/** How deep a branch and its base are fetched, step by step, to find where the branch left the base. */
export const MERGE_BASE_DEPTHS = [2, 16, 128] as const;

/**
 * Fetches `branch` and `baseBranch` into one in-memory store, deepening both
 * (bounded by {@link MERGE_BASE_DEPTHS}) until git's merge base of their
 * heads is found: where the branch left the base, what a pull request of it
 * is compared with. `mergeBase` is undefined when the histories do not meet
 * within the bound (or share no commit). Reads only.
 */
export async function fetchMergeBase(
  open: OpenOperation,
  remote: GitRemote,
  branch: string,
  baseBranch: string,
  signal?: AbortSignal,
) {
  const repoUrl = remote.url.href;
  const listed = await listBranches(open, remote, signal);
  if (!Object.prototype.hasOwnProperty.call(listed.branches, baseBranch)) {
    throw new InputError(
      `baseBranch: "${baseBranch}" does not exist in ${repoUrl}; a review branch is compared with the branch it is proposed into`,
    );
  }
  const head = planBranch(listed, repoUrl, branch, baseBranch);
  const base = planBranch(listed, repoUrl, baseBranch);
  const store = await createObjectStore(base.base, repoUrl);
  const fetchDepth = (ref: string, depth: number) =>
    fetchBranch(open, remote, store, ref, depth, signal);
  let mergeBase: string | undefined;
  let headSha = head.baseSha;
  let baseSha = base.baseSha;
  for (const depth of MERGE_BASE_DEPTHS) {
    // The heads as fetched: a branch moved meanwhile is compared as it is now.
    headSha = (await fetchDepth(head.base, depth)) || headSha;
    baseSha = (await fetchDepth(base.base, depth)) || baseSha;
    [mergeBase] = await git.findMergeBase({
      ...store,
      oids: [headSha, baseSha],
    });
    if (mergeBase) break;
  }
  const rootTree = async (oid: string) =>
    (await git.readCommit({ ...store, oid })).commit.tree;
  return {
    store,
    head: { branch: head.base, commitSha: headSha },
    base: { branch: base.base, commitSha: baseSha },
    headTree: await rootTree(headSha),
    mergeBase: mergeBase
      ? { commitSha: mergeBase, tree: await rootTree(mergeBase) }
      : undefined,
  };
}

export async function pushBranch(
  open: OpenOperation,
  store: { fs: any; gitdir: string },
  url: string,
  branch: string,
  auth: ReturnType<typeof authCallbacks>,
  signal?: AbortSignal,
) {
  const { operation, http } = open('pushing the commit', signal);
  let result;
  try {
    result = await operation.run(() =>
      git.push({
        ...store,
        http,
        url,
        ref: branch,
        remoteRef: branch,
        force: false,
        ...auth,
      }),
    );
  } catch (error: any) {
    // Client-side fast-forward check, or the server's ref update lost a race.
    if (error?.code === 'PushRejectedError' || error?.code === 'GitPushError') {
      throw new ConcurrentUpdate(error.message);
    }
    throw error;
  }
  if (!result.ok || result.refs[`refs/heads/${branch}`]?.ok === false) {
    throw new ConcurrentUpdate(result.error ?? 'push rejected');
  }
}

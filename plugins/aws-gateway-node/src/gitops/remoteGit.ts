import { InputError, ServiceUnavailableError } from '@backstage/errors';
import git, { HttpClient } from 'isomorphic-git';
import { planBranch } from './branches';
import { credentialsWording, GitRemote } from './gitCredentials';
import { GitOperation } from './gitHttp';
import { copyObjectStore, createObjectStore, ObjectStore } from './objectStore';
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

/** A review branch and where it left the base, fetched into one in-memory store: what a pull request of it compares. */
export interface MergeBaseRead {
  store: ObjectStore;
  head: { branch: string; commitSha: string };
  base: { branch: string; commitSha: string };
  headTree: string;
  /** Undefined when the histories do not meet within the bound (or share no commit). */
  mergeBase?: { commitSha: string; tree: string };
}

/**
 * Fetches review branches proposed into `baseBranch` with what they have in
 * common read once: the remote's branch listing, and the base at each depth
 * of {@link MERGE_BASE_DEPTHS} (fetched when a branch first needs it), however
 * many branches are read. Each branch is fetched into a copy of the base's
 * store at the same depth, deepening step by step until git's merge base of
 * the two heads is found: where the branch left the base, what a pull request
 * of it is compared with. Reads only; nothing is asked before the first read;
 * every fetch is an operation of its own (deadlines, `signal`). A missing base
 * branch fails every read, naming `baseBranch`.
 */
export function mergeBaseFetcher(
  open: OpenOperation,
  resolveRemote: () => Promise<GitRemote>,
  baseBranch: string,
  signal?: AbortSignal,
): (branch: string) => Promise<MergeBaseRead> {
  const listing = once(async () => {
    const remote = await resolveRemote();
    const repoUrl = remote.url.href;
    const listed = await listBranches(open, remote, signal);
    if (!Object.prototype.hasOwnProperty.call(listed.branches, baseBranch)) {
      throw new InputError(
        `baseBranch: "${baseBranch}" does not exist in ${repoUrl}; a review branch is compared with the branch it is proposed into`,
      );
    }
    return { remote, listed, base: planBranch(listed, repoUrl, baseBranch) };
  });
  const bases = new Map<number, Promise<{ store: ObjectStore; sha: string }>>();
  /** The base fetched to `depth` into a store of its own, once: branches get copies of it. */
  const baseAt = (depth: number) => {
    if (!bases.has(depth)) {
      bases.set(
        depth,
        listing().then(async ({ remote, base }) => {
          const store = await createObjectStore(base.base, remote.url.href);
          const sha =
            (await fetchBranch(
              open,
              remote,
              store,
              base.base,
              depth,
              signal,
            )) || base.baseSha;
          return { store, sha };
        }),
      );
    }
    return bases.get(depth)!;
  };
  return async branch => {
    const { remote, listed, base } = await listing();
    const head = planBranch(listed, remote.url.href, branch, baseBranch);
    /** The branch fetched to `depth` into a copy of the base at that depth, and their merge base if found. */
    const fetchAt = async (depth: number) => {
      const fetchedBase = await baseAt(depth);
      const store = await copyObjectStore(fetchedBase.store);
      // The heads as fetched: a branch moved meanwhile is compared as it is now.
      const headSha =
        (await fetchBranch(open, remote, store, head.base, depth, signal)) ||
        head.baseSha;
      const [mergeBase]: Array<string | undefined> = await git.findMergeBase({
        ...store,
        oids: [headSha, fetchedBase.sha],
      });
      return {
        store,
        head: { branch: head.base, commitSha: headSha },
        base: { branch: base.base, commitSha: fetchedBase.sha },
        mergeBase,
      };
    };
    let read = await fetchAt(MERGE_BASE_DEPTHS[0]);
    for (const depth of MERGE_BASE_DEPTHS.slice(1)) {
      if (read.mergeBase) break;
      read = await fetchAt(depth);
    }
    const rootTree = async (oid: string) =>
      (await git.readCommit({ ...read.store, oid })).commit.tree;
    return {
      ...read,
      headTree: await rootTree(read.head.commitSha),
      mergeBase: read.mergeBase
        ? { commitSha: read.mergeBase, tree: await rootTree(read.mergeBase) }
        : undefined,
    };
  };
}

/** `work`, run at its first call; later calls share its promise. */
function once<T>(work: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | undefined;
  return () => (running ??= work());
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

import { Config } from '@backstage/config';
import {
  ConflictError,
  InputError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  ScmIntegrationRegistry,
  ScmIntegrations,
} from '@backstage/integration';
import git, { HttpClient } from 'isomorphic-git';
import { RepositoryUrl } from '../urls/repositoryUrl';
import { assertBranchName, safeRepoPath } from './branches';
import { GitRemote, resolveGitRemote } from './gitCredentials';
import {
  deadlineHttpClient,
  DEFAULT_GIT_TIMEOUTS,
  GitOperation,
  GitTimeouts,
  readGitTimeouts,
} from './gitHttp';
import {
  assertWritableDirectory,
  changedPaths,
  ObjectStore,
  writeFilesIntoTree,
} from './objectStore';
import {
  refuseChangedFiles,
  refuseChangedSinceRead,
  refuseForeignFiles,
  removeFilesFromTree,
  writeCommitObject,
} from './commitObjects';
import { readDirectoryFiles, readFilesBelow } from './directoryFiles';
import { createPullRequestOpener, PullRequestOpener } from './pullRequests';
import {
  authCallbacks,
  ConcurrentUpdate,
  fetchBase,
  listBranches,
  MergeBaseRead,
  mergeBaseFetcher,
  OpenOperation,
  pushBranch,
} from './remoteGit';
import {
  CommitFilesOptions,
  CommitFilesResult,
  GitOpsDirectory,
  GitOpsFile,
  GitOpsFilesBelowQuery,
  GitOpsRemoteInfo,
  GitOpsReviewBranch,
} from './types';

const DEFAULT_MAX_ATTEMPTS = 4;
/** At most this many changed paths of a review branch are listed. */
const MAX_REVIEW_CHANGES = 256;

/**
 * Commits files to a branch of an existing repository over HTTPS, the GitOps
 * way: never force-pushes; when another writer moved the branch meanwhile, it
 * starts again from the new head (fetch, re-apply, retry); refuses to replace
 * a file whose content differs unless told to; makes no commit when the
 * content is already there.
 *
 * The commit is built from git objects in memory (fetch the branch head,
 * write blobs and trees, write the commit, push): nothing of the repository is
 * checked out, links and submodules on a written path are refused, and the
 * only remote ever used is the normalised URL with the integration's
 * credentials. Every network call has a deadline and honours `signal`.
 *
 * @public
 */
export class GitOpsRepository {
  static fromConfig(
    config: Config,
    options: {
      wrapHttp?: (http: HttpClient) => HttpClient;
      fetch?: typeof fetch;
    } = {},
  ) {
    return new GitOpsRepository({
      integrations: ScmIntegrations.fromConfig(config),
      wrapHttp: options.wrapHttp,
      fetch: options.fetch,
      timeouts: readGitTimeouts(config),
    });
  }

  private readonly integrations: ScmIntegrationRegistry;
  private readonly wrapHttp: (http: HttpClient) => HttpClient;
  private readonly maxAttempts: number;
  private readonly fetch?: typeof fetch;
  private readonly timeouts: GitTimeouts;

  constructor(options: {
    integrations: ScmIntegrationRegistry;
    /** Wraps the HTTP transport (Node's fetch with the deadlines), e.g. to observe requests in tests. */
    wrapHttp?: (http: HttpClient) => HttpClient;
    /** For the pull request APIs; default: the global fetch. */
    fetch?: typeof fetch;
    maxAttempts?: number;
    timeouts?: Partial<GitTimeouts>;
  }) {
    this.integrations = options.integrations;
    this.wrapHttp = options.wrapHttp ?? (http => http);
    this.fetch = options.fetch;
    this.maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    this.timeouts = { ...DEFAULT_GIT_TIMEOUTS, ...options.timeouts };
  }

  /**
   * The pull request opener for the repository's host (gitea, github or
   * gitlab integration), with the integration's credentials or the user's
   * token (`userToken`). Makes no request; fails with an InputError naming
   * `repoUrl` when the host cannot open pull requests, so a caller can refuse
   * before pushing anything.
   */
  async pullRequestOpener(
    repoUrl: string | RepositoryUrl,
    options: { userToken?: string } = {},
  ): Promise<PullRequestOpener> {
    return createPullRequestOpener(this.integrations, repoUrl, {
      fetch: this.fetch,
      timeouts: this.timeouts,
      userToken: options.userToken,
    });
  }

  async commitFiles(options: CommitFilesOptions): Promise<CommitFilesResult> {
    if (!options.files.length && !options.replaces?.length)
      throw new InputError('files: nothing to commit');
    const files = options.files.map(f => ({
      ...f,
      path: safeRepoPath(f.path),
    }));
    const replaces = options.replaces?.map(f => ({
      ...f,
      path: safeRepoPath(f.path),
    }));
    const duplicate = files.find(
      (f, i) => files.findIndex(g => g.path === f.path) !== i,
    );
    if (duplicate)
      throw new InputError(`files: "${duplicate.path}" is listed twice`);
    assertBranchName('branch', options.branch);
    const remote = await resolveGitRemote(this.integrations, options.repoUrl, {
      userToken: options.userToken,
    });

    for (let attempt = 1; ; attempt++) {
      try {
        const result = await this.attempt(
          { ...options, files, replaces },
          remote,
        );
        return {
          ...result,
          commitUrl: remote.commitUrl(result.commitSha),
          attempts: attempt,
        };
      } catch (error) {
        if (
          !(error instanceof ConcurrentUpdate) ||
          attempt >= this.maxAttempts
        ) {
          if (error instanceof ConcurrentUpdate) {
            throw new ConflictError(
              `branch ${options.branch} of ${remote.url.href} kept moving; gave up after ${attempt} attempts`,
            );
          }
          throw error;
        }
        await sleep(100 * 2 ** attempt + Math.random() * 100, options.signal);
      }
    }
  }

  /**
   * Reads, never writes: resolves the repository's SCM integration and
   * credentials (or takes the user's token), and lists its branches with them. Fails with an InputError
   * naming `repoUrl` when the host has no integration or credentials, the
   * repository cannot be reached or read with them, or it has no branch.
   */
  async describeRemote(
    repoUrl: string | RepositoryUrl,
    options: { signal?: AbortSignal; userToken?: string } = {},
  ): Promise<GitOpsRemoteInfo> {
    const remote = await resolveGitRemote(this.integrations, repoUrl, {
      userToken: options.userToken,
    });
    return {
      type: remote.type,
      ...(await listBranches(this.openOperation, remote, options.signal)),
    };
  }

  private readonly openOperation: OpenOperation = (what, signal) => {
    const operation = new GitOperation(what, this.timeouts, signal);
    return { operation, http: this.wrapHttp(deadlineHttpClient(operation)) };
  };

  private async attempt(
    options: CommitFilesOptions & { files: GitOpsFile[] },
    remote: GitRemote,
  ): Promise<Omit<CommitFilesResult, 'commitUrl' | 'attempts'>> {
    const repoUrl = remote.url.href;
    const auth = authCallbacks(remote);
    const { plan, store, head, rootTree } = await fetchBase(
      this.openOperation,
      remote,
      options.branch,
      options.baseBranch,
      options.signal,
    );
    const branchCreated = !plan.branchExists;
    const replaces = options.replaces ?? [];
    if (replaces.length)
      await refuseChangedSinceRead(store, rootTree, replaces, options.branch);
    if (options.ownedFiles)
      await refuseForeignFiles(
        store,
        rootTree,
        options.ownedFiles,
        [...options.files, ...replaces],
        options.branch,
      );
    const written = await writeFilesIntoTree(store, rootTree, options.files);
    const stale = replaces
      .map(f => f.path)
      .filter(p => !options.files.some(f => f.path === p));
    const { tree, statuses } = stale.length
      ? await removeFilesFromTree(store, written.tree, stale)
      : { tree: written.tree, statuses: new Map() };
    const files = [
      ...options.files.map(f => ({
        path: f.path,
        status: written.statuses.get(f.path)!,
      })),
      ...stale.map(path => ({ path, status: statuses.get(path)! })),
    ];

    refuseChangedFiles(
      // What was read and checked may be replaced without `overwrite`.
      files.filter(f => !replaces.some(r => r.path === f.path)),
      options.branch,
      options.overwrite,
    );
    if (files.every(s => s.status === 'unchanged')) {
      return {
        commitSha: head,
        branch: options.branch,
        changed: false,
        branchCreated,
        files,
      };
    }
    const commitSha = await writeCommitObject(store, {
      message: options.message,
      tree,
      parent: head,
      author: options.author,
      committer: options.committer,
    });
    if (!options.dryRun) {
      await git.writeRef({
        ...store,
        ref: `refs/heads/${options.branch}`,
        value: commitSha,
        force: true,
      });
      await pushBranch(
        this.openOperation,
        store,
        repoUrl,
        options.branch,
        auth,
        options.signal,
      );
    }
    return {
      commitSha,
      branch: options.branch,
      changed: true,
      branchCreated,
      files,
    };
  }

  /**
   * Reads, never writes: the plain files directly in `directory` of the
   * branch (or of the base it would start from), for a later commit's
   * `replaces`. The content is hostile: links, submodules, sub-folders, more
   * than 64 entries or files over 256 KiB are refused (ConflictError).
   * `filesBelow`: from the same fetch, the files below other folders too
   * (bounded, links never followed; `below`).
   */
  async readFiles(
    repoUrl: string | RepositoryUrl,
    options: {
      branch: string;
      baseBranch?: string;
      directory: string;
      filesBelow?: GitOpsFilesBelowQuery;
      signal?: AbortSignal;
      userToken?: string;
    },
  ): Promise<GitOpsDirectory> {
    const directory = safeRepoPath(options.directory);
    assertBranchName('branch', options.branch);
    const remote = await resolveGitRemote(this.integrations, repoUrl, {
      userToken: options.userToken,
    });
    const { plan, store, head, rootTree } = await fetchBase(
      this.openOperation,
      remote,
      options.branch,
      options.baseBranch,
      options.signal,
    );
    return {
      files: await readDirectoryFiles(store, rootTree, directory),
      branch: plan.base,
      commitSha: head,
      ...(await filesBelowOf(store, rootTree, options.filesBelow)),
    };
  }

  /**
   * Reads, never writes: what review branches propose — what a pull request
   * of a branch into `baseBranch` shows: `directory` on the branch and where
   * the branch left the base (git's merge base of the two heads, found within
   * a bounded depth), and the paths whose content differs between the two.
   * Folders are read like `readFiles` (hostile content); changes are object
   * ids only. Without a merge base in reach, `mergeBase` is undefined.
   *
   * What the branches have in common is asked once, however many are read:
   * the remote's branch listing and the base's fetch at each depth. Nothing
   * is asked before the first `read`; each read fails on its own (what every
   * read needs, such as a missing base branch, fails each of them).
   * `filesBelow`: the head's files below other folders too (`head.below`).
   */
  reviewBranchReader(
    repoUrl: string | RepositoryUrl,
    options: {
      baseBranch: string;
      directory: string;
      filesBelow?: GitOpsFilesBelowQuery;
      signal?: AbortSignal;
      userToken?: string;
    },
  ): { read(branch: string): Promise<GitOpsReviewBranch> } {
    const fetchMergeBase = mergeBaseFetcher(
      this.openOperation,
      async () => {
        assertBranchName('baseBranch', options.baseBranch);
        return resolveGitRemote(this.integrations, repoUrl, {
          userToken: options.userToken,
        });
      },
      options.baseBranch,
      options.signal,
    );
    return {
      read: async branch => {
        const directory = safeRepoPath(options.directory);
        assertBranchName('branch', branch);
        return reviewOf(
          await fetchMergeBase(branch),
          directory,
          options.filesBelow,
        );
      },
    };
  }

  /**
   * Reads, never writes: whether files could later be committed under
   * `directory` of the branch (or of the base it would start from) — no
   * symbolic link, submodule or file on the way. Lets a template refuse a
   * hostile repository before its first write anywhere.
   */
  async checkWritableDirectory(
    repoUrl: string | RepositoryUrl,
    options: {
      branch: string;
      baseBranch?: string;
      directory: string;
      signal?: AbortSignal;
      userToken?: string;
    },
  ): Promise<void> {
    const directory = safeRepoPath(options.directory);
    const remote = await resolveGitRemote(this.integrations, repoUrl, {
      userToken: options.userToken,
    });
    const { store, rootTree } = await fetchBase(
      this.openOperation,
      remote,
      options.branch,
      options.baseBranch,
      options.signal,
    );
    await assertWritableDirectory(store, rootTree, directory);
  }
}

/** What a pull request of the branch shows in `directory`: both sides read with the hostile-content rules. */
async function reviewOf(
  read: MergeBaseRead,
  directory: string,
  filesBelow?: GitOpsFilesBelowQuery,
): Promise<GitOpsReviewBranch> {
  const head: GitOpsDirectory = {
    files: await readDirectoryFiles(read.store, read.headTree, directory),
    branch: read.head.branch,
    commitSha: read.head.commitSha,
    ...(await filesBelowOf(read.store, read.headTree, filesBelow)),
  };
  if (!read.mergeBase) return { head };
  return {
    head,
    mergeBase: {
      files: await readDirectoryFiles(
        read.store,
        read.mergeBase.tree,
        directory,
      ),
      branch: read.base.branch,
      commitSha: read.mergeBase.commitSha,
    },
    changes: await changedPaths(
      read.store,
      read.mergeBase.tree,
      read.headTree,
      MAX_REVIEW_CHANGES,
    ),
  };
}

/** `below` of a read asked for it, its folders checked like `directory`. */
async function filesBelowOf(
  store: ObjectStore,
  rootTree: string,
  query?: GitOpsFilesBelowQuery,
): Promise<Pick<GitOpsDirectory, 'below'>> {
  if (!query) return {};
  return {
    below: await readFilesBelow(
      store,
      rootTree,
      query.directories.map(d => safeRepoPath(d)),
      query.depth,
    ),
  };
}

function sleep(ms: number, signal?: AbortSignal) {
  return new Promise<void>((resolve, reject) => {
    signal?.throwIfAborted();
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(new ServiceUnavailableError('the GitOps commit was cancelled'));
      },
      { once: true },
    );
  });
}

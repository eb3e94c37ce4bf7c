import path from 'node:path';
import { Config } from '@backstage/config';
import { ConflictError, InputError, ServiceUnavailableError } from '@backstage/errors';
import { ScmIntegrationRegistry, ScmIntegrations } from '@backstage/integration';
import git, { HttpClient } from 'isomorphic-git';
import { RepositoryUrl } from '../urls/repositoryUrl';
import { GitCredentials, GitRemote, resolveGitRemote } from './gitCredentials';
import { deadlineHttpClient, DEFAULT_GIT_TIMEOUTS, GitOperation, GitTimeouts } from './gitHttp';
import { assertWritableDirectory, createObjectStore, directoryEntries, GitOpsFileStatus, ObjectStore, writeFilesIntoTree } from './objectStore';
import { createPullRequestOpener, PullRequestOpener } from './pullRequests';

export type { GitOpsFileStatus } from './objectStore';

/** A file to commit, path relative to the repository root. @public */
export interface GitOpsFile {
  path: string;
  content: string;
}

/** @public */
export interface GitIdentity {
  name: string;
  email: string;
}

/** @public */
export interface CommitFilesOptions {
  /** HTTPS clone URL of an existing repository (normalised with `parseRepositoryUrl` when a string). */
  repoUrl: string | RepositoryUrl;
  /** Branch to commit to; created from `baseBranch` when it does not exist. */
  branch: string;
  /** Where a new branch starts; default: the repository's default branch. */
  baseBranch?: string;
  files: GitOpsFile[];
  message: string;
  author: GitIdentity;
  committer?: GitIdentity;
  /** Replace existing files whose content differs. Default false: such files are a conflict. */
  overwrite?: boolean;
  /**
   * The folder `files` make up alone (one object, one path): an existing file
   * in `directory` whose name matches `names` but is not among `files` is a
   * conflict, whatever `overwrite` says — another render of the same object
   * left it there (a second route on someone else's Gateway, say). Other
   * files (a kustomization.yaml) are left alone.
   */
  ownedFiles?: { directory: string; names: RegExp };
  /** Compute the commit (its SHA included) without pushing. */
  dryRun?: boolean;
  /** The task's cancellation: stops every network call and any write not yet started. */
  signal?: AbortSignal;
}

/** @public */
export interface CommitFilesResult {
  /** The new commit, or the branch head when nothing changed. */
  commitSha: string;
  commitUrl: string;
  branch: string;
  /** False when every file already had this content: no commit was made. */
  changed: boolean;
  /** Whether the branch was created from the base branch. */
  branchCreated: boolean;
  files: Array<{ path: string; status: GitOpsFileStatus }>;
  /** Push attempts (more than one after concurrent updates). */
  attempts: number;
}

/** A repository's branches as its server lists them, read with the integration's credentials. @public */
export interface GitOpsRemoteInfo {
  /** The SCM integration type that serves the repository (github, gitlab, gitea, gerrit). */
  type: string;
  /** The branch the server's HEAD points at, when it says. */
  defaultBranch?: string;
  /** Every branch (short name) and its head commit. */
  branches: Record<string, string>;
}

/** Where a commit to a branch starts. @public */
export interface GitOpsBranchPlan {
  /** Whether the branch exists; when not, a commit creates it from `base`. */
  branchExists: boolean;
  /** The branch itself when it exists, else the base branch it would be created from. */
  base: string;
  /** Head commit of `base`. */
  baseSha: string;
}

/** Refuses a name git would refuse as a branch, naming the input field. @public */
export function assertBranchName(field: string, name: string): void {
  if (!isValidBranchName(name)) {
    throw new InputError(
      `${field}: "${name}" is not a valid git branch name (letters, digits, ".", "_", "-" and "/"; no "..", "//", leading "-" or "/", trailing "/" or ".lock")`,
    );
  }
}

/**
 * Where a commit to `branch` would start on this remote: the branch when it
 * exists, otherwise `baseBranch` (default: the repository's default branch),
 * which must exist. The commit action and the read-only check share this rule.
 *
 * @public
 */
export function planBranch(
  remote: Pick<GitOpsRemoteInfo, 'branches' | 'defaultBranch'>,
  repoUrl: string,
  branch: string,
  baseBranch?: string,
): GitOpsBranchPlan {
  if (Object.prototype.hasOwnProperty.call(remote.branches, branch)) {
    return { branchExists: true, base: branch, baseSha: remote.branches[branch] };
  }
  const base = baseBranch ?? remote.defaultBranch;
  if (base && Object.prototype.hasOwnProperty.call(remote.branches, base)) {
    return { branchExists: false, base, baseSha: remote.branches[base] };
  }
  if (baseBranch) {
    throw new InputError(
      `baseBranch: "${baseBranch}" does not exist in ${repoUrl}; branch "${branch}" does not exist either, and a new branch must start from an existing one`,
    );
  }
  throw new InputError(
    `branch: "${branch}" does not exist in ${repoUrl} and the repository has no default branch to start it from; set baseBranch to an existing branch`,
  );
}

/** A push lost a race with another writer: fetch again and redo the change. */
class ConcurrentUpdate extends Error {}

const DEFAULT_MAX_ATTEMPTS = 4;
const CONFIG_TIMEOUTS = 'awsGateway.provisioning.gitops.timeouts';

/** Normalizes a repository-relative path, refusing escapes and `.git`. */
export function safeRepoPath(filePath: string): string {
  const normalized = path.posix.normalize(filePath.replace(/\\/g, '/'));
  if (
    !normalized ||
    normalized === '.' ||
    normalized.startsWith('/') ||
    normalized.split('/').some(s => s === '..' || s === '.git' || s === '')
  ) {
    throw new InputError(
      `file path "${filePath}" must be relative to the repository root, without ".." or ".git"`,
    );
  }
  return normalized;
}

/** Git deadlines from `awsGateway.provisioning.gitops.timeouts`, defaults otherwise. @public */
export function readGitTimeouts(config: Config): GitTimeouts {
  const c = config.getOptionalConfig(CONFIG_TIMEOUTS);
  const seconds = (key: string, fallbackMs: number) => {
    const value = c?.getOptionalNumber(key);
    if (value === undefined) return fallbackMs;
    if (!(value > 0 && value <= 3600)) {
      throw new Error(`Invalid configuration: ${CONFIG_TIMEOUTS}.${key} must be a number of seconds from 0 to 3600`);
    }
    return value * 1000;
  };
  return {
    requestMs: seconds('requestSeconds', DEFAULT_GIT_TIMEOUTS.requestMs),
    operationMs: seconds('operationSeconds', DEFAULT_GIT_TIMEOUTS.operationMs),
  };
}

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
  static fromConfig(config: Config, options: { wrapHttp?: (http: HttpClient) => HttpClient; fetch?: typeof fetch } = {}) {
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
   * gitlab integration). Makes no request; fails with an InputError naming
   * `repoUrl` when the host cannot open pull requests, so a caller can refuse
   * before pushing anything.
   */
  async pullRequestOpener(repoUrl: string | RepositoryUrl): Promise<PullRequestOpener> {
    return createPullRequestOpener(this.integrations, repoUrl, { fetch: this.fetch, timeouts: this.timeouts });
  }

  async commitFiles(options: CommitFilesOptions): Promise<CommitFilesResult> {
    if (!options.files.length) throw new InputError('files: nothing to commit');
    const files = options.files.map(f => ({ ...f, path: safeRepoPath(f.path) }));
    const duplicate = files.find((f, i) => files.findIndex(g => g.path === f.path) !== i);
    if (duplicate) throw new InputError(`files: "${duplicate.path}" is listed twice`);
    assertBranchName('branch', options.branch);
    const remote = await resolveGitRemote(this.integrations, options.repoUrl);

    for (let attempt = 1; ; attempt++) {
      try {
        const result = await this.attempt({ ...options, files }, remote);
        return { ...result, commitUrl: remote.commitUrl(result.commitSha), attempts: attempt };
      } catch (error) {
        if (!(error instanceof ConcurrentUpdate) || attempt >= this.maxAttempts) {
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
   * credentials, and lists its branches with them. Fails with an InputError
   * naming `repoUrl` when the host has no integration or credentials, the
   * repository cannot be reached or read with them, or it has no branch.
   */
  async describeRemote(repoUrl: string | RepositoryUrl, options: { signal?: AbortSignal } = {}): Promise<GitOpsRemoteInfo> {
    const remote = await resolveGitRemote(this.integrations, repoUrl);
    return { type: remote.type, ...(await this.listBranches(remote, options.signal)) };
  }

  private operation(what: string, signal?: AbortSignal) {
    const operation = new GitOperation(what, this.timeouts, signal);
    const http = this.wrapHttp(deadlineHttpClient(operation));
    return { operation, http };
  }

  private async listBranches(remote: GitRemote, signal?: AbortSignal): Promise<Omit<GitOpsRemoteInfo, 'type'>> {
    const repoUrl = remote.url.href;
    const { operation, http } = this.operation('listing its branches', signal);
    let refs;
    try {
      refs = await operation.run(() =>
        git.listServerRefs({ http, url: repoUrl, symrefs: true, ...authCallbacks(repoUrl, remote.credentials) }),
      );
    } catch (error) {
      // Refused credentials and deadlines are already explained.
      if (error instanceof InputError || error instanceof ServiceUnavailableError) throw error;
      // Only a status or an error code: a server's message could echo a request.
      throw new InputError(
        `repoUrl: ${repoUrl} could not be read with the integration's credentials (${gitFailure(error)}); it must be an existing repository they can read`,
      );
    }
    const branches: Record<string, string> = {};
    for (const r of refs) {
      if (r.ref.startsWith('refs/heads/')) branches[r.ref.slice(11)] = r.oid;
    }
    if (!Object.keys(branches).length) {
      throw new InputError(`repoUrl: repository ${repoUrl} has no branches; push an initial commit first`);
    }
    const defaultBranch = refs.find(r => r.ref === 'HEAD')?.target?.replace(/^refs\/heads\//, '');
    return { branches, ...(defaultBranch ? { defaultBranch } : {}) };
  }

  private async attempt(
    options: CommitFilesOptions & { files: GitOpsFile[] },
    remote: GitRemote,
  ): Promise<Omit<CommitFilesResult, 'commitUrl' | 'attempts'>> {
    const repoUrl = remote.url.href;
    const auth = authCallbacks(repoUrl, remote.credentials);
    const { plan, store, head, rootTree } = await this.fetchBase(remote, options.branch, options.baseBranch, options.signal);
    const branchCreated = !plan.branchExists;
    if (options.ownedFiles) await refuseForeignFiles(store, rootTree, options.ownedFiles, options.files, options.branch);
    const { tree, statuses } = await writeFilesIntoTree(store, rootTree, options.files);
    const files = options.files.map(f => ({ path: f.path, status: statuses.get(f.path)! }));

    const conflicts = files.filter(s => s.status === 'updated').map(s => s.path);
    if (conflicts.length && !options.overwrite) {
      throw new ConflictError(
        `${conflicts.join(', ')} already exist${conflicts.length === 1 ? 's' : ''} on ${options.branch} with different content; set overwrite to replace`,
      );
    }
    if (files.every(s => s.status === 'unchanged')) {
      return { commitSha: head, branch: options.branch, changed: false, branchCreated, files };
    }
    const now = Math.floor(Date.now() / 1000);
    const stamp = (who: GitIdentity) => ({ name: who.name, email: who.email, timestamp: now, timezoneOffset: 0 });
    const commitSha = await git.writeCommit({
      ...store,
      commit: {
        message: options.message.endsWith('\n') ? options.message : `${options.message}\n`,
        tree,
        parent: [head],
        author: stamp(options.author),
        committer: stamp(options.committer ?? options.author),
      },
    });
    if (!options.dryRun) {
      await git.writeRef({ ...store, ref: `refs/heads/${options.branch}`, value: commitSha, force: true });
      await this.push(store, repoUrl, options.branch, auth, options.signal);
    }
    return { commitSha, branch: options.branch, changed: true, branchCreated, files };
  }

  /**
   * Fetches the head commit a commit to `branch` would start from into a new
   * in-memory object store: the branch, or the base it would be created from.
   */
  private async fetchBase(remote: GitRemote, branch: string, baseBranch: string | undefined, signal?: AbortSignal) {
    const repoUrl = remote.url.href;
    const listed = await this.listBranches(remote, signal);
    const plan = planBranch(listed, repoUrl, branch, baseBranch);
    // Only git objects, in memory: the repository's files never touch a disk.
    const store = await createObjectStore(plan.base, repoUrl);
    const fetching = this.operation('fetching the branch', signal);
    const fetched = await fetching.operation.run(() =>
      git.fetch({
        ...store,
        http: fetching.http,
        remote: 'origin',
        url: repoUrl,
        ref: plan.base,
        singleBranch: true,
        depth: 1,
        tags: false,
        ...authCallbacks(repoUrl, remote.credentials),
      }),
    );
    const head = fetched.fetchHead ?? plan.baseSha;
    const { commit } = await git.readCommit({ ...store, oid: head });
    return { plan, store, head, rootTree: commit.tree };
  }

  /**
   * Reads, never writes: whether files could later be committed under
   * `directory` of the branch (or of the base it would start from) — no
   * symbolic link, submodule or file on the way. Lets a template refuse a
   * hostile repository before its first write anywhere.
   */
  async checkWritableDirectory(
    repoUrl: string | RepositoryUrl,
    options: { branch: string; baseBranch?: string; directory: string; signal?: AbortSignal },
  ): Promise<void> {
    const directory = safeRepoPath(options.directory);
    const remote = await resolveGitRemote(this.integrations, repoUrl);
    const { store, rootTree } = await this.fetchBase(remote, options.branch, options.baseBranch, options.signal);
    await assertWritableDirectory(store, rootTree, directory);
  }

  private async push(
    store: { fs: any; gitdir: string },
    url: string,
    branch: string,
    auth: ReturnType<typeof authCallbacks>,
    signal?: AbortSignal,
  ) {
    const { operation, http } = this.operation('pushing the commit', signal);
    let result;
    try {
      result = await operation.run(() =>
        git.push({ ...store, http, url, ref: branch, remoteRef: branch, force: false, ...auth }),
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
}

/** Files of another render in a folder that belongs to one render only: a conflict, never merged or deleted. */
async function refuseForeignFiles(
  store: ObjectStore,
  rootTree: string,
  owned: { directory: string; names: RegExp },
  files: GitOpsFile[],
  branch: string,
) {
  const directory = safeRepoPath(owned.directory);
  const ours = new Set(files.map(f => f.path));
  const foreign = (await directoryEntries(store, rootTree, directory))
    .filter(e => owned.names.test(e.path) && !ours.has(`${directory}/${e.path}`))
    .map(e => `${directory}/${e.path}`);
  if (foreign.length) {
    throw new ConflictError(
      `${foreign.join(', ')} already exist${foreign.length === 1 ? 's' : ''} on ${branch} and ${foreign.length === 1 ? 'is' : 'are'} not part of this render; ${directory} holds one render's files only, so they are neither kept beside it nor removed — remove them in the repository first if they are obsolete`,
    );
  }
}

function authCallbacks(repoUrl: string, credentials: GitCredentials) {
  return {
    onAuth: () => ({ username: credentials.username, password: credentials.password }),
    onAuthFailure: () => {
      // Never retry with the same secret, and never echo it.
      throw new InputError(`repoUrl: the git server refused the integration's credentials for ${repoUrl}`);
    },
  };
}

/** What went wrong reaching a git server, without any text the server or the request supplied. */
function gitFailure(error: unknown): string {
  const e = error as { code?: unknown; cause?: { code?: unknown }; data?: { statusCode?: unknown; statusMessage?: unknown } };
  if (e?.code === 'HttpError' && typeof e.data?.statusCode === 'number') {
    return `HTTP ${e.data.statusCode}${typeof e.data.statusMessage === 'string' && e.data.statusMessage ? ` ${e.data.statusMessage}` : ''}`;
  }
  for (const code of [e?.code, e?.cause?.code]) {
    if (typeof code === 'string' && /^[A-Za-z0-9_]+$/.test(code)) return code;
  }
  return 'unexpected error';
}

function isValidBranchName(name: string): boolean {
  return (
    /^[A-Za-z0-9._\/-]+$/.test(name) &&
    !name.startsWith('-') &&
    !name.startsWith('/') &&
    !name.endsWith('/') &&
    !name.endsWith('.lock') &&
    !name.includes('..') &&
    !name.includes('//')
  );
}

function sleep(ms: number, signal?: AbortSignal) {
  return new Promise<void>((resolve, reject) => {
    signal?.throwIfAborted();
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new ServiceUnavailableError('the GitOps commit was cancelled'));
    }, { once: true });
  });
}

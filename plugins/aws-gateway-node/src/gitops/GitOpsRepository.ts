import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Config } from '@backstage/config';
import { ConflictError, InputError } from '@backstage/errors';
import { ScmIntegrationRegistry, ScmIntegrations } from '@backstage/integration';
import git, { HttpClient } from 'isomorphic-git';
import nodeHttp from 'isomorphic-git/http/node';
import { GitCredentials, resolveGitRemote } from './gitCredentials';
import { createPullRequestOpener, PullRequestOpener } from './pullRequests';

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
  /** HTTPS clone URL of an existing repository. */
  repoUrl: string;
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
  /** Compute the commit (its SHA included) without pushing. */
  dryRun?: boolean;
}

/** @public */
export type GitOpsFileStatus = 'added' | 'updated' | 'unchanged';

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

/** Normalizes a repository-relative path, refusing escapes and `.git`. */
export function safeRepoPath(filePath: string): string {
  const normalized = path.posix.normalize(filePath.replace(/\\/g, '/'));
  if (
    !normalized ||
    normalized === '.' ||
    normalized.startsWith('/') ||
    normalized.split('/').some(s => s === '..' || s === '.git')
  ) {
    throw new InputError(
      `file path "${filePath}" must be relative to the repository root, without ".." or ".git"`,
    );
  }
  return normalized;
}

/**
 * Commits files to a branch of an existing repository over HTTPS, the GitOps
 * way: never force-pushes; when another writer moved the branch meanwhile, it
 * starts again from the new head (fetch, re-apply, retry); refuses to replace
 * a file whose content differs unless told to; makes no commit when the
 * content is already there.
 *
 * @public
 */
export class GitOpsRepository {
  static fromConfig(config: Config, options: { http?: HttpClient; fetch?: typeof fetch } = {}) {
    return new GitOpsRepository({
      integrations: ScmIntegrations.fromConfig(config),
      http: options.http,
      fetch: options.fetch,
    });
  }

  private readonly integrations: ScmIntegrationRegistry;
  private readonly http: HttpClient;
  private readonly maxAttempts: number;
  private readonly fetch?: typeof fetch;

  constructor(options: {
    integrations: ScmIntegrationRegistry;
    /** isomorphic-git HTTP transport; default: Node's. */
    http?: HttpClient;
    /** For the pull request APIs; default: the global fetch. */
    fetch?: typeof fetch;
    maxAttempts?: number;
  }) {
    this.integrations = options.integrations;
    this.http = options.http ?? nodeHttp;
    this.fetch = options.fetch;
    this.maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  }

  /**
   * The pull request opener for the repository's host (gitea, github or
   * gitlab integration). Makes no request; fails with an InputError naming
   * `repoUrl` when the host cannot open pull requests, so a caller can refuse
   * before pushing anything.
   */
  async pullRequestOpener(repoUrl: string): Promise<PullRequestOpener> {
    return createPullRequestOpener(this.integrations, repoUrl, { fetch: this.fetch });
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
        const result = await this.attempt({ ...options, files }, remote.credentials);
        return { ...result, commitUrl: remote.commitUrl(result.commitSha), attempts: attempt };
      } catch (error) {
        if (!(error instanceof ConcurrentUpdate) || attempt >= this.maxAttempts) {
          if (error instanceof ConcurrentUpdate) {
            throw new ConflictError(
              `branch ${options.branch} of ${options.repoUrl} kept moving; gave up after ${attempt} attempts`,
            );
          }
          throw error;
        }
        await sleep(100 * 2 ** attempt + Math.random() * 100);
      }
    }
  }

  /**
   * Reads, never writes: resolves the repository's SCM integration and
   * credentials, and lists its branches with them. Fails with an InputError
   * naming `repoUrl` when the host has no integration or credentials, the
   * repository cannot be reached or read with them, or it has no branch.
   */
  async describeRemote(repoUrl: string): Promise<GitOpsRemoteInfo> {
    const remote = await resolveGitRemote(this.integrations, repoUrl);
    return { type: remote.type, ...(await this.listBranches(repoUrl, remote.credentials)) };
  }

  private async listBranches(
    repoUrl: string,
    credentials: GitCredentials,
  ): Promise<Omit<GitOpsRemoteInfo, 'type'>> {
    let refs;
    try {
      refs = await git.listServerRefs({
        http: this.http,
        url: repoUrl,
        symrefs: true,
        ...authCallbacks(repoUrl, credentials),
      });
    } catch (error) {
      if (error instanceof InputError) throw error; // refused credentials, already explained
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
    options: CommitFilesOptions,
    credentials: GitCredentials,
  ): Promise<Omit<CommitFilesResult, 'commitUrl' | 'attempts'>> {
    const auth = authCallbacks(options.repoUrl, credentials);
    const remote = await this.listBranches(options.repoUrl, credentials);
    const plan = planBranch(remote, options.repoUrl, options.branch, options.baseBranch);
    const branchCreated = !plan.branchExists;
    const base = plan.base;

    const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'aws-gateway-gitops-'));
    try {
      await git.clone({
        fs,
        http: this.http,
        dir,
        url: options.repoUrl,
        ref: base,
        singleBranch: true,
        depth: 1,
        noTags: true,
        ...auth,
      });
      if (branchCreated) await git.branch({ fs, dir, ref: options.branch, checkout: true });
      const head = await git.resolveRef({ fs, dir, ref: 'HEAD' });

      const statuses = await Promise.all(
        options.files.map(async f => {
          const existing = await fs.promises.readFile(path.join(dir, f.path), 'utf8').catch(() => undefined);
          let status: GitOpsFileStatus = 'updated';
          if (existing === undefined) status = 'added';
          else if (existing === f.content) status = 'unchanged';
          return { path: f.path, status };
        }),
      );
      const conflicts = statuses.filter(s => s.status === 'updated').map(s => s.path);
      if (conflicts.length && !options.overwrite) {
        throw new ConflictError(
          `${conflicts.join(', ')} already exist${conflicts.length === 1 ? 's' : ''} on ${options.branch} with different content; set overwrite to replace`,
        );
      }
      if (statuses.every(s => s.status === 'unchanged')) {
        return { commitSha: head, branch: options.branch, changed: false, branchCreated, files: statuses };
      }
      for (const f of options.files) {
        const target = path.join(dir, f.path);
        await fs.promises.mkdir(path.dirname(target), { recursive: true });
        await fs.promises.writeFile(target, f.content);
        await git.add({ fs, dir, filepath: f.path });
      }
      const commitSha = await git.commit({
        fs,
        dir,
        message: options.message,
        author: options.author,
        committer: options.committer ?? options.author,
        dryRun: options.dryRun,
      });
      if (!options.dryRun) await this.push(dir, options.branch, auth);
      return { commitSha, branch: options.branch, changed: true, branchCreated, files: statuses };
    } finally {
      await fs.promises.rm(dir, { recursive: true, force: true });
    }
  }

  private async push(dir: string, branch: string, auth: ReturnType<typeof authCallbacks>) {
    let result;
    try {
      result = await git.push({ fs, http: this.http, dir, remote: 'origin', ref: branch, remoteRef: branch, force: false, ...auth });
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
  const e = error as { code?: unknown; data?: { statusCode?: unknown; statusMessage?: unknown } };
  if (e?.code === 'HttpError' && typeof e.data?.statusCode === 'number') {
    return `HTTP ${e.data.statusCode}${typeof e.data.statusMessage === 'string' && e.data.statusMessage ? ` ${e.data.statusMessage}` : ''}`;
  }
  if (typeof e?.code === 'string' && /^[A-Za-z0-9_]+$/.test(e.code)) return e.code;
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

function sleep(ms: number) {
  return new Promise(resolve => setTimeout(resolve, ms));
}

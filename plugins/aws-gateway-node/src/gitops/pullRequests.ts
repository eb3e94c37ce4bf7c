import { InputError, ServiceUnavailableError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { parseBaseUrl, parseRepositoryUrl, RepositoryUrl, repositoryPath, segmentsBelow } from '../urls/repositoryUrl';
import { resolveGitRemote } from './gitCredentials';
import { DEFAULT_GIT_TIMEOUTS, GitOperation, GitTimeouts, seconds } from './gitHttp';

/** What to open: a pull request from `head` into `base`. @public */
export interface PullRequestRequest {
  /** HTTPS clone URL of the repository (head and base are branches of it). */
  repoUrl: string;
  head: string;
  base: string;
  title: string;
  body?: string;
}

/** @public */
export interface PullRequestResult {
  /** The provider's number for it (GitLab: the merge request's iid). */
  number: number;
  /** Browser URL. */
  url: string;
  /** False when an open pull request with the same head and base was reused. */
  created: boolean;
}

/**
 * Opens (or reuses) a pull request on one repository's host, through that
 * host's REST API and its SCM integration's credentials. @public
 */
export interface PullRequestOpener {
  /** The integration type: gitea, github or gitlab. */
  readonly type: string;
  /** Reuses an open pull request with the same head and base, else opens one; `signal` cancels it. */
  open(request: Omit<PullRequestRequest, 'repoUrl'>, options?: { signal?: AbortSignal }): Promise<PullRequestResult>;
  /** The shape of a pull request's browser URL, for a dry run; calls nothing. */
  previewUrl(number: number): string;
}

type Fetch = typeof fetch;

/** The integration types that can open pull requests. @public */
export const PULL_REQUEST_TYPES = ['gitea', 'github', 'gitlab'] as const;

interface GiteaPull {
  number: number;
  html_url: string;
  head?: { ref?: string };
  base?: { ref?: string };
}
type GithubPull = GiteaPull;
interface GitlabMergeRequest {
  iid: number;
  web_url: string;
  source_branch?: string;
  target_branch?: string;
}

const trim = (url: string) => url.replace(/\/+$/, '');

/**
 * The repository's path below the integration's base URL, without `.git`,
 * from the parsed segments of both: exactly `segments` parts (owner, repo),
 * or at least two when 0 (GitLab groups).
 */
function repoPath(url: RepositoryUrl, baseUrl: string, type: string, segments: number): string[] {
  const base = parseBaseUrl(baseUrl, `integrations.${type}.baseUrl`, { allowHttpLoopback: true });
  const below = segmentsBelow(url, base);
  const parts = below ? repositoryPath(below) : [];
  const ok = parts.length > 0 && (segments ? parts.length === segments : parts.length >= 2);
  if (!ok) {
    const shape = segments ? '<owner>/<repo>' : '<group>/<project>';
    throw new InputError(
      `repoUrl: ${url.href} is not a ${type} repository URL; mode pull-request needs ${base.href}/${shape}.git`,
    );
  }
  return parts;
}

const encodePath = (parts: string[]) => parts.map(encodeURIComponent).join('/');

/** JSON over fetch; errors name repoUrl and the status, never a header or a body the server sent. */
class JsonClient {
  /** The operation in progress (set by `open`): its deadline and the task's signal. */
  operation = new GitOperation('opening the pull request', DEFAULT_GIT_TIMEOUTS);

  constructor(
    private readonly doFetch: Fetch,
    private readonly repoUrl: string,
    private readonly type: string,
    private readonly headers: Record<string, string>,
    private readonly timeouts: GitTimeouts,
  ) {}

  /** Starts a new operation: one deadline for all of its requests. */
  begin(signal?: AbortSignal) {
    this.operation = new GitOperation('opening the pull request', this.timeouts, signal);
  }

  async get<T>(url: string): Promise<T> {
    const res = await this.send(url, { method: 'GET' });
    if (!res.ok) throw this.failure('list open pull requests', res.status);
    return (await this.operation.run(() => res.json())) as T;
  }

  /** POSTs; on 409/422 asks `onConflict` for the one that already exists. */
  async post<T extends object>(
    url: string,
    body: unknown,
    onConflict: () => Promise<T | undefined>,
  ): Promise<T & { reused?: boolean }> {
    const res = await this.send(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.status === 409 || res.status === 422) {
      const existing = await onConflict();
      if (existing) return { ...existing, reused: true };
    }
    if (!res.ok) throw this.failure('open a pull request', res.status);
    return (await this.operation.run(() => res.json())) as T;
  }

  private async send(url: string, init: { method: string; headers?: Record<string, string>; body?: string }) {
    const operation = this.operation;
    try {
      return await operation.run(() =>
        this.doFetch(url, {
          ...init,
          headers: { ...this.headers, ...init.headers },
          // A redirect could carry the integration's credentials to another host.
          redirect: 'error',
          signal: AbortSignal.any([operation.signal, AbortSignal.timeout(this.timeouts.requestMs)]),
        }),
      );
    } catch (error) {
      operation.check();
      if (error instanceof ServiceUnavailableError) throw error;
      if ((error as Error)?.name === 'TimeoutError') {
        throw new ServiceUnavailableError(
          `repoUrl: the ${this.type} API for ${this.repoUrl} did not answer within ${seconds(this.timeouts.requestMs)}`,
        );
      }
      const code = (error as { cause?: { code?: unknown } })?.cause?.code;
      throw new InputError(
        `repoUrl: the ${this.type} API for ${this.repoUrl} could not be reached (${typeof code === 'string' ? code : 'network error'})`,
      );
    }
  }

  private failure(what: string, status: number): Error {
    const why: Record<number, string> = {
      401: "it refused the integration's credentials",
      403: "the integration's credentials may not do this",
      404: 'the repository does not exist or the credentials cannot see it',
      409: 'it conflicts with an existing pull request',
      422: 'head and base must be existing, different branches',
    };
    return new InputError(
      `repoUrl: the ${this.type} API for ${this.repoUrl} answered HTTP ${status} when asked to ${what}${why[status] ? `: ${why[status]}` : ''}`,
    );
  }
}

/**
 * Chooses the pull request opener for a repository from its SCM integration
 * (`integrations.byUrl(repoUrl)`), with that integration's credentials.
 * Fails with an InputError naming `repoUrl` and the rule when the host has no
 * integration or credentials, its type cannot open pull requests, or the URL
 * is not a repository path that type's API knows. Makes no request, except
 * what Backstage needs to get GitHub App credentials.
 *
 * @public
 */
export async function createPullRequestOpener(
  integrations: ScmIntegrationRegistry,
  rawRepoUrl: string | RepositoryUrl,
  options: { fetch?: Fetch; timeouts?: GitTimeouts } = {},
): Promise<PullRequestOpener> {
  const doFetch = options.fetch ?? fetch;
  const timeouts = options.timeouts ?? DEFAULT_GIT_TIMEOUTS;
  // The one normaliser: every path below is built from its segments, never from the raw text.
  const url =
    typeof rawRepoUrl === 'string' ? parseRepositoryUrl(rawRepoUrl, 'repoUrl', { allowHttpLoopback: true }) : rawRepoUrl;
  const repoUrl = url.href;
  let integration;
  try {
    integration = integrations.byUrl(repoUrl);
  } catch {
    integration = undefined; // resolveGitRemote explains what is wrong with the URL
  }
  if (integration && !(PULL_REQUEST_TYPES as readonly string[]).includes(integration.type)) {
    // Before resolving credentials: a pull request is impossible whatever they are.
    throw new InputError(
      `repoUrl: ${repoUrl} is served by a ${integration.type} integration, which cannot open pull requests here; mode pull-request needs a ${PULL_REQUEST_TYPES.join(', ')} integration (use mode commit)`,
    );
  }
  const remote = await resolveGitRemote(integrations, url);
  const secret = remote.credentials;
  switch (remote.type) {
    case 'gitea': {
      const config = integrations.gitea.byUrl(repoUrl)!.config;
      const baseUrl = parseBaseUrl(config.baseUrl ?? `https://${config.host}`, 'integrations.gitea.baseUrl', { allowHttpLoopback: true }).href;
      const parts = repoPath(url, baseUrl, 'gitea', 2);
      const api = `${baseUrl}/api/v1/repos/${encodePath(parts)}/pulls`;
      const web = `${baseUrl}/${encodePath(parts)}`;
      const client = new JsonClient(doFetch, repoUrl, 'gitea', {
        authorization: `Basic ${Buffer.from(`${secret.username}:${secret.password}`).toString('base64')}`,
      }, timeouts);
      const find = async (head: string, base: string) => {
        for (let page = 1; page <= 20; page++) {
          const list = await client.get<GiteaPull[]>(`${api}?state=open&page=${page}&limit=50`);
          const match = list.find(p => p.head?.ref === head && p.base?.ref === base);
          if (match) return match;
          if (list.length < 50) return undefined;
        }
        return undefined;
      };
      return {
        type: 'gitea',
        previewUrl: n => `${web}/pulls/${n}`,
        async open(req, { signal } = {}) {
          client.begin(signal);
          const existing = await find(req.head, req.base);
          if (existing) return { number: existing.number, url: existing.html_url, created: false };
          const made = await client.post<GiteaPull>(
            api,
            { head: req.head, base: req.base, title: req.title, body: req.body ?? '' },
            // Gitea answers 409 (older releases 422) when one was opened meanwhile.
            async () => find(req.head, req.base),
          );
          return { number: made.number, url: made.html_url, created: !made.reused };
        },
      };
    }
    case 'github': {
      const config = integrations.github.byUrl(repoUrl)!.config;
      const [owner, repo] = repoPath(url, `${url.protocol}//${config.host}`, 'github', 2);
      const api = `${trim(config.apiBaseUrl ?? 'https://api.github.com')}/repos/${encodePath([owner, repo])}/pulls`;
      const client = new JsonClient(doFetch, repoUrl, 'github', {
        accept: 'application/vnd.github+json',
        authorization: `Bearer ${secret.password}`,
        'x-github-api-version': '2022-11-28',
      }, timeouts);
      const find = async (head: string, base: string) => {
        const q = new URLSearchParams({ head: `${owner}:${head}`, base, state: 'open' });
        const list = await client.get<GithubPull[]>(`${api}?${q}`);
        return list.find(p => p.head?.ref === head && p.base?.ref === base);
      };
      return {
        type: 'github',
        previewUrl: n => `https://${config.host}/${owner}/${repo}/pull/${n}`,
        async open(req, { signal } = {}) {
          client.begin(signal);
          const existing = await find(req.head, req.base);
          if (existing) return { number: existing.number, url: existing.html_url, created: false };
          // GitHub answers 422 "A pull request already exists" when one was opened meanwhile.
          const made = await client.post<GithubPull>(
            api,
            { title: req.title, head: req.head, base: req.base, body: req.body ?? '' },
            async () => find(req.head, req.base),
          );
          return { number: made.number, url: made.html_url, created: !made.reused };
        },
      };
    }
    case 'gitlab': {
      const config = integrations.gitlab.byUrl(repoUrl)!.config;
      const project = repoPath(url, config.baseUrl, 'gitlab', 0).join('/');
      const api = `${trim(config.apiBaseUrl)}/projects/${encodeURIComponent(project)}/merge_requests`;
      const client = new JsonClient(doFetch, repoUrl, 'gitlab', { 'private-token': secret.password }, timeouts);
      const find = async (head: string, base: string) => {
        const q = new URLSearchParams({ source_branch: head, target_branch: base, state: 'opened' });
        const list = await client.get<GitlabMergeRequest[]>(`${api}?${q}`);
        return list.find(m => m.source_branch === head && m.target_branch === base);
      };
      return {
        type: 'gitlab',
        previewUrl: n => `${trim(config.baseUrl)}/${project}/-/merge_requests/${n}`,
        async open(req, { signal } = {}) {
          client.begin(signal);
          const existing = await find(req.head, req.base);
          if (existing) return { number: existing.iid, url: existing.web_url, created: false };
          // GitLab answers 409 "Another open merge request already exists" when one was opened meanwhile.
          const made = await client.post<GitlabMergeRequest>(
            api,
            { source_branch: req.head, target_branch: req.base, title: req.title, description: req.body ?? '' },
            async () => find(req.head, req.base),
          );
          return { number: made.iid, url: made.web_url, created: !made.reused };
        },
      };
    }
    default:
      throw new InputError(
        `repoUrl: ${remote.type} repositories cannot open pull requests here; mode pull-request needs a ${PULL_REQUEST_TYPES.join(', ')} integration (use mode commit)`,
      );
  }
}

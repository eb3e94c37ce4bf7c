import { InputError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import {
  parseBaseUrl,
  RepositoryUrl,
  repositoryPath,
  segmentsBelow,
} from '../urls/repositoryUrl';
import { GitCredentials } from './gitCredentials';

/**
 * The pull request APIs, one entry per integration type: where a
 * repository's API and pages are, how to authenticate, how to list the open
 * pull requests of a head and base, and the fields of a new one. The one flow
 * that uses them (list, reuse or create, reuse again on conflict) is
 * createPullRequestOpener's.
 */

/** The part of a pull request the flow needs, as the provider calls it. */
export interface ProviderPull {
  number: number;
  url: string;
  head?: string;
  base?: string;
}

/** One repository on one provider. */
export interface ProviderRepository {
  /** The collection URL to list (GET) and create (POST) pull requests. */
  api: string;
  headers: Record<string, string>;
  /** List URLs for the open pull requests of head into base, page by page. */
  listUrls(head: string, base: string): Iterable<string>;
  /** A page shorter than this is the last one; undefined: one page answers. */
  pageSize?: number;
  previewUrl(number: number): string;
}

export interface PullRequestProvider {
  repository(
    integrations: ScmIntegrationRegistry,
    url: RepositoryUrl,
    credentials: GitCredentials,
  ): ProviderRepository;
  /** The body that creates a pull request. */
  createBody(request: {
    head: string;
    base: string;
    title: string;
    body?: string;
  }): object;
  /** The provider's JSON for one pull request, as the flow needs it. */
  read(json: any): ProviderPull;
}

const trim = (url: string) => url.replace(/\/+$/, '');
const encodePath = (parts: string[]) => parts.map(encodeURIComponent).join('/');

/**
 * The repository's path below the integration's base URL, without `.git`,
 * from the parsed segments of both: exactly `segments` parts (owner, repo),
 * or at least two when 0 (GitLab groups).
 */
function repoPath(
  url: RepositoryUrl,
  baseUrl: string,
  type: string,
  segments: number,
): string[] {
  const base = parseBaseUrl(baseUrl, `integrations.${type}.baseUrl`, {
    allowHttpLoopback: true,
  });
  const below = segmentsBelow(url, base);
  const parts = below ? repositoryPath(below) : [];
  const ok =
    parts.length > 0 &&
    (segments ? parts.length === segments : parts.length >= 2);
  if (!ok) {
    const shape = segments ? '<owner>/<repo>' : '<group>/<project>';
    throw new InputError(
      `repoUrl: ${url.href} is not a ${type} repository URL; mode pull-request needs ${base.href}/${shape}.git`,
    );
  }
  return parts;
}

/** Gitea and GitHub describe a pull request alike. */
const readGiteaOrGithubPull = (json: any): ProviderPull => ({
  number: json.number,
  url: json.html_url,
  head: json.head?.ref,
  base: json.base?.ref,
});

const GITEA_PAGE_SIZE = 50;
const GITEA_MAX_PAGES = 20;

/** The integration types that can open pull requests, each with its API. */
export const PULL_REQUEST_PROVIDERS: Record<
  'gitea' | 'github' | 'gitlab',
  PullRequestProvider
> = {
  gitea: {
    repository(integrations, url, credentials) {
      const config = integrations.gitea.byUrl(url.href)!.config;
      const baseUrl = parseBaseUrl(
        config.baseUrl ?? `https://${config.host}`,
        'integrations.gitea.baseUrl',
        {
          allowHttpLoopback: true,
        },
      ).href;
      const parts = repoPath(url, baseUrl, 'gitea', 2);
      const api = `${baseUrl}/api/v1/repos/${encodePath(parts)}/pulls`;
      const basic = Buffer.from(
        `${credentials.username}:${credentials.password}`,
      ).toString('base64');
      return {
        api,
        headers: { authorization: `Basic ${basic}` },
        // Gitea cannot filter by head and base: page through the open ones.
        *listUrls() {
          for (let page = 1; page <= GITEA_MAX_PAGES; page++) {
            yield `${api}?state=open&page=${page}&limit=${GITEA_PAGE_SIZE}`;
          }
        },
        pageSize: GITEA_PAGE_SIZE,
        previewUrl: n => `${baseUrl}/${encodePath(parts)}/pulls/${n}`,
      };
    },
    // Gitea answers 409 (older releases 422) when one was opened meanwhile.
    createBody: r => ({
      head: r.head,
      base: r.base,
      title: r.title,
      body: r.body ?? '',
    }),
    read: readGiteaOrGithubPull,
  },
  github: {
    repository(integrations, url, credentials) {
      const config = integrations.github.byUrl(url.href)!.config;
      const [owner, repo] = repoPath(
        url,
        `${url.protocol}//${config.host}`,
        'github',
        2,
      );
      const api = `${trim(
        config.apiBaseUrl ?? 'https://api.github.com',
      )}/repos/${encodePath([owner, repo])}/pulls`;
      return {
        api,
        headers: {
          accept: 'application/vnd.github+json',
          authorization: `Bearer ${credentials.password}`,
          'x-github-api-version': '2022-11-28',
        },
        listUrls: (head, base) => [
          `${api}?${new URLSearchParams({
            head: `${owner}:${head}`,
            base,
            state: 'open',
          })}`,
        ],
        previewUrl: n => `https://${config.host}/${owner}/${repo}/pull/${n}`,
      };
    },
    // GitHub answers 422 "A pull request already exists" when one was opened meanwhile.
    createBody: r => ({
      title: r.title,
      head: r.head,
      base: r.base,
      body: r.body ?? '',
    }),
    read: readGiteaOrGithubPull,
  },
  gitlab: {
    repository(integrations, url, credentials) {
      const config = integrations.gitlab.byUrl(url.href)!.config;
      const project = repoPath(url, config.baseUrl, 'gitlab', 0).join('/');
      const api = `${trim(config.apiBaseUrl)}/projects/${encodeURIComponent(
        project,
      )}/merge_requests`;
      return {
        api,
        headers: { 'private-token': credentials.password },
        listUrls: (head, base) => [
          `${api}?${new URLSearchParams({
            source_branch: head,
            target_branch: base,
            state: 'opened',
          })}`,
        ],
        previewUrl: n =>
          `${trim(config.baseUrl)}/${project}/-/merge_requests/${n}`,
      };
    },
    // GitLab answers 409 "Another open merge request already exists" when one was opened meanwhile.
    createBody: r => ({
      source_branch: r.head,
      target_branch: r.base,
      title: r.title,
      description: r.body ?? '',
    }),
    read: json => ({
      number: json.iid,
      url: json.web_url,
      head: json.source_branch,
      base: json.target_branch,
    }),
  },
};

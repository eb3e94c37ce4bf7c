import { InputError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { parseRepositoryUrl, RepositoryUrl } from '../urls/repositoryUrl';
import { resolveGitRemote } from './gitCredentials';
import { DEFAULT_GIT_TIMEOUTS, GitTimeouts } from './gitHttp';
import { Fetch, JsonClient } from './jsonClient';
import {
  PULL_REQUEST_PROVIDERS,
  PullRequestProvider,
  ProviderRepository,
} from './pullRequestProviders';

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
  open(
    request: Omit<PullRequestRequest, 'repoUrl'>,
    options?: { signal?: AbortSignal },
  ): Promise<PullRequestResult>;
  /** The shape of a pull request's browser URL, for a dry run; calls nothing. */
  previewUrl(number: number): string;
}

/** The integration types that can open pull requests. @public */
export const PULL_REQUEST_TYPES = Object.keys(
  PULL_REQUEST_PROVIDERS,
) as ReadonlyArray<keyof typeof PULL_REQUEST_PROVIDERS>;

function isPullRequestType(
  type: string,
): type is (typeof PULL_REQUEST_TYPES)[number] {
  return (PULL_REQUEST_TYPES as readonly string[]).includes(type);
}

function cannotOpenPullRequests(subject: string): InputError {
  return new InputError(
    `repoUrl: ${subject} cannot open pull requests here; mode pull-request needs a ${PULL_REQUEST_TYPES.join(
      ', ',
    )} integration (use mode commit)`,
  );
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
    typeof rawRepoUrl === 'string'
      ? parseRepositoryUrl(rawRepoUrl, 'repoUrl', { allowHttpLoopback: true })
      : rawRepoUrl;
  const repoUrl = url.href;
  let integration;
  try {
    integration = integrations.byUrl(repoUrl);
  } catch {
    integration = undefined; // resolveGitRemote explains what is wrong with the URL
  }
  if (integration && !isPullRequestType(integration.type)) {
    // Before resolving credentials: a pull request is impossible whatever they are.
    throw cannotOpenPullRequests(
      `${repoUrl} is served by a ${integration.type} integration, which`,
    );
  }
  const remote = await resolveGitRemote(integrations, url);
  if (!isPullRequestType(remote.type)) {
    throw cannotOpenPullRequests(`${remote.type} repositories`);
  }
  const provider = PULL_REQUEST_PROVIDERS[remote.type];
  const repository = provider.repository(integrations, url, remote.credentials);
  const client = new JsonClient(
    doFetch,
    repoUrl,
    remote.type,
    repository.headers,
    timeouts,
  );
  return {
    type: remote.type,
    previewUrl: n => repository.previewUrl(n),
    async open(req, { signal } = {}) {
      client.begin(signal);
      const find = () =>
        findOpenPull(client, provider, repository, req.head, req.base);
      const existing = await find();
      if (existing)
        return { number: existing.number, url: existing.url, created: false };
      // On a conflict (one opened meanwhile) the one found then is reused.
      const answer = await client.post(
        repository.api,
        provider.createBody(req),
        find,
      );
      const pull =
        'existing' in answer ? answer.existing : provider.read(answer.created);
      return {
        number: pull.number,
        url: pull.url,
        created: !('existing' in answer),
      };
    },
  };
}

/** The open pull request of head into base, if any, page by page as the provider lists them. */
async function findOpenPull(
  client: JsonClient,
  provider: PullRequestProvider,
  repository: ProviderRepository,
  head: string,
  base: string,
) {
  for (const listUrl of repository.listUrls(head, base)) {
    const list = (await client.get<unknown[]>(listUrl)).map(provider.read);
    const match = list.find(p => p.head === head && p.base === base);
    if (match) return match;
    if (repository.pageSize === undefined || list.length < repository.pageSize)
      return undefined;
  }
  return undefined;
}

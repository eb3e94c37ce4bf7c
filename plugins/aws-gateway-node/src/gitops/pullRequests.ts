import { InputError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { parseRepositoryUrl, RepositoryUrl } from '../urls/repositoryUrl';
import { resolveGitRemote } from './gitCredentials';
import { DEFAULT_GIT_TIMEOUTS, GitOperation, GitTimeouts } from './gitHttp';
import { forgeHttp } from './forgeHttp';
import { azurePullRequests } from './pullRequestHosts/azure';
import { giteaPullRequests } from './pullRequestHosts/gitea';
import { githubPullRequests } from './pullRequestHosts/github';
import { gitlabPullRequests } from './pullRequestHosts/gitlab';
import {
  OpenPullRequest,
  OpenPullRequestList,
  PullRequestHostFactory,
  PullRequestRequest,
  PullRequestResult,
  PullRequestText,
} from './pullRequestHosts/types';
import {
  checkPullRequestExtras,
  PullRequestHostType,
} from './pullRequestRules';

export type {
  OpenPullRequest,
  OpenPullRequestHead,
  OpenPullRequestList,
  PullRequestRequest,
  PullRequestResult,
  PullRequestText,
} from './pullRequestHosts/types';

/**
 * Opens (or reuses) a pull request on one repository's host, through that
 * host's client and with one set of credentials: the SCM integration's, or
 * the user's token — never one in place of the other. @public
 */
export interface PullRequestOpener {
  /** The integration type: gitea, github or gitlab. */
  readonly type: PullRequestHostType;
  /** Whose credentials open it. */
  readonly source: 'integration' | 'user';
  /**
   * Refuses reviewer and label names this host would refuse (naming the
   * field and entry); call it before anything is pushed.
   */
  check(extras: Pick<PullRequestRequest, 'reviewers' | 'labels'>): void;
  /** Reuses an open pull request with the same head and base, else opens one; `signal` cancels it. */
  open(
    request: PullRequestRequest,
    options?: { signal?: AbortSignal },
  ): Promise<PullRequestResult>;
  /** The open pull request of head into base, if any (reads only); `signal` cancels it. */
  findOpen(
    head: string,
    base: string,
    options?: { signal?: AbortSignal },
  ): Promise<OpenPullRequest | undefined>;
  /**
   * The open pull requests into `base` whose head branch starts with
   * `headPrefix`, newest first, at most `limit` (reads only, a bounded
   * number of pages); `signal` cancels it.
   */
  listOpen(
    base: string,
    filter: { headPrefix: string; limit: number },
    options?: { signal?: AbortSignal },
  ): Promise<OpenPullRequestList>;
  /**
   * Comments why, then closes the pull request without merging it (Azure
   * DevOps: abandons it); the branch is left as it is. The comment is posted
   * only if the pull request does not have it yet (a re-run after a refused
   * close posts it once). `signal` cancels it.
   */
  close(
    number: number,
    comment: string,
    options?: { signal?: AbortSignal },
  ): Promise<void>;
  /** Sets the pull request's title and description (idempotent); `signal` cancels it. */
  retitle(
    number: number,
    text: PullRequestText,
    options?: { signal?: AbortSignal },
  ): Promise<void>;
  /** The shape of a pull request's browser URL, for a dry run; calls nothing. */
  previewUrl(number: number): string;
}

const PULL_REQUEST_HOSTS: Record<PullRequestHostType, PullRequestHostFactory> =
  {
    gitea: giteaPullRequests,
    github: githubPullRequests,
    gitlab: gitlabPullRequests,
    azure: azurePullRequests,
  };

/** The integration types that can open pull requests. @public */
export const PULL_REQUEST_TYPES = Object.keys(
  PULL_REQUEST_HOSTS,
) as ReadonlyArray<PullRequestHostType>;

function isPullRequestType(type: string): type is PullRequestHostType {
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
 * (`integrations.byUrl(repoUrl)`), with that integration's credentials or,
 * given `userToken`, the user's. Fails with an InputError naming `repoUrl`
 * (or `token`) and the rule when the host has no integration or credentials,
 * its type cannot open pull requests, or the URL is not a repository path
 * that type's API knows. Makes no request, except what Backstage needs to get
 * GitHub App credentials.
 *
 * @public
 */
export async function createPullRequestOpener(
  integrations: ScmIntegrationRegistry,
  rawRepoUrl: string | RepositoryUrl,
  options: {
    fetch?: typeof fetch;
    timeouts?: GitTimeouts;
    userToken?: string;
  } = {},
): Promise<PullRequestOpener> {
  const timeouts = options.timeouts ?? DEFAULT_GIT_TIMEOUTS;
  // The one normaliser: every path below is built from its segments, never from the raw text.
  const url =
    typeof rawRepoUrl === 'string'
      ? parseRepositoryUrl(rawRepoUrl, 'repoUrl', { allowHttpLoopback: true })
      : rawRepoUrl;
  let integration;
  try {
    integration = integrations.byUrl(url.href);
  } catch {
    integration = undefined; // resolveGitRemote explains what is wrong with the URL
  }
  if (integration && !isPullRequestType(integration.type)) {
    // Before resolving credentials: a pull request is impossible whatever they are.
    throw cannotOpenPullRequests(
      `${url.href} is served by a ${integration.type} integration, which`,
    );
  }
  const remote = await resolveGitRemote(integrations, url, {
    userToken: options.userToken,
  });
  const type = remote.type;
  if (!isPullRequestType(type)) {
    throw cannotOpenPullRequests(`${type} repositories`);
  }
  const host = PULL_REQUEST_HOSTS[type](integrations, remote);
  /** One operation (deadlines, the caller's signal) and its transport per call. */
  const httpFor = (what: string, signal?: AbortSignal) =>
    forgeHttp(remote, new GitOperation(what, timeouts, signal), options.fetch);
  return {
    type,
    source: remote.source,
    check: extras => {
      checkPullRequestExtras(type, extras);
    },
    previewUrl: n => host.previewUrl(n),
    async findOpen(head, base, { signal } = {}) {
      return host.findOpen(
        head,
        base,
        httpFor('looking for an open pull request', signal),
      );
    },
    async listOpen(base, filter, { signal } = {}) {
      return host.listOpen(
        base,
        filter,
        httpFor('listing open pull requests', signal),
      );
    },
    async close(number, comment, { signal } = {}) {
      const http = httpFor('closing the pull request', signal);
      // The comment's exact text is the mark, looked for among all the comments: posted once, never lost.
      const said = await host.hasComment(
        number,
        body => body.trim() === comment.trim(),
        http,
      );
      return host.close(number, said ? undefined : comment, http);
    },
    async retitle(number, text, { signal } = {}) {
      return host.retitle(
        number,
        text,
        httpFor('retitling the pull request', signal),
      );
    },
    async open(request, { signal } = {}) {
      const checked = checkPullRequestExtras(type, request);
      return host.open(
        { ...request, ...checked },
        httpFor('opening the pull request', signal),
      );
    },
  };
}

import { InputError } from '@backstage/errors';
import {
  getBearerHandler,
  getPersonalAccessTokenHandler,
} from 'azure-devops-node-api';
import { GitApi } from 'azure-devops-node-api/GitApi';
import {
  CommentThreadStatus,
  CommentType,
  GitPullRequest,
  IdentityRefWithVote,
  PullRequestStatus,
} from 'azure-devops-node-api/interfaces/GitInterfaces';
import { parseBaseUrl, segmentsBelow } from '../../urls/repositoryUrl';
import { ForgeHttp } from '../forgeHttp';
import { PullRequestHostFactory } from './types';
import {
  collectOpen,
  encodePath,
  findOrCreate,
  OPEN_LIST_PAGES,
} from './repositoryPath';

const PAGE_SIZE = 100;
const refOf = (branch: string) => `refs/heads/${branch}`;

/** typed-rest-client answers a GET's 404 with no result rather than an error: one with its status. */
function notFound(): Error {
  return Object.assign(new Error('HTTP 404'), { statusCode: 404 });
}

/**
 * Azure DevOps (Services and Server) through Microsoft's
 * `azure-devops-node-api`: list the active pull requests of head into base,
 * create one (a draft when asked), add reviewers by identity id and labels
 * (tags). The Git client is built on the collection URL itself, never on a
 * location the server names (its resource-area lookup could send the
 * credentials elsewhere), with no redirects and no retries; the client takes
 * no signal, so every call has the per-request deadline and runs inside the
 * operation, which rejects at once on cancellation or deadline.
 */
export const azurePullRequests: PullRequestHostFactory = (
  integrations,
  remote,
) => {
  const config = integrations.azure.byUrl(remote.url.href)!.config;
  const root = parseBaseUrl(
    `${remote.url.protocol}//${config.host}`,
    'integrations.azure.host',
    { allowHttpLoopback: true },
  );
  const parts = segmentsBelow(remote.url, root) ?? [];
  if (parts.length !== 4 || parts[2] !== '_git') {
    throw new InputError(
      `repoUrl: ${remote.url.href} is not an Azure DevOps repository URL; mode pull-request needs ${root.href}/<organization>/<project>/_git/<repository>`,
    );
  }
  const [organization, project, , repository] = parts;
  const web = `${root.href}/${encodePath([
    organization,
    project,
    '_git',
    repository,
  ])}`;
  const client = (http: ForgeHttp) => {
    const { password, bearer } = remote.credentials;
    return new GitApi(
      `${root.href}/${encodeURIComponent(organization)}`,
      [
        bearer
          ? getBearerHandler(password)
          : getPersonalAccessTokenHandler(password),
      ],
      {
        allowRedirects: false,
        allowRetries: false,
        socketTimeout: http.operation.timeouts.requestMs,
      },
    );
  };
  const findPull = async (
    git: GitApi,
    http: ForgeHttp,
    head: string,
    base: string,
  ) => {
    const list = await http.callWithin('list open pull requests', async () => {
      const found = await git.getPullRequests(
        repository,
        {
          sourceRefName: head,
          targetRefName: base,
          status: PullRequestStatus.Active,
        },
        project,
        undefined,
        0,
        PAGE_SIZE,
      );
      if (!found) throw notFound();
      return found;
    });
    return list.find(
      p =>
        typeof p.pullRequestId === 'number' &&
        p.sourceRefName === head &&
        p.targetRefName === base,
    );
  };
  return {
    previewUrl: n => `${web}/pullrequest/${n}`,
    async findOpen(head, base, http) {
      const pull = await findPull(client(http), http, refOf(head), refOf(base));
      return (
        pull && {
          number: pull.pullRequestId!,
          url: `${web}/pullrequest/${pull.pullRequestId}`,
        }
      );
    },
    listOpen(base, filter, http) {
      const git = client(http);
      return http.callWithin('list open pull requests', () =>
        collectOpen(
          OPEN_LIST_PAGES,
          async page => {
            const found = await git.getPullRequests(
              repository,
              { targetRefName: refOf(base), status: PullRequestStatus.Active },
              project,
              undefined,
              (page - 1) * OPEN_LIST_PAGES.size,
              OPEN_LIST_PAGES.size,
            );
            if (!found) throw notFound();
            return found;
          },
          p => ({
            head: p.sourceRefName?.replace(/^refs\/heads\//, ''),
            base: p.targetRefName?.replace(/^refs\/heads\//, ''),
            number: p.pullRequestId,
            url:
              typeof p.pullRequestId === 'number'
                ? `${web}/pullrequest/${p.pullRequestId}`
                : undefined,
          }),
          { ...filter, base },
        ),
      );
    },
    hasComment(number, matches, http) {
      const git = client(http);
      // Azure DevOps answers every thread at once.
      return http.callWithin('list the pull request threads', async () =>
        ((await git.getThreads(repository, number, project)) ?? []).some(t =>
          (t.comments ?? []).some(
            c => typeof c.content === 'string' && matches(c.content),
          ),
        ),
      );
    },
    async close(number, comment, http) {
      const git = client(http);
      if (comment)
        await http.callWithin('comment on the pull request', () =>
          git.createThread(
            {
              comments: [{ content: comment, commentType: CommentType.Text }],
              status: CommentThreadStatus.Closed,
            },
            repository,
            number,
            project,
          ),
        );
      // Azure DevOps closes a pull request without merging it by abandoning it.
      await http.callWithin('abandon the pull request', () =>
        git.updatePullRequest(
          { status: PullRequestStatus.Abandoned },
          repository,
          number,
          project,
        ),
      );
    },
    async retitle(number, text, http) {
      const git = client(http);
      await http.callWithin('retitle the pull request', () =>
        git.updatePullRequest(
          { title: text.title, description: text.body },
          repository,
          number,
          project,
        ),
      );
    },
    async open(request, http) {
      const git = client(http);
      const head = refOf(request.head);
      const base = refOf(request.base);
      const find = () => findPull(git, http, head, base);
      // 409 (TF401179) when one was opened meanwhile.
      const { pull, created } = await findOrCreate<GitPullRequest>(find, () =>
        http.callWithin('open a pull request', async () => {
          const opened = await git.createPullRequest(
            {
              sourceRefName: head,
              targetRefName: base,
              title: request.title,
              description: request.body ?? '',
              isDraft: request.draft ?? false,
            },
            repository,
            project,
          );
          // Explained as an unexpected answer.
          if (typeof opened?.pullRequestId !== 'number')
            throw new Error('no pullRequestId');
          return opened;
        }),
      );
      const number = pull.pullRequestId!;
      // A re-run finishes what a run cut short: only what the pull request lacks is added.
      const present = new Set(
        (pull.reviewers ?? []).map(r => r.id?.toLowerCase()),
      );
      for (const id of request.reviewers ?? []) {
        if (present.has(id.toLowerCase())) continue;
        await http.callWithin('add a reviewer', () =>
          git.createPullRequestReviewer(
            { id } as IdentityRefWithVote,
            repository,
            number,
            id,
            project,
          ),
        );
      }
      const labelled = new Set((pull.labels ?? []).map(l => l.name));
      for (const name of request.labels ?? []) {
        if (labelled.has(name)) continue;
        await http.callWithin('add a label', () =>
          git.createPullRequestLabel({ name }, repository, number, project),
        );
      }
      return { number, url: `${web}/pullrequest/${number}`, created };
    },
  };
};

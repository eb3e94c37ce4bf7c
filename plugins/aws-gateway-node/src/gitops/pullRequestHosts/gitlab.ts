import { InputError } from '@backstage/errors';
import { Gitlab } from '@gitbeaker/rest';
import { ForgeHttp } from '../forgeHttp';
import { PullRequestHostFactory } from './types';
import {
  collectOpen,
  findOrCreate,
  markedTitle,
  OPEN_LIST_PAGES,
  repoPathBelow,
} from './repositoryPath';
import { hasComment } from './commentScan';

/** The part of a merge request the flow reads. */
interface MergeRequest {
  iid: number;
  web_url: string;
  reviewers?: Array<{ id: number }>;
}

const API_SUFFIX = /\/api\/v4\/*$/;

/**
 * GitLab through `@gitbeaker/rest`: list the open merge requests of head
 * into base, create one ("Draft:" title when asked), reviewers by user name
 * (looked up to ids), labels. gitbeaker takes no caller's signal: each
 * request has the per-request deadline (`queryTimeout`), and every call runs
 * inside the operation, which rejects at once on cancellation or deadline.
 */
export const gitlabPullRequests: PullRequestHostFactory = (
  integrations,
  remote,
) => {
  const config = integrations.gitlab.byUrl(remote.url.href)!.config;
  const project = repoPathBelow(remote.url, config.baseUrl, 'gitlab', 0).join(
    '/',
  );
  if (!API_SUFFIX.test(config.apiBaseUrl)) {
    throw new Error(
      `Invalid configuration: integrations.gitlab apiBaseUrl for ${config.host} must end in /api/v4`,
    );
  }
  const host = config.apiBaseUrl.replace(API_SUFFIX, '');
  const web = `${config.baseUrl.replace(/\/+$/, '')}/${project}`;
  const client = (http: ForgeHttp) => {
    const token = remote.credentials.password;
    return new Gitlab({
      host,
      ...(remote.source === 'user' ? { oauthToken: token } : { token }),
      queryTimeout: http.operation.timeouts.requestMs,
    });
  };
  const findMergeRequest = async (
    api: ReturnType<typeof client>,
    http: ForgeHttp,
    head: string,
    base: string,
  ): Promise<MergeRequest | undefined> => {
    const list = await http.call('list open merge requests', () =>
      api.MergeRequests.all({
        projectId: project,
        sourceBranch: head,
        targetBranch: base,
        state: 'opened',
        maxPages: 1,
        perPage: 100,
      }),
    );
    return list.find(
      m => m.source_branch === head && m.target_branch === base,
    ) as MergeRequest | undefined;
  };
  return {
    previewUrl: n => `${web}/-/merge_requests/${n}`,
    async findOpen(head, base, http) {
      const pull = await findMergeRequest(client(http), http, head, base);
      return pull && { number: pull.iid, url: pull.web_url };
    },
    listOpen(base, filter, http) {
      const api = client(http);
      return http.call('list open merge requests', () =>
        collectOpen(
          OPEN_LIST_PAGES,
          page =>
            api.MergeRequests.all({
              projectId: project,
              targetBranch: base,
              state: 'opened',
              orderBy: 'created_at',
              sort: 'desc',
              pagination: 'offset',
              page,
              perPage: OPEN_LIST_PAGES.size,
              maxPages: 1,
            }),
          m => ({
            head: m.source_branch as string,
            base: m.target_branch as string,
            number: m.iid as number,
            url: m.web_url as string,
          }),
          { ...filter, base },
        ),
      );
    },
    hasComment(number, matches, http) {
      const api = client(http);
      // Newest first: a comment the portal posted on an earlier run is near the start.
      return http.call('list the merge request notes', () =>
        hasComment(
          OPEN_LIST_PAGES.size,
          page =>
            api.MergeRequestNotes.all(project, number, {
              sort: 'desc',
              orderBy: 'created_at',
              pagination: 'offset',
              page,
              perPage: OPEN_LIST_PAGES.size,
              maxPages: 1,
            }),
          n => ({ id: n.id, body: n.body }),
          matches,
          `merge request !${number} of ${remote.url.href}`,
        ),
      );
    },
    async close(number, comment, http) {
      const api = client(http);
      if (comment)
        await http.call('comment on the merge request', () =>
          api.MergeRequestNotes.create(project, number, comment),
        );
      await http.call('close the merge request', () =>
        api.MergeRequests.edit(project, number, { stateEvent: 'close' }),
      );
    },
    async retitle(number, text, http) {
      const api = client(http);
      await http.call('retitle the merge request', () =>
        api.MergeRequests.edit(project, number, {
          title: text.title,
          description: text.body,
        }),
      );
    },
    async open(request, http) {
      const api = client(http);
      const reviewerIds = await Promise.all(
        (request.reviewers ?? []).map(async (username, i) => {
          const users = await http.call('look up a reviewer', () =>
            api.Users.all({ username, maxPages: 1, perPage: 1 }),
          );
          const user = users.find(u => u.username === username);
          if (!user) {
            throw new InputError(
              `reviewers[${i}]: no GitLab user "${username}" on ${config.host}`,
            );
          }
          return user.id as number;
        }),
      );
      const find = () =>
        findMergeRequest(api, http, request.head, request.base);
      const labels = request.labels?.length
        ? request.labels.join(',')
        : undefined;
      // 409 "Another open merge request already exists" when one was opened meanwhile.
      const { pull, created } = await findOrCreate(
        find,
        async () =>
          (await http.call('open a merge request', () =>
            api.MergeRequests.create(
              project,
              request.head,
              request.base,
              markedTitle(request.title, request.draft, 'Draft:'),
              {
                description: request.body ?? '',
                ...(labels ? { labels } : {}),
                ...(reviewerIds.length ? { reviewerIds } : {}),
              },
            ),
          )) as MergeRequest,
      );
      if (!created) {
        // A re-run finishes what a run cut short: labels added, reviewers kept and added.
        const current = (pull.reviewers ?? [])
          .map(r => r.id)
          .filter(id => typeof id === 'number');
        const wanted = [...new Set([...current, ...reviewerIds])];
        if (labels || wanted.length > current.length) {
          await http.call('update the merge request', () =>
            api.MergeRequests.edit(project, pull.iid, {
              ...(labels ? { addLabels: labels } : {}),
              ...(wanted.length > current.length
                ? { reviewerIds: wanted }
                : {}),
            }),
          );
        }
      }
      return { number: pull.iid, url: pull.web_url, created };
    },
  };
};

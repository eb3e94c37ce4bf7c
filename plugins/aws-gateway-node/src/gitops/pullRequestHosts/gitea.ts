import { parseBaseUrl } from '../../urls/repositoryUrl';
import { ForgeHttp } from '../forgeHttp';
import { PullRequestHostFactory } from './types';
import {
  collectOpen,
  encodePath,
  findOrCreate,
  markedTitle,
  repoPathBelow,
} from './repositoryPath';
import { hasComment } from './commentScan';

const PAGE_SIZE = 50;
const MAX_PAGES = 20;

/** A refused request, with its status for the one error mapping (forgeHttp). */
class HttpStatusError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

/** Gitea describes a pull request like GitHub. */
interface GiteaPull {
  number: number;
  html_url: string;
  head?: { ref?: string };
  base?: { ref?: string };
}

/**
 * Gitea's REST API (no client library is kept for it): list the open pull
 * requests page by page (Gitea cannot filter by head and base), create one
 * ("WIP:" title for a draft, Gitea's work-in-progress mark), request
 * reviewers, add labels by name.
 */
export const giteaPullRequests: PullRequestHostFactory = (
  integrations,
  remote,
) => {
  const config = integrations.gitea.byUrl(remote.url.href)!.config;
  const baseUrl = parseBaseUrl(
    config.baseUrl ?? `https://${config.host}`,
    'integrations.gitea.baseUrl',
    { allowHttpLoopback: true },
  ).href;
  const parts = repoPathBelow(remote.url, baseUrl, 'gitea', 2);
  const repoApi = `${baseUrl}/api/v1/repos/${encodePath(parts)}`;
  const basic = Buffer.from(
    `${remote.credentials.username}:${remote.credentials.password}`,
  ).toString('base64');

  const json = async <T>(
    http: ForgeHttp,
    url: string,
    method = 'GET',
    body?: unknown,
  ): Promise<T> => {
    const res = await http.fetch(url, {
      method,
      headers: {
        authorization: `Basic ${basic}`,
        accept: 'application/json',
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    if (!res.ok) {
      await res.body?.cancel();
      throw new HttpStatusError(res.status);
    }
    return (await res.json()) as T;
  };

  const findPull = (http: ForgeHttp, head: string, base: string) =>
    http.call('list open pull requests', async () => {
      for (let page = 1; page <= MAX_PAGES; page++) {
        const list = await json<GiteaPull[]>(
          http,
          `${repoApi}/pulls?state=open&page=${page}&limit=${PAGE_SIZE}`,
        );
        const match = list.find(
          p => p.head?.ref === head && p.base?.ref === base,
        );
        if (match || list.length < PAGE_SIZE) return match;
      }
      return undefined;
    });

  return {
    previewUrl: n => `${baseUrl}/${encodePath(parts)}/pulls/${n}`,
    async findOpen(head, base, http) {
      const pull = await findPull(http, head, base);
      return pull && { number: pull.number, url: pull.html_url };
    },
    listOpen(base, filter, http) {
      return http.call('list open pull requests', () =>
        collectOpen(
          { size: PAGE_SIZE, max: MAX_PAGES },
          page =>
            json<GiteaPull[]>(
              http,
              `${repoApi}/pulls?state=open&page=${page}&limit=${PAGE_SIZE}`,
            ),
          p => ({
            head: p.head?.ref,
            base: p.base?.ref,
            number: p.number,
            url: p.html_url,
          }),
          { ...filter, base },
        ),
      );
    },
    hasComment(number, matches, http) {
      // Gitea answers every comment at once (no page); a server that pages is read page by page.
      return http.call('list the pull request comments', () =>
        hasComment(
          PAGE_SIZE,
          page =>
            json<Array<{ id?: unknown; body?: unknown }>>(
              http,
              `${repoApi}/issues/${number}/comments?page=${page}&limit=${PAGE_SIZE}`,
            ),
          c => ({ id: c.id, body: c.body }),
          matches,
          `pull request #${number} of ${remote.url.href}`,
        ),
      );
    },
    async close(number, comment, http) {
      if (comment)
        await http.call('comment on the pull request', () =>
          json(http, `${repoApi}/issues/${number}/comments`, 'POST', {
            body: comment,
          }),
        );
      await http.call('close the pull request', () =>
        json(http, `${repoApi}/pulls/${number}`, 'PATCH', { state: 'closed' }),
      );
    },
    async retitle(number, text, http) {
      await http.call('retitle the pull request', () =>
        json(http, `${repoApi}/pulls/${number}`, 'PATCH', {
          title: text.title,
          body: text.body,
        }),
      );
    },
    async open(request, http) {
      const find = () => findPull(http, request.head, request.base);
      // 409 (older releases 422) when one was opened meanwhile.
      const { pull, created } = await findOrCreate(find, () =>
        http.call('open a pull request', () =>
          json<GiteaPull>(http, `${repoApi}/pulls`, 'POST', {
            head: request.head,
            base: request.base,
            title: markedTitle(request.title, request.draft, 'WIP:'),
            body: request.body ?? '',
          }),
        ),
      );
      const number = pull.number;
      if (request.reviewers?.length) {
        await http.call('request reviewers', () =>
          json(http, `${repoApi}/pulls/${number}/requested_reviewers`, 'POST', {
            reviewers: request.reviewers,
          }),
        );
      }
      if (request.labels?.length) {
        await http.call('add labels', () =>
          json(http, `${repoApi}/issues/${number}/labels`, 'POST', {
            labels: request.labels,
          }),
        );
      }
      return { number, url: pull.html_url, created };
    },
  };
};

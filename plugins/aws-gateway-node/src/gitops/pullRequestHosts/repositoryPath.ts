import { InputError } from '@backstage/errors';
import {
  parseBaseUrl,
  RepositoryUrl,
  repositoryPath,
  segmentsBelow,
} from '../../urls/repositoryUrl';
import { OpenPullRequestList } from './types';

/** Path segments for API URLs: each one encoded, never the raw text. */
export const encodePath = (parts: string[]) =>
  parts.map(encodeURIComponent).join('/');

/**
 * The repository's path below a host's base URL, without `.git`, from the
 * parsed segments of both: exactly `segments` parts (owner, repo), or at
 * least two when 0 (GitLab groups).
 */
export function repoPathBelow(
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

/** A title marked the host's way (GitLab "Draft:", Gitea "WIP:"), once. */
export function markedTitle(
  title: string,
  draft: boolean | undefined,
  prefix: string,
) {
  return draft && !title.toLowerCase().startsWith(prefix.toLowerCase())
    ? `${prefix} ${title}`
    : title;
}

/**
 * The one flow of every host: reuse the open pull request `find` finds, else
 * `create` one; when creating fails because one was opened meanwhile (the
 * hosts answer 409 or 422), reuse the one found then.
 */
export async function findOrCreate<T>(
  find: () => Promise<T | undefined>,
  create: () => Promise<T>,
): Promise<{ pull: T; created: boolean }> {
  const existing = await find();
  if (existing) return { pull: existing, created: false };
  try {
    return { pull: await create(), created: true };
  } catch (error) {
    const raced = await find();
    if (!raced) throw error;
    return { pull: raced, created: false };
  }
}

/** The pages a listing reads, where the host's API allows 100 per page. */
export const OPEN_LIST_PAGES = { size: 100, max: 5 };

/**
 * The one bound of every host's listing: the pull requests of `pages` (each
 * newest first, fetched one after another until one is short) into `base`
 * whose head starts with `headPrefix`, at most `limit`; incomplete when the
 * limit or the last page allowed was reached with more to read.
 */
export async function collectOpen<T>(
  pages: { size: number; max: number },
  fetchPage: (page: number) => Promise<T[]>,
  pick: (item: T) => {
    head?: string;
    base?: string;
    number?: number;
    url?: string;
  },
  filter: { base: string; headPrefix: string; limit: number },
): Promise<OpenPullRequestList> {
  const pullRequests: OpenPullRequestList['pullRequests'] = [];
  for (let page = 1; page <= pages.max; page++) {
    const list = await fetchPage(page);
    for (const item of list) {
      const { head, base, number, url } = pick(item);
      if (
        base !== filter.base ||
        typeof head !== 'string' ||
        !head.startsWith(filter.headPrefix) ||
        typeof number !== 'number' ||
        typeof url !== 'string'
      )
        continue;
      if (pullRequests.length === filter.limit)
        return { pullRequests, complete: false };
      pullRequests.push({ number, url, head });
    }
    if (list.length < pages.size) return { pullRequests, complete: true };
  }
  return { pullRequests, complete: false };
}

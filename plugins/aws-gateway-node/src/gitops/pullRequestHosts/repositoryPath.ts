import { InputError } from '@backstage/errors';
import {
  parseBaseUrl,
  RepositoryUrl,
  repositoryPath,
  segmentsBelow,
} from '../../urls/repositoryUrl';

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

import { ServiceUnavailableError } from '@backstage/errors';

/** Full reads of a pull request's comments before giving up on a list that keeps changing. */
export const COMMENT_READS = 3;

/** One read of every comment, page after page, in the host's order. */
interface CommentRead {
  found: boolean;
  /** The ids of the comments read. */
  ids: Set<unknown>;
  /** Everything came in the first answer: one answer, so a snapshot of the list. */
  oneAnswer: boolean;
}

async function readComments<T>(
  pageSize: number,
  fetchPage: (page: number) => Promise<T[]>,
  comment: (item: T) => { id: unknown; body: unknown },
  matches: (body: string) => boolean,
): Promise<CommentRead> {
  const ids = new Set<unknown>();
  const idsOf = (list: T[]) => list.map(item => comment(item).id);
  let firstPage: unknown[] = [];
  for (let page = 1; ; page++) {
    const list = await fetchPage(page);
    if (page === 1) firstPage = idsOf(list);
    let unread = 0;
    for (const item of list) {
      const { id, body } = comment(item);
      if (typeof body === 'string' && matches(body))
        return { found: true, ids, oneAnswer: false };
      if (!ids.has(id)) unread++;
      ids.add(id);
    }
    if (list.length < pageSize) {
      // A short first page is one answer; a short later page ends the list.
      return { found: false, ids, oneAnswer: page === 1 };
    }
    if (unread === 0) {
      // Nothing new on this page: a host answering everything whatever the
      // page, or (newest first) a page's worth posted since the last page
      // moved what was read onto this one. Only the first answers page 1 as
      // before; otherwise the list changed and is read again.
      const oneAnswer =
        page === 2 && sameIds(idsOf(await fetchPage(1)), firstPage);
      return { found: false, ids, oneAnswer };
    }
  }
}

function sameIds(a: unknown[], b: unknown[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

/**
 * Whether a pull request has a comment `matches` accepts, reading its
 * comments page after page (`fetchPage`, in the host's order) until one
 * matches, a page is short, or a page brings no comment not read before (a
 * host that answers every comment whatever the page, as Gitea does). Every
 * page is read if need be: stopping at a bound would post a closing comment
 * again on a pull request with more comments; the operation's deadline bounds
 * the reads.
 *
 * Pages are offsets (GitHub oldest first, GitLab newest first): a comment
 * deleted from a page already read moves the next one back onto it, unread,
 * so a read over several pages that finds nothing is read again. A comment
 * posted meanwhile only moves others forward, onto a page still to read, so
 * what matters is only whether a comment of the first read has gone: if
 * every one is still in the second read, none was deleted during the first
 * and it missed nothing. Otherwise the list is read again, up to
 * COMMENT_READS times; a list that changed during each read is an error
 * (posting then could post twice), to be run again. `subject` names the pull
 * request in it. A second page that brings nothing new is told apart from a
 * page's worth of comments posted meanwhile by asking the first page again.
 */
export async function hasComment<T>(
  pageSize: number,
  fetchPage: (page: number) => Promise<T[]>,
  comment: (item: T) => { id: unknown; body: unknown },
  matches: (body: string) => boolean,
  subject: string,
): Promise<boolean> {
  let previous: Set<unknown> | undefined;
  for (let reads = 1; reads <= COMMENT_READS; reads++) {
    const read = await readComments(pageSize, fetchPage, comment, matches);
    if (read.found) return true;
    if (read.oneAnswer) return false;
    if (previous && [...previous].every(id => read.ids.has(id))) return false;
    previous = read.ids;
  }
  throw new ServiceUnavailableError(
    `repoUrl: the comments of ${subject} changed during each of ${COMMENT_READS} reads (comments deleted while they were read), so whether it already has the comment is unknown; nothing was posted: try again`,
  );
}

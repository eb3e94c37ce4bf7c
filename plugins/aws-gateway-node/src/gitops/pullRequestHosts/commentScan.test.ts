import { ServiceUnavailableError } from '@backstage/errors';
import { COMMENT_READS, hasComment } from './commentScan';

interface Comment {
  id: number;
  body: string;
}

/**
 * A host's pages of `comments` (`size` per page, offsets into the list as
 * GitHub and GitLab page), oldest first or newest first, recording which
 * pages were asked; `served` runs after each page is answered (a change of
 * the list between two reads).
 */
function pagedHost(
  bodies: string[],
  size: number,
  options: {
    newestFirst?: boolean;
    served?: (page: number, list: Comment[]) => void;
  } = {},
) {
  const list: Comment[] = bodies.map((body, i) => ({ id: i + 1, body }));
  const asked: number[] = [];
  const fetchPage = async (page: number) => {
    asked.push(page);
    const ordered = options.newestFirst ? [...list].reverse() : list;
    const answer = ordered.slice((page - 1) * size, page * size);
    options.served?.(page, list);
    return answer;
  };
  return { fetchPage, asked, list };
}

const others = (n: number) =>
  Array.from({ length: n }, (_, i) => `Comment ${i + 1}`);
const ours = 'Closed by Backstage: it changes nothing.';
const isOurs = (body: string) => body.trim() === ours;
const subject = 'pull request #3 of https://github.example/platform/gitops.git';
const scan = (size: number, fetchPage: (page: number) => Promise<Comment[]>) =>
  hasComment(size, fetchPage, c => c, isOurs, subject);
/** Pages 1 to n. */
const pages = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('hasComment', () => {
  it('finds a comment beyond any page bound: 1,200 comments, ours the 1,101st', async () => {
    const host = pagedHost([...others(1100), `${ours}\n`, ...others(99)], 100);
    expect(await scan(100, host.fetchPage)).toBe(true);
    // It stops at the page that holds it.
    expect(host.asked).toEqual(pages(12));
  });

  it('reads every page, to the short one, twice before saying it is not there (nothing read the first time has gone)', async () => {
    const host = pagedHost(others(700), 100);
    expect(await scan(100, host.fetchPage)).toBe(false);
    expect(host.asked).toEqual([...pages(8), ...pages(8)]);
  });

  it('reads a list one page holds once: one answer is the whole list', async () => {
    const host = pagedHost(others(99), 100);
    expect(await scan(100, host.fetchPage)).toBe(false);
    expect(host.asked).toEqual([1]);
  });

  it('stops when a page brings no comment not read before (a host answering every comment whatever the page), read once', async () => {
    const all = others(120).map((body, i) => ({ id: i + 1, body }));
    const asked: number[] = [];
    const everyComment = async (page: number) => {
      asked.push(page);
      return all;
    };
    expect(await scan(50, everyComment)).toBe(false);
    // Page 1 again: the same answer, so no page's worth was posted meanwhile.
    expect(asked).toEqual([1, 2, 1]);
  });

  it('reads again when a page of comments posted between two pages (newest first) makes the second page the first one again: ours is further on', async () => {
    let posted = false;
    const host = pagedHost([ours, ...others(250)], 100, {
      newestFirst: true,
      served: (page, list) => {
        if (page !== 1 || posted) return;
        posted = true;
        for (let i = 0; i < 100; i++)
          list.push({ id: 2000 + i, body: 'Posted meanwhile' });
      },
    });
    expect(await scan(100, host.fetchPage)).toBe(true);
    // Page 2 repeated page 1; page 1 asked again had changed: read again to ours (now on page 4).
    expect(host.asked).toEqual([1, 2, 1, ...pages(4)]);
  });

  // Ours is the first comment of page 7 in the host's order; a comment of page 1 deleted once page 6 is served moves it onto page 6, already read.
  it.each([
    ['oldest first (GitHub)', false],
    ['newest first (GitLab)', true],
  ])(
    'finds its comment when a comment of a page already read is deleted during the read: %s',
    async (_, newestFirst) => {
      let deleted: Comment | undefined;
      const host = pagedHost([...others(600), ours, ...others(600)], 100, {
        newestFirst,
        served: (page, list) => {
          if (page !== 6 || deleted) return;
          // The first comment of page 1 in the host's order.
          const index = newestFirst ? list.length - 1 : 0;
          [deleted] = list.splice(index, 1);
        },
      });
      expect(await scan(100, host.fetchPage)).toBe(true);
      expect(deleted).toBeDefined();
      // The first read missed it (page 7 began after it); the second found it on page 6.
      expect(host.asked).toEqual([...pages(13), ...pages(6)]);
    },
  );

  it('says it is not there when comments posted meanwhile (newest first: they move the others forward) are all it saw change', async () => {
    let posted = 0;
    const host = pagedHost(others(250), 100, {
      newestFirst: true,
      served: (page, list) => {
        if (page === 2 && posted < 2)
          list.push({ id: 1000 + ++posted, body: 'Posted meanwhile' });
      },
    });
    expect(await scan(100, host.fetchPage)).toBe(false);
    // Two reads: nothing the first read saw had gone from the second.
    expect(host.asked).toEqual([...pages(3), ...pages(3)]);
  });

  it(`refuses to answer when comments are deleted during each of ${COMMENT_READS} reads, naming the pull request: posting then could post twice`, async () => {
    // Ours is not there (the answer would be "post it"); the first comment, read on page 1, goes each time page 2 is served.
    const host = pagedHost(others(1200), 100, {
      served: (page, list) => {
        if (page === 2) list.splice(0, 1);
      },
    });
    const error = await scan(100, host.fetchPage).catch(e => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error.message).toBe(
      `repoUrl: the comments of ${subject} changed during each of ${COMMENT_READS} reads (comments deleted while they were read), so whether it already has the comment is unknown; nothing was posted: try again`,
    );
    expect(host.asked.filter(p => p === 1)).toHaveLength(COMMENT_READS);
  });

  it('ignores what is not text', async () => {
    const host = async (): Promise<Array<{ id: number; body?: unknown }>> => [
      { id: 1, body: 42 },
      { id: 2 },
    ];
    expect(
      await hasComment(
        100,
        host,
        c => ({ id: c.id, body: c.body }),
        isOurs,
        subject,
      ),
    ).toBe(false);
  });
});

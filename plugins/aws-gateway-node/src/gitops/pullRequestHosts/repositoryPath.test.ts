import { hasComment } from './repositoryPath';

/** A host's pages of `comments` (`size` per page), recording which pages were asked. */
function pagedHost(comments: string[], size: number) {
  const asked: number[] = [];
  const fetchPage = async (page: number) => {
    asked.push(page);
    return comments
      .map((body, i) => ({ id: i + 1, body }))
      .slice((page - 1) * size, page * size);
  };
  return { fetchPage, asked };
}

const others = (n: number) =>
  Array.from({ length: n }, (_, i) => `Comment ${i + 1}`);
const ours = 'Closed by Backstage: it changes nothing.';
const isOurs = (body: string) => body.trim() === ours;

describe('hasComment', () => {
  it('finds a comment beyond any page bound: 1,200 comments, ours the 1,101st', async () => {
    const host = pagedHost([...others(1100), `${ours}\n`, ...others(99)], 100);
    expect(await hasComment(100, host.fetchPage, c => c, isOurs)).toBe(true);
    // It stops at the page that holds it.
    expect(host.asked).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('reads every page, to the short one, before saying it is not there', async () => {
    const host = pagedHost(others(700), 100);
    expect(await hasComment(100, host.fetchPage, c => c, isOurs)).toBe(false);
    expect(host.asked).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('stops when a page brings no comment not read before (a host answering every comment whatever the page)', async () => {
    const all = others(120).map((body, i) => ({ id: i + 1, body }));
    const asked: number[] = [];
    const everyComment = async (page: number) => {
      asked.push(page);
      return all;
    };
    expect(await hasComment(50, everyComment, c => c, isOurs)).toBe(false);
    expect(asked).toEqual([1, 2]);
  });

  it('ignores what is not text', async () => {
    const host = async (): Promise<Array<{ id: number; body?: unknown }>> => [
      { id: 1, body: 42 },
      { id: 2 },
    ];
    expect(
      await hasComment(100, host, c => ({ id: c.id, body: c.body }), isOurs),
    ).toBe(false);
  });
});

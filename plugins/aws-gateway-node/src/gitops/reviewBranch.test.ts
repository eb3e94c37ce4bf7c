import { ConflictError } from '@backstage/errors';
import { OpenPullRequest } from './pullRequestHosts/types';
import { chooseReviewBranch } from './reviewBranch';

const PREFERRED = 'aws-gateway/shared-apps-db';

/** A host whose open pull requests into main are `open` (head → number). */
function host(open: Record<string, number>) {
  const asked: string[] = [];
  const findOpen = async (
    head: string,
    base: string,
  ): Promise<OpenPullRequest | undefined> => {
    asked.push(`${head} -> ${base}`);
    const number = base === 'main' ? open[head] : undefined;
    return number
      ? { number, url: `https://git.example/pulls/${number}` }
      : undefined;
  };
  return { findOpen, asked };
}

const choose = (
  branches: Record<string, string>,
  open: Record<string, number>,
) => {
  const h = host(open);
  return chooseReviewBranch({
    preferred: PREFERRED,
    baseBranch: 'main',
    branches: { main: 'a1', ...branches },
    findOpen: h.findOpen,
  }).then(choice => ({ ...choice, asked: h.asked }));
};

describe('chooseReviewBranch', () => {
  it('takes the preferred name when no branch has it, asking the host nothing', async () => {
    expect(await choose({}, {})).toEqual({
      branch: PREFERRED,
      skipped: [],
      asked: [],
    });
  });

  it('reuses a branch whose pull request is still open (a re-run)', async () => {
    expect(await choose({ [PREFERRED]: 'b2' }, { [PREFERRED]: 4 })).toEqual({
      branch: PREFERRED,
      pullRequest: { number: 4, url: 'https://git.example/pulls/4' },
      skipped: [],
      asked: [`${PREFERRED} -> main`],
    });
  });

  it('starts a new branch when the pull request of the existing one was merged or closed; the old branch is left alone', async () => {
    expect(await choose({ [PREFERRED]: 'b2' }, {})).toEqual({
      branch: `${PREFERRED}_2`,
      skipped: [PREFERRED],
      asked: [`${PREFERRED} -> main`],
    });
  });

  it('an open pull request into another base does not keep a branch under review', async () => {
    const h = host({ [PREFERRED]: 4 });
    const choice = await chooseReviewBranch({
      preferred: PREFERRED,
      baseBranch: 'release',
      branches: { release: 'a1', [PREFERRED]: 'b2' },
      findOpen: h.findOpen,
    });
    expect(choice.branch).toBe(`${PREFERRED}_2`);
  });

  it('after several merged rounds, reuses the newest branch still under review, else the next free name', async () => {
    const branches = {
      [PREFERRED]: 'b2',
      [`${PREFERRED}_2`]: 'c3',
      [`${PREFERRED}_3`]: 'd4',
    };
    expect(await choose(branches, { [`${PREFERRED}_3`]: 9 })).toMatchObject({
      branch: `${PREFERRED}_3`,
      pullRequest: { number: 9 },
      skipped: [PREFERRED, `${PREFERRED}_2`],
    });
    expect(await choose(branches, {})).toMatchObject({
      branch: `${PREFERRED}_4`,
      skipped: [PREFERRED, `${PREFERRED}_2`, `${PREFERRED}_3`],
    });
  });

  it('gives up with a ConflictError naming the branch after 20 stale branches of one name', async () => {
    const branches: Record<string, string> = { [PREFERRED]: 'x' };
    for (let n = 2; n <= 20; n++) branches[`${PREFERRED}_${n}`] = 'x';
    const error = await choose(branches, {}).catch(e => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toContain(`review branches named ${PREFERRED}`);
  });
});

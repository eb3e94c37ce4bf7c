import { checkPullRequestExtras } from './pullRequestRules';

describe('checkPullRequestExtras', () => {
  it.each([
    ['github', 'octo-cat', '-octo'],
    ['github', 'a'.repeat(39), 'a'.repeat(40)],
    ['github', 'a-b', 'a--b'],
    ['gitlab', 'jane.doe_1', 'repo.git'],
    ['gitlab', 'x', '-x'],
    ['gitea', 'jane.doe-1', 'jane doe'],
    // Azure DevOps takes reviewers by identity id, not by name.
    ['azure', '3f2504e0-4f89-11d3-9a0c-0305e82c3301', 'jane.doe'],
    [
      'azure',
      '3F2504E0-4F89-11D3-9A0C-0305E82C3301',
      '3f2504e0-4f89-11d3-9a0c',
    ],
  ] as const)('%s accepts %s and refuses %s', (type, good, bad) => {
    expect(checkPullRequestExtras(type, { reviewers: [good] })).toEqual({
      reviewers: [good],
      labels: [],
    });
    expect(() =>
      checkPullRequestExtras(type, { reviewers: [good, bad] }),
    ).toThrow(`reviewers[1]: ${JSON.stringify(bad)} is not valid`);
  });

  it('refuses labels with commas, control characters, surrounding spaces or over 50 characters; drops duplicates', () => {
    expect(
      checkPullRequestExtras('gitlab', { labels: ['a b', 'a b', 'x::y'] })
        .labels,
    ).toEqual(['a b', 'x::y']);
    for (const bad of ['a,b', 'a\nb', ' a', 'x'.repeat(51), '']) {
      expect(() => checkPullRequestExtras('github', { labels: [bad] })).toThrow(
        'labels[0]:',
      );
    }
    expect(() =>
      checkPullRequestExtras('github', {
        labels: Array.from({ length: 21 }, (_, i) => `l${i}`),
      }),
    ).toThrow('labels: at most 20 entries');
  });
});

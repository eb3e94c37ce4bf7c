import { wildcardMatcher } from './wildcard';

describe('wildcardMatcher', () => {
  it('matches exactly without *, and * as any run of characters', () => {
    expect(wildcardMatcher('a:b')('a:b')).toBe(true);
    expect(wildcardMatcher('a:b')('a:bc')).toBe(false);
    expect(wildcardMatcher('a:*')('a:bc')).toBe(true);
    expect(wildcardMatcher('a:*')('a:')).toBe(true);
    expect(wildcardMatcher('a:*')('b:a:c')).toBe(false);
    expect(wildcardMatcher('a:*:render')('a:endpoint:render')).toBe(true);
    expect(wildcardMatcher('a:*:render')('a:endpoint:render2')).toBe(false);
  });

  it('treats every other character literally', () => {
    expect(wildcardMatcher('a.b:*')('a.b:c')).toBe(true);
    expect(wildcardMatcher('a.b:*')('axb:c')).toBe(false);
    expect(
      wildcardMatcher('arn:aws:iam::1:policy/(x)+')(
        'arn:aws:iam::1:policy/(x)+',
      ),
    ).toBe(true);
    expect(
      wildcardMatcher('arn:aws:iam::1:policy/(x)+')('arn:aws:iam::1:policy/xx'),
    ).toBe(false);
  });
});

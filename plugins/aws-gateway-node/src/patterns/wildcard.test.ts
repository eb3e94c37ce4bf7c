import fc from 'fast-check';
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
    expect(wildcardMatcher('aws-gateway:*')('aws-gateway:iam:ensure')).toBe(
      true,
    );
    expect(wildcardMatcher('*')('.hidden')).toBe(true);
  });

  it('treats every other character literally', () => {
    expect(wildcardMatcher('a.b:*')('a.b:c')).toBe(true);
    expect(wildcardMatcher('a.b:*')('axb:c')).toBe(false);
    expect(wildcardMatcher('a:(x)+')('a:(x)+')).toBe(true);
    expect(wildcardMatcher('a:(x)+')('a:xx')).toBe(false);
  });

  describe('attack cases: no glob syntax but *', () => {
    it.each([
      ['a{b,c}', 'ab', 'a{b,c}'],
      ['a?', 'ab', 'a?'],
      ['[ab]', 'a', '[ab]'],
      ['a\\*', 'a*', 'a\\b'],
      ['+(a|b)', 'a', '+(a|b)'],
      ['@(a|b)', 'b', '@(a|b)'],
      ['!a', 'b', '!a'],
      ['#a', '', '#a'],
    ])(
      '"%s" does not match "%s", but does match "%s"',
      (pattern, smuggled, literal) => {
        expect(wildcardMatcher(pattern)(smuggled)).toBe(false);
        expect(wildcardMatcher(pattern)(literal)).toBe(true);
      },
    );

    it('refuses a pattern with /, and a name with / matches nothing', () => {
      expect(() => wildcardMatcher('a/*')).toThrow(
        '"a/*" is not a name pattern: names contain no "/"',
      );
      expect(wildcardMatcher('a:*')('a:b/c')).toBe(false);
      expect(wildcardMatcher('*')('b/')).toBe(false);
    });

    it('agrees with the rule it documents: * any run, all else literal, / in no match (property)', () => {
      const reference = (pattern: string, value: string) =>
        new RegExp(
          `^${pattern
            .split('*')
            .map(p => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
            .join('[^/]*')}$`,
        ).test(value);
      const alphabet = fc.constantFrom(...'ab:-.?[]{},()!#+@\\*/'.split(''));
      const text = fc.string({ unit: alphabet, maxLength: 8 });
      fc.assert(
        fc.property(text, text, (anyPattern, value) => {
          const pattern = anyPattern.replace(/\//g, '');
          // Prefixed so that a pattern is never a lone *, which (as in
          // minimatch) does not match an empty name, "." or "..".
          const candidate = `x${value}`;
          expect(wildcardMatcher(`x${pattern}`)(candidate)).toBe(
            reference(`x${pattern}`, candidate),
          );
        }),
        { numRuns: 2000 },
      );
    });
  });
});

import {
  fieldsMatch,
  parseFieldSelector,
  remainingRequirements,
} from './fieldMatch';

describe('field selectors', () => {
  const event = {
    regarding: { kind: 'Gateway', name: 'gw', uid: 'u-1' },
    count: 3,
  };

  it.each([
    ['regarding.kind=Gateway', true],
    ['regarding.kind==Gateway,regarding.name=gw', true],
    ['regarding.kind=Gateway,regarding.name=other', false],
    ['regarding.kind!=Gateway', false],
    ['regarding.namespace=', true], // a missing field is ''
    ['regarding.namespace!=apps', true],
    ['count=3', true],
    ['regarding.constructor=', true], // own properties only
    ['regarding.kind.length=7', false], // a string has no fields
  ])('%s → %s', (selector, expected) => {
    const parsed = parseFieldSelector(selector);
    expect(parsed).toBeDefined();
    expect(fieldsMatch(parsed!, event)).toBe(expected);
  });

  it('cannot evaluate escapes, set operators or keys that are not dotted paths (the API server answers those)', () => {
    for (const selector of [
      'regarding.name=a\\,b',
      'regarding.kind in (Gateway)',
      'a=b=c',
      '.a=b',
      'a..b=c',
      '__proto__.x=',
    ]) {
      expect([selector, parseFieldSelector(selector)]).toEqual([
        selector,
        undefined,
      ]);
    }
    expect(parseFieldSelector(undefined)).toEqual([]);
  });

  it("answers a read from a watch only when the read includes the watch's requirements", () => {
    const watch = parseFieldSelector('regarding.kind=Gateway')!;
    const read = parseFieldSelector(
      'regarding.kind=Gateway,regarding.name=gw',
    )!;
    expect(remainingRequirements(watch, read)).toEqual([
      { path: 'regarding.name', value: 'gw', negated: false },
    ]);
    expect(
      remainingRequirements(
        watch,
        parseFieldSelector('regarding.kind=TCPRoute')!,
      ),
    ).toBeUndefined();
    expect(remainingRequirements([], read)).toEqual(read);
  });
});

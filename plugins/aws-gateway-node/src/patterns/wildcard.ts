/**
 * The one wildcard matcher of configured allow-lists (action id patterns,
 * allowed policy ARNs): `*` matches any run of characters, every other
 * character only itself; the whole value must match.
 *
 * @public
 */
export function wildcardMatcher(pattern: string): (value: string) => boolean {
  const source = pattern
    .split('*')
    .map(part => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  const re = new RegExp(`^${source}$`);
  return value => re.test(value);
}

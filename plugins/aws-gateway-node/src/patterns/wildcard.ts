import { escape, Minimatch, MinimatchOptions } from 'minimatch';

/**
 * Glob syntax a configured name pattern may use: `*` and nothing else. Names
 * (action ids such as `aws-gateway:iam:*`) are not paths and carry no syntax
 * of their own, so every minimatch extension that could give a character of
 * the configuration a second meaning is off: no braces (`{a,b}` stays
 * literal, never becomes two patterns), no extglobs, no `**`, no `!`
 * negation, no `#` comments; `?`, `[`, `]`, `(`, `)` and `\` are escaped
 * before compiling. `dot` lets `*` match a leading dot like any other
 * character.
 */
const NAME_GLOB_OPTIONS: MinimatchOptions = {
  nobrace: true,
  noext: true,
  noglobstar: true,
  nonegate: true,
  nocomment: true,
  dot: true,
  nocase: false,
  preserveMultipleSlashes: true,
};

/**
 * The one wildcard matcher of configured name allow-lists (privileged action
 * id patterns): `*` matches any run of characters, every other character only
 * itself; the whole name must match (a lone `*` matches any name but an empty
 * one, `.` or `..`). Names have no `/`: minimatch would give it path meaning
 * (`*` stopping at it, a trailing `/` ignored), so a pattern with `/` is
 * refused and a name with `/` matches nothing.
 *
 * @public
 */
export function wildcardMatcher(pattern: string): (value: string) => boolean {
  if (pattern.includes('/')) {
    throw new Error(`"${pattern}" is not a name pattern: names contain no "/"`);
  }
  const glob = new Minimatch(
    pattern
      .split('*')
      .map(part => escape(part))
      .join('*'),
    NAME_GLOB_OPTIONS,
  );
  return value => !value.includes('/') && glob.match(value);
}

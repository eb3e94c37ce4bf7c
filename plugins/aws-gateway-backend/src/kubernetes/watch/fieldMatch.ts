/**
 * Field selectors evaluated in-process, with the API server's semantics for
 * what the watch cache is asked: equality (`=`, `==`) and inequality (`!=`)
 * of a dotted field path, a missing field being the empty string. Anything
 * else (escapes, a key that is not a plain dotted path) cannot be evaluated
 * here and the read goes to the API server.
 */

/** One requirement of a field selector. */
export interface FieldRequirement {
  path: string;
  value: string;
  negated: boolean;
}

const PATH = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/;
const TERM = /^([^=!]+)(!=|==|=)([^=!]*)$/;

/** The requirements of a field selector ([] for none); undefined when it cannot be evaluated here. */
export function parseFieldSelector(
  selector: string | undefined,
): FieldRequirement[] | undefined {
  if (!selector) return [];
  if (selector.includes('\\')) return undefined;
  const requirements: FieldRequirement[] = [];
  for (const term of selector.split(',')) {
    const match = TERM.exec(term.trim());
    if (!match || !PATH.test(match[1].trim())) return undefined;
    requirements.push({
      path: match[1].trim(),
      value: match[3].trim(),
      negated: match[2] === '!=',
    });
  }
  return requirements;
}

/** The value of a dotted path (own properties only), as the API server compares it. */
function fieldValue(object: unknown, path: string): string {
  let value: unknown = object;
  for (const part of path.split('.')) {
    if (!value || typeof value !== 'object' || !Object.hasOwn(value, part)) {
      return '';
    }
    value = (value as Record<string, unknown>)[part];
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  return '';
}

/** Whether an object satisfies every requirement. */
export function fieldsMatch(
  requirements: readonly FieldRequirement[],
  object: unknown,
): boolean {
  return requirements.every(
    r => (fieldValue(object, r.path) === r.value) !== r.negated,
  );
}

/** The requirements of `read` that `watch` does not already impose; undefined when `watch` has one `read` lacks. */
export function remainingRequirements(
  watch: readonly FieldRequirement[],
  read: readonly FieldRequirement[],
): FieldRequirement[] | undefined {
  const same = (a: FieldRequirement, b: FieldRequirement) =>
    a.path === b.path && a.value === b.value && a.negated === b.negated;
  if (!watch.every(w => read.some(r => same(w, r)))) return undefined;
  return read.filter(r => !watch.some(w => same(w, r)));
}

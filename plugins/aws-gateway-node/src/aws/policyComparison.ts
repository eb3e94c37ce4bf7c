import { isPlainObject } from './policyDocuments';

/**
 * IAM policy documents compared by meaning.
 *
 * IAM returns stored documents URL-encoded (RFC 3986) and normalises them
 * (whitespace, sometimes key order), so a byte comparison with what we would
 * write says "changed" when nothing did. The comparison here follows the
 * policy language's own semantics instead:
 *
 * - `Statement` may be one object or a list; statements are evaluated as a set,
 *   so their order does not matter.
 * - `Action`, `NotAction`, `Resource`, `NotResource`, principal values and
 *   condition values may be a string or a list and are sets (order and
 *   duplicates do not matter). Action names are case-insensitive.
 * - A missing `Version` means `2008-10-17`.
 * - Everything else (Sid, Effect, condition operators and keys, resource ARNs)
 *   is compared exactly.
 */

function asSortedSet(v: unknown, lowerCase = false): unknown {
  if (typeof v !== 'string' && !Array.isArray(v)) return v;
  const list = (Array.isArray(v) ? v : [v]).map(x =>
    lowerCase && typeof x === 'string' ? x.toLowerCase() : x,
  );
  return [...new Set(list.map(x => JSON.stringify(x)))]
    .sort()
    .map(x => JSON.parse(x));
}

function canonicalPrincipal(p: unknown): unknown {
  if (!isPlainObject(p)) return p;
  return Object.fromEntries(
    Object.entries(p).map(([k, v]) => [k, asSortedSet(v)]),
  );
}

function canonicalCondition(c: unknown): unknown {
  if (!isPlainObject(c)) return c;
  return Object.fromEntries(
    Object.entries(c).map(([op, keys]) => [
      op,
      isPlainObject(keys)
        ? Object.fromEntries(
            Object.entries(keys).map(([k, v]) => [k, asSortedSet(v)]),
          )
        : keys,
    ]),
  );
}

function canonicalStatement(
  s: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...s };
  for (const key of ['Action', 'NotAction']) {
    if (key in out) out[key] = asSortedSet(out[key], true);
  }
  for (const key of ['Resource', 'NotResource']) {
    if (key in out) out[key] = asSortedSet(out[key]);
  }
  for (const key of ['Principal', 'NotPrincipal']) {
    if (key in out) out[key] = canonicalPrincipal(out[key]);
  }
  if ('Condition' in out) out.Condition = canonicalCondition(out.Condition);
  return out;
}

/** JSON with object keys sorted at every level. */
function stableStringify(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  if (isPlainObject(v)) {
    return `{${Object.keys(v)
      .sort()
      .filter(k => v[k] !== undefined)
      .map(k => `${JSON.stringify(k)}:${stableStringify(v[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * The canonical JSON form of a policy document: two documents IAM evaluates
 * identically (up to Sid and exact values) have the same canonical form.
 *
 * @public
 */
export function canonicalPolicyJson(doc: unknown): string {
  if (!isPlainObject(doc)) return stableStringify(doc);
  const raw = doc.Statement;
  const statements = (Array.isArray(raw) ? raw : [raw])
    .map(s => (isPlainObject(s) ? canonicalStatement(s) : s))
    .map(stableStringify)
    .sort();
  return stableStringify({
    ...doc,
    Version: doc.Version ?? '2008-10-17',
    Statement: statements.map(s => JSON.parse(s)),
  });
}

/** Whether two policy documents are semantically the same. @public */
export function policyDocumentsEqual(a: unknown, b: unknown): boolean {
  return canonicalPolicyJson(a) === canonicalPolicyJson(b);
}

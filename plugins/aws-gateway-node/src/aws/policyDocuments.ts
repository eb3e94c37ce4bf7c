/**
 * IAM policy documents: parsing, structural validation and semantic
 * comparison.
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

/** A parsed policy document. @public */
export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: PolicyStatement | PolicyStatement[];
}

/** One statement of a policy document. @public */
export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Principal?: string | Record<string, string | string[]>;
  NotPrincipal?: string | Record<string, string | string[]>;
  Condition?: Record<string, Record<string, unknown>>;
}

/**
 * `identity`: a managed or inline policy (needs Resource, has no Principal);
 * `trust`: a role's assume-role policy (needs Principal, has no Resource).
 *
 * @public
 */
export type PolicyDocumentKind = 'identity' | 'trust';

const VERSIONS = ['2012-10-17', '2008-10-17'];
const STATEMENT_KEYS = new Set([
  'Sid',
  'Effect',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Principal',
  'NotPrincipal',
  'Condition',
]);

function isStringOrStringList(v: unknown): boolean {
  return (
    typeof v === 'string' ||
    (Array.isArray(v) && v.length > 0 && v.every(x => typeof x === 'string'))
  );
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function statementProblems(
  s: unknown,
  where: string,
  kind: PolicyDocumentKind,
): string[] {
  if (!isPlainObject(s)) {
    return [`${where} must be an object`];
  }
  const problems: string[] = [];
  for (const key of Object.keys(s)) {
    if (!STATEMENT_KEYS.has(key))
      problems.push(`${where} has unknown key "${key}"`);
  }
  if (s.Effect !== 'Allow' && s.Effect !== 'Deny') {
    problems.push(`${where}.Effect must be "Allow" or "Deny"`);
  }
  if (s.Sid !== undefined && typeof s.Sid !== 'string') {
    problems.push(`${where}.Sid must be a string`);
  }
  const pairs: Array<[string, string, boolean]> = [
    ['Action', 'NotAction', true],
    ['Resource', 'NotResource', kind === 'identity'],
  ];
  for (const [a, notA, required] of pairs) {
    if (s[a] !== undefined && s[notA] !== undefined) {
      problems.push(`${where} must not have both ${a} and ${notA}`);
    }
    const value = s[a] ?? s[notA];
    if (value === undefined) {
      if (required) problems.push(`${where} needs ${a} or ${notA}`);
    } else if (!isStringOrStringList(value)) {
      problems.push(
        `${where}.${
          s[a] !== undefined ? a : notA
        } must be a string or a non-empty list of strings`,
      );
    }
  }
  const principal = s.Principal ?? s.NotPrincipal;
  if (kind === 'identity' && principal !== undefined) {
    problems.push(`${where} must not have a Principal in an identity policy`);
  }
  if (kind === 'trust') {
    if (principal === undefined) {
      problems.push(
        `${where} needs Principal or NotPrincipal in a trust policy`,
      );
    } else if (
      principal !== '*' &&
      !(
        isPlainObject(principal) &&
        Object.values(principal).every(isStringOrStringList)
      )
    ) {
      problems.push(
        `${where}.Principal must be "*" or a map of strings or lists of strings`,
      );
    }
  }
  if (s.Condition !== undefined) {
    if (
      !isPlainObject(s.Condition) ||
      !Object.values(s.Condition).every(isPlainObject)
    ) {
      problems.push(
        `${where}.Condition must be a map of operator to a map of key to value(s)`,
      );
    }
  }
  return problems;
}

/**
 * Structural problems of a policy document (empty when it is well formed).
 * IAM remains the authority on content (action prefixes, ARN formats, size):
 * its MalformedPolicyDocument errors are surfaced by the callers.
 *
 * @public
 */
export function policyDocumentProblems(
  doc: unknown,
  kind: PolicyDocumentKind,
): string[] {
  if (!isPlainObject(doc)) {
    return ['the document must be a JSON object'];
  }
  const problems: string[] = [];
  for (const key of Object.keys(doc)) {
    if (!['Version', 'Id', 'Statement'].includes(key)) {
      problems.push(`unknown top-level key "${key}"`);
    }
  }
  if (doc.Version !== undefined && !VERSIONS.includes(doc.Version as string)) {
    problems.push(`Version must be one of ${VERSIONS.join(', ')}`);
  }
  if (doc.Id !== undefined && typeof doc.Id !== 'string') {
    problems.push('Id must be a string');
  }
  const statements = doc.Statement;
  if (statements === undefined) {
    problems.push('Statement is required');
  } else if (Array.isArray(statements)) {
    if (statements.length === 0) problems.push('Statement must not be empty');
    statements.forEach((s, i) =>
      problems.push(...statementProblems(s, `Statement[${i}]`, kind)),
    );
  } else {
    problems.push(...statementProblems(statements, 'Statement', kind));
  }
  return problems;
}

/**
 * Parses a policy document given as JSON text or as an object, and checks its
 * structure. Throws an Error listing the problems.
 *
 * @public
 */
export function parsePolicyDocument(
  input: string | object,
  kind: PolicyDocumentKind,
): PolicyDocument {
  let doc: unknown = input;
  if (typeof input === 'string') {
    try {
      doc = JSON.parse(input);
    } catch (e) {
      throw new Error(
        `the document is not valid JSON: ${(e as Error).message}`,
      );
    }
  }
  const problems = policyDocumentProblems(doc, kind);
  if (problems.length) {
    throw new Error(
      `the document is not a valid ${kind} policy: ${problems.join('; ')}`,
    );
  }
  return doc as PolicyDocument;
}

/**
 * Decodes a document as IAM returns it (URL-encoded JSON). Text that is not
 * URL-encoded (some emulators return it raw) is parsed as it is.
 *
 * @public
 */
export function decodeIamPolicyDocument(text: string): unknown {
  try {
    return JSON.parse(decodeURIComponent(text));
  } catch {
    return JSON.parse(text);
  }
}

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

/** Compact JSON of a document, as sent to IAM. @public */
export function serializePolicyDocument(doc: PolicyDocument): string {
  return JSON.stringify(doc);
}

/** The service principal EKS Pod Identity assumes roles as. @public */
export const POD_IDENTITY_SERVICE_PRINCIPAL = 'pods.eks.amazonaws.com';

/**
 * Whom a Pod Identity role is for: EKS Pod Identity tags every session with
 * the cluster, namespace and service account, and AWS documents those session
 * tags as trust-policy condition keys ("Create IAM role with trust policy
 * required by EKS Pod Identity"; the tag list in "Enable or disable session
 * tags"). Without them any association in the account could use the role.
 *
 * @public
 */
export interface PodIdentityTrustScope {
  accountId: string;
  clusterName: string;
  namespace: string;
  serviceAccount: string;
}

/**
 * The trust policy a role needs for EKS Pod Identity: the Pod Identity
 * service may assume it and tag the session; with a scope, only for that
 * account, cluster, namespace and service account.
 *
 * @public
 */
export function podIdentityTrustPolicy(scope?: PodIdentityTrustScope): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AllowEksPodIdentity',
        Effect: 'Allow',
        Principal: { Service: POD_IDENTITY_SERVICE_PRINCIPAL },
        Action: ['sts:AssumeRole', 'sts:TagSession'],
        ...(scope
          ? {
              Condition: {
                StringEquals: {
                  'aws:SourceAccount': scope.accountId,
                  'aws:RequestTag/eks-cluster-name': scope.clusterName,
                  'aws:RequestTag/kubernetes-namespace': scope.namespace,
                  'aws:RequestTag/kubernetes-service-account': scope.serviceAccount,
                },
              },
            }
          : {}),
      },
    ],
  };
}

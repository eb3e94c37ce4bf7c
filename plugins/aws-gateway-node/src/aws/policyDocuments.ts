/**
 * IAM policy documents: the model, parsing and structural validation.
 * Comparison is in policyComparison.ts, the Pod Identity trust policy in
 * podIdentityTrust.ts.
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

export function isPlainObject(v: unknown): v is Record<string, unknown> {
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

/** Compact JSON of a document, as sent to IAM. @public */
export function serializePolicyDocument(doc: PolicyDocument): string {
  return JSON.stringify(doc);
}

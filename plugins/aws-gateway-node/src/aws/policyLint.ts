import { PolicyDocument, PolicyStatement } from './policyDocuments';

/**
 * Admin-equivalent statements in an identity policy: what a portal that
 * creates policies for others must never create on a user's say-so. Only
 * Allow statements count (a Deny narrows). Action patterns are matched the
 * way IAM matches them: case-insensitive, `*` and `?` as wildcards.
 */

/** One admin-equivalent statement. @public */
export interface PolicyLintFinding {
  /** `Statement[2]` (or `Statement` for a single statement). */
  statement: string;
  rule:
    | 'policy-allow-all-actions'
    | 'policy-allow-not-action'
    | 'policy-iam-wildcard'
    | 'policy-service-wildcard-all-resources'
    | 'policy-privilege-escalation';
  message: string;
}

/**
 * IAM and STS actions that let a principal grant itself (or a role it can
 * use) more permissions: on every resource they amount to administrator.
 */
const PRIVILEGE_ESCALATION_ACTIONS = [
  'iam:PassRole',
  'iam:CreateRole',
  'iam:UpdateAssumeRolePolicy',
  'iam:AttachRolePolicy',
  'iam:PutRolePolicy',
  'iam:DeleteRolePermissionsBoundary',
  'iam:PutRolePermissionsBoundary',
  'iam:CreatePolicyVersion',
  'iam:SetDefaultPolicyVersion',
  'iam:CreateUser',
  'iam:CreateAccessKey',
  'iam:CreateLoginProfile',
  'iam:UpdateLoginProfile',
  'iam:AttachUserPolicy',
  'iam:PutUserPolicy',
  'iam:AttachGroupPolicy',
  'iam:PutGroupPolicy',
  'iam:AddUserToGroup',
  'sts:AssumeRole',
];

function list(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** IAM action globs: `*` any run of characters, `?` one character, the rest literal. */
function globCharToRegExp(c: string): string {
  if (c === '*') return '.*';
  if (c === '?') return '.';
  return c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
}

function globMatches(pattern: string, action: string): boolean {
  const source = pattern.split('').map(globCharToRegExp).join('');
  return new RegExp(`^${source}$`, 'i').test(action);
}

function statementFindings(
  s: PolicyStatement,
  where: string,
): PolicyLintFinding[] {
  if (s.Effect !== 'Allow') return [];
  const found: PolicyLintFinding[] = [];
  const add = (rule: PolicyLintFinding['rule'], message: string) =>
    found.push({ statement: where, rule, message: `${where}: ${message}` });
  if (s.NotAction !== undefined) {
    add(
      'policy-allow-not-action',
      'Allow with NotAction allows every action not listed, including any added to AWS later',
    );
  }
  const actions = list(s.Action);
  // Any resource: "*", or NotResource (everything but what is listed).
  const everyResource =
    s.NotResource !== undefined || list(s.Resource).includes('*');
  for (const action of actions) {
    const [service, name] = action.includes(':')
      ? action.split(/:(.*)/s)
      : [action, undefined];
    if (action === '*' || service.includes('*') || service.includes('?')) {
      add(
        'policy-allow-all-actions',
        `Action "${action}" allows actions of every AWS service`,
      );
      continue;
    }
    if (
      service.toLowerCase() === 'iam' &&
      name !== undefined &&
      /^\*+$/.test(name)
    ) {
      add(
        'policy-iam-wildcard',
        `Action "${action}" allows every IAM action, which can grant any permission`,
      );
      continue;
    }
    if (everyResource && name !== undefined && /^\*+$/.test(name)) {
      add(
        'policy-service-wildcard-all-resources',
        `Action "${action}" on every resource allows all of ${service}`,
      );
      continue;
    }
    const escalations = PRIVILEGE_ESCALATION_ACTIONS.filter(a =>
      globMatches(action, a),
    );
    if (everyResource && escalations.length) {
      add(
        'policy-privilege-escalation',
        `Action "${action}" (${escalations.join(
          ', ',
        )}) on every resource lets the role grant itself more permissions`,
      );
    }
  }
  return found;
}

/**
 * The admin-equivalent statements of an identity policy (empty when none).
 *
 * @public
 */
export function adminEquivalentStatements(
  doc: PolicyDocument,
): PolicyLintFinding[] {
  const statements = Array.isArray(doc.Statement)
    ? doc.Statement
    : [doc.Statement];
  return statements.flatMap((s, i) =>
    statementFindings(
      s,
      Array.isArray(doc.Statement) ? `Statement[${i}]` : 'Statement',
    ),
  );
}

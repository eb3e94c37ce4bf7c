/**
 * Redaction of error texts before they reach a log or a user. AWS, the API
 * server and internal services put credentials and internal addresses into
 * their messages; everything the portal did not write itself goes through
 * these first.
 */

import { parseArn } from '../aws/arn';

const MAX_SECRET_FREE_LENGTH = 400;

// Anything that could carry a credential: bearer tokens, EKS presigned tokens,
// SigV4 query parameters, access key ids, session tokens.
const SECRET_PATTERNS: Array<[RegExp, string]> = [
  [/Bearer\s+[^\s"',]+/gi, 'Bearer [redacted]'],
  [/k8s-aws-v1\.[A-Za-z0-9_\-=.]+/g, 'k8s-aws-v1.[redacted]'],
  [
    /(X-Amz-(?:Security-Token|Signature|Credential))=[^&\s"']+/gi,
    '$1=[redacted]',
  ],
  [/\b(?:AKIA|ASIA)[A-Z0-9]{12,}\b/g, '[redacted-access-key]'],
  [
    /("?(?:token|password|secret|authorization)"?\s*[:=]\s*)"?[^\s",}]+/gi,
    '$1[redacted]',
  ],
];

/**
 * The text with anything credential-like replaced, whitespace collapsed and
 * at most 400 characters kept.
 *
 * @public
 */
export function redactSecrets(message: string): string {
  let out = message;
  for (const [pattern, replacement] of SECRET_PATTERNS) {
    out = out.replace(pattern, replacement);
  }
  out = out.replace(/\s+/g, ' ').trim();
  return out.length > MAX_SECRET_FREE_LENGTH
    ? `${out.slice(0, MAX_SECRET_FREE_LENGTH)}…`
    : out;
}

const URL_LIKE = /\b[a-z][a-z0-9+.-]*:\/\/\S+/gi;
const IPV4_WITH_PORT = /\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b/g;
const IPV6_WITH_PORT =
  /\[?\b[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}\]?(?::\d+)?/gi;
const HOST_WITH_PORT = /\b[a-z0-9-]+(?:\.[a-z0-9-]+)*:\d{2,5}\b/gi;

/**
 * The text with URLs, IP addresses and `host:port` pairs replaced: they name
 * internal hosts (a database, Redis, an API server) a log must not spread.
 *
 * @public
 */
export function redactAddresses(message: string): string {
  return message
    .replace(URL_LIKE, '[url]')
    .replace(IPV4_WITH_PORT, '[address]')
    .replace(IPV6_WITH_PORT, '[address]')
    .replace(HOST_WITH_PORT, '[address]');
}

/** An ARN as it appears in AWS's text: up to a space, quote or list separator. */
const ARN_IN_TEXT = /\barn:[^\s"',;()]+/g;
/** "User: <principal ARN>": how AWS names the caller in a refusal. */
const CALLER_CLAUSE = /\bUser:\s*\S+/g;
/** EC2-style refusals append an encoded message that decodes to the caller and its policies. */
const ENCODED_AUTHORIZATION = /Encoded authorization failure message:\s*\S+/gi;
const ACCOUNT_ID = /\b\d{12}\b/g;
/** IAM resource kinds that name a principal rather than what the portal acts on. */
const PRINCIPAL_RESOURCE = /^(?:user|assumed-role|federated-user|root)\b/;

/** One ARN of AWS's text: a principal left out, anything else kept as its resource part only. */
function arnInAwsText(arn: string): string {
  const trailing = /[.:]+$/.exec(arn)?.[0] ?? '';
  const parsed = parseArn(arn.slice(0, arn.length - trailing.length));
  if (!parsed) return '[arn]';
  if (parsed.service === 'sts' || PRINCIPAL_RESOURCE.test(parsed.resource)) {
    return `[principal]${trailing}`;
  }
  return `${parsed.resource}${trailing}`;
}

/**
 * AWS's error text without the identity it names: the caller's principal
 * ("User: arn:aws:sts::123456789012:assumed-role/…") becomes "the caller",
 * other ARNs keep only their resource part (`role/backstage/app`: what the
 * portal was acting on, without partition, region or account), bare account
 * ids and encoded authorization messages are left out; then
 * {@link redactSecrets}. The action AWS names (`iam:CreateRole`) stays: it is
 * what to grant.
 *
 * @public
 */
export function redactAwsIdentities(message: string): string {
  return redactSecrets(
    message
      .replace(ENCODED_AUTHORIZATION, 'encoded authorization message left out')
      .replace(CALLER_CLAUSE, 'the caller')
      .replace(ARN_IN_TEXT, arnInAwsText)
      .replace(ACCOUNT_ID, '[account]'),
  );
}

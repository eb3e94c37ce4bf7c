import {
  StatusError,
  StatusErrorKind,
  StatusPart,
} from '@gateway-portal/plugin-aws-gateway-common';

const MAX_MESSAGE = 400;

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

/** Removes anything credential-like and keeps messages short. */
export function sanitizeMessage(message: string): string {
  let out = message;
  for (const [pattern, replacement] of SECRET_PATTERNS) {
    out = out.replace(pattern, replacement);
  }
  out = out.replace(/\s+/g, ' ').trim();
  return out.length > MAX_MESSAGE ? `${out.slice(0, MAX_MESSAGE)}…` : out;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
]);

const AWS_PERMISSION_NAMES = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'ExpiredToken',
  'ExpiredTokenException',
  'SignatureDoesNotMatch',
]);

const AWS_NOT_FOUND_NAMES = new Set([
  'LoadBalancerNotFound',
  'LoadBalancerNotFoundException',
  'TargetGroupNotFound',
  'TargetGroupNotFoundException',
  'ListenerNotFound',
  'ListenerNotFoundException',
]);

function networkCode(error: any): string | undefined {
  const code = error?.code ?? error?.cause?.code ?? error?.errno;
  return typeof code === 'string' && NETWORK_CODES.has(code) ? code : undefined;
}

/** What kind of failure an AWS SDK error is. */
export function classifyAwsError(error: any): StatusErrorKind {
  const name: string = error?.name ?? error?.Code ?? '';
  const status: number | undefined = error?.$metadata?.httpStatusCode;
  if (AWS_PERMISSION_NAMES.has(name) || status === 403 || status === 401) {
    return 'permission';
  }
  if (AWS_NOT_FOUND_NAMES.has(name)) return 'not-found';
  if (
    name === 'CredentialsProviderError' ||
    /no AWS integration that matches/i.test(String(error?.message))
  ) {
    return 'not-configured';
  }
  if (
    networkCode(error) ||
    name === 'TimeoutError' ||
    name === 'RequestTimeout' ||
    name === 'AbortError'
  ) {
    return 'unreachable';
  }
  return 'error';
}

/**
 * Error of a Kubernetes API call, already stripped of anything secret: only the
 * HTTP status, a network code and the API server's Status message are kept.
 */
export class KubernetesApiError extends Error {
  constructor(
    message: string,
    readonly statusCode?: number,
    readonly code?: string,
  ) {
    super(sanitizeMessage(message));
    this.name = 'KubernetesApiError';
  }
}

/** What kind of failure a Kubernetes call is. */
export function classifyKubernetesError(error: any): StatusErrorKind {
  const status: number | undefined = error?.statusCode;
  if (status === 401 || status === 403) return 'permission';
  if (status === 404) return 'not-found';
  if (error?.name === 'NotFoundError') return 'not-configured';
  if (
    networkCode(error) ||
    error?.code === 'ETIMEOUT' ||
    (status === undefined && error?.code)
  ) {
    return 'unreachable';
  }
  return 'error';
}

/** A StatusError from any thrown value, with a message free of secrets. */
export function toStatusError(
  part: StatusPart,
  error: unknown,
  context: { cluster?: string; action?: string } = {},
): StatusError {
  const e = error as any;
  const kind =
    part === 'aws' ? classifyAwsError(e) : classifyKubernetesError(e);
  const detail = sanitizeMessage(
    String(e?.message || e?.name || 'unknown error'),
  );
  const name =
    part === 'aws' && e?.name && e.name !== 'Error' ? `${e.name}: ` : '';
  const message = context.action
    ? `${context.action}: ${name}${detail}`
    : `${name}${detail}`;
  return {
    part,
    kind,
    message,
    ...(context.cluster ? { cluster: context.cluster } : {}),
  };
}

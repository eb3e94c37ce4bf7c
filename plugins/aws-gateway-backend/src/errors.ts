import {
  StatusError,
  StatusErrorKind,
  StatusPart,
} from '@gateway-portal/plugin-aws-gateway-common';
import {
  isAbortError,
  isAwsError,
  networkErrorCode,
} from '@gateway-portal/plugin-aws-gateway-node';

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

function networkCode(error: any): string | undefined {
  return networkErrorCode(error);
}

// Matched with or without the `Exception` suffix (isAwsError).
const AWS_PERMISSION_NAMES = [
  'AccessDenied',
  'UnauthorizedOperation',
  'UnrecognizedClient',
  'InvalidClientTokenId',
  'ExpiredToken',
  'SignatureDoesNotMatch',
];

const AWS_NOT_FOUND_NAMES = [
  'LoadBalancerNotFound',
  'TargetGroupNotFound',
  'ListenerNotFound',
];

/** What kind of failure an AWS SDK error is. */
export function classifyAwsError(error: any): StatusErrorKind {
  const name: string = error?.name ?? error?.Code ?? '';
  const status: number | undefined = error?.$metadata?.httpStatusCode;
  if (
    isAwsError(error, ...AWS_PERMISSION_NAMES) ||
    status === 403 ||
    status === 401
  ) {
    return 'permission';
  }
  if (isAwsError(error, ...AWS_NOT_FOUND_NAMES)) return 'not-found';
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
 * Error of a Kubernetes API call. Its message is what users see: the call,
 * and the HTTP status or network code, never the server's address or the
 * server's own text. `detail` is for the server log only.
 */
export class KubernetesApiError extends Error {
  readonly detail: string;

  constructor(
    message: string,
    readonly statusCode?: number,
    readonly code?: string,
    detail?: string,
  ) {
    super(sanitizeMessage(message));
    this.name = 'KubernetesApiError';
    this.detail = sanitizeMessage(detail ?? message);
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
    isAbortError(error) ||
    (status === undefined && error?.code)
  ) {
    return 'unreachable';
  }
  return 'error';
}

const AWS_ERROR_NAME = /^[A-Za-z][A-Za-z0-9.]{0,63}$/;

/** What users are told about an AWS failure: its kind and the error's code, never AWS's text. */
function awsMessage(error: any, kind: StatusErrorKind): string {
  const raw = typeof error?.name === 'string' ? error.name : '';
  const name = AWS_ERROR_NAME.test(raw) && raw !== 'Error' ? raw : '';
  const say = (why: string) => (name ? `${name} (${why})` : why);
  switch (kind) {
    case 'permission':
      return say("the backend's AWS credentials were refused");
    case 'not-found':
      return say('not found');
    case 'not-configured':
      return 'no AWS credentials are configured for this account (aws integration)';
    case 'unreachable':
      return isAbortError(error)
        ? 'AWS did not answer before the deadline'
        : say('AWS could not be reached');
    default:
      return say('AWS answered with an error');
  }
}

/** What users are told about a Kubernetes failure (KubernetesApiError messages are already generic). */
function kubernetesMessage(error: any, kind: StatusErrorKind): string {
  if (error instanceof KubernetesApiError) return error.message;
  if (kind === 'not-configured') return 'the cluster is not configured';
  if (isAbortError(error))
    return 'the API server did not answer before the deadline';
  return kind === 'unreachable'
    ? 'the API server could not be reached'
    : 'the API server call failed';
}

/** The text of a failure for the server log: complete, but free of credentials. */
export function logDetail(error: unknown): string {
  const e = error as any;
  if (e instanceof KubernetesApiError) return e.detail;
  return sanitizeMessage(
    `${e?.name ?? 'Error'}: ${e?.message ?? String(error)}`,
  );
}

/**
 * A StatusError from any thrown value. Its message is generic (what failed
 * and why, in our words): AWS and API server texts may name internal
 * addresses or identities, so they only go to the server log (`logDetail`).
 */
export function toStatusError(
  part: StatusPart,
  error: unknown,
  context: { cluster?: string; action?: string } = {},
): StatusError {
  const e = error as any;
  const kind =
    part === 'aws' ? classifyAwsError(e) : classifyKubernetesError(e);
  const detail =
    part === 'aws' ? awsMessage(e, kind) : kubernetesMessage(e, kind);
  return {
    part,
    kind,
    message: context.action ? `${context.action}: ${detail}` : detail,
    ...(context.cluster ? { cluster: context.cluster } : {}),
  };
}

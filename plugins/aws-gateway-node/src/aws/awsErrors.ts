/**
 * The one vocabulary for AWS failures. The SDK names modelled errors after
 * their shape (`NoSuchEntityException`) while query-protocol services and
 * emulators may report the bare code (`NoSuchEntity`): both spellings match.
 */
import { StatusErrorKind } from '@gateway-portal/plugin-aws-gateway-common';
import { isAbortError, networkErrorCode } from '../errors/networkErrors';

function normalise(name: string): string {
  return name.replace(/Exception$/, '');
}

/** Whether `error` is an AWS error with one of the given names. @public */
export function isAwsError(error: unknown, ...names: string[]): error is Error {
  if (!(error instanceof Error)) return false;
  const code = (error as { Code?: unknown }).Code;
  const candidates = [error.name, typeof code === 'string' ? code : undefined]
    .filter((n): n is string => !!n)
    .map(normalise);
  return names.some(n => candidates.includes(normalise(n)));
}

/** Errors that say the caller's credentials were refused. */
const AWS_PERMISSION_ERRORS = [
  'AccessDenied',
  'UnauthorizedOperation',
  'UnrecognizedClient',
  'InvalidClientTokenId',
  'ExpiredToken',
  'SignatureDoesNotMatch',
];

/** ELBv2's answers for a resource that does not exist. */
const AWS_NOT_FOUND_ERRORS = [
  'LoadBalancerNotFound',
  'TargetGroupNotFound',
  'ListenerNotFound',
];

/** Errors of a call that never got AWS's answer in time. */
const AWS_UNANSWERED_ERRORS = ['TimeoutError', 'RequestTimeout', 'AbortError'];

/**
 * What kind of failure an AWS SDK error is: refused credentials, a missing
 * resource, no credentials configured for the account, AWS not reached in
 * time, or any other error.
 *
 * @public
 */
export function classifyAwsError(error: unknown): StatusErrorKind {
  const e = error as {
    name?: unknown;
    Code?: unknown;
    message?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  const name = String(e?.name ?? e?.Code ?? '');
  const status = e?.$metadata?.httpStatusCode;
  if (
    isAwsError(error, ...AWS_PERMISSION_ERRORS) ||
    status === 403 ||
    status === 401
  ) {
    return 'permission';
  }
  if (isAwsError(error, ...AWS_NOT_FOUND_ERRORS)) return 'not-found';
  if (
    name === 'CredentialsProviderError' ||
    /no AWS integration that matches/i.test(String(e?.message))
  ) {
    return 'not-configured';
  }
  if (
    networkErrorCode(error) ||
    AWS_UNANSWERED_ERRORS.includes(name) ||
    isAbortError(error)
  ) {
    return 'unreachable';
  }
  return 'error';
}

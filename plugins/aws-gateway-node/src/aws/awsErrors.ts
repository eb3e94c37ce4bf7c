/**
 * The one vocabulary for AWS failures. The SDK names modelled errors after
 * their shape (`NoSuchEntityException`) while query-protocol services and
 * emulators may report the bare code (`NoSuchEntity`): both spellings match.
 */
import { StatusErrorKind } from '@gateway-portal/plugin-aws-gateway-common';
import { isAbortError, networkErrorCode } from '../errors/networkErrors';
import { redactAwsIdentities } from '../errors/redaction';

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

/** Fields of an SDK error that carry AWS's own text (query protocols copy the body's `Message`). */
const AWS_TEXT_FIELDS = ['message', 'Message'] as const;

/**
 * The same error (class, name, `Code`, `$metadata`: what retries and
 * classification read) with AWS's text, wherever it is kept (message, the
 * query protocols' `Error.Message`, the stack's first line), stripped of the
 * identities it names ({@link redactAwsIdentities}). Every AWS client
 * the portal builds applies it to every failed call, so no error message, task
 * log or response derived from an AWS exception names the portal's principal
 * or account.
 *
 * @public
 */
export function redactAwsError<T>(error: T): T {
  if (!(error instanceof Error)) return error;
  const fields = error as unknown as Record<string, unknown>;
  const original = error.message;
  for (const field of AWS_TEXT_FIELDS) {
    const value = fields[field];
    if (typeof value === 'string') fields[field] = redactAwsIdentities(value);
  }
  const nested = fields.Error as Record<string, unknown> | undefined;
  if (nested && typeof nested === 'object') {
    fields.Error = Object.fromEntries(
      Object.entries(nested).map(([k, v]) => [
        k,
        typeof v === 'string' ? redactAwsIdentities(v) : v,
      ]),
    );
  }
  // The stack's first line was written with AWS's text; its frames are ours.
  if (error.stack) {
    const frames = error.stack
      .slice(error.stack.indexOf(original) + original.length)
      .split('\n')
      .filter(line => /^\s+at /.test(line));
    error.stack = [`${error.name}: ${error.message}`, ...frames].join('\n');
  }
  return error;
}

import { ApiException } from '@kubernetes/client-node';
import { StatusErrorKind } from '@gateway-portal/plugin-aws-gateway-common';
import { isAbortError, networkErrorCode } from '../errors/networkErrors';
import { redactSecrets } from '../errors/redaction';

/** The Kubernetes `Status` object of a failed API call, when there is one. @public */
export interface KubernetesStatus {
  code?: number;
  reason?: string;
  message?: string;
  details?: {
    causes?: Array<{ field?: string; message?: string; reason?: string }>;
  };
}

/** HTTP status code of a client-node failure, if it came from the API server. @public */
export function apiStatusCode(error: unknown): number | undefined {
  return error instanceof ApiException ? error.code : undefined;
}

/** The parsed Status body of a client-node ApiException (it may arrive as text). @public */
export function apiStatus(error: unknown): KubernetesStatus | undefined {
  if (!(error instanceof ApiException)) return undefined;
  const body: unknown = error.body;
  if (typeof body === 'string') {
    try {
      return JSON.parse(body) as KubernetesStatus;
    } catch {
      return { message: body };
    }
  }
  return (body ?? undefined) as KubernetesStatus | undefined;
}

/** One line for a failed call, without request headers (they may carry a token). @public */
export function describeApiError(error: unknown): string {
  const status = apiStatus(error);
  if (status?.message)
    return `${status.message} (HTTP ${apiStatusCode(error)})`;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Error of a Kubernetes API call. Its message is what users see: the call,
 * and the HTTP status or network code, never the server's address or the
 * server's own text. `detail` is for the server log only; both are free of
 * credentials.
 *
 * @public
 */
export class KubernetesApiError extends Error {
  readonly detail: string;

  constructor(
    message: string,
    readonly statusCode?: number,
    readonly code?: string,
    detail?: string,
  ) {
    super(redactSecrets(message));
    this.name = 'KubernetesApiError';
    this.detail = redactSecrets(detail ?? message);
  }
}

/**
 * A KubernetesApiError for a failed call `what` (e.g. `list gateways.gateway.networking.k8s.io/v1`):
 * the HTTP status, a deadline of `timeoutMs` or the network code in its
 * message, the server's own text as detail.
 *
 * @public
 */
export function toKubernetesApiError(
  error: unknown,
  what: string,
  timeoutMs: number,
): KubernetesApiError {
  if (error instanceof KubernetesApiError) return error;
  const status = apiStatusCode(error);
  if (status !== undefined) {
    const detail = apiStatus(error)?.message ?? `HTTP ${status}`;
    return new KubernetesApiError(
      `${what}: HTTP ${status}`,
      status,
      undefined,
      `${what}: ${detail}`,
    );
  }
  const raw = error as { message?: string; type?: string };
  // node-fetch reports an aborted request as `type: 'aborted'`.
  if (isAbortError(error) || raw?.type === 'aborted') {
    return new KubernetesApiError(
      `${what}: no answer within ${timeoutMs} ms`,
      undefined,
      'ETIMEDOUT',
      `${what}: ${raw?.message ?? 'aborted'}`,
    );
  }
  const code = networkErrorCode(error);
  return new KubernetesApiError(
    `${what}: ${
      code ? `the API server could not be reached (${code})` : 'the call failed'
    }`,
    undefined,
    code ?? 'ERROR',
    `${what}: ${raw?.message ?? String(error)}`,
  );
}

/** Whether a call failed because the resource (or its version) is not served, or the object does not exist. @public */
export function isKubernetesNotFound(error: unknown): boolean {
  return (
    (error instanceof KubernetesApiError
      ? error.statusCode
      : apiStatusCode(error)) === 404
  );
}

/**
 * What kind of failure a Kubernetes call is: refused credentials, not found,
 * an unknown cluster (a NotFoundError of the cluster registry), the API
 * server not reached in time, or any other error.
 *
 * @public
 */
export function classifyKubernetesError(error: unknown): StatusErrorKind {
  const e = error as { statusCode?: number; name?: unknown; code?: unknown };
  const status = e?.statusCode ?? apiStatusCode(error);
  if (status === 401 || status === 403) return 'permission';
  if (status === 404) return 'not-found';
  if (e?.name === 'NotFoundError') return 'not-configured';
  if (
    networkErrorCode(error) ||
    isAbortError(error) ||
    (status === undefined && e?.code)
  ) {
    return 'unreachable';
  }
  return 'error';
}

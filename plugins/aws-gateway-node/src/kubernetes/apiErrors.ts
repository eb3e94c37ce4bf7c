import {
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
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

/** The body of a client-node ApiException, parsed when it arrived as JSON text. */
function apiBody(error: unknown): unknown {
  if (!(error instanceof ApiException)) return undefined;
  const body: unknown = error.body;
  if (typeof body !== 'string') return body ?? undefined;
  try {
    return JSON.parse(body);
  } catch {
    return { message: body };
  }
}

/** The parsed Status body of a client-node ApiException (it may arrive as text). @public */
export function apiStatus(error: unknown): KubernetesStatus | undefined {
  return apiBody(error) as KubernetesStatus | undefined;
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
): KubernetesApiError | KubernetesPluginError {
  if (
    error instanceof KubernetesApiError ||
    error instanceof NotAllowedError ||
    error instanceof NotFoundError ||
    error instanceof ServiceUnavailableError
  ) {
    // Already ours: worded without addresses or tokens.
    return error;
  }
  const refused = kubernetesPluginError(error, what);
  if (refused) return refused;
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
 * An answer of the Kubernetes plugin itself rather than of a cluster: what
 * {@link kubernetesPluginError} returns. Its message is ours (no address, no
 * token) and says what to change.
 *
 * @public
 */
export type KubernetesPluginError =
  | NotAllowedError
  | NotFoundError
  | ServiceUnavailableError;

/** The permission that guards the Kubernetes plugin's proxy endpoint. */
const PROXY_PERMISSION = 'kubernetes.proxy';
/** The permission that guards the Kubernetes plugin's `GET /clusters`. */
const CLUSTERS_PERMISSION = 'kubernetes.clusters.read';

/**
 * The error for an HTTP status the Kubernetes plugin's own routes answered
 * (`GET /clusters`, or its proxy before it forwards anything): 401/403 when
 * the `kubernetes.clusters.read` / `kubernetes.proxy` permission is refused to
 * this plugin's service principal, 404 for a cluster none of its locators
 * knows, 5xx when it could not reach the cluster or get its credential.
 *
 * @public
 */
export function kubernetesPluginStatusError(
  status: number,
  request:
    | { route: 'clusters' }
    | { route: 'proxy'; cluster?: string; what?: string },
): KubernetesPluginError {
  const prefix =
    request.route === 'proxy' && request.what ? `${request.what}: ` : '';
  const cluster =
    request.route === 'proxy' && request.cluster
      ? `cluster "${request.cluster}"`
      : 'the cluster';
  if (status === 401 || status === 403) {
    return new NotAllowedError(
      prefix +
        (request.route === 'clusters'
          ? `The Kubernetes plugin refused to list its clusters to the aws-gateway backend (HTTP ${status}); its service principal needs the ${CLUSTERS_PERMISSION} permission`
          : `The Kubernetes plugin's proxy refused the aws-gateway backend's request to ${cluster} (HTTP ${status}); its service principal needs the ${PROXY_PERMISSION} permission`),
    );
  }
  if (status === 404 && request.route === 'proxy') {
    return new NotFoundError(
      `${prefix}The Kubernetes plugin does not know ${cluster} (none of its cluster locators lists it)`,
    );
  }
  return new ServiceUnavailableError(
    prefix +
      (request.route === 'clusters'
        ? `The Kubernetes plugin did not list its clusters (HTTP ${status})`
        : `The Kubernetes plugin's proxy could not reach ${cluster} or get its credential (HTTP ${status})`),
  );
}

/** A serialised Backstage error body (`{ error: { name, message } }`), as opposed to a Kubernetes Status. */
function isBackstageErrorBody(body: unknown): boolean {
  const b = body as { kind?: unknown; error?: { name?: unknown } } | undefined;
  return (
    typeof b === 'object' &&
    b !== null &&
    b.kind === undefined &&
    typeof b.error?.name === 'string'
  );
}

/**
 * When a call through the Kubernetes plugin's proxy was answered by the
 * plugin itself (permission refused, cluster unknown, cluster unreachable)
 * rather than by the API server, the error that says so; undefined for the
 * API server's own answers (a Kubernetes Status) and for anything else.
 * `what` names the call, for the message.
 *
 * @public
 */
export function kubernetesPluginError(
  error: unknown,
  what?: string,
  cluster?: string,
): KubernetesPluginError | undefined {
  const status = apiStatusCode(error);
  if (status === undefined || status < 400) return undefined;
  if (!isBackstageErrorBody(apiBody(error))) return undefined;
  return kubernetesPluginStatusError(status, { route: 'proxy', cluster, what });
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
  if (e?.name === 'NotAllowedError') return 'permission';
  if (e?.name === 'ServiceUnavailableError') return 'unreachable';
  if (
    networkErrorCode(error) ||
    isAbortError(error) ||
    (status === undefined && e?.code)
  ) {
    return 'unreachable';
  }
  return 'error';
}

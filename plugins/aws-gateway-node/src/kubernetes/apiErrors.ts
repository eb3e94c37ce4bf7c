import { ApiException } from '@kubernetes/client-node';

/** The Kubernetes `Status` object of a failed API call, when there is one. */
export interface KubernetesStatus {
  code?: number;
  reason?: string;
  message?: string;
  details?: {
    causes?: Array<{ field?: string; message?: string; reason?: string }>;
  };
}

/** HTTP status code of a client-node failure, if it came from the API server. */
export function apiStatusCode(error: unknown): number | undefined {
  return error instanceof ApiException ? error.code : undefined;
}

/** The parsed Status body of a client-node ApiException (it may arrive as text). */
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

/** One line for a failed call, without request headers (they may carry a token). */
export function describeApiError(error: unknown): string {
  const status = apiStatus(error);
  if (status?.message)
    return `${status.message} (HTTP ${apiStatusCode(error)})`;
  return error instanceof Error ? error.message : String(error);
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

/**
 * The network error code (ECONNREFUSED, ETIMEDOUT, a TLS failure…) of a call
 * that never got an HTTP answer. Its message is not used: it names the
 * server's address.
 */
export function networkErrorCode(error: unknown): string | undefined {
  const e = error as {
    code?: unknown;
    errno?: unknown;
    cause?: { code?: unknown };
  };
  const code = e?.code ?? e?.cause?.code ?? e?.errno;
  return typeof code === 'string' && NETWORK_CODES.has(code) ? code : undefined;
}

/** Whether a call ended because its AbortSignal fired (deadline or cancellation). */
export function isAbortError(error: unknown): boolean {
  const name = (error as { name?: unknown })?.name;
  return name === 'AbortError' || name === 'TimeoutError';
}

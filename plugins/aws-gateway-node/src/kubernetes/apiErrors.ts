import { ApiException } from '@kubernetes/client-node';

/** The Kubernetes `Status` object of a failed API call, when there is one. */
export interface KubernetesStatus {
  code?: number;
  reason?: string;
  message?: string;
  details?: { causes?: Array<{ field?: string; message?: string; reason?: string }> };
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
  if (status?.message) return `${status.message} (HTTP ${apiStatusCode(error)})`;
  return error instanceof Error ? error.message : String(error);
}

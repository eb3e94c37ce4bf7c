import { redactAddresses } from '@gateway-portal/plugin-aws-gateway-node';

/**
 * What the server log may say about a failure of an internal service (the
 * catalog, the permission backend, the cache): its kind and HTTP status, and
 * its message with addresses and URLs taken out, since those name internal
 * hosts (the database, Redis) that the log must not spread.
 */
export function failureKind(error: unknown): string {
  const e = error as { code?: unknown; name?: unknown };
  return String(typeof e?.code === 'string' ? e.code : e?.name ?? 'Error');
}

const MAX_LENGTH = 300;

export function describeFailure(error: unknown): string {
  const e = error as {
    message?: unknown;
    statusCode?: unknown;
    response?: { status?: unknown };
  };
  const status = e?.statusCode ?? e?.response?.status;
  const message = redactAddresses(String(e?.message ?? '')).slice(
    0,
    MAX_LENGTH,
  );
  return `${failureKind(error)}${
    typeof status === 'number' ? ` (HTTP ${status})` : ''
  }${message ? `: ${message}` : ''}`;
}

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

const URL_LIKE = /\b[a-z][a-z0-9+.-]*:\/\/\S+/gi;
const IPV4_WITH_PORT = /\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b/g;
const IPV6_WITH_PORT =
  /\[?\b[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}\]?(?::\d+)?/gi;
const HOST_WITH_PORT = /\b[a-z0-9-]+(?:\.[a-z0-9-]+)*:\d{2,5}\b/gi;
const MAX_LENGTH = 300;

export function describeFailure(error: unknown): string {
  const e = error as {
    message?: unknown;
    statusCode?: unknown;
    response?: { status?: unknown };
  };
  const status = e?.statusCode ?? e?.response?.status;
  const message = String(e?.message ?? '')
    .replace(URL_LIKE, '[url]')
    .replace(IPV4_WITH_PORT, '[address]')
    .replace(IPV6_WITH_PORT, '[address]')
    .replace(HOST_WITH_PORT, '[address]')
    .slice(0, MAX_LENGTH);
  return `${failureKind(error)}${
    typeof status === 'number' ? ` (HTTP ${status})` : ''
  }${message ? `: ${message}` : ''}`;
}

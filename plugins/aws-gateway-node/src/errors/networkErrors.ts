/**
 * Failures of calls that never got an answer, whoever was called (an API
 * server, AWS, git).
 */

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
 *
 * @public
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

/**
 * Whether a call ended because its AbortSignal fired (deadline or
 * cancellation).
 *
 * @public
 */
export function isAbortError(error: unknown): boolean {
  const name = (error as { name?: unknown })?.name;
  return name === 'AbortError' || name === 'TimeoutError';
}

/**
 * Bounded exponential backoff for application-level retries the SDK does not
 * make itself: its retry strategies cover throttling and transient faults,
 * while IAM's eventual consistency shows up as ordinary client errors (for
 * example EKS answering InvalidParameterException for a role IAM created a
 * second ago), which only the caller can recognise.
 */

/** @public */
export interface RetryOptions {
  /** Attempts in total, including the first. */
  maxAttempts: number;
  /** Delay before the second attempt; doubles after each further attempt. */
  baseDelayMs: number;
  /** Upper bound of a single delay. */
  maxDelayMs: number;
  /** Whether an error is worth another attempt. */
  retryable: (error: unknown) => boolean;
  /** Waits; injectable so tests run without real delays. */
  sleep?: (ms: number) => Promise<void>;
  /** Called before each wait with the attempt that failed (1-based). */
  onRetry?: (info: {
    attempt: number;
    delayMs: number;
    error: unknown;
  }) => void;
  signal?: AbortSignal;
}

/** @public */
export const defaultSleep = (ms: number): Promise<void> =>
  new Promise(resolve => setTimeout(resolve, ms));

/**
 * Runs `fn` until it succeeds, the error is not retryable, or `maxAttempts`
 * is reached; the last error is rethrown unchanged.
 *
 * @public
 */
export async function retryWithBackoff<T>(
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const sleep = options.sleep ?? defaultSleep;
  const maxAttempts = Math.max(1, Math.floor(options.maxAttempts));
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= maxAttempts || !options.retryable(error)) {
        throw error;
      }
      const delayMs = Math.min(
        options.maxDelayMs,
        options.baseDelayMs * 2 ** (attempt - 1),
      );
      options.onRetry?.({ attempt, delayMs, error });
      if (options.signal?.aborted) {
        throw error;
      }
      await sleep(delayMs);
    }
  }
}

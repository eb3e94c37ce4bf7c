/**
 * Bounded exponential backoff for application-level retries the SDK does not
 * make itself: its retry strategies cover throttling and transient faults,
 * while IAM's eventual consistency shows up as ordinary client errors (for
 * example EKS answering InvalidParameterException for a role IAM created a
 * second ago), which only the caller can recognise. The loop, the backoff and
 * the cancellation are p-retry's; this names our policy's knobs.
 */
import pRetry from 'p-retry';

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
  /** Called before each wait with the attempt that failed (1-based) and the attempts still allowed. */
  onRetry?: (info: {
    attempt: number;
    attemptsLeft: number;
    error: unknown;
  }) => void;
  /** Ends the waiting: the promise then rejects with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * Runs `fn` until it succeeds, the error is not retryable, or `maxAttempts`
 * is reached; the last error is rethrown unchanged. Aborting `signal` stops
 * at once, before the next attempt or during a wait, with the signal's reason.
 *
 * @public
 */
export function retryWithBackoff<T>(
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  return pRetry(fn, {
    retries: Math.max(1, Math.floor(options.maxAttempts)) - 1,
    factor: 2,
    minTimeout: options.baseDelayMs,
    maxTimeout: options.maxDelayMs,
    randomize: false,
    signal: options.signal,
    // Called only while attempts remain, so a true answer means a wait follows.
    shouldRetry: ({ error, attemptNumber, retriesLeft }) => {
      if (!options.retryable(error)) return false;
      options.onRetry?.({
        attempt: attemptNumber,
        attemptsLeft: retriesLeft,
        error,
      });
      return true;
    },
  });
}

/** What `within` resolves with when time ran out first. */
export const TIMED_OUT: unique symbol = Symbol('timed out');

/**
 * The promise's outcome, or TIMED_OUT after `ms`. The promise itself goes on
 * (it may be shared with other waiters); a late rejection is never unhandled.
 */
export function within<T>(
  promise: Promise<T>,
  ms: number,
): Promise<T | typeof TIMED_OUT> {
  promise.catch(() => undefined);
  if (ms <= 0) return Promise.race([promise, Promise.resolve(TIMED_OUT)]);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>(resolve => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * When an answer is due (a request's Deadline): what only saves time or
 * adds a note (the watch cache's waits) ends before it; reads go on.
 *
 * @public
 */
export interface AnswerDue {
  /** Milliseconds left until it is due; 0 once due. */
  remainingMs(): number;
}

/** One request's time budget, shared by the steps that answer it. */
export class Deadline implements AnswerDue {
  private readonly end: number;

  constructor(readonly totalMs: number, private readonly now = Date.now) {
    this.end = now() + totalMs;
  }

  remainingMs(): number {
    return Math.max(0, this.end - this.now());
  }

  within<T>(promise: Promise<T>): Promise<T | typeof TIMED_OUT> {
    return within(promise, this.remainingMs());
  }
}

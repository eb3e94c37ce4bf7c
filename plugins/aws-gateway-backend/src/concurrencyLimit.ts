/**
 * At most `max` tasks at once; the others wait in order. A waiter whose
 * signal fires leaves the queue at once (a stalled cluster must not hold
 * requests that have already given up).
 */
export class ConcurrencyLimit {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1) {
      throw new RangeError(
        `concurrency limit must be a positive integer, got ${max}`,
      );
    }
  }

  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal);
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  /** Tasks running now and tasks waiting (for tests and metrics). */
  get load(): { active: number; waiting: number } {
    return { active: this.active, waiting: this.waiting.length };
  }

  private acquire(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    if (this.active < this.max) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      let onAbort = () => {};
      const grant = () => {
        signal?.removeEventListener('abort', onAbort);
        this.active++;
        resolve();
      };
      onAbort = () => {
        const i = this.waiting.indexOf(grant);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(signal!.reason);
      };
      this.waiting.push(grant);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private release(): void {
    this.active--;
    this.waiting.shift()?.();
  }
}

/** One limit per key (a cluster, an AWS account and region), made on first use. */
export class ConcurrencyLimits {
  private readonly limits = new Map<string, ConcurrencyLimit>();

  constructor(private readonly max: number) {}

  for(key: string): ConcurrencyLimit {
    let limit = this.limits.get(key);
    if (!limit) {
      limit = new ConcurrencyLimit(this.max);
      this.limits.set(key, limit);
    }
    return limit;
  }
}

import { StatusMetrics } from '../metrics';

const FIRST_BACKOFF_MS = 5_000;
const MAX_BACKOFF_MS = 300_000;

/**
 * Adaptive backoff for this replica's AWS reads. A throttling answer
 * (Throttling, TooManyRequests, ...) opens a window in which the status
 * service serves what it knows instead of reading again; throttled again
 * after the window, the next one is twice as long (up to 5 minutes); each
 * success after a window halves it. ELBv2 describe limits are per account and
 * region and shared with the controller itself, so the portal yields first.
 */
export class AwsBackoff {
  private until = 0;
  private windowMs = 0;

  constructor(
    private readonly metrics: StatusMetrics,
    private readonly now: () => number = Date.now,
  ) {}

  throttled(): void {
    const now = this.now();
    if (now < this.until) return;
    this.windowMs = this.windowMs
      ? Math.min(this.windowMs * 2, MAX_BACKOFF_MS)
      : FIRST_BACKOFF_MS;
    this.until = now + this.windowMs;
    this.metrics.awsBackoff(this.windowMs / 1000);
  }

  succeeded(): void {
    if (!this.windowMs || this.now() < this.until) return;
    this.windowMs =
      this.windowMs / 2 < FIRST_BACKOFF_MS ? 0 : this.windowMs / 2;
    if (!this.windowMs) this.metrics.awsBackoff(0);
  }

  /** How long reads should still wait; 0 when they may go ahead. */
  remainingMs(): number {
    return Math.max(0, this.until - this.now());
  }
}

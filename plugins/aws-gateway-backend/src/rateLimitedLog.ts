import { LoggerService } from '@backstage/backend-plugin-api';

/**
 * Logs one line per topic per interval, then says how many were left out:
 * an outage (Redis paused, the database restarting) must not flood the log
 * with one line per request.
 */
export class RateLimitedLog {
  private readonly topics = new Map<
    string,
    { at: number; suppressed: number }
  >();

  constructor(
    private readonly logger: LoggerService,
    private readonly intervalMs = 60_000,
    private readonly now = Date.now,
  ) {}

  warn(topic: string, message: string, meta?: Error): void {
    this.log('warn', topic, message, meta);
  }

  error(topic: string, message: string, meta?: Error): void {
    this.log('error', topic, message, meta);
  }

  private log(
    level: 'warn' | 'error',
    topic: string,
    message: string,
    meta?: Error,
  ): void {
    const seen = this.topics.get(topic);
    const now = this.now();
    if (seen && now - seen.at < this.intervalMs) {
      seen.suppressed++;
      return;
    }
    const suppressed = seen?.suppressed
      ? ` (${seen.suppressed} more like this in the last ${Math.round(
          (now - seen.at) / 1000,
        )} s)`
      : '';
    this.topics.set(topic, { at: now, suppressed: 0 });
    this.logger[level](`${message}${suppressed}`, meta);
  }
}

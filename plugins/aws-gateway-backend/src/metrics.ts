import type { MetricsService } from '@backstage/backend-plugin-api/alpha';

/** How a status request ended.
 *
 * @public
 */
export type StatusOutcome = 'fresh' | 'cached' | 'stale' | 'error';
/** What a cache access found. `unavailable`: skipped, the cache failed just before.
 *
 * @public
 */
export type CacheResult =
  | 'hit'
  | 'miss'
  | 'timeout'
  | 'error'
  | 'unavailable'
  | 'write-timeout'
  | 'write-error';
/** Why a last known answer was served.
 *
 * @public
 */
export type StaleReason = 'deadline' | 'unreachable' | 'backoff' | 'failed';
/** What became of a `refresh=true`.
 *
 * @public
 */
export type RefreshResult =
  | 'honoured'
  | 'entity-interval'
  | 'user-limit'
  | 'aws-backoff';

/**
 * What the status backend measures. One home for the metric names (OpenTelemetry
 * conventions: dotted names, units, bounded attribute values).
 *
 * @public
 */
export interface StatusMetrics {
  requestDuration(ms: number, outcome: StatusOutcome): void;
  cache(operation: 'read' | 'write' | 'mark', result: CacheResult): void;
  awsCall(operation: string, result: 'ok' | 'throttled' | 'error'): void;
  staleServed(reason: StaleReason): void;
  deadlineExpired(stage: 'lookup' | 'collection'): void;
  refresh(result: RefreshResult): void;
  awsBackoff(seconds: number): void;
}

/** Metrics through Backstage's metrics service (OpenTelemetry meter `backstage-plugin-aws-gateway`). */
export function createStatusMetrics(metrics: MetricsService): StatusMetrics {
  const duration = metrics.createHistogram(
    'aws_gateway.status.request.duration',
    {
      description: 'Time to answer a gateway status request',
      unit: 'ms',
      advice: {
        explicitBucketBoundaries: [
          5, 25, 100, 250, 500, 1000, 2500, 5000, 10000,
        ],
      },
    },
  );
  const counter = (name: string, description: string) =>
    metrics.createCounter(name, { description });
  const cache = counter(
    'aws_gateway.status.cache',
    'Gateway status cache accesses by operation and result',
  );
  const aws = counter(
    'aws_gateway.aws.calls',
    'AWS API calls (each attempt) made for gateway status, by operation and result',
  );
  const stale = counter(
    'aws_gateway.status.stale_served',
    'Answers served from the last known status, by reason',
  );
  const deadline = counter(
    'aws_gateway.status.deadline_expired',
    'Status requests whose deadline expired, by stage',
  );
  const refresh = counter(
    'aws_gateway.status.refresh',
    'refresh=true requests, honoured or declined by the refresh budget',
  );
  const backoff = metrics.createGauge('aws_gateway.aws.backoff', {
    description: 'Seconds AWS reads are backed off after throttling (0: none)',
    unit: 's',
  });
  return {
    requestDuration: (ms, outcome) => duration.record(ms, { outcome }),
    cache: (operation, result) => cache.add(1, { operation, result }),
    awsCall: (operation, result) => aws.add(1, { operation, result }),
    staleServed: reason => stale.add(1, { reason }),
    deadlineExpired: stage => deadline.add(1, { stage }),
    refresh: result => refresh.add(1, { result }),
    awsBackoff: seconds => backoff.record(seconds),
  };
}

/** For callers without a metrics service (tests, benchmarks). */
export const noStatusMetrics: StatusMetrics = {
  requestDuration: () => {},
  cache: () => {},
  awsCall: () => {},
  staleServed: () => {},
  deadlineExpired: () => {},
  refresh: () => {},
  awsBackoff: () => {},
};

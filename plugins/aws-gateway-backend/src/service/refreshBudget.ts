import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { BoundedMap } from '../boundedMap';
import { RefreshResult, StatusMetrics } from '../metrics';
import { AwsBackoff } from './awsBackoff';
import { StatusCache } from './statusCache';

export interface RefreshBudgetOptions {
  cache: Pick<StatusCache, 'hasMark' | 'setMark'>;
  backoff: Pick<AwsBackoff, 'remainingMs'>;
  metrics: StatusMetrics;
  /** A refresh per entity at most this often, across replicas; 0: no limit. */
  minIntervalMs: number;
  /** Refreshes per user per minute on this replica; 0: no limit. */
  perUserPerMinute: number;
  now?: () => number;
}

export type RefreshDecision =
  | { granted: true }
  | { granted: false; reason: string };

const WINDOW_MS = 60_000;
// Users and entities remembered per replica: enough for any real portal,
// bounded against callers that invent them.
const MAX_TRACKED = 10_000;

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/** Who a refresh counts against. */
export function callerOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type?: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (principal?.type === 'user' && principal.userEntityRef) {
    return principal.userEntityRef;
  }
  return `${principal?.type ?? 'none'}:${principal?.subject ?? ''}`;
}

/**
 * Decides whether `refresh=true` may bypass the cache. Every honoured refresh
 * costs a set of AWS calls, so: at most one per entity per interval across
 * replicas (the mark lives in the shared cache; when the cache cannot answer,
 * this replica's own mark still applies), a per-user limit, and none while AWS
 * throttles.
 */
export class RefreshBudget {
  private readonly users = new BoundedMap<string, number[]>(MAX_TRACKED);
  private readonly entities = new BoundedMap<string, number>(MAX_TRACKED);
  private readonly now: () => number;

  constructor(private readonly options: RefreshBudgetOptions) {
    this.now = options.now ?? Date.now;
  }

  async request(entityRef: string, user: string): Promise<RefreshDecision> {
    const { backoff, minIntervalMs, perUserPerMinute } = this.options;
    const now = this.now();
    const backoffMs = backoff.remainingMs();
    if (backoffMs > 0) {
      return this.declined(
        'aws-backoff',
        `AWS is throttling reads; refresh is possible again in ${seconds(
          backoffMs,
        )} s`,
      );
    }
    const recent = (this.users.get(user) ?? []).filter(
      t => now - t < WINDOW_MS,
    );
    if (perUserPerMinute > 0 && recent.length >= perUserPerMinute) {
      return this.declined(
        'user-limit',
        `At most ${perUserPerMinute} refreshes a minute; the next is possible in ${seconds(
          recent[0] + WINDOW_MS - now,
        )} s`,
      );
    }
    const markKey = `entity-gateways-refresh:${entityRef}`;
    if (minIntervalMs > 0) {
      const localMark = this.entities.get(entityRef);
      if (localMark !== undefined && now - localMark < minIntervalMs) {
        return this.declined('entity-interval', this.intervalReason());
      }
      // Marked here before asking the shared cache, so that concurrent
      // requests on this replica do not all pass while it answers.
      this.entities.set(entityRef, now);
      if (await this.options.cache.hasMark(markKey)) {
        return this.declined('entity-interval', this.intervalReason());
      }
      this.options.cache.setMark(markKey, minIntervalMs);
    }
    this.users.set(user, [...recent, now]);
    this.options.metrics.refresh('honoured');
    return { granted: true };
  }

  private intervalReason(): string {
    return `This entity was refreshed less than ${seconds(
      this.options.minIntervalMs,
    )} s ago`;
  }

  private declined(result: RefreshResult, reason: string): RefreshDecision {
    this.options.metrics.refresh(result);
    return { granted: false, reason };
  }
}

import crypto from 'node:crypto';
import { CacheService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { JsonValue } from '@backstage/types';
import { EntityGatewaysResponse } from '@gateway-portal/plugin-aws-gateway-common';
import { BoundedMap } from '../boundedMap';
import { TIMED_OUT, within } from '../deadline';
import { failureKind } from '../failures';
import { CacheResult, StatusMetrics } from '../metrics';
import { RateLimitedLog } from '../rateLimitedLog';
import { selectorFingerprint } from './entityGateways';

const CACHE_VERSION = 'v2';

/** An entity's key: its ref and the annotations that choose its Gateways. */
export function statusCacheKey(entityRef: string, entity: Entity): string {
  const hash = crypto
    .createHash('sha256')
    .update(selectorFingerprint(entity))
    .digest('hex')
    .slice(0, 16);
  return `entity-gateways:${CACHE_VERSION}:${entityRef}:${hash}`;
}

/**
 * The key of an answer read with a user's own Kubernetes tokens: the entity's
 * key, the caller and the auth providers they sent tokens for (never the
 * tokens). Such an answer may show what only that user's credentials can
 * read, so it is cached for that caller alone; answers read with the
 * Kubernetes plugin's own credentials stay shared.
 */
export function userStatusCacheKey(
  key: string,
  caller: string,
  providers: string[],
): string {
  const hash = crypto
    .createHash('sha256')
    .update(`${caller}\n${providers.join(',')}`)
    .digest('hex')
    .slice(0, 16);
  return `${key}:user:${hash}`;
}

/** What is kept per entity: the newest answer, and the newest complete one. */
export interface CachedStatus {
  latest: EntityGatewaysResponse;
  /** Set when `latest` is not the whole picture (a source unreachable, AWS throttling): why. */
  degradedReason?: string;
  /** When `latest` is degraded: the newest complete answer, served (marked stale) instead. */
  lastGood?: EntityGatewaysResponse;
}

export interface StatusCacheOptions {
  cache: CacheService;
  metrics: StatusMetrics;
  log: RateLimitedLog;
  /** Longest a shared-cache read may take before it is a miss. */
  timeoutMs: number;
  /** How long entries are kept (the TTL plus how long stale answers may be served). */
  retentionMs: number;
  /** Answers younger than this are served from process memory without asking the shared cache. */
  freshMs: number;
  now?: () => number;
}

// Entries kept in process memory: the hot entities, bounded.
const LOCAL_ENTRIES = 500;
// After a failed or late shared-cache access, this long without asking it
// again: a paused Redis costs one timeout per interval, not one per request.
const UNAVAILABLE_FOR_MS = 2_000;

function readAt(response: EntityGatewaysResponse): number {
  const at = Date.parse(response.fetchedAt);
  return Number.isNaN(at) ? -Infinity : at;
}

/** How old an answer is: since its data was read. */
export function ageMs(response: EntityGatewaysResponse, now: number): number {
  return Math.max(0, now - readAt(response));
}

/** The answer, while it is no older than `maxAgeMs`. */
export function servable(
  response: EntityGatewaysResponse,
  now: number,
  maxAgeMs: number,
): EntityGatewaysResponse | undefined {
  return ageMs(response, now) <= maxAgeMs ? response : undefined;
}

/** The answer to fall back on: the last complete one if the newest is not. */
export function lastKnownAnswer(
  known: CachedStatus,
  now: number,
  maxAgeMs: number,
): EntityGatewaysResponse | undefined {
  const preferred =
    known.degradedReason && known.lastGood ? known.lastGood : known.latest;
  return servable(preferred, now, maxAgeMs);
}

/**
 * The gateway status cache: process memory in front of the shared cache
 * (coreServices.cache; Redis in production). A shared-cache read has a short
 * deadline and a failure is a miss, logged (rate-limited) and counted; a write
 * is never awaited by a response, and at most one write per key is pending.
 */
export class StatusCache {
  private readonly local = new BoundedMap<string, CachedStatus>(LOCAL_ENTRIES);
  private readonly pendingWrites = new Set<string>();
  private unavailableUntil = 0;
  private readonly now: () => number;

  constructor(private readonly options: StatusCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  /** The newest entry known here or in the shared cache; undefined when none. */
  async read(key: string): Promise<CachedStatus | undefined> {
    const local = this.local.get(key);
    if (local && ageMs(local.latest, this.now()) <= this.options.freshMs) {
      this.options.metrics.cache('read', 'hit');
      return local;
    }
    const shared = (await this.sharedGet('read', key)) as
      | CachedStatus
      | undefined;
    if (!shared?.latest) return local;
    if (!local || readAt(shared.latest) > readAt(local.latest)) {
      this.local.set(key, shared);
      return shared;
    }
    return local;
  }

  /**
   * Keeps a new answer, here at once and in the shared cache in the
   * background; a degraded one keeps the last complete answer beside it.
   */
  record(
    key: string,
    latest: EntityGatewaysResponse,
    degradedReason: string | undefined,
  ): void {
    const previous = this.local.get(key);
    const lastGood = degradedReason ? lastComplete(previous) : undefined;
    const entry: CachedStatus = {
      latest,
      ...(degradedReason ? { degradedReason } : {}),
      ...(lastGood ? { lastGood } : {}),
    };
    this.local.set(key, entry);
    this.sharedSet(
      'write',
      key,
      entry as unknown as JsonValue,
      this.options.retentionMs,
    );
  }

  /**
   * Drops an entity's answer here and in the shared cache (its Gateways
   * changed), so the next request reads again. A shared cache that cannot
   * answer leaves its copy to expire with the TTL.
   */
  async forget(key: string): Promise<void> {
    this.local.delete(key);
    try {
      await within(this.options.cache.delete(key), this.options.timeoutMs * 4);
    } catch (e) {
      this.failed(`delete failed (${failureKind(e)})`);
    }
  }

  /** Whether a mark is set in the shared cache; undefined when it cannot tell. */
  async hasMark(key: string): Promise<boolean | undefined> {
    const found = await this.sharedGet('mark', key);
    return found === TIMED_OUT ? undefined : found !== undefined;
  }

  setMark(key: string, ttlMs: number): void {
    this.sharedSet('mark', key, this.now(), ttlMs);
  }

  private async sharedGet(
    operation: 'read' | 'mark',
    key: string,
  ): Promise<JsonValue | undefined | typeof TIMED_OUT> {
    if (this.now() < this.unavailableUntil) {
      this.options.metrics.cache(operation, 'unavailable');
      return TIMED_OUT;
    }
    let result: CacheResult;
    let value: JsonValue | undefined | typeof TIMED_OUT;
    try {
      value = await within(this.options.cache.get(key), this.options.timeoutMs);
      result = readResult(value);
    } catch (e) {
      value = TIMED_OUT;
      result = 'error';
      this.failed(`read failed (${failureKind(e)})`);
    }
    if (result === 'timeout') {
      this.failed(`did not answer a read within ${this.options.timeoutMs} ms`);
    }
    this.options.metrics.cache(operation, result);
    return value;
  }

  private sharedSet(
    operation: 'write' | 'mark',
    key: string,
    value: JsonValue,
    ttl: number,
  ): void {
    if (this.pendingWrites.has(key) || this.now() < this.unavailableUntil) {
      return;
    }
    this.pendingWrites.add(key);
    const write = this.options.cache.set(key, value, { ttl });
    within(write, this.options.timeoutMs * 4)
      .then(
        outcome => {
          if (outcome === TIMED_OUT) {
            this.options.metrics.cache(operation, 'write-timeout');
            this.failed('did not acknowledge a write in time');
          }
        },
        e => {
          this.options.metrics.cache(operation, 'write-error');
          this.failed(`write failed (${failureKind(e)})`);
        },
      )
      // The key stays pending until the write itself settles: a paused cache
      // gets one queued write per key, not one per request.
      .finally(() =>
        write.finally(() => this.pendingWrites.delete(key)).catch(() => {}),
      );
  }

  private failed(what: string): void {
    this.unavailableUntil = this.now() + UNAVAILABLE_FOR_MS;
    this.options.log.warn(
      'status-cache',
      `Gateway status cache ${what}; answering without it for now`,
    );
  }
}

/** The newest complete answer a degraded one keeps beside it. */
function lastComplete(
  previous: CachedStatus | undefined,
): EntityGatewaysResponse | undefined {
  if (!previous) return undefined;
  return previous.degradedReason ? previous.lastGood : previous.latest;
}

function readResult(
  value: JsonValue | undefined | typeof TIMED_OUT,
): CacheResult {
  if (value === TIMED_OUT) return 'timeout';
  return value === undefined ? 'miss' : 'hit';
}

import { Config } from '@backstage/config';
import { WATCH_CACHE_DEFAULTS, WatchCacheSettings } from './WatchCache';

const ROOT = 'awsGateway.status.watch';

function positive(watch: Config | undefined, key: string, fallback: number) {
  const value = watch?.getOptionalNumber(key) ?? fallback;
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`${ROOT}.${key} must be a positive number, got ${value}`);
  }
  return value;
}

function notNegative(watch: Config | undefined, key: string, fallback: number) {
  const value = watch?.getOptionalNumber(key) ?? fallback;
  if (!Number.isFinite(value) || value < 0) {
    throw new Error(`${ROOT}.${key} must be 0 or more, got ${value}`);
  }
  return value;
}

/** Reads `awsGateway.status.watch` (config.d.ts); undefined when disabled. */
export function readWatchConfig(
  config: Config,
): Partial<WatchCacheSettings> | undefined {
  const watch = config.getOptionalConfig(ROOT);
  if (watch?.getOptionalBoolean('enabled') === false) return undefined;
  const d = WATCH_CACHE_DEFAULTS;
  return {
    maxClusters: Math.floor(positive(watch, 'maxClusters', d.maxClusters)),
    maxObjectsPerCluster: Math.floor(
      positive(watch, 'maxObjectsPerCluster', d.maxObjectsPerCluster),
    ),
    idleStopMs: positive(watch, 'idleStopSeconds', d.idleStopMs / 1000) * 1000,
    resyncMs: positive(watch, 'resyncSeconds', d.resyncMs / 1000) * 1000,
    watchTimeoutSeconds: Math.ceil(
      positive(watch, 'watchTimeoutSeconds', d.watchTimeoutSeconds),
    ),
    backoffMs: backoffOf(
      positive(watch, 'retryMaxSeconds', d.backoffMs.max / 1000) * 1000,
    ),
    firstSyncWaitMs:
      notNegative(watch, 'firstSyncWaitSeconds', d.firstSyncWaitMs / 1000) *
      1000,
  };
}

/** The default backoff, its longest delay `maxMs` (the first never longer). */
function backoffOf(maxMs: number): WatchCacheSettings['backoffMs'] {
  const { initial } = WATCH_CACHE_DEFAULTS.backoffMs;
  return { initial: Math.min(initial, maxMs), max: maxMs };
}

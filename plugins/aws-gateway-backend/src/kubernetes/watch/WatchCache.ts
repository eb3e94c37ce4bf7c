import { LoggerService } from '@backstage/backend-plugin-api';
import {
  KubernetesApiError,
  parseLabelSelector,
  ResourceSpec,
} from '@gateway-portal/plugin-aws-gateway-node';
import { AnswerDue } from '../../deadline';
import { describeFailure } from '../../failures';
import { RateLimitedLog } from '../../rateLimitedLog';
import { ListOptions, ResourceVersion } from '../KubernetesObjectClient';
import { KubeObject } from '../types';
import {
  FieldRequirement,
  fieldsMatch,
  parseFieldSelector,
  remainingRequirements,
} from './fieldMatch';
import { labelsMatch } from './labelMatch';
import {
  ResourceWatch,
  ResourceWatchState,
  WatchChangeType,
  WatchRefusal,
  WatchTransport,
} from './ResourceWatch';
import {
  resourceKey,
  WATCHED_RESOURCES,
  WatchedResource,
} from './watchedResources';

/** The limits and timings of the watch cache (`awsGateway.status.watch`). */
export interface WatchCacheSettings {
  /** Clusters watched at once; reads of further clusters go to the API server. */
  maxClusters: number;
  /** Objects held per cluster; beyond, that cluster is read directly for `overBoundRetryMs`. */
  maxObjectsPerCluster: number;
  /** A cluster nobody read for this long stops being watched. */
  idleStopMs: number;
  resyncMs: number;
  watchTimeoutSeconds: number;
  /**
   * Restart delays after an error or a refusal (doubling from `initial`,
   * ±20 %): a list or watch refused is asked again within `max` (× 1.2), so
   * a grant added later is picked up without a restart.
   */
  backoffMs: { initial: number; max: number };
  /** After a cluster went over the bound, how long until it is watched again. */
  overBoundRetryMs: number;
  /**
   * How long a read of a cluster not yet synced waits for its watches' first
   * lists (made at once: one round trip) before reading directly; 0 never waits.
   */
  firstSyncWaitMs: number;
}

/** What `synced` answers for a resource version the cluster does not serve. */
const NOT_SERVED = Symbol('notServed');

/** Defaults (documented in config.d.ts). */
export const WATCH_CACHE_DEFAULTS: WatchCacheSettings = {
  maxClusters: 20,
  maxObjectsPerCluster: 20_000,
  idleStopMs: 15 * 60_000,
  resyncMs: 10 * 60_000,
  watchTimeoutSeconds: 300,
  backoffMs: { initial: 1_000, max: 60_000 },
  overBoundRetryMs: 10 * 60_000,
  firstSyncWaitMs: 2_000,
};

/** A change the watch saw (after its first list). */
export interface WatchedChange {
  cluster: string;
  resource: ResourceSpec;
  /** The object as it is now; as it was last held when deleted. */
  object: KubeObject;
  type: WatchChangeType;
}

export type WatchedChangeListener = (change: WatchedChange) => void;

/** An answer from the cache: the objects, or "this version is not served". */
export type CachedList = { items: KubeObject[] } | { notServed: true };

export interface WatchCacheOptions {
  transportFor(cluster: string): WatchTransport;
  /** After a cluster's watches stopped (idle, over the bound, shutdown): its connections can go. */
  onClusterStopped?(cluster: string): void;
  settings?: Partial<WatchCacheSettings>;
  logger?: LoggerService;
  now?: () => number;
}

interface WatchEntry {
  watch: ResourceWatch;
  resource: WatchedResource;
}

const SETTLED: readonly ResourceWatchState[] = ['synced', 'notServed'];

/** The shortest wait for a first answer's watch verdicts once the lists are in (see settledRefusals). */
const REFUSAL_GRACE_MIN_MS = 200;

/**
 * What an answer needs after the wait for its verdicts (assembling it,
 * recording it): that wait ends this long before the answer is due.
 */
export const ANSWER_RESERVE_MS = 100;

/** One cluster's watches, its object count and its first sync. */
class ClusterWatch {
  readonly entries: WatchEntry[] = [];
  /** The entries by the key of every resource they may be served as. */
  readonly byKey = new Map<string, WatchEntry[]>();
  count = 0;
  readonly startedAt: number;
  /** When every watch had first listed (the first sync succeeded), if it has. */
  syncedAt?: number;
  /**
   * When every watch's first list had its answer (listed, refused, failed),
   * if it has: their watches are asked then, so their verdicts are coming,
   * whether or not the first sync succeeded (a watch refused at once fails it).
   */
  listsBackAt?: number;
  /** A read stopped waiting for the first sync (it ran out, or a list failed) and read directly. */
  syncGivenUp = false;
  /** The watches whose first list had its answer. */
  private readonly answered = new Set<ResourceWatch>();
  lastReadAt: number;
  /** Reads waiting on the cluster now (see reading). */
  private readers = 0;
  /** True once every watch has listed; false as soon as one failed, or the cluster was dropped. */
  readonly firstSync: Promise<boolean>;
  private settle!: (synced: boolean) => void;

  constructor(now: number, private readonly clock: () => number) {
    this.startedAt = now;
    this.lastReadAt = now;
    this.firstSync = new Promise(resolve => {
      this.settle = resolve;
    });
  }

  /**
   * Runs a read that waits on the cluster: it stays read (never idle, so
   * never stopped under the read, its verdicts lost) until the read is over.
   */
  async reading<T>(read: () => Promise<T>): Promise<T> {
    this.readers++;
    try {
      return await read();
    } finally {
      this.readers--;
      this.lastReadAt = this.clock();
    }
  }

  isIdle(idleSince: number): boolean {
    return this.readers === 0 && this.lastReadAt < idleSince;
  }

  add(entry: WatchEntry): void {
    this.entries.push(entry);
    const keys = new Set(entry.resource.apis.map(a => resourceKey(a.spec)));
    for (const key of keys) {
      this.byKey.set(key, [...(this.byKey.get(key) ?? []), entry]);
    }
  }

  isWarm(): boolean {
    return this.entries.every(({ watch }) => SETTLED.includes(watch.status));
  }

  /** Settles once every watch's first request has its answer (ResourceWatch.firstVerdict). */
  firstVerdicts(): Promise<unknown> {
    return Promise.all(this.entries.map(({ watch }) => watch.firstVerdict));
  }

  /** Settles once every watch has its verdict or may stay silent (ResourceWatch.firstVerdictOrSilence). */
  verdictsOrSilence(): Promise<unknown> {
    return Promise.all(
      this.entries.map(({ watch }) => watch.firstVerdictOrSilence),
    );
  }

  /** A watch's state changed: the first lists may be back, the first sync over. */
  stateChanged(watch: ResourceWatch, state: ResourceWatchState): void {
    // A watch leaves 'starting' once its list has an answer.
    if (state !== 'starting') this.answered.add(watch);
    if (this.answered.size === this.entries.length) {
      this.listsBackAt ??= this.clock();
    }
    if (state === 'failed') this.settle(false);
    else if (this.isWarm()) {
      this.syncedAt ??= this.clock();
      this.settle(true);
    }
  }

  /** No longer the cluster's watches (over the bound): reads waiting on the first sync read directly. */
  dropped(): void {
    this.settle(false);
  }

  stop(): void {
    this.dropped();
    for (const { watch } of this.entries) watch.stop();
  }
}

/**
 * The Kubernetes objects status reads need, per cluster, kept by watches
 * (informers through the Kubernetes plugin's proxy): started on a cluster's
 * first read, answering once synced, bounded in clusters and objects,
 * resynced, restarted with backoff after errors, stopped when idle or at
 * shutdown. Whatever it cannot answer (cold, unsynced, over the bound, a
 * selector it does not hold) is `undefined`, and the caller reads the API
 * server. Objects are as hostile as any API answer: callers validate them.
 */
export class WatchCache {
  private readonly clusters = new Map<string, ClusterWatch>();
  private readonly overBoundUntil = new Map<string, number>();
  private readonly listeners = new Set<WatchedChangeListener>();
  private readonly settings: WatchCacheSettings;
  private readonly now: () => number;
  private readonly sweeper: NodeJS.Timeout;
  /** One line a minute per cluster and resource: a refused watch is retried for as long as it is refused. */
  private readonly failureLog?: RateLimitedLog;
  private stopped = false;

  constructor(private readonly options: WatchCacheOptions) {
    this.settings = { ...WATCH_CACHE_DEFAULTS, ...options.settings };
    this.failureLog = options.logger && new RateLimitedLog(options.logger);
    this.now = options.now ?? Date.now;
    this.sweeper = setInterval(
      () => this.stopIdle(),
      Math.max(1_000, this.settings.idleStopMs / 4),
    );
    this.sweeper.unref?.();
  }

  /** Called with every change seen after a resource's first list. */
  onChange(listener: WatchedChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The objects of `resource` (in `options.namespace`, matching
   * `options.labelSelector`) when the cluster's watch of it is synced;
   * starts the cluster's watches on its first read.
   */
  list(
    cluster: string,
    resource: ResourceVersion,
    options: ListOptions = {},
  ): CachedList | undefined {
    const entry = this.synced(cluster, resource, options);
    if (!entry) return undefined;
    if (entry === NOT_SERVED) return { notServed: true };
    const objects = entry.watch.objects(options.namespace);
    if (!objects) return undefined;
    const requirements = parsedSelector(options.labelSelector);
    if (requirements === undefined) return undefined;
    let items = objects.filter(
      o =>
        (!requirements.length ||
          labelsMatch(requirements, o.metadata.labels)) &&
        (!entry.fields.length || fieldsMatch(entry.fields, o)),
    );
    if (options.limit !== undefined || options.fieldSelector) {
      // As the API server lists: in key order (namespace, then name), cut at `limit`.
      items = [...items].sort(byKeyOrder);
      if (options.limit !== undefined) items = items.slice(0, options.limit);
    }
    return { items };
  }

  /**
   * Starts a cluster's watches when it has none, and waits for their first
   * lists, which run at once: concurrent reads share the one sync. The wait
   * is at most `firstSyncWaitMs`, never past `signal`, and at most half the
   * time left before the answer is `due`: reading directly after it, and
   * AWS, need the rest. True when the cache can answer; false when the
   * cluster is not watched (over the bound, too many clusters), a list
   * failed, or the wait ran out: then read directly.
   */
  async whenSynced(
    cluster: string,
    signal?: AbortSignal,
    due?: AnswerDue,
  ): Promise<boolean> {
    const watched = this.clusterFor(cluster);
    if (!watched) return false;
    watched.lastReadAt = this.now();
    if (watched.isWarm()) return true;
    const waitMs = Math.min(
      this.settings.firstSyncWaitMs,
      due ? due.remainingMs() / 2 : Infinity,
    );
    const synced = await watched.reading(() =>
      settledWithin(watched.firstSync, waitMs, signal, false),
    );
    if (!synced) watched.syncGivenUp = true;
    return synced;
  }

  /**
   * The lists and watches of a cluster the API server refuses (see
   * `refusals`), once its watches' first requests have their answers: a
   * cold cluster's first answer is read from its first lists, a round trip
   * or more before the watch requests that follow them are accepted or
   * refused (a refused events watch tries core events first), and must
   * still name a refused watch. Each first watch asks for its initial
   * events, so the API server answers it at once, accepted or refused, even
   * through the Kubernetes plugin's proxy: those verdicts are waited for up
   * to `firstSyncWaitMs` after the first lists came back (while they are
   * out and no read gave up on them, twice that after the watches started).
   * An API server without the WatchList feature gives an accepted watch no
   * answer until its first event (behind the proxy its headers wait for
   * it): such silent watches are waited for as long as the lists took (at
   * least REFUSAL_GRACE_MIN_MS, at most `firstSyncWaitMs`).
   *
   * Once a read stopped waiting for the first sync (it ran out, or a list
   * failed) and some first lists are still out, nothing is waited for: that
   * read went to the API server (its answer is whole), and those watches
   * are not even asked before their lists are back, so their verdicts would
   * cost it a list and a round trip more. It names what is known now
   * (refused lists); later answers name the rest. Never past `signal`, nor
   * later than ANSWER_RESERVE_MS before the answer is `due`; a warm
   * cluster answers at once.
   */
  async settledRefusals(
    cluster: string,
    signal?: AbortSignal,
    due?: AnswerDue,
  ): Promise<WatchRefusal[]> {
    const watched = this.clusters.get(cluster);
    if (!watched) return [];
    return watched.reading(async () => {
      await this.verdicts(watched, signal, due);
      return this.refusals(cluster);
    });
  }

  /** Waits for a cluster's first watch verdicts (see settledRefusals). */
  private async verdicts(
    watched: ClusterWatch,
    signal: AbortSignal | undefined,
    due: AnswerDue | undefined,
  ): Promise<void> {
    const { startedAt } = watched;
    // From when the lists were back (synced, or not: a watch refused at once fails the sync).
    const listedAt = watched.syncedAt ?? watched.listsBackAt;
    if (listedAt === undefined && watched.syncGivenUp) return;
    const now = this.now();
    const dueBy = due ? now + due.remainingMs() - ANSWER_RESERVE_MS : Infinity;
    const waitMs = this.settings.firstSyncWaitMs;
    const hardUntil = Math.min(
      listedAt === undefined ? startedAt + 2 * waitMs : listedAt + waitMs,
      dueBy,
    );
    await settledWithin(
      watched.verdictsOrSilence(),
      hardUntil - now,
      signal,
      undefined,
    );
    const graceUntil =
      listedAt === undefined
        ? hardUntil
        : Math.min(
            listedAt +
              Math.min(
                waitMs,
                Math.max(REFUSAL_GRACE_MIN_MS, listedAt - startedAt),
              ),
            dueBy,
          );
    await settledWithin(
      watched.firstVerdicts(),
      graceUntil - this.now(),
      signal,
      undefined,
    );
  }

  /** One object (or `null`: it does not exist) when synced; undefined when unknown here. */
  get(
    cluster: string,
    resource: ResourceVersion,
    namespace: string | undefined,
    name: string,
  ): KubeObject | null | 'notServed' | undefined {
    const entry = this.synced(cluster, resource, {});
    if (!entry) return undefined;
    if (entry === NOT_SERVED) return 'notServed';
    return entry.watch.get(namespace, name) ?? null;
  }

  /** Every object of a resource a cluster's watch holds now, in whichever version it watches ([] when not synced). */
  objectsOf(cluster: string, resource: ResourceSpec): KubeObject[] {
    const entries =
      this.clusters.get(cluster)?.byKey.get(resourceKey(resource)) ?? [];
    return entries.flatMap(({ watch }) => watch.objects() ?? []);
  }

  /**
   * The lists and watches of a cluster the API server refuses now (RBAC),
   * each resource once: those resources are read directly until allowed.
   */
  refusals(cluster: string): WatchRefusal[] {
    const seen = new Set<string>();
    return (this.clusters.get(cluster)?.entries ?? []).flatMap(({ watch }) => {
      const refusal = watch.refused;
      const key = refusal && `${refusal.verb} ${resourceKey(refusal.resource)}`;
      if (!refusal || !key || seen.has(key)) return [];
      seen.add(key);
      return [refusal];
    });
  }

  /** Whether every watch of a cluster is synced (or knows its resource is not served). */
  isWarm(cluster: string): boolean {
    return this.clusters.get(cluster)?.isWarm() ?? false;
  }

  /** Objects held, per cluster (for metrics and the benchmark). */
  sizes(): Record<string, number> {
    return Object.fromEntries(
      [...this.clusters].map(([name, c]) => [name, c.count]),
    );
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.sweeper);
    for (const [name, watched] of this.clusters) {
      watched.stop();
      this.options.onClusterStopped?.(name);
    }
    this.clusters.clear();
  }

  /**
   * The synced watch that answers a read, with the read's field requirements
   * it does not already impose; NOT_SERVED when the cluster serves another
   * version (or events API) of it; undefined when no watch can answer.
   */
  private synced(
    cluster: string,
    resource: ResourceVersion,
    options: Pick<ListOptions, 'labelSelector' | 'fieldSelector'>,
  ):
    | { watch: ResourceWatch; fields: FieldRequirement[] }
    | typeof NOT_SERVED
    | undefined {
    const watched = this.clusterFor(cluster);
    if (!watched) return undefined;
    watched.lastReadAt = this.now();
    const readFields = parseFieldSelector(options.fieldSelector);
    if (!readFields) return undefined;
    for (const { watch, resource: watchedResource } of watched.byKey.get(
      resourceKey(resource),
    ) ?? []) {
      // A watch narrowed by a label selector answers only reads with it.
      const labelSelector = watchedResource.labelSelector;
      if (labelSelector && labelSelector !== options.labelSelector) continue;
      // One narrowed by a field selector answers reads that include it.
      const api = watchedResource.apis.find(
        a => a.spec.group === resource.group,
      );
      const own = parseFieldSelector(api?.fieldSelector);
      const fields = own && remainingRequirements(own, readFields);
      if (!fields) continue;
      if (watch.status === 'notServed') return NOT_SERVED;
      if (watch.status !== 'synced') return undefined;
      // The cluster serves another version: the reader tries the next one.
      const served = watch.servedApi;
      if (
        served?.group !== resource.group ||
        served.version !== resource.version
      ) {
        return NOT_SERVED;
      }
      return { watch, fields };
    }
    return undefined;
  }

  private clusterFor(cluster: string): ClusterWatch | undefined {
    const existing = this.clusters.get(cluster);
    if (existing && !this.isIdle(existing)) return existing;
    if (existing) {
      // Idle, whether or not the sweeper has run yet: a read starts afresh.
      this.clusters.delete(cluster);
      existing.stop();
      this.options.onClusterStopped?.(cluster);
    }
    if (this.stopped) return undefined;
    if ((this.overBoundUntil.get(cluster) ?? 0) > this.now()) return undefined;
    if (this.clusters.size >= this.settings.maxClusters) return undefined;
    const watched = new ClusterWatch(this.now(), this.now);
    this.clusters.set(cluster, watched);
    const transport = this.options.transportFor(cluster);
    for (const resource of WATCHED_RESOURCES) {
      const watch = this.resourceWatch(cluster, watched, resource, transport);
      watched.add({ watch, resource });
    }
    for (const { watch } of watched.entries) watch.start();
    return watched;
  }

  private resourceWatch(
    cluster: string,
    watched: ClusterWatch,
    resource: WatchedResource,
    transport: WatchTransport,
  ): ResourceWatch {
    const { settings } = this;
    const watch: ResourceWatch = new ResourceWatch(
      resource,
      transport,
      {
        onState: state => watched.stateChanged(watch, state),
        onChange: (object, spec, type) => {
          for (const listener of this.listeners) {
            try {
              listener({ cluster, resource: spec, object, type });
            } catch (e) {
              this.options.logger?.warn(
                `A watch cache listener failed: ${describeFailure(e)}`,
              );
            }
          }
        },
        onCount: delta => {
          watched.count += delta;
          return watched.count <= settings.maxObjectsPerCluster;
        },
        onError: (error, retryInMs) => {
          if (retryInMs < 0) {
            this.overBound(cluster, watched);
            return;
          }
          const { plural } = resource.apis[0].spec;
          this.failureLog?.warn(
            `watch ${cluster} ${plural}`,
            `Watch of ${plural} in cluster ${cluster} failed (${describeFailure(
              error,
            )}); reading it directly, watching again in ${Math.round(
              retryInMs / 1000,
            )} s`,
          );
        },
      },
      {
        watchTimeoutSeconds: settings.watchTimeoutSeconds,
        resyncMs: settings.resyncMs,
        backoffMs: settings.backoffMs,
        budget: () => settings.maxObjectsPerCluster - watched.count,
      },
      this.now,
    );
    return watch;
  }

  private overBound(cluster: string, watched: ClusterWatch): void {
    if (this.clusters.get(cluster) !== watched) return;
    this.options.logger?.warn(
      `Cluster ${cluster} has more than ${
        this.settings.maxObjectsPerCluster
      } watched objects (awsGateway.status.watch.maxObjectsPerCluster); reading it directly for ${Math.round(
        this.settings.overBoundRetryMs / 60_000,
      )} min`,
    );
    this.clusters.delete(cluster);
    watched.dropped();
    this.overBoundUntil.set(
      cluster,
      this.now() + this.settings.overBoundRetryMs,
    );
    // Not from inside the watch's own callback: stop after it returns.
    setImmediate(() => {
      watched.stop();
      this.options.onClusterStopped?.(cluster);
    });
  }

  private isIdle(watched: ClusterWatch): boolean {
    return watched.isIdle(this.now() - this.settings.idleStopMs);
  }

  private stopIdle(): void {
    for (const [name, watched] of this.clusters) {
      if (this.isIdle(watched)) {
        this.clusters.delete(name);
        watched.stop();
        this.options.onClusterStopped?.(name);
      }
    }
  }
}

/** `promise`'s value, or `otherwise` once `ms` have passed or `signal` aborted, whichever comes first. */
async function settledWithin<T>(
  promise: Promise<T>,
  ms: number,
  signal: AbortSignal | undefined,
  otherwise: T,
): Promise<T> {
  if (ms <= 0 || signal?.aborted) return otherwise;
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const givenUp = new Promise<T>(resolve => {
    timer = setTimeout(() => resolve(otherwise), ms);
    timer.unref?.();
    onAbort = () => resolve(otherwise);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([promise, givenUp]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}

/** The API server's list order: by namespace, then name (byte order; names are ASCII). */
function byKeyOrder(a: KubeObject, b: KubeObject): number {
  const ka = `${a.metadata.namespace ?? ''}/${a.metadata.name}`;
  const kb = `${b.metadata.namespace ?? ''}/${b.metadata.name}`;
  if (ka === kb) return 0;
  return ka < kb ? -1 : 1;
}

/** The parsed selector; [] for none; undefined when it cannot be evaluated here. */
function parsedSelector(selector: string | undefined) {
  if (!selector) return [];
  try {
    return parseLabelSelector(selector);
  } catch {
    return undefined;
  }
}

/** The error a read of a version the cluster does not serve gets (a 404, as from the API server). */
export function notServedError(resource: ResourceVersion): KubernetesApiError {
  return new KubernetesApiError(
    `${resource.plural}.${resource.group}/${resource.version} is not served`,
    404,
  );
}

import { LoggerService } from '@backstage/backend-plugin-api';
import {
  KubernetesApiError,
  parseLabelSelector,
  ResourceSpec,
} from '@gateway-portal/plugin-aws-gateway-node';
import { describeFailure } from '../../failures';
import { ListOptions, ResourceVersion } from '../KubernetesObjectClient';
import { KubeObject } from '../types';
import { labelsMatch } from './labelMatch';
import { ResourceWatch, WatchTransport } from './ResourceWatch';
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
  backoffMs: { initial: number; max: number };
  /** After a cluster went over the bound, how long until it is watched again. */
  overBoundRetryMs: number;
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
};

/** A change the watch saw (after its first list). */
export interface WatchedChange {
  cluster: string;
  resource: ResourceSpec;
  object: KubeObject;
}

export type WatchedChangeListener = (change: WatchedChange) => void;

/** An answer from the cache: the objects, or "this version is not served". */
export type CachedList = { items: KubeObject[] } | { notServed: true };

export interface WatchCacheOptions {
  transportFor(cluster: string): WatchTransport;
  settings?: Partial<WatchCacheSettings>;
  logger?: LoggerService;
  now?: () => number;
}

/** One cluster's watches and its object count. */
class ClusterWatch {
  readonly watches = new Map<
    string,
    { watch: ResourceWatch; selector?: string }
  >();
  count = 0;
  lastReadAt: number;

  constructor(now: number) {
    this.lastReadAt = now;
  }

  stop(): void {
    for (const { watch } of this.watches.values()) watch.stop();
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
  private stopped = false;

  constructor(private readonly options: WatchCacheOptions) {
    this.settings = { ...WATCH_CACHE_DEFAULTS, ...options.settings };
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
    const entry = this.synced(cluster, resource, options.labelSelector);
    if (!entry) return undefined;
    if (entry === NOT_SERVED) return { notServed: true };
    const objects = entry.watch.objects(options.namespace);
    if (!objects) return undefined;
    const requirements = parsedSelector(options.labelSelector);
    if (requirements === undefined) return undefined;
    return {
      items: requirements.length
        ? objects.filter(o => labelsMatch(requirements, o.metadata.labels))
        : objects,
    };
  }

  /** One object (or `null`: it does not exist) when synced; undefined when unknown here. */
  get(
    cluster: string,
    resource: ResourceVersion,
    namespace: string | undefined,
    name: string,
  ): KubeObject | null | 'notServed' | undefined {
    const entry = this.synced(cluster, resource, undefined);
    if (!entry) return undefined;
    if (entry === NOT_SERVED) return 'notServed';
    return entry.watch.get(namespace, name) ?? null;
  }

  /** Every object of a resource a cluster's watch holds now, in whichever version it watches ([] when not synced). */
  objectsOf(cluster: string, resource: ResourceSpec): KubeObject[] {
    const entry = this.clusters
      .get(cluster)
      ?.watches.get(resourceKey(resource));
    return entry?.watch.objects() ?? [];
  }

  /** Whether every watch of a cluster is synced (or knows its resource is not served). */
  isWarm(cluster: string): boolean {
    const watched = this.clusters.get(cluster);
    if (!watched) return false;
    return [...watched.watches.values()].every(({ watch }) =>
      ['synced', 'notServed'].includes(watch.status),
    );
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
    for (const watched of this.clusters.values()) watched.stop();
    this.clusters.clear();
  }

  private synced(
    cluster: string,
    resource: ResourceVersion,
    labelSelector: string | undefined,
  ): { watch: ResourceWatch } | typeof NOT_SERVED | undefined {
    const watched = this.clusterFor(cluster);
    if (!watched) return undefined;
    watched.lastReadAt = this.now();
    const entry = watched.watches.get(resourceKey(resource));
    if (!entry) return undefined;
    // A watch narrowed by a selector answers only reads with that selector.
    if (entry.selector && entry.selector !== labelSelector) return undefined;
    const { watch } = entry;
    if (watch.status === 'notServed') return NOT_SERVED;
    if (watch.status !== 'synced') return undefined;
    // The cluster serves another version: the reader tries the next one.
    if (watch.servedVersion !== resource.version) return NOT_SERVED;
    return entry;
  }

  private clusterFor(cluster: string): ClusterWatch | undefined {
    const existing = this.clusters.get(cluster);
    if (existing || this.stopped) return existing;
    if ((this.overBoundUntil.get(cluster) ?? 0) > this.now()) return undefined;
    if (this.clusters.size >= this.settings.maxClusters) return undefined;
    const watched = new ClusterWatch(this.now());
    this.clusters.set(cluster, watched);
    const transport = this.options.transportFor(cluster);
    for (const resource of WATCHED_RESOURCES) {
      const watch = this.resourceWatch(cluster, watched, resource, transport);
      watched.watches.set(resourceKey(resource.spec), {
        watch,
        selector: resource.labelSelector,
      });
      watch.start();
    }
    return watched;
  }

  private resourceWatch(
    cluster: string,
    watched: ClusterWatch,
    resource: WatchedResource,
    transport: WatchTransport,
  ): ResourceWatch {
    const { settings } = this;
    return new ResourceWatch(
      resource.spec,
      resource.labelSelector,
      transport,
      {
        onChange: (object, spec) => {
          for (const listener of this.listeners) {
            try {
              listener({ cluster, resource: spec, object });
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
          this.options.logger?.warn(
            `Watch of ${
              resource.spec.plural
            } in cluster ${cluster} failed (${describeFailure(
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
    this.overBoundUntil.set(
      cluster,
      this.now() + this.settings.overBoundRetryMs,
    );
    // Not from inside the watch's own callback: stop after it returns.
    setImmediate(() => watched.stop());
  }

  private stopIdle(): void {
    const idleSince = this.now() - this.settings.idleStopMs;
    for (const [name, watched] of this.clusters) {
      if (watched.lastReadAt < idleSince) {
        this.clusters.delete(name);
        watched.stop();
      }
    }
  }
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

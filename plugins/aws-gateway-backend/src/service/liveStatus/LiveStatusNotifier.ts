import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  EntityGatewaysResponse,
  gatewayStatusSignalChannel,
  GatewayStatusChangedSignal,
} from '@gateway-portal/plugin-aws-gateway-common';
import { SignalsService } from '@backstage/plugin-signals-node';
import { GATEWAYS } from '@gateway-portal/plugin-aws-gateway-node';
import { BoundedMap } from '../../boundedMap';
import { describeFailure } from '../../failures';
import { WatchCache, WatchedChange } from '../../kubernetes/watch/WatchCache';
import {
  gatewayMatcher,
  gatewaySelectorFor,
  SelectableGateway,
  selectorFingerprint,
} from '../entityGateways';
import { affectedGateways, gatewayId, namespaceId } from './affectedGateways';

/**
 * What publishes signals: the signals service (the events service carries
 * them to every replica).
 *
 * @public
 */
export type SignalPublisher = Pick<SignalsService, 'publish'>;

/** How the status service takes part: it reports answers and forgets stale ones. */
export interface LiveStatus {
  /** Remembers which Gateways an entity's answer (cached under `key`) depends on. */
  answered(key: string, response: EntityGatewaysResponse, entity: Entity): void;
  /** What to do before a changed entity's card is told: forget its cached answer. */
  onStale(forget: (key: string) => Promise<void> | void): void;
}

export interface LiveStatusNotifierOptions {
  cache: Pick<WatchCache, 'onChange' | 'objectsOf' | 'sizes'>;
  signals?: SignalPublisher;
  logger?: LoggerService;
  /** Changes within this window become one signal per entity. Default 250 ms. */
  debounceMs?: number;
  /**
   * An entity is signalled at most once in this long (later changes wait
   * for its end): a storm of changes — events anyone allowed may write —
   * costs each entity at most one fresh read (AWS included) per interval,
   * whatever the number of viewers. Default 1 s.
   */
  minIntervalMs?: number;
  now?: () => number;
}

/** Entities followed (the least recently answered is dropped beyond). */
const MAX_TRACKED_ENTITIES = 10_000;
/** Answers followed per entity: the shared one and those of users with their own tokens. */
const MAX_ANSWERS_PER_ENTITY = 50;
/** Gateways remembered per answer as selected though not shown (a wide selector selects many). */
const MAX_SELECTED_NOT_SHOWN = 100;

/** What one answer showed: its Gateways and their namespaces. */
interface Shown {
  gateways: Set<string>;
  namespaces: Set<string>;
}

/** An entity followed: how it selects Gateways, and its answers by cache key. */
interface TrackedEntity {
  /** selectorFingerprint of the entity when answered. */
  fingerprint: string;
  selects: (gateway: SelectableGateway) => boolean;
  answers: Map<string, Shown>;
}

/**
 * Turns the watch cache's changes into fresh answers and signals: when a
 * Gateway (or a route, binding, Service, EndpointSlice, configuration or
 * Warning event of it) changes, each entity whose answer showed that
 * Gateway, or whose selector selects it (entityGateways' rule: a Gateway
 * created, deleted or labelled into the selector), has its cached answers
 * forgotten and then gets one signal on its channel, so its card reads the
 * status again (through the authorised API) within the debounce, at most
 * once per `minIntervalMs`. A Gateway labelled out of a selector was
 * selected when the entity was last answered.
 *
 * The entities followed are those answered, bounded (least recently answered
 * dropped first), each as the catalog last had it: every answer replaces its
 * key's Gateways, and an entity whose selecting annotations or owner changed
 * in the catalog starts afresh with its next answer (its earlier keys are no
 * longer read). Every replica with a warm watch does so for the answers it
 * gave; the events service carries each signal to viewers connected to any
 * replica.
 */
export class LiveStatusNotifier implements LiveStatus {
  private readonly entities = new BoundedMap<string, TrackedEntity>(
    MAX_TRACKED_ENTITIES,
  );
  /** Cache keys to forget, by the entity to signal. */
  private readonly pending = new Map<string, Set<string>>();
  /** When each entity was last signalled. */
  private readonly lastSignalled = new BoundedMap<string, number>(
    MAX_TRACKED_ENTITIES,
  );
  private readonly now: () => number;
  private readonly minIntervalMs: number;
  private readonly forgetters: Array<(key: string) => Promise<void> | void> =
    [];
  private timer?: NodeJS.Timeout;
  private timerDueAt = 0;
  private readonly unsubscribe: () => void;

  constructor(private readonly options: LiveStatusNotifierOptions) {
    this.now = options.now ?? Date.now;
    this.minIntervalMs = options.minIntervalMs ?? 1_000;
    this.unsubscribe = options.cache.onChange(change => this.changed(change));
  }

  answered(
    key: string,
    response: EntityGatewaysResponse,
    entity: Entity,
  ): void {
    const fingerprint = selectorFingerprint(entity);
    const known = this.entities.get(response.entityRef);
    const tracked: TrackedEntity =
      known?.fingerprint === fingerprint
        ? known
        : {
            fingerprint,
            selects: gatewayMatcher(gatewaySelectorFor(entity)),
            answers: new Map(),
          };
    const shown: Shown = {
      gateways: this.selectedNow(tracked),
      namespaces: new Set(),
    };
    for (const { gateway } of response.gateways) {
      const { cluster, namespace, name } = gateway;
      shown.gateways.add(gatewayId(cluster, namespace, name));
      shown.namespaces.add(namespaceId(cluster, namespace));
    }
    tracked.answers.delete(key);
    tracked.answers.set(key, shown);
    if (tracked.answers.size > MAX_ANSWERS_PER_ENTITY) {
      tracked.answers.delete(tracked.answers.keys().next().value as string);
    }
    this.entities.set(response.entityRef, tracked);
  }

  onStale(forget: (key: string) => Promise<void> | void): void {
    this.forgetters.push(forget);
  }

  /**
   * The watched Gateways an entity's selector selects now, shown or not (one
   * not linked to the entity is still in its answer's errors): a change that
   * labels one out of the selector concerns the entity, though its new
   * labels no longer say so.
   */
  private selectedNow(tracked: TrackedEntity): Set<string> {
    const ids = new Set<string>();
    for (const cluster of Object.keys(this.options.cache.sizes())) {
      for (const gw of this.options.cache.objectsOf(cluster, GATEWAYS)) {
        const { namespace = '', name, labels } = gw.metadata;
        if (ids.size >= MAX_SELECTED_NOT_SHOWN) return ids;
        if (tracked.selects({ cluster, namespace, name, labels })) {
          ids.add(gatewayId(cluster, namespace, name));
        }
      }
    }
    return ids;
  }

  stop(): void {
    this.unsubscribe();
    clearTimeout(this.timer);
  }

  private changed(change: WatchedChange): void {
    const { ids, namespaces, gateways } = affectedGateways(change, spec =>
      this.options.cache.objectsOf(change.cluster, spec),
    );
    if (!ids.length && !namespaces.length && !gateways.length) return;
    for (const [entityRef, tracked] of this.entities) {
      const selected = gateways.some(tracked.selects);
      for (const [key, shown] of tracked.answers) {
        if (
          selected ||
          ids.some(id => shown.gateways.has(id)) ||
          namespaces.some(ns => shown.namespaces.has(ns))
        ) {
          const keys = this.pending.get(entityRef) ?? new Set<string>();
          this.pending.set(entityRef, keys.add(key));
        }
      }
    }
    if (this.pending.size) this.flushIn(this.options.debounceMs ?? 250);
  }

  /** Flushes in `delayMs`, unless a flush is due sooner. */
  private flushIn(delayMs: number): void {
    const dueAt = this.now() + delayMs;
    if (this.timer && this.timerDueAt <= dueAt) return;
    clearTimeout(this.timer);
    this.timerDueAt = dueAt;
    this.timer = setTimeout(() => void this.flush(), delayMs);
    this.timer.unref?.();
  }

  private async flush(): Promise<void> {
    this.timer = undefined;
    const now = this.now();
    const batch: Array<[string, Set<string>]> = [];
    let nextDueAt = Infinity;
    for (const [entityRef, keys] of this.pending) {
      const dueAt =
        (this.lastSignalled.get(entityRef) ?? -Infinity) + this.minIntervalMs;
      if (dueAt > now) {
        nextDueAt = Math.min(nextDueAt, dueAt);
        continue;
      }
      batch.push([entityRef, keys]);
      this.pending.delete(entityRef);
      this.lastSignalled.set(entityRef, now);
    }
    if (nextDueAt < Infinity) this.flushIn(nextDueAt - now);
    await Promise.all(
      batch.map(async ([entityRef, keys]) => {
        try {
          for (const key of keys) {
            for (const forget of this.forgetters) await forget(key);
          }
          const message: GatewayStatusChangedSignal = {
            type: 'gateway-status-changed',
          };
          await this.options.signals?.publish({
            recipients: { type: 'broadcast' },
            channel: gatewayStatusSignalChannel(entityRef),
            message,
          });
        } catch (e) {
          // The card's polling still brings the change.
          this.options.logger?.warn(
            `The gateway status change of ${entityRef} could not be signalled: ${describeFailure(
              e,
            )}`,
          );
        }
      }),
    );
  }
}

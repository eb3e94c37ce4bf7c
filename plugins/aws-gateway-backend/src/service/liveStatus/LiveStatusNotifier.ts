import { LoggerService } from '@backstage/backend-plugin-api';
import {
  EntityGatewaysResponse,
  gatewayStatusSignalChannel,
  GatewayStatusChangedSignal,
} from '@gateway-portal/plugin-aws-gateway-common';
import { SignalsService } from '@backstage/plugin-signals-node';
import { BoundedMap } from '../../boundedMap';
import { describeFailure } from '../../failures';
import { WatchCache, WatchedChange } from '../../kubernetes/watch/WatchCache';
import { affectedGateways, gatewayId } from './affectedGateways';

/**
 * What publishes signals: the signals service (the events service carries
 * them to every replica).
 *
 * @public
 */
export type SignalPublisher = Pick<SignalsService, 'publish'>;

/** How the status service takes part: it reports answers and forgets stale ones. */
export interface LiveStatus {
  /** Remembers which Gateways an entity's answer (cached under `key`) shows. */
  answered(key: string, response: EntityGatewaysResponse): void;
  /** What to do before a changed entity's card is told: forget its cached answer. */
  onStale(forget: (key: string) => Promise<void> | void): void;
}

export interface LiveStatusNotifierOptions {
  cache: Pick<WatchCache, 'onChange' | 'objectsOf'>;
  signals?: SignalPublisher;
  logger?: LoggerService;
  /** Changes within this window become one signal per entity. Default 250 ms. */
  debounceMs?: number;
}

/** Entities remembered per Gateway (and per namespace), and Gateways remembered. */
const MAX_TRACKED = 10_000;
const MAX_ENTITIES_PER_GATEWAY = 100;

/**
 * Turns the watch cache's changes into fresh answers and signals: when a
 * Gateway (or a route, binding, Service, EndpointSlice or configuration of
 * it) changes, each entity whose answer showed that Gateway has its cached
 * answer forgotten and then gets a signal on its channel, so its card reads
 * the status again (through the authorised API) within the debounce. Every
 * replica with a warm watch does so for the answers it gave; the events
 * service carries each signal to viewers connected to any replica.
 */
export class LiveStatusNotifier implements LiveStatus {
  private readonly byGateway = new BoundedMap<string, Map<string, string>>(
    MAX_TRACKED,
  );
  private readonly byNamespace = new BoundedMap<string, Map<string, string>>(
    MAX_TRACKED,
  );
  private readonly pending = new Map<string, string>();
  private readonly forgetters: Array<(key: string) => Promise<void> | void> =
    [];
  private timer?: NodeJS.Timeout;
  private readonly unsubscribe: () => void;

  constructor(private readonly options: LiveStatusNotifierOptions) {
    this.unsubscribe = options.cache.onChange(change => this.changed(change));
  }

  answered(key: string, response: EntityGatewaysResponse): void {
    for (const { gateway } of response.gateways) {
      const { cluster, namespace, name } = gateway;
      remember(
        this.byGateway,
        gatewayId(cluster, namespace, name),
        key,
        response.entityRef,
      );
      remember(
        this.byNamespace,
        JSON.stringify([cluster, namespace]),
        key,
        response.entityRef,
      );
    }
  }

  onStale(forget: (key: string) => Promise<void> | void): void {
    this.forgetters.push(forget);
  }

  stop(): void {
    this.unsubscribe();
    clearTimeout(this.timer);
  }

  private changed(change: WatchedChange): void {
    const affected = affectedGateways(change, spec =>
      this.options.cache.objectsOf(change.cluster, spec),
    );
    const entities = [
      ...affected.ids.map(id => this.byGateway.get(id)),
      ...affected.namespaces.map(ns => this.byNamespace.get(ns)),
    ];
    for (const found of entities) {
      for (const [key, entityRef] of found ?? []) {
        this.pending.set(key, entityRef);
      }
    }
    if (this.pending.size && !this.timer) {
      this.timer = setTimeout(
        () => void this.flush(),
        this.options.debounceMs ?? 250,
      );
      this.timer.unref?.();
    }
  }

  private async flush(): Promise<void> {
    this.timer = undefined;
    const batch = [...this.pending];
    this.pending.clear();
    await Promise.all(
      batch.map(async ([key, entityRef]) => {
        try {
          for (const forget of this.forgetters) await forget(key);
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

function remember(
  map: BoundedMap<string, Map<string, string>>,
  id: string,
  key: string,
  entityRef: string,
): void {
  const entities = map.get(id) ?? new Map<string, string>();
  entities.delete(key);
  entities.set(key, entityRef);
  if (entities.size > MAX_ENTITIES_PER_GATEWAY) {
    entities.delete(entities.keys().next().value as string);
  }
  map.set(id, entities);
}

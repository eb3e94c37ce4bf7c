import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { FormSharedGateway } from '@gateway-portal/plugin-aws-gateway-common';
import {
  describeSharedRouteNamespaces,
  freeSharedPorts,
  gatewayListeners,
  readLiveGateway,
  readSharedGateways,
  SharedGateway,
  untilAborted,
} from '@gateway-portal/plugin-aws-gateway-node';
import { KubeConfig } from '@kubernetes/client-node';
import { clusterReadError } from './clusterReads';
import { FormOptionsService } from './FormOptionsService';

/** How long a shared Gateway's live listeners are reused for the form (the action reads them again). */
const LIVE_GATEWAY_TTL_MS = 15_000;

/** Reads one live Gateway; undefined when it does not exist. */
export interface SharedGatewayReader {
  readGateway(
    kubeConfig: KubeConfig,
    namespace: string,
    name: string,
    signal: AbortSignal,
  ): Promise<unknown | undefined>;
}

/** {@link SharedGatewayReader} over @kubernetes/client-node, with the provisioning calls' deadline. */
export const clientNodeSharedGatewayReader: SharedGatewayReader = {
  readGateway: (kubeConfig, namespace, name, signal) =>
    readLiveGateway(kubeConfig, namespace, name, signal),
};

/**
 * The expose form's shared Gateways: the configured ones on clusters the
 * actions may use, each with the ports its live listeners leave free. Read
 * only; each live Gateway is read once for concurrent requests and reused
 * briefly; a Gateway that cannot be read is listed with the reason.
 */
export class SharedGatewayFormOptions {
  static fromConfig(
    config: Config,
    deps: { service: FormOptionsService; logger: LoggerService },
  ): SharedGatewayFormOptions {
    return new SharedGatewayFormOptions({
      ...deps,
      gateways: readSharedGateways(config),
      reader: clientNodeSharedGatewayReader,
    });
  }

  private readonly live = new Map<
    string,
    { at: number; gateway: Promise<unknown | undefined> }
  >();

  constructor(
    private readonly options: {
      gateways: SharedGateway[];
      service: FormOptionsService;
      reader: SharedGatewayReader;
      logger: LoggerService;
      now?: () => number;
    },
  ) {}

  async list(signal: AbortSignal): Promise<FormSharedGateway[]> {
    const allowed = new Set(
      this.options.service.gatewayGuardrails().allowedClusters,
    );
    return Promise.all(
      this.options.gateways
        .filter(g => allowed.has(g.cluster))
        .map(g => this.describe(g, signal)),
    );
  }

  private async describe(
    g: SharedGateway,
    signal: AbortSignal,
  ): Promise<FormSharedGateway> {
    const base = {
      id: g.id,
      cluster: g.cluster,
      namespace: g.namespace,
      name: g.name,
      ...(g.title ? { title: g.title } : {}),
      protocols: [...g.protocols],
      admits: describeSharedRouteNamespaces(g.allowedRoutes),
    };
    try {
      const gateway = await this.liveGateway(g, signal);
      if (gateway === undefined) {
        return {
          ...base,
          freePorts: [],
          takenPorts: [],
          problem: `Gateway ${g.namespace}/${g.name} does not exist on cluster ${g.cluster} yet`,
        };
      }
      const { free, taken } = freeSharedPorts(g, gatewayListeners(gateway));
      return { ...base, freePorts: free, takenPorts: taken };
    } catch (error) {
      signal.throwIfAborted();
      return {
        ...base,
        freePorts: [],
        takenPorts: [],
        problem: (error as Error).message,
      };
    }
  }

  private liveGateway(
    g: SharedGateway,
    signal: AbortSignal,
  ): Promise<unknown | undefined> {
    const now = (this.options.now ?? Date.now)();
    let entry = this.live.get(g.id);
    if (!entry || now - entry.at > LIVE_GATEWAY_TTL_MS) {
      // Shared by concurrent requests: its own deadline, not one request's signal.
      const readSignal = new AbortController().signal;
      const what = `read Gateway ${g.namespace}/${g.name}`;
      const gateway = this.options.service
        .openCluster(g.cluster, readSignal)
        .then(kc =>
          this.options.reader.readGateway(kc, g.namespace, g.name, readSignal),
        )
        .catch(error => {
          throw clusterReadError(error, {
            cluster: g.cluster,
            what,
            signal: readSignal,
            logger: this.options.logger,
          });
        });
      entry = { at: now, gateway };
      this.live.set(g.id, entry);
      gateway.catch(() => {
        if (this.live.get(g.id)?.gateway === gateway) this.live.delete(g.id);
      });
    }
    return untilAborted(entry.gateway, signal);
  }
}

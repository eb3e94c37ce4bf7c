import {
  L4_ROUTE_KINDS,
  L4RouteKind,
} from '@gateway-portal/plugin-aws-gateway-common';
import {
  ENDPOINT_SLICES,
  GATEWAY_CLASSES,
  GATEWAYS,
  isKubernetesNotFound,
  L4_ROUTES,
  LOAD_BALANCER_CONFIGURATIONS,
  ResourceSpec,
  SERVICE_NAME_LABEL,
  SERVICES,
  TARGET_GROUP_BINDINGS,
  TARGET_GROUP_CONFIGURATIONS,
  TGB_STACK_NAME_LABEL,
} from '@gateway-portal/plugin-aws-gateway-node';
import { RequestMemo } from '../requestMemo';
import { KubernetesConnection, ListOptions } from './KubernetesObjectClient';
import {
  EndpointSlice,
  Gateway,
  GatewayClass,
  KubeObject,
  L4Route,
  LoadBalancerConfiguration,
  Service,
  TargetGroupBinding,
  TargetGroupConfiguration,
} from './types';

const SERVED_VERSION_TTL_MS = 10 * 60_000;

/**
 * Which version of a multi-version resource each cluster serves, remembered
 * for a few minutes so that a cluster serving only v1alpha2 routes is not
 * asked for v1 on every request. A property of clusters, shared by requests.
 */
export class ServedVersionCache {
  private readonly entries = new Map<
    string,
    { version: string | null; expires: number }
  >();

  constructor(private readonly ttlMs = SERVED_VERSION_TTL_MS) {}

  get(cluster: string, spec: ResourceSpec): string | null | undefined {
    const key = `${cluster}|${spec.group}|${spec.plural}`;
    const entry = this.entries.get(key);
    if (!entry || entry.expires < Date.now()) return undefined;
    return entry.version;
  }

  set(cluster: string, spec: ResourceSpec, version: string | null): void {
    this.entries.set(`${cluster}|${spec.group}|${spec.plural}`, {
      version,
      expires: Date.now() + this.ttlMs,
    });
  }

  forget(cluster: string, spec: ResourceSpec): void {
    this.entries.delete(`${cluster}|${spec.group}|${spec.plural}`);
  }
}

/**
 * The Kubernetes reads of one request against one cluster. Each distinct read
 * happens at most once per request (several Gateways of one entity share the
 * route, TargetGroupBinding and configuration lists). Never shared between
 * requests.
 */
export class ClusterReader {
  private readonly memo = new RequestMemo();

  constructor(
    readonly cluster: string,
    private readonly connection: KubernetesConnection,
    private readonly servedVersions: ServedVersionCache,
  ) {}

  /**
   * Lists a resource in the first version the cluster serves. No served
   * version (the CRD is not installed) is an empty list.
   */
  private async listServed<T extends KubeObject>(
    spec: ResourceSpec,
    options: ListOptions = {},
  ): Promise<T[]> {
    const known = this.servedVersions.get(this.cluster, spec);
    if (known === null) return [];
    const versions = known ? [known] : spec.versions;
    for (const version of versions) {
      try {
        const items = await this.connection.list(
          { group: spec.group, version, plural: spec.plural },
          options,
        );
        if (spec.versions.length > 1) {
          this.servedVersions.set(this.cluster, spec, version);
        }
        const apiVersion = spec.group ? `${spec.group}/${version}` : version;
        return items.map(
          item => ({ ...item, kind: spec.kind, apiVersion } as T),
        );
      } catch (e) {
        // 404: this version is not served; try the next one.
        if (!isKubernetesNotFound(e)) throw e;
      }
    }
    if (known) {
      // The remembered version went away (CRDs changed): ask again.
      this.servedVersions.forget(this.cluster, spec);
      return this.listServed(spec, options);
    }
    if (spec.versions.length > 1)
      this.servedVersions.set(this.cluster, spec, null);
    return [];
  }

  getGateway(namespace: string, name: string): Promise<Gateway | undefined> {
    return this.memo.once(`gw|${namespace}|${name}`, async () => {
      const gw = await this.connection.get(
        {
          group: GATEWAYS.group,
          version: GATEWAYS.versions[0],
          plural: GATEWAYS.plural,
        },
        namespace,
        name,
      );
      return gw as Gateway | undefined;
    });
  }

  listGateways(options: ListOptions): Promise<Gateway[]> {
    return this.memo.once(
      `gws|${options.namespace ?? ''}|${options.labelSelector ?? ''}`,
      () => this.listServed<Gateway>(GATEWAYS, options),
    );
  }

  listGatewayClasses(): Promise<GatewayClass[]> {
    return this.memo.once('gwc', () =>
      this.listServed<GatewayClass>(GATEWAY_CLASSES),
    );
  }

  /** Routes of one kind in every namespace (routes may attach across namespaces). */
  listRoutes(kind: L4RouteKind): Promise<L4Route[]> {
    return this.memo.once(`routes|${kind}`, () =>
      this.listServed<L4Route>(L4_ROUTES[kind]),
    );
  }

  /**
   * The TargetGroupBindings of one namespace that carry the NLB gateway
   * controller's stack label. Bindings are only ever read per namespace: the
   * controller puts them in the namespace of the Service they bind.
   */
  listTargetGroupBindings(namespace: string): Promise<TargetGroupBinding[]> {
    return this.memo.once(`tgb|${namespace}`, () =>
      this.listServed<TargetGroupBinding>(TARGET_GROUP_BINDINGS, {
        namespace,
        labelSelector: TGB_STACK_NAME_LABEL,
      }),
    );
  }

  listLoadBalancerConfigurations(): Promise<LoadBalancerConfiguration[]> {
    return this.memo.once('lbc', () =>
      this.listServed<LoadBalancerConfiguration>(LOAD_BALANCER_CONFIGURATIONS),
    );
  }

  listTargetGroupConfigurations(): Promise<TargetGroupConfiguration[]> {
    return this.memo.once('tgc', () =>
      this.listServed<TargetGroupConfiguration>(TARGET_GROUP_CONFIGURATIONS),
    );
  }

  /** EndpointSlices of every Service in a namespace. */
  listEndpointSlices(namespace: string): Promise<EndpointSlice[]> {
    return this.memo.once(`eps|${namespace}`, () =>
      this.listServed<EndpointSlice>(ENDPOINT_SLICES, {
        namespace,
        labelSelector: SERVICE_NAME_LABEL,
      }),
    );
  }

  listServices(namespace: string): Promise<Service[]> {
    return this.memo.once(`svc|${namespace}`, () =>
      this.listServed<Service>(SERVICES, { namespace }),
    );
  }

  /**
   * Starts the reads every Gateway of this cluster needs, so that they run
   * alongside the Gateway read itself.
   */
  prefetch(namespaces: string[] = []): void {
    void this.listGatewayClasses();
    for (const kind of L4_ROUTE_KINDS) void this.listRoutes(kind);
    void this.listLoadBalancerConfigurations();
    void this.listTargetGroupConfigurations();
    for (const ns of namespaces) {
      void this.listTargetGroupBindings(ns);
      void this.listEndpointSlices(ns);
      void this.listServices(ns);
    }
  }
}

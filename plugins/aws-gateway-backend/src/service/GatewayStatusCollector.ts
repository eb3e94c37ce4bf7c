import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  EntityGatewaysResponse,
  GatewayReference,
  GatewayStatus,
  StatusError,
  StatusPart,
} from '@gateway-portal/plugin-aws-gateway-common';
import {
  GatewayCluster,
  KubernetesClusterRegistry,
} from '@gateway-portal/plugin-aws-gateway-node';
import { TargetGroup } from '@aws-sdk/client-elastic-load-balancing-v2';
import { Elbv2ClientSource, Elbv2Reader } from '../aws/Elbv2Reader';
import { LoadBalancerLocator } from '../aws/LoadBalancerLocator';
import { TrustedArn } from '../aws/trustedArn';
import { ConcurrencyLimits } from '../concurrencyLimit';
import { STATUS_DEFAULTS, StatusConfig } from '../config';
import { logDetail, toStatusError } from '../errors';
import { ClusterReader, ServedVersionCache } from '../kubernetes/ClusterReader';
import { KubernetesObjectClient } from '../kubernetes/KubernetesObjectClient';
import {
  bindingsOf,
  loadBalancerSettingsOf,
  podsByAddress,
  routesOf,
} from '../kubernetes/topology';
import { Gateway, L4Route } from '../kubernetes/types';
import { buildGatewayStatus, TargetGroupFacts } from './assemble';
import {
  bindingNamespaces,
  notLinkedErrors,
  ownedBindings,
  statusArnOf,
  trustedTargetGroups,
} from './gatewayTrust';
import {
  gatewaySelectorFor,
  GatewaySelector,
  GatewayViewer,
  GatewayRef,
  gatewayViewerOf,
  isGatewayLinked,
  missingReferenceErrors,
  unconfiguredClusterErrors,
} from './entityGateways';

export interface GatewayStatusCollectorOptions {
  clusters: Pick<KubernetesClusterRegistry, 'listClusters'>;
  kubernetes: KubernetesObjectClient;
  elbv2: Elbv2ClientSource;
  /** `locationOf` is required; the limits and ownership default as documented in config.d.ts. */
  config: Pick<StatusConfig, 'locationOf'> & Partial<CollectorSettings>;
  servedVersions?: ServedVersionCache;
  /** Where the details of failures go (users get generic messages). */
  logger?: LoggerService;
}

/** The settings the collector applies (see STATUS_DEFAULTS). */
export type CollectorSettings = Pick<
  StatusConfig,
  | 'awsTimeoutMs'
  | 'maxGatewaysPerEntity'
  | 'maxTargetGroupsPerGateway'
  | 'maxConcurrentCallsPerCluster'
  | 'namespaceOwners'
>;

export interface CollectOptions {
  /** The request's deadline or cancellation: every call ends when it fires. */
  signal?: AbortSignal;
}

/** The per-request readers: created for one collection and then dropped. */
interface RequestScope {
  elbv2: Elbv2Reader;
  locator: LoadBalancerLocator;
  viewer: GatewayViewer;
  signal?: AbortSignal;
}

interface ClusterResult {
  cluster: string;
  gateways: GatewayStatus[];
  /** Gateways answered with "not linked" (so they are not also "not found"). */
  unlinked: GatewayRef[];
  errors: StatusError[];
}

/**
 * Reads the live state of an entity's Gateways: Kubernetes first (the Gateway
 * and what relates to it, in parallel), then ELBv2 (load balancer, listeners,
 * target groups, target health), starting each AWS call as soon as what it
 * needs is known. Only Gateways linked to the entity are read further
 * (`isGatewayLinked`); only TargetGroupBindings of the Gateway's and its
 * backends' namespaces that bind one of its load balancer's target groups are
 * used; only ARNs in the cluster's configured AWS location are called or
 * linked. Every failure becomes a StatusError on the part it concerns, with a
 * generic message (details in the log); a request never fails because a
 * cluster or an AWS call did.
 */
export class GatewayStatusCollector {
  private readonly servedVersions: ServedVersionCache;
  private readonly awsLimits: ConcurrencyLimits;
  private readonly settings: CollectorSettings;

  constructor(private readonly options: GatewayStatusCollectorOptions) {
    this.servedVersions = options.servedVersions ?? new ServedVersionCache();
    const c = options.config;
    this.settings = {
      awsTimeoutMs: c.awsTimeoutMs ?? STATUS_DEFAULTS.awsTimeoutMs,
      maxGatewaysPerEntity:
        c.maxGatewaysPerEntity ?? STATUS_DEFAULTS.maxGatewaysPerEntity,
      maxTargetGroupsPerGateway:
        c.maxTargetGroupsPerGateway ??
        STATUS_DEFAULTS.maxTargetGroupsPerGateway,
      maxConcurrentCallsPerCluster:
        c.maxConcurrentCallsPerCluster ??
        STATUS_DEFAULTS.maxConcurrentCallsPerCluster,
      namespaceOwners: c.namespaceOwners ?? STATUS_DEFAULTS.namespaceOwners,
    };
    this.awsLimits = new ConcurrencyLimits(
      this.settings.maxConcurrentCallsPerCluster,
    );
  }

  async collect(
    entity: Entity,
    entityRef: string,
    options: CollectOptions = {},
  ): Promise<EntityGatewaysResponse> {
    const clusters = this.options.clusters.listClusters();
    const response: EntityGatewaysResponse = {
      entityRef,
      configured: clusters.length > 0,
      gateways: [],
      errors: [],
      fetchedAt: new Date().toISOString(),
    };
    if (!clusters.length) return response;

    const selector = gatewaySelectorFor(entity);
    if (selector.type === 'none') return response;
    if (selector.type === 'invalid') {
      response.errors.push({
        part: 'catalog',
        kind: 'error',
        message: selector.message,
      });
      return response;
    }
    if (
      selector.type === 'references' &&
      selector.references.length > this.settings.maxGatewaysPerEntity
    ) {
      response.errors.push({
        part: 'catalog',
        kind: 'error',
        message: `aws-gateway.io/gateways names ${selector.references.length} Gateways; at most ${this.settings.maxGatewaysPerEntity} are read for one entity (awsGateway.status.maxGatewaysPerEntity)`,
      });
      return response;
    }

    const known = new Set(clusters.map(c => c.name));
    if (selector.type === 'references') {
      response.errors.push(
        ...unconfiguredClusterErrors(selector.references, known),
      );
    }

    const elbv2 = new Elbv2Reader(this.options.elbv2, {
      signal: options.signal,
      callTimeoutMs: this.settings.awsTimeoutMs,
      limits: this.awsLimits,
    });
    const scope: RequestScope = {
      elbv2,
      locator: new LoadBalancerLocator(elbv2),
      viewer: gatewayViewerOf(entity, entityRef),
      signal: options.signal,
    };
    const results = await Promise.all(
      clusters
        .filter(c => this.clusterIsWanted(c, selector))
        .map(c => this.collectCluster(c, selector, scope)),
    );
    for (const r of results) {
      response.gateways.push(...r.gateways);
      response.errors.push(...r.errors);
    }

    if (selector.type === 'references') {
      const seen = [
        ...response.gateways.map(g => g.gateway),
        ...results.flatMap(r => r.unlinked),
      ];
      // A Gateway may hide in a cluster that could not be read: that
      // cluster's error already says so.
      const failed = new Set(
        results.filter(r => r.errors.length).map(r => r.cluster),
      );
      response.errors.push(
        ...missingReferenceErrors(selector.references, seen, failed, known),
      );
    }
    return response;
  }

  /** A StatusError for users; the failure's details go to the log. */
  private failure(
    part: StatusPart,
    error: unknown,
    context: { cluster?: string; action?: string } = {},
  ): StatusError {
    const status = toStatusError(part, error, context);
    this.options.logger?.warn(
      `Gateway status: ${part} failure${
        context.cluster ? ` in cluster ${context.cluster}` : ''
      }${context.action ? ` (${context.action})` : ''}: ${logDetail(error)}`,
    );
    return status;
  }

  private settled<T>(
    promise: Promise<T>,
    errors: StatusError[],
    cluster: string,
  ): Promise<T | undefined> {
    return promise.catch(e => {
      errors.push(this.failure('kubernetes', e, { cluster }));
      return undefined;
    });
  }

  private clusterIsWanted(
    cluster: GatewayCluster,
    selector: GatewaySelector,
  ): boolean {
    if (selector.type !== 'references') return true;
    return selector.references.some(
      r => !r.cluster || r.cluster === cluster.name,
    );
  }

  private async collectCluster(
    cluster: GatewayCluster,
    selector: GatewaySelector,
    scope: RequestScope,
  ): Promise<ClusterResult> {
    const result: ClusterResult = {
      cluster: cluster.name,
      gateways: [],
      unlinked: [],
      errors: [],
    };
    let reader: ClusterReader;
    let found: Gateway[];
    try {
      const connection = await this.options.kubernetes.connect(cluster.name, {
        signal: scope.signal,
      });
      reader = new ClusterReader(cluster.name, connection, this.servedVersions);
      if (selector.type === 'references') {
        const refs = selector.references.filter(
          (r: GatewayReference) => !r.cluster || r.cluster === cluster.name,
        );
        reader.prefetch([...new Set(refs.map(r => r.namespace))]);
        const gateways = await Promise.all(
          refs.map(r => reader.getGateway(r.namespace, r.name)),
        );
        found = gateways.filter((g): g is Gateway => Boolean(g));
      } else if (selector.type === 'label') {
        reader.prefetch(selector.namespace ? [selector.namespace] : []);
        found = await reader.listGateways({
          namespace: selector.namespace,
          labelSelector: selector.labelSelector,
        });
      } else {
        found = [];
      }
    } catch (e) {
      result.errors.push(
        this.failure('kubernetes', e, { cluster: cluster.name }),
      );
      return result;
    }

    const linked: Gateway[] = [];
    const notLinked: Gateway[] = [];
    for (const gw of found) {
      (isGatewayLinked(
        gw,
        cluster.name,
        scope.viewer,
        this.settings.namespaceOwners,
      )
        ? linked
        : notLinked
      ).push(gw);
    }
    result.errors.push(...notLinkedErrors(cluster.name, selector, notLinked));
    result.unlinked = notLinked.map(g => ({
      cluster: cluster.name,
      namespace: g.metadata.namespace ?? '',
      name: g.metadata.name,
    }));
    if (linked.length > this.settings.maxGatewaysPerEntity) {
      result.errors.push({
        part: 'catalog',
        kind: 'error',
        cluster: cluster.name,
        message: `${linked.length} Gateways in cluster ${cluster.name} belong to this entity; at most ${this.settings.maxGatewaysPerEntity} are read for one entity (awsGateway.status.maxGatewaysPerEntity)`,
      });
      return result;
    }
    result.gateways = await Promise.all(
      linked.map(gw => this.describeGateway(cluster, reader, gw, scope)),
    );
    return result;
  }

  private async describeGateway(
    cluster: GatewayCluster,
    reader: ClusterReader,
    gateway: Gateway,
    scope: RequestScope,
  ): Promise<GatewayStatus> {
    const errors: StatusError[] = [];
    const limit = this.settings.maxTargetGroupsPerGateway;
    const namespace = gateway.metadata.namespace ?? '';
    const location = this.options.config.locationOf(cluster);
    const target = location.target;
    const trustedStatus = statusArnOf(gateway, target, cluster.name);
    errors.push(...trustedStatus.errors);
    const statusArn = trustedStatus.arn;
    // Start the AWS side now. Its listeners and target groups are read only
    // once the load balancer is known to be this Gateway's (its tags).
    const located = scope.locator.locate({
      namespace,
      name: gateway.metadata.name,
      controllerClusterName: location.controllerClusterName,
      statusArn,
      dnsName: gateway.status?.addresses?.[0]?.value,
      target,
    });

    const [classes, tcp, udp, tls, lbConfigs, tgConfigs] = await Promise.all([
      this.settled(reader.listGatewayClasses(), errors, cluster.name),
      this.settled(reader.listRoutes('TCPRoute'), errors, cluster.name),
      this.settled(reader.listRoutes('UDPRoute'), errors, cluster.name),
      this.settled(reader.listRoutes('TLSRoute'), errors, cluster.name),
      this.settled(
        reader.listLoadBalancerConfigurations(),
        errors,
        cluster.name,
      ),
      this.settled(
        reader.listTargetGroupConfigurations(),
        errors,
        cluster.name,
      ),
    ]);
    const routes = routesOf(gateway, [
      ...(tcp ?? []),
      ...(udp ?? []),
      ...(tls ?? []),
    ] as L4Route[]);

    const scoped = bindingNamespaces(gateway, routes, cluster.name, limit);
    errors.push(...scoped.errors);
    const namespaces = scoped.namespaces;
    const kubeRest = Promise.all(
      namespaces.map(async ns => {
        const [bindings, slices, services] = await Promise.all([
          this.settled(
            reader.listTargetGroupBindings(ns),
            errors,
            cluster.name,
          ),
          this.settled(reader.listEndpointSlices(ns), errors, cluster.name),
          this.settled(reader.listServices(ns), errors, cluster.name),
        ]);
        return {
          bindings: bindingsOf(gateway, bindings ?? []),
          slices: slices ?? [],
          services: services ?? [],
        };
      }),
    );

    const {
      loadBalancer,
      arn: lbArn,
      failure,
      errors: locateErrors,
    } = await located;
    errors.push(...locateErrors);
    if (failure) {
      errors.push(
        this.failure('aws', failure.error, { action: failure.action }),
      );
    }
    let listeners: Awaited<ReturnType<Elbv2Reader['listeners']>> = [];
    let groups: TargetGroup[] | undefined;
    if (lbArn) {
      const [listenersRead, groupsRead] = await Promise.all([
        scope.elbv2.listeners(lbArn).catch(e => {
          errors.push(this.failure('aws', e, { action: 'DescribeListeners' }));
          return [];
        }),
        scope.elbv2.targetGroupsOfLoadBalancer(lbArn).catch(e => {
          errors.push(
            this.failure('aws', e, { action: 'DescribeTargetGroups' }),
          );
          return undefined;
        }),
      ]);
      listeners = listenersRead;
      groups = groupsRead;
    }

    // The load balancer's target groups as ELBv2 reports them: the only ones
    // whose health is read and whose bindings are believed.
    const trustedGroups = trustedTargetGroups(groups ?? [], target, limit);
    errors.push(...trustedGroups.errors);
    const health = new Map(
      trustedGroups.trusted.map(g => [
        g.arn.arn,
        this.targetGroupFacts(g, scope),
      ]),
    );

    const kube = await kubeRest;
    const owned = ownedBindings(
      kube.flatMap(k => k.bindings),
      groups ? new Set(health.keys()) : undefined,
      cluster.name,
      limit,
    );
    errors.push(...owned.errors);
    const bindings = owned.bindings;
    const facts = await Promise.all(health.values());
    const gatewayClass = classes?.find(
      c => c.metadata.name === gateway.spec?.gatewayClassName,
    );
    return buildGatewayStatus({
      cluster: cluster.name,
      gateway,
      gatewayClass,
      routes,
      bindings,
      loadBalancerSettings: loadBalancerSettingsOf(
        gateway,
        gatewayClass,
        lbConfigs ?? [],
      ),
      targetGroupConfigurations: tgConfigs ?? [],
      services: kube.flatMap(k => k.services),
      podsByAddress: podsByAddress(kube.flatMap(k => k.slices)),
      loadBalancer,
      loadBalancerListeners: listeners,
      targetGroups: new Map(facts.map(f => [f.arn, f])),
      errors: dedupeErrors(errors),
    });
  }

  private async targetGroupFacts(
    { arn, group }: { arn: TrustedArn; group: TargetGroup },
    scope: RequestScope,
  ): Promise<TargetGroupFacts> {
    const errors: StatusError[] = [];
    const health = await scope.elbv2.targetHealth(arn).catch(e => {
      errors.push(this.failure('aws', e, { action: 'DescribeTargetHealth' }));
      return undefined;
    });
    return {
      arn: arn.arn,
      targetGroup: group,
      ...(health ? { health } : {}),
      errors,
    };
  }
}

function dedupeErrors(errors: StatusError[]): StatusError[] {
  const seen = new Set<string>();
  return errors.filter(e => {
    const key = `${e.part}|${e.kind}|${e.cluster ?? ''}|${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

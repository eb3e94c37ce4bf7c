import { Entity } from '@backstage/catalog-model';
import {
  EntityGatewaysResponse,
  GatewayReference,
  GatewayStatus,
  StatusError,
} from '@gateway-portal/plugin-aws-gateway-common';
import {
  GatewayCluster,
  KubernetesClusterRegistry,
} from '@gateway-portal/plugin-aws-gateway-node';
import { Elbv2ClientSource, Elbv2Reader } from '../aws/Elbv2Reader';
import {
  loadBalancerArnOf,
  LoadBalancerLocator,
} from '../aws/LoadBalancerLocator';
import { StatusConfig } from '../config';
import { toStatusError } from '../errors';
import { ClusterReader, ServedVersionCache } from '../kubernetes/ClusterReader';
import { KubernetesObjectClient } from '../kubernetes/KubernetesObjectClient';
import {
  backendsOf,
  bindingsOf,
  findCondition,
  loadBalancerSettingsOf,
  podsByAddress,
  routesOf,
} from '../kubernetes/topology';
import { Gateway, L4Route } from '../kubernetes/types';
import {
  buildGatewayStatus,
  forwardTargetGroupArns,
  TargetGroupFacts,
} from './assemble';
import { gatewaySelectorFor, GatewaySelector } from './entityGateways';

export interface GatewayStatusCollectorOptions {
  clusters: Pick<KubernetesClusterRegistry, 'listClusters'>;
  kubernetes: KubernetesObjectClient;
  elbv2: Elbv2ClientSource;
  config: Pick<StatusConfig, 'locationOf'>;
  servedVersions?: ServedVersionCache;
}

/** The per-request readers: created for one collection and then dropped. */
interface RequestScope {
  elbv2: Elbv2Reader;
  locator: LoadBalancerLocator;
}

function settled<T>(
  promise: Promise<T>,
  errors: StatusError[],
  cluster: string,
): Promise<T | undefined> {
  return promise.catch(e => {
    errors.push(toStatusError('kubernetes', e, { cluster }));
    return undefined;
  });
}

/**
 * Reads the live state of an entity's Gateways: Kubernetes first (the Gateway
 * and what relates to it, in parallel), then ELBv2 (load balancer, listeners,
 * target groups, target health), starting each AWS call as soon as what it
 * needs is known. Every failure becomes a StatusError on the part it
 * concerns; a request never fails because a cluster or an AWS call did.
 */
export class GatewayStatusCollector {
  private readonly servedVersions: ServedVersionCache;

  constructor(private readonly options: GatewayStatusCollectorOptions) {
    this.servedVersions = options.servedVersions ?? new ServedVersionCache();
  }

  async collect(
    entity: Entity,
    entityRef: string,
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

    const known = new Set(clusters.map(c => c.name));
    if (selector.type === 'references') {
      for (const ref of selector.references) {
        if (ref.cluster && !known.has(ref.cluster)) {
          response.errors.push({
            part: 'kubernetes',
            kind: 'not-configured',
            cluster: ref.cluster,
            message: `Gateway ${ref.namespace}/${ref.name} names cluster "${ref.cluster}", which is not configured in kubernetes.clusterLocatorMethods`,
          });
        }
      }
    }

    const elbv2 = new Elbv2Reader(this.options.elbv2);
    const scope: RequestScope = {
      elbv2,
      locator: new LoadBalancerLocator(elbv2),
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
      const failed = new Set(
        results.filter(r => r.errors.length).map(r => r.cluster),
      );
      for (const ref of selector.references) {
        const found = response.gateways.some(
          g =>
            g.gateway.namespace === ref.namespace &&
            g.gateway.name === ref.name &&
            (!ref.cluster || g.gateway.cluster === ref.cluster),
        );
        // A Gateway may hide in a cluster that could not be read: that
        // cluster's error already says so.
        const undecided = ref.cluster
          ? failed.has(ref.cluster)
          : failed.size > 0;
        if (!found && !undecided && (!ref.cluster || known.has(ref.cluster))) {
          response.errors.push({
            part: 'kubernetes',
            kind: 'not-found',
            ...(ref.cluster ? { cluster: ref.cluster } : {}),
            message: `Gateway ${ref.namespace}/${ref.name} was not found${
              ref.cluster
                ? ` in cluster ${ref.cluster}`
                : ' in any configured cluster'
            }`,
          });
        }
      }
    }
    return response;
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
  ): Promise<{
    cluster: string;
    gateways: GatewayStatus[];
    errors: StatusError[];
  }> {
    let reader: ClusterReader;
    let gateways: Gateway[];
    try {
      const connection = await this.options.kubernetes.connect(cluster.name);
      reader = new ClusterReader(cluster.name, connection, this.servedVersions);
      if (selector.type === 'references') {
        const refs = selector.references.filter(
          (r: GatewayReference) => !r.cluster || r.cluster === cluster.name,
        );
        reader.prefetch([...new Set(refs.map(r => r.namespace))]);
        const found = await Promise.all(
          refs.map(r => reader.getGateway(r.namespace, r.name)),
        );
        gateways = found.filter((g): g is Gateway => Boolean(g));
      } else if (selector.type === 'label') {
        reader.prefetch(selector.namespace ? [selector.namespace] : []);
        gateways = await reader.listGateways({
          namespace: selector.namespace,
          labelSelector: selector.labelSelector,
        });
      } else {
        gateways = [];
      }
    } catch (e) {
      return {
        cluster: cluster.name,
        gateways: [],
        errors: [toStatusError('kubernetes', e, { cluster: cluster.name })],
      };
    }
    const statuses = await Promise.all(
      gateways.map(gw => this.describeGateway(cluster, reader, gw, scope)),
    );
    return { cluster: cluster.name, gateways: statuses, errors: [] };
  }

  private async describeGateway(
    cluster: GatewayCluster,
    reader: ClusterReader,
    gateway: Gateway,
    scope: RequestScope,
  ): Promise<GatewayStatus> {
    const errors: StatusError[] = [];
    const location = this.options.config.locationOf(cluster);
    const programmed = findCondition(gateway.status?.conditions, 'Programmed');
    const statusArn = loadBalancerArnOf(programmed?.message);
    // Start the AWS side now: with the ARN from the status, the load balancer
    // and its listeners are read while Kubernetes is still answering.
    const located = scope.locator.locate({
      namespace: gateway.metadata.namespace ?? '',
      name: gateway.metadata.name,
      controllerClusterName: location.controllerClusterName,
      statusArn,
      dnsName: gateway.status?.addresses?.[0]?.value,
      target: location.target,
    });
    if (statusArn) scope.elbv2.listeners(statusArn).catch(() => undefined);

    const [classes, tcp, udp, tls, allBindings, lbConfigs, tgConfigs] =
      await Promise.all([
        settled(reader.listGatewayClasses(), errors, cluster.name),
        settled(reader.listRoutes('TCPRoute'), errors, cluster.name),
        settled(reader.listRoutes('UDPRoute'), errors, cluster.name),
        settled(reader.listRoutes('TLSRoute'), errors, cluster.name),
        settled(reader.listTargetGroupBindings(), errors, cluster.name),
        settled(reader.listLoadBalancerConfigurations(), errors, cluster.name),
        settled(reader.listTargetGroupConfigurations(), errors, cluster.name),
      ]);
    const routes = routesOf(gateway, [
      ...(tcp ?? []),
      ...(udp ?? []),
      ...(tls ?? []),
    ] as L4Route[]);
    const bindings = allBindings ? bindingsOf(gateway, allBindings) : [];

    // Target groups known from the bindings: read them (and their health) now.
    const targetGroups = new Map<string, Promise<TargetGroupFacts>>();
    const describeTargetGroup = (arn: string) => {
      if (!targetGroups.has(arn))
        targetGroups.set(arn, this.targetGroupFacts(arn, scope));
    };
    for (const b of bindings)
      if (b.spec?.targetGroupARN) describeTargetGroup(b.spec.targetGroupARN);

    const backendNamespaces = new Set<string>([
      ...routes.flatMap(r => backendsOf(r).map(b => b.namespace)),
      ...bindings.map(b => b.metadata.namespace ?? ''),
    ]);
    const kubeRest = Promise.all(
      [...backendNamespaces].filter(Boolean).map(async ns => {
        const [slices, services] = await Promise.all([
          settled(reader.listEndpointSlices(ns), errors, cluster.name),
          settled(reader.listServices(ns), errors, cluster.name),
        ]);
        return { slices: slices ?? [], services: services ?? [] };
      }),
    );

    const { loadBalancer, errors: awsErrors } = await located;
    errors.push(...awsErrors);
    let listeners: Awaited<ReturnType<Elbv2Reader['listeners']>> = [];
    if (loadBalancer) {
      try {
        listeners = await scope.elbv2.listeners(loadBalancer.arn);
      } catch (e) {
        errors.push(toStatusError('aws', e, { action: 'DescribeListeners' }));
      }
      for (const l of listeners)
        forwardTargetGroupArns(l).forEach(describeTargetGroup);
      if (!allBindings?.length) {
        // No bindings to go by (none yet, or not readable): ask ELBv2.
        try {
          const groups = await scope.elbv2.targetGroupsOfLoadBalancer(
            loadBalancer.arn,
          );
          groups.forEach(g => describeTargetGroup(g.TargetGroupArn!));
        } catch (e) {
          errors.push(
            toStatusError('aws', e, { action: 'DescribeTargetGroups' }),
          );
        }
      }
    }

    const [kube, groups] = await Promise.all([
      kubeRest,
      Promise.all(targetGroups.values()),
    ]);
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
      targetGroups: new Map(groups.map(g => [g.arn, g])),
      errors: dedupeErrors(errors),
    });
  }

  private async targetGroupFacts(
    arn: string,
    scope: RequestScope,
  ): Promise<TargetGroupFacts> {
    const errors: StatusError[] = [];
    const [targetGroup, health] = await Promise.all([
      scope.elbv2.targetGroup(arn).catch(e => {
        errors.push(
          toStatusError('aws', e, { action: 'DescribeTargetGroups' }),
        );
        return undefined;
      }),
      scope.elbv2.targetHealth(arn).catch(e => {
        errors.push(
          toStatusError('aws', e, { action: 'DescribeTargetHealth' }),
        );
        return undefined;
      }),
    ]);
    return {
      arn,
      ...(targetGroup ? { targetGroup } : {}),
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

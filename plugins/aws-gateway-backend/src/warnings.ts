/**
 * Problems worth fixing on a Gateway, each with how to fix it. These are the
 * mistakes users of the AWS Load Balancer Controller report most.
 */
import {
  GatewayStatus,
  GatewayWarning,
  RouteSummary,
} from '@gateway-portal/plugin-aws-gateway-common';
import type { GatewayFacts } from './service/assemble';
import { backendsOf, configuredTargetTypeOf } from './kubernetes/topology';

const ROUTE_KIND_FOR_PROTOCOL: Record<string, string> = {
  TCP: 'TCPRoute',
  UDP: 'UDPRoute',
  TLS: 'TLSRoute',
};

const OPEN_RANGES = new Set(['0.0.0.0/0', '::/0']);

function routeName(r: RouteSummary): string {
  return `${r.kind} ${r.namespace}/${r.name}`;
}

function staleStatus(status: GatewayStatus): GatewayWarning[] {
  const { generation, observedGeneration } = status;
  if (generation === undefined || observedGeneration === undefined) return [];
  if (observedGeneration >= generation) return [];
  return [
    {
      code: 'status-stale',
      message: `The controller has not processed the latest change: the status is for generation ${observedGeneration}, the Gateway is at generation ${generation}.`,
      fix: 'Check that the AWS Load Balancer Controller is running with the NLB Gateway API feature gate, that its GatewayClass is Accepted, and read its logs and the Gateway events (FailedBuildModel, FailedDeployModel).',
    },
  ];
}

function listenersWithoutRoutes(status: GatewayStatus): GatewayWarning[] {
  const warnings: GatewayWarning[] = [];
  for (const l of status.listeners) {
    if (l.routes.length === 0 || l.attachedRoutes === 0) {
      warnings.push({
        code: 'listener-without-route',
        listener: l.name,
        message: `Listener ${l.name} (${l.protocol} ${l.port}) has no attached route, so the load balancer has no listener on port ${l.port}.`,
        fix: `Create a ${
          ROUTE_KIND_FOR_PROTOCOL[l.protocol] ?? 'TCPRoute'
        } with parentRefs [{name: ${status.gateway.name}, sectionName: ${
          l.name
        }}] and a backendRef to a Service port (weight above 0).`,
      });
    } else if (
      status.state === 'programmed' &&
      status.loadBalancer &&
      !l.loadBalancerListener
    ) {
      warnings.push({
        code: 'listener-without-route',
        listener: l.name,
        message: `Routes attach to listener ${l.name}, but the load balancer has no listener on port ${l.port}.`,
        fix: "Check the routes' ResolvedRefs condition (the backend Service and port must exist, weight above 0) and the controller's events for the Gateway.",
      });
    }
  }
  return warnings;
}

const ROUTE_FIXES: Record<string, string> = {
  NotAllowedByListeners:
    "Allow the route's namespace and kind in the listener's allowedRoutes, or move the route to the Gateway's namespace.",
  NoMatchingParent:
    "Make the route's parentRefs sectionName or port match a listener of the Gateway.",
  NoMatchingListenerHostname:
    'TCP and UDP listeners take no hostname; remove it or use a TLS listener.',
  BackendNotFound:
    "Create the backend Service, or fix the backendRef's name, namespace and port.",
  RefNotPermitted:
    "Add a ReferenceGrant in the backend's namespace that allows this route kind from the route's namespace.",
  InvalidKind: 'Point backendRefs at a Service.',
  UnsupportedValue:
    'Use a protocol and route kind the Gateway listener supports.',
};

function routesNotAccepted(status: GatewayStatus): GatewayWarning[] {
  const seen = new Set<string>();
  const warnings: GatewayWarning[] = [];
  for (const l of status.listeners) {
    for (const r of l.routes) {
      const failed = [r.accepted, r.resolvedRefs].find(
        c => c?.status === 'False',
      );
      const key = `${routeName(r)}|${failed?.type}`;
      if (!failed || seen.has(key)) continue;
      seen.add(key);
      warnings.push({
        code: 'route-not-accepted',
        listener: l.name,
        message: `${routeName(r)}: ${failed.type} is False (${[
          failed.reason,
          failed.message,
        ]
          .filter(Boolean)
          .join(': ')}).`,
        fix:
          (failed.reason && ROUTE_FIXES[failed.reason]) ??
          "Read the route's status.parents conditions and the controller's events, and fix the route's parentRefs or backendRefs.",
      });
    }
  }
  return warnings;
}

function instanceTargetsOnClusterIp(
  facts: GatewayFacts,
  status: GatewayStatus,
): GatewayWarning[] {
  const warnings: GatewayWarning[] = [];
  const seen = new Set<string>();
  for (const route of facts.routes) {
    for (const backend of backendsOf(route)) {
      if (backend.kind !== 'Service') continue;
      const key = `${backend.namespace}/${backend.name}`;
      if (seen.has(key)) continue;
      const service = facts.services.find(
        s =>
          s.metadata.namespace === backend.namespace &&
          s.metadata.name === backend.name,
      );
      if (!service) continue;
      const type = service.spec?.type ?? 'ClusterIP';
      if (type !== 'ClusterIP') continue;
      const actual = status.listeners
        .flatMap(l => l.targetGroups)
        .find(
          tg =>
            tg.service?.namespace === backend.namespace &&
            tg.service?.name === backend.name,
        )?.targetType;
      const targetType =
        actual ??
        configuredTargetTypeOf(
          route,
          backend,
          facts.targetGroupConfigurations,
        ) ??
        'instance';
      if (targetType !== 'instance') continue;
      seen.add(key);
      warnings.push({
        code: 'instance-target-clusterip',
        message: `Service ${key} is ClusterIP but its targets are of type instance (the controller's default); the target group gets no targets ("TargetGroup port is empty").`,
        fix: `Add a TargetGroupConfiguration in namespace ${backend.namespace} with targetReference {kind: Service, name: ${backend.name}} and defaultConfiguration.targetType: ip.`,
      });
    }
  }
  return warnings;
}

function openToWorld(
  facts: GatewayFacts,
  status: GatewayStatus,
): GatewayWarning[] {
  const scheme =
    status.loadBalancer?.scheme ?? facts.loadBalancerSettings.scheme;
  if (scheme !== 'internet-facing') return [];
  const ranges = facts.loadBalancerSettings.sourceRanges;
  const open = !ranges?.length || ranges.some(r => OPEN_RANGES.has(r.trim()));
  if (!open) return [];
  return [
    {
      code: 'open-to-world',
      message: ranges?.length
        ? `The internet-facing load balancer accepts traffic from ${ranges
            .filter(r => OPEN_RANGES.has(r.trim()))
            .join(' and ')}.`
        : 'The internet-facing load balancer sets no sourceRanges, so it is open to 0.0.0.0/0 and ::/0.',
      fix: 'Set sourceRanges in the LoadBalancerConfiguration to the CIDR ranges that need access.',
    },
  ];
}

function targetHealth(status: GatewayStatus): GatewayWarning[] {
  const warnings: GatewayWarning[] = [];
  for (const l of status.listeners) {
    for (const tg of l.targetGroups) {
      if (tg.errors.length) continue;
      const bad = tg.targets.filter(
        t => t.state === 'unhealthy' || t.state === 'unavailable',
      );
      if (bad.length) {
        const reasons = [
          ...new Set(bad.map(t => t.reason ?? t.description).filter(Boolean)),
        ];
        warnings.push({
          code: 'unhealthy-targets',
          listener: l.name,
          message: `${bad.length} of ${
            tg.health.total
          } targets of target group ${tg.name} are not healthy${
            reasons.length ? ` (${reasons.join(', ')})` : ''
          }.`,
          fix: `Check that the pods are ready and listen on port ${
            tg.targets[0]?.port ?? tg.port ?? 'of the target group'
          }, that the health check (TargetGroupConfiguration healthCheckConfig) matches the application, and that security groups let the load balancer reach the pods.`,
        });
      } else if (tg.health.total === 0) {
        warnings.push({
          code: 'no-targets',
          listener: l.name,
          message: `Target group ${tg.name} has no registered targets.`,
          fix: "Check that the Service's selector matches ready pods and read the TargetGroupBinding's status and events.",
        });
      }
    }
  }
  return warnings;
}

/** All warnings for one Gateway. */
export function gatewayWarnings(
  status: GatewayStatus,
  facts: GatewayFacts,
): GatewayWarning[] {
  return [
    ...staleStatus(status),
    ...listenersWithoutRoutes(status),
    ...routesNotAccepted(status),
    ...instanceTargetsOnClusterIp(facts, status),
    ...openToWorld(facts, status),
    ...targetHealth(status),
  ];
}

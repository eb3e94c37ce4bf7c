/**
 * Problems worth fixing on a Gateway, each with how to fix it. These are the
 * mistakes users of the AWS Load Balancer Controller report most.
 */
import {
  GatewayStatus,
  GatewayWarning,
  ListenerSummary,
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
  // While the Gateway is not accepted the controller leaves the listener
  // status as it was: its attachedRoutes may predate the routes.
  const attachedRoutesCurrent = status.accepted?.status !== 'False';
  for (const l of status.listeners) {
    if (
      l.routes.length === 0 ||
      (attachedRoutesCurrent && l.attachedRoutes === 0)
    ) {
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
        message:
          status.accepted?.status === 'False'
            ? `Service ${key} is ClusterIP but its targets are of type instance (the controller's default): the controller cannot build the load balancer ("TargetGroup port is empty", in the Gateway's FailedBuildModel events), so the Gateway is not accepted and no listener is created.`
            : `Service ${key} is ClusterIP but its targets are of type instance (the controller's default); the target group gets no targets ("TargetGroup port is empty").`,
        fix: `Add a TargetGroupConfiguration in namespace ${backend.namespace} with targetReference {kind: Service, name: ${backend.name}} and defaultConfiguration.targetType: ip.`,
      });
    }
  }
  return warnings;
}

/** Whether one of the route's backends (weight above 0) is a Service one of these target groups serves. */
function servedBy(route: RouteSummary, listener: ListenerSummary): boolean {
  return route.backends.some(
    b =>
      (b.weight ?? 1) > 0 &&
      listener.targetGroups.some(
        tg =>
          tg.service?.namespace === b.namespace && tg.service?.name === b.name,
      ),
  );
}

/**
 * One route per port gets traffic: the controller forwards a port to the
 * oldest route attached to it (TCP and UDP listeners on one port share one
 * TCP_UDP load balancer listener). The others still read Accepted.
 */
function shadowedRoutes(status: GatewayStatus): GatewayWarning[] {
  const warnings: GatewayWarning[] = [];
  for (const l of status.listeners) {
    // Only once the port is deployed and every target group's Service is known.
    if (!l.loadBalancerListener || l.targetGroups.length === 0) continue;
    if (l.targetGroups.some(tg => !tg.service)) continue;
    const samePort = status.listeners.filter(o => o.port === l.port);
    const winner = samePort
      .flatMap(o => o.routes.filter(r => servedBy(r, o)))
      .map(routeName)[0];
    const merged = l.loadBalancerListener.protocol === 'TCP_UDP';
    for (const r of l.routes) {
      if (r.accepted?.status !== 'True' || servedBy(r, l)) continue;
      if (!r.backends.some(b => (b.weight ?? 1) > 0)) continue;
      const protocols = [...new Set(samePort.map(o => o.protocol))].join(
        ' and ',
      );
      warnings.push({
        code: 'route-shadowed',
        listener: l.name,
        route: { kind: r.kind, namespace: r.namespace, name: r.name },
        message: merged
          ? `${routeName(
              r,
            )} is accepted but gets no traffic: the ${protocols} listeners on port ${
              l.port
            } share one TCP_UDP load balancer listener, which forwards only to the backends of the oldest route${
              winner ? `, ${winner}` : ''
            }.`
          : `${routeName(
              r,
            )} is accepted but gets no traffic: a load balancer port forwards to one route only, the oldest${
              winner ? `, ${winner}` : ''
            }.`,
        fix: merged
          ? `Serve TCP and UDP on port ${l.port} from one Service and point both routes at it (its TCP_UDP target group gets both), or move listener ${l.name} to a port of its own.`
          : `Delete one of the routes on port ${l.port}, or give ${routeName(
              r,
            )} a listener port of its own.`,
      });
    }
  }
  return warnings;
}

/** The Gateway spec's TLS mode of a listener (the summary carries only the protocol). */
function tlsModeOf(facts: GatewayFacts, listener: string): string | undefined {
  const spec = facts.gateway.spec?.listeners?.find(l => l.name === listener) as
    | { tls?: { mode?: string } }
    | undefined;
  return spec?.tls?.mode;
}

/**
 * TLS passthrough becomes a TCP load balancer listener; without a
 * TargetGroupConfiguration protocol the controller gives it a TLS target
 * group, a pair real AWS refuses (moto accepts it).
 */
function tlsPassthroughToTlsTargetGroup(
  status: GatewayStatus,
  facts: GatewayFacts,
): GatewayWarning[] {
  const warnings: GatewayWarning[] = [];
  for (const l of status.listeners) {
    if (l.protocol !== 'TLS' || tlsModeOf(facts, l.name) !== 'Passthrough') {
      continue;
    }
    for (const tg of l.targetGroups.filter(t => t.protocol === 'TLS')) {
      const service = tg.service
        ? `Service ${tg.service.namespace}/${tg.service.name}`
        : 'the backend Service';
      warnings.push({
        code: 'tls-passthrough-tls-target-group',
        listener: l.name,
        message: `Listener ${l.name} passes TLS through (a TCP listener on the load balancer), but target group ${tg.name} is TLS: AWS refuses a TCP listener forwarding to a TLS target group (IncompatibleProtocols), so port ${l.port} does not work.`,
        fix: `Set protocol: TCP in the TargetGroupConfiguration of ${service} (defaultConfiguration, or the route's routeConfigurations entry): the load balancer then hands the TLS stream to the pods untouched. It does no SNI routing; one route per port gets all traffic.`,
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
    ...shadowedRoutes(status),
    ...tlsPassthroughToTlsTargetGroup(status, facts),
    ...instanceTargetsOnClusterIp(facts, status),
    ...openToWorld(facts, status),
    ...targetHealth(status),
  ];
}

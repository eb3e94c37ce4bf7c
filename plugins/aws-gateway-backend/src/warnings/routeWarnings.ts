/**
 * Warnings about listeners and routes: a stale status, a listener without a
 * route, a route not accepted, a route that gets no traffic on its port.
 */
import {
  GatewayWarning,
  L4_ROUTE_KIND_FOR_PROTOCOL,
  L4ListenerProtocol,
  ListenerSummary,
  RouteSummary,
} from '@gateway-portal/plugin-aws-gateway-common';
import { ObservedGatewayStatus } from './observedStatus';

export function routeName(r: RouteSummary): string {
  return `${r.kind} ${r.namespace}/${r.name}`;
}

export function staleStatus(status: ObservedGatewayStatus): GatewayWarning[] {
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

export function listenersWithoutRoutes(
  status: ObservedGatewayStatus,
): GatewayWarning[] {
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
          L4_ROUTE_KIND_FOR_PROTOCOL[l.protocol as L4ListenerProtocol] ??
          'TCPRoute'
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

export function routesNotAccepted(
  status: ObservedGatewayStatus,
): GatewayWarning[] {
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
export function shadowedRoutes(
  status: ObservedGatewayStatus,
): GatewayWarning[] {
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

import {
  ConditionSummary,
  GatewayWarning,
  RouteSummary,
} from '@gateway-portal/plugin-aws-gateway-common';

/** How a route attached to a listener fares, as its row shows it. */
export interface RouteState {
  /** Not accepted by the Gateway, or its backends do not resolve. */
  refused: boolean;
  /** The condition that says why it was refused. */
  refusal?: ConditionSummary;
  /** Accepted but without traffic: another route owns the port. */
  shadowed: boolean;
}

/** Routes the backend found accepted but without traffic (another route owns the port). */
function isShadowed(route: RouteSummary, warnings: GatewayWarning[]): boolean {
  return warnings.some(
    w =>
      w.code === 'route-shadowed' &&
      w.route?.kind === route.kind &&
      w.route.namespace === route.namespace &&
      w.route.name === route.name,
  );
}

/** A refusal wins over shadowing; Accepted=False is the reason shown before ResolvedRefs. */
export function routeState(
  route: RouteSummary,
  warnings: GatewayWarning[],
): RouteState {
  const refused =
    route.accepted?.status === 'False' ||
    route.resolvedRefs?.status === 'False';
  const refusal =
    route.accepted?.status === 'False' ? route.accepted : route.resolvedRefs;
  return {
    refused,
    ...(refused && refusal ? { refusal } : {}),
    shadowed: !refused && isShadowed(route, warnings),
  };
}

/** `name:port` of each backend, as the route's second line shows them. */
export function describeBackends(route: RouteSummary): string {
  return route.backends
    .map(backend => `${backend.name}${backend.port ? `:${backend.port}` : ''}`)
    .join(', ');
}

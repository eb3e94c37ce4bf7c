import { L4_ROUTE_KINDS } from '@gateway-portal/plugin-aws-gateway-common';
import {
  ENDPOINT_SLICES,
  GATEWAYS,
  L4_ROUTES,
  LOAD_BALANCER_CONFIGURATIONS,
  ResourceSpec,
  SERVICE_NAME_LABEL,
  SERVICES,
  TARGET_GROUP_BINDINGS,
  TARGET_GROUP_CONFIGURATIONS,
  TGB_STACK_NAME_LABEL,
  TGB_STACK_NAMESPACE_LABEL,
} from '@gateway-portal/plugin-aws-gateway-node';
import { KubeObject, L4Route } from '../../kubernetes/types';
import { WatchedChange } from '../../kubernetes/watch/WatchCache';

/** A Gateway's identity across clusters. */
export function gatewayId(
  cluster: string,
  namespace: string,
  name: string,
): string {
  return JSON.stringify([cluster, namespace, name]);
}

/** What a change may concern: Gateways by id, or every Gateway of a namespace. */
export interface AffectedGateways {
  ids: string[];
  /** Namespaces whose Gateways may all be concerned (`cluster` + namespace keys). */
  namespaces: string[];
}

const same = (a: ResourceSpec, b: ResourceSpec) =>
  a.group === b.group && a.plural === b.plural;

/** The Gateways a route attaches to (parentRefs of kind Gateway). */
function parentsOf(cluster: string, route: KubeObject): string[] {
  const ns = route.metadata.namespace ?? '';
  const refs = (route as L4Route).spec?.parentRefs;
  if (!Array.isArray(refs)) return [];
  return refs
    .filter(
      p =>
        typeof p?.name === 'string' &&
        (p.kind ?? 'Gateway') === 'Gateway' &&
        (p.group ?? GATEWAYS.group) === GATEWAYS.group,
    )
    .map(p => gatewayId(cluster, p.namespace ?? ns, p.name));
}

/** The Gateways whose routes send traffic to Service `namespace/name`. */
function gatewaysOfService(
  cluster: string,
  namespace: string,
  name: string,
  routesOf: (spec: ResourceSpec) => KubeObject[],
): string[] {
  const ids: string[] = [];
  for (const kind of L4_ROUTE_KINDS) {
    for (const route of routesOf(L4_ROUTES[kind])) {
      const routeNs = route.metadata.namespace ?? '';
      const rules = (route as L4Route).spec?.rules;
      const targets = (Array.isArray(rules) ? rules : []).some(rule =>
        (Array.isArray(rule?.backendRefs) ? rule.backendRefs : []).some(
          b =>
            b?.name === name &&
            (b.namespace ?? routeNs) === namespace &&
            (b.kind ?? 'Service') === 'Service',
        ),
      );
      if (targets) ids.push(...parentsOf(cluster, route));
    }
  }
  return ids;
}

/**
 * Which Gateways a watched change concerns: a Gateway itself; a route's
 * parents; a TargetGroupBinding's stack (the controller's labels); a
 * Service's or EndpointSlice's Gateways through the routes that target the
 * Service; a configuration's namespace. Objects are hostile: anything
 * malformed concerns nothing.
 */
export function affectedGateways(
  change: WatchedChange,
  routesOf: (spec: ResourceSpec) => KubeObject[],
): AffectedGateways {
  const { cluster, resource, object } = change;
  const ns = object.metadata?.namespace ?? '';
  const name = object.metadata?.name ?? '';
  const labels = object.metadata?.labels ?? {};
  const none: AffectedGateways = { ids: [], namespaces: [] };
  if (same(resource, GATEWAYS)) {
    return { ids: [gatewayId(cluster, ns, name)], namespaces: [] };
  }
  if (L4_ROUTE_KINDS.some(kind => same(resource, L4_ROUTES[kind]))) {
    return { ids: parentsOf(cluster, object), namespaces: [] };
  }
  if (same(resource, TARGET_GROUP_BINDINGS)) {
    const stackNs = labels[TGB_STACK_NAMESPACE_LABEL];
    const stack = labels[TGB_STACK_NAME_LABEL];
    return typeof stackNs === 'string' && typeof stack === 'string'
      ? { ids: [gatewayId(cluster, stackNs, stack)], namespaces: [] }
      : none;
  }
  if (same(resource, ENDPOINT_SLICES)) {
    const service = labels[SERVICE_NAME_LABEL];
    return typeof service === 'string'
      ? {
          ids: gatewaysOfService(cluster, ns, service, routesOf),
          namespaces: [],
        }
      : none;
  }
  if (same(resource, SERVICES)) {
    return {
      ids: gatewaysOfService(cluster, ns, name, routesOf),
      namespaces: [],
    };
  }
  if (
    same(resource, LOAD_BALANCER_CONFIGURATIONS) ||
    same(resource, TARGET_GROUP_CONFIGURATIONS)
  ) {
    return { ids: [], namespaces: [JSON.stringify([cluster, ns])] };
  }
  return none;
}

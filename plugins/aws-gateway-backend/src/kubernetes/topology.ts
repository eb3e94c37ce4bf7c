/**
 * How Kubernetes objects relate to one Gateway: which routes attach to which
 * listener, which TargetGroupBindings and configurations apply, which pod is
 * behind an IP. Pure functions over objects already read.
 */
import {
  ConditionSummary,
  GATEWAY_API_GROUP_NAME,
  L4_ROUTE_KIND_FOR_PROTOCOL,
  L4ListenerProtocol,
  LBC_NLB_CONTROLLER_NAME,
  RouteBackend,
} from '@gateway-portal/plugin-aws-gateway-common';
import {
  TGB_STACK_NAME_LABEL,
  TGB_STACK_NAMESPACE_LABEL,
} from '@gateway-portal/plugin-aws-gateway-node';
import {
  EndpointSlice,
  Gateway,
  GatewayClass,
  GatewayListener,
  L4Route,
  LoadBalancerConfiguration,
  ParentReference,
  TargetGroupBinding,
  TargetGroupConfiguration,
} from './types';

/** Whether a parentRef (of a route in `routeNamespace`) names this Gateway. */
export function refersTo(
  ref: ParentReference,
  routeNamespace: string,
  gw: Gateway,
): boolean {
  return (
    (ref.group ?? GATEWAY_API_GROUP_NAME) === GATEWAY_API_GROUP_NAME &&
    (ref.kind ?? 'Gateway') === 'Gateway' &&
    ref.name === gw.metadata.name &&
    (ref.namespace ?? routeNamespace) === gw.metadata.namespace
  );
}

/** Routes with a parentRef to this Gateway. */
export function routesOf(gw: Gateway, routes: L4Route[]): L4Route[] {
  return routes.filter(r =>
    (r.spec?.parentRefs ?? []).some(p =>
      refersTo(p, r.metadata.namespace ?? '', gw),
    ),
  );
}

/** Whether a route (by its parentRefs to this Gateway) targets a listener. */
export function routeTargetsListener(
  route: L4Route,
  gw: Gateway,
  listener: GatewayListener,
): boolean {
  return (route.spec?.parentRefs ?? [])
    .filter(p => refersTo(p, route.metadata.namespace ?? '', gw))
    .some(p => {
      if (p.sectionName) return p.sectionName === listener.name;
      if (p.port !== undefined) return p.port === listener.port;
      return (
        L4_ROUTE_KIND_FOR_PROTOCOL[listener.protocol as L4ListenerProtocol] ===
        route.kind
      );
    });
}

/** The conditions the NLB gateway controller wrote for this Gateway on a route. */
export function parentConditionsOf(
  route: L4Route,
  gw: Gateway,
): ConditionSummary[] {
  const parents = (route.status?.parents ?? []).filter(p =>
    refersTo(p.parentRef, route.metadata.namespace ?? '', gw),
  );
  const ours = parents.filter(
    p => p.controllerName === LBC_NLB_CONTROLLER_NAME,
  );
  return (ours.length ? ours : parents).flatMap(p => p.conditions ?? []);
}

export function backendsOf(route: L4Route): RouteBackend[] {
  const ns = route.metadata.namespace ?? '';
  return (route.spec?.rules ?? []).flatMap(rule =>
    (rule.backendRefs ?? []).map(b => ({
      kind: b.kind ?? 'Service',
      namespace: b.namespace ?? ns,
      name: b.name,
      ...(b.port !== undefined ? { port: b.port } : {}),
      ...(b.weight !== undefined ? { weight: b.weight } : {}),
    })),
  );
}

/** TargetGroupBindings the controller made for this Gateway's stack. */
export function bindingsOf(
  gw: Gateway,
  bindings: TargetGroupBinding[],
): TargetGroupBinding[] {
  return bindings.filter(
    b =>
      b.metadata.labels?.[TGB_STACK_NAMESPACE_LABEL] ===
        gw.metadata.namespace &&
      b.metadata.labels?.[TGB_STACK_NAME_LABEL] === gw.metadata.name,
  );
}

/** Whether a binding serves a route backend (same Service, and port when both are numbers). */
export function bindingServes(
  binding: TargetGroupBinding,
  backend: RouteBackend,
): boolean {
  const ref = binding.spec?.serviceRef;
  if (!ref || backend.kind !== 'Service') return false;
  if (
    binding.metadata.namespace !== backend.namespace ||
    ref.name !== backend.name
  ) {
    return false;
  }
  return (
    typeof ref.port !== 'number' ||
    backend.port === undefined ||
    ref.port === backend.port
  );
}

/**
 * The LoadBalancerConfiguration settings in force: the Gateway's own
 * (`spec.infrastructure.parametersRef`) over its GatewayClass's.
 */
export function loadBalancerSettingsOf(
  gw: Gateway,
  gatewayClass: GatewayClass | undefined,
  configs: LoadBalancerConfiguration[],
): { scheme?: string; sourceRanges?: string[] } {
  const find = (ns: string | undefined, name: string | undefined) =>
    name
      ? configs.find(
          c => c.metadata.namespace === ns && c.metadata.name === name,
        )
      : undefined;
  const gwRef = gw.spec?.infrastructure?.parametersRef;
  const own =
    gwRef?.kind === 'LoadBalancerConfiguration'
      ? find(gw.metadata.namespace, gwRef.name)
      : undefined;
  const classRef = gatewayClass?.spec?.parametersRef;
  const inherited =
    classRef?.kind === 'LoadBalancerConfiguration'
      ? find(classRef.namespace, classRef.name)
      : undefined;
  const scheme = own?.spec?.scheme ?? inherited?.spec?.scheme;
  const sourceRanges = own?.spec?.sourceRanges ?? inherited?.spec?.sourceRanges;
  return {
    ...(scheme ? { scheme } : {}),
    ...(sourceRanges ? { sourceRanges } : {}),
  };
}

/**
 * The target type the controller will use for a route backend: a
 * TargetGroupConfiguration for the Service (route-specific first), else the
 * controller's default, `instance`.
 */
export function configuredTargetTypeOf(
  route: L4Route,
  backend: RouteBackend,
  configs: TargetGroupConfiguration[],
): string | undefined {
  const config = configs.find(
    c =>
      c.metadata.namespace === backend.namespace &&
      c.spec?.targetReference?.name === backend.name &&
      (c.spec.targetReference.kind ?? 'Service') === 'Service',
  );
  if (!config) return undefined;
  const forRoute = config.spec?.routeConfigurations?.find(rc => {
    const id = rc.routeIdentifier;
    return (
      (!id?.kind || id.kind === route.kind) &&
      (!id?.namespace || id.namespace === route.metadata.namespace) &&
      (!id?.name || id.name === route.metadata.name)
    );
  });
  return (
    forRoute?.targetGroupProps?.targetType ??
    config.spec?.defaultConfiguration?.targetType
  );
}

/** The pod behind an endpoint address, and the zone the endpoint is in. */
export interface EndpointPod {
  namespace: string;
  name: string;
  nodeName?: string;
  /** The EndpointSlice endpoint's `zone`. */
  zone?: string;
}

/** The pod behind each endpoint address. */
export function podsByAddress(
  slices: EndpointSlice[],
): Map<string, EndpointPod> {
  const pods = new Map<string, EndpointPod>();
  for (const slice of slices) {
    for (const ep of slice.endpoints ?? []) {
      if (ep.targetRef?.kind !== 'Pod' || !ep.targetRef.name) continue;
      for (const address of ep.addresses ?? []) {
        pods.set(address, {
          namespace: ep.targetRef.namespace ?? slice.metadata.namespace ?? '',
          name: ep.targetRef.name,
          ...(ep.nodeName ? { nodeName: ep.nodeName } : {}),
          ...(ep.zone ? { zone: ep.zone } : {}),
        });
      }
    }
  }
  return pods;
}

export function findCondition(
  conditions: ConditionSummary[] | undefined,
  type: string,
): ConditionSummary | undefined {
  return conditions?.find(c => c.type === type);
}

import { L4_ROUTE_KINDS } from '@gateway-portal/plugin-aws-gateway-common';
import {
  ENDPOINT_SLICES,
  GATEWAY_CLASSES,
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
import {
  eventApiOf,
  eventRegardingOf,
  eventsNamespaceOf,
} from '../../kubernetes/events/eventSelectors';
import { Gateway, KubeObject, L4Route } from '../../kubernetes/types';
import { WatchChangeType } from '../../kubernetes/watch/ResourceWatch';
import { WatchedChange } from '../../kubernetes/watch/WatchCache';
import { SelectableGateway } from '../entityGateways';

/** A Gateway's identity across clusters. */
export function gatewayId(
  cluster: string,
  namespace: string,
  name: string,
): string {
  return JSON.stringify([cluster, namespace, name]);
}

/** A namespace's identity across clusters. */
export function namespaceId(cluster: string, namespace: string): string {
  return JSON.stringify([cluster, namespace]);
}

/** What a change may concern. */
export interface AffectedGateways {
  /** Gateways by id (gatewayId). */
  ids: string[];
  /** Namespaces whose Gateways may all be concerned (namespaceId). */
  namespaces: string[];
  /**
   * The changed Gateways themselves, with their labels as they are now: an
   * entity whose selector selects one is concerned even when its last
   * answer did not show it (a Gateway created or labelled into a selector).
   */
  gateways: SelectableGateway[];
}

/** The event types that signal: what went wrong, not the controller's routine notes. */
const SIGNALLING_EVENT_TYPE = 'Warning';

/**
 * The changes of a Warning event that signal: one written or updated (a new
 * row, or a row's count and last time) changes what the card shows. A
 * deletion does not: events are deleted by the API server's TTL (an hour
 * after they were last written, by default), many at once, when what the
 * card showed of them was already old; the row leaves the card at its next
 * read (a reload, its polling, any other change's signal) without every
 * viewer re-reading AWS for it.
 */
const SIGNALLING_EVENT_CHANGES: ReadonlySet<WatchChangeType> = new Set([
  'added',
  'modified',
]);

const same = (a: ResourceSpec, b: ResourceSpec) =>
  a.group === b.group && a.plural === b.plural;

const NONE: AffectedGateways = { ids: [], namespaces: [], gateways: [] };

/** The resources whose objects events may be about, by kind. */
const RESOURCE_OF_KIND: ReadonlyMap<string, ResourceSpec> = new Map(
  [
    GATEWAYS,
    GATEWAY_CLASSES,
    ...L4_ROUTE_KINDS.map(kind => L4_ROUTES[kind]),
    TARGET_GROUP_BINDINGS,
    LOAD_BALANCER_CONFIGURATIONS,
    TARGET_GROUP_CONFIGURATIONS,
  ].map(spec => [spec.kind, spec]),
);

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
  objectsOf: (spec: ResourceSpec) => KubeObject[],
): string[] {
  const ids: string[] = [];
  for (const kind of L4_ROUTE_KINDS) {
    for (const route of objectsOf(L4_ROUTES[kind])) {
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

/** Gateways as the selection rule sees them, with their ids. */
function changedGateways(
  cluster: string,
  gateways: KubeObject[],
): AffectedGateways {
  const selectable = gateways.map(gw => ({
    cluster,
    namespace: gw.metadata?.namespace ?? '',
    name: gw.metadata?.name ?? '',
    labels: gw.metadata?.labels ?? {},
  }));
  return {
    ids: selectable.map(g => gatewayId(cluster, g.namespace, g.name)),
    namespaces: [],
    gateways: selectable,
  };
}

/**
 * The Gateways a new or updated Warning event concerns: those of the object
 * it is about, as that object's own change would (the object as the watch
 * holds it; a Gateway, class or configuration needs only its name). Events
 * are written by anyone allowed to: an event outside the namespace the
 * events about its object are in (the object's own; `default` for a
 * GatewayClass), or about a kind the card does not show, concerns nothing.
 */
function warningEventSubjects(
  change: WatchedChange,
  objectsOf: (spec: ResourceSpec) => KubeObject[],
): AffectedGateways {
  const api = eventApiOf(change.resource);
  const event = change.object as KubeObject & { type?: unknown };
  if (
    !api ||
    event.type !== SIGNALLING_EVENT_TYPE ||
    !SIGNALLING_EVENT_CHANGES.has(change.type)
  ) {
    return NONE;
  }
  const subject = eventRegardingOf(api, event);
  const resource = subject && RESOURCE_OF_KIND.get(subject.kind);
  if (!resource || eventsNamespaceOf(subject) !== event.metadata?.namespace) {
    return NONE;
  }
  const known = objectsOf(resource).find(
    o =>
      o.metadata.namespace === subject.namespace &&
      o.metadata.name === subject.name,
  );
  const object: KubeObject = known ?? {
    metadata: { namespace: subject.namespace, name: subject.name },
  };
  return affectedGateways(
    { cluster: change.cluster, resource, object, type: change.type },
    objectsOf,
  );
}

/**
 * Which Gateways a watched change concerns: a Gateway itself; a class's
 * Gateways; a route's parents; a TargetGroupBinding's stack (the
 * controller's labels); a Service's or EndpointSlice's Gateways through the
 * routes that target the Service; a configuration's namespace; a Warning
 * event's object's Gateways. Objects are hostile: anything malformed
 * concerns nothing.
 */
export function affectedGateways(
  change: WatchedChange,
  objectsOf: (spec: ResourceSpec) => KubeObject[],
): AffectedGateways {
  const { cluster, resource, object } = change;
  const ns = object.metadata?.namespace ?? '';
  const name = object.metadata?.name ?? '';
  const labels = object.metadata?.labels ?? {};
  if (same(resource, GATEWAYS)) return changedGateways(cluster, [object]);
  if (same(resource, GATEWAY_CLASSES)) {
    return changedGateways(
      cluster,
      objectsOf(GATEWAYS).filter(
        gw => (gw as Gateway).spec?.gatewayClassName === name,
      ),
    );
  }
  if (L4_ROUTE_KINDS.some(kind => same(resource, L4_ROUTES[kind]))) {
    return { ...NONE, ids: parentsOf(cluster, object) };
  }
  if (same(resource, TARGET_GROUP_BINDINGS)) {
    const stackNs = labels[TGB_STACK_NAMESPACE_LABEL];
    const stack = labels[TGB_STACK_NAME_LABEL];
    return typeof stackNs === 'string' && typeof stack === 'string'
      ? { ...NONE, ids: [gatewayId(cluster, stackNs, stack)] }
      : NONE;
  }
  if (same(resource, ENDPOINT_SLICES)) {
    const service = labels[SERVICE_NAME_LABEL];
    return typeof service === 'string'
      ? { ...NONE, ids: gatewaysOfService(cluster, ns, service, objectsOf) }
      : NONE;
  }
  if (same(resource, SERVICES)) {
    return { ...NONE, ids: gatewaysOfService(cluster, ns, name, objectsOf) };
  }
  if (
    same(resource, LOAD_BALANCER_CONFIGURATIONS) ||
    same(resource, TARGET_GROUP_CONFIGURATIONS)
  ) {
    return { ...NONE, namespaces: [namespaceId(cluster, ns)] };
  }
  return warningEventSubjects(change, objectsOf);
}

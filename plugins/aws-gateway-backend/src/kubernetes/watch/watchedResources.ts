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
} from '@gateway-portal/plugin-aws-gateway-node';
import {
  EVENT_API_ORDER,
  EVENT_RESOURCES,
  eventKindSelector,
} from '../events/eventSelectors';

/** One way to list and watch a resource: a resource (its versions newest first), narrowed by a field selector. */
export interface WatchedApi {
  spec: ResourceSpec;
  /** The watch's own field selector here: it answers only reads whose selector includes it. */
  fieldSelector?: string;
}

/** A resource the watch cache holds, cluster-wide. */
export interface WatchedResource {
  /** Where it may be served, preferred first: the first the cluster answers is watched. */
  apis: readonly WatchedApi[];
  /** The watch's own label selector: reads are served only when they ask for exactly it. */
  labelSelector?: string;
  /** A 403 (RBAC) also moves on to the next API, as a 404 (not served) does. */
  refusalMovesOn?: boolean;
}

/**
 * The kinds whose Events the card shows (service/events/gatewayEventSubjects:
 * a Gateway, its class, routes, bindings and LB/TG configurations).
 */
export const EVENT_SUBJECT_KINDS: readonly string[] = [
  GATEWAYS,
  GATEWAY_CLASSES,
  ...L4_ROUTE_KINDS.map(kind => L4_ROUTES[kind]),
  TARGET_GROUP_BINDINGS,
  LOAD_BALANCER_CONFIGURATIONS,
  TARGET_GROUP_CONFIGURATIONS,
].map(spec => spec.kind);

const only = (spec: ResourceSpec, labelSelector?: string): WatchedResource => ({
  apis: [{ spec }],
  ...(labelSelector ? { labelSelector } : {}),
});

/**
 * The events about one kind of object, in the events API the cluster serves
 * and allows (events.k8s.io/v1, else core v1): narrowed server-side by the
 * regarding/involved object's kind, so a cluster's other events are never held.
 */
const eventsAbout = (kind: string): WatchedResource => ({
  apis: EVENT_API_ORDER.map(api => ({
    spec: EVENT_RESOURCES[api],
    fieldSelector: eventKindSelector(api, kind),
  })),
  refusalMovesOn: true,
});

/**
 * Everything a status read asks a cluster for, with the selectors the status
 * reads use (only the controller's bindings, only Services' slices), and the
 * card's Events.
 */
export const WATCHED_RESOURCES: readonly WatchedResource[] = [
  only(GATEWAYS),
  only(GATEWAY_CLASSES),
  ...L4_ROUTE_KINDS.map(kind => only(L4_ROUTES[kind])),
  only(TARGET_GROUP_BINDINGS, TGB_STACK_NAME_LABEL),
  only(LOAD_BALANCER_CONFIGURATIONS),
  only(TARGET_GROUP_CONFIGURATIONS),
  only(ENDPOINT_SLICES, SERVICE_NAME_LABEL),
  only(SERVICES),
  ...EVENT_SUBJECT_KINDS.map(eventsAbout),
];

/** The key of a resource regardless of version. */
export function resourceKey(resource: { group: string; plural: string }) {
  return `${resource.plural}.${resource.group}`;
}

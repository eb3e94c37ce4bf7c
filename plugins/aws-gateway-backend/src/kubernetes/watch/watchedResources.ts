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

/** A resource the watch cache holds, cluster-wide, narrowed by a label selector. */
export interface WatchedResource {
  spec: ResourceSpec;
  /** The watch's own selector: reads are served only when they ask for exactly it. */
  labelSelector?: string;
}

/**
 * Everything a status read asks a cluster for, with the selectors the status
 * reads use (only the controller's bindings, only Services' slices).
 */
export const WATCHED_RESOURCES: readonly WatchedResource[] = [
  { spec: GATEWAYS },
  { spec: GATEWAY_CLASSES },
  ...L4_ROUTE_KINDS.map(kind => ({ spec: L4_ROUTES[kind] })),
  { spec: TARGET_GROUP_BINDINGS, labelSelector: TGB_STACK_NAME_LABEL },
  { spec: LOAD_BALANCER_CONFIGURATIONS },
  { spec: TARGET_GROUP_CONFIGURATIONS },
  { spec: ENDPOINT_SLICES, labelSelector: SERVICE_NAME_LABEL },
  { spec: SERVICES },
];

/** The key of a resource regardless of version. */
export function resourceKey(resource: { group: string; plural: string }) {
  return `${resource.plural}.${resource.group}`;
}

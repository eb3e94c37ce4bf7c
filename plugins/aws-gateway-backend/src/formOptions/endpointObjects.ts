import {
  FormEndpoint,
  FormEndpointListener,
  GATEWAY_API_GROUP_NAME,
  isDnsLabel,
  isDnsSubdomain,
  L4_ROUTE_KIND_FOR_PROTOCOL,
  L4RouteKind,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
} from '@gateway-portal/plugin-aws-gateway-common';
import {
  claimedEntityRef,
  SHARED_LISTENER_PORT_ANNOTATION,
  SharedGateway,
  tlsListenerHostnameIssue,
} from '@gateway-portal/plugin-aws-gateway-node';

/**
 * Which of the objects listed in one namespace are a component's endpoints,
 * and what the change and remove forms show of them. Everything listed comes
 * from the cluster and is hostile: only well-formed names, ports and host
 * names are kept, a malformed object or listener is left out. Pure.
 */

/** Most listeners one Gateway may have (Gateway API's own bound). */
const MAX_LISTENERS = 64;

const PROTOCOL_OF_ROUTE: Record<L4RouteKind, string> = Object.fromEntries(
  Object.entries(L4_ROUTE_KIND_FOR_PROTOCOL).map(([protocol, kind]) => [
    kind,
    protocol,
  ]),
) as Record<L4RouteKind, string>;
const LISTENER_PROTOCOLS = new Set(Object.values(PROTOCOL_OF_ROUTE));

/** What was listed in the namespace, untrusted. */
export interface ListedEndpointObjects {
  gateways: unknown[];
  routes: { kind: L4RouteKind; items: unknown[] }[];
}

export interface EndpointSelection {
  cluster: string;
  namespace: string;
  /** Normalised (see normaliseEntityRef). */
  entityRef: string;
  /** The configured shared gateways (`awsGateway.provisioning.sharedGateways`). */
  sharedGateways: SharedGateway[];
}

type Metadata = { name: string; annotations: Record<string, string> };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function isPort(value: unknown): value is number {
  return (
    Number.isInteger(value) &&
    (value as number) >= 1 &&
    (value as number) <= 65535
  );
}

/** A host name as the Gateway API defines it (the project's one rule). */
function isHostname(value: unknown): value is string {
  return (
    typeof value === 'string' && !tlsListenerHostnameIssue(value, 'hostname')
  );
}

/** The object's metadata when it is a well-formed object the portal wrote for the entity; undefined otherwise. */
function portalMetadata(
  item: unknown,
  selection: EndpointSelection,
): Metadata | undefined {
  if (!isRecord(item) || !isRecord(item.metadata)) return undefined;
  const { name, namespace, labels, annotations, deletionTimestamp } =
    item.metadata;
  if (typeof name !== 'string' || !isDnsSubdomain(name)) return undefined;
  // Asked for one namespace; an answer about another is not believed.
  if (namespace !== undefined && namespace !== selection.namespace) {
    return undefined;
  }
  // Being deleted: no longer an endpoint to change.
  if (deletionTimestamp !== undefined) return undefined;
  // The list was label-selected; checked again rather than trusted.
  if (!isRecord(labels) || labels[MANAGED_BY_LABEL] !== MANAGED_BY_VALUE) {
    return undefined;
  }
  const stringAnnotations = Object.fromEntries(
    Object.entries(isRecord(annotations) ? annotations : {}).filter(
      ([, v]) => typeof v === 'string',
    ),
  ) as Record<string, string>;
  if (
    claimedEntityRef({ metadata: { annotations: stringAnnotations } }) !==
    selection.entityRef
  ) {
    return undefined;
  }
  return { name, annotations: stringAnnotations };
}

function gatewayListener(value: unknown): FormEndpointListener[] {
  if (!isRecord(value)) return [];
  const { name, port, protocol, hostname } = value;
  if (typeof name !== 'string' || !isDnsSubdomain(name) || !isPort(port)) {
    return [];
  }
  if (typeof protocol !== 'string' || !LISTENER_PROTOCOLS.has(protocol)) {
    return [];
  }
  return [
    {
      name,
      port,
      protocol,
      ...(protocol === 'TLS' && isHostname(hostname) ? { hostname } : {}),
    },
  ];
}

function gatewayEndpoint(
  item: unknown,
  selection: EndpointSelection,
  sharedIds: Set<string>,
): FormEndpoint[] {
  const metadata = portalMetadata(item, selection);
  if (!metadata) return [];
  // A configured shared gateway is the platform's, never one component's endpoint.
  if (
    sharedIds.has(
      `${selection.cluster}/${selection.namespace}/${metadata.name}`,
    )
  ) {
    return [];
  }
  const spec = (item as { spec?: unknown }).spec;
  const listeners =
    isRecord(spec) && Array.isArray(spec.listeners)
      ? spec.listeners.slice(0, MAX_LISTENERS).flatMap(gatewayListener)
      : [];
  return [{ name: metadata.name, kind: 'gateway', listeners }];
}

/** The configured shared gateway a route's parentRef names, if any (Gateway API defaults applied). */
function sharedParent(
  parentRef: unknown,
  selection: EndpointSelection,
): SharedGateway | undefined {
  if (!isRecord(parentRef)) return undefined;
  const group = parentRef.group ?? GATEWAY_API_GROUP_NAME;
  const kind = parentRef.kind ?? 'Gateway';
  const namespace = parentRef.namespace ?? selection.namespace;
  if (group !== GATEWAY_API_GROUP_NAME || kind !== 'Gateway') return undefined;
  return selection.sharedGateways.find(
    g =>
      g.cluster === selection.cluster &&
      g.namespace === namespace &&
      g.name === parentRef.name,
  );
}

function sharedListenerEndpoint(
  kind: L4RouteKind,
  item: unknown,
  selection: EndpointSelection,
): FormEndpoint[] {
  const metadata = portalMetadata(item, selection);
  if (!metadata) return [];
  const spec = (item as { spec?: unknown }).spec;
  if (!isRecord(spec) || !Array.isArray(spec.parentRefs)) return [];
  let parentRef: Record<string, unknown> | undefined;
  let shared: SharedGateway | undefined;
  for (const ref of spec.parentRefs.slice(0, MAX_LISTENERS)) {
    shared = sharedParent(ref, selection);
    if (shared) {
      parentRef = ref as Record<string, unknown>;
      break;
    }
  }
  // A route to anything else belongs to a Gateway of its own, listed as that Gateway.
  if (!shared || !parentRef) return [];
  const protocol = PROTOCOL_OF_ROUTE[kind];
  // The shared-listener action writes the listener's port on the route.
  const annotatedPort = Number(
    metadata.annotations[SHARED_LISTENER_PORT_ANNOTATION],
  );
  const port = isPort(parentRef.port) ? parentRef.port : annotatedPort;
  const sectionName = parentRef.sectionName;
  const hostname = Array.isArray(spec.hostnames)
    ? spec.hostnames[0]
    : undefined;
  const listeners: FormEndpointListener[] = isPort(port)
    ? [
        {
          name:
            typeof sectionName === 'string' && isDnsSubdomain(sectionName)
              ? sectionName
              : '',
          port,
          protocol,
          ...(protocol === 'TLS' && isHostname(hostname) ? { hostname } : {}),
        },
      ]
    : [];
  return [
    {
      name: metadata.name,
      kind: 'shared-listener',
      listeners,
      sharedGateway: {
        id: shared.id,
        ...(shared.title ? { title: shared.title } : {}),
        protocols: [...shared.protocols],
        ...(shared.tlsHostnames.length
          ? { tlsHostnames: [...shared.tlsHostnames] }
          : {}),
      },
    },
  ];
}

/**
 * The entity's endpoints among the listed objects: its Gateways, and its
 * routes to a configured shared gateway of this cluster (a route to any other
 * parent is its own Gateway's, already listed). Sorted by name, Gateways
 * first.
 */
export function describeEndpoints(
  listed: ListedEndpointObjects,
  selection: EndpointSelection,
): FormEndpoint[] {
  if (!isDnsLabel(selection.namespace)) return [];
  const sharedIds = new Set(selection.sharedGateways.map(g => g.id));
  const gateways = listed.gateways.flatMap(item =>
    gatewayEndpoint(item, selection, sharedIds),
  );
  const listeners = listed.routes.flatMap(({ kind, items }) =>
    items.flatMap(item => sharedListenerEndpoint(kind, item, selection)),
  );
  const byName = (a: FormEndpoint, b: FormEndpoint) =>
    a.name.localeCompare(b.name);
  return [...gateways.sort(byName), ...listeners.sort(byName)];
}

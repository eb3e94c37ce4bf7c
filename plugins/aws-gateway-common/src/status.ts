/**
 * The gateway status API's response model: what `GET /api/aws-gateway/entities/
 * :kind/:namespace/:name/gateways` returns and what the entity card draws.
 * Every part that can fail independently carries its own errors, so a partial
 * answer (Kubernetes fine, AWS denied) is still an answer.
 */

/** Which source an error came from. @public */
export type StatusPart = 'catalog' | 'kubernetes' | 'aws';

/**
 * What kind of failure it was; the card designs a state per kind.
 * - `not-configured`: no cluster or no AWS access is configured for it
 * - `permission`: the backend's credentials were refused (403 / AccessDenied)
 * - `not-found`: the referenced object does not exist
 * - `unreachable`: network / timeout
 * - `error`: anything else
 *
 * @public
 */
export type StatusErrorKind =
  | 'not-configured'
  | 'permission'
  | 'not-found'
  | 'unreachable'
  | 'error';

/** @public */
export interface StatusError {
  part: StatusPart;
  kind: StatusErrorKind;
  /** Human-readable and free of secrets. */
  message: string;
  cluster?: string;
}

/** A Kubernetes status condition, trimmed. @public */
export interface ConditionSummary {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
}

/**
 * Overall state of one gateway:
 * - `programmed`: the controller reports Programmed=True and the NLB is active
 * - `provisioning`: accepted, waiting for the NLB (Programmed Unknown/Pending, or NLB provisioning)
 * - `error`: Accepted=False, Programmed=False, or the NLB failed
 * - `unknown`: no status from the controller yet
 * - `removing`: the Gateway is being deleted; the controller's finalizer holds
 *   it until the NLB is deleted
 *
 * @public
 */
export type GatewayState =
  | 'programmed'
  | 'provisioning'
  | 'error'
  | 'unknown'
  | 'removing';

/** @public */
export interface GatewayIdentity {
  cluster: string;
  namespace: string;
  name: string;
}

/** @public */
export interface LoadBalancerSummary {
  arn: string;
  name: string;
  dnsName: string;
  scheme: 'internet-facing' | 'internal' | string;
  /** ELBv2 state code: active, provisioning, active_impaired, failed. */
  state: string;
  stateReason?: string;
  type: string;
  ipAddressType?: string;
  accountId: string;
  region: string;
  consoleUrl: string;
  /** How the NLB was found: the Programmed condition's ARN, the controller's tags, or the DNS name. */
  foundBy: 'status-arn' | 'tags' | 'dns-name';
}

/** One backend of a route. @public */
export interface RouteBackend {
  kind: string;
  namespace: string;
  name: string;
  port?: number;
  weight?: number;
}

/** @public */
export interface RouteSummary {
  kind: 'TCPRoute' | 'UDPRoute' | 'TLSRoute';
  apiVersion: string;
  namespace: string;
  name: string;
  /** Conditions from the parent status written by the NLB controller. */
  accepted?: ConditionSummary;
  resolvedRefs?: ConditionSummary;
  backends: RouteBackend[];
}

/** ELBv2 target health states. @public */
export type TargetHealthState =
  | 'healthy'
  | 'unhealthy'
  | 'initial'
  | 'draining'
  | 'unused'
  | 'unavailable'
  | 'unhealthy.draining';

/** @public */
export interface TargetStatus {
  id: string;
  port?: number;
  availabilityZone?: string;
  state: TargetHealthState | string;
  reason?: string;
  description?: string;
  /** The pod behind an IP target, from EndpointSlices. */
  pod?: { namespace: string; name: string; nodeName?: string };
}

/** @public */
export interface HealthCounts {
  healthy: number;
  unhealthy: number;
  initial: number;
  draining: number;
  unused: number;
  unavailable: number;
  total: number;
}

/** @public */
export interface TargetGroupSummary {
  arn: string;
  name: string;
  protocol?: string;
  port?: number;
  targetType?: string;
  consoleUrl: string;
  /** The Service the controller bound to this target group (TargetGroupBinding). */
  service?: { namespace: string; name: string; port?: number | string };
  /** Its weight in the NLB listener's forward action (a route's backendRef weight); the share is weight / sum of the listener's weights. */
  weight?: number;
  health: HealthCounts;
  targets: TargetStatus[];
  errors: StatusError[];
}

/** A Gateway listener, joined with its routes and the NLB listener that serves it. @public */
export interface ListenerSummary {
  name: string;
  port: number;
  protocol: string;
  attachedRoutes?: number;
  conditions: ConditionSummary[];
  routes: RouteSummary[];
  /** The NLB listener for this port; absent until a route with resolvable backends attaches. */
  loadBalancerListener?: { arn: string; port: number; protocol: string };
  targetGroups: TargetGroupSummary[];
}

/** @public */
export type GatewayWarningCode =
  | 'listener-without-route'
  | 'instance-target-clusterip'
  | 'open-to-world'
  | 'status-stale'
  | 'route-not-accepted'
  | 'unhealthy-targets'
  | 'no-targets'
  /** An accepted route whose port forwards to another (older) route's backends: TCP + UDP merged into TCP_UDP, or two routes on one listener. */
  | 'route-shadowed'
  /** TLS passthrough (a TCP NLB listener) in front of a TLS target group: real AWS refuses it (IncompatibleProtocols). */
  | 'tls-passthrough-tls-target-group';

/** A problem worth fixing, with how. @public */
export interface GatewayWarning {
  code: GatewayWarningCode;
  message: string;
  fix: string;
  listener?: string;
  /** The route the warning is about, when it is about one. */
  route?: { kind: RouteSummary['kind']; namespace: string; name: string };
}

/** @public */
export interface GatewayStatus {
  gateway: GatewayIdentity;
  gatewayClassName: string;
  state: GatewayState;
  /** One line saying why the state is what it is. */
  stateReason?: string;
  accepted?: ConditionSummary;
  programmed?: ConditionSummary;
  generation?: number;
  observedGeneration?: number;
  /** From Gateway `status.addresses`, else from the NLB. */
  dnsName?: string;
  loadBalancer?: LoadBalancerSummary;
  /**
   * LoadBalancerConfiguration `scheme` (the Gateway's own over its
   * GatewayClass's): what the controller will create, known before the NLB exists.
   */
  requestedScheme?: 'internet-facing' | 'internal' | string;
  /** LoadBalancerConfiguration `sourceRanges`; undefined means the controller's default (open to the world). */
  sourceRanges?: string[];
  listeners: ListenerSummary[];
  warnings: GatewayWarning[];
  errors: StatusError[];
  /**
   * The Kubernetes Events about the Gateway, its routes, TargetGroupBindings
   * and load balancer / target group configurations: the controller's own
   * words. Absent when the backend did not read them.
   */
  events?: GatewayEvents;
}

/**
 * Whether a gateway's events could be read:
 * - `read`: `items` are its events (possibly none)
 * - `not-readable`: the backend may not list events in this cluster (RBAC);
 *   the rest of the status is unaffected
 * - `failed`: the events could not be read this time (timeout, API error)
 *
 * @public
 */
export type GatewayEventsAvailability = 'read' | 'not-readable' | 'failed';

/** The events of one gateway, deduplicated, warnings first, newest first. @public */
export interface GatewayEvents {
  availability: GatewayEventsAvailability;
  /** The API that answered: `events.k8s.io/v1`, or core `v1` as the fallback. */
  api?: 'events.k8s.io/v1' | 'v1';
  items: GatewayEvent[];
  /** At least how many further events were left out (caps per object and per gateway). */
  omitted?: number;
}

/** The object an event is about (its `regarding` / `involvedObject`). @public */
export interface GatewayEventObject {
  kind: string;
  namespace?: string;
  name: string;
}

/**
 * One event, or several the same (same object, type, reason and message)
 * merged. Its texts come from whoever wrote the event: plain text, capped,
 * never markup.
 *
 * @public
 */
export interface GatewayEvent {
  type: 'Warning' | 'Normal';
  reason: string;
  message: string;
  object: GatewayEventObject;
  /** How many times it happened, over the merged events. */
  count: number;
  /** ISO 8601. */
  firstSeen?: string;
  /** ISO 8601. */
  lastSeen?: string;
  /** The component that wrote it, e.g. the controller's `gateway`. */
  reportingController?: string;
  /** How to fix it, when the reason and message are known ones. */
  fix?: string;
}

/** @public */
export interface EntityGatewaysResponse {
  entityRef: string;
  /** False when no Kubernetes cluster is configured: the card shows how to configure one. */
  configured: boolean;
  gateways: GatewayStatus[];
  /** Errors that kept gateways from being listed (a cluster unreachable, ...). */
  errors: StatusError[];
  /** When the data was read (the end of the read), ISO 8601. */
  fetchedAt: string;
  /**
   * Present when this is the last known status rather than a fresh read:
   * Kubernetes or AWS did not answer in time, could not be reached, or are
   * being given a rest after throttling. A fresh read goes on in the background.
   */
  stale?: StaleStatus;
  /** Present when `refresh=true` was not honoured (refresh limits): why. The answer is the cached one. */
  refreshDeclined?: string;
}

/** Why an answer is the last known one, and how old it is. @public */
export interface StaleStatus {
  /** Seconds since its data was read, when it was served. */
  ageSeconds: number;
  /** One sentence, free of secrets and internal addresses. */
  reason: string;
}

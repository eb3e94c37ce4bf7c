/**
 * The manifest model: what an endpoint request says, which controller versions
 * the rendered manifests can target, and how a rule violation is reported.
 * Shared by the scaffolder actions (which render and validate) and the status
 * backend (which reads the same labels back).
 */

/**
 * Identifies a supported AWS Load Balancer Controller / Gateway API pairing.
 * The id is what templates and configuration use.
 *
 * @public
 */
export type ControllerProfileId = 'lbc-v2.17' | 'lbc-v3.2' | 'lbc-v3.5';

/** L4 route kinds the NLB controller reconciles. @public */
export type L4RouteKind = 'TCPRoute' | 'UDPRoute' | 'TLSRoute';

/** Gateway listener protocols an NLB can serve. @public */
export type L4ListenerProtocol = 'TCP' | 'UDP' | 'TLS';

/** Every L4 route kind. @public */
export const L4_ROUTE_KINDS: readonly L4RouteKind[] = [
  'TCPRoute',
  'UDPRoute',
  'TLSRoute',
];

/** The route kind that attaches to a Gateway listener of each protocol. @public */
export const L4_ROUTE_KIND_FOR_PROTOCOL: Readonly<
  Record<L4ListenerProtocol, L4RouteKind>
> = {
  TCP: 'TCPRoute',
  UDP: 'UDPRoute',
  TLS: 'TLSRoute',
};

/**
 * What the cluster's controller version expects from a manifest.
 *
 * @public
 */
export interface ControllerProfile {
  id: ControllerProfileId;
  title: string;
  /** The Gateway API release the controller is built for. */
  gatewayApiVersion: string;
  /** apiVersion of each L4 route kind the controller watches. */
  routeApiVersions: Record<L4RouteKind, string>;
  /** apiVersion for LoadBalancerConfiguration / TargetGroupConfiguration. */
  lbcApiVersion: string;
  /** Whether TargetGroupConfiguration `spec.targetReference` is required by the CRD. */
  targetReferenceRequired: boolean;
  /** Whether the Helm chart must enable the `NLBGatewayAPI` feature gate explicitly. */
  nlbFeatureGateOffByDefault: boolean;
}

const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';
const LBC_GROUP = 'gateway.k8s.aws';

/**
 * The supported profiles, newest last. From the controller's release notes:
 * v2.17–v3.1 watch v1alpha2 L4 routes of the Gateway API v1.3 experimental
 * channel; v3.2–v3.4 moved TLSRoute to v1; v3.5 watches v1 L4 routes of the
 * v1.6 standard channel and stores its own CRDs as v1.
 *
 * @public
 */
export const CONTROLLER_PROFILES: Record<
  ControllerProfileId,
  ControllerProfile
> = {
  'lbc-v2.17': {
    id: 'lbc-v2.17',
    title:
      'AWS Load Balancer Controller v2.17 – v3.1 with Gateway API v1.3 (experimental channel)',
    gatewayApiVersion: 'v1.3.0',
    routeApiVersions: {
      TCPRoute: `${GATEWAY_API_GROUP}/v1alpha2`,
      UDPRoute: `${GATEWAY_API_GROUP}/v1alpha2`,
      TLSRoute: `${GATEWAY_API_GROUP}/v1alpha2`,
    },
    lbcApiVersion: `${LBC_GROUP}/v1beta1`,
    targetReferenceRequired: true,
    nlbFeatureGateOffByDefault: true,
  },
  'lbc-v3.2': {
    id: 'lbc-v3.2',
    title: 'AWS Load Balancer Controller v3.2 – v3.4 with Gateway API v1.5',
    gatewayApiVersion: 'v1.5.0',
    routeApiVersions: {
      TCPRoute: `${GATEWAY_API_GROUP}/v1alpha2`,
      UDPRoute: `${GATEWAY_API_GROUP}/v1alpha2`,
      TLSRoute: `${GATEWAY_API_GROUP}/v1`,
    },
    lbcApiVersion: `${LBC_GROUP}/v1beta1`,
    targetReferenceRequired: false,
    nlbFeatureGateOffByDefault: false,
  },
  'lbc-v3.5': {
    id: 'lbc-v3.5',
    title:
      'AWS Load Balancer Controller v3.5 with Gateway API v1.6 (standard channel)',
    gatewayApiVersion: 'v1.6.0',
    routeApiVersions: {
      TCPRoute: `${GATEWAY_API_GROUP}/v1`,
      UDPRoute: `${GATEWAY_API_GROUP}/v1`,
      TLSRoute: `${GATEWAY_API_GROUP}/v1`,
    },
    lbcApiVersion: `${LBC_GROUP}/v1`,
    targetReferenceRequired: false,
    nlbFeatureGateOffByDefault: false,
  },
};

/** @public */
export const CONTROLLER_PROFILE_IDS = Object.keys(
  CONTROLLER_PROFILES,
) as ControllerProfileId[];

/** @public */
export function isControllerProfileId(
  value: string,
): value is ControllerProfileId {
  return Object.prototype.hasOwnProperty.call(CONTROLLER_PROFILES, value);
}

/** apiVersion of Gateway and GatewayClass, the same in every profile. @public */
export const GATEWAY_API_VERSION = `${GATEWAY_API_GROUP}/v1`;

/** @public */
export const GATEWAY_API_GROUP_NAME = GATEWAY_API_GROUP;

/** @public */
export const LBC_API_GROUP_NAME = LBC_GROUP;

/** One Gateway listener of an endpoint. @public */
export interface EndpointListener {
  /** Listener name, a DNS label (also the route's sectionName). */
  name: string;
  protocol: L4ListenerProtocol;
  port: number;
  /**
   * TLS listeners only: the host name clients use, required by the Gateway API
   * on TLS listeners and TLSRoutes. The NLB forwards the TLS bytes untouched on
   * the port; it does not route by host name.
   */
  hostname?: string;
}

/** A backend Service of a route. @public */
export interface EndpointBackend {
  /** Service name, in the route's namespace. */
  service: string;
  port: number;
  /** Relative weight; omitted means the controller's default (1). Weight 0 gets no target group. */
  weight?: number;
}

/** A route attached to one listener. @public */
export interface EndpointRoute {
  name: string;
  /** The listener (by name) this route attaches to; its protocol decides the route kind. */
  listener: string;
  backends: EndpointBackend[];
}

/** Target group health check (TargetGroupConfiguration healthCheckConfig). @public */
export interface EndpointHealthCheck {
  /** HTTP, HTTPS or TCP, upper case as the CRD requires. */
  protocol?: string;
  /** Port number or `traffic-port`. */
  port?: string;
  path?: string;
  intervalSeconds?: number;
  timeoutSeconds?: number;
  healthyThreshold?: number;
  unhealthyThreshold?: number;
  /** HTTP codes, e.g. `200-399`. */
  matcher?: string;
}

/** @public */
export type LoadBalancerScheme = 'internal' | 'internet-facing';

/** @public */
export type TargetType = 'ip' | 'instance';

/**
 * Everything needed to render the manifests of one public (or internal) L4
 * endpoint: Gateway, routes, LoadBalancerConfiguration and
 * TargetGroupConfigurations.
 *
 * @public
 */
export interface EndpointSpec {
  /** Gateway name; also names the LoadBalancerConfiguration. */
  name: string;
  namespace: string;
  gatewayClassName: string;
  listeners: EndpointListener[];
  routes: EndpointRoute[];
  scheme: LoadBalancerScheme;
  /** CIDRs allowed to reach the NLB; empty means the controller's default (0.0.0.0/0 and ::/0). */
  sourceCidrs: string[];
  targetType: TargetType;
  healthCheck?: EndpointHealthCheck;
  /** AWS tags on the NLB and its target groups. */
  tags?: Record<string, string>;
  /** The catalog entity the endpoint belongs to (annotation on every manifest). */
  entityRef?: string;
  /** The entity's `backstage.io/kubernetes-id` (label on every manifest, so the status card finds them). */
  kubernetesId?: string;
  /** Explicit NLB name (≤32 characters); the controller derives one otherwise. */
  loadBalancerName?: string;
}

/**
 * A rule violation, with the input field or manifest path it concerns and a
 * stable rule id (tests and templates can match on it).
 *
 * @public
 */
export interface ManifestIssue {
  /** Input field (`listeners[0].hostname`) or `<Kind>/<name>: <path>` of a manifest. */
  field: string;
  rule: string;
  message: string;
}

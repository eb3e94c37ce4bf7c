/**
 * The endpoints the change and remove forms offer (`GET
 * /api/aws-gateway/form-options/endpoints?cluster=&namespace=&entityRef=`):
 * what the portal wrote for one component that is live in one namespace of a
 * cluster, read with the signed-in user's Kubernetes credentials.
 */

/** One listener of an endpoint, as the cluster has it. @public */
export interface FormEndpointListener {
  /** The listener's name (on a shared gateway: the route's `sectionName`; empty when the route names none). */
  name: string;
  port: number;
  /** TCP, UDP or TLS. */
  protocol: string;
  /** A TLS listener's host name. */
  hostname?: string;
}

/** The configured shared gateway a shared listener is on. @public */
export interface FormEndpointSharedGateway {
  /** `<cluster>/<namespace>/<name>`. */
  id: string;
  title?: string;
  /** Listener protocols the platform offers on it (TCP, UDP, TLS). */
  protocols: string[];
  /** With TLS: the host names a TLS listener may carry (exact, or `*.<domain>` for any name below it). */
  tlsHostnames?: string[];
}

/**
 * One live endpoint of a component: a Gateway of its own (`gateway`, named
 * by the Gateway) or its listener on a shared gateway (`shared-listener`,
 * named by its route). `name` is what the change and remove templates take
 * as `gatewayName`.
 *
 * @public
 */
export interface FormEndpoint {
  name: string;
  kind: 'gateway' | 'shared-listener';
  listeners: FormEndpointListener[];
  /** Only for `shared-listener`. */
  sharedGateway?: FormEndpointSharedGateway;
}

/** @public */
export interface FormEndpointsResponse {
  endpoints: FormEndpoint[];
  /** What could not be read or was left out (e.g. only the first objects were read), in words for the developer. */
  problem?: string;
}

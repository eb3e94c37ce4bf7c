/**
 * The Kubernetes resources the suite reads, by group, plural and the
 * versions to try (newest first), and the labels the controller writes.
 * Route and controller CRD versions come from the controller profiles, so a
 * new profile brings its versions here too.
 */
import {
  CONTROLLER_PROFILES,
  GATEWAY_API_GROUP_NAME,
  L4_ROUTE_KINDS,
  L4RouteKind,
  LBC_API_GROUP_NAME,
} from '@gateway-portal/plugin-aws-gateway-common';

/** A resource with the versions to try, newest first. @public */
export interface ResourceSpec {
  /** API group; '' is the core group. */
  group: string;
  versions: string[];
  plural: string;
  kind: string;
}

/** API group of the controller's TargetGroupBinding. @public */
export const ELBV2_K8S_API_GROUP_NAME = 'elbv2.k8s.aws';

/** The versions of `group/version` strings, newest profile first, without repeats. */
function profileVersions(
  apiVersionOf: (
    profile: (typeof CONTROLLER_PROFILES)[keyof typeof CONTROLLER_PROFILES],
  ) => string,
): string[] {
  const versions = Object.values(CONTROLLER_PROFILES)
    .reverse()
    .map(p => apiVersionOf(p).split('/')[1]);
  return [...new Set(versions)];
}

/** @public */
export const GATEWAYS: ResourceSpec = {
  group: GATEWAY_API_GROUP_NAME,
  versions: ['v1'],
  plural: 'gateways',
  kind: 'Gateway',
};

/** @public */
export const GATEWAY_CLASSES: ResourceSpec = {
  group: GATEWAY_API_GROUP_NAME,
  versions: ['v1'],
  plural: 'gatewayclasses',
  kind: 'GatewayClass',
};

/**
 * L4 routes: Gateway API v1.6 serves them as v1 (standard channel), v1.3–v1.5
 * as v1alpha2 (experimental channel). When both are served v1 is read.
 *
 * @public
 */
export const L4_ROUTES: Readonly<Record<L4RouteKind, ResourceSpec>> =
  Object.fromEntries(
    L4_ROUTE_KINDS.map(kind => [
      kind,
      {
        group: GATEWAY_API_GROUP_NAME,
        versions: profileVersions(p => p.routeApiVersions[kind]),
        plural: `${kind.toLowerCase()}s`,
        kind,
      },
    ]),
  ) as Record<L4RouteKind, ResourceSpec>;

/** @public */
export const TARGET_GROUP_BINDINGS: ResourceSpec = {
  group: ELBV2_K8S_API_GROUP_NAME,
  versions: ['v1beta1'],
  plural: 'targetgroupbindings',
  kind: 'TargetGroupBinding',
};

/** LBC v3.5 stores v1 (v1beta1 still served); LBC v2.17–v3.4 serve v1beta1. @public */
export const LOAD_BALANCER_CONFIGURATIONS: ResourceSpec = {
  group: LBC_API_GROUP_NAME,
  versions: profileVersions(p => p.lbcApiVersion),
  plural: 'loadbalancerconfigurations',
  kind: 'LoadBalancerConfiguration',
};

/** @public */
export const TARGET_GROUP_CONFIGURATIONS: ResourceSpec = {
  group: LBC_API_GROUP_NAME,
  versions: profileVersions(p => p.lbcApiVersion),
  plural: 'targetgroupconfigurations',
  kind: 'TargetGroupConfiguration',
};

/** @public */
export const ENDPOINT_SLICES: ResourceSpec = {
  group: 'discovery.k8s.io',
  versions: ['v1'],
  plural: 'endpointslices',
  kind: 'EndpointSlice',
};

/** @public */
export const SERVICES: ResourceSpec = {
  group: '',
  versions: ['v1'],
  plural: 'services',
  kind: 'Service',
};

/** Labels the controller puts on the TargetGroupBindings it creates. @public */
export const TGB_STACK_NAMESPACE_LABEL = 'gateway.k8s.aws.nlb/stack-namespace';
/** @public */
export const TGB_STACK_NAME_LABEL = 'gateway.k8s.aws.nlb/stack-name';
/** The label EndpointSlices carry with their Service's name. @public */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

import { L4RouteKind } from './types';

/** A resource with the versions to try, newest first. */
export interface ResourceSpec {
  group: string;
  versions: string[];
  plural: string;
  kind: string;
}

const GATEWAY_API = 'gateway.networking.k8s.io';
const LBC_GATEWAY = 'gateway.k8s.aws';

export const GATEWAYS: ResourceSpec = {
  group: GATEWAY_API,
  versions: ['v1'],
  plural: 'gateways',
  kind: 'Gateway',
};

export const GATEWAY_CLASSES: ResourceSpec = {
  group: GATEWAY_API,
  versions: ['v1'],
  plural: 'gatewayclasses',
  kind: 'GatewayClass',
};

/**
 * L4 routes: Gateway API v1.6 serves them as v1 (standard channel), v1.3–v1.5
 * as v1alpha2 (experimental channel). When both are served v1 is read.
 */
export const ROUTES: Record<L4RouteKind, ResourceSpec> = {
  TCPRoute: {
    group: GATEWAY_API,
    versions: ['v1', 'v1alpha2'],
    plural: 'tcproutes',
    kind: 'TCPRoute',
  },
  UDPRoute: {
    group: GATEWAY_API,
    versions: ['v1', 'v1alpha2'],
    plural: 'udproutes',
    kind: 'UDPRoute',
  },
  TLSRoute: {
    group: GATEWAY_API,
    versions: ['v1', 'v1alpha2'],
    plural: 'tlsroutes',
    kind: 'TLSRoute',
  },
};

export const TARGET_GROUP_BINDINGS: ResourceSpec = {
  group: 'elbv2.k8s.aws',
  versions: ['v1beta1'],
  plural: 'targetgroupbindings',
  kind: 'TargetGroupBinding',
};

/** LBC v3.5 stores v1 (v1beta1 still served); LBC v2.17–v3.4 serve v1beta1. */
export const LOAD_BALANCER_CONFIGURATIONS: ResourceSpec = {
  group: LBC_GATEWAY,
  versions: ['v1', 'v1beta1'],
  plural: 'loadbalancerconfigurations',
  kind: 'LoadBalancerConfiguration',
};

export const TARGET_GROUP_CONFIGURATIONS: ResourceSpec = {
  group: LBC_GATEWAY,
  versions: ['v1', 'v1beta1'],
  plural: 'targetgroupconfigurations',
  kind: 'TargetGroupConfiguration',
};

export const ENDPOINT_SLICES: ResourceSpec = {
  group: 'discovery.k8s.io',
  versions: ['v1'],
  plural: 'endpointslices',
  kind: 'EndpointSlice',
};

export const SERVICES: ResourceSpec = {
  group: '',
  versions: ['v1'],
  plural: 'services',
  kind: 'Service',
};

/** Labels the controller puts on the TargetGroupBindings it creates. */
export const TGB_STACK_NAMESPACE_LABEL = 'gateway.k8s.aws.nlb/stack-namespace';
export const TGB_STACK_NAME_LABEL = 'gateway.k8s.aws.nlb/stack-name';
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

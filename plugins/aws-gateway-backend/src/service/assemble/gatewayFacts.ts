/**
 * What was read about one Gateway: the input of the status assembly and of
 * the warnings. Types only, so both can depend on it.
 */
import {
  Listener,
  TargetGroup,
  TargetHealthDescription,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  LoadBalancerSummary,
  StatusError,
} from '@gateway-portal/plugin-aws-gateway-common';
import { EndpointPod } from '../../kubernetes/topology';
import {
  Gateway,
  GatewayClass,
  L4Route,
  Service,
  TargetGroupBinding,
  TargetGroupConfiguration,
} from '../../kubernetes/types';

export interface TargetGroupFacts {
  arn: string;
  targetGroup?: TargetGroup;
  health?: TargetHealthDescription[];
  errors: StatusError[];
}

/** Everything read about one Gateway. */
export interface GatewayFacts {
  cluster: string;
  gateway: Gateway;
  gatewayClass?: GatewayClass;
  /** Routes with a parentRef to the Gateway. */
  routes: L4Route[];
  /** The Gateway's TargetGroupBindings. */
  bindings: TargetGroupBinding[];
  loadBalancerSettings: { scheme?: string; sourceRanges?: string[] };
  targetGroupConfigurations: TargetGroupConfiguration[];
  services: Service[];
  podsByAddress: Map<string, EndpointPod>;
  loadBalancer?: LoadBalancerSummary;
  loadBalancerListeners: Listener[];
  targetGroups: Map<string, TargetGroupFacts>;
  errors: StatusError[];
}

import { FormPortRange } from './formOptions';

/**
 * The shared Gateways the expose form offers (`GET
 * /api/aws-gateway/form-options/shared-gateways`): the platform's list from
 * `awsGateway.provisioning.sharedGateways`, with the ports still free on each
 * live Gateway.
 */

/** One shared Gateway a developer may add a listener to. @public */
export interface FormSharedGateway {
  /** `<cluster>/<namespace>/<name>`: the value the form sends. */
  id: string;
  cluster: string;
  namespace: string;
  name: string;
  title?: string;
  /** Listener protocols offered (TCP, UDP). */
  protocols: string[];
  /** The configured ports no live listener holds; empty when none is left or the Gateway could not be read. */
  freePorts: FormPortRange[];
  /** Configured ports a live listener already holds. */
  takenPorts: number[];
  /** Which namespaces' routes a new listener admits, in words. */
  admits: string;
  /** Why its ports cannot be shown (not on the cluster, no answer in time), in words for the developer. */
  problem?: string;
}

/** @public */
export interface FormSharedGatewaysResponse {
  sharedGateways: FormSharedGateway[];
}

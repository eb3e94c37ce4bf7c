import { FormPortRange } from './formOptions';

/**
 * The shared Gateways the expose form offers (`GET
 * /api/aws-gateway/form-options/shared-gateways`): the platform's list from
 * `awsGateway.provisioning.sharedGateways`, with the ports still free on each
 * — not held by the live Gateway, its manifest, or a pull request of the
 * portal still under review.
 */

/** One shared Gateway a developer may add a listener to. @public */
export interface FormSharedGateway {
  /** `<cluster>/<namespace>/<name>`: the value the form sends. */
  id: string;
  cluster: string;
  namespace: string;
  name: string;
  title?: string;
  /** Listener protocols offered (TCP, UDP, TLS). */
  protocols: string[];
  /** With TLS: the host names a TLS listener may carry (exact, or `*.<domain>` for any name below it). */
  tlsHostnames?: string[];
  /** The configured ports no live listener holds; empty when none is left or the Gateway could not be read. */
  freePorts: FormPortRange[];
  /** Configured ports a live listener or the manifest on the Gateway's branch already holds. */
  takenPorts: number[];
  /** Ports the portal's open review pull requests claim (not among `freePorts`). */
  pendingPorts: FormPendingPort[];
  /** Why pending (or merged) ports may be missing from what is shown, in words; undefined when all were read. */
  pendingNote?: string;
  /** Which namespaces' routes a new listener admits, in words. */
  admits: string;
  /** Why its ports cannot be shown (not on the cluster, no answer in time), in words for the developer. */
  problem?: string;
}

/** A port an open pull request of the portal claims on a shared Gateway. @public */
export interface FormPendingPort {
  port: number;
  listenerName: string;
  pullRequestNumber: number;
  /** The pull request's browser URL. */
  pullRequestUrl: string;
}

/** @public */
export interface FormSharedGatewaysResponse {
  sharedGateways: FormSharedGateway[];
}

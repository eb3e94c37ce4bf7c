/**
 * The catalog Resource this suite publishes for each NLB Gateway: its
 * `spec.type` and the annotations the catalog module writes and the
 * "Exposed endpoints" page reads.
 */

/** `spec.type` of the Resource published for each NLB Gateway. @public */
export const GATEWAY_RESOURCE_TYPE = 'aws-nlb-endpoint';

/**
 * Annotations of a Gateway Resource. Values are single strings; lists are
 * comma-separated (`listeners`: `TCP:8080,UDP:53`; `source-ranges`: CIDRs).
 *
 * @public
 */
export const GATEWAY_RESOURCE_ANNOTATIONS = {
  cluster: 'aws-gateway.io/cluster',
  namespace: 'aws-gateway.io/gateway-namespace',
  name: 'aws-gateway.io/gateway-name',
  /** The NLB's DNS name from the Gateway's `status.addresses`. */
  dnsName: 'aws-gateway.io/dns-name',
  /** `internet-facing` or `internal` (the controller's default). */
  scheme: 'aws-gateway.io/scheme',
  listeners: 'aws-gateway.io/listeners',
  /** Absent: the controller's default, open to the world. */
  sourceRanges: 'aws-gateway.io/source-ranges',
  /** `true` when internet-facing with no source range or ranges covering a whole address family. */
  openToWorld: 'aws-gateway.io/open-to-world',
  /** The Gateway's state from its conditions (a GatewayState). */
  state: 'aws-gateway.io/state',
  /** The AWS console page of the NLB, when its ARN is trusted. */
  consoleUrl: 'aws-gateway.io/console-url',
  /** Why the Resource has no owner of its own (the component was not linked). */
  ownerFallback: 'aws-gateway.io/owner-fallback',
} as const;

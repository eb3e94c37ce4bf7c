/**
 * The catalog Resource of one Gateway: a deterministic name within the
 * catalog's rules, what the "Exposed endpoints" page shows, and the relation
 * to the component it exposes.
 */
import { createHash } from 'node:crypto';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
} from '@backstage/catalog-model';
import {
  GATEWAY_RESOURCE_ANNOTATIONS as A,
  GATEWAY_RESOURCE_TYPE,
} from '@gateway-portal/plugin-aws-gateway-common';
import { elbv2ConsoleUrl } from '@gateway-portal/plugin-aws-gateway-node';
import { GatewayFacts } from './gatewayFacts';
import { GatewayOwnership } from './gatewayOwners';

/** The catalog's limit for `metadata.name`. */
const NAME_MAX_LENGTH = 63;
const HASH_LENGTH = 10;

/**
 * `<cluster>-<namespace>-<name>` made of the catalog's allowed characters and
 * cut to fit, then a hash of the three exact values: the same Gateway always
 * gets the same name, and two Gateways whose readable parts collide (cut, or
 * spelled differently only in characters the catalog refuses) do not.
 *
 * @public
 */
export function gatewayResourceName(
  cluster: string,
  namespace: string,
  name: string,
): string {
  const hash = createHash('sha256')
    .update(JSON.stringify([cluster, namespace, name]))
    .digest('hex')
    .slice(0, HASH_LENGTH);
  const readable = `${cluster}-${namespace}-${name}`
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, NAME_MAX_LENGTH - HASH_LENGTH - 1)
    .replace(/^-+|-+$/g, '');
  return readable ? `${readable}-${hash}` : hash;
}

function describe(gw: GatewayFacts): string {
  const ports = gw.listeners.map(l => `${l.protocol} ${l.port}`).join(', ');
  return `${
    gw.scheme === 'internet-facing' ? 'Internet-facing' : 'Internal'
  } Network Load Balancer of Gateway ${gw.namespace}/${gw.name} in cluster ${
    gw.cluster
  }${ports ? ` (${ports})` : ''}.`;
}

/** The Resource for a Gateway; `location` is the provider's location key. */
export function gatewayResourceEntity(
  gw: GatewayFacts,
  ownership: GatewayOwnership,
  location: string,
): Entity {
  const consoleUrl = gw.loadBalancerArn
    ? elbv2ConsoleUrl(gw.loadBalancerArn, 'loadBalancer')
    : undefined;
  const annotations: Record<string, string> = {
    [ANNOTATION_LOCATION]: location,
    [ANNOTATION_ORIGIN_LOCATION]: location,
    [A.cluster]: gw.cluster,
    [A.namespace]: gw.namespace,
    [A.name]: gw.name,
    [A.scheme]: gw.scheme,
    [A.listeners]: gw.listeners.map(l => `${l.protocol}:${l.port}`).join(','),
    [A.state]: gw.state,
    [A.openToWorld]: String(gw.openToWorld),
    ...(gw.dnsName ? { [A.dnsName]: gw.dnsName } : {}),
    ...(gw.sourceRanges ? { [A.sourceRanges]: gw.sourceRanges.join(',') } : {}),
    ...(consoleUrl ? { [A.consoleUrl]: consoleUrl } : {}),
    ...(ownership.linked ? {} : { [A.ownerFallback]: ownership.reason }),
  };
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: gatewayResourceName(gw.cluster, gw.namespace, gw.name),
      namespace: 'default',
      title: `${gw.namespace}/${gw.name} (${gw.cluster})`,
      description: describe(gw),
      annotations,
      ...(consoleUrl
        ? { links: [{ url: consoleUrl, title: 'AWS console' }] }
        : {}),
    },
    spec: {
      type: GATEWAY_RESOURCE_TYPE,
      owner: ownership.owner,
      ...(ownership.linked
        ? {
            dependencyOf: [ownership.componentRef],
            ...(ownership.system ? { system: ownership.system } : {}),
          }
        : {}),
    },
  };
}

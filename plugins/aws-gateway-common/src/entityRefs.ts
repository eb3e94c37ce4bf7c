import { Entity } from '@backstage/catalog-model';
import {
  AWS_GATEWAY_ANNOTATION,
  KUBERNETES_ID_ANNOTATION,
} from './annotations';

/** A Gateway named by an entity annotation. @public */
export interface GatewayReference {
  /** Cluster name from the Kubernetes plugin's configuration; all clusters when absent. */
  cluster?: string;
  namespace: string;
  name: string;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Parses the {@link AWS_GATEWAY_ANNOTATION} value. Throws a TypeError naming
 * the offending entry.
 *
 * @public
 */
export function parseGatewayReferences(value: string): GatewayReference[] {
  return value
    .split(/[,\n]/)
    .map(part => part.trim())
    .filter(Boolean)
    .map(part => {
      const segments = part.split('/');
      if (segments.length < 2 || segments.length > 3) {
        throw new TypeError(
          `${AWS_GATEWAY_ANNOTATION}: "${part}" must be [cluster/]namespace/name`,
        );
      }
      const [namespace, name] = segments.slice(-2);
      for (const [field, v] of [
        ['namespace', namespace],
        ['name', name],
      ]) {
        if (!DNS_LABEL.test(v) || v.length > 253) {
          throw new TypeError(
            `${AWS_GATEWAY_ANNOTATION}: ${field} "${v}" in "${part}" must be a lower-case DNS name`,
          );
        }
      }
      return segments.length === 3
        ? { cluster: segments[0], namespace, name }
        : { namespace, name };
    });
}

/**
 * Whether the gateway status card applies to an entity: it names its Gateways
 * explicitly or carries the Kubernetes plugin's id.
 *
 * @public
 */
export function isAwsGatewayAvailable(entity: Entity): boolean {
  const annotations = entity.metadata.annotations ?? {};
  return Boolean(
    annotations[AWS_GATEWAY_ANNOTATION] || annotations[KUBERNETES_ID_ANNOTATION],
  );
}

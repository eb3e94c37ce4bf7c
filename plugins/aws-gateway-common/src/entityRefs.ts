import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  AWS_GATEWAY_ANNOTATION,
  KUBERNETES_ID_ANNOTATION,
} from './annotations';
import { isDnsLabel, isDnsSubdomain } from './kubernetesNames';

/** A Gateway named by an entity annotation. @public */
export interface GatewayReference {
  /** Cluster name from the Kubernetes plugin's configuration; all clusters when absent. */
  cluster?: string;
  namespace: string;
  name: string;
}

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
      if (!isDnsLabel(namespace)) {
        throw new TypeError(
          `${AWS_GATEWAY_ANNOTATION}: namespace "${namespace}" in "${part}" must be a lower-case DNS label`,
        );
      }
      if (!isDnsSubdomain(name)) {
        throw new TypeError(
          `${AWS_GATEWAY_ANNOTATION}: name "${name}" in "${part}" must be a lower-case DNS name`,
        );
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
    annotations[AWS_GATEWAY_ANNOTATION] ||
      annotations[KUBERNETES_ID_ANNOTATION],
  );
}

/**
 * An entity ref parsed as the catalog does and lower-cased: entity refs
 * compare case-insensitively. Not trimmed: an owner written with spaces is
 * not the group without them. Throws the catalog's error when `ref` is not
 * an entity ref.
 *
 * @public
 */
export function normaliseEntityRef(
  ref: string,
  defaults: { defaultKind: string; defaultNamespace: string },
): string {
  return stringifyEntityRef(parseEntityRef(ref, defaults)).toLocaleLowerCase(
    'en-US',
  );
}

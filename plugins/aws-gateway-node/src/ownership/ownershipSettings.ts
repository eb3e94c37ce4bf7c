import { Config } from '@backstage/config';
import {
  isDnsLabel,
  normaliseEntityRef,
} from '@gateway-portal/plugin-aws-gateway-common';

/**
 * Parses an owner or team ref as the catalog does for `spec.owner` (kind
 * group, namespace default when omitted) and lower-cases it: entity refs
 * compare case-insensitively. Throws an Error naming `field`.
 *
 * @public
 */
export function normaliseOwnerRef(ref: string, field: string): string {
  try {
    return normaliseEntityRef(ref.trim(), {
      defaultKind: 'group',
      defaultNamespace: 'default',
    });
  } catch (e) {
    throw new Error(
      `${field}: "${ref}" is not an entity ref (${(e as Error).message})`,
    );
  }
}

/**
 * `awsGateway.permissions.platformTeams`, normalised; undefined when unset
 * (the development profile: nothing is restricted). Throws on a malformed
 * entry so a broken guardrail fails the backend at startup.
 *
 * @public
 */
export function readPlatformTeams(config: Config): string[] | undefined {
  const key = 'awsGateway.permissions.platformTeams';
  return config
    .getOptionalStringArray(key)
    ?.map((ref, i) => normaliseOwnerRef(ref, `${key}[${i}]`));
}

/**
 * A namespace configuration gives to some owners.
 *
 * @public
 */
export interface NamespaceGrant {
  /** Every cluster when absent. */
  cluster?: string;
  namespace: string;
  /** Normalised owner refs. */
  owners: string[];
}

/**
 * `awsGateway.status.namespaceOwners` (documented with the status backend's
 * configuration), for the status backend's and the scaffolder's ownership
 * rules. Owners are normalised; a namespace that is no DNS label or an owner
 * that is no entity ref fails at startup.
 *
 * @public
 */
export function readNamespaceGrants(config: Config): NamespaceGrant[] {
  const key = 'awsGateway.status.namespaceOwners';
  return (config.getOptionalConfigArray(key) ?? []).map((entry, i) => {
    const cluster = entry.getOptionalString('cluster');
    const namespace = entry.getString('namespace');
    if (!isDnsLabel(namespace)) {
      throw new Error(
        `${key}[${i}].namespace "${namespace}" is not a namespace name`,
      );
    }
    return {
      ...(cluster ? { cluster } : {}),
      namespace,
      owners: entry
        .getStringArray('owners')
        .map((owner, j) =>
          normaliseOwnerRef(owner, `${key}[${i}].owners[${j}]`),
        ),
    };
  });
}

/**
 * The owners a namespace is given to on a cluster, or undefined when no grant
 * names it. Without a cluster (manifests applied wherever GitOps sends them)
 * grants for every cluster count.
 *
 * @public
 */
export function namespaceGrantees(
  grants: readonly NamespaceGrant[],
  namespace: string,
  cluster?: string,
): string[] | undefined {
  const matching = grants.filter(
    g =>
      g.namespace === namespace &&
      (!g.cluster || !cluster || g.cluster === cluster),
  );
  return matching.length
    ? [...new Set(matching.flatMap(g => g.owners))]
    : undefined;
}

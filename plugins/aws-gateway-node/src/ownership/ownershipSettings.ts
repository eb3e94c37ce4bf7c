import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';

/**
 * Parses an owner or team ref as the catalog does for `spec.owner` (kind
 * group, namespace default when omitted) and lower-cases it: entity refs
 * compare case-insensitively. Throws an Error naming `field`.
 *
 * @public
 */
export function normaliseOwnerRef(ref: string, field: string): string {
  try {
    const parsed = parseEntityRef(ref.trim(), {
      defaultKind: 'group',
      defaultNamespace: 'default',
    });
    return stringifyEntityRef(parsed).toLocaleLowerCase('en-US');
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
 * configuration), for the scaffolder's ownership rule. Owners are normalised.
 *
 * @public
 */
export function readNamespaceGrants(config: Config): NamespaceGrant[] {
  const key = 'awsGateway.status.namespaceOwners';
  return (config.getOptionalConfigArray(key) ?? []).map((entry, i) => {
    const cluster = entry.getOptionalString('cluster');
    return {
      ...(cluster ? { cluster } : {}),
      namespace: entry.getString('namespace'),
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

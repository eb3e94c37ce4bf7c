/**
 * Which component a Gateway exposes, and so who owns its Resource: the
 * component it names (`aws-gateway.io/entity-ref`) or, without a name, the
 * one component whose `backstage.io/kubernetes-id` is its label, provided the
 * status backend's link rule (`isGatewayLinked`) holds for it. Anything else
 * gets the configured default owner and no relation to any component.
 */
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { KUBERNETES_ID_ANNOTATION } from '@gateway-portal/plugin-aws-gateway-common';
import {
  claimedEntityRef,
  gatewayViewerOf,
  isGatewayLinked,
  NamespaceGrant,
} from '@gateway-portal/plugin-aws-gateway-node';
import { GatewayFacts } from './gatewayFacts';

/** Why a Resource has the default owner. */
export type OwnerFallbackReason =
  /** The Gateway names no component and carries no usable label. */
  | 'unclaimed'
  /** The component it names (or labels) is not in the catalog. */
  | 'component-not-found'
  /** Several components carry its label. */
  | 'ambiguous-label'
  /** The rule of awsGateway.status.namespaceOwners does not let it claim the component. */
  | 'not-linked';

export type GatewayOwnership =
  | {
      linked: true;
      /** Normalised entity ref of the component. */
      componentRef: string;
      owner: string;
      system?: string;
    }
  | { linked: false; owner: string; reason: OwnerFallbackReason };

/** The catalog reads the resolution needs, done once per run for all Gateways. */
export interface ComponentLookup {
  /** Entities by normalised ref; absent ones are missing. */
  byRef(refs: string[]): Promise<Map<string, Entity>>;
  /** Components by their `backstage.io/kubernetes-id` annotation. */
  byKubernetesId(ids: string[]): Promise<Map<string, Entity[]>>;
}

function normalisedRef(entity: Entity): string {
  return stringifyEntityRef(entity).toLocaleLowerCase('en-US');
}

/** `spec.system` as a full ref (kind system, the entity's namespace). */
function systemOf(entity: Entity): string | undefined {
  const system = entity.spec?.system;
  if (typeof system !== 'string' || !system) return undefined;
  try {
    return stringifyEntityRef(
      parseEntityRef(system, {
        defaultKind: 'system',
        defaultNamespace: entity.metadata.namespace ?? 'default',
      }),
    ).toLocaleLowerCase('en-US');
  } catch {
    return undefined;
  }
}

/**
 * The ownership of each Gateway (same order), with two catalog reads for the
 * lot: the named components, and the components of the labels of Gateways
 * that name none.
 */
export async function resolveGatewayOwners(
  gateways: GatewayFacts[],
  lookup: ComponentLookup,
  options: { defaultOwner: string; namespaceOwners: readonly NamespaceGrant[] },
): Promise<GatewayOwnership[]> {
  const claims = gateways.map(gw => claimedEntityRef({ metadata: gw }));
  const labelIds = gateways
    .filter((gw, i) => !claims[i] && gw.kubernetesId)
    .map(gw => gw.kubernetesId!);
  const [named, labelled] = await Promise.all([
    lookup.byRef([...new Set(claims.filter((c): c is string => !!c))]),
    lookup.byKubernetesId([...new Set(labelIds)]),
  ]);
  const fallback = (reason: OwnerFallbackReason): GatewayOwnership => ({
    linked: false,
    owner: options.defaultOwner,
    reason,
  });
  return gateways.map((gw, i) => {
    const claim = claims[i];
    let component: Entity | undefined;
    if (claim) {
      component = named.get(claim);
    } else if (gw.kubernetesId) {
      const candidates = labelled.get(gw.kubernetesId) ?? [];
      if (candidates.length > 1) return fallback('ambiguous-label');
      component = candidates[0];
    } else {
      return fallback('unclaimed');
    }
    if (!component) return fallback('component-not-found');
    const componentRef = normalisedRef(component);
    const viewer = gatewayViewerOf(component, componentRef);
    if (
      !isGatewayLinked(
        { metadata: gw },
        gw.cluster,
        viewer,
        options.namespaceOwners,
      )
    ) {
      return fallback('not-linked');
    }
    const system = systemOf(component);
    return {
      linked: true,
      componentRef,
      owner: viewer.owner ?? options.defaultOwner,
      ...(system ? { system } : {}),
    };
  });
}

/** Matches components to kubernetes-id values the way the catalog filter does. */
export function groupByKubernetesId(entities: Entity[]): Map<string, Entity[]> {
  const groups = new Map<string, Entity[]>();
  for (const entity of entities) {
    const id = entity.metadata.annotations?.[KUBERNETES_ID_ANNOTATION];
    if (!id) continue;
    groups.set(id, [...(groups.get(id) ?? []), entity]);
  }
  return groups;
}

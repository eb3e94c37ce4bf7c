import { Entity } from '@backstage/catalog-model';
import {
  ENTITY_REF_ANNOTATION,
  normaliseEntityRef,
} from '@gateway-portal/plugin-aws-gateway-common';
import { NamespaceGrant, namespaceGrantees } from './ownershipSettings';

/**
 * Who a Gateway may be linked to: an entity (normalised ref) and its owner.
 *
 * @public
 */
export interface GatewayViewer {
  entityRef: string;
  owner?: string;
}

/**
 * The viewer for an entity: its ref lower-cased and its `spec.owner` parsed
 * as the catalog does (kind group, the entity's namespace).
 *
 * @public
 */
export function gatewayViewerOf(
  entity: Entity,
  entityRef: string,
): GatewayViewer {
  const owner = entity.spec?.owner;
  let normalisedOwner: string | undefined;
  if (typeof owner === 'string' && owner) {
    try {
      normalisedOwner = normaliseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: entity.metadata.namespace ?? 'default',
      });
    } catch {
      // An owner that is not a ref owns no namespace.
    }
  }
  return {
    entityRef: entityRef.toLocaleLowerCase('en-US'),
    ...(normalisedOwner ? { owner: normalisedOwner } : {}),
  };
}

/**
 * The entity a Gateway claims in its `aws-gateway.io/entity-ref` annotation
 * (kind component, namespace default when omitted), normalised; undefined
 * when absent or not an entity ref.
 *
 * @public
 */
export function claimedEntityRef(gateway: {
  metadata: { annotations?: Record<string, string> };
}): string | undefined {
  const claimed = gateway.metadata.annotations?.[ENTITY_REF_ANNOTATION];
  if (typeof claimed !== 'string' || !claimed.trim()) return undefined;
  try {
    return normaliseEntityRef(claimed.trim(), {
      defaultKind: 'component',
      defaultNamespace: 'default',
    });
  } catch {
    // Not a ref: it names no entity.
    return undefined;
  }
}

/**
 * Whether a Gateway is linked to an entity (its status shown on the entity's
 * card, its catalog Resource owned like the entity). Naming a Gateway (or
 * sharing its label) is not enough, since anyone can register an entity: the
 * Gateway itself must name the entity in its `aws-gateway.io/entity-ref`
 * annotation (the templates write it), or live in a namespace that
 * configuration gives to the entity's owner (awsGateway.status.namespaceOwners).
 * The annotation is written by whoever can write the namespace, so in a
 * namespace that configuration gives to owners it links only the entities of
 * those owners: a team cannot put its Gateway (and its DNS name) on another
 * team's page.
 *
 * @public
 */
export function isGatewayLinked(
  gateway: {
    metadata: { namespace?: string; annotations?: Record<string, string> };
  },
  cluster: string,
  viewer: GatewayViewer,
  namespaceOwners: readonly NamespaceGrant[],
): boolean {
  const namespaceGivenTo = namespaceGrantees(
    namespaceOwners,
    gateway.metadata.namespace ?? '',
    cluster,
  );
  if (namespaceGivenTo) {
    return (
      viewer.owner !== undefined && namespaceGivenTo.includes(viewer.owner)
    );
  }
  return claimedEntityRef(gateway) === viewer.entityRef;
}

import { Entity } from '@backstage/catalog-model';
import {
  AWS_GATEWAY_ANNOTATION,
  ENTITY_REF_ANNOTATION,
  GatewayReference,
  isDnsLabel,
  isLabelValue,
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_ID_LABEL,
  KUBERNETES_NAMESPACE_ANNOTATION,
  normaliseEntityRef,
  parseGatewayReferences,
  StatusError,
} from '@gateway-portal/plugin-aws-gateway-common';
import {
  NamespaceGrant,
  namespaceGrantees,
} from '@gateway-portal/plugin-aws-gateway-node';
import { ObjectMeta } from '../kubernetes/types';

/** Which Gateways belong to an entity. */
export type GatewaySelector =
  /** Named by the `aws-gateway.io/gateways` annotation. */
  | { type: 'references'; references: GatewayReference[] }
  /** Labelled `backstage.io/kubernetes-id=<id>`, in one namespace or all. */
  | { type: 'label'; labelSelector: string; namespace?: string }
  | { type: 'none' }
  | { type: 'invalid'; message: string };

/**
 * The annotation wins; else the Kubernetes plugin's id annotation selects
 * Gateways by label in the `backstage.io/kubernetes-namespace` namespace, or
 * in every namespace.
 */
export function gatewaySelectorFor(entity: Entity): GatewaySelector {
  const annotations = entity.metadata.annotations ?? {};
  const explicit = annotations[AWS_GATEWAY_ANNOTATION];
  if (explicit?.trim()) {
    try {
      return {
        type: 'references',
        references: parseGatewayReferences(explicit),
      };
    } catch (e) {
      return { type: 'invalid', message: (e as Error).message };
    }
  }
  const id = annotations[KUBERNETES_ID_ANNOTATION]?.trim();
  if (!id) return { type: 'none' };
  if (!isLabelValue(id)) {
    return {
      type: 'invalid',
      message: `${KUBERNETES_ID_ANNOTATION}: "${id}" is not a valid Kubernetes label value`,
    };
  }
  const namespace = annotations[KUBERNETES_NAMESPACE_ANNOTATION]?.trim();
  if (namespace && !isDnsLabel(namespace)) {
    return {
      type: 'invalid',
      message: `${KUBERNETES_NAMESPACE_ANNOTATION}: "${namespace}" is not a valid namespace name`,
    };
  }
  return {
    type: 'label',
    labelSelector: `${KUBERNETES_ID_LABEL}=${id}`,
    ...(namespace ? { namespace } : {}),
  };
}

/** The annotations and owner a response depends on, for the cache key. */
export function selectorFingerprint(entity: Entity): string {
  const a = entity.metadata.annotations ?? {};
  return JSON.stringify([
    a[AWS_GATEWAY_ANNOTATION] ?? '',
    a[KUBERNETES_ID_ANNOTATION] ?? '',
    a[KUBERNETES_NAMESPACE_ANNOTATION] ?? '',
    typeof entity.spec?.owner === 'string' ? entity.spec.owner : '',
  ]);
}

/** Who may see a Gateway: the entity (normalised ref) and its owner. */
export interface GatewayViewer {
  entityRef: string;
  owner?: string;
}

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
 * Whether a Gateway may be shown for an entity. Naming a Gateway (or sharing
 * its label) is not enough, since anyone can register an entity: the Gateway
 * itself must name the entity in its `aws-gateway.io/entity-ref` annotation
 * (the templates write it), or live in a namespace that configuration gives
 * to the entity's owner (awsGateway.status.namespaceOwners). The annotation
 * is written by whoever can write the namespace, so in a namespace that
 * configuration gives to owners it links only the entities of those owners:
 * a team cannot put its Gateway (and its DNS name) on another team's page.
 */
export function isGatewayLinked(
  gateway: { metadata: ObjectMeta },
  cluster: string,
  viewer: GatewayViewer,
  namespaceOwners: readonly NamespaceGrant[],
): boolean {
  const owner = viewer.owner;
  const namespaceGivenTo = namespaceGrantees(
    namespaceOwners,
    gateway.metadata.namespace ?? '',
    cluster,
  );
  if (namespaceGivenTo) {
    return owner !== undefined && namespaceGivenTo.includes(owner);
  }
  const claimed = gateway.metadata.annotations?.[ENTITY_REF_ANNOTATION];
  if (typeof claimed === 'string' && claimed.trim()) {
    try {
      const ref = normaliseEntityRef(claimed.trim(), {
        defaultKind: 'component',
        defaultNamespace: 'default',
      });
      if (ref === viewer.entityRef) return true;
    } catch {
      // Not a ref: it names no entity.
    }
  }
  return false;
}

/** A Gateway in a cluster. */
export interface GatewayRef {
  cluster: string;
  namespace: string;
  name: string;
}

/** References to clusters the Kubernetes plugin does not know. */
export function unconfiguredClusterErrors(
  references: GatewayReference[],
  known: Set<string>,
): StatusError[] {
  return references
    .filter(ref => ref.cluster && !known.has(ref.cluster))
    .map(ref => ({
      part: 'kubernetes',
      kind: 'not-configured',
      cluster: ref.cluster,
      message: `Gateway ${ref.namespace}/${ref.name} names cluster "${ref.cluster}", which is not configured in kubernetes.clusterLocatorMethods`,
    }));
}

/**
 * References to Gateways that were not seen (neither shown nor reported as
 * not linked) where the answer is certain: the cluster is configured and
 * could be read.
 */
export function missingReferenceErrors(
  references: GatewayReference[],
  seen: GatewayRef[],
  failedClusters: Set<string>,
  known: Set<string>,
): StatusError[] {
  return references
    .filter(ref => {
      const found = seen.some(
        g =>
          g.namespace === ref.namespace &&
          g.name === ref.name &&
          (!ref.cluster || g.cluster === ref.cluster),
      );
      const undecided = ref.cluster
        ? failedClusters.has(ref.cluster)
        : failedClusters.size > 0;
      return !found && !undecided && (!ref.cluster || known.has(ref.cluster));
    })
    .map(ref => ({
      part: 'kubernetes',
      kind: 'not-found',
      ...(ref.cluster ? { cluster: ref.cluster } : {}),
      message: `Gateway ${ref.namespace}/${ref.name} was not found${
        ref.cluster
          ? ` in cluster ${ref.cluster}`
          : ' in any configured cluster'
      }`,
    }));
}

import { Entity } from '@backstage/catalog-model';
import {
  AWS_GATEWAY_ANNOTATION,
  GatewayReference,
  isDnsLabel,
  isLabelValue,
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_ID_LABEL,
  KUBERNETES_LABEL_SELECTOR_ANNOTATION,
  KUBERNETES_NAMESPACE_ANNOTATION,
  parseGatewayReferences,
  StatusError,
} from '@gateway-portal/plugin-aws-gateway-common';
import {
  formatLabelSelector,
  gatewayViewerOf,
  GatewayViewer,
  isGatewayLinked,
  parseLabelSelector,
} from '@gateway-portal/plugin-aws-gateway-node';
import { labelsMatch } from '../kubernetes/watch/labelMatch';

/** Which Gateways belong to an entity. */
export type GatewaySelector =
  /** Named by the `aws-gateway.io/gateways` annotation. */
  | { type: 'references'; references: GatewayReference[] }
  /** Labelled `backstage.io/kubernetes-id=<id>` (or the Kubernetes plugin's label selector), in one namespace or all. */
  | { type: 'label'; labelSelector: string; namespace?: string }
  | { type: 'none' }
  | { type: 'invalid'; message: string };

/**
 * The annotation wins; else, as in the Kubernetes plugin, the
 * `backstage.io/kubernetes-label-selector` annotation (parsed and written
 * back, never passed on as text) or else the id annotation selects Gateways
 * by label, in the `backstage.io/kubernetes-namespace` namespace or in every
 * namespace.
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
  const labelSelector = entityLabelSelector(annotations);
  if (typeof labelSelector !== 'string') return labelSelector;
  const namespace = annotations[KUBERNETES_NAMESPACE_ANNOTATION]?.trim();
  if (namespace && !isDnsLabel(namespace)) {
    return {
      type: 'invalid',
      message: `${KUBERNETES_NAMESPACE_ANNOTATION}: "${namespace}" is not a valid namespace name`,
    };
  }
  return {
    type: 'label',
    labelSelector,
    ...(namespace ? { namespace } : {}),
  };
}

/** The Kubernetes plugin's rule: the label selector annotation replaces the id label. */
function entityLabelSelector(
  annotations: Record<string, string>,
): string | Extract<GatewaySelector, { type: 'none' | 'invalid' }> {
  const selector = annotations[KUBERNETES_LABEL_SELECTOR_ANNOTATION];
  if (selector?.trim()) {
    try {
      return formatLabelSelector(parseLabelSelector(selector));
    } catch (e) {
      return {
        type: 'invalid',
        message: `${KUBERNETES_LABEL_SELECTOR_ANNOTATION}: not a Kubernetes label selector: ${
          (e as Error).message
        }`,
      };
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
  return formatLabelSelector([
    { key: KUBERNETES_ID_LABEL, operator: '=', value: id },
  ]);
}

/** The references that may name a Gateway of `cluster` (one without a cluster names it in every cluster). */
export function referencesIn(
  references: GatewayReference[],
  cluster: string,
): GatewayReference[] {
  return references.filter(r => !r.cluster || r.cluster === cluster);
}

/** A Gateway as the selection rule sees it: where it is and its labels. */
export interface SelectableGateway {
  cluster: string;
  namespace: string;
  name: string;
  labels?: Readonly<Record<string, string>>;
}

/**
 * Whether a selector selects a Gateway, by the rule the collector reads by
 * (references by cluster, namespace and name; a label selector, with the API
 * server's semantics, in its namespace or all): the live status follows an
 * entity's Gateways through it, including Gateways its last answer did not
 * show yet. The selector is parsed once; `none` and `invalid` select nothing.
 */
export function gatewayMatcher(
  selector: GatewaySelector,
): (gateway: SelectableGateway) => boolean {
  if (selector.type === 'references') {
    return gw =>
      referencesIn(selector.references, gw.cluster).some(
        r => r.namespace === gw.namespace && r.name === gw.name,
      );
  }
  if (selector.type === 'label') {
    // Formatted from a parsed selector by gatewaySelectorFor: it parses.
    const requirements = parseLabelSelector(selector.labelSelector);
    return gw =>
      (!selector.namespace || selector.namespace === gw.namespace) &&
      labelsMatch(requirements, gw.labels);
  }
  return () => false;
}

/** The annotations and owner a response depends on, for the cache key. */
export function selectorFingerprint(entity: Entity): string {
  const a = entity.metadata.annotations ?? {};
  return JSON.stringify([
    a[AWS_GATEWAY_ANNOTATION] ?? '',
    a[KUBERNETES_ID_ANNOTATION] ?? '',
    a[KUBERNETES_LABEL_SELECTOR_ANNOTATION] ?? '',
    a[KUBERNETES_NAMESPACE_ANNOTATION] ?? '',
    typeof entity.spec?.owner === 'string' ? entity.spec.owner : '',
  ]);
}

// The link rule has one home, the node library, shared with the catalog
// module that publishes Gateways as Resources.
export { gatewayViewerOf, isGatewayLinked };
export type { GatewayViewer };

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

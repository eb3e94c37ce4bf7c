import { Entity } from '@backstage/catalog-model';
import {
  AWS_GATEWAY_ANNOTATION,
  GatewayReference,
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_ID_LABEL,
  KUBERNETES_NAMESPACE_ANNOTATION,
  parseGatewayReferences,
} from '@gateway-portal/plugin-aws-gateway-common';

/** Which Gateways belong to an entity. */
export type GatewaySelector =
  /** Named by the `aws-gateway.io/gateways` annotation. */
  | { type: 'references'; references: GatewayReference[] }
  /** Labelled `backstage.io/kubernetes-id=<id>`, in one namespace or all. */
  | { type: 'label'; labelSelector: string; namespace?: string }
  | { type: 'none' }
  | { type: 'invalid'; message: string };

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

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
  if (id.length > 63 || !LABEL_VALUE.test(id)) {
    return {
      type: 'invalid',
      message: `${KUBERNETES_ID_ANNOTATION}: "${id}" is not a valid Kubernetes label value`,
    };
  }
  const namespace = annotations[KUBERNETES_NAMESPACE_ANNOTATION]?.trim();
  if (namespace && !DNS_LABEL.test(namespace)) {
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

/** The annotations a response depends on, for the cache key. */
export function selectorFingerprint(entity: Entity): string {
  const a = entity.metadata.annotations ?? {};
  return JSON.stringify([
    a[AWS_GATEWAY_ANNOTATION] ?? '',
    a[KUBERNETES_ID_ANNOTATION] ?? '',
    a[KUBERNETES_NAMESPACE_ANNOTATION] ?? '',
  ]);
}

/**
 * The sample catalog's `component:default/backend` as the card's browser
 * tests give it Gateways: the classic GatewayClass in namespace default, and
 * the kubernetes-id label the Kubernetes plugin finds the entity's objects by.
 */
import * as k8s from '@kubernetes/client-node';
import { CLASSIC_GATEWAY_CLASS } from '../fixtures/classicGateway';
import { L4Objects } from '../fixtures/l4Objects';

export const BACKEND_ENTITY_REF = 'component:default/backend';
export const BACKEND_NAMESPACE = 'default';

/** Objects of the backend component (Gateway, routes, Services, configurations). */
export const backendObjects = new L4Objects({
  namespace: BACKEND_NAMESPACE,
  routeVersion: 'v1',
  gatewayClassName: CLASSIC_GATEWAY_CLASS,
  entityRef: BACKEND_ENTITY_REF,
});

/** A Gateway of the backend component (found by its kubernetes-id label). */
export function backendGateway(
  name: string,
  listeners: Array<Record<string, unknown>>,
): k8s.KubernetesObject {
  const gw = backendObjects.gateway(name, listeners);
  return {
    ...gw,
    metadata: {
      ...gw.metadata,
      labels: { 'backstage.io/kubernetes-id': 'backend' },
    },
  };
}

/**
 * The classic example endpoint (Gateway aws-tcp-gateway, public TCP 8080 →
 * Service backend:3000) in the shapes the integration tests need, all from
 * the node library's one fixture.
 */
import type { JsonObject } from '@backstage/types';
import { EndpointSpec } from '@gateway-portal/plugin-aws-gateway-common';
import { classicEndpoint } from '@gateway-portal/plugin-aws-gateway-node/testUtils';

/** The classic endpoint in `namespace`, for no catalog entity. */
export function classicEndpointIn(namespace: string): EndpointSpec {
  const { entityRef: _entityRef, ...spec } = classicEndpoint;
  return { ...spec, namespace };
}

/**
 * The classic endpoint as a template passes it to aws-gateway:endpoint:render:
 * the action fills in the GatewayClass and the Kubernetes id itself.
 */
export function classicRenderInput(
  namespace = classicEndpoint.namespace,
): JsonObject {
  const {
    gatewayClassName: _gatewayClassName,
    kubernetesId: _kubernetesId,
    entityRef: _entityRef,
    ...input
  } = classicEndpoint;
  // Plain JSON data; EndpointSpec's interfaces just lack an index signature.
  return { ...input, namespace } as unknown as JsonObject;
}

/** The classic example as the expose template's render step gets it (Gateway default/aws-tcp-gateway). */
export const CLASSIC_ENDPOINT = {
  ...classicRenderInput(),
  controllerProfile: 'lbc-v3.5',
};

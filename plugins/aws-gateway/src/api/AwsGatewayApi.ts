import { CompoundEntityRef } from '@backstage/catalog-model';
import { createApiRef } from '@backstage/frontend-plugin-api';
import { EntityGatewaysResponse } from '@gateway-portal/plugin-aws-gateway-common';
import { KubernetesUserTokenSource } from './KubernetesUserTokens';

/** @public */
export interface GetEntityGatewaysOptions {
  /** Bypass the backend's cache and read Kubernetes and AWS again. */
  refresh?: boolean;
  /** The user's own tokens, for clusters whose auth provider takes them (see useKubernetesUserTokens). */
  kubernetesTokens?: KubernetesUserTokenSource;
}

/**
 * Reads the gateway status of catalog entities from the aws-gateway backend.
 *
 * @public
 */
export interface AwsGatewayApi {
  /**
   * The Gateways that belong to an entity, with their load balancers, routes
   * and target health. Rejects with a `ResponseError` when the backend answers
   * with an error status (403 without permission, 404 for an unknown entity).
   */
  getEntityGateways(
    entityRef: CompoundEntityRef,
    options?: GetEntityGatewaysOptions,
  ): Promise<EntityGatewaysResponse>;
}

/** @public */
export const awsGatewayApiRef = createApiRef<AwsGatewayApi>().with({
  id: 'plugin.aws-gateway.api',
  pluginId: 'aws-gateway',
});

import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { EntityGatewaysResponse } from '@gateway-portal/plugin-aws-gateway-common';
import { UserKubernetesCredentials } from '@gateway-portal/plugin-aws-gateway-node';

/** @public */
export interface GetEntityGatewaysRequest {
  entityRef: string | CompoundEntityRef;
  /** Bypass the short-lived cache (the answer still refreshes it). */
  refresh?: boolean;
}

/**
 * The live status of an entity's Gateways. Reads the entity as the caller
 * (NotFoundError when they cannot see it), checks `aws-gateway.status.read`
 * for it (NotAllowedError), then answers.
 *
 * @public
 */
export interface GatewayStatusService {
  getEntityGateways(
    request: GetEntityGatewaysRequest,
    options: {
      credentials: BackstageCredentials;
      /**
       * The caller's own tokens for clusters whose auth provider takes one
       * (oidc, google, aks). An answer read with them is that caller's: it
       * is cached under a key of theirs and never served to anyone else.
       */
      kubernetesCredentials?: UserKubernetesCredentials;
    },
  ): Promise<EntityGatewaysResponse>;
}

import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { EntityGatewaysResponse } from '@gateway-portal/plugin-aws-gateway-common';

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
    options: { credentials: BackstageCredentials },
  ): Promise<EntityGatewaysResponse>;
}

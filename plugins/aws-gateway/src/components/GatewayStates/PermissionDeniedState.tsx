import { EmptyState } from '@backstage/core-components';
import { awsGatewayStatusReadPermission } from '@gateway-portal/plugin-aws-gateway-common';

/**
 * The backend refused the request (403): the user lacks the permission to
 * read this entity's gateway status.
 *
 * @public
 */
export function PermissionDeniedState() {
  return (
    <EmptyState
      missing="info"
      title="You are not allowed to see this gateway status"
      description={`Reading the gateway status of this entity requires the ${awsGatewayStatusReadPermission.name} permission. Ask your Backstage administrator to grant it, for example to the entity's owners.`}
    />
  );
}

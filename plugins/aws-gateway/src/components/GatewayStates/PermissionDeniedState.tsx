import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { awsGatewayStatusReadPermission } from '@gateway-portal/plugin-aws-gateway-common';
import { awsGatewayTranslationRef } from '../../translation';
import { StateMessage } from './StateMessage';

/**
 * The backend refused the request (403): the user lacks the permission to
 * read this entity's gateway status.
 *
 * @public
 */
export function PermissionDeniedState() {
  const { t } = useTranslationRef(awsGatewayTranslationRef);
  return (
    <StateMessage
      title={t('permissionDenied.title')}
      description={t('permissionDenied.description', {
        permission: awsGatewayStatusReadPermission.name,
      })}
    />
  );
}

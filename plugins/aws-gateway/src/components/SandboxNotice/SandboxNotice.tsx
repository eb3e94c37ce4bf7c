import { configApiRef, useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { Alert } from '@backstage/ui';
import { awsGatewayTranslationRef } from '../../translation';

/** The configuration key the sandbox (`./run start`, packages/sandbox) sets in its overlay. */
export const SANDBOX_CONFIG_KEY = 'awsGateway.sandbox';

/**
 * Says plainly that the AWS data on the card comes from the local sandbox:
 * emulated AWS and a local cluster, nothing real. Driven by the backend's
 * configuration (`awsGateway.sandbox: true`), never guessed from addresses.
 * Nothing otherwise.
 *
 * @public
 */
export function SandboxNotice() {
  const sandbox = useApi(configApiRef).getOptionalBoolean(SANDBOX_CONFIG_KEY);
  const { t } = useTranslationRef(awsGatewayTranslationRef);
  if (!sandbox) return null;
  return (
    <Alert
      status="info"
      icon
      role="alert"
      title={t('sandbox.title')}
      description={t('sandbox.message')}
    />
  );
}

import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { Alert, Flex, Text } from '@backstage/ui';
import {
  GatewayWarning,
  GatewayWarningCode,
} from '@gateway-portal/plugin-aws-gateway-common';
import { awsGatewayTranslationRef } from '../../translation';

/**
 * Stale status is informational; a pair real AWS refuses is an error (the
 * port cannot work); everything else needs someone to act.
 */
const SEVERITY: Partial<
  Record<GatewayWarningCode, 'info' | 'warning' | 'danger'>
> = {
  'status-stale': 'info',
  'tls-passthrough-tls-target-group': 'danger',
};

/** @public */
export interface GatewayWarningsProps {
  warnings: GatewayWarning[];
}

/**
 * Problems the backend found in a gateway's setup, each with how to fix it.
 *
 * @public
 */
export function GatewayWarnings(props: GatewayWarningsProps) {
  const { warnings } = props;
  const { t } = useTranslationRef(awsGatewayTranslationRef);
  if (warnings.length === 0) {
    return null;
  }
  return (
    <Flex direction="column" gap="2">
      {warnings.map((warning, index) => (
        <Alert
          key={`${warning.code}:${warning.listener ?? ''}:${index}`}
          status={SEVERITY[warning.code] ?? 'warning'}
          icon
          role="alert"
          title={
            warning.listener && !warning.message.includes(warning.listener)
              ? t('warnings.onListener', {
                  listener: warning.listener,
                  message: warning.message,
                })
              : warning.message
          }
          description={
            <Text as="div" variant="body-medium">
              <strong>{t('warnings.fix')}</strong> {warning.fix}
            </Text>
          }
        />
      ))}
    </Flex>
  );
}

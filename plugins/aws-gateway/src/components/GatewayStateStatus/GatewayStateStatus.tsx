import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { Flex, Text } from '@backstage/ui';
import { GatewayState } from '@gateway-portal/plugin-aws-gateway-common';
import { awsGatewayTranslationRef } from '../../translation';
import { StatusKind, StatusLabel } from '../StatusLabel';

const STATUS: Record<GatewayState, StatusKind> = {
  programmed: 'ok',
  provisioning: 'pending',
  error: 'error',
  unknown: 'warning',
  removing: 'aborted',
};

/** @public */
export interface GatewayStateStatusProps {
  state: GatewayState;
  /** One line from the backend saying why the state is what it is. */
  reason?: string;
}

/**
 * The gateway's overall state as a status label, with the reason below it.
 *
 * @public
 */
export function GatewayStateStatus(props: GatewayStateStatusProps) {
  const { reason } = props;
  const { t } = useTranslationRef(awsGatewayTranslationRef);
  // An unknown value from a newer backend shows as Unknown.
  const state: GatewayState = STATUS[props.state] ? props.state : 'unknown';
  return (
    <Flex direction="column" gap="1">
      <StatusLabel status={STATUS[state]}>
        {t(`gateway.state.${state}`)}
      </StatusLabel>
      {reason && (
        <Text as="div" variant="body-small" color="secondary">
          {reason}
        </Text>
      )}
    </Flex>
  );
}

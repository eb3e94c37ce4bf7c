import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { Flex, Text } from '@backstage/ui';
import {
  GatewayStatus,
  gatewayNeedsAttention,
} from '@gateway-portal/plugin-aws-gateway-common';
import { awsGatewayTranslationRef } from '../../translation';
import { GatewayEvents } from '../GatewayEvents';
import { PartialErrorPanel } from '../GatewayStates';
import { GatewayStateStatus } from '../GatewayStateStatus';
import { GatewayWarnings } from '../GatewayWarnings';
import { ListenersTable } from '../ListenersTable';
import { GatewayFacts } from './GatewayFacts';

/** @public */
export interface GatewaySectionProps {
  gateway: GatewayStatus;
}

/**
 * Everything about one gateway: its state, endpoint, load balancer,
 * listeners with routes, target health, warnings and the controller's events.
 *
 * @public
 */
export function GatewaySection(props: GatewaySectionProps) {
  const { gateway } = props;
  const { t } = useTranslationRef(awsGatewayTranslationRef);
  const { cluster, namespace, name } = gateway.gateway;
  const headingId = `aws-gateway-${cluster}-${namespace}-${name}`;

  return (
    <section aria-labelledby={headingId}>
      <Flex
        justify="between"
        align="start"
        gap="4"
        style={{ flexWrap: 'wrap' }}
      >
        <div>
          <Text as="h4" variant="title-x-small" weight="bold" id={headingId}>
            {name}
          </Text>
          <Text as="div" variant="body-medium" color="secondary">
            {t('gateway.subtitle', {
              namespace,
              cluster,
              className: gateway.gatewayClassName,
            })}
          </Text>
        </div>
        <GatewayStateStatus
          state={gateway.state}
          reason={gateway.stateReason}
        />
      </Flex>

      <GatewayFacts gateway={gateway} />

      <Flex direction="column" gap="4">
        <GatewayWarnings warnings={gateway.warnings} />
        <ListenersTable
          listeners={gateway.listeners}
          dnsName={gateway.dnsName}
          warnings={gateway.warnings}
        />
        <GatewayEvents
          events={gateway.events}
          somethingWrong={gatewayNeedsAttention(gateway)}
        />
        <PartialErrorPanel
          errors={gateway.errors}
          title={t('card.gatewayPartialErrorsTitle')}
        />
      </Flex>
    </section>
  );
}

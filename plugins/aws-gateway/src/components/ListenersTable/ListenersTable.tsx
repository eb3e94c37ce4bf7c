import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { Text } from '@backstage/ui';
import {
  GatewayWarning,
  ListenerSummary,
} from '@gateway-portal/plugin-aws-gateway-common';
import { awsGatewayTranslationRef } from '../../translation';
import { ListenerRows } from './ListenerRows';
import { ListenersTableLayout } from './ListenersTableLayout';

/** @public */
export interface ListenersTableProps {
  listeners: ListenerSummary[];
  /** The gateway's DNS name, to show `host:port` per listener. */
  dnsName?: string;
  /** The gateway's warnings: a route that gets no traffic is marked in its row. */
  warnings?: GatewayWarning[];
}

/**
 * A gateway's listeners, each followed through its route to the target
 * groups and their health, with the targets one click away.
 *
 * @public
 */
export function ListenersTable(props: ListenersTableProps) {
  const { listeners, dnsName, warnings = [] } = props;
  const { t } = useTranslationRef(awsGatewayTranslationRef);
  if (listeners.length === 0) {
    return (
      <Text as="p" variant="body-medium" color="secondary">
        {t('listeners.none')}
      </Text>
    );
  }
  return (
    <ListenersTableLayout>
      {listeners.map(listener => (
        <ListenerRows
          key={`${listener.name}:${listener.port}`}
          listener={listener}
          dnsName={dnsName}
          warnings={warnings}
        />
      ))}
    </ListenersTableLayout>
  );
}

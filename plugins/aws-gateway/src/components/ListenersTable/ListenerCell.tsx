import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { Flex, Text } from '@backstage/ui';
import { ListenerSummary } from '@gateway-portal/plugin-aws-gateway-common';
import { awsGatewayTranslationRef } from '../../translation';
import { BreakAfter } from './BreakAfter';

/** Port, protocol and name of a listener, its `host:port`, and the NLB listener behind it. */
export function ListenerCell(props: {
  listener: ListenerSummary;
  dnsName?: string;
}) {
  const { listener, dnsName } = props;
  const { t } = useTranslationRef(awsGatewayTranslationRef);
  return (
    <>
      <Flex align="baseline" gap="1">
        <Text
          variant="body-large"
          weight="bold"
          style={{ fontVariantNumeric: 'tabular-nums' }}
        >
          :{listener.port}
        </Text>
        <Text variant="body-small" color="secondary">
          {listener.protocol}
        </Text>
      </Flex>
      <Text as="div" variant="body-small" color="secondary">
        {listener.name}
      </Text>
      {dnsName && (
        <code
          style={{
            display: 'block',
            marginTop: 'var(--bui-space-1)',
            fontFamily: 'var(--bui-font-monospace)',
            fontSize: 'var(--bui-font-size-1)',
            lineHeight: 1.5,
            color: 'var(--bui-fg-secondary)',
          }}
        >
          <BreakAfter text={`${dnsName}:${listener.port}`} separators="." />
        </code>
      )}
      {listener.loadBalancerListener &&
        listener.loadBalancerListener.protocol !== listener.protocol && (
          // TLS passthrough is TCP on the NLB; TCP + UDP on one port, TCP_UDP.
          <Text as="div" variant="body-small" color="secondary">
            {t('listeners.loadBalancerListener', {
              protocol: listener.loadBalancerListener.protocol,
            })}
          </Text>
        )}
      {!listener.loadBalancerListener && (
        <Text as="div" variant="body-small" color="danger">
          {listener.routes.length === 0
            ? t('listeners.noLoadBalancerListenerNoRoute')
            : t('listeners.noLoadBalancerListenerYet')}
        </Text>
      )}
    </>
  );
}

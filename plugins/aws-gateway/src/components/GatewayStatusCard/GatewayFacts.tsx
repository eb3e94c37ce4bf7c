import {
  TranslationFunction,
  useTranslationRef,
} from '@backstage/frontend-plugin-api';
import { Grid, Text } from '@backstage/ui';
import {
  GatewayStatus,
  LoadBalancerSummary,
} from '@gateway-portal/plugin-aws-gateway-common';
import { ReactNode } from 'react';
import { awsGatewayTranslationRef } from '../../translation';
import { CopyableDnsName } from '../CopyableDnsName';
import { ExternalLink } from '../ExternalLink';

type Messages = typeof awsGatewayTranslationRef.T;

/** A term and its value, laid out as the catalog's About card lays out its fields. */
function Fact(props: { term: string; children: ReactNode }) {
  return (
    <>
      <Text as="div" variant="body-medium" color="secondary">
        {props.term}
      </Text>
      <Text as="div" variant="body-medium">
        {props.children}
      </Text>
    </>
  );
}

/** The source CIDRs an NLB admits; absent means the controller's open default. */
export function describeSourceRanges(
  gateway: GatewayStatus,
  t: TranslationFunction<Messages>,
): string {
  if (gateway.sourceRanges === undefined) {
    return t('facts.anySource');
  }
  return gateway.sourceRanges.length > 0
    ? gateway.sourceRanges.join(', ')
    : t('facts.noSource');
}

/** "active, eu-west-1" or "failed: reason, eu-west-1" */
export function describeLoadBalancerState(
  loadBalancer: LoadBalancerSummary,
): string {
  const state = loadBalancer.stateReason
    ? `${loadBalancer.state}: ${loadBalancer.stateReason}`
    : loadBalancer.state;
  return `${state}, ${loadBalancer.region}`;
}

/**
 * The NLB's scheme; before the NLB exists, the one the LoadBalancerConfiguration
 * asks for.
 */
function SchemeFact(props: { gateway: GatewayStatus }) {
  const { loadBalancer, requestedScheme } = props.gateway;
  const { t } = useTranslationRef(awsGatewayTranslationRef);
  if (loadBalancer?.scheme) {
    return <>{loadBalancer.scheme}</>;
  }
  if (requestedScheme) {
    return (
      <>
        {requestedScheme}{' '}
        <Text as="span" variant="body-small" color="secondary">
          {t('facts.schemeRequested')}
        </Text>
      </>
    );
  }
  return <>{t('facts.schemeUnknown')}</>;
}

/** A gateway's endpoint at a glance: DNS name, scheme, allowed sources and its NLB. */
export function GatewayFacts(props: { gateway: GatewayStatus }) {
  const { gateway } = props;
  const { t } = useTranslationRef(awsGatewayTranslationRef);
  const loadBalancer = gateway.loadBalancer;
  return (
    <Grid.Root
      columns="2"
      gap="1"
      my="3"
      style={{
        gridTemplateColumns: 'max-content 1fr',
        columnGap: 'var(--bui-space-4)',
      }}
    >
      <Fact term={t('facts.dnsName')}>
        {gateway.dnsName ? (
          <CopyableDnsName dnsName={gateway.dnsName} />
        ) : (
          t('facts.dnsNameMissing')
        )}
      </Fact>
      <Fact term={t('facts.scheme')}>
        <SchemeFact gateway={gateway} />
      </Fact>
      <Fact term={t('facts.allowedSources')}>
        {describeSourceRanges(gateway, t)}
      </Fact>
      <Fact term={t('facts.loadBalancer')}>
        {loadBalancer ? (
          <>
            <ExternalLink
              href={loadBalancer.consoleUrl}
              label={t('facts.openLoadBalancer', { name: loadBalancer.name })}
            >
              {loadBalancer.name}
            </ExternalLink>{' '}
            ({describeLoadBalancerState(loadBalancer)})
          </>
        ) : (
          t('facts.loadBalancerMissing')
        )}
      </Fact>
    </Grid.Root>
  );
}

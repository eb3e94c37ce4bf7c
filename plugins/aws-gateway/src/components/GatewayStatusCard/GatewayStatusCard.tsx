import { stringifyEntityRef } from '@backstage/catalog-model';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { EntityInfoCard, useEntity } from '@backstage/plugin-catalog-react';
import { Alert, Flex, Skeleton, VisuallyHidden } from '@backstage/ui';
import { isAwsGatewayAvailable } from '@gateway-portal/plugin-aws-gateway-common';
import { Fragment, ReactNode } from 'react';
import { useEntityGateways } from '../../hooks/useEntityGateways';
import { awsGatewayTranslationRef } from '../../translation';
import {
  MissingAnnotationState,
  NoGatewaysState,
  NotConfiguredState,
  PartialErrorPanel,
  PermissionDeniedState,
} from '../GatewayStates';
import { SandboxNotice } from '../SandboxNotice';
import { GatewaySection } from './GatewaySection';
import { LastUpdated } from './LastUpdated';
import { RefreshButton } from './RefreshButton';
import { StaleNotice } from './StaleNotice';

function isPermissionDenied(error: Error): boolean {
  return ResponseError.is(error) && error.statusCode === 403;
}

/** The first read: placeholders where the gateway's heading, facts and table will be. */
function LoadingPlaceholder(props: { label: string }) {
  return (
    <Flex
      direction="column"
      gap="2"
      role="progressbar"
      aria-label={props.label}
    >
      <Skeleton width="40%" height={20} />
      <Skeleton width="70%" height={16} />
      <Skeleton width="100%" height={64} />
    </Flex>
  );
}

function GatewayStatusContent() {
  const { entity } = useEntity();
  const { t } = useTranslationRef(awsGatewayTranslationRef);
  const { value, loading, error, refresh } = useEntityGateways();

  let body: ReactNode;
  if (!value) {
    if (error) {
      body = isPermissionDenied(error) ? (
        <PermissionDeniedState />
      ) : (
        <Alert
          status="danger"
          icon
          role="alert"
          title={t('card.loadFailedTitle')}
          description={error.message}
        />
      );
    } else {
      body = <LoadingPlaceholder label={t('card.loading')} />;
    }
  } else if (!value.configured) {
    body = <NotConfiguredState />;
  } else {
    const nothingListed =
      value.gateways.length === 0 && value.errors.length === 0;
    body = (
      <>
        {error && (
          <Alert
            status="danger"
            icon
            role="alert"
            title={t('card.refreshFailedTitle')}
            description={t('card.refreshFailedMessage', {
              message: error.message,
            })}
          />
        )}
        <StaleNotice response={value} />
        <PartialErrorPanel errors={value.errors} />
        {nothingListed && (
          <NoGatewaysState entityRef={stringifyEntityRef(entity)} />
        )}
        {value.gateways.map((gateway, index) => (
          <Fragment
            key={`${gateway.gateway.cluster}/${gateway.gateway.namespace}/${gateway.gateway.name}`}
          >
            {index > 0 && (
              <hr
                style={{
                  border: 0,
                  borderTop: '1px solid var(--bui-border-1)',
                  width: '100%',
                }}
              />
            )}
            <GatewaySection gateway={gateway} />
          </Fragment>
        ))}
      </>
    );
  }

  return (
    <EntityInfoCard
      title={t('card.title')}
      headerActions={
        <>
          {value && <LastUpdated fetchedAt={value.fetchedAt} />}
          <RefreshButton onPress={refresh} busy={loading} />
        </>
      }
    >
      <Flex direction="column" gap="4">
        {value && loading && (
          <VisuallyHidden role="status">{t('card.refreshing')}</VisuallyHidden>
        )}
        <SandboxNotice />
        {body}
      </Flex>
    </EntityInfoCard>
  );
}

/**
 * Whether the entity's public endpoints work: each Gateway with its state,
 * DNS name, load balancer, listeners, routes, target health and what to fix.
 * Built on Backstage UI like the catalog's own cards.
 *
 * @public
 */
export function GatewayStatusCard() {
  const { entity } = useEntity();
  const { t } = useTranslationRef(awsGatewayTranslationRef);
  if (!isAwsGatewayAvailable(entity)) {
    return (
      <EntityInfoCard title={t('card.title')}>
        <MissingAnnotationState entity={entity} />
      </EntityInfoCard>
    );
  }
  return <GatewayStatusContent />;
}

import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { ResponseError } from '@backstage/errors';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Divider from '@material-ui/core/Divider';
import { isAwsGatewayAvailable } from '@gateway-portal/plugin-aws-gateway-common';
import { Fragment, ReactNode } from 'react';
import { useEntityGateways } from '../../hooks/useEntityGateways';
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

const TITLE = 'AWS gateways';

function isPermissionDenied(error: Error): boolean {
  return ResponseError.is(error) && error.statusCode === 403;
}

function GatewayStatusContent() {
  const { entity } = useEntity();
  const { value, loading, error, refresh } = useEntityGateways();

  let body: ReactNode;
  if (!value) {
    if (error) {
      body = isPermissionDenied(error) ? (
        <PermissionDeniedState />
      ) : (
        <ResponseErrorPanel error={error} />
      );
    } else {
      body = <Progress aria-label="Loading gateway status" />;
    }
  } else if (!value.configured) {
    body = <NotConfiguredState />;
  } else {
    const nothingListed =
      value.gateways.length === 0 && value.errors.length === 0;
    body = (
      <>
        {loading && <Progress aria-label="Refreshing gateway status" />}
        {error && (
          <WarningPanel
            severity="error"
            title="Could not refresh the gateway status"
            message={`${error.message}. Showing the status read earlier.`}
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
              <Box my={3}>
                <Divider />
              </Box>
            )}
            <GatewaySection gateway={gateway} />
          </Fragment>
        ))}
      </>
    );
  }

  return (
    <InfoCard
      title={TITLE}
      subheader={
        value ? <LastUpdated fetchedAt={value.fetchedAt} /> : undefined
      }
      action={<RefreshButton onClick={refresh} disabled={loading} />}
    >
      <SandboxNotice />
      {body}
    </InfoCard>
  );
}

/**
 * Whether the entity's public endpoints work: each Gateway with its state,
 * DNS name, load balancer, listeners, routes, target health and what to fix.
 *
 * @public
 */
export function GatewayStatusCard() {
  const { entity } = useEntity();
  if (!isAwsGatewayAvailable(entity)) {
    return (
      <InfoCard title={TITLE}>
        <MissingAnnotationState entity={entity} />
      </InfoCard>
    );
  }
  return <GatewayStatusContent />;
}

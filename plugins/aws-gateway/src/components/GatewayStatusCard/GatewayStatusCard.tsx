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
import IconButton from '@material-ui/core/IconButton';
import Tooltip from '@material-ui/core/Tooltip';
import RefreshIcon from '@material-ui/icons/Refresh';
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
import { GatewaySection } from './GatewaySection';
import { StaleNotice } from './StaleNotice';

const TITLE = 'AWS gateways';

function isPermissionDenied(error: Error): boolean {
  return ResponseError.is(error) && error.statusCode === 403;
}

function formatAge(fetchedAt: string, now: number): string {
  const seconds = Math.round((now - Date.parse(fetchedAt)) / 1000);
  if (Number.isNaN(seconds)) {
    return fetchedAt;
  }
  const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  if (Math.abs(seconds) < 60) {
    return format.format(-seconds, 'second');
  }
  if (Math.abs(seconds) < 3600) {
    return format.format(-Math.round(seconds / 60), 'minute');
  }
  if (Math.abs(seconds) < 86400) {
    return format.format(-Math.round(seconds / 3600), 'hour');
  }
  return new Date(fetchedAt).toLocaleString();
}

function LastUpdated(props: { fetchedAt: string }) {
  const { fetchedAt } = props;
  // One element: InfoCard lays the subheader out as a flex container, which
  // would drop the space between two loose children ("Last updatednow").
  return (
    <span>
      Last updated{' '}
      <time dateTime={fetchedAt} title={fetchedAt}>
        {formatAge(fetchedAt, Date.now())}
      </time>
    </span>
  );
}

function RefreshButton(props: { onClick: () => void; disabled: boolean }) {
  return (
    <Tooltip title="Read the status again from Kubernetes and AWS">
      {/* The span keeps the tooltip working while the button is disabled. */}
      <span>
        <IconButton
          aria-label="Refresh"
          onClick={props.onClick}
          disabled={props.disabled}
        >
          <RefreshIcon />
        </IconButton>
      </span>
    </Tooltip>
  );
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

import { Link } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  GatewayStatus,
  LoadBalancerSummary,
} from '@gateway-portal/plugin-aws-gateway-common';
import { ReactNode } from 'react';
import { CopyableDnsName } from '../CopyableDnsName';
import { PartialErrorPanel } from '../GatewayStates';
import { GatewayStateStatus } from '../GatewayStateStatus';
import { GatewayWarnings } from '../GatewayWarnings';
import { ListenersTable } from '../ListenersTable';

const useStyles = makeStyles(theme => ({
  header: {
    display: 'flex',
    justifyContent: 'space-between',
    alignItems: 'flex-start',
    gap: theme.spacing(2),
    flexWrap: 'wrap',
  },
  facts: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
    margin: theme.spacing(2, 0),
    alignItems: 'center',
    '& dt': { color: theme.palette.text.secondary },
    '& dd': { margin: 0 },
  },
  block: {
    marginBottom: theme.spacing(2),
  },
}));

function Fact(props: { term: string; children: ReactNode }) {
  return (
    <>
      <Typography component="dt" variant="body2">
        {props.term}
      </Typography>
      <Typography component="dd" variant="body2">
        {props.children}
      </Typography>
    </>
  );
}

function describeSourceRanges(gateway: GatewayStatus): string {
  if (gateway.sourceRanges === undefined) {
    return 'Any address (controller default 0.0.0.0/0, ::/0)';
  }
  return gateway.sourceRanges.length > 0
    ? gateway.sourceRanges.join(', ')
    : 'None';
}

/**
 * The NLB's scheme; before the NLB exists, the one the LoadBalancerConfiguration
 * asks for.
 */
function SchemeFact(props: { gateway: GatewayStatus }) {
  const { loadBalancer, requestedScheme } = props.gateway;
  if (loadBalancer?.scheme) {
    return <>{loadBalancer.scheme}</>;
  }
  if (requestedScheme) {
    return (
      <>
        {requestedScheme}{' '}
        <Typography variant="caption" color="textSecondary" component="span">
          (from the LoadBalancerConfiguration)
        </Typography>
      </>
    );
  }
  return <>Not known yet</>;
}

/** "active, eu-west-1" or "failed: reason, eu-west-1" */
function describeLoadBalancerState(loadBalancer: LoadBalancerSummary): string {
  const state = loadBalancer.stateReason
    ? `${loadBalancer.state}: ${loadBalancer.stateReason}`
    : loadBalancer.state;
  return `${state}, ${loadBalancer.region}`;
}

/** @public */
export interface GatewaySectionProps {
  gateway: GatewayStatus;
}

/**
 * Everything about one gateway: its state, endpoint, load balancer,
 * listeners with routes, target health and warnings.
 *
 * @public
 */
export function GatewaySection(props: GatewaySectionProps) {
  const { gateway } = props;
  const classes = useStyles();
  const { cluster, namespace, name } = gateway.gateway;
  const loadBalancer = gateway.loadBalancer;
  const headingId = `aws-gateway-${cluster}-${namespace}-${name}`;

  return (
    <section aria-labelledby={headingId}>
      <div className={classes.header}>
        <Box>
          <Typography variant="h6" component="h3" id={headingId}>
            {name}
          </Typography>
          <Typography variant="body2" color="textSecondary">
            Namespace {namespace} · Cluster {cluster} · Class{' '}
            {gateway.gatewayClassName}
          </Typography>
        </Box>
        <GatewayStateStatus
          state={gateway.state}
          reason={gateway.stateReason}
        />
      </div>

      <dl className={classes.facts}>
        <Fact term="DNS name">
          {gateway.dnsName ? (
            <CopyableDnsName dnsName={gateway.dnsName} />
          ) : (
            'Not assigned yet'
          )}
        </Fact>
        <Fact term="Scheme">
          <SchemeFact gateway={gateway} />
        </Fact>
        <Fact term="Allowed sources">{describeSourceRanges(gateway)}</Fact>
        <Fact term="Load balancer">
          {loadBalancer ? (
            <>
              <Link
                to={loadBalancer.consoleUrl}
                externalLinkIcon
                aria-label={`Open load balancer ${loadBalancer.name} in the AWS console`}
              >
                {loadBalancer.name}
              </Link>{' '}
              ({describeLoadBalancerState(loadBalancer)})
            </>
          ) : (
            'Not found yet'
          )}
        </Fact>
      </dl>

      <div className={classes.block}>
        <GatewayWarnings warnings={gateway.warnings} />
      </div>
      <div className={classes.block}>
        <ListenersTable
          listeners={gateway.listeners}
          dnsName={gateway.dnsName}
          warnings={gateway.warnings}
        />
      </div>
      <PartialErrorPanel
        errors={gateway.errors}
        title="Some information about this gateway could not be loaded"
      />
    </section>
  );
}

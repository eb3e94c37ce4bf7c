import { Link } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  GatewayStatus,
  LoadBalancerSummary,
} from '@gateway-portal/plugin-aws-gateway-common';
import { ReactNode } from 'react';
import { CopyableDnsName } from '../CopyableDnsName';

const useStyles = makeStyles(theme => ({
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

/** The source CIDRs an NLB admits; absent means the controller's open default. */
export function describeSourceRanges(gateway: GatewayStatus): string {
  if (gateway.sourceRanges === undefined) {
    return 'Any address (controller default 0.0.0.0/0, ::/0)';
  }
  return gateway.sourceRanges.length > 0
    ? gateway.sourceRanges.join(', ')
    : 'None';
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

/** A gateway's endpoint at a glance: DNS name, scheme, allowed sources and its NLB. */
export function GatewayFacts(props: { gateway: GatewayStatus }) {
  const { gateway } = props;
  const classes = useStyles();
  const loadBalancer = gateway.loadBalancer;
  return (
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
  );
}

import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { GatewayStatus } from '@gateway-portal/plugin-aws-gateway-common';
import { PartialErrorPanel } from '../GatewayStates';
import { GatewayStateStatus } from '../GatewayStateStatus';
import { GatewayWarnings } from '../GatewayWarnings';
import { ListenersTable } from '../ListenersTable';
import { GatewayFacts } from './GatewayFacts';

const useStyles = makeStyles(theme => ({
  header: {
    display: 'flex',
    justifyContent: 'space-between',
    alignItems: 'flex-start',
    gap: theme.spacing(2),
    flexWrap: 'wrap',
  },
  block: {
    marginBottom: theme.spacing(2),
  },
}));

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

      <GatewayFacts gateway={gateway} />

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

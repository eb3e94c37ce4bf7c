import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { ListenerSummary } from '@gateway-portal/plugin-aws-gateway-common';
import { BreakAfter } from './BreakAfter';

const useStyles = makeStyles(theme => ({
  port: {
    display: 'flex',
    alignItems: 'baseline',
    gap: theme.spacing(0.75),
  },
  portNumber: {
    fontWeight: theme.typography.fontWeightBold as number,
    fontVariantNumeric: 'tabular-nums',
  },
  endpoint: {
    display: 'block',
    marginTop: theme.spacing(0.5),
    fontFamily: 'monospace',
    fontSize: '0.6875rem',
    lineHeight: 1.5,
    color: theme.palette.text.secondary,
  },
}));

/** Port, protocol and name of a listener, its `host:port`, and the NLB listener behind it. */
export function ListenerCell(props: {
  listener: ListenerSummary;
  dnsName?: string;
}) {
  const { listener, dnsName } = props;
  const classes = useStyles();
  return (
    <>
      <div className={classes.port}>
        <Typography variant="body1" className={classes.portNumber}>
          :{listener.port}
        </Typography>
        <Typography variant="caption" color="textSecondary">
          {listener.protocol}
        </Typography>
      </div>
      <Typography variant="caption" color="textSecondary" component="div">
        {listener.name}
      </Typography>
      {dnsName && (
        <code className={classes.endpoint}>
          <BreakAfter text={`${dnsName}:${listener.port}`} separators="." />
        </code>
      )}
      {listener.loadBalancerListener &&
        listener.loadBalancerListener.protocol !== listener.protocol && (
          // TLS passthrough is TCP on the NLB; TCP + UDP on one port, TCP_UDP.
          <Typography variant="caption" color="textSecondary" component="div">
            NLB listener {listener.loadBalancerListener.protocol}
          </Typography>
        )}
      {!listener.loadBalancerListener && (
        <Typography variant="caption" color="error" component="div">
          {listener.routes.length === 0
            ? 'No NLB listener: no route attached'
            : 'No NLB listener on this port yet'}
        </Typography>
      )}
    </>
  );
}

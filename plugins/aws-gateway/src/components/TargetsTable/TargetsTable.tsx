import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { TargetStatus } from '@gateway-portal/plugin-aws-gateway-common';

const useStyles = makeStyles(theme => ({
  table: {
    '& th, & td': {
      paddingLeft: theme.spacing(1.5),
      paddingRight: theme.spacing(1.5),
      overflowWrap: 'normal',
    },
    '& th:first-child, & td:first-child': { paddingLeft: theme.spacing(2) },
  },
  /** Short values (IP, port, zone, state) stay on one line. */
  nowrap: { whiteSpace: 'nowrap' },
}));

function TargetState(props: { state: string }) {
  const { state } = props;
  switch (state) {
    case 'healthy':
      return <StatusOK>{state}</StatusOK>;
    case 'unhealthy':
    case 'unhealthy.draining':
      return <StatusError>{state}</StatusError>;
    case 'initial':
      return <StatusPending>{state}</StatusPending>;
    case 'unused':
      return <StatusAborted>{state}</StatusAborted>;
    default:
      return <StatusWarning>{state}</StatusWarning>;
  }
}

/** @public */
export interface TargetsTableProps {
  targets: TargetStatus[];
  /** Accessible name of the table, e.g. the target group's name. */
  label: string;
}

/**
 * The registered targets of one target group: which pod each IP belongs to
 * and why the load balancer considers it (un)healthy.
 *
 * @public
 */
export function TargetsTable(props: TargetsTableProps) {
  const { targets, label } = props;
  const classes = useStyles();
  if (targets.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No targets are registered in this target group.
      </Typography>
    );
  }
  return (
    <Table size="small" aria-label={label} className={classes.table}>
      <TableHead>
        <TableRow>
          <TableCell>Pod</TableCell>
          <TableCell className={classes.nowrap}>IP / instance</TableCell>
          <TableCell className={classes.nowrap}>Port</TableCell>
          <TableCell className={classes.nowrap}>Zone</TableCell>
          <TableCell className={classes.nowrap}>State</TableCell>
          <TableCell>Reason</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {targets.map(target => (
          <TableRow key={`${target.id}:${target.port ?? ''}`}>
            <TableCell>
              {target.pod ? (
                <>
                  <Typography variant="body2">{target.pod.name}</Typography>
                  <Typography variant="caption" color="textSecondary">
                    {target.pod.namespace}
                    {target.pod.nodeName ? ` on ${target.pod.nodeName}` : ''}
                  </Typography>
                </>
              ) : (
                <Typography variant="body2" color="textSecondary">
                  —
                </Typography>
              )}
            </TableCell>
            <TableCell className={classes.nowrap}>
              <code>{target.id}</code>
            </TableCell>
            <TableCell className={classes.nowrap}>
              {target.port ?? '—'}
            </TableCell>
            <TableCell className={classes.nowrap}>
              {target.availabilityZone ?? '—'}
            </TableCell>
            <TableCell className={classes.nowrap}>
              <TargetState state={target.state} />
            </TableCell>
            <TableCell>
              {target.reason || target.description ? (
                <>
                  {target.reason && (
                    <Typography variant="body2">{target.reason}</Typography>
                  )}
                  {target.description && (
                    <Typography variant="caption" color="textSecondary">
                      {target.description}
                    </Typography>
                  )}
                </>
              ) : (
                '—'
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

import {
  Link,
  StatusError,
  StatusOK,
  StatusWarning,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Collapse from '@material-ui/core/Collapse';
import IconButton from '@material-ui/core/IconButton';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import ExpandLessIcon from '@material-ui/icons/ExpandLess';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import {
  GatewayWarning,
  ListenerSummary,
  RouteSummary,
  TargetGroupSummary,
} from '@gateway-portal/plugin-aws-gateway-common';
import { Fragment, ReactNode, useId, useState } from 'react';
import { HealthBar } from '../HealthBar';
import { StatusErrorList } from '../StatusErrorList';
import { TargetsTable } from '../TargetsTable';

const COLUMN_COUNT = 5;

/** Names the button column for screen readers without showing a header. */
const VISUALLY_HIDDEN = {
  position: 'absolute',
  width: 1,
  height: 1,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
} as const;

const useStyles = makeStyles(theme => ({
  // Child combinators: the targets table nested in a row keeps its own look.
  table: {
    '& > thead > tr > th, & > tbody > tr > td': {
      verticalAlign: 'top',
      paddingLeft: theme.spacing(1.5),
      paddingRight: theme.spacing(1.5),
    },
    '& > thead > tr > th:first-child, & > tbody > tr > td:first-child': {
      paddingLeft: theme.spacing(2),
    },
    // Long names break at their separators, never letter by letter.
    '& > tbody > tr > td': { overflowWrap: 'anywhere' },
  },
  // overflow-wrap is inherited: the nested targets table sizes its own columns.
  detailsCell: { '&&': { overflowWrap: 'normal' } },
  listenerColumn: { width: '30%' },
  routeColumn: { width: '27%' },
  targetGroupColumn: { width: '23%' },
  healthColumn: { width: '20%', minWidth: 128 },
  toggleColumn: {
    width: 48,
    '&&': { paddingLeft: 0, paddingRight: theme.spacing(1) },
  },
  toggleCell: {
    '&&': {
      paddingTop: 0,
      paddingLeft: 0,
      paddingRight: theme.spacing(1),
    },
  },
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

/**
 * Text that wraps after the given separators (`.` of a host name, `/` of a
 * namespace/name) rather than mid-word; the text nodes stay siblings, so the
 * element's text is still the whole string.
 */
function BreakAfter(props: { text: string; separators: string }) {
  const { text, separators } = props;
  const parts: ReactNode[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (separators.includes(text[i]) && i < text.length - 1) {
      parts.push(text.slice(start, i + 1), <wbr key={i} />);
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return <>{parts}</>;
}

/** Routes the backend found accepted but without traffic (another route owns the port). */
function isShadowed(route: RouteSummary, warnings: GatewayWarning[]): boolean {
  return warnings.some(
    w =>
      w.code === 'route-shadowed' &&
      w.route?.kind === route.kind &&
      w.route.namespace === route.namespace &&
      w.route.name === route.name,
  );
}

function RouteStatus(props: {
  refused: boolean;
  shadowed: boolean;
  children: ReactNode;
}) {
  const { refused, shadowed, children } = props;
  if (refused) return <StatusError>{children}</StatusError>;
  return shadowed ? (
    <StatusWarning>{children}</StatusWarning>
  ) : (
    <StatusOK>{children}</StatusOK>
  );
}

function RouteCell(props: {
  routes: RouteSummary[];
  warnings: GatewayWarning[];
}) {
  const { routes, warnings } = props;
  if (routes.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No route attached
      </Typography>
    );
  }
  return (
    <>
      {routes.map(route => {
        const refused =
          route.accepted?.status === 'False' ||
          route.resolvedRefs?.status === 'False';
        const condition =
          route.accepted?.status === 'False'
            ? route.accepted
            : route.resolvedRefs;
        const shadowed = !refused && isShadowed(route, warnings);
        const label = `${route.kind} ${route.namespace}/${route.name}`;
        return (
          <Box key={`${route.kind}/${route.namespace}/${route.name}`}>
            <Typography variant="body2" component="div">
              <RouteStatus refused={refused} shadowed={shadowed}>
                <BreakAfter text={label} separators="/" />
              </RouteStatus>
            </Typography>
            {refused && condition && (
              <Typography variant="caption" color="textSecondary">
                {condition.reason}
                {condition.message ? `: ${condition.message}` : ''}
              </Typography>
            )}
            {shadowed && (
              <Typography
                variant="caption"
                color="textSecondary"
                component="div"
              >
                Accepted, but gets no traffic: another route owns this port
              </Typography>
            )}
            {route.backends.length > 0 && (
              <Typography
                variant="caption"
                color="textSecondary"
                component="div"
              >
                →{' '}
                {route.backends
                  .map(
                    backend =>
                      `${backend.name}${
                        backend.port ? `:${backend.port}` : ''
                      }`,
                  )
                  .join(', ')}
              </Typography>
            )}
          </Box>
        );
      })}
    </>
  );
}

function TargetGroupCell(props: { targetGroups: TargetGroupSummary[] }) {
  const { targetGroups } = props;
  if (targetGroups.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No target group
      </Typography>
    );
  }
  return (
    <>
      {targetGroups.map(targetGroup => (
        <Box key={targetGroup.arn} mb={1}>
          <Typography variant="body2" component="div">
            <Link
              to={targetGroup.consoleUrl}
              externalLinkIcon
              aria-label={`Open target group ${targetGroup.name} in the AWS console`}
            >
              {targetGroup.name}
            </Link>
          </Typography>
          {targetGroup.protocol && (
            <Typography variant="caption" color="textSecondary" component="div">
              {targetGroup.protocol}
              {targetGroup.port !== undefined ? ` :${targetGroup.port}` : ''}
            </Typography>
          )}
          {targetGroup.service && (
            <Typography variant="caption" color="textSecondary" component="div">
              Service {targetGroup.service.namespace}/<wbr />
              {targetGroup.service.name}
              {targetGroup.service.port !== undefined
                ? `:${targetGroup.service.port}`
                : ''}
            </Typography>
          )}
        </Box>
      ))}
    </>
  );
}

function HealthCell(props: { targetGroups: TargetGroupSummary[] }) {
  const { targetGroups } = props;
  if (targetGroups.length === 0) {
    return <Typography variant="body2">—</Typography>;
  }
  return (
    <>
      {targetGroups.map(targetGroup => (
        <Box key={targetGroup.arn} mb={1}>
          <HealthBar health={targetGroup.health} />
          <StatusErrorList errors={targetGroup.errors} />
        </Box>
      ))}
    </>
  );
}

function ListenerCell(props: { listener: ListenerSummary; dnsName?: string }) {
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

function ListenerRows(props: {
  listener: ListenerSummary;
  dnsName?: string;
  warnings: GatewayWarning[];
}) {
  const { listener, dnsName, warnings } = props;
  const classes = useStyles();
  const [expanded, setExpanded] = useState(false);
  const targetsId = useId();
  const hasTargetGroups = listener.targetGroups.length > 0;
  const toggleLabel = expanded ? 'Hide targets' : 'Show targets';

  return (
    <>
      <TableRow>
        <TableCell>
          <ListenerCell listener={listener} dnsName={dnsName} />
        </TableCell>
        <TableCell>
          <RouteCell routes={listener.routes} warnings={warnings} />
        </TableCell>
        <TableCell>
          <TargetGroupCell targetGroups={listener.targetGroups} />
        </TableCell>
        <TableCell>
          <HealthCell targetGroups={listener.targetGroups} />
        </TableCell>
        <TableCell align="right" className={classes.toggleCell}>
          {hasTargetGroups && (
            <Tooltip title={toggleLabel}>
              <IconButton
                size="small"
                onClick={() => setExpanded(value => !value)}
                aria-label={toggleLabel}
                aria-expanded={expanded}
                aria-controls={targetsId}
              >
                {expanded ? <ExpandLessIcon /> : <ExpandMoreIcon />}
              </IconButton>
            </Tooltip>
          )}
        </TableCell>
      </TableRow>
      {hasTargetGroups && (
        <TableRow>
          <TableCell
            colSpan={COLUMN_COUNT}
            className={classes.detailsCell}
            style={expanded ? undefined : { padding: 0, borderBottom: 0 }}
          >
            <Collapse in={expanded} unmountOnExit>
              <Box id={targetsId} py={1}>
                {listener.targetGroups.map(targetGroup => (
                  <Fragment key={targetGroup.arn}>
                    <Typography variant="subtitle2" gutterBottom>
                      Targets of {targetGroup.name}
                    </Typography>
                    <TargetsTable
                      targets={targetGroup.targets}
                      label={`Targets of ${targetGroup.name}`}
                    />
                  </Fragment>
                ))}
              </Box>
            </Collapse>
          </TableCell>
        </TableRow>
      )}
    </>
  );
}

/** @public */
export interface ListenersTableProps {
  listeners: ListenerSummary[];
  /** The gateway's DNS name, to show `host:port` per listener. */
  dnsName?: string;
  /** The gateway's warnings: a route that gets no traffic is marked in its row. */
  warnings?: GatewayWarning[];
}

/**
 * A gateway's listeners, each followed through its route to the target
 * groups and their health, with the targets one click away.
 *
 * @public
 */
export function ListenersTable(props: ListenersTableProps) {
  const { listeners, dnsName, warnings = [] } = props;
  if (listeners.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        This gateway has no listeners.
      </Typography>
    );
  }
  return (
    <ListenersTableLayout>
      {listeners.map(listener => (
        <ListenerRows
          key={`${listener.name}:${listener.port}`}
          listener={listener}
          dnsName={dnsName}
          warnings={warnings}
        />
      ))}
    </ListenersTableLayout>
  );
}

function ListenersTableLayout(props: { children: ReactNode }) {
  const classes = useStyles();
  return (
    <Table size="small" aria-label="Listeners" className={classes.table}>
      <TableHead>
        <TableRow>
          <TableCell className={classes.listenerColumn}>Listener</TableCell>
          <TableCell className={classes.routeColumn}>Route</TableCell>
          <TableCell className={classes.targetGroupColumn}>
            Target group
          </TableCell>
          <TableCell className={classes.healthColumn}>Health</TableCell>
          <TableCell className={classes.toggleColumn}>
            <span style={VISUALLY_HIDDEN}>Targets</span>
          </TableCell>
        </TableRow>
      </TableHead>
      <TableBody>{props.children}</TableBody>
    </Table>
  );
}

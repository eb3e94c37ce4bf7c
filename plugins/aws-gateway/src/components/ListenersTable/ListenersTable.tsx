import { Link, StatusError, StatusOK } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Collapse from '@material-ui/core/Collapse';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import ExpandLessIcon from '@material-ui/icons/ExpandLess';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import {
  ListenerSummary,
  RouteSummary,
  TargetGroupSummary,
} from '@gateway-portal/plugin-aws-gateway-common';
import { Fragment, useId, useState } from 'react';
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

function RouteCell(props: { routes: RouteSummary[] }) {
  const { routes } = props;
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
        const label = `${route.kind} ${route.namespace}/${route.name}`;
        return (
          <Box key={`${route.kind}/${route.namespace}/${route.name}`}>
            <Typography variant="body2" component="div">
              {refused ? (
                <StatusError>{label}</StatusError>
              ) : (
                <StatusOK>{label}</StatusOK>
              )}
            </Typography>
            {refused && condition && (
              <Typography variant="caption" color="textSecondary">
                {condition.reason}
                {condition.message ? `: ${condition.message}` : ''}
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
          {targetGroup.service && (
            <Typography variant="caption" color="textSecondary">
              Service {targetGroup.service.namespace}/{targetGroup.service.name}
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

function ListenerRows(props: { listener: ListenerSummary; dnsName?: string }) {
  const { listener, dnsName } = props;
  const [expanded, setExpanded] = useState(false);
  const targetsId = useId();
  const hasTargetGroups = listener.targetGroups.length > 0;

  return (
    <>
      <TableRow>
        <TableCell>
          <Typography variant="body2">
            {listener.port}/{listener.protocol}
          </Typography>
          <Typography variant="caption" color="textSecondary" component="div">
            {listener.name}
          </Typography>
          {dnsName && (
            <Typography
              variant="caption"
              component="code"
              style={{ fontFamily: 'monospace', wordBreak: 'break-all' }}
            >
              {dnsName}:{listener.port}
            </Typography>
          )}
          {!listener.loadBalancerListener && (
            <Typography variant="caption" color="error" component="div">
              No NLB listener on this port yet
            </Typography>
          )}
        </TableCell>
        <TableCell>
          <RouteCell routes={listener.routes} />
        </TableCell>
        <TableCell>
          <TargetGroupCell targetGroups={listener.targetGroups} />
        </TableCell>
        <TableCell style={{ minWidth: 160 }}>
          <HealthCell targetGroups={listener.targetGroups} />
        </TableCell>
        <TableCell align="right">
          {hasTargetGroups && (
            <Button
              size="small"
              onClick={() => setExpanded(value => !value)}
              aria-expanded={expanded}
              aria-controls={targetsId}
              endIcon={expanded ? <ExpandLessIcon /> : <ExpandMoreIcon />}
            >
              {expanded ? 'Hide targets' : 'Show targets'}
            </Button>
          )}
        </TableCell>
      </TableRow>
      {hasTargetGroups && (
        <TableRow>
          <TableCell
            colSpan={COLUMN_COUNT}
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
}

/**
 * A gateway's listeners, each followed through its route to the target
 * groups and their health, with the targets one click away.
 *
 * @public
 */
export function ListenersTable(props: ListenersTableProps) {
  const { listeners, dnsName } = props;
  if (listeners.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        This gateway has no listeners.
      </Typography>
    );
  }
  return (
    <Table size="small" aria-label="Listeners">
      <TableHead>
        <TableRow>
          <TableCell>Listener</TableCell>
          <TableCell>Route</TableCell>
          <TableCell>Target group</TableCell>
          <TableCell>Health</TableCell>
          <TableCell>
            <span style={VISUALLY_HIDDEN}>Targets</span>
          </TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {listeners.map(listener => (
          <ListenerRows
            key={`${listener.name}:${listener.port}`}
            listener={listener}
            dnsName={dnsName}
          />
        ))}
      </TableBody>
    </Table>
  );
}

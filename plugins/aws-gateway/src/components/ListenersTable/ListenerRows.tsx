import Box from '@material-ui/core/Box';
import Collapse from '@material-ui/core/Collapse';
import IconButton from '@material-ui/core/IconButton';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import ExpandLessIcon from '@material-ui/icons/ExpandLess';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import {
  GatewayWarning,
  ListenerSummary,
} from '@gateway-portal/plugin-aws-gateway-common';
import { Fragment, useId, useState } from 'react';
import { TargetsTable } from '../TargetsTable';
import { HealthCell } from './HealthCell';
import { ListenerCell } from './ListenerCell';
import { COLUMN_COUNT } from './ListenersTableLayout';
import { RouteCell } from './RouteCell';
import { TargetGroupCell } from './TargetGroupCell';

const useStyles = makeStyles(theme => ({
  // overflow-wrap is inherited: the nested targets table sizes its own columns.
  detailsCell: { '&&': { overflowWrap: 'normal' } },
  toggleCell: {
    '&&': {
      paddingTop: 0,
      paddingLeft: 0,
      paddingRight: theme.spacing(1),
    },
  },
}));

/** One listener's row, and below it the targets of its target groups, collapsed until asked for. */
export function ListenerRows(props: {
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

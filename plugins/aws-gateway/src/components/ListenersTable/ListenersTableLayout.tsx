import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { makeStyles } from '@material-ui/core/styles';
import { ReactNode } from 'react';

/** Listener, route, target group, health, and the targets toggle. */
export const COLUMN_COUNT = 5;

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
  listenerColumn: { width: '30%' },
  routeColumn: { width: '27%' },
  targetGroupColumn: { width: '23%' },
  healthColumn: { width: '20%', minWidth: 128 },
  toggleColumn: {
    width: 48,
    '&&': { paddingLeft: 0, paddingRight: theme.spacing(1) },
  },
}));

/** The listeners table's frame: its column headers and widths. */
export function ListenersTableLayout(props: { children: ReactNode }) {
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

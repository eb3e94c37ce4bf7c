import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles, Theme, useTheme } from '@material-ui/core/styles';
import { HealthCounts } from '@gateway-portal/plugin-aws-gateway-common';

type HealthCategory = Exclude<keyof HealthCounts, 'total'>;

/** Drawn in this order, left to right: what serves traffic first. */
const CATEGORIES: { key: HealthCategory; label: string }[] = [
  { key: 'healthy', label: 'healthy' },
  { key: 'unhealthy', label: 'unhealthy' },
  { key: 'initial', label: 'initial' },
  { key: 'draining', label: 'draining' },
  { key: 'unused', label: 'unused' },
  { key: 'unavailable', label: 'unavailable' },
];

const colorOf = (theme: Theme, key: HealthCategory): string => {
  switch (key) {
    case 'healthy':
      return theme.palette.success.main;
    case 'unhealthy':
      return theme.palette.error.main;
    case 'initial':
      return theme.palette.info.main;
    case 'draining':
      return theme.palette.warning.main;
    case 'unavailable':
      return theme.palette.grey[600];
    default:
      return theme.palette.grey[400];
  }
};

const useStyles = makeStyles(theme => ({
  bar: {
    display: 'flex',
    height: 8,
    minWidth: 96,
    borderRadius: 4,
    overflow: 'hidden',
    backgroundColor: theme.palette.action.disabledBackground,
  },
  legend: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    marginTop: theme.spacing(0.5),
  },
  swatch: {
    display: 'inline-block',
    width: 8,
    height: 8,
    borderRadius: 2,
    marginRight: 4,
  },
}));

/** "3 healthy, 1 unhealthy" — the counts that are not zero. */
export function describeHealth(health: HealthCounts): string {
  const parts = CATEGORIES.filter(({ key }) => health[key] > 0).map(
    ({ key, label }) => `${health[key]} ${label}`,
  );
  return parts.length > 0 ? parts.join(', ') : 'no targets';
}

/** @public */
export interface HealthBarProps {
  health: HealthCounts;
}

/**
 * A target group's target health as a stacked bar with a legend of the
 * non-zero counts.
 *
 * @public
 */
export function HealthBar(props: HealthBarProps) {
  const { health } = props;
  const classes = useStyles();
  const theme = useTheme();
  const present = CATEGORIES.filter(({ key }) => health[key] > 0);
  // The total is authoritative; fall back to the sum if the backend omitted it.
  const total =
    health.total || present.reduce((sum, { key }) => sum + health[key], 0);

  if (total === 0) {
    return (
      <Typography variant="caption" color="textSecondary">
        No targets registered
      </Typography>
    );
  }

  return (
    <Box>
      <div
        className={classes.bar}
        role="img"
        aria-label={`Target health: ${describeHealth(health)} of ${total}`}
      >
        {present.map(({ key }) => (
          <span
            key={key}
            data-testid={`health-segment-${key}`}
            style={{
              width: `${(health[key] / total) * 100}%`,
              backgroundColor: colorOf(theme, key),
            }}
          />
        ))}
      </div>
      <div className={classes.legend}>
        {present.map(({ key, label }) => (
          <Typography key={key} variant="caption" component="span">
            <span
              className={classes.swatch}
              style={{ backgroundColor: colorOf(theme, key) }}
            />
            {health[key]} {label}
          </Typography>
        ))}
      </div>
    </Box>
  );
}

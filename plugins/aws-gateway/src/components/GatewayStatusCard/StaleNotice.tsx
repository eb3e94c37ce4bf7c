import { WarningPanel } from '@backstage/core-components';
import { EntityGatewaysResponse } from '@gateway-portal/plugin-aws-gateway-common';
import Typography from '@material-ui/core/Typography';

function formatSeconds(seconds: number): string {
  if (seconds < 90) return `${seconds} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}

/**
 * Says when the card shows the last known status instead of a fresh read
 * (and why), and when a refresh was not honoured. Nothing otherwise.
 */
export function StaleNotice(props: {
  response: Pick<EntityGatewaysResponse, 'stale' | 'refreshDeclined'>;
}) {
  const { stale, refreshDeclined } = props.response;
  return (
    <>
      {stale && (
        <WarningPanel
          severity="warning"
          title={`Showing the last known status, ${formatSeconds(
            stale.ageSeconds,
          )} old`}
          message={`${stale.reason}. It is refreshed in the background; what you see may have changed since.`}
        />
      )}
      {refreshDeclined && (
        <Typography variant="body2" color="textSecondary" role="status">
          Not refreshed: {refreshDeclined}.
        </Typography>
      )}
    </>
  );
}

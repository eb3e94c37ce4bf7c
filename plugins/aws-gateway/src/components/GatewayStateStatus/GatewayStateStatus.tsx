import {
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { GatewayState } from '@gateway-portal/plugin-aws-gateway-common';

const LABELS: Record<GatewayState, string> = {
  programmed: 'Programmed',
  provisioning: 'Provisioning',
  error: 'Error',
  unknown: 'Unknown',
};

/** @public */
export interface GatewayStateStatusProps {
  state: GatewayState;
  /** One line from the backend saying why the state is what it is. */
  reason?: string;
}

/**
 * The gateway's overall state as a status label, with the reason below it.
 *
 * @public
 */
export function GatewayStateStatus(props: GatewayStateStatusProps) {
  const { state, reason } = props;
  const label = LABELS[state] ?? LABELS.unknown;
  let status;
  switch (state) {
    case 'programmed':
      status = <StatusOK>{label}</StatusOK>;
      break;
    case 'provisioning':
      status = <StatusPending>{label}</StatusPending>;
      break;
    case 'error':
      status = <StatusError>{label}</StatusError>;
      break;
    default:
      status = <StatusWarning>{label}</StatusWarning>;
  }
  return (
    <Box>
      <Typography variant="body2" component="div">
        {status}
      </Typography>
      {reason && (
        <Typography variant="caption" color="textSecondary" component="div">
          {reason}
        </Typography>
      )}
    </Box>
  );
}

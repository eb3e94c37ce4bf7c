import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  GatewayWarning,
  GatewayWarningCode,
} from '@gateway-portal/plugin-aws-gateway-common';

/**
 * Stale status is informational; a pair real AWS refuses is an error (the
 * port cannot work); everything else needs someone to act.
 */
const SEVERITY: Partial<
  Record<GatewayWarningCode, 'info' | 'warning' | 'error'>
> = {
  'status-stale': 'info',
  'tls-passthrough-tls-target-group': 'error',
};

/** @public */
export interface GatewayWarningsProps {
  warnings: GatewayWarning[];
}

/**
 * Problems the backend found in a gateway's setup, each with how to fix it.
 *
 * @public
 */
export function GatewayWarnings(props: GatewayWarningsProps) {
  const { warnings } = props;
  if (warnings.length === 0) {
    return null;
  }
  return (
    <Box display="flex" flexDirection="column" style={{ gap: 8 }}>
      {warnings.map((warning, index) => (
        <Alert
          key={`${warning.code}:${warning.listener ?? ''}:${index}`}
          severity={SEVERITY[warning.code] ?? 'warning'}
        >
          <AlertTitle>
            {warning.listener && !warning.message.includes(warning.listener)
              ? `Listener ${warning.listener}: ${warning.message}`
              : warning.message}
          </AlertTitle>
          <Typography variant="body2" component="div">
            <strong>Fix:</strong> {warning.fix}
          </Typography>
        </Alert>
      ))}
    </Box>
  );
}

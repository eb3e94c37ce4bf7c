import { CopyTextButton } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';

/** @public */
export interface CopyableDnsNameProps {
  dnsName: string;
}

/**
 * A load balancer DNS name in monospace with a button that copies it.
 *
 * @public
 */
export function CopyableDnsName(props: CopyableDnsNameProps) {
  const { dnsName } = props;
  return (
    <Box display="flex" alignItems="center" style={{ gap: 4 }}>
      <Typography
        variant="body2"
        component="code"
        style={{ fontFamily: 'monospace', wordBreak: 'break-all' }}
      >
        {dnsName}
      </Typography>
      <CopyTextButton
        text={dnsName}
        aria-label="Copy DNS name"
        tooltipText="DNS name copied"
        variant="tertiary"
      />
    </Box>
  );
}

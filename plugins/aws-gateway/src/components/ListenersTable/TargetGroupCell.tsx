import { Link } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { TargetGroupSummary } from '@gateway-portal/plugin-aws-gateway-common';

/** A listener's target groups: console link, protocol and port, the Service behind each. */
export function TargetGroupCell(props: { targetGroups: TargetGroupSummary[] }) {
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

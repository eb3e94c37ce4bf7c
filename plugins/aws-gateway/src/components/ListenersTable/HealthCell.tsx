import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { TargetGroupSummary } from '@gateway-portal/plugin-aws-gateway-common';
import { HealthBar } from '../HealthBar';
import { StatusErrorList } from '../StatusErrorList';

/** Target health per target group, with the errors met reading it. */
export function HealthCell(props: { targetGroups: TargetGroupSummary[] }) {
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

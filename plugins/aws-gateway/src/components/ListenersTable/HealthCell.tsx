import { Flex, Text } from '@backstage/ui';
import { TargetGroupSummary } from '@gateway-portal/plugin-aws-gateway-common';
import { HealthBar } from '../HealthBar';
import { StatusErrorList } from '../StatusErrorList';

/** Target health per target group, with the errors met reading it. */
export function HealthCell(props: { targetGroups: TargetGroupSummary[] }) {
  const { targetGroups } = props;
  if (targetGroups.length === 0) {
    return <Text variant="body-medium">—</Text>;
  }
  return (
    <Flex direction="column" gap="2">
      {targetGroups.map(targetGroup => (
        <div key={targetGroup.arn}>
          <HealthBar health={targetGroup.health} />
          <StatusErrorList errors={targetGroup.errors} />
        </div>
      ))}
    </Flex>
  );
}

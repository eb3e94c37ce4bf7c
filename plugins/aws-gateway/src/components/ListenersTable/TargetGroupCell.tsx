import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { Flex, Text } from '@backstage/ui';
import { TargetGroupSummary } from '@gateway-portal/plugin-aws-gateway-common';
import { awsGatewayTranslationRef } from '../../translation';
import { ExternalLink } from '../ExternalLink';
import { BreakAfter } from './BreakAfter';

/** A listener's target groups: console link, protocol and port, the Service behind each. */
export function TargetGroupCell(props: { targetGroups: TargetGroupSummary[] }) {
  const { targetGroups } = props;
  const { t } = useTranslationRef(awsGatewayTranslationRef);
  if (targetGroups.length === 0) {
    return (
      <Text variant="body-medium" color="secondary">
        {t('listeners.noTargetGroup')}
      </Text>
    );
  }
  // Weights matter only when the listener forwards to several target groups.
  const weighted = targetGroups.filter(tg => tg.weight !== undefined);
  const totalWeight = weighted.reduce((sum, tg) => sum + tg.weight!, 0);
  const showWeights = weighted.length > 1 && totalWeight > 0;
  return (
    <Flex direction="column" gap="2">
      {targetGroups.map(targetGroup => (
        <div key={targetGroup.arn}>
          <Text as="div" variant="body-medium">
            <ExternalLink
              href={targetGroup.consoleUrl}
              label={t('listeners.openTargetGroup', { name: targetGroup.name })}
            >
              {targetGroup.name}
            </ExternalLink>
          </Text>
          {targetGroup.protocol && (
            <Text as="div" variant="body-small" color="secondary">
              {targetGroup.protocol}
              {targetGroup.port !== undefined ? ` :${targetGroup.port}` : ''}
            </Text>
          )}
          {showWeights && targetGroup.weight !== undefined && (
            <Text as="div" variant="body-small" color="secondary">
              {t('listeners.weight', {
                weight: String(targetGroup.weight),
                share: String(
                  Math.round((targetGroup.weight / totalWeight) * 1000) / 10,
                ),
              })}
            </Text>
          )}
          {targetGroup.service && (
            <Text as="div" variant="body-small" color="secondary">
              <BreakAfter
                text={`${t('listeners.service', {
                  namespace: targetGroup.service.namespace,
                  name: targetGroup.service.name,
                })}${
                  targetGroup.service.port !== undefined
                    ? `:${targetGroup.service.port}`
                    : ''
                }`}
                separators="/"
              />
            </Text>
          )}
        </div>
      ))}
    </Flex>
  );
}

import {
  TranslationFunction,
  useTranslationRef,
} from '@backstage/frontend-plugin-api';
import { Flex, Text } from '@backstage/ui';
import { HealthCounts } from '@gateway-portal/plugin-aws-gateway-common';
import { awsGatewayTranslationRef } from '../../translation';

type HealthCategory = Exclude<keyof HealthCounts, 'total'>;

/** Drawn in this order, left to right: what serves traffic first; each in its Backstage UI colour. */
const CATEGORIES: { key: HealthCategory; color: string }[] = [
  { key: 'healthy', color: 'var(--bui-positive-fg)' },
  { key: 'unhealthy', color: 'var(--bui-negative-fg)' },
  { key: 'initial', color: 'var(--bui-announcement-fg)' },
  { key: 'draining', color: 'var(--bui-warning-fg)' },
  { key: 'unused', color: 'var(--bui-gray-6)' },
  { key: 'unavailable', color: 'var(--bui-gray-9)' },
];

/** "3 healthy, 1 unhealthy" — the counts that are not zero. */
export function describeHealth(
  health: HealthCounts,
  t: TranslationFunction<typeof awsGatewayTranslationRef.T>,
): string {
  const parts = CATEGORIES.filter(({ key }) => health[key] > 0).map(({ key }) =>
    t('health.count', { count: health[key], state: t(`health.${key}`) }),
  );
  return parts.length > 0 ? parts.join(', ') : t('health.noTargets');
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
  const { t } = useTranslationRef(awsGatewayTranslationRef);
  const present = CATEGORIES.filter(({ key }) => health[key] > 0);
  // The total is authoritative; fall back to the sum if the backend omitted it.
  const total =
    health.total || present.reduce((sum, { key }) => sum + health[key], 0);

  if (total === 0) {
    return (
      <Text as="span" variant="body-small" color="secondary">
        {t('health.noTargetsRegistered')}
      </Text>
    );
  }

  return (
    <div>
      <div
        role="img"
        aria-label={t('health.summary', {
          counts: describeHealth(health, t),
          total: String(total),
        })}
        style={{
          display: 'flex',
          height: 8,
          minWidth: 96,
          borderRadius: 'var(--bui-radius-2)',
          overflow: 'hidden',
          backgroundColor: 'var(--bui-bg-neutral-2)',
        }}
      >
        {present.map(({ key, color }) => (
          <span
            key={key}
            data-testid={`health-segment-${key}`}
            style={{
              width: `${(health[key] / total) * 100}%`,
              backgroundColor: color,
            }}
          />
        ))}
      </div>
      <Flex gap="2" mt="1" style={{ flexWrap: 'wrap' }}>
        {present.map(({ key, color }) => (
          <Text key={key} as="span" variant="body-small">
            <span
              aria-hidden="true"
              style={{
                display: 'inline-block',
                width: 8,
                height: 8,
                borderRadius: 2,
                marginRight: 4,
                backgroundColor: color,
              }}
            />
            {t('health.count', {
              count: health[key],
              state: t(`health.${key}`),
            })}
          </Text>
        ))}
      </Flex>
    </div>
  );
}

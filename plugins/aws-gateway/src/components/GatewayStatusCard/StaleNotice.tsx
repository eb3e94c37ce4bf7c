import {
  TranslationFunction,
  useTranslationRef,
} from '@backstage/frontend-plugin-api';
import { Alert, Text } from '@backstage/ui';
import { EntityGatewaysResponse } from '@gateway-portal/plugin-aws-gateway-common';
import { awsGatewayTranslationRef } from '../../translation';

function formatSeconds(
  seconds: number,
  t: TranslationFunction<typeof awsGatewayTranslationRef.T>,
): string {
  if (seconds < 90) return t('duration.seconds', { count: seconds });
  if (seconds < 5400) {
    return t('duration.minutes', { count: Math.round(seconds / 60) });
  }
  return t('duration.hours', { count: Math.round(seconds / 3600) });
}

/**
 * Says when the card shows the last known status instead of a fresh read
 * (and why), and when a refresh was not honoured. Nothing otherwise.
 */
export function StaleNotice(props: {
  response: Pick<EntityGatewaysResponse, 'stale' | 'refreshDeclined'>;
}) {
  const { stale, refreshDeclined } = props.response;
  const { t } = useTranslationRef(awsGatewayTranslationRef);
  return (
    <>
      {stale && (
        <Alert
          status="warning"
          icon
          role="alert"
          title={t('card.staleTitle', {
            age: formatSeconds(stale.ageSeconds, t),
          })}
          description={t('card.staleMessage', { reason: stale.reason })}
        />
      )}
      {refreshDeclined && (
        <Text as="p" variant="body-medium" color="secondary" role="status">
          {t('card.refreshDeclined', { reason: refreshDeclined })}
        </Text>
      )}
    </>
  );
}

import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { Text } from '@backstage/ui';
import { awsGatewayTranslationRef } from '../../translation';

/** How long ago the status was read, in words: "5 minutes ago"; a date after a day. */
export function formatAge(fetchedAt: string, now: number): string {
  const seconds = Math.round((now - Date.parse(fetchedAt)) / 1000);
  if (Number.isNaN(seconds)) {
    return fetchedAt;
  }
  const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  if (Math.abs(seconds) < 60) {
    return format.format(-seconds, 'second');
  }
  if (Math.abs(seconds) < 3600) {
    return format.format(-Math.round(seconds / 60), 'minute');
  }
  if (Math.abs(seconds) < 86400) {
    return format.format(-Math.round(seconds / 3600), 'hour');
  }
  return new Date(fetchedAt).toLocaleString();
}

/** When the status shown was read, beside the card's refresh button. */
export function LastUpdated(props: { fetchedAt: string }) {
  const { fetchedAt } = props;
  const { t } = useTranslationRef(awsGatewayTranslationRef);
  return (
    <Text as="span" variant="body-small" color="secondary">
      {t('card.lastUpdated', {
        age: (
          <time dateTime={fetchedAt} title={fetchedAt}>
            {formatAge(fetchedAt, Date.now())}
          </time>
        ),
      })}
    </Text>
  );
}

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

/** The card's subheader: when the status shown was read. */
export function LastUpdated(props: { fetchedAt: string }) {
  const { fetchedAt } = props;
  // One element: InfoCard lays the subheader out as a flex container, which
  // would drop the space between two loose children ("Last updatednow").
  return (
    <span>
      Last updated{' '}
      <time dateTime={fetchedAt} title={fetchedAt}>
        {formatAge(fetchedAt, Date.now())}
      </time>
    </span>
  );
}

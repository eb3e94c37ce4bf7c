import { formatAge } from './LastUpdated';

describe('formatAge', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');
  const ago = (ms: number) => new Date(now - ms).toISOString();

  it('says seconds, minutes and hours in words', () => {
    expect(formatAge(ago(0), now)).toBe('now');
    expect(formatAge(ago(30_000), now)).toBe('30 seconds ago');
    expect(formatAge(ago(5 * 60_000), now)).toBe('5 minutes ago');
    expect(formatAge(ago(60 * 60_000), now)).toBe('1 hour ago');
    expect(formatAge(ago(23 * 3_600_000), now)).toBe('23 hours ago');
  });

  it('gives the date once it is a day old or more', () => {
    const old = ago(2 * 86_400_000);
    expect(formatAge(old, now)).toBe(new Date(old).toLocaleString());
  });

  it('shows a time it cannot read as it is', () => {
    expect(formatAge('not a time', now)).toBe('not a time');
  });
});

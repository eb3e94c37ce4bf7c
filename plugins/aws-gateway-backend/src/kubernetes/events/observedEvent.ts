/**
 * One event as either events API returns it, reduced to what the card uses.
 * Events are written by anyone allowed to create them: every field is checked
 * for its type here; texts are cleaned later (service/events).
 */
import { EventApi, EventSubject } from './eventSelectors';

/** An event read for a subject, fields unchecked beyond their types. */
export interface ObservedEvent {
  /** The subject that was asked about (never the event's own claim). */
  subject: EventSubject;
  type?: string;
  reason?: string;
  message?: string;
  count: number;
  firstSeen?: string;
  lastSeen?: string;
  reportingController?: string;
}

type Json = Record<string, unknown>;

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function record(value: unknown): Json {
  return value && typeof value === 'object' ? (value as Json) : {};
}

/** A positive count, else 1 (one event is at least one occurrence). */
function occurrences(...values: unknown[]): number {
  for (const v of values) {
    if (typeof v === 'number' && Number.isSafeInteger(v) && v > 0) return v;
  }
  return 1;
}

/**
 * An ISO 8601 time, or undefined for anything that does not parse. A Date is
 * what client-node's typed core API makes of one (the watch cache's lists).
 */
function time(...values: unknown[]): string | undefined {
  for (const v of values) {
    if (v instanceof Date && !Number.isNaN(v.getTime())) {
      return v.toISOString();
    }
    const s = text(v);
    if (s && !Number.isNaN(Date.parse(s))) return new Date(s).toISOString();
  }
  return undefined;
}

/**
 * Reads an item of `events.k8s.io/v1` (note, series, deprecated* fields) or
 * of core `v1` (message, count, first/lastTimestamp).
 */
export function observedEventOf(
  api: EventApi,
  subject: EventSubject,
  item: unknown,
): ObservedEvent {
  const e = record(item);
  const series = record(e.series);
  const created = record(e.metadata).creationTimestamp;
  if (api === 'events.k8s.io/v1') {
    return {
      subject,
      type: text(e.type),
      reason: text(e.reason),
      message: text(e.note),
      count: occurrences(series.count, e.deprecatedCount),
      firstSeen: time(e.deprecatedFirstTimestamp, e.eventTime, created),
      lastSeen: time(
        series.lastObservedTime,
        e.deprecatedLastTimestamp,
        e.eventTime,
        created,
      ),
      reportingController: text(e.reportingController),
    };
  }
  return {
    subject,
    type: text(e.type),
    reason: text(e.reason),
    message: text(e.message),
    count: occurrences(series.count, e.count),
    firstSeen: time(e.firstTimestamp, e.eventTime, created),
    lastSeen: time(
      series.lastObservedTime,
      e.lastTimestamp,
      e.eventTime,
      created,
    ),
    reportingController: text(
      e.reportingComponent ?? record(e.source).component,
    ),
  };
}

/**
 * From the events read for a gateway to what the card shows: texts cleaned
 * (they are written by anyone allowed to create events), the same event
 * merged into one row, warnings first when something is wrong, newest first,
 * a bounded number of rows, each Warning with its fix when known.
 */
import {
  GatewayEvent,
  GatewayEvents,
} from '@gateway-portal/plugin-aws-gateway-common';
import {
  redactAddresses,
  redactSecrets,
} from '@gateway-portal/plugin-aws-gateway-node';
import { EventsRead } from '../../kubernetes/events/ClusterEventReader';
import { ObservedEvent } from '../../kubernetes/events/observedEvent';
import { adviceFor } from './eventAdvice';

/** Rows one gateway shows at most. */
export const MAX_EVENTS_PER_GATEWAY = 20;
const MAX_REASON_LENGTH = 128;
const MAX_CONTROLLER_LENGTH = 253;

// C0/C1 controls, and the bidirectional overrides that reorder what a reader sees.
const INVISIBLE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function capped(value: string, max: number): string {
  return value.length > max ? `${value.slice(0, max)}…` : value;
}

/** Plain text of one line, without control characters, at most `max` characters. */
function cleanText(value: string, max: number): string {
  return capped(value.replace(INVISIBLE, ' ').replace(/\s+/g, ' ').trim(), max);
}

/**
 * An event's message as the card may show it: one line, no credentials, no
 * URLs or internal addresses, capped (redactSecrets' length).
 */
export function cleanMessage(message: string): string {
  return redactSecrets(redactAddresses(cleanText(message, 4096)));
}

function rowOf(event: ObservedEvent): GatewayEvent {
  const type = event.type === 'Warning' ? 'Warning' : 'Normal';
  const reason = cleanText(event.reason ?? 'Unknown', MAX_REASON_LENGTH);
  const message = cleanMessage(event.message ?? '');
  const fix = type === 'Warning' ? adviceFor(reason, message) : undefined;
  const { kind, namespace, name } = event.subject;
  return {
    type,
    reason,
    message,
    object: { kind, ...(namespace ? { namespace } : {}), name },
    count: event.count,
    ...(event.firstSeen ? { firstSeen: event.firstSeen } : {}),
    ...(event.lastSeen ? { lastSeen: event.lastSeen } : {}),
    ...(event.reportingController
      ? {
          reportingController: cleanText(
            event.reportingController,
            MAX_CONTROLLER_LENGTH,
          ),
        }
      : {}),
    ...(fix ? { fix } : {}),
  };
}

function earliest(a?: string, b?: string): string | undefined {
  if (!a || !b) return a ?? b;
  return a < b ? a : b;
}

function latest(a?: string, b?: string): string | undefined {
  if (!a || !b) return a ?? b;
  return a > b ? a : b;
}

/** Same object, type, reason and message: one row, counts added, widest time span. */
function merge(rows: GatewayEvent[]): GatewayEvent[] {
  const byKey = new Map<string, GatewayEvent>();
  for (const row of rows) {
    const { kind, namespace, name } = row.object;
    const key = JSON.stringify([
      kind,
      namespace,
      name,
      row.type,
      row.reason,
      row.message,
    ]);
    const seen = byKey.get(key);
    if (!seen) {
      byKey.set(key, row);
      continue;
    }
    const firstSeen = earliest(seen.firstSeen, row.firstSeen);
    const lastSeen = latest(seen.lastSeen, row.lastSeen);
    byKey.set(key, {
      ...seen,
      count: seen.count + row.count,
      ...(firstSeen ? { firstSeen } : {}),
      ...(lastSeen ? { lastSeen } : {}),
    });
  }
  return [...byKey.values()];
}

/**
 * The card's view of a read. `somethingWrong` (the gateway is not
 * programmed, or has warnings of its own) puts Warning rows first; otherwise
 * rows are newest first only, so an old warning does not sit above the
 * controller's later success.
 */
export function summarizeEvents(
  read: EventsRead,
  options: { somethingWrong: boolean },
): GatewayEvents {
  if (read.availability !== 'read') {
    return { availability: read.availability, items: [] };
  }
  const rows = merge(read.events.map(rowOf));
  rows.sort((a, b) => {
    if (options.somethingWrong && a.type !== b.type) {
      return a.type === 'Warning' ? -1 : 1;
    }
    return (b.lastSeen ?? '').localeCompare(a.lastSeen ?? '');
  });
  const omitted =
    Math.max(0, rows.length - MAX_EVENTS_PER_GATEWAY) + read.cappedSubjects;
  return {
    availability: 'read',
    ...(read.api ? { api: read.api } : {}),
    items: rows.slice(0, MAX_EVENTS_PER_GATEWAY),
    ...(omitted ? { omitted } : {}),
  };
}

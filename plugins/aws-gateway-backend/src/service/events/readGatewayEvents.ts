/**
 * The events part of one gateway's status: read its objects' events (through
 * the request's connection, which the watch cache answers once warm) and
 * summarise them.
 * A failure is logged and shown as "could not be read", never as an error of
 * the gateway's status.
 */
import {
  GatewayEvents,
  gatewayNeedsAttention,
  GatewayStatus,
} from '@gateway-portal/plugin-aws-gateway-common';
import {
  ClusterEventReader,
  EventsRead,
} from '../../kubernetes/events/ClusterEventReader';
import { FailureReport } from '../collector/failureReport';
import {
  GatewayEventSources,
  gatewayEventSubjects,
} from './gatewayEventSubjects';
import { summarizeEvents } from './summarizeEvents';

export async function readGatewayEvents(
  reader: ClusterEventReader,
  sources: GatewayEventSources,
  report: FailureReport,
): Promise<EventsRead> {
  const read = await reader.read(gatewayEventSubjects(sources));
  if (read.failure) {
    report.failure('kubernetes', read.failure, {
      cluster: reader.cluster,
      action: 'list events',
    });
  }
  return read;
}

/** The card's events of a gateway: warnings first when it needs attention. */
export function gatewayEventsOf(
  read: EventsRead,
  status: Pick<GatewayStatus, 'state' | 'warnings'>,
): GatewayEvents {
  return summarizeEvents(read, {
    somethingWrong: gatewayNeedsAttention(status),
  });
}

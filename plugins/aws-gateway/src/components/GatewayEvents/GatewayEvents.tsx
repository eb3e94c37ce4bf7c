import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  Accordion,
  AccordionPanel,
  AccordionTrigger,
  Cell,
  Column,
  Flex,
  Row,
  TableBody,
  TableHeader,
  TableRoot,
  Text,
} from '@backstage/ui';
import {
  GatewayEvent,
  GatewayEvents as GatewayEventsModel,
} from '@gateway-portal/plugin-aws-gateway-common';
import { awsGatewayTranslationRef } from '../../translation';
import { StatusLabel } from '../StatusLabel';

/** Event texts are one line of any length: break anywhere rather than overflow. */
const WRAP = { overflowWrap: 'anywhere' } as const;
/** The message gets the room; type, reason and count stay narrow. */
const EVENT_COLUMN = { width: '24%' } as const;
const OBJECT_COLUMN = { width: '20%' } as const;

/** `2026-01-01T11:00:00.000Z` → `2026-01-01 11:00:00 UTC`: the same for every viewer. */
function shownTime(iso: string | undefined): string {
  if (!iso) return '—';
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

function rowKey(event: GatewayEvent, index: number): string {
  const { kind, namespace, name } = event.object;
  return `${kind}:${namespace ?? ''}:${name}:${event.reason}:${index}`;
}

/** @public */
export interface GatewayEventsProps {
  events?: GatewayEventsModel;
  /** The gateway is not programmed or has warnings: the events open by default. */
  somethingWrong: boolean;
}

/**
 * The controller's own words about a gateway: the Kubernetes Events of the
 * Gateway, its routes, bindings and configurations, warnings with their fix.
 * Open where something is wrong, folded away when all is well. Event texts
 * are written by whoever may create events: shown as text only.
 *
 * @public
 */
export function GatewayEvents(props: GatewayEventsProps) {
  const { events, somethingWrong } = props;
  const { t } = useTranslationRef(awsGatewayTranslationRef);
  if (!events) return null;
  if (events.availability !== 'read') {
    return (
      <Text as="p" variant="body-small" color="secondary" role="note">
        {events.availability === 'not-readable'
          ? t('events.notReadable')
          : t('events.failed')}
      </Text>
    );
  }
  const { items } = events;
  if (items.length === 0 && !somethingWrong) return null;
  const warnings = items.filter(e => e.type === 'Warning').length;
  return (
    <Accordion defaultExpanded={somethingWrong && items.length > 0}>
      <AccordionTrigger
        level={5}
        title={t('events.title', { count: items.length })}
        subtitle={
          warnings > 0 ? t('events.warnings', { count: warnings }) : undefined
        }
      />
      <AccordionPanel>
        <Flex direction="column" gap="2">
          {items.length === 0 ? (
            <Text as="p" variant="body-medium" color="secondary">
              {t('events.none')}
            </Text>
          ) : (
            <TableRoot aria-label={t('events.label')}>
              <TableHeader>
                <Column isRowHeader style={EVENT_COLUMN}>
                  {t('events.columnEvent')}
                </Column>
                <Column style={OBJECT_COLUMN}>
                  {t('events.columnObject')}
                </Column>
                <Column>{t('events.columnMessage')}</Column>
              </TableHeader>
              <TableBody>
                {items.map((event, index) => (
                  <Row key={rowKey(event, index)} id={rowKey(event, index)}>
                    <Cell style={EVENT_COLUMN}>
                      <StatusLabel
                        status={event.type === 'Warning' ? 'warning' : 'ok'}
                      >
                        {event.type === 'Warning'
                          ? t('events.typeWarning')
                          : t('events.typeNormal')}
                      </StatusLabel>
                      <Text as="div" variant="body-medium" style={WRAP}>
                        {event.reason}
                      </Text>
                      <Text as="div" variant="body-small" color="secondary">
                        {t('events.seen', {
                          count: event.count,
                          time: shownTime(event.lastSeen),
                        })}
                      </Text>
                    </Cell>
                    <Cell style={OBJECT_COLUMN}>
                      <Text as="div" variant="body-medium" style={WRAP}>
                        {t('events.object', {
                          kind: event.object.kind,
                          name: event.object.name,
                        })}
                      </Text>
                    </Cell>
                    <Cell>
                      <Text as="div" variant="body-medium" style={WRAP}>
                        {event.message}
                      </Text>
                      {event.fix && (
                        <Text as="div" variant="body-small">
                          <strong>{t('warnings.fix')}</strong> {event.fix}
                        </Text>
                      )}
                    </Cell>
                  </Row>
                ))}
              </TableBody>
            </TableRoot>
          )}
          {events.omitted ? (
            <Text as="p" variant="body-small" color="secondary">
              {t('events.omitted', { count: events.omitted })}
            </Text>
          ) : null}
        </Flex>
      </AccordionPanel>
    </Accordion>
  );
}

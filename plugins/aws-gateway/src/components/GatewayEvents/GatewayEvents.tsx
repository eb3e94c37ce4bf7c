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

const NOWRAP = { whiteSpace: 'nowrap' } as const;

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
                <Column style={NOWRAP}>{t('events.columnType')}</Column>
                <Column isRowHeader>{t('events.columnReason')}</Column>
                <Column>{t('events.columnObject')}</Column>
                <Column>{t('events.columnMessage')}</Column>
                <Column style={NOWRAP}>{t('events.columnCount')}</Column>
                <Column style={NOWRAP}>{t('events.columnLastSeen')}</Column>
              </TableHeader>
              <TableBody>
                {items.map((event, index) => (
                  <Row key={rowKey(event, index)} id={rowKey(event, index)}>
                    <Cell style={NOWRAP}>
                      <StatusLabel
                        status={event.type === 'Warning' ? 'warning' : 'ok'}
                      >
                        {event.type === 'Warning'
                          ? t('events.typeWarning')
                          : t('events.typeNormal')}
                      </StatusLabel>
                    </Cell>
                    <Cell>{event.reason}</Cell>
                    <Cell>
                      {t('events.object', {
                        kind: event.object.kind,
                        name: event.object.name,
                      })}
                    </Cell>
                    <Cell>
                      <Text
                        as="div"
                        variant="body-medium"
                        style={{ overflowWrap: 'anywhere' }}
                      >
                        {event.message}
                      </Text>
                      {event.fix && (
                        <Text as="div" variant="body-small">
                          <strong>{t('warnings.fix')}</strong> {event.fix}
                        </Text>
                      )}
                    </Cell>
                    <Cell style={NOWRAP}>
                      {t('events.count', { count: event.count })}
                    </Cell>
                    <Cell style={NOWRAP}>{shownTime(event.lastSeen)}</Cell>
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

import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { useEntityRefLink } from '@backstage/plugin-catalog-react';
import {
  Cell,
  Column,
  Flex,
  Link,
  Row,
  TableBody,
  TableHeader,
  TableRoot,
  Text,
} from '@backstage/ui';
import { ExternalLink } from '../ExternalLink';
import { GatewayStateStatus } from '../GatewayStateStatus';
import { StatusLabel } from '../StatusLabel';
import { EndpointRow, shortRef } from './endpointRows';
import { exposedEndpointsTranslationRef } from './translation';

const NOWRAP = { whiteSpace: 'nowrap' } as const;

function SchemeCell(props: { row: EndpointRow }) {
  const { row } = props;
  const { t } = useTranslationRef(exposedEndpointsTranslationRef);
  if (row.scheme === 'internal') {
    return <Text variant="body-medium">{t('scheme.internal')}</Text>;
  }
  return (
    <Flex direction="column" gap="1">
      <Text variant="body-medium">{t('scheme.internet-facing')}</Text>
      {row.openToWorld && (
        <StatusLabel status="warning">{t('scheme.openToWorld')}</StatusLabel>
      )}
    </Flex>
  );
}

/** A link to an entity's page, named as the catalog names refs of its own kind and namespace. */
function EntityLink(props: {
  entityRef: string;
  defaultKind: string;
  title?: string;
}) {
  const entityHref = useEntityRefLink();
  return (
    <Link href={entityHref(props.entityRef)}>
      {props.title ?? shortRef(props.entityRef, props.defaultKind)}
    </Link>
  );
}

/** One row per Gateway Resource, in the order given. */
export function EndpointsTable(props: { rows: EndpointRow[] }) {
  const { t } = useTranslationRef(exposedEndpointsTranslationRef);
  return (
    <TableRoot aria-label={t('title')}>
      <TableHeader>
        <Column isRowHeader>{t('columns.endpoint')}</Column>
        <Column style={NOWRAP}>{t('columns.cluster')}</Column>
        <Column>{t('columns.scheme')}</Column>
        <Column>{t('columns.sourceRanges')}</Column>
        <Column style={NOWRAP}>{t('columns.ports')}</Column>
        <Column style={NOWRAP}>{t('columns.owner')}</Column>
        <Column style={NOWRAP}>{t('columns.health')}</Column>
        <Column>{t('columns.links')}</Column>
      </TableHeader>
      <TableBody>
        {props.rows.map(row => (
          <Row key={row.ref} id={row.ref}>
            <Cell>
              <Flex direction="column" gap="1">
                <EntityLink
                  entityRef={row.ref}
                  defaultKind="resource"
                  title={row.title}
                />
                <Text as="div" variant="body-small" color="secondary">
                  {row.dnsName ? <code>{row.dnsName}</code> : t('noDnsName')}
                </Text>
              </Flex>
            </Cell>
            <Cell style={NOWRAP}>{row.cluster}</Cell>
            <Cell>
              <SchemeCell row={row} />
            </Cell>
            <Cell>
              {row.sourceRanges?.length
                ? row.sourceRanges.map(range => (
                    <Text as="div" variant="body-medium" key={range}>
                      <code>{range}</code>
                    </Text>
                  ))
                : t('anySource')}
            </Cell>
            <Cell style={NOWRAP}>
              {row.listeners.map(listener => (
                <Text as="div" variant="body-medium" key={listener}>
                  {listener.replace(':', ' ')}
                </Text>
              ))}
            </Cell>
            <Cell style={NOWRAP}>
              {row.owner ? (
                <EntityLink entityRef={row.owner} defaultKind="group" />
              ) : (
                '—'
              )}
            </Cell>
            <Cell style={NOWRAP}>
              <GatewayStateStatus state={row.state} />
            </Cell>
            <Cell>
              <Flex direction="column" gap="1">
                {row.component ? (
                  <EntityLink
                    entityRef={row.component}
                    defaultKind="component"
                  />
                ) : (
                  <Text variant="body-medium" color="secondary">
                    {t('unclaimed')}
                  </Text>
                )}
                {row.consoleUrl && (
                  <ExternalLink
                    href={row.consoleUrl}
                    label={t('awsConsoleLabel', { name: row.title })}
                  >
                    {t('awsConsole')}
                  </ExternalLink>
                )}
              </Flex>
            </Cell>
          </Row>
        ))}
      </TableBody>
    </TableRoot>
  );
}

import { useApi, useTranslationRef } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { Alert, Container, Flex, Header, Skeleton, Text } from '@backstage/ui';
import {
  GATEWAY_RESOURCE_ANNOTATIONS,
  GATEWAY_RESOURCE_TYPE,
} from '@gateway-portal/plugin-aws-gateway-common';
import { useMemo, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { EndpointFilters } from './EndpointFilters';
import {
  distinctValues,
  EndpointFilter,
  endpointRowOf,
  filterEndpointRows,
  sortEndpointRows,
} from './endpointRows';
import { EndpointsTable } from './EndpointsTable';
import { exposedEndpointsTranslationRef } from './translation';

/** What the page reads of each Resource. */
const FIELDS = [
  'kind',
  'metadata.namespace',
  'metadata.name',
  'metadata.title',
  ...Object.values(GATEWAY_RESOURCE_ANNOTATIONS).map(
    a => `metadata.annotations.${a}`,
  ),
  'spec.owner',
  'relations',
];

/**
 * Every NLB Gateway across clusters, from the catalog Resources the catalog
 * module publishes: scheme, source CIDRs, ports, owner and the controller's
 * state, internet-facing first, with filters. Health is the state the
 * controller reports, read when the catalog module last ran: target health
 * for hundreds of Gateways would be hundreds of AWS calls per view, so it
 * stays on each component's card, one click away.
 */
export function ExposedEndpointsContent() {
  const catalogApi = useApi(catalogApiRef);
  const { t } = useTranslationRef(exposedEndpointsTranslationRef);
  const [filter, setFilter] = useState<EndpointFilter>({});
  const { value, loading, error } = useAsync(async () => {
    const { items } = await catalogApi.getEntities({
      filter: { kind: 'resource', 'spec.type': GATEWAY_RESOURCE_TYPE },
      fields: FIELDS,
    });
    return sortEndpointRows(items.map(endpointRowOf));
  }, [catalogApi]);
  const rows = useMemo(() => value ?? [], [value]);
  const shown = useMemo(() => filterEndpointRows(rows, filter), [rows, filter]);

  let body;
  if (loading) {
    body = <Skeleton aria-label={t('loading')} width="100%" height={200} />;
  } else if (error) {
    body = (
      <Alert
        status="danger"
        title={t('loadFailed')}
        description={error.message}
      />
    );
  } else if (!rows.length) {
    body = <Text color="secondary">{t('none')}</Text>;
  } else {
    body = (
      <>
        <EndpointFilters
          clusters={distinctValues(rows, 'cluster')}
          owners={distinctValues(rows, 'owner')}
          filter={filter}
          onChange={setFilter}
        />
        <Text as="p" variant="body-small" color="secondary">
          {t('count', {
            shown: String(shown.length),
            total: String(rows.length),
          })}
        </Text>
        {shown.length ? (
          <EndpointsTable rows={shown} />
        ) : (
          <Text color="secondary">{t('noneMatching')}</Text>
        )}
      </>
    );
  }
  return (
    <Container>
      <Flex direction="column" gap="4">
        <Text as="p" variant="body-medium" color="secondary">
          {t('subtitle')}
        </Text>
        {body}
      </Flex>
    </Container>
  );
}

/** The page with its own header, for legacy apps (the new frontend system's page adds the plugin's header). */
export function ExposedEndpointsPage() {
  const { t } = useTranslationRef(exposedEndpointsTranslationRef);
  return (
    <>
      <Header title={t('title')} />
      <ExposedEndpointsContent />
    </>
  );
}

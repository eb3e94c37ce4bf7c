import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { Flex, Select } from '@backstage/ui';
import { EndpointFilter, shortRef } from './endpointRows';
import { exposedEndpointsTranslationRef } from './translation';

/** The `All` option's key: no value a filter can take (cluster names are HTTP header values). */
const ALL = '\u0000all';

function FilterSelect(props: {
  label: string;
  value: string | undefined;
  options: Array<{ id: string; label: string }>;
  onChange: (value: string | undefined) => void;
}) {
  const { t } = useTranslationRef(exposedEndpointsTranslationRef);
  return (
    <Select
      label={props.label}
      options={[{ id: ALL, label: t('filters.all') }, ...props.options]}
      selectedKey={props.value ?? ALL}
      onSelectionChange={key =>
        props.onChange(key === ALL || key === null ? undefined : String(key))
      }
    />
  );
}

/** Cluster, scheme and owner filters over the endpoints shown. */
export function EndpointFilters(props: {
  clusters: string[];
  owners: string[];
  filter: EndpointFilter;
  onChange: (filter: EndpointFilter) => void;
}) {
  const { clusters, owners, filter, onChange } = props;
  const { t } = useTranslationRef(exposedEndpointsTranslationRef);
  return (
    <Flex gap="4" align="end">
      <FilterSelect
        label={t('filters.cluster')}
        value={filter.cluster}
        options={clusters.map(c => ({ id: c, label: c }))}
        onChange={cluster => onChange({ ...filter, cluster })}
      />
      <FilterSelect
        label={t('filters.scheme')}
        value={filter.scheme}
        options={[
          { id: 'internet-facing', label: t('scheme.internet-facing') },
          { id: 'internal', label: t('scheme.internal') },
        ]}
        onChange={scheme =>
          onChange({
            ...filter,
            scheme: scheme as EndpointFilter['scheme'],
          })
        }
      />
      <FilterSelect
        label={t('filters.owner')}
        value={filter.owner}
        options={owners.map(o => ({ id: o, label: shortRef(o, 'group') }))}
        onChange={owner => onChange({ ...filter, owner })}
      />
    </Flex>
  );
}

import { useApi } from '@backstage/core-plugin-api';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { awsGatewayTranslationRef } from '../../translation';
import { useKubernetesUserTokens } from '../../hooks/useKubernetesUserTokens';
import { awsGatewayFormOptionsApiRef } from '../api';
import { formValuesOf } from '../support/formValues';
import {
  fieldBasics,
  OptionSelect,
  PickerOption,
} from '../support/OptionSelect';
import { useFormOption } from '../support/useFormOption';

const asOptions = (names: string[]): PickerOption[] =>
  names.map(name => ({ value: name, label: name }));

/**
 * `ui:field: AwsGatewayNamespacePicker`: the namespaces of the chosen cluster
 * the user may put an endpoint in; without a cluster, the namespaces the
 * platform allows (or free text when it allows any).
 */
export function NamespacePicker(props: FieldExtensionComponentProps<string>) {
  const api = useApi(awsGatewayFormOptionsApiRef);
  const kubernetesTokens = useKubernetesUserTokens();
  const { t } = useTranslationRef(awsGatewayTranslationRef);
  const cluster = formValuesOf(props.formContext).cluster || undefined;
  const fromCluster = useFormOption(cluster, async () =>
    asOptions(await api.listNamespaces(cluster!, { kubernetesTokens })),
  );
  const fromGuardrails = useFormOption(
    cluster ? undefined : 'guardrails',
    async () => {
      const allowed = (await api.getGuardrails()).allowedNamespaces;
      return allowed ? asOptions(allowed) : undefined;
    },
  );
  let options: typeof fromCluster | undefined = fromCluster;
  if (!cluster) {
    // Free text when the platform allows any namespace.
    options =
      fromGuardrails.loading || fromGuardrails.error || fromGuardrails.value
        ? (fromGuardrails as typeof fromCluster)
        : undefined;
  }
  return (
    <OptionSelect
      {...fieldBasics(props, t('fields.namespace.label'))}
      value={props.formData ?? ''}
      onChange={value => props.onChange(value || undefined)}
      options={options}
      emptyText={
        cluster
          ? t('fields.namespace.emptyOnCluster', { cluster })
          : t('fields.namespace.emptyAllowed')
      }
      freeTextHint={t('fields.namespace.freeTextHint')}
    />
  );
}

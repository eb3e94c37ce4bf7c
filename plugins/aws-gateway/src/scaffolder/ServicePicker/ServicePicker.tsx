import { useApi } from '@backstage/core-plugin-api';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { FormService } from '@gateway-portal/plugin-aws-gateway-common';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { awsGatewayTranslationRef } from '../../translation';
import { useKubernetesUserTokens } from '../../hooks/useKubernetesUserTokens';
import { awsGatewayFormOptionsApiRef } from '../api';
import { formValuesOf } from '../support/formValues';
import { fieldBasics, OptionSelect } from '../support/OptionSelect';
import { useFormOption } from '../support/useFormOption';

/** `3000/TCP (http)`. */
export function servicePortLabel(port: FormService['ports'][number]): string {
  return `${port.port}/${port.protocol}${port.name ? ` (${port.name})` : ''}`;
}

/** The Services of the chosen cluster and namespace, read once per choice. */
export function useServices(formContext: unknown) {
  const api = useApi(awsGatewayFormOptionsApiRef);
  const kubernetesTokens = useKubernetesUserTokens();
  const { cluster, namespace } = formValuesOf(formContext);
  const key = cluster && namespace ? `${cluster}/${namespace}` : undefined;
  return {
    where: key,
    services: useFormOption(key, () =>
      api.listServices(cluster!, namespace!, { kubernetesTokens }),
    ),
  };
}

/**
 * `ui:field: AwsGatewayServicePicker`: the Services in the chosen cluster and
 * namespace, with their ports; free text without a cluster.
 */
export function ServicePicker(props: FieldExtensionComponentProps<string>) {
  const { where, services } = useServices(props.formContext);
  const { t } = useTranslationRef(awsGatewayTranslationRef);
  const options = where
    ? {
        ...services,
        value: services.value?.map(s => ({
          value: s.name,
          label: `${s.name} — ${
            s.ports.map(servicePortLabel).join(', ') ||
            t('fields.service.noPorts')
          }`,
        })),
      }
    : undefined;
  return (
    <OptionSelect
      {...fieldBasics(props, t('fields.service.label'))}
      value={props.formData ?? ''}
      onChange={value => props.onChange(value || undefined)}
      options={options}
      emptyText={t('fields.service.empty', {
        where: where ?? t('fields.service.thisNamespace'),
      })}
      freeTextHint={t('fields.service.freeTextHint')}
    />
  );
}

import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { awsGatewayTranslationRef } from '../../translation';
import { servicePortLabel, useServices } from '../ServicePicker';
import { formValuesOf } from '../support/formValues';
import { fieldBasics, OptionSelect } from '../support/OptionSelect';

/**
 * `ui:field: AwsGatewayServicePortPicker`: the ports of the chosen Service;
 * a number field without a cluster.
 */
export function ServicePortPicker(props: FieldExtensionComponentProps<number>) {
  const { where, services } = useServices(props.formContext);
  const { t } = useTranslationRef(awsGatewayTranslationRef);
  const serviceName = formValuesOf(props.formContext).serviceName;
  const service = services.value?.find(s => s.name === serviceName);
  const options =
    where && serviceName
      ? {
          ...services,
          value: service?.ports.map(p => ({
            value: String(p.port),
            label: servicePortLabel(p),
          })),
        }
      : undefined;
  return (
    <OptionSelect
      {...fieldBasics(props, t('fields.servicePort.label'))}
      inputType="number"
      value={props.formData === undefined ? '' : String(props.formData)}
      onChange={value =>
        props.onChange(value === '' ? undefined : Number(value))
      }
      options={options}
      emptyText={
        service
          ? t('fields.servicePort.noPorts', { service: serviceName ?? '' })
          : t('fields.servicePort.notFound', {
              service: serviceName ?? '',
              where: where ?? '',
            })
      }
      freeTextHint={t('fields.servicePort.freeTextHint')}
    />
  );
}

import { useApi } from '@backstage/core-plugin-api';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { FormCluster } from '@gateway-portal/plugin-aws-gateway-common';
import { awsGatewayTranslationRef } from '../../translation';
import { useKubernetesUserTokens } from '../../hooks/useKubernetesUserTokens';
import { awsGatewayFormOptionsApiRef } from '../api';
import { fieldBasics, OptionSelect } from '../support/OptionSelect';
import { useFormOption } from '../support/useFormOption';

/**
 * The cluster and what the portal detected on it, as one line of the list;
 * `notDetected` is said when the backend gives no reason.
 */
export function clusterLabel(
  cluster: FormCluster,
  notDetected: string,
): string {
  const name = cluster.title
    ? `${cluster.title} (${cluster.name})`
    : cluster.name;
  return cluster.controllerProfile
    ? `${name} — ${cluster.controllerProfile.id}: ${cluster.controllerProfile.title}`
    : `${name} — ${cluster.problem ?? notDetected}`;
}

/**
 * `ui:field: AwsGatewayClusterPicker`: the clusters endpoints may be checked
 * against, each with the controller profile detected on it. Empty means no
 * cluster check (the platform's default profile is used).
 */
export function ClusterPicker(props: FieldExtensionComponentProps<string>) {
  const api = useApi(awsGatewayFormOptionsApiRef);
  const kubernetesTokens = useKubernetesUserTokens();
  const { t } = useTranslationRef(awsGatewayTranslationRef);
  const clusters = useFormOption('clusters', async () =>
    (await api.listClusters({ kubernetesTokens })).map(c => ({
      value: c.name,
      label: clusterLabel(c, t('fields.cluster.notDetected')),
    })),
  );
  return (
    <OptionSelect
      {...fieldBasics(props, t('fields.cluster.label'))}
      value={props.formData ?? ''}
      onChange={value => props.onChange(value || undefined)}
      options={clusters}
      emptyText={t('fields.cluster.empty')}
    />
  );
}

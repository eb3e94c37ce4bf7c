import { useApi } from '@backstage/core-plugin-api';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { FormCluster } from '@gateway-portal/plugin-aws-gateway-common';
import { awsGatewayFormOptionsApiRef } from '../api';
import { fieldBasics, OptionSelect } from '../support/OptionSelect';
import { useFormOption } from '../support/useFormOption';

/** The cluster and what the portal detected on it, as one line of the list. */
export function clusterLabel(cluster: FormCluster): string {
  const name = cluster.title
    ? `${cluster.title} (${cluster.name})`
    : cluster.name;
  return cluster.controllerProfile
    ? `${name} — ${cluster.controllerProfile.id}: ${cluster.controllerProfile.title}`
    : `${name} — ${cluster.problem ?? 'controller not detected'}`;
}

/**
 * `ui:field: AwsGatewayClusterPicker`: the clusters endpoints may be checked
 * against, each with the controller profile detected on it. Empty means no
 * cluster check (the platform's default profile is used).
 */
export function ClusterPicker(props: FieldExtensionComponentProps<string>) {
  const api = useApi(awsGatewayFormOptionsApiRef);
  const clusters = useFormOption('clusters', async () =>
    (await api.listClusters()).map(c => ({
      value: c.name,
      label: clusterLabel(c),
    })),
  );
  return (
    <OptionSelect
      {...fieldBasics(props, 'Cluster')}
      value={props.formData ?? ''}
      onChange={value => props.onChange(value || undefined)}
      options={clusters}
      emptyText="No cluster is set up for endpoints yet: leave this empty and the manifests are checked without one."
    />
  );
}

import { CodeSnippet, EmptyState } from '@backstage/core-components';

const CLUSTER_CONFIG_EXAMPLE = `kubernetes:
  serviceLocatorMethod:
    type: multiTenant
  clusterLocatorMethods:
    - type: config
      clusters:
        - name: my-cluster
          url: https://ABC123.gr7.eu-west-1.eks.amazonaws.com
          authProvider: aws
          caData: \${EKS_CLUSTER_CA_DATA}`;

/**
 * The backend has no Kubernetes cluster to look in: shows how to configure
 * one. The status backend reuses the Kubernetes plugin's cluster list, so
 * clusters are configured once, for both.
 *
 * @public
 */
export function NotConfiguredState() {
  return (
    <EmptyState
      missing="info"
      title="No Kubernetes cluster configured"
      description="Gateway status is read from the clusters configured for the Kubernetes plugin. Ask your Backstage administrator to add the cluster that runs the AWS Load Balancer Controller under kubernetes.clusterLocatorMethods in app-config.yaml:"
      action={
        <CodeSnippet
          text={CLUSTER_CONFIG_EXAMPLE}
          language="yaml"
          showCopyCodeButton
        />
      }
    />
  );
}

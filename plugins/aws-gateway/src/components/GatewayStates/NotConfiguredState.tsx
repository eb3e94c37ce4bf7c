import { CodeSnippet } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { awsGatewayTranslationRef } from '../../translation';
import { StateMessage } from './StateMessage';

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
  const { t } = useTranslationRef(awsGatewayTranslationRef);
  return (
    <StateMessage
      title={t('notConfigured.title')}
      description={t('notConfigured.description')}
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

import { ApiHolder, useApiHolder } from '@backstage/core-plugin-api';
import {
  kubernetesApiRef,
  kubernetesAuthProvidersApiRef,
} from '@backstage/plugin-kubernetes-react';
import { useMemo } from 'react';
import { KubernetesUserTokens } from '../api/KubernetesUserTokens';

/**
 * The user's Kubernetes tokens from an app's APIs: when it has the Kubernetes
 * plugin's frontend APIs; undefined otherwise (an app without them reaches
 * only clusters with server-side auth, as before).
 */
export function kubernetesUserTokensOf(
  apis: ApiHolder,
): KubernetesUserTokens | undefined {
  const kubernetesApi = apis.get(kubernetesApiRef);
  const kubernetesAuthProvidersApi = apis.get(kubernetesAuthProvidersApiRef);
  return kubernetesApi && kubernetesAuthProvidersApi
    ? new KubernetesUserTokens({ kubernetesApi, kubernetesAuthProvidersApi })
    : undefined;
}

/**
 * `kubernetesUserTokensOf` the app's APIs, once per component.
 *
 * @public
 */
export function useKubernetesUserTokens(): KubernetesUserTokens | undefined {
  const apis = useApiHolder();
  return useMemo(() => kubernetesUserTokensOf(apis), [apis]);
}

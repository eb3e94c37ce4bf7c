/**
 * What the provider reads from one cluster: the NLB GatewayClasses, every
 * Gateway and every LoadBalancerConfiguration. Read-only list calls, each
 * with a deadline and the run's cancellation.
 */
import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import {
  abortableCall,
  GATEWAY_CLASSES,
  GATEWAYS,
  isKubernetesNotFound,
  KUBERNETES_CALL_TIMEOUT_MS,
  LOAD_BALANCER_CONFIGURATIONS,
  ResourceSpec,
  toKubernetesApiError,
} from '@gateway-portal/plugin-aws-gateway-node';

/** An object as the API server sent it: nothing in it is trusted yet. */
export type UntrustedObject = Record<string, unknown>;

export interface ClusterObjects {
  gatewayClasses: UntrustedObject[];
  gateways: UntrustedObject[];
  loadBalancerConfigurations: UntrustedObject[];
}

/** Reads one cluster's objects; rejects with a KubernetesApiError. */
export type ClusterObjectsReader = (
  kubeConfig: KubeConfig,
  signal: AbortSignal,
) => Promise<ClusterObjects>;

/**
 * The items of the first served version of `resource` (newest first); none
 * when no version is served (the CRD is not installed).
 */
async function listServed(
  api: CustomObjectsApi,
  resource: ResourceSpec,
  signal: AbortSignal,
): Promise<UntrustedObject[]> {
  for (const version of resource.versions) {
    const what = `list ${resource.plural}.${resource.group}/${version}`;
    try {
      const list = await api.listClusterCustomObject(
        { group: resource.group, version, plural: resource.plural },
        abortableCall(signal, KUBERNETES_CALL_TIMEOUT_MS),
      );
      const items = (list as { items?: unknown })?.items;
      return Array.isArray(items)
        ? items.filter(
            (i): i is UntrustedObject => typeof i === 'object' && i !== null,
          )
        : [];
    } catch (e) {
      if (isKubernetesNotFound(e)) continue;
      throw toKubernetesApiError(e, what, KUBERNETES_CALL_TIMEOUT_MS);
    }
  }
  return [];
}

/** The default reader, through @kubernetes/client-node. */
export const readClusterObjects: ClusterObjectsReader = async (
  kubeConfig,
  signal,
) => {
  const api = kubeConfig.makeApiClient(CustomObjectsApi);
  const [gatewayClasses, gateways, loadBalancerConfigurations] =
    await Promise.all([
      listServed(api, GATEWAY_CLASSES, signal),
      listServed(api, GATEWAYS, signal),
      listServed(api, LOAD_BALANCER_CONFIGURATIONS, signal),
    ]);
  return { gatewayClasses, gateways, loadBalancerConfigurations };
};

import { GATEWAY_API_GROUP_NAME } from '@gateway-portal/plugin-aws-gateway-common';
import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
} from '@kubernetes/client-node';
import {
  abortableCall,
  KUBERNETES_CALL_TIMEOUT_MS,
} from '../kubernetes/abortSignal';
import { isKubernetesNotFound } from '../kubernetes/apiErrors';

/**
 * The cluster reads a listener on a shared Gateway needs, read-only and each
 * with the provisioning calls' deadline: the live Gateway (its listeners) and
 * the labels of the app namespace (for `allowedRoutes` `from: Selector`).
 */

/** The live Gateway as the API server returns it (untrusted); undefined when it does not exist. @public */
export async function readLiveGateway(
  kubeConfig: KubeConfig,
  namespace: string,
  name: string,
  signal?: AbortSignal,
  timeoutMs: number = KUBERNETES_CALL_TIMEOUT_MS,
): Promise<unknown | undefined> {
  try {
    return await kubeConfig
      .makeApiClient(CustomObjectsApi)
      .getNamespacedCustomObject(
        {
          group: GATEWAY_API_GROUP_NAME,
          version: 'v1',
          namespace,
          plural: 'gateways',
          name,
        },
        abortableCall(signal, timeoutMs),
      );
  } catch (error) {
    if (isKubernetesNotFound(error)) return undefined;
    throw error;
  }
}

/** A namespace's labels (only string values); undefined when it does not exist. @public */
export async function readNamespaceLabels(
  kubeConfig: KubeConfig,
  namespace: string,
  signal?: AbortSignal,
  timeoutMs: number = KUBERNETES_CALL_TIMEOUT_MS,
): Promise<Record<string, string> | undefined> {
  try {
    const ns = await kubeConfig
      .makeApiClient(CoreV1Api)
      .readNamespace({ name: namespace }, abortableCall(signal, timeoutMs));
    return Object.fromEntries(
      Object.entries(ns.metadata?.labels ?? {}).filter(
        ([, v]) => typeof v === 'string',
      ),
    );
  } catch (error) {
    if (isKubernetesNotFound(error)) return undefined;
    throw error;
  }
}

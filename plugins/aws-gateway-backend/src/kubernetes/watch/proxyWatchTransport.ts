import { CoreV1Api, CustomObjectsApi, Watch } from '@kubernetes/client-node';
import {
  abortableCall,
  KubernetesClusters,
  untilAborted,
} from '@gateway-portal/plugin-aws-gateway-node';
import { KubeObject } from '../types';
import { ListedPage, WatchTransport } from './ResourceWatch';

/**
 * Lists and watches one cluster through the KubeConfig the cluster source
 * gives (the Kubernetes plugin's proxy in production: it carries streaming
 * GETs, each with a fresh service token). Each list ends at `timeoutMs`.
 */
export function proxyWatchTransport(
  clusters: Pick<KubernetesClusters, 'getKubeConfig'>,
  cluster: string,
  timeoutMs: number,
): WatchTransport {
  const kubeConfig = async () => {
    const signal = AbortSignal.timeout(timeoutMs);
    return untilAborted(clusters.getKubeConfig(cluster, { signal }), signal);
  };
  return {
    async list(resource, { labelSelector, limit }): Promise<ListedPage> {
      const kc = await kubeConfig();
      const call = abortableCall(AbortSignal.timeout(timeoutMs));
      const { group, version, plural } = resource;
      if (!group) {
        if (plural !== 'services') {
          throw new Error(`core resource ${plural} is not watched`);
        }
        const list = await kc
          .makeApiClient(CoreV1Api)
          .listServiceForAllNamespaces({ labelSelector, limit }, call);
        return {
          items: list.items as unknown as KubeObject[],
          resourceVersion: list.metadata?.resourceVersion ?? '',
          truncated: Boolean(list.metadata?._continue),
        };
      }
      const list = (await kc
        .makeApiClient(CustomObjectsApi)
        .listClusterCustomObject(
          { group, version, plural, labelSelector, limit },
          call,
        )) as {
        items?: KubeObject[];
        metadata?: { resourceVersion?: string; continue?: string };
      };
      return {
        items: Array.isArray(list?.items) ? list.items : [],
        resourceVersion: list?.metadata?.resourceVersion ?? '',
        truncated: Boolean(list?.metadata?.continue),
      };
    },
    async watch() {
      const kc = await kubeConfig();
      // Backstage's root router compresses answers, and a gzip stream holds
      // small watch events back until its buffer fills: watches ask for none.
      const applyToFetchOptions = kc.applyToFetchOptions.bind(kc);
      kc.applyToFetchOptions = async options => {
        const applied = await applyToFetchOptions(options);
        const headers = new Headers(applied.headers as HeadersInit | undefined);
        headers.set('Accept-Encoding', 'identity');
        return { ...applied, headers: Object.fromEntries(headers) };
      };
      return new Watch(kc);
    },
  };
}

import { CoreV1Api, CustomObjectsApi, Watch } from '@kubernetes/client-node';
import {
  abortableCall,
  KubernetesClusters,
  untilAborted,
} from '@gateway-portal/plugin-aws-gateway-node';
import { ClusterAgents } from '../clusterAgents';
import { KubeObject } from '../types';
import { ListedPage, WatchTransport } from './ResourceWatch';

/**
 * Lists and watches one cluster through the KubeConfig the cluster source
 * gives (the Kubernetes plugin's proxy in production: it carries streaming
 * GETs, each with a fresh service token). Each list ends at `timeoutMs`.
 * Lists and watches take their connections from `agents`, as the cluster's
 * direct reads do.
 */
export function proxyWatchTransport(
  clusters: Pick<KubernetesClusters, 'getKubeConfig'>,
  cluster: string,
  timeoutMs: number,
  agents: ClusterAgents,
): WatchTransport {
  const kubeConfig = async () => {
    const signal = AbortSignal.timeout(timeoutMs);
    const kc = await untilAborted(
      clusters.getKubeConfig(cluster, { signal }),
      signal,
    );
    return agents.forCluster(cluster, kc);
  };
  return {
    async list(
      resource,
      { labelSelector, fieldSelector, limit },
    ): Promise<ListedPage> {
      const kc = await kubeConfig();
      const call = abortableCall(AbortSignal.timeout(timeoutMs));
      const { group, version, plural } = resource;
      if (!group) {
        const core = kc.makeApiClient(CoreV1Api);
        const query = { labelSelector, fieldSelector, limit };
        let list;
        if (plural === 'services') {
          list = await core.listServiceForAllNamespaces(query, call);
        } else if (plural === 'events') {
          list = await core.listEventForAllNamespaces(query, call);
        } else {
          throw new Error(`core resource ${plural} is not watched`);
        }
        return {
          items: list.items as unknown as KubeObject[],
          resourceVersion: list.metadata?.resourceVersion ?? '',
          truncated: Boolean(list.metadata?._continue),
        };
      }
      const list = (await kc
        .makeApiClient(CustomObjectsApi)
        .listClusterCustomObject(
          { group, version, plural, labelSelector, fieldSelector, limit },
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

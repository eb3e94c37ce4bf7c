import {
  KubernetesConnection,
  KubernetesConnectOptions,
  KubernetesObjectClient,
} from '../KubernetesObjectClient';
import { notServedError, WatchCache } from './WatchCache';
import {
  clusterNeedsUserToken,
  KubernetesClusters,
} from '@gateway-portal/plugin-aws-gateway-node';

/**
 * Reads from the watch cache when it can answer (no Kubernetes round trip)
 * and from the API server otherwise (always for a connection carrying the
 * user's own Kubernetes credentials); the direct connection is opened only
 * when a read needs it, so a warm read does not even fetch a KubeConfig.
 * Connecting to a cluster not yet synced waits, briefly, for its watches'
 * first lists (one round trip) rather than reading it in dependent waves.
 * A cluster whose auth provider needs the user's own token is never watched
 * (the plugin has no credential of its own for it).
 */
export class WatchCachedKubernetesObjectClient
  implements KubernetesObjectClient
{
  constructor(
    private readonly direct: KubernetesObjectClient,
    private readonly cache: WatchCache,
    private readonly clusters: Pick<KubernetesClusters, 'listClusters'>,
  ) {}

  async connect(
    cluster: string,
    options: KubernetesConnectOptions = {},
  ): Promise<KubernetesConnection> {
    // The watch reads with the plugin's own credentials: a read made with the
    // user's (their RBAC decides what they see) never comes from it.
    if (options.userCredentials) return this.direct.connect(cluster, options);
    if (await this.needsUserToken(cluster, options.signal)) {
      return this.direct.connect(cluster, options);
    }
    await this.cache.whenSynced(cluster, options.signal, options.answerDue);
    let opened: Promise<KubernetesConnection> | undefined;
    const direct = () => {
      opened ??= this.direct.connect(cluster, options);
      return opened;
    };
    return {
      list: async (resource, listOptions) => {
        const cached = this.cache.list(cluster, resource, listOptions);
        if (cached && 'notServed' in cached) throw notServedError(resource);
        if (cached) return cached.items;
        return (await direct()).list(resource, listOptions);
      },
      get: async (resource, namespace, name) => {
        const cached = this.cache.get(cluster, resource, namespace, name);
        // As from the API server: a resource not served has no such object.
        if (cached === 'notServed' || cached === null) return undefined;
        if (cached) return cached;
        return (await direct()).get(resource, namespace, name);
      },
    };
  }

  private async needsUserToken(
    cluster: string,
    signal?: AbortSignal,
  ): Promise<boolean> {
    const listed = await this.clusters.listClusters({ signal });
    const found = listed.find(c => c.name === cluster);
    // Unknown here: the direct read gives the Kubernetes plugin's answer.
    return !found || clusterNeedsUserToken(found);
  }
}

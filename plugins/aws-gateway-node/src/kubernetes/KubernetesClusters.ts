import { KubeConfig } from '@kubernetes/client-node';

/** A cluster of the Kubernetes plugin, as its `GET /clusters` lists it (no address, no secret). @public */
export interface GatewayCluster {
  name: string;
  title?: string;
  /** The Kubernetes plugin's auth provider of the cluster (`serviceAccount`, `aws`, `oidc`…). */
  authProvider: string;
}

/** Options of one call: the caller's cancellation (a request's deadline, a cancelled step). @public */
export interface KubernetesClustersCallOptions {
  signal?: AbortSignal;
}

/**
 * The clusters this suite may read, and access to each: the Kubernetes
 * plugin's own clusters (every locator and auth strategy it is configured or
 * extended with), so nobody configures a cluster twice.
 *
 * @public
 */
export interface KubernetesClusters {
  listClusters(
    options?: KubernetesClustersCallOptions,
  ): Promise<GatewayCluster[]>;
  /**
   * A KubeConfig for one listed cluster (NotFoundError for any other); every
   * request made with it carries a fresh credential.
   */
  getKubeConfig(
    clusterName: string,
    options?: KubernetesClustersCallOptions,
  ): Promise<KubeConfig>;
}

import { KubeConfig } from '@kubernetes/client-node';
import type { UserKubernetesCredentials } from './userKubernetesCredentials';

/** A cluster of the Kubernetes plugin, as its `GET /clusters` lists it (no address, no secret). @public */
export interface GatewayCluster {
  name: string;
  title?: string;
  /** The Kubernetes plugin's auth provider of the cluster (`serviceAccount`, `aws`, `oidc`…). */
  authProvider: string;
  /** For `oidc`: which of the Backstage sign-in providers issues the user's token (`okta`…). */
  oidcTokenProvider?: string;
}

/** Options of one call: the caller's cancellation (a request's deadline, a cancelled step). @public */
export interface KubernetesClustersCallOptions {
  signal?: AbortSignal;
  /**
   * The tokens the user sent with the request being served. A cluster whose
   * auth provider takes the user's own token (oidc, google, aks) is reached
   * with it, and refused (NotAllowedError) without it; other clusters ignore it.
   */
  userCredentials?: UserKubernetesCredentials;
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
   * request made with it carries a fresh credential, and the user's token for
   * the cluster's auth provider when `options.userCredentials` has one. Made
   * for one request: never shared across users.
   */
  getKubeConfig(
    clusterName: string,
    options?: KubernetesClustersCallOptions,
  ): Promise<KubeConfig>;
}

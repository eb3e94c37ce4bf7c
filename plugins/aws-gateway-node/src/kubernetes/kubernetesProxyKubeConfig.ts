import { KubeConfig } from '@kubernetes/client-node';

/** The Kubernetes plugin's header naming the cluster a proxy request is for. @public */
export const KUBERNETES_CLUSTER_HEADER = 'Backstage-Kubernetes-Cluster';

/** The only user of a proxy KubeConfig; it has no credential of its own. */
const PROXY_USER = 'backstage-kubernetes-proxy';

type Authenticator = Parameters<KubeConfig['addAuthenticator']>[0];

/**
 * A KubeConfig whose API server is the Kubernetes plugin's proxy endpoint
 * (`<base>/proxy`): every request `@kubernetes/client-node` makes with it (API
 * clients, KubernetesObjectApi with its discovery, watches) names the cluster
 * in `Backstage-Kubernetes-Cluster` and carries a fresh Backstage token in
 * `Authorization`, which the proxy removes before it applies the cluster's
 * own auth strategy. The token is fetched per request, so the KubeConfig
 * outlives any one token.
 *
 * @public
 */
export function kubernetesProxyKubeConfig(options: {
  cluster: string;
  /** The proxy endpoint, e.g. `http://localhost:7007/api/kubernetes/proxy`. */
  proxyUrl: URL;
  token: () => Promise<string>;
  /**
   * The user's token for this cluster's auth provider, as the header the
   * proxy hands to that provider's strategy
   * (`Backstage-Kubernetes-Authorization-oidc-okta`, token).
   */
  userAuthorization?: [string, string];
}): KubeConfig {
  const { cluster, proxyUrl, token, userAuthorization } = options;
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: cluster,
        server: proxyUrl.toString().replace(/\/+$/, ''),
        // client-node refuses an http: server unless this is set; for https:
        // the backend's certificate is verified (NODE_EXTRA_CA_CERTS applies).
        skipTLSVerify: proxyUrl.protocol === 'http:',
      },
    ],
    users: [{ name: PROXY_USER }],
    contexts: [{ name: cluster, cluster, user: PROXY_USER }],
    currentContext: cluster,
  });
  const authenticator: Authenticator = {
    isAuthProvider: user => user.name === PROXY_USER,
    applyAuthentication: async (_user, opts) => {
      opts.headers = {
        ...(opts.headers as Record<string, string> | undefined),
        Authorization: `Bearer ${await token()}`,
        [KUBERNETES_CLUSTER_HEADER]: cluster,
        ...(userAuthorization
          ? { [userAuthorization[0]]: userAuthorization[1] }
          : {}),
      };
    },
  };
  kc.addAuthenticator(authenticator);
  return kc;
}

/**
 * The Kubernetes plugin's header for a user's own token for the clusters of
 * one auth provider: what its frontend client sends and its proxy hands to
 * that provider's auth strategy.
 *
 * @public
 */
export const KUBERNETES_USER_AUTH_HEADER = 'Backstage-Kubernetes-Authorization';

/** The parts of a Kubernetes plugin cluster (`GET /clusters`) that say which user token it takes. @public */
export interface KubernetesClusterAuth {
  authProvider: string;
  oidcTokenProvider?: string;
}

/**
 * The header that carries a user's token for a cluster of this auth provider,
 * as the Kubernetes plugin names it:
 * `Backstage-Kubernetes-Authorization-<authProvider>[-<oidcTokenProvider>]`
 * (`…-oidc-okta`, `…-google`).
 *
 * @public
 */
export function kubernetesUserAuthHeader(auth: KubernetesClusterAuth): string {
  return [
    KUBERNETES_USER_AUTH_HEADER,
    auth.authProvider,
    auth.oidcTokenProvider,
  ]
    .filter(Boolean)
    .join('-');
}

import type {
  KubernetesApi,
  KubernetesAuthProvidersApi,
} from '@backstage/plugin-kubernetes-react';
import { kubernetesUserAuthHeader } from '@gateway-portal/plugin-aws-gateway-common';

/** How long the Kubernetes plugin's cluster list (and so which providers to ask) is reused. */
const CLUSTERS_TTL_MS = 60_000;

/**
 * Where a request to the aws-gateway backend gets the user's own Kubernetes
 * tokens from. @public
 */
export interface KubernetesUserTokenSource {
  /** One header per auth provider of the Kubernetes plugin's clusters for which the user has a token. */
  headers(): Promise<Record<string, string>>;
}

/**
 * The user's own Kubernetes tokens, asked for the way the Kubernetes plugin's
 * frontend asks: for each auth provider of its clusters (`GET /clusters`),
 * `kubernetesAuthProvidersApi.getCredentials` (`oidc.<tokenProvider>`,
 * `google`, `aks`…; server-side providers answer without a token), sent as
 * `Backstage-Kubernetes-Authorization-<provider>[-<tokenProvider>]`. The
 * backend forwards each to the Kubernetes plugin's proxy for a cluster of
 * that provider only. Tokens are not kept here: the auth APIs keep the
 * sessions.
 *
 * @public
 */
export class KubernetesUserTokens implements KubernetesUserTokenSource {
  private clusters?: {
    at: number;
    list: ReturnType<KubernetesApi['getClusters']>;
  };

  constructor(
    private readonly options: {
      kubernetesApi: Pick<KubernetesApi, 'getClusters'>;
      kubernetesAuthProvidersApi: Pick<
        KubernetesAuthProvidersApi,
        'getCredentials'
      >;
      now?: () => number;
    },
  ) {}

  async headers(): Promise<Record<string, string>> {
    const providers = new Map<string, string>();
    for (const cluster of await this.listClustersOrNone()) {
      providers.set(
        kubernetesUserAuthHeader(cluster),
        // The Kubernetes frontend's name of the provider (KubernetesBackendClient).
        cluster.authProvider === 'oidc'
          ? `oidc.${cluster.oidcTokenProvider}`
          : cluster.authProvider,
      );
    }
    const tokens = await Promise.all(
      [...providers].map(async ([header, provider]) => {
        try {
          const { token } =
            await this.options.kubernetesAuthProvidersApi.getCredentials(
              provider,
            );
          return token ? ([header, token] as const) : undefined;
        } catch {
          // No auth provider for it in this app, or the user did not sign
          // in: the backend answers that this cluster's sign-in is missing.
          return undefined;
        }
      }),
    );
    return Object.fromEntries(tokens.filter(t => t !== undefined));
  }

  /**
   * The Kubernetes plugin's clusters, or none when its backend cannot list
   * them (not installed, down): then there is no user token to send, and our
   * backend answers for the clusters on its own.
   */
  private async listClustersOrNone() {
    try {
      return await this.listClusters();
    } catch {
      return [];
    }
  }

  private async listClusters() {
    const now = (this.options.now ?? Date.now)();
    if (!this.clusters || now - this.clusters.at > CLUSTERS_TTL_MS) {
      const list = this.options.kubernetesApi.getClusters();
      const entry = { at: now, list };
      this.clusters = entry;
      list.catch(() => {
        if (this.clusters === entry) this.clusters = undefined;
      });
    }
    return this.clusters.list;
  }
}

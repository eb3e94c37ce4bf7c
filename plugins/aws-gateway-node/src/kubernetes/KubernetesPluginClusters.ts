import {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import { KubeConfig } from '@kubernetes/client-node';
import { isAbortError, networkErrorCode } from '../errors/networkErrors';
import { KUBERNETES_CALL_TIMEOUT_MS, untilAborted } from './abortSignal';
import { kubernetesPluginStatusError } from './apiErrors';
import {
  GatewayCluster,
  KubernetesClusters,
  KubernetesClustersCallOptions,
} from './KubernetesClusters';
import { kubernetesProxyKubeConfig } from './kubernetesProxyKubeConfig';
import {
  clusterNeedsUserToken,
  userTokenMissingError,
} from './userKubernetesCredentials';

/** The Kubernetes backend plugin's id, for discovery and token audience. */
const KUBERNETES_PLUGIN_ID = 'kubernetes';
/** How long one `GET /clusters` answer is reused: catalog-located clusters appear within this time. */
const DEFAULT_LIST_TTL_MS = 30_000;
/** Most clusters kept from one answer (the list is held in memory). */
const MAX_CLUSTERS = 1_000;
/** Printable ASCII without leading/trailing space: the name goes into an HTTP header. */
const CLUSTER_NAME = /^[\x21-\x7e](?:[\x20-\x7e]{0,251}[\x21-\x7e])?$/;

/** @public */
export interface KubernetesPluginClustersOptions {
  discovery: Pick<DiscoveryService, 'getBaseUrl'>;
  auth: Pick<AuthService, 'getOwnServiceCredentials' | 'getPluginRequestToken'>;
  logger: LoggerService;
  /** How long a cluster list is reused (default 30 s). */
  listTtlMs?: number;
  /** Deadline of one `GET /clusters` (default the provisioning calls' 10 s). */
  timeoutMs?: number;
  now?: () => number;
}

/**
 * {@link KubernetesClusters} through the Kubernetes backend plugin's HTTP API,
 * so every cluster locator (config, catalog, gke, suppliers added through
 * `kubernetesClusterSupplierExtensionPoint`) and every auth strategy
 * (including those added through `kubernetesAuthStrategyExtensionPoint`)
 * works here as in the Kubernetes tab: `GET /clusters` lists them and the
 * proxy endpoint carries each call, authenticated with this plugin's own
 * service token. Service principals pass the `kubernetes.clusters.read` and
 * `kubernetes.proxy` permissions unless their access is restricted.
 *
 * @public
 */
export class KubernetesPluginClusters implements KubernetesClusters {
  static create(options: KubernetesPluginClustersOptions) {
    return new KubernetesPluginClusters(options);
  }

  private listed?: { at: number; clusters: Promise<GatewayCluster[]> };

  private constructor(
    private readonly options: KubernetesPluginClustersOptions,
  ) {}

  /** The Kubernetes plugin's clusters, shared by concurrent callers and reused briefly; a failure is not kept. */
  async listClusters(
    options: KubernetesClustersCallOptions = {},
  ): Promise<GatewayCluster[]> {
    const now = (this.options.now ?? Date.now)();
    const ttl = this.options.listTtlMs ?? DEFAULT_LIST_TTL_MS;
    let entry = this.listed;
    if (!entry || now - entry.at > ttl) {
      const clusters = this.fetchClusters();
      const fresh = { at: now, clusters };
      entry = fresh;
      this.listed = fresh;
      clusters.catch(() => {
        if (this.listed === fresh) this.listed = undefined;
      });
    }
    return untilAborted(entry.clusters, options.signal);
  }

  async getKubeConfig(
    clusterName: string,
    options: KubernetesClustersCallOptions = {},
  ): Promise<KubeConfig> {
    const clusters = await this.listClusters(options);
    const cluster = clusters.find(c => c.name === clusterName);
    if (!cluster) {
      throw kubernetesPluginStatusError(404, {
        route: 'proxy',
        cluster: clusterName,
      });
    }
    const userAuthorization = options.userCredentials?.headerFor(cluster);
    if (!userAuthorization && clusterNeedsUserToken(cluster)) {
      throw userTokenMissingError(cluster);
    }
    return kubernetesProxyKubeConfig({
      cluster: clusterName,
      proxyUrl: new URL(`${(await this.baseUrl()).toString()}/proxy`),
      token: () => this.token(),
      userAuthorization,
    });
  }

  private async baseUrl(): Promise<URL> {
    const base = new URL(
      await this.options.discovery.getBaseUrl(KUBERNETES_PLUGIN_ID),
    );
    if (base.protocol !== 'http:' && base.protocol !== 'https:') {
      throw new ServiceUnavailableError(
        `The Kubernetes plugin's discovered address is not http(s) (${base.protocol})`,
      );
    }
    base.pathname = base.pathname.replace(/\/+$/, '');
    return base;
  }

  private async token(): Promise<string> {
    const { auth } = this.options;
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: KUBERNETES_PLUGIN_ID,
    });
    return token;
  }

  private async fetchClusters(): Promise<GatewayCluster[]> {
    const timeoutMs = this.options.timeoutMs ?? KUBERNETES_CALL_TIMEOUT_MS;
    const signal = AbortSignal.timeout(timeoutMs);
    const url = `${(await this.baseUrl()).toString()}/clusters`;
    let body: unknown;
    try {
      const response = await fetch(url, {
        headers: { Authorization: `Bearer ${await this.token()}` },
        signal,
      });
      if (response.status === 404) {
        // No Kubernetes backend here, or one without `kubernetes` config.
        this.options.logger.warn(
          'The Kubernetes plugin answers no GET /clusters (HTTP 404): install @backstage/plugin-kubernetes-backend and configure its clusters; no cluster is available to aws-gateway',
        );
        return [];
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw kubernetesPluginStatusError(response.status, {
          route: 'clusters',
        });
      }
      body = await response.json();
    } catch (error) {
      if (isAbortError(error)) {
        throw new ServiceUnavailableError(
          `The Kubernetes plugin did not list its clusters within ${
            timeoutMs / 1000
          } s`,
        );
      }
      const code = networkErrorCode(error);
      if (code) {
        throw new ServiceUnavailableError(
          `The Kubernetes plugin could not be reached to list its clusters (${code})`,
        );
      }
      throw error;
    }
    return this.parseClusters(body);
  }

  /** The `{ items: [...] }` answer, each item checked; what does not fit is left out and logged. */
  private parseClusters(body: unknown): GatewayCluster[] {
    const items = (body as { items?: unknown })?.items;
    if (!Array.isArray(items)) {
      throw new ServiceUnavailableError(
        'The Kubernetes plugin answered GET /clusters without an items list',
      );
    }
    const clusters: GatewayCluster[] = [];
    const seen = new Set<string>();
    for (const item of items) {
      const { name, title, authProvider, oidcTokenProvider } = (item ??
        {}) as Record<string, unknown>;
      if (
        typeof name !== 'string' ||
        !CLUSTER_NAME.test(name) ||
        seen.has(name) ||
        typeof authProvider !== 'string'
      ) {
        this.options.logger.warn(
          'Left out a cluster of the Kubernetes plugin: its name is not printable ASCII of at most 253 characters, is listed twice, or it has no authProvider',
        );
        continue;
      }
      if (clusters.length === MAX_CLUSTERS) {
        this.options.logger.warn(
          `The Kubernetes plugin lists more than ${MAX_CLUSTERS} clusters; aws-gateway uses the first ${MAX_CLUSTERS}`,
        );
        break;
      }
      seen.add(name);
      clusters.push({
        name,
        ...(typeof title === 'string' && title ? { title } : {}),
        authProvider,
        ...(typeof oidcTokenProvider === 'string' && oidcTokenProvider
          ? { oidcTokenProvider }
          : {}),
      });
    }
    return clusters;
  }
}

import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  AuthService,
  CacheService,
  LifecycleService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DefaultAwsClientFactory,
  KubernetesClusters,
} from '@gateway-portal/plugin-aws-gateway-node';
import { StatusError } from '@gateway-portal/plugin-aws-gateway-common';
import { Elbv2ClientSource } from '../aws/Elbv2Reader';
import { watchRefusalError } from '../errors';
import { readStatusConfig, StatusConfig } from '../config';
import { AnswerDue } from '../deadline';
import { ClusterAgents } from '../kubernetes/clusterAgents';
import {
  ClientNodeKubernetesObjectClient,
  KubernetesObjectClient,
} from '../kubernetes/KubernetesObjectClient';
import {
  WATCH_CACHE_DEFAULTS,
  WatchCache,
  WatchCacheSettings,
} from '../kubernetes/watch/WatchCache';
import { WatchCachedKubernetesObjectClient } from '../kubernetes/watch/WatchCachedKubernetesObjectClient';
import { proxyWatchTransport } from '../kubernetes/watch/proxyWatchTransport';
import { WatchTransport } from '../kubernetes/watch/ResourceWatch';
import { readWatchConfig } from '../kubernetes/watch/watchConfig';
import { noStatusMetrics, StatusMetrics } from '../metrics';
import {
  LiveStatusNotifier,
  SignalPublisher,
} from './liveStatus/LiveStatusNotifier';
import { addAwsCallAccounting } from './awsCallAccounting';
import { AwsBackoff } from './awsBackoff';
import { DefaultGatewayStatusService } from './DefaultGatewayStatusService';
import { GatewayStatusCollector } from './collector/GatewayStatusCollector';
import { GatewayStatusService } from './GatewayStatusService';

/**
 * What the status service is built from. The services are the plugin's own;
 * `clusters`, `kubernetes` and `elbv2` let tests and the benchmark put
 * doubles or counters between the service and the clusters or AWS.
 *
 * @public
 */
export interface CreateGatewayStatusServiceOptions {
  config: Config;
  logger: LoggerService;
  catalog: Pick<CatalogService, 'getEntityByRef'>;
  permissions: Pick<PermissionsService, 'authorize'>;
  /** With it, one permission call per request covers reading the entity too. */
  auth?: Pick<AuthService, 'getOwnServiceCredentials'>;
  cache: CacheService;
  metrics?: StatusMetrics;
  /**
   * The clusters read: the default factory passes the Kubernetes plugin's
   * (`KubernetesPluginClusters`, through its HTTP API); tests pass their own.
   */
  clusters: KubernetesClusters;
  /**
   * Wraps the client the service reads clusters through (by default
   * `@kubernetes/client-node` against `clusters`, with the configured deadline
   * and concurrency), e.g. to count or delay its calls.
   */
  kubernetes?: (client: KubernetesObjectClient) => KubernetesObjectClient;
  /**
   * Wraps the lists and watches of the watch cache (through the Kubernetes
   * plugin's proxy by default), e.g. to count or delay them as `kubernetes`
   * does the direct calls.
   */
  watchTransport?: (
    transport: WatchTransport,
    cluster: string,
  ) => WatchTransport;
  /** Defaults to ELBv2 clients from the aws integration config, with call accounting. */
  elbv2?: Elbv2ClientSource;
  /**
   * With it, clusters are read through the watch cache
   * (`awsGateway.status.watch`), stopped at shutdown; without it (nothing
   * could stop the watches) every read goes to the API server.
   */
  lifecycle?: Pick<LifecycleService, 'addShutdownHook'>;
  /** Where "this entity's status changed" signals go (with the watch cache). */
  signals?: SignalPublisher;
}

/**
 * Builds the gateway status service from configuration, as the service
 * ref's default factory does. Built once per backend.
 *
 * @public
 */
export function createGatewayStatusService(
  options: CreateGatewayStatusServiceOptions,
): GatewayStatusService {
  const statusConfig = readStatusConfig(options.config);
  const metrics = options.metrics ?? noStatusMetrics;
  const backoff = new AwsBackoff(metrics);
  const clusters = options.clusters;
  const watchSettings = readWatchConfig(options.config);
  // As many clusters keep connections as the watch cache watches.
  const agents = new ClusterAgents({
    maxClusters: watchSettings?.maxClusters ?? WATCH_CACHE_DEFAULTS.maxClusters,
  });
  options.lifecycle?.addShutdownHook(() => agents.destroy());
  const clientNode = new ClientNodeKubernetesObjectClient(clusters, {
    timeoutMs: statusConfig.kubernetesTimeoutMs,
    maxConcurrentCalls: statusConfig.maxConcurrentCallsPerCluster,
    agents,
  });
  const direct = options.kubernetes?.(clientNode) ?? clientNode;
  const live =
    options.lifecycle && watchSettings
      ? liveStatusFor(options, { watchSettings, statusConfig, agents }, direct)
      : undefined;
  const elbv2 =
    options.elbv2 ??
    DefaultAwsClientFactory.fromConfig(options.config, {
      // The status service builds ELBv2 clients only.
      instrument: client =>
        addAwsCallAccounting(
          client as ElasticLoadBalancingV2Client,
          metrics,
          backoff,
        ),
    });
  return DefaultGatewayStatusService.create({
    catalog: options.catalog,
    permissions: options.permissions,
    auth: options.auth,
    cache: options.cache,
    logger: options.logger,
    settings: statusConfig,
    metrics,
    backoff,
    liveStatus: live?.notifier,
    source: new GatewayStatusCollector({
      clusters,
      kubernetes: live?.kubernetes ?? direct,
      elbv2,
      config: statusConfig,
      logger: options.logger,
      liveUpdateNotes: live?.notes,
    }),
  });
}

/**
 * The watch cache in front of the direct client, and the notifier that turns
 * its changes into fresh answers and signals (with a lifecycle to stop them).
 */
function liveStatusFor(
  options: CreateGatewayStatusServiceOptions,
  {
    watchSettings,
    statusConfig,
    agents,
  }: {
    watchSettings: Partial<WatchCacheSettings>;
    statusConfig: StatusConfig;
    agents: ClusterAgents;
  },
  direct: KubernetesObjectClient,
): {
  kubernetes: KubernetesObjectClient;
  notifier: LiveStatusNotifier;
  /** The note of a cluster's refused lists and watches, if any. */
  notes: (
    cluster: string,
    signal?: AbortSignal,
    answerDue?: AnswerDue,
  ) => Promise<StatusError[]>;
} {
  const { clusters } = options;
  const cache = new WatchCache({
    transportFor: cluster => {
      const transport = proxyWatchTransport(
        clusters,
        cluster,
        statusConfig.kubernetesTimeoutMs,
        agents,
      );
      return options.watchTransport?.(transport, cluster) ?? transport;
    },
    onClusterStopped: cluster => agents.release(cluster),
    settings: watchSettings,
    logger: options.logger,
  });
  const notifier = new LiveStatusNotifier({
    cache,
    signals: options.signals,
    logger: options.logger,
  });
  options.lifecycle?.addShutdownHook(() => {
    notifier.stop();
    cache.stop();
  });
  return {
    kubernetes: new WatchCachedKubernetesObjectClient(direct, cache, clusters),
    notifier,
    notes: async (cluster, signal, answerDue) => {
      const note = watchRefusalError(
        cluster,
        await cache.settledRefusals(cluster, signal, answerDue),
      );
      return note ? [note] : [];
    },
  };
}

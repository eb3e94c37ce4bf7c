import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  AuthService,
  CacheService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DefaultAwsClientFactory,
  KubernetesClusters,
} from '@gateway-portal/plugin-aws-gateway-node';
import { Elbv2ClientSource } from '../aws/Elbv2Reader';
import { readStatusConfig } from '../config';
import {
  ClientNodeKubernetesObjectClient,
  KubernetesObjectClient,
} from '../kubernetes/KubernetesObjectClient';
import { noStatusMetrics, StatusMetrics } from '../metrics';
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
  /** Defaults to ELBv2 clients from the aws integration config, with call accounting. */
  elbv2?: Elbv2ClientSource;
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
  const clientNode = new ClientNodeKubernetesObjectClient(clusters, {
    timeoutMs: statusConfig.kubernetesTimeoutMs,
    maxConcurrentCalls: statusConfig.maxConcurrentCallsPerCluster,
  });
  const kubernetes = options.kubernetes?.(clientNode) ?? clientNode;
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
    source: new GatewayStatusCollector({
      clusters,
      kubernetes,
      elbv2,
      config: statusConfig,
      logger: options.logger,
    }),
  });
}

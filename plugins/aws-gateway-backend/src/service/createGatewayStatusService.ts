import {
  CacheService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ConfigKubernetesClusterRegistry,
  DefaultAwsClientFactory,
  KubernetesClusterRegistry,
} from '@gateway-portal/plugin-aws-gateway-node';
import { Elbv2ClientSource } from '../aws/Elbv2Reader';
import { readStatusConfig } from '../config';
import {
  ClientNodeKubernetesObjectClient,
  KubernetesObjectClient,
} from '../kubernetes/KubernetesObjectClient';
import { DefaultGatewayStatusService } from './DefaultGatewayStatusService';
import { GatewayStatusCollector } from './GatewayStatusCollector';

/** @public */
export interface CreateGatewayStatusServiceOptions {
  config: Config;
  logger: LoggerService;
  catalog: Pick<CatalogService, 'getEntityByRef'>;
  permissions: Pick<PermissionsService, 'authorize'>;
  cache: CacheService;
  /** Defaults to the Kubernetes plugin's configured clusters. */
  clusters?: KubernetesClusterRegistry;
  /** Defaults to @kubernetes/client-node against `clusters`. */
  kubernetes?: KubernetesObjectClient;
  /** Defaults to ELBv2 clients from the aws integration config. */
  elbv2?: Elbv2ClientSource;
}

/**
 * Builds the gateway status service from configuration; every collaborator
 * can be replaced (tests, benchmarks). Built once per backend.
 *
 * @public
 */
export function createGatewayStatusService(
  options: CreateGatewayStatusServiceOptions,
): DefaultGatewayStatusService {
  const statusConfig = readStatusConfig(options.config);
  const clusters =
    options.clusters ??
    ConfigKubernetesClusterRegistry.fromConfig(options.config, {
      logger: options.logger,
    });
  const kubernetes =
    options.kubernetes ??
    new ClientNodeKubernetesObjectClient(clusters, {
      timeoutMs: statusConfig.kubernetesTimeoutMs,
    });
  const elbv2 =
    options.elbv2 ?? DefaultAwsClientFactory.fromConfig(options.config);
  return DefaultGatewayStatusService.create({
    catalog: options.catalog,
    permissions: options.permissions,
    cache: options.cache,
    logger: options.logger,
    cacheTtlMs: statusConfig.cacheTtlMs,
    source: new GatewayStatusCollector({
      clusters,
      kubernetes,
      elbv2,
      config: statusConfig,
    }),
  });
}

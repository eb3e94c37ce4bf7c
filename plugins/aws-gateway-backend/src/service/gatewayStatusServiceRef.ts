import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { metricsServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { KubernetesPluginClusters } from '@gateway-portal/plugin-aws-gateway-node';
import { createStatusMetrics } from '../metrics';
import { createGatewayStatusService } from './createGatewayStatusService';
import { GatewayStatusService } from './GatewayStatusService';

/**
 * The live status of an entity's Gateways, as the aws-gateway plugin serves
 * it. The default implementation reads the Kubernetes plugin's clusters
 * (through its HTTP API) and AWS through the aws integration, with
 * `awsGateway.status`; a deployment may install its own factory for this ref.
 *
 * @public
 */
export const gatewayStatusServiceRef = createServiceRef<GatewayStatusService>({
  id: 'aws-gateway.status',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        permissions: coreServices.permissions,
        cache: coreServices.cache,
        catalog: catalogServiceRef,
        metrics: metricsServiceRef,
        lifecycle: coreServices.lifecycle,
        signals: signalsServiceRef,
      },
      factory: ({ metrics, discovery, ...deps }) =>
        createGatewayStatusService({
          ...deps,
          clusters: KubernetesPluginClusters.create({
            discovery,
            auth: deps.auth,
            logger: deps.logger,
          }),
          metrics: createStatusMetrics(metrics),
        }),
    }),
});

import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  catalogProcessingExtensionPoint,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { KubernetesPluginClusters } from '@gateway-portal/plugin-aws-gateway-node';
import { readGatewayProviderSettings } from './config';
import { AwsGatewayEntityProvider } from './provider/AwsGatewayEntityProvider';
import { catalogComponentLookup } from './provider/catalogComponentLookup';

/**
 * Publishes every NLB Gateway of every cluster as a catalog Resource, on the
 * schedule of `awsGateway.catalog.schedule` (a scheduler task: one replica
 * at a time).
 *
 * @public
 */
export const catalogModuleAwsGatewayEntities = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'aws-gateway-entities',
  register(env) {
    env.registerInit({
      deps: {
        processing: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        catalog: catalogServiceRef,
      },
      async init({
        processing,
        config,
        logger,
        scheduler,
        auth,
        discovery,
        catalog,
      }) {
        const settings = readGatewayProviderSettings(config);
        const provider = new AwsGatewayEntityProvider({
          clusters: KubernetesPluginClusters.create({
            discovery,
            auth,
            logger,
          }),
          components: catalogComponentLookup(catalog, auth),
          settings,
          logger,
          taskRunner: scheduler.createScheduledTaskRunner(settings.schedule),
        });
        processing.addEntityProvider(provider);
      },
    });
  },
});

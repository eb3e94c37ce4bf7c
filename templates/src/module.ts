import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { AwsGatewayTemplatesProvider } from './AwsGatewayTemplatesProvider';

/**
 * Catalog module registering the AWS gateway suite's software templates.
 *
 * @public
 */
export const catalogModuleAwsGatewayTemplates = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'aws-gateway-templates',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        logger: coreServices.logger,
      },
      async init({ catalog, logger }) {
        catalog.addEntityProvider(new AwsGatewayTemplatesProvider({ logger }));
      },
    });
  },
});

import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { AwsGatewayTemplatesProvider } from './AwsGatewayTemplatesProvider';
import { GitOpsRepoPickerHostsProcessor } from './GitOpsRepoPickerHostsProcessor';

/**
 * Catalog module registering the AWS gateway suite's software templates, with
 * their repository picker offering the hosts the GitOps guardrail allows.
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
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ catalog, config, logger }) {
        catalog.addEntityProvider(new AwsGatewayTemplatesProvider({ logger }));
        catalog.addProcessor(GitOpsRepoPickerHostsProcessor.fromConfig(config));
      },
    });
  },
});

/**
 * Only the repository picker's hosts (`GitOpsRepoPickerHostsProcessor`), for
 * apps that register the templates from their own catalog locations.
 *
 * @public
 */
export const catalogModuleAwsGatewayRepoPickerHosts = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'aws-gateway-repo-picker-hosts',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ catalog, config }) {
        catalog.addProcessor(GitOpsRepoPickerHostsProcessor.fromConfig(config));
      },
    });
  },
});

import { createBackendModule } from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';

/**
 * Scaffolder actions for AWS gateways.
 *
 * @public
 */
export const scaffolderModuleAwsGateway = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'aws-gateway',
  register(env) {
    env.registerInit({
      deps: { scaffolder: scaffolderActionsExtensionPoint },
      async init({ scaffolder }) {
        scaffolder.addActions();
      },
    });
  },
});

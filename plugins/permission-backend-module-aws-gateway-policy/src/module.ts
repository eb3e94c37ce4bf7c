import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  AwsGatewayPermissionPolicy,
  readAwsGatewayPermissionSettings,
} from './policy';

/**
 * The AWS gateway suite's permission policy, configured by
 * `awsGateway.permissions`.
 *
 * @public
 */
export const permissionModuleAwsGatewayPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'aws-gateway-policy',
  register(env) {
    env.registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        userInfo: coreServices.userInfo,
      },
      async init({ policy, config, logger, userInfo }) {
        // Read once at startup: a malformed entry fails the backend.
        const settings = readAwsGatewayPermissionSettings(config);
        const awsGatewayPolicy = new AwsGatewayPermissionPolicy(
          settings,
          userInfo,
        );
        if (!awsGatewayPolicy.enforcing) {
          logger.warn(
            'awsGateway.permissions.platformTeams is not set: every permission is allowed, including ' +
              `the privileged scaffolder actions (${settings.privilegedActionIds.join(
                ', ',
              )}). ` +
              'Set it outside development.',
          );
        } else {
          logger.info(
            `Only members of ${
              settings.platformTeams!.join(', ') || '(no team)'
            } may run ` + `${settings.privilegedActionIds.join(', ')}`,
          );
        }
        policy.setPolicy(awsGatewayPolicy);
      },
    });
  },
});

import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { awsGatewayPermissions } from '@gateway-portal/plugin-aws-gateway-common';
import { KubernetesPluginClusters } from '@gateway-portal/plugin-aws-gateway-node';
import { registerGetGatewayStatusForEntityAction } from './actions/getGatewayStatusForEntityAction';
import { createFormOptionsRouter } from './formOptions/router';
import { createRouter } from './router';
import { gatewayStatusServiceRef } from './service/gatewayStatusServiceRef';

/**
 * The gateway status backend plugin: `GET /api/aws-gateway/entities/:kind/:namespace/:name/gateways`
 * and the `get-gateway-status-for-entity` action.
 *
 * @public
 */
export const awsGatewayPlugin = createBackendPlugin({
  pluginId: 'aws-gateway',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissionsRegistry: coreServices.permissionsRegistry,
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        auditor: coreServices.auditor,
        userInfo: coreServices.userInfo,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        actionsRegistry: actionsRegistryServiceRef,
        service: gatewayStatusServiceRef,
      },
      async init({ service, discovery, auth, ...deps }) {
        deps.permissionsRegistry.addPermissions(awsGatewayPermissions);
        registerGetGatewayStatusForEntityAction({
          actionsRegistry: deps.actionsRegistry,
          service,
        });
        deps.httpRouter.use(
          await createRouter({
            service,
            httpAuth: deps.httpAuth,
            auditor: deps.auditor,
          }),
        );
        deps.httpRouter.use(
          await createFormOptionsRouter({
            ...deps,
            // The Kubernetes plugin's clusters, through its HTTP API.
            clusters: KubernetesPluginClusters.create({
              discovery,
              auth,
              logger: deps.logger,
            }),
          }),
        );
        deps.httpRouter.addAuthPolicy({
          path: '/health',
          allow: 'unauthenticated',
        });
      },
    });
  },
});

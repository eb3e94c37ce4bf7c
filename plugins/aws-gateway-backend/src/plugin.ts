import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  actionsRegistryServiceRef,
  metricsServiceRef,
} from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { awsGatewayPermissions } from '@gateway-portal/plugin-aws-gateway-common';
import { registerGetGatewayStatusForEntityAction } from './actions/getGatewayStatusForEntityAction';
import { createStatusMetrics } from './metrics';
import { createFormOptionsRouter } from './formOptions/router';
import { createRouter } from './router';
import { createGatewayStatusService } from './service/createGatewayStatusService';

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
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        cache: coreServices.cache,
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        auditor: coreServices.auditor,
        userInfo: coreServices.userInfo,
        catalog: catalogServiceRef,
        actionsRegistry: actionsRegistryServiceRef,
        metrics: metricsServiceRef,
      },
      async init(deps) {
        deps.permissionsRegistry.addPermissions(awsGatewayPermissions);
        const service = createGatewayStatusService({
          config: deps.config,
          logger: deps.logger,
          catalog: deps.catalog,
          permissions: deps.permissions,
          auth: deps.auth,
          cache: deps.cache,
          metrics: createStatusMetrics(deps.metrics),
        });
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
        deps.httpRouter.use(await createFormOptionsRouter(deps));
        deps.httpRouter.addAuthPolicy({
          path: '/health',
          allow: 'unauthenticated',
        });
      },
    });
  },
});

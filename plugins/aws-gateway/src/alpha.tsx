import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { isAwsGatewayAvailable } from '@gateway-portal/plugin-aws-gateway-common';
import { AwsGatewayClient, awsGatewayApiRef } from './api';

/** @alpha */
export const awsGatewayApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: awsGatewayApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new AwsGatewayClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * The gateway status card on the overview of entities that name Gateways or
 * carry a Kubernetes id. A content card: its tables need the main column.
 *
 * @alpha
 */
export const entityGatewayStatusCard = EntityCardBlueprint.make({
  name: 'gateway-status',
  params: {
    type: 'content',
    filter: isAwsGatewayAvailable,
    loader: async () =>
      import('./components/GatewayStatusCard').then(m => (
        <m.GatewayStatusCard />
      )),
  },
});

/**
 * The AWS gateway plugin for the new frontend system. Apps with
 * `app.packages: all` discover it from this package's `./alpha` export.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'aws-gateway',
  title: 'AWS gateways',
  info: { packageJson: () => import('../package.json') },
  extensions: [awsGatewayApi, entityGatewayStatusCard],
});

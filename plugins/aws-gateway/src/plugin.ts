import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { AwsGatewayClient, awsGatewayApiRef } from './api';
import {
  awsGatewayFormOptionsApiRef,
  AwsGatewayFormOptionsClient,
} from './scaffolder/api';

/**
 * The AWS gateway plugin for apps on the legacy frontend system.
 *
 * @public
 */
export const awsGatewayPlugin = createPlugin({
  id: 'aws-gateway',
  apis: [
    createApiFactory({
      api: awsGatewayApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new AwsGatewayClient({ discoveryApi, fetchApi }),
    }),
    createApiFactory({
      api: awsGatewayFormOptionsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new AwsGatewayFormOptionsClient({ discoveryApi, fetchApi }),
    }),
  ],
});

/**
 * The gateway status card for an entity page of a legacy app. Wrap it in
 * `<EntitySwitch.Case if={isAwsGatewayAvailable}>`.
 *
 * @public
 */
export const EntityAwsGatewayCard = awsGatewayPlugin.provide(
  createComponentExtension({
    name: 'EntityAwsGatewayCard',
    component: {
      lazy: () =>
        import('./components/GatewayStatusCard').then(m => m.GatewayStatusCard),
    },
  }),
);

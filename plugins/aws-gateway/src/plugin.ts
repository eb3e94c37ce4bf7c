import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { AwsGatewayClient, awsGatewayApiRef } from './api';
import {
  awsGatewayFormOptionsApiRef,
  AwsGatewayFormOptionsClient,
} from './scaffolder/api';
import { exposedEndpointsLegacyRouteRef } from './components/ExposedEndpointsPage/routes';

/**
 * The AWS gateway plugin for apps on the legacy frontend system.
 *
 * @public
 */
export const awsGatewayPlugin = createPlugin({
  id: 'aws-gateway',
  routes: { exposedEndpoints: exposedEndpointsLegacyRouteRef },
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
export const EntityAwsGatewayCard: () => JSX.Element = awsGatewayPlugin.provide(
  createComponentExtension({
    name: 'EntityAwsGatewayCard',
    component: {
      lazy: () =>
        import('./components/GatewayStatusCard').then(m => m.GatewayStatusCard),
    },
  }),
);

/**
 * The "Exposed endpoints" page of a legacy app: every NLB Gateway across
 * clusters, from the catalog. Mount it on a route, e.g.
 * `<Route path="/aws-gateway/endpoints" element={<AwsGatewayExposedEndpointsPage />} />`.
 *
 * @public
 */
export const AwsGatewayExposedEndpointsPage: () => JSX.Element =
  awsGatewayPlugin.provide(
    createRoutableExtension({
      name: 'AwsGatewayExposedEndpointsPage',
      component: () =>
        import('./components/ExposedEndpointsPage').then(
          m => m.ExposedEndpointsPage,
        ),
      mountPoint: exposedEndpointsLegacyRouteRef,
    }),
  );

import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import { isAwsGatewayAvailable } from '@gateway-portal/plugin-aws-gateway-common';
import { AwsGatewayClient, awsGatewayApiRef } from './api';
import {
  awsGatewayFormOptionsApiRef,
  AwsGatewayFormOptionsClient,
} from './scaffolder/api';
import { exposedEndpointsPage } from './components/ExposedEndpointsPage/extension';
import { exposedEndpointsRouteRef } from './components/ExposedEndpointsPage/routes';

export { awsGatewayTranslationRef } from './translation';
export { exposedEndpointsTranslationRef } from './components/ExposedEndpointsPage/translation';
export { exposedEndpointsPage, exposedEndpointsRouteRef };

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

/** @alpha */
export const awsGatewayFormOptionsApi = ApiBlueprint.make({
  name: 'form-options',
  params: defineParams =>
    defineParams({
      api: awsGatewayFormOptionsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new AwsGatewayFormOptionsClient({ discoveryApi, fetchApi }),
    }),
});

const formFields = () => import('./scaffolder/formFields');

/**
 * The templates' fields (`ui:field: AwsGatewayClusterPicker`, …),
 * attached to the scaffolder's form fields.
 *
 * @alpha
 */
export const awsGatewayFormFields = [
  FormFieldBlueprint.make({
    name: 'cluster-picker',
    params: { field: () => formFields().then(m => m.clusterPickerField) },
  }),
  FormFieldBlueprint.make({
    name: 'namespace-picker',
    params: { field: () => formFields().then(m => m.namespacePickerField) },
  }),
  FormFieldBlueprint.make({
    name: 'service-picker',
    params: { field: () => formFields().then(m => m.servicePickerField) },
  }),
  FormFieldBlueprint.make({
    name: 'service-port-picker',
    params: { field: () => formFields().then(m => m.servicePortPickerField) },
  }),
  FormFieldBlueprint.make({
    name: 'shared-gateway-picker',
    params: { field: () => formFields().then(m => m.sharedGatewayPickerField) },
  }),
  FormFieldBlueprint.make({
    name: 'endpoint-picker',
    params: { field: () => formFields().then(m => m.endpointPickerField) },
  }),
  FormFieldBlueprint.make({
    name: 'endpoint-check',
    params: { field: () => formFields().then(m => m.endpointCheckField) },
  }),
];

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
  routes: { exposedEndpoints: exposedEndpointsRouteRef },
  extensions: [
    exposedEndpointsPage,
    awsGatewayApi,
    entityGatewayStatusCard,
    awsGatewayFormOptionsApi,
    ...awsGatewayFormFields,
  ],
});

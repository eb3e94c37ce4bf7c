/**
 * Entity card showing whether an entity's public TCP endpoints on AWS work:
 * its Gateway API Gateways, the Network Load Balancers the AWS Load Balancer
 * Controller made for them, routes, target groups and target health.
 *
 * The new frontend system plugin is the default export of `./alpha`.
 *
 * @packageDocumentation
 */
export {
  AwsGatewayExposedEndpointsPage,
  awsGatewayPlugin,
  EntityAwsGatewayCard,
} from './plugin';
export { exposedEndpointsLegacyRouteRef } from './components/ExposedEndpointsPage/routes';
export {
  awsGatewayApiRef,
  AwsGatewayClient,
  KubernetesUserTokens,
} from './api';
export type {
  AwsGatewayApi,
  GetEntityGatewaysOptions,
  KubernetesUserTokenSource,
} from './api';
export { useKubernetesUserTokens } from './hooks/useKubernetesUserTokens';
export { useEntityGateways } from './hooks/useEntityGateways';
export type {
  EntityGatewaysState,
  UseEntityGatewaysOptions,
} from './hooks/useEntityGateways';
export { isAwsGatewayAvailable } from '@gateway-portal/plugin-aws-gateway-common';
export {
  AWS_GATEWAY_FIELD_NAMES,
  awsGatewayFormOptionsApiRef,
  AwsGatewayFormOptionsClient,
  AwsGatewayClusterPickerFieldExtension,
  AwsGatewayEndpointCheckFieldExtension,
  AwsGatewayEndpointPickerFieldExtension,
  AwsGatewayNamespacePickerFieldExtension,
  AwsGatewayServicePickerFieldExtension,
  AwsGatewayServicePortPickerFieldExtension,
  AwsGatewaySharedGatewayPickerFieldExtension,
} from './scaffolder';
export type {
  AwsGatewayFormOptionsApi,
  EndpointCheckValue,
  FormOptionsRequestOptions,
} from './scaffolder';

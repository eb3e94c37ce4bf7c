export {
  awsGatewayFormOptionsApiRef,
  AwsGatewayFormOptionsClient,
} from './api';
export type {
  AwsGatewayFormOptionsApi,
  FormOptionsRequestOptions,
} from './api';
export { AWS_GATEWAY_FIELD_NAMES } from './fieldNames';
export type { EndpointCheckValue } from './EndpointCheck';
export {
  AwsGatewayClusterPickerFieldExtension,
  AwsGatewayEndpointCheckFieldExtension,
  AwsGatewayEndpointPickerFieldExtension,
  AwsGatewayNamespacePickerFieldExtension,
  AwsGatewayServicePickerFieldExtension,
  AwsGatewayServicePortPickerFieldExtension,
  AwsGatewaySharedGatewayPickerFieldExtension,
} from './legacy';

/**
 * The `ui:field` names of this plugin's scaffolder field extensions, as the
 * templates write them. One home for both frontend systems' registrations.
 *
 * @public
 */
export const AWS_GATEWAY_FIELD_NAMES = {
  cluster: 'AwsGatewayClusterPicker',
  namespace: 'AwsGatewayNamespacePicker',
  service: 'AwsGatewayServicePicker',
  servicePort: 'AwsGatewayServicePortPicker',
  endpointCheck: 'AwsGatewayEndpointCheck',
  sharedGateway: 'AwsGatewaySharedGatewayPicker',
  endpoint: 'AwsGatewayEndpointPicker',
} as const;

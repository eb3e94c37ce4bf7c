export { awsGatewayApiRef } from './AwsGatewayApi';
export type { AwsGatewayApi, GetEntityGatewaysOptions } from './AwsGatewayApi';
export { AwsGatewayClient } from './AwsGatewayClient';

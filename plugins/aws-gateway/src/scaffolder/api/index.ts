export { awsGatewayFormOptionsApiRef } from './AwsGatewayFormOptionsApi';
export type { AwsGatewayFormOptionsApi } from './AwsGatewayFormOptionsApi';
export { AwsGatewayFormOptionsClient } from './AwsGatewayFormOptionsClient';

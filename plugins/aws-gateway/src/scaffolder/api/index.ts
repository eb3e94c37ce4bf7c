export { awsGatewayFormOptionsApiRef } from './AwsGatewayFormOptionsApi';
export type {
  AwsGatewayFormOptionsApi,
  FormOptionsRequestOptions,
} from './AwsGatewayFormOptionsApi';
export { AwsGatewayFormOptionsClient } from './AwsGatewayFormOptionsClient';

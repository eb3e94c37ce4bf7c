export { awsGatewayApiRef } from './AwsGatewayApi';
export type { AwsGatewayApi, GetEntityGatewaysOptions } from './AwsGatewayApi';
export { AwsGatewayClient } from './AwsGatewayClient';
export { KubernetesUserTokens } from './KubernetesUserTokens';
export type { KubernetesUserTokenSource } from './KubernetesUserTokens';

/**
 * Gateway status backend for the AWS gateway plugin suite.
 *
 * @packageDocumentation
 */
export { awsGatewayPlugin as default } from './plugin';
export type {
  GatewayStatusService,
  GetEntityGatewaysRequest,
} from './service/GatewayStatusService';
export {
  createGatewayStatusService,
  type CreateGatewayStatusServiceOptions,
} from './service/createGatewayStatusService';
export type {
  KubernetesConnection,
  KubernetesObjectClient,
  ListOptions,
  ResourceVersion,
} from './kubernetes/KubernetesObjectClient';
export { ClientNodeKubernetesObjectClient } from './kubernetes/KubernetesObjectClient';
export type { Elbv2ClientSource } from './aws/Elbv2Reader';

/**
 * Gateway status backend for the AWS gateway plugin suite.
 *
 * @packageDocumentation
 */
export { awsGatewayPlugin as default } from './plugin';
export { gatewayStatusServiceRef } from './service/gatewayStatusServiceRef';
export type {
  GatewayStatusService,
  GetEntityGatewaysRequest,
} from './service/GatewayStatusService';

import { GatewayStatus } from '@gateway-portal/plugin-aws-gateway-common';

/** A Gateway's status before its warnings: what the warnings are drawn from. */
export type ObservedGatewayStatus = Omit<GatewayStatus, 'warnings'>;

export { GatewayStateStatus } from './GatewayStateStatus';
export type { GatewayStateStatusProps } from './GatewayStateStatus';

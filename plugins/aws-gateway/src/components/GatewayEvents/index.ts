export { GatewayEvents } from './GatewayEvents';
export type { GatewayEventsProps } from './GatewayEvents';

export { GatewayWarnings } from './GatewayWarnings';
export type { GatewayWarningsProps } from './GatewayWarnings';

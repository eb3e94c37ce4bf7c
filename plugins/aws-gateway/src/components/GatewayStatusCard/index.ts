export { GatewayStatusCard } from './GatewayStatusCard';
export { GatewaySection } from './GatewaySection';
export type { GatewaySectionProps } from './GatewaySection';

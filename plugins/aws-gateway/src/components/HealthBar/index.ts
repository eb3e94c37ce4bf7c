export { HealthBar, describeHealth } from './HealthBar';
export type { HealthBarProps } from './HealthBar';

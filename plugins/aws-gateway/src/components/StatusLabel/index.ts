export { StatusLabel } from './StatusLabel';
export type { StatusKind, StatusLabelProps } from './StatusLabel';

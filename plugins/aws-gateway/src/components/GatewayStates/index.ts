export { MissingAnnotationState } from './MissingAnnotationState';
export type { MissingAnnotationStateProps } from './MissingAnnotationState';
export { NotConfiguredState } from './NotConfiguredState';
export {
  NoGatewaysState,
  DEFAULT_EXPOSE_TEMPLATE_REF,
  templatePath,
} from './NoGatewaysState';
export type { NoGatewaysStateProps } from './NoGatewaysState';
export { PermissionDeniedState } from './PermissionDeniedState';
export { PartialErrorPanel } from './PartialErrorPanel';
export type { PartialErrorPanelProps } from './PartialErrorPanel';

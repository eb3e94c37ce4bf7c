/**
 * The AWS gateway suite's permission policy: who may run which scaffolder
 * action, from `awsGateway.permissions`.
 *
 * @packageDocumentation
 */
export { permissionModuleAwsGatewayPolicy as default } from './module';
export {
  AwsGatewayPermissionPolicy,
  readAwsGatewayPermissionSettings,
} from './policy';
export type { AwsGatewayPermissionSettings } from './policy';
export { DEFAULT_PRIVILEGED_ACTIONS, expandActionPatterns } from './actionIds';

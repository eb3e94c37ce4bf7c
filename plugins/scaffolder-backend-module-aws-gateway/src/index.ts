/**
 * Scaffolder actions that provision AWS Load Balancer Controller gateways.
 *
 * @packageDocumentation
 */
export { scaffolderModuleAwsGateway as default } from './module';

/**
 * The AWS gateway suite's software templates (AWS Load Balancer Controller
 * setup, expose a TCP endpoint) as a catalog backend module.
 *
 * @packageDocumentation
 */
export {
  catalogModuleAwsGatewayTemplates,
  catalogModuleAwsGatewayTemplates as default,
  catalogModuleAwsGatewayRepoPickerHosts,
} from './module';
export { GitOpsRepoPickerHostsProcessor } from './GitOpsRepoPickerHostsProcessor';
export { AwsGatewayTemplatesProvider } from './AwsGatewayTemplatesProvider';
export type { AwsGatewayTemplatesProviderOptions } from './AwsGatewayTemplatesProvider';

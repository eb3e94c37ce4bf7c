/**
 * The AWS gateway suite's software templates (AWS Load Balancer Controller
 * setup, expose a TCP endpoint) as a catalog backend module.
 *
 * @packageDocumentation
 */
export {
  catalogModuleAwsGatewayTemplates,
  catalogModuleAwsGatewayTemplates as default,
} from './module';
export { AwsGatewayTemplatesProvider } from './AwsGatewayTemplatesProvider';
export type { AwsGatewayTemplatesProviderOptions } from './AwsGatewayTemplatesProvider';

/**
 * A catalog module that publishes each Gateway of the AWS Load Balancer
 * Controller's NLB support as a catalog Resource (`aws-nlb-endpoint`), owned
 * like the component it exposes and related to it.
 *
 * @packageDocumentation
 */
export { catalogModuleAwsGatewayEntities as default } from './module';
export { AwsGatewayEntityProvider } from './provider/AwsGatewayEntityProvider';
export type { AwsGatewayEntityProviderOptions } from './provider/AwsGatewayEntityProvider';
export { catalogComponentLookup } from './provider/catalogComponentLookup';
export type {
  ComponentLookup,
  GatewayOwnership,
  OwnerFallbackReason,
} from './provider/gatewayOwners';
export { gatewayResourceName } from './provider/gatewayResource';
export type {
  ClusterObjects,
  ClusterObjectsReader,
} from './provider/clusterObjects';
export { readGatewayProviderSettings } from './config';
export type { ClusterAwsLocation, GatewayProviderSettings } from './config';

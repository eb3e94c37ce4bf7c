/**
 * A catalog module that publishes each Gateway of the AWS Load Balancer
 * Controller's NLB support as a catalog Resource (`aws-nlb-endpoint`), owned
 * like the component it exposes and related to it.
 *
 * @packageDocumentation
 */
export { catalogModuleAwsGatewayEntities as default } from './module';
// The entity name of a Gateway's Resource, for links and lookups.
export { gatewayResourceName } from './provider/gatewayResource';

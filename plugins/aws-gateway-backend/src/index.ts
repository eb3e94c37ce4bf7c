/**
 * Gateway status backend for the AWS gateway plugin suite.
 *
 * @packageDocumentation
 */
export { awsGatewayPlugin as default } from './plugin';

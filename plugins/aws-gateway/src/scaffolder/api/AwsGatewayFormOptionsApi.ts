import { createApiRef } from '@backstage/frontend-plugin-api';
import {
  EndpointFormCheck,
  EndpointFormValues,
  FormCluster,
  FormGuardrails,
  FormService,
  FormSharedGateway,
} from '@gateway-portal/plugin-aws-gateway-common';

/**
 * What the expose template's fields read from the aws-gateway backend. Every
 * call is made as the signed-in user, who sees only what they may use; a
 * refusal rejects with a `ResponseError` (403, 404, 503).
 *
 * @public
 */
export interface AwsGatewayFormOptionsApi {
  getGuardrails(): Promise<FormGuardrails>;
  listClusters(): Promise<FormCluster[]>;
  listNamespaces(cluster: string): Promise<string[]>;
  listServices(cluster: string, namespace: string): Promise<FormService[]>;
  /** The shared Gateways the platform offers, with their free ports (read with the portal's identity). */
  listSharedGateways(): Promise<FormSharedGateway[]>;
  checkEndpoint(values: EndpointFormValues): Promise<EndpointFormCheck>;
}

/** @public */
export const awsGatewayFormOptionsApiRef =
  createApiRef<AwsGatewayFormOptionsApi>().with({
    id: 'plugin.aws-gateway.form-options',
    pluginId: 'aws-gateway',
  });

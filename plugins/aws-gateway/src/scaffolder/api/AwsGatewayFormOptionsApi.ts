import { createApiRef } from '@backstage/frontend-plugin-api';
import {
  EndpointFormCheck,
  EndpointFormValues,
  FormCluster,
  FormEndpointsResponse,
  FormGuardrails,
  FormService,
  FormSharedGateway,
} from '@gateway-portal/plugin-aws-gateway-common';
import type { KubernetesUserTokenSource } from '../../api/KubernetesUserTokens';

/** @public */
export interface FormOptionsRequestOptions {
  /** The user's own tokens, for clusters whose auth provider takes them (see useKubernetesUserTokens). */
  kubernetesTokens?: KubernetesUserTokenSource;
}

/**
 * What the expose template's fields read from the aws-gateway backend. Every
 * call is made as the signed-in user, who sees only what they may use; a
 * refusal rejects with a `ResponseError` (403, 404, 503).
 *
 * @public
 */
export interface AwsGatewayFormOptionsApi {
  getGuardrails(): Promise<FormGuardrails>;
  listClusters(options?: FormOptionsRequestOptions): Promise<FormCluster[]>;
  listNamespaces(
    cluster: string,
    options?: FormOptionsRequestOptions,
  ): Promise<string[]>;
  listServices(
    cluster: string,
    namespace: string,
    options?: FormOptionsRequestOptions,
  ): Promise<FormService[]>;
  /**
   * A component's endpoints live in one namespace (its Gateways and its
   * listeners on shared gateways), for the change and remove forms.
   */
  listEndpoints(
    query: { cluster: string; namespace: string; entityRef: string },
    options?: FormOptionsRequestOptions,
  ): Promise<FormEndpointsResponse>;
  /** The shared Gateways the platform offers, with their free ports (read with the portal's identity). */
  listSharedGateways(): Promise<FormSharedGateway[]>;
  checkEndpoint(
    values: EndpointFormValues,
    options?: FormOptionsRequestOptions,
  ): Promise<EndpointFormCheck>;
}

/** @public */
export const awsGatewayFormOptionsApiRef =
  createApiRef<AwsGatewayFormOptionsApi>().with({
    id: 'plugin.aws-gateway.form-options',
    pluginId: 'aws-gateway',
  });

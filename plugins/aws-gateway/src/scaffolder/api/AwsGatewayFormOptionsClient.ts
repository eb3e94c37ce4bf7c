import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  EndpointFormCheck,
  EndpointFormValues,
  FormClustersResponse,
  FormEndpointsResponse,
  FormGuardrails,
  FormNamespacesResponse,
  FormServicesResponse,
  FormSharedGatewaysResponse,
} from '@gateway-portal/plugin-aws-gateway-common';
import {
  AwsGatewayFormOptionsApi,
  FormOptionsRequestOptions,
} from './AwsGatewayFormOptionsApi';

/**
 * {@link AwsGatewayFormOptionsApi} over `/api/aws-gateway/form-options`,
 * through the app's `fetchApi` (the user's Backstage token).
 *
 * @public
 */
export class AwsGatewayFormOptionsClient implements AwsGatewayFormOptionsApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  getGuardrails(): Promise<FormGuardrails> {
    return this.request<FormGuardrails>('/guardrails');
  }

  async listClusters(options?: FormOptionsRequestOptions) {
    return (
      await this.request<FormClustersResponse>('/clusters', undefined, options)
    ).clusters;
  }

  async listNamespaces(cluster: string, options?: FormOptionsRequestOptions) {
    return (
      await this.request<FormNamespacesResponse>(
        `/clusters/${encodeURIComponent(cluster)}/namespaces`,
        undefined,
        options,
      )
    ).namespaces;
  }

  async listServices(
    cluster: string,
    namespace: string,
    options?: FormOptionsRequestOptions,
  ) {
    return (
      await this.request<FormServicesResponse>(
        `/clusters/${encodeURIComponent(
          cluster,
        )}/namespaces/${encodeURIComponent(namespace)}/services`,
        undefined,
        options,
      )
    ).services;
  }

  listEndpoints(
    query: { cluster: string; namespace: string; entityRef: string },
    options?: FormOptionsRequestOptions,
  ): Promise<FormEndpointsResponse> {
    return this.request<FormEndpointsResponse>(
      `/endpoints?${new URLSearchParams(query)}`,
      undefined,
      options,
    );
  }

  async listSharedGateways() {
    return (await this.request<FormSharedGatewaysResponse>('/shared-gateways'))
      .sharedGateways;
  }

  checkEndpoint(
    values: EndpointFormValues,
    options?: FormOptionsRequestOptions,
  ): Promise<EndpointFormCheck> {
    return this.request<EndpointFormCheck>(
      '/endpoint-check',
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(values),
      },
      options,
    );
  }

  private async request<T>(
    path: string,
    init?: RequestInit,
    options?: FormOptionsRequestOptions,
  ): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('aws-gateway');
    const tokens = await options?.kubernetesTokens?.headers();
    const response = await this.fetchApi.fetch(
      `${baseUrl}/form-options${path}`,
      tokens
        ? { ...init, headers: { ...(init?.headers as object), ...tokens } }
        : init,
    );
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as T;
  }
}

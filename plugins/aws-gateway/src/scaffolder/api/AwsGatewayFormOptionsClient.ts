import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  EndpointFormCheck,
  EndpointFormValues,
  FormClustersResponse,
  FormGuardrails,
  FormNamespacesResponse,
  FormServicesResponse,
  FormSharedGatewaysResponse,
} from '@gateway-portal/plugin-aws-gateway-common';
import { AwsGatewayFormOptionsApi } from './AwsGatewayFormOptionsApi';

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

  async listClusters() {
    return (await this.request<FormClustersResponse>('/clusters')).clusters;
  }

  async listNamespaces(cluster: string) {
    return (
      await this.request<FormNamespacesResponse>(
        `/clusters/${encodeURIComponent(cluster)}/namespaces`,
      )
    ).namespaces;
  }

  async listServices(cluster: string, namespace: string) {
    return (
      await this.request<FormServicesResponse>(
        `/clusters/${encodeURIComponent(
          cluster,
        )}/namespaces/${encodeURIComponent(namespace)}/services`,
      )
    ).services;
  }

  async listSharedGateways() {
    return (await this.request<FormSharedGatewaysResponse>('/shared-gateways'))
      .sharedGateways;
  }

  checkEndpoint(values: EndpointFormValues): Promise<EndpointFormCheck> {
    return this.request<EndpointFormCheck>('/endpoint-check', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(values),
    });
  }

  private async request<T>(path: string, init?: RequestInit): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('aws-gateway');
    const response = await this.fetchApi.fetch(
      `${baseUrl}/form-options${path}`,
      init,
    );
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as T;
  }
}

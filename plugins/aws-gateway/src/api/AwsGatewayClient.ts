import { CompoundEntityRef } from '@backstage/catalog-model';
import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { EntityGatewaysResponse } from '@gateway-portal/plugin-aws-gateway-common';
import { AwsGatewayApi, GetEntityGatewaysOptions } from './AwsGatewayApi';

/**
 * {@link AwsGatewayApi} over the aws-gateway backend's HTTP API. Requests go
 * through the app's `fetchApi`, so they carry the user's Backstage token and
 * the backend checks permissions as that user.
 *
 * @public
 */
export class AwsGatewayClient implements AwsGatewayApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async getEntityGateways(
    entityRef: CompoundEntityRef,
    options?: GetEntityGatewaysOptions,
  ): Promise<EntityGatewaysResponse> {
    const baseUrl = await this.discoveryApi.getBaseUrl('aws-gateway');
    // Kind and namespace are case-insensitive in the catalog; lower-casing them
    // gives one URL (and one backend cache entry) per entity.
    const kind = encodeURIComponent(entityRef.kind.toLocaleLowerCase('en-US'));
    const namespace = encodeURIComponent(
      entityRef.namespace.toLocaleLowerCase('en-US'),
    );
    const name = encodeURIComponent(entityRef.name);
    const query = options?.refresh ? '?refresh=true' : '';

    const response = await this.fetchApi.fetch(
      `${baseUrl}/entities/${kind}/${namespace}/${name}/gateways${query}`,
      { headers: await options?.kubernetesTokens?.headers() },
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as EntityGatewaysResponse;
  }
}

import { ResponseError } from '@backstage/errors';
import { mockApis } from '@backstage/test-utils';
import { EntityGatewaysResponse } from '@gateway-portal/plugin-aws-gateway-common';
import { AwsGatewayClient } from './AwsGatewayClient';

const body: EntityGatewaysResponse = {
  entityRef: 'component:default/payments',
  configured: true,
  gateways: [],
  errors: [],
  fetchedAt: '2026-05-01T10:00:00.000Z',
};

function jsonResponse(status: number, payload: unknown, statusText = '') {
  return new Response(JSON.stringify(payload), {
    status,
    statusText,
    headers: { 'content-type': 'application/json' },
  });
}

function createClient(response: Response) {
  const fetch = jest.fn(
    async (_input: RequestInfo | URL, _init?: RequestInit) => response,
  );
  const client = new AwsGatewayClient({
    discoveryApi: mockApis.discovery({ baseUrl: 'http://backend:7007' }),
    fetchApi: { fetch },
  });
  return { client, fetch };
}

describe('AwsGatewayClient', () => {
  it('requests the entity gateways from the plugin base URL and returns the body', async () => {
    const { client, fetch } = createClient(jsonResponse(200, body));

    const result = await client.getEntityGateways({
      kind: 'Component',
      namespace: 'default',
      name: 'payments',
    });

    expect(result).toEqual(body);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(fetch.mock.calls[0][0]).toBe(
      'http://backend:7007/api/aws-gateway/entities/component/default/payments/gateways',
    );
  });

  it("sends the user's Kubernetes tokens it is given, and no such header without them", async () => {
    const { client, fetch } = createClient(jsonResponse(200, body));
    const ref = { kind: 'Component', namespace: 'default', name: 'payments' };
    await client.getEntityGateways(ref, {
      kubernetesTokens: {
        headers: async () => ({
          'Backstage-Kubernetes-Authorization-oidc-okta': 'okta-id-token',
        }),
      },
    });
    expect(fetch.mock.calls[0][1]).toEqual({
      headers: {
        'Backstage-Kubernetes-Authorization-oidc-okta': 'okta-id-token',
      },
    });
    const plain = createClient(jsonResponse(200, body));
    await plain.client.getEntityGateways(ref);
    expect(plain.fetch.mock.calls[0][1]?.headers).toBeUndefined();
  });

  it('encodes every path segment', async () => {
    const { client, fetch } = createClient(jsonResponse(200, body));

    await client.getEntityGateways({
      kind: 'Component',
      namespace: 'team a',
      name: 'svc/with?odd#chars',
    });

    expect(fetch.mock.calls[0][0]).toBe(
      'http://backend:7007/api/aws-gateway/entities/component/team%20a/svc%2Fwith%3Fodd%23chars/gateways',
    );
  });

  it('asks the backend to bypass its cache on refresh', async () => {
    const { client, fetch } = createClient(jsonResponse(200, body));

    await client.getEntityGateways(
      { kind: 'component', namespace: 'default', name: 'payments' },
      { refresh: true },
    );

    expect(fetch.mock.calls[0][0]).toBe(
      'http://backend:7007/api/aws-gateway/entities/component/default/payments/gateways?refresh=true',
    );
  });

  it('rejects with a ResponseError carrying the status and the server cause on 403', async () => {
    const { client } = createClient(
      jsonResponse(
        403,
        {
          error: { name: 'NotAllowedError', message: 'Access denied' },
          response: { statusCode: 403 },
        },
        'Forbidden',
      ),
    );

    const error = await client
      .getEntityGateways({
        kind: 'component',
        namespace: 'default',
        name: 'payments',
      })
      .catch(e => e);

    expect(ResponseError.is(error)).toBe(true);
    expect(error.statusCode).toBe(403);
    expect(error.cause.name).toBe('NotAllowedError');
    expect(error.cause.message).toBe('Access denied');
  });

  it('rejects with a ResponseError on 404 for an unknown entity', async () => {
    const { client } = createClient(
      jsonResponse(
        404,
        {
          error: {
            name: 'NotFoundError',
            message: 'No entity component:default/ghost',
          },
          response: { statusCode: 404 },
        },
        'Not Found',
      ),
    );

    await expect(
      client.getEntityGateways({
        kind: 'component',
        namespace: 'default',
        name: 'ghost',
      }),
    ).rejects.toMatchObject({ name: 'ResponseError', statusCode: 404 });
  });
});

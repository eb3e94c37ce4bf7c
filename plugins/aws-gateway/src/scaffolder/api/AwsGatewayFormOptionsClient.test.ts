import { AwsGatewayFormOptionsClient } from './AwsGatewayFormOptionsClient';

describe('AwsGatewayFormOptionsClient', () => {
  it("asks for a component's endpoints with the values as query parameters and the user's Kubernetes tokens", async () => {
    const fetch = jest.fn(
      async (_url: string, _init?: RequestInit) =>
        new Response(JSON.stringify({ endpoints: [] }), {
          headers: { 'content-type': 'application/json' },
        }),
    );
    const client = new AwsGatewayFormOptionsClient({
      discoveryApi: { getBaseUrl: async () => 'http://portal/api/aws-gateway' },
      fetchApi: { fetch: fetch as typeof globalThis.fetch },
    });
    const answer = await client.listEndpoints(
      {
        cluster: 'dev',
        namespace: 'apps',
        entityRef: 'component:default/a&b=c',
      },
      {
        kubernetesTokens: {
          headers: async () => ({
            'Backstage-Kubernetes-Authorization-x': 't',
          }),
        },
      },
    );
    expect(answer).toEqual({ endpoints: [] });
    const [url, init] = fetch.mock.calls[0];
    const asked = new URL(url);
    expect(asked.pathname).toBe('/api/aws-gateway/form-options/endpoints');
    expect(Object.fromEntries(asked.searchParams)).toEqual({
      cluster: 'dev',
      namespace: 'apps',
      entityRef: 'component:default/a&b=c',
    });
    expect(init?.headers).toEqual({
      'Backstage-Kubernetes-Authorization-x': 't',
    });
  });

  it('rejects with the backend error', async () => {
    const client = new AwsGatewayFormOptionsClient({
      discoveryApi: { getBaseUrl: async () => 'http://portal/api/aws-gateway' },
      fetchApi: {
        fetch: (async () =>
          new Response(
            JSON.stringify({
              error: {
                name: 'InputError',
                message: 'entityRef must be an entity ref',
              },
              response: { statusCode: 400 },
            }),
            { status: 400, headers: { 'content-type': 'application/json' } },
          )) as typeof globalThis.fetch,
      },
    });
    await expect(
      client.listEndpoints({
        cluster: 'dev',
        namespace: 'apps',
        entityRef: 'x:',
      }),
    ).rejects.toMatchObject({
      statusCode: 400,
      body: { error: { message: 'entityRef must be an entity ref' } },
    });
  });
});

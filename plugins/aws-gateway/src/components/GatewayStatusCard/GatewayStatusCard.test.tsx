import { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { EntityGatewaysResponse } from '@gateway-portal/plugin-aws-gateway-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AwsGatewayApi, awsGatewayApiRef } from '../../api';
import {
  DNS_NAME,
  entity,
  entityWithoutAnnotations,
  gatewaysResponse,
  health,
  listener,
  programmedGateway,
  provisioningGateway,
  targetGroup,
} from '../../testing/fixtures';
import { GatewayStatusCard } from './GatewayStatusCard';

function mockApi(
  answer: EntityGatewaysResponse | Error | Promise<never>,
): jest.Mocked<AwsGatewayApi> {
  const getEntityGateways = jest.fn();
  if (answer instanceof Promise) {
    getEntityGateways.mockReturnValue(answer);
  } else if (answer instanceof Error) {
    getEntityGateways.mockRejectedValue(answer);
  } else {
    getEntityGateways.mockResolvedValue(answer);
  }
  return { getEntityGateways };
}

async function renderCard(
  api: AwsGatewayApi,
  options: { entity?: Entity } = {},
) {
  return renderInTestApp(
    <TestApiProvider apis={[[awsGatewayApiRef, api]]}>
      <EntityProvider entity={options.entity ?? entity}>
        <GatewayStatusCard />
      </EntityProvider>
    </TestApiProvider>,
  );
}

async function responseError(status: number, name: string, message: string) {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name, message },
        response: { statusCode: status },
      }),
      {
        status,
        statusText: status === 403 ? 'Forbidden' : 'Internal Server Error',
        headers: { 'content-type': 'application/json' },
      },
    ),
  );
}

describe('GatewayStatusCard', () => {
  it('shows a programmed gateway with its endpoint, health and targets', async () => {
    const api = mockApi(gatewaysResponse());
    await renderCard(api);

    const section = await screen.findByRole('region', { name: 'payments-gw' });
    expect(api.getEntityGateways).toHaveBeenCalledWith(
      { kind: 'Component', namespace: 'default', name: 'payments' },
      { refresh: false },
    );
    expect(
      within(section).getByText(
        'Namespace payments · Cluster prod-eu · Class aws-nlb',
      ),
    ).toBeInTheDocument();
    expect(within(section).getByText('Programmed')).toBeInTheDocument();
    expect(
      within(section).getByText('The load balancer is active'),
    ).toBeInTheDocument();
    expect(within(section).getByText(DNS_NAME)).toBeInTheDocument();
    expect(
      within(section).getByRole('button', { name: 'Copy DNS name' }),
    ).toBeInTheDocument();
    expect(within(section).getByText(`${DNS_NAME}:8080`)).toBeInTheDocument();
    expect(within(section).getByText('internet-facing')).toBeInTheDocument();
    expect(within(section).getByText('203.0.113.0/24')).toBeInTheDocument();
    expect(
      within(section).getByRole('link', {
        name: /Open load balancer k8s-payments-paymentsg-0123456789 in the AWS console/,
      }),
    ).toHaveAttribute(
      'href',
      expect.stringContaining(
        'console.aws.amazon.com/ec2/home?region=eu-west-1#LoadBalancer:',
      ),
    );
    expect(
      within(section).getByRole('link', {
        name: /Open target group k8s-payments-payments-1a2b3c4d5e/,
      }),
    ).toHaveAttribute('href', expect.stringContaining('#TargetGroup:'));
    expect(
      within(section).getByText('TCPRoute payments/payments'),
    ).toBeInTheDocument();
    expect(
      within(section).getByRole('img', {
        name: 'Target health: 2 healthy of 2',
      }),
    ).toBeInTheDocument();
    expect(screen.getByText('Last updated')).toBeInTheDocument();

    expect(
      screen.queryByText('payments-7d9c8b6f5-abcde'),
    ).not.toBeInTheDocument();
    await userEvent.click(
      within(section).getByRole('button', { name: 'Show targets' }),
    );
    const targets = await screen.findByRole('grid', {
      name: 'Targets of k8s-payments-payments-1a2b3c4d5e',
    });
    expect(
      within(targets).getByText('payments-7d9c8b6f5-abcde'),
    ).toBeInTheDocument();
    expect(within(targets).getByText('10.0.1.15')).toBeInTheDocument();
    expect(within(targets).getByText('eu-west-1a')).toBeInTheDocument();
    expect(
      within(section).getByRole('button', { name: 'Hide targets' }),
    ).toHaveAttribute('aria-expanded', 'true');
  });

  it('shows when the status was read and re-reads it bypassing the cache on Refresh', async () => {
    const fetchedAt = new Date(Date.now() - 5 * 60_000).toISOString();
    const api = mockApi(gatewaysResponse({ fetchedAt }));
    await renderCard(api);

    const time = await screen.findByText('5 minutes ago');
    expect(time).toHaveAttribute('datetime', fetchedAt);
    // In the card's header, beside the Refresh button, as one sentence.
    const lastUpdated = time.parentElement!;
    expect(lastUpdated).toHaveTextContent(/^Last updated 5 minutes ago$/);
    expect(lastUpdated.nextElementSibling).toBe(
      screen.getByRole('button', { name: 'Refresh' }),
    );

    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    await waitFor(() =>
      expect(api.getEntityGateways).toHaveBeenLastCalledWith(
        { kind: 'Component', namespace: 'default', name: 'payments' },
        { refresh: true },
      ),
    );
  });

  it('shows a provisioning gateway without an address yet', async () => {
    await renderCard(
      mockApi(gatewaysResponse({ gateways: [provisioningGateway()] })),
    );

    const section = await screen.findByRole('region', { name: 'payments-gw' });
    expect(within(section).getByText('Provisioning')).toBeInTheDocument();
    expect(
      within(section).getByText('Waiting for load balancer to be active.'),
    ).toBeInTheDocument();
    expect(within(section).getByText('Not assigned yet')).toBeInTheDocument();
    expect(
      within(section).getByText('No NLB listener on this port yet'),
    ).toBeInTheDocument();
    expect(
      within(section).queryByRole('button', { name: 'Copy DNS name' }),
    ).not.toBeInTheDocument();
  });

  it('shows the scheme the LoadBalancerConfiguration asks for until the NLB exists', async () => {
    await renderCard(
      mockApi(
        gatewaysResponse({
          gateways: [
            provisioningGateway(),
            {
              ...provisioningGateway(),
              gateway: {
                cluster: 'prod-eu',
                namespace: 'payments',
                name: 'unconfigured-gw',
              },
              requestedScheme: undefined,
            },
          ],
        }),
      ),
    );

    const requested = await screen.findByRole('region', {
      name: 'payments-gw',
    });
    expect(within(requested).getByText('internet-facing')).toBeInTheDocument();
    expect(
      within(requested).getByText('(from the LoadBalancerConfiguration)'),
    ).toBeInTheDocument();
    const unknown = screen.getByRole('region', { name: 'unconfigured-gw' });
    expect(within(unknown).getByText('Not known yet')).toBeInTheDocument();
    expect(within(unknown).queryByText('Unknown')).not.toBeInTheDocument();
  });

  it('shows an errored gateway with the reason', async () => {
    await renderCard(
      mockApi(
        gatewaysResponse({
          gateways: [
            programmedGateway({
              state: 'error',
              stateReason:
                'Accepted=False (Invalid): FailedDeployModel: AccessDenied for elasticloadbalancing:CreateLoadBalancer',
              loadBalancer: undefined,
              dnsName: undefined,
            }),
          ],
        }),
      ),
    );

    const section = await screen.findByRole('region', { name: 'payments-gw' });
    expect(within(section).getByText('Error')).toBeInTheDocument();
    expect(
      within(section).getByText(
        'Accepted=False (Invalid): FailedDeployModel: AccessDenied for elasticloadbalancing:CreateLoadBalancer',
      ),
    ).toBeInTheDocument();
    expect(within(section).getByText('Not found yet')).toBeInTheDocument();
  });

  it('warns about a listener without a route, with the fix', async () => {
    await renderCard(
      mockApi(
        gatewaysResponse({
          gateways: [
            programmedGateway({
              listeners: [
                listener({
                  name: 'tcp-9000',
                  port: 9000,
                  attachedRoutes: 0,
                  routes: [],
                  loadBalancerListener: undefined,
                  targetGroups: [],
                }),
              ],
              warnings: [
                {
                  code: 'listener-without-route',
                  listener: 'tcp-9000',
                  message:
                    'No route is attached, so the NLB has no listener on port 9000',
                  fix: 'Create a TCPRoute with parentRefs sectionName tcp-9000 and a backend Service',
                },
              ],
            }),
          ],
        }),
      ),
    );

    const section = await screen.findByRole('region', { name: 'payments-gw' });
    expect(
      within(section).getByText(
        'Listener tcp-9000: No route is attached, so the NLB has no listener on port 9000',
      ),
    ).toBeInTheDocument();
    expect(
      within(section).getByText(
        'Create a TCPRoute with parentRefs sectionName tcp-9000 and a backend Service',
      ),
    ).toBeInTheDocument();
    expect(within(section).getByText('No route attached')).toBeInTheDocument();
    expect(
      within(section).queryByRole('button', { name: 'Show targets' }),
    ).not.toBeInTheDocument();
  });

  it('shows unhealthy targets with their reason', async () => {
    const unhealthyGroup = targetGroup({
      health: health({ healthy: 1, unhealthy: 2, initial: 1 }),
      targets: [
        {
          id: '10.0.1.15',
          port: 8080,
          availabilityZone: 'eu-west-1a',
          state: 'healthy',
          pod: { namespace: 'payments', name: 'payments-7d9c8b6f5-abcde' },
        },
        {
          id: '10.0.2.27',
          port: 8080,
          availabilityZone: 'eu-west-1b',
          state: 'unhealthy',
          reason: 'Target.FailedHealthChecks',
          description: 'Health checks failed',
          pod: { namespace: 'payments', name: 'payments-7d9c8b6f5-broken' },
        },
        {
          id: '10.0.3.8',
          port: 8080,
          availabilityZone: 'eu-west-1c',
          state: 'unhealthy',
          reason: 'Target.Timeout',
          description: 'Request timed out',
        },
        {
          id: '10.0.3.9',
          port: 8080,
          availabilityZone: 'eu-west-1c',
          state: 'initial',
          reason: 'Elb.RegistrationInProgress',
        },
      ],
    });
    await renderCard(
      mockApi(
        gatewaysResponse({
          gateways: [
            programmedGateway({
              listeners: [listener({ targetGroups: [unhealthyGroup] })],
              warnings: [
                {
                  code: 'unhealthy-targets',
                  listener: 'tcp-8080',
                  message: '2 of 4 targets are unhealthy',
                  fix: 'Check that the pods listen on port 8080 and pass the health check',
                },
              ],
            }),
          ],
        }),
      ),
    );

    const section = await screen.findByRole('region', { name: 'payments-gw' });
    expect(
      within(section).getByRole('img', {
        name: 'Target health: 1 healthy, 2 unhealthy, 1 initial of 4',
      }),
    ).toBeInTheDocument();
    expect(within(section).getByText('2 unhealthy')).toBeInTheDocument();
    expect(
      within(section).getByText(
        'Listener tcp-8080: 2 of 4 targets are unhealthy',
      ),
    ).toBeInTheDocument();

    await userEvent.click(
      within(section).getByRole('button', { name: 'Show targets' }),
    );
    const targets = await screen.findByRole('grid', {
      name: 'Targets of k8s-payments-payments-1a2b3c4d5e',
    });
    const brokenRow = within(targets)
      .getByText('payments-7d9c8b6f5-broken')
      .closest('tr')!;
    expect(within(brokenRow).getByText('unhealthy')).toBeInTheDocument();
    expect(
      within(brokenRow).getByText('Target.FailedHealthChecks'),
    ).toBeInTheDocument();
    expect(
      within(brokenRow).getByText('Health checks failed'),
    ).toBeInTheDocument();
    expect(within(targets).getByText('Target.Timeout')).toBeInTheDocument();
  });

  it('explains a 403 as missing permission', async () => {
    await renderCard(
      mockApi(await responseError(403, 'NotAllowedError', 'Unauthorized')),
    );

    expect(
      await screen.findByText('You are not allowed to see this gateway status'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/aws-gateway\.status\.read permission/),
    ).toBeInTheDocument();
  });

  it('explains how to configure a cluster when the backend has none', async () => {
    await renderCard(
      mockApi(gatewaysResponse({ configured: false, gateways: [] })),
    );

    expect(
      await screen.findByText('No Kubernetes cluster configured'),
    ).toBeInTheDocument();
    expect(screen.getAllByText(/clusterLocatorMethods/).length).toBeGreaterThan(
      0,
    );
  });

  it('links to the expose template when the entity has no gateway', async () => {
    await renderCard(mockApi(gatewaysResponse({ gateways: [] })));

    expect(await screen.findByText('No gateway yet')).toBeInTheDocument();
    expect(screen.getByText(/component:default\/payments/)).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Expose a TCP endpoint' }),
    ).toHaveAttribute(
      'href',
      `/create/templates/default/expose-tcp-endpoint?formData=${encodeURIComponent(
        '{"component":"component:default/payments"}',
      )}`,
    );
  });

  it('shows the gateways it could read and lists the parts that failed', async () => {
    await renderCard(
      mockApi(
        gatewaysResponse({
          errors: [
            {
              part: 'kubernetes',
              kind: 'unreachable',
              cluster: 'prod-us',
              message: 'connect ETIMEDOUT 10.1.0.1:443',
            },
          ],
          gateways: [
            programmedGateway({
              errors: [
                {
                  part: 'aws',
                  kind: 'permission',
                  message:
                    'AccessDenied: not authorized to perform elasticloadbalancing:DescribeTargetHealth',
                },
              ],
            }),
          ],
        }),
      ),
    );

    expect(
      await screen.findByRole('region', { name: 'payments-gw' }),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Some gateway information could not be loaded'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Kubernetes (cluster prod-us), unreachable:'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/connect ETIMEDOUT 10\.1\.0\.1:443/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Some information about this gateway could not be loaded',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('AWS, permission denied:')).toBeInTheDocument();
    expect(screen.queryByText('No gateway yet')).not.toBeInTheDocument();
  });

  it('does not claim there is no gateway when listing them failed', async () => {
    await renderCard(
      mockApi(
        gatewaysResponse({
          gateways: [],
          errors: [
            {
              part: 'kubernetes',
              kind: 'permission',
              cluster: 'prod-eu',
              message: 'gateways.gateway.networking.k8s.io is forbidden',
            },
          ],
        }),
      ),
    );

    expect(
      await screen.findByText(
        'Kubernetes (cluster prod-eu), permission denied:',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText('No gateway yet')).not.toBeInTheDocument();
  });

  it('shows an error panel when the request fails', async () => {
    await renderCard(
      mockApi(await responseError(500, 'Error', 'Catalog unavailable')),
    );

    expect(
      await screen.findByText(/Request failed with 500 Internal Server Error/),
    ).toBeInTheDocument();
  });

  it('keeps the status read earlier when a refresh fails', async () => {
    const api = mockApi(gatewaysResponse());
    await renderCard(api);
    await screen.findByRole('region', { name: 'payments-gw' });

    api.getEntityGateways.mockRejectedValueOnce(new Error('socket hang up'));
    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));

    expect(
      await screen.findByText('Could not refresh the gateway status'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('socket hang up. Showing the status read earlier.'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('region', { name: 'payments-gw' }),
    ).toBeInTheDocument();
  });

  it('shows progress while loading', async () => {
    await renderCard(mockApi(new Promise<never>(() => {})));

    expect(
      await screen.findByRole('progressbar', {
        name: 'Loading gateway status',
      }),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Refresh' })).toBeDisabled();
  });

  it('shows how to link gateways when the entity has neither annotation', async () => {
    const api = mockApi(gatewaysResponse());
    await renderCard(api, { entity: entityWithoutAnnotations });

    expect(
      screen.getByText('No gateways linked to this entity'),
    ).toBeInTheDocument();
    expect(
      screen.getAllByText(/aws-gateway\.io\/gateways/).length,
    ).toBeGreaterThan(0);
    expect(
      screen.getAllByText(/backstage\.io\/kubernetes-id/).length,
    ).toBeGreaterThan(0);
    expect(api.getEntityGateways).not.toHaveBeenCalled();
  });
  it('says when it shows the last known status, how old it is and why', async () => {
    const api = mockApi(
      gatewaysResponse({
        fetchedAt: new Date(Date.now() - 42_000).toISOString(),
        stale: {
          ageSeconds: 42,
          reason:
            'Kubernetes or AWS did not answer within 4 s; a new read goes on in the background',
        },
      }),
    );
    await renderCard(api);

    expect(
      await screen.findByText('Showing the last known status, 42 s old'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/^Kubernetes or AWS did not answer within 4 s/),
    ).toBeInTheDocument();
    // The gateways read earlier are still shown.
    expect(
      screen.getByRole('region', { name: 'payments-gw' }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
  });

  it('says when a refresh was not honoured, and shows no stale warning for a fresh answer', async () => {
    const api = mockApi(
      gatewaysResponse({
        refreshDeclined: 'This entity was refreshed less than 30 s ago',
      }),
    );
    await renderCard(api);

    expect(await screen.findByRole('status')).toHaveTextContent(
      'Not refreshed: This entity was refreshed less than 30 s ago.',
    );
    expect(screen.queryByText(/last known status/)).not.toBeInTheDocument();
  });
});

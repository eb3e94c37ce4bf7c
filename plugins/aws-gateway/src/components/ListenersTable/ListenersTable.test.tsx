import { renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { health, listener, targetGroup } from '../../testing/fixtures';
import { ListenersTable } from './ListenersTable';

describe('ListenersTable', () => {
  it('follows each listener through its route to every target group', async () => {
    const second = targetGroup({
      arn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/k8s-canary/1',
      name: 'k8s-canary',
      service: { namespace: 'payments', name: 'payments-canary', port: 8080 },
      health: health({ healthy: 1 }),
      targets: [
        {
          id: '10.0.9.9',
          port: 8080,
          state: 'healthy',
          pod: { namespace: 'payments', name: 'payments-canary-xyz' },
        },
      ],
    });
    await renderInTestApp(
      <ListenersTable
        dnsName="nlb.example.com"
        listeners={[
          listener({ targetGroups: [targetGroup(), second] }),
          listener({
            name: 'tcp-9000',
            port: 9000,
            routes: [],
            loadBalancerListener: undefined,
            targetGroups: [],
          }),
        ]}
      />,
    );

    const rows = within(
      screen.getByRole('table', { name: 'Listeners' }),
    ).getAllByRole('row');
    const first = rows[1];
    expect(within(first).getByText(':8080')).toBeInTheDocument();
    expect(within(first).getByText('TCP')).toBeInTheDocument();
    // The full endpoint stays one text, though it may wrap after each dot.
    const endpoint = within(first).getByText('nlb.example.com:8080');
    expect(endpoint.tagName).toBe('CODE');
    expect(endpoint.querySelectorAll('wbr')).toHaveLength(2);
    expect(
      within(first).getByText('Service payments/payments:8080'),
    ).toBeInTheDocument();
    expect(
      within(first).getByText('Service payments/payments-canary:8080'),
    ).toBeInTheDocument();
    expect(
      within(first).getAllByRole('img', { name: /Target health/ }),
    ).toHaveLength(2);

    const withoutRoute = screen.getByText(':9000').closest('tr')!;
    expect(
      within(withoutRoute).getByText('No route attached'),
    ).toBeInTheDocument();
    expect(
      within(withoutRoute).getByText('No target group'),
    ).toBeInTheDocument();
    expect(
      within(withoutRoute).getByText('nlb.example.com:9000'),
    ).toBeInTheDocument();

    const toggle = within(first).getByRole('button', { name: 'Show targets' });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    expect(
      within(withoutRoute).queryByRole('button', { name: 'Show targets' }),
    ).not.toBeInTheDocument();
    await userEvent.click(toggle);
    expect(toggle).toHaveAccessibleName('Hide targets');
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    expect(
      await screen.findByRole('table', { name: 'Targets of k8s-canary' }),
    ).toBeInTheDocument();
    expect(screen.getByText('payments-canary-xyz')).toBeInTheDocument();
    expect(screen.getByText('payments-7d9c8b6f5-abcde')).toBeInTheDocument();
  });

  it('shows why a route was not accepted', async () => {
    await renderInTestApp(
      <ListenersTable
        listeners={[
          listener({
            routes: [
              {
                kind: 'TCPRoute',
                apiVersion: 'gateway.networking.k8s.io/v1alpha2',
                namespace: 'payments',
                name: 'payments',
                accepted: {
                  type: 'Accepted',
                  status: 'False',
                  reason: 'NotAllowedByListeners',
                  message: 'No listener allows routes from namespace payments',
                },
                backends: [],
              },
            ],
            targetGroups: [],
          }),
        ]}
      />,
    );

    // Wraps after the slash, not mid-word, and still reads as one name.
    const route = screen.getByText('TCPRoute payments/payments');
    expect(route.querySelector('wbr')).not.toBeNull();
    expect(
      screen.getByText(
        'NotAllowedByListeners: No listener allows routes from namespace payments',
      ),
    ).toBeInTheDocument();
  });

  it('shows errors of a target group under its health', async () => {
    await renderInTestApp(
      <ListenersTable
        listeners={[
          listener({
            targetGroups: [
              targetGroup({
                health: health({}),
                targets: [],
                errors: [
                  {
                    part: 'aws',
                    kind: 'permission',
                    message: 'DescribeTargetHealth denied',
                  },
                ],
              }),
            ],
          }),
        ]}
      />,
    );

    expect(screen.getByText('No targets registered')).toBeInTheDocument();
    expect(screen.getByText('AWS, permission denied:')).toBeInTheDocument();
    expect(screen.getByText(/DescribeTargetHealth denied/)).toBeInTheDocument();
  });
});

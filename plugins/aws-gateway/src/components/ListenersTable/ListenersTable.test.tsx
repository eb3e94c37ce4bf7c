import { renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { health, listener, targetGroup } from '../../testing/fixtures';
import { ListenersTable } from './ListenersTable';

describe('ListenersTable', () => {
  it("shows each target group's weight and share when a listener forwards to several (a weighted route)", async () => {
    const canary = targetGroup({
      arn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/k8s-canary/1',
      name: 'k8s-canary',
      service: { namespace: 'payments', name: 'payments-canary', port: 8080 },
      weight: 20,
    });
    await renderInTestApp(
      <ListenersTable
        listeners={[
          listener({ targetGroups: [targetGroup({ weight: 80 }), canary] }),
          listener({
            name: 'tcp-9000',
            port: 9000,
            targetGroups: [targetGroup({ weight: 1 })],
          }),
        ]}
      />,
    );
    const weighted = screen.getByText(':8080').closest('tr')!;
    expect(
      within(weighted).getByText('Weight 80 (80% of new connections)'),
    ).toBeInTheDocument();
    expect(
      within(weighted).getByText('Weight 20 (20% of new connections)'),
    ).toBeInTheDocument();
    // One target group takes every connection: no weight to explain.
    const single = screen.getByText(':9000').closest('tr')!;
    expect(within(single).queryByText(/^Weight/)).not.toBeInTheDocument();
  });

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
      screen.getByRole('grid', { name: 'Listeners' }),
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
      await screen.findByRole('grid', { name: 'Targets of k8s-canary' }),
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

  describe('what the AWS Load Balancer Controller does beyond one TCP route', () => {
    const dnsRoute = (kind: 'TCPRoute' | 'UDPRoute', name: string) => ({
      kind,
      apiVersion: 'gateway.networking.k8s.io/v1',
      namespace: 'payments',
      name,
      accepted: {
        type: 'Accepted',
        status: 'True' as const,
        reason: 'Accepted',
      },
      backends: [{ kind: 'Service', namespace: 'payments', name, port: 53 }],
    });

    it('TCP and UDP on one port: one TCP_UDP NLB listener, the younger route marked as getting no traffic', async () => {
      const merged = targetGroup({
        name: 'k8s-payments-dnstcp-1a2b3c4d5e',
        protocol: 'TCP_UDP',
        port: 5353,
        service: { namespace: 'payments', name: 'dns-tcp', port: 53 },
      });
      const nlbListener = {
        arn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/net/x/1/53',
        port: 53,
        protocol: 'TCP_UDP',
      };
      await renderInTestApp(
        <ListenersTable
          listeners={[
            listener({
              name: 'tcp-53',
              port: 53,
              protocol: 'TCP',
              routes: [dnsRoute('TCPRoute', 'dns-tcp')],
              loadBalancerListener: nlbListener,
              targetGroups: [merged],
            }),
            listener({
              name: 'udp-53',
              port: 53,
              protocol: 'UDP',
              routes: [dnsRoute('UDPRoute', 'dns-udp')],
              loadBalancerListener: nlbListener,
              targetGroups: [merged],
            }),
          ]}
          warnings={[
            {
              code: 'route-shadowed',
              listener: 'udp-53',
              route: {
                kind: 'UDPRoute',
                namespace: 'payments',
                name: 'dns-udp',
              },
              message:
                'UDPRoute payments/dns-udp is accepted but gets no traffic',
              fix: 'Serve TCP and UDP from one Service',
            },
          ]}
        />,
      );

      const tcpRow = screen.getByText('tcp-53').closest('tr')!;
      const udpRow = screen.getByText('udp-53').closest('tr')!;
      for (const row of [tcpRow, udpRow]) {
        expect(
          within(row).getByText('NLB listener TCP_UDP'),
        ).toBeInTheDocument();
        expect(within(row).getByText('TCP_UDP :5353')).toBeInTheDocument();
      }
      expect(
        within(udpRow).getByText(
          'Accepted, but gets no traffic: another route owns this port',
        ),
      ).toBeInTheDocument();
      expect(
        within(tcpRow).queryByText(/gets no traffic/),
      ).not.toBeInTheDocument();
    });

    it('TLS passthrough: a TCP NLB listener, and the target group protocol in view', async () => {
      await renderInTestApp(
        <ListenersTable
          listeners={[
            listener({
              name: 'tls-443',
              port: 443,
              protocol: 'TLS',
              loadBalancerListener: {
                arn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/net/x/1/443',
                port: 443,
                protocol: 'TCP',
              },
              targetGroups: [targetGroup({ protocol: 'TLS', port: 8443 })],
            }),
          ]}
        />,
      );

      expect(screen.getByText('NLB listener TCP')).toBeInTheDocument();
      expect(screen.getByText('TLS :8443')).toBeInTheDocument();
    });

    it('a removed route: no route, no target group, and no NLB listener any more', async () => {
      await renderInTestApp(
        <ListenersTable
          dnsName="nlb.example.com"
          listeners={[
            listener({
              attachedRoutes: 0,
              routes: [],
              loadBalancerListener: undefined,
              targetGroups: [],
            }),
          ]}
        />,
      );

      expect(screen.getByText('No route attached')).toBeInTheDocument();
      expect(screen.getByText('No target group')).toBeInTheDocument();
      expect(
        screen.getByText('No NLB listener: no route attached'),
      ).toBeInTheDocument();
      expect(
        screen.queryByRole('button', { name: 'Show targets' }),
      ).not.toBeInTheDocument();
    });

    it('a route the controller could not build yet: its NLB listener is still missing', async () => {
      await renderInTestApp(
        <ListenersTable
          listeners={[
            listener({ loadBalancerListener: undefined, targetGroups: [] }),
          ]}
        />,
      );

      expect(
        screen.getByText('No NLB listener on this port yet'),
      ).toBeInTheDocument();
      expect(
        screen.getByText('TCPRoute payments/payments'),
      ).toBeInTheDocument();
    });
  });
});

import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { GatewayWarnings } from './GatewayWarnings';

describe('GatewayWarnings', () => {
  it('shows each warning with its fix, naming the listener when there is one', async () => {
    await renderInTestApp(
      <GatewayWarnings
        warnings={[
          {
            code: 'open-to-world',
            message: 'The endpoint accepts traffic from any address',
            fix: 'Set sourceRanges in the LoadBalancerConfiguration',
          },
          {
            code: 'instance-target-clusterip',
            listener: 'tcp-5432',
            message: 'Instance targets cannot reach a ClusterIP Service',
            fix: 'Add a TargetGroupConfiguration with targetType: ip',
          },
          {
            code: 'status-stale',
            message: 'The controller has not reconciled generation 4 yet',
            fix: 'Check the controller logs',
          },
        ]}
      />,
    );

    const alerts = screen.getAllByRole('alert');
    expect(alerts).toHaveLength(3);
    expect(alerts[0]).toHaveTextContent(
      'The endpoint accepts traffic from any address',
    );
    expect(alerts[0]).toHaveTextContent(
      'Fix: Set sourceRanges in the LoadBalancerConfiguration',
    );
    expect(alerts[0]).toHaveAttribute('data-status', 'warning');
    expect(alerts[1]).toHaveTextContent(
      'Listener tcp-5432: Instance targets cannot reach a ClusterIP Service',
    );
    expect(alerts[2]).toHaveAttribute('data-status', 'info');
  });

  it('does not repeat the listener when the message already names it', async () => {
    await renderInTestApp(
      <GatewayWarnings
        warnings={[
          {
            code: 'listener-without-route',
            listener: 'tcp-admin',
            message:
              'Listener tcp-admin (TCP 9090) has no attached route, so the load balancer has no listener on port 9090.',
            fix: 'Create a TCPRoute',
          },
        ]}
      />,
    );

    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent(/^Listener tcp-admin \(TCP 9090\) has no/);
    expect(alert).not.toHaveTextContent('Listener tcp-admin: Listener');
  });

  it('renders nothing without warnings', async () => {
    await renderInTestApp(<GatewayWarnings warnings={[]} />);

    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('shows a TLS target group behind TLS passthrough as an error, a shadowed route as a warning', async () => {
    await renderInTestApp(
      <GatewayWarnings
        warnings={[
          {
            code: 'tls-passthrough-tls-target-group',
            listener: 'tls-443',
            message:
              'Listener tls-443 passes TLS through (a TCP listener on the load balancer), but target group k8s-shop-web is TLS',
            fix: 'Set protocol: TCP in the TargetGroupConfiguration of Service shop/web',
          },
          {
            code: 'route-shadowed',
            listener: 'udp-53',
            route: { kind: 'UDPRoute', namespace: 'shop', name: 'dns-udp' },
            message: 'UDPRoute shop/dns-udp is accepted but gets no traffic',
            fix: 'Serve TCP and UDP on port 53 from one Service',
          },
        ]}
      />,
    );

    const [tls, shadowed] = screen.getAllByRole('alert');
    expect(tls).toHaveAttribute('data-status', 'danger');
    expect(tls).toHaveTextContent(/^Listener tls-443 passes TLS through/);
    expect(tls).toHaveTextContent(
      'Fix: Set protocol: TCP in the TargetGroupConfiguration of Service shop/web',
    );
    expect(shadowed).toHaveAttribute('data-status', 'warning');
    expect(shadowed).toHaveTextContent(
      'Listener udp-53: UDPRoute shop/dns-udp is accepted but gets no traffic',
    );
  });
});

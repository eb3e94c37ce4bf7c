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
    expect(alerts[0]).toHaveClass('MuiAlert-standardWarning');
    expect(alerts[1]).toHaveTextContent(
      'Listener tcp-5432: Instance targets cannot reach a ClusterIP Service',
    );
    expect(alerts[2]).toHaveClass('MuiAlert-standardInfo');
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
});

import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { listener } from '../../testing/fixtures';
import { ListenerCell } from './ListenerCell';

describe('ListenerCell', () => {
  it('shows port, protocol, name and host:port; no NLB line when the NLB listener matches', async () => {
    await renderInTestApp(
      <ListenerCell listener={listener()} dnsName="nlb.example.com" />,
    );
    expect(screen.getByText(':8080')).toBeInTheDocument();
    expect(screen.getByText('TCP')).toBeInTheDocument();
    expect(screen.getByText('tcp-8080')).toBeInTheDocument();
    expect(screen.getByText('nlb.example.com:8080').tagName).toBe('CODE');
    expect(screen.queryByText(/NLB listener/)).not.toBeInTheDocument();
  });

  it('names the NLB listener protocol when it differs (TLS passthrough is TCP on the NLB)', async () => {
    const { container } = await renderInTestApp(
      <ListenerCell
        listener={listener({
          protocol: 'TLS',
          loadBalancerListener: { arn: 'arn:l', port: 8080, protocol: 'TCP' },
        })}
      />,
    );
    expect(screen.getByText('NLB listener TCP')).toBeInTheDocument();
    // Without the gateway's DNS name there is no host:port to show.
    expect(container.querySelector('code')).toBeNull();
  });

  it('says why there is no NLB listener', async () => {
    await renderInTestApp(
      <>
        <ListenerCell
          listener={listener({ routes: [], loadBalancerListener: undefined })}
        />
        <ListenerCell
          listener={listener({ loadBalancerListener: undefined })}
        />
      </>,
    );
    expect(
      screen.getByText('No NLB listener: no route attached'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('No NLB listener on this port yet'),
    ).toBeInTheDocument();
  });
});

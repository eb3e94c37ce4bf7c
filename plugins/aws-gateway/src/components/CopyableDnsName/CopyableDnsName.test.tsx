import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { CopyableDnsName } from './CopyableDnsName';

describe('CopyableDnsName', () => {
  const dnsName = 'k8s-payments-gw-0123456789.elb.eu-west-1.amazonaws.com';
  const originalExecCommand = document.execCommand;

  afterEach(() => {
    document.execCommand = originalExecCommand;
  });

  it('shows the DNS name and copies exactly it to the clipboard', async () => {
    // jsdom has no clipboard; copy-to-clipboard selects a node holding the
    // text and calls execCommand('copy'), so record what is selected then.
    const copied: string[] = [];
    document.execCommand = jest.fn((command: string) => {
      if (command === 'copy') {
        copied.push(document.getSelection()?.toString() ?? '');
      }
      return true;
    });

    await renderInTestApp(<CopyableDnsName dnsName={dnsName} />);

    expect(screen.getByText(dnsName)).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Copy DNS name' }),
    );

    expect(copied).toEqual([dnsName]);
    expect(await screen.findByText('DNS name copied')).toBeInTheDocument();
  });
});

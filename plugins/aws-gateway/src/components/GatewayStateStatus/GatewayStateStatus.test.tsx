import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { GatewayStateStatus } from './GatewayStateStatus';

describe('GatewayStateStatus', () => {
  it.each([
    ['programmed', 'Programmed', 'ok'],
    ['provisioning', 'Provisioning', 'pending'],
    ['error', 'Error', 'error'],
    ['unknown', 'Unknown', 'warning'],
    ['removing', 'Being removed', 'aborted'],
  ] as const)(
    'labels %s as %s with the %s status',
    async (state, label, status) => {
      await renderInTestApp(<GatewayStateStatus state={state} reason="why" />);

      expect(screen.getByText(label)).toBeInTheDocument();
      expect(screen.getByLabelText(`Status ${status}`)).toBeInTheDocument();
      expect(screen.getByText('why')).toBeInTheDocument();
    },
  );
});

import { renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { TargetsTable } from './TargetsTable';

describe('TargetsTable', () => {
  it('lists each target with its pod, address, zone, state and reason', async () => {
    await renderInTestApp(
      <TargetsTable
        label="Targets of tg-1"
        targets={[
          {
            id: '10.0.1.15',
            port: 8080,
            availabilityZone: 'eu-west-1a',
            state: 'draining',
            reason: 'Target.DeregistrationInProgress',
            description: 'Target deregistration is in progress',
            pod: {
              namespace: 'payments',
              name: 'payments-abc',
              nodeName: 'node-1',
            },
          },
          { id: 'i-0abc123', state: 'unused', reason: 'Target.NotInUse' },
        ]}
      />,
    );

    const table = screen.getByRole('grid', { name: 'Targets of tg-1' });
    const [, podRow, instanceRow] = within(table).getAllByRole('row');
    expect(within(podRow).getByText('payments-abc')).toBeInTheDocument();
    expect(within(podRow).getByText('payments on node-1')).toBeInTheDocument();
    expect(within(podRow).getByText('10.0.1.15')).toBeInTheDocument();
    expect(within(podRow).getByText('8080')).toBeInTheDocument();
    expect(within(podRow).getByText('eu-west-1a')).toBeInTheDocument();
    expect(within(podRow).getByText('draining')).toBeInTheDocument();
    expect(
      within(podRow).getByText('Target.DeregistrationInProgress'),
    ).toBeInTheDocument();
    expect(
      within(podRow).getByText('Target deregistration is in progress'),
    ).toBeInTheDocument();

    expect(within(instanceRow).getByText('i-0abc123')).toBeInTheDocument();
    expect(within(instanceRow).getByText('unused')).toBeInTheDocument();
    expect(within(instanceRow).getAllByText('—')).toHaveLength(3);
  });

  it('says so when the target group has no targets', async () => {
    await renderInTestApp(
      <TargetsTable label="Targets of tg-1" targets={[]} />,
    );

    expect(
      screen.getByText('No targets are registered in this target group.'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('grid')).not.toBeInTheDocument();
  });
});

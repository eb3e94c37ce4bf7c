import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { health } from '../../testing/fixtures';
import { defaultT } from '../../__testUtils__/translation';
import { describeHealth, HealthBar } from './HealthBar';

describe('HealthBar', () => {
  it('draws one segment per non-zero state, sized by its share of the total', async () => {
    await renderInTestApp(
      <HealthBar
        health={health({ healthy: 3, unhealthy: 1, draining: 0, unused: 4 })}
      />,
    );

    expect(
      screen.getByRole('img', {
        name: 'Target health: 3 healthy, 1 unhealthy, 4 unused of 8',
      }),
    ).toBeInTheDocument();
    expect(screen.getByTestId('health-segment-healthy')).toHaveStyle({
      width: '37.5%',
    });
    expect(screen.getByTestId('health-segment-unhealthy')).toHaveStyle({
      width: '12.5%',
    });
    expect(screen.getByTestId('health-segment-unused')).toHaveStyle({
      width: '50%',
    });
    expect(
      screen.queryByTestId('health-segment-draining'),
    ).not.toBeInTheDocument();
    expect(screen.getByText('3 healthy')).toBeInTheDocument();
    expect(screen.getByText('1 unhealthy')).toBeInTheDocument();
    expect(screen.getByText('4 unused')).toBeInTheDocument();
    expect(screen.queryByText(/draining/)).not.toBeInTheDocument();
  });

  it('says so when no target is registered', async () => {
    await renderInTestApp(<HealthBar health={health({})} />);

    expect(screen.getByText('No targets registered')).toBeInTheDocument();
    expect(screen.queryByRole('img')).not.toBeInTheDocument();
  });

  it('describes the counts in reading order', () => {
    expect(
      describeHealth(
        health({ initial: 2, healthy: 1, unavailable: 1 }),
        defaultT,
      ),
    ).toBe('1 healthy, 2 initial, 1 unavailable');
    expect(describeHealth(health({}), defaultT)).toBe('no targets');
  });
});

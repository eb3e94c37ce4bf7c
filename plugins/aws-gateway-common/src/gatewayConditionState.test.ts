import { gatewayConditionState } from './gatewayConditionState';

describe('gatewayConditionState', () => {
  it.each([
    [{ deleting: true, accepted: 'True', programmed: 'True' }, 'removing'],
    [{ deleting: false, accepted: 'False', programmed: 'True' }, 'error'],
    [{ deleting: false, accepted: 'True', programmed: 'False' }, 'error'],
    [{ deleting: false, accepted: 'True', programmed: 'True' }, 'programmed'],
    [
      { deleting: false, accepted: 'True', programmed: 'Unknown' },
      'provisioning',
    ],
    [{ deleting: false, accepted: 'True' }, 'provisioning'],
    [{ deleting: false, accepted: 'Unknown' }, 'unknown'],
    [{ deleting: false }, 'unknown'],
  ] as const)('%j is %s', (facts, state) => {
    expect(gatewayConditionState(facts)).toBe(state);
  });
});

import { ObservedGatewayStatus } from './observedStatus';
import { staleStatus } from './routeWarnings';

/** Only what staleStatus reads. */
const observed = (status: Partial<ObservedGatewayStatus>) =>
  status as ObservedGatewayStatus;

describe('staleStatus', () => {
  it('warns when the controller has not written the status of the latest generation', () => {
    expect(
      staleStatus(
        observed({ generation: 3, observedGeneration: 2, state: 'programmed' }),
      ).map(w => w.code),
    ).toEqual(['status-stale']);
  });

  it('says nothing while the Gateway is being removed (its deletion bumped the generation)', () => {
    expect(
      staleStatus(
        observed({ generation: 3, observedGeneration: 2, state: 'removing' }),
      ),
    ).toEqual([]);
  });
});

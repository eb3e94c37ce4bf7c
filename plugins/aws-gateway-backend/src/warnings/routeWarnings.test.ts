import { GatewayFacts } from '../service/assemble/gatewayFacts';
import { gatewayWarnings } from './index';
import { ObservedGatewayStatus } from './observedStatus';
import { listenersWithoutRoutes, staleStatus } from './routeWarnings';

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
});

describe('gatewayWarnings', () => {
  it('says nothing while the Gateway is being removed: each fix would rebuild what is going away', () => {
    // Its deletion bumped the generation and its routes were pruned first.
    const removing = observed({
      gateway: { name: 'edge', namespace: 'shop' } as never,
      generation: 3,
      observedGeneration: 2,
      state: 'removing',
      listeners: [
        {
          name: 'tcp-app',
          protocol: 'TCP',
          port: 8080,
          attachedRoutes: 0,
          routes: [],
        } as never,
      ],
    });
    const programmed = { ...removing, state: 'programmed' as const };
    // The same Gateway not being removed gets both warnings.
    expect(
      [...staleStatus(programmed), ...listenersWithoutRoutes(programmed)].map(
        w => w.code,
      ),
    ).toEqual(['status-stale', 'listener-without-route']);
    expect(gatewayWarnings(removing, {} as GatewayFacts)).toEqual([]);
  });
});

import { programmedGateway } from '../../testing/fixtures';
import { defaultT } from '../../__testUtils__/translation';
import {
  describeLoadBalancerState,
  describeSourceRanges,
} from './GatewayFacts';

describe('describeSourceRanges', () => {
  it('lists the CIDRs; none set means the controller opens it to everyone', () => {
    expect(
      describeSourceRanges(
        programmedGateway({
          sourceRanges: ['203.0.113.0/24', '2001:db8::/32'],
        }),
        defaultT,
      ),
    ).toBe('203.0.113.0/24, 2001:db8::/32');
    expect(
      describeSourceRanges(
        programmedGateway({ sourceRanges: undefined }),
        defaultT,
      ),
    ).toBe('Any address (controller default 0.0.0.0/0, ::/0)');
    expect(
      describeSourceRanges(programmedGateway({ sourceRanges: [] }), defaultT),
    ).toBe('None');
  });
});

describe('describeLoadBalancerState', () => {
  const loadBalancer = programmedGateway().loadBalancer!;

  it('gives the state and region, with the reason when AWS gives one', () => {
    expect(
      describeLoadBalancerState({
        ...loadBalancer,
        state: 'active',
        stateReason: undefined,
        region: 'eu-west-1',
      }),
    ).toBe('active, eu-west-1');
    expect(
      describeLoadBalancerState({
        ...loadBalancer,
        state: 'failed',
        stateReason: 'subnet has no free addresses',
        region: 'eu-west-1',
      }),
    ).toBe('failed: subnet has no free addresses, eu-west-1');
  });
});

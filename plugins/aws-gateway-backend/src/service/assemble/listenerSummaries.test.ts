import { Listener } from '@aws-sdk/client-elastic-load-balancing-v2';
import { forwardTargetGroupArns, forwardWeights } from './listenerSummaries';

const TG = (name: string) =>
  `arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/${name}/1`;

describe('an NLB listener forwarding to weighted target groups', () => {
  const listener: Listener = {
    Port: 8080,
    Protocol: 'TCP',
    DefaultActions: [
      {
        Type: 'forward',
        ForwardConfig: {
          TargetGroups: [
            { TargetGroupArn: TG('stable'), Weight: 80 },
            { TargetGroupArn: TG('canary'), Weight: 20 },
          ],
        },
      },
    ],
  };

  it("gives each target group its forward action's weight", () => {
    expect(forwardTargetGroupArns(listener)).toEqual([
      TG('stable'),
      TG('canary'),
    ]);
    expect([...forwardWeights(listener)]).toEqual([
      [TG('stable'), 80],
      [TG('canary'), 20],
    ]);
  });

  it('has no weights for a bare forward to one target group, nor without a listener', () => {
    expect(
      forwardWeights({
        DefaultActions: [{ Type: 'forward', TargetGroupArn: TG('only') }],
      }).size,
    ).toBe(0);
    expect(forwardWeights(undefined).size).toBe(0);
  });
});

import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ACCOUNT, REGION } from '../__testUtils__/scenario';
import { Elbv2Reader } from './Elbv2Reader';
import { trustArn, TrustedArn } from './trustedArn';

const TARGET = { region: REGION, accountId: ACCOUNT };

function tg(name: string): TrustedArn {
  return trustArn(
    `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/${name}/0123456789abcdef`,
    'targetgroup',
    TARGET,
  )!;
}

function lb(name: string): TrustedArn {
  return trustArn(
    `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/net/${name}/0123456789abcdef`,
    'loadbalancer',
    TARGET,
  )!;
}

/**
 * ELBv2 as it answers batched ARN lookups: the whole call is refused when
 * one ARN does not exist (TargetGroupNotFound, LoadBalancerNotFound).
 */
function elbv2(existing: TrustedArn[]) {
  const calls: Array<{ command: string; arns: string[] }> = [];
  const known = new Set(existing.map(a => a.arn));
  const notFound = () =>
    Object.assign(new Error('One or more resources not found'), {
      name: 'TargetGroupNotFoundException',
      $metadata: { httpStatusCode: 400 },
    });
  const client = {
    send: async (cmd: any) => {
      const command = cmd.constructor.name.replace(/Command$/, '');
      const arns: string[] =
        cmd.input.TargetGroupArns ?? cmd.input.ResourceArns ?? [];
      calls.push({ command, arns });
      if (arns.some(a => !known.has(a))) throw notFound();
      if (command === 'DescribeTargetGroups') {
        return {
          TargetGroups: arns.map(a => ({
            TargetGroupArn: a,
            LoadBalancerArns: [lb('owner').arn],
          })),
        };
      }
      return {
        TagDescriptions: arns.map(a => ({
          ResourceArn: a,
          Tags: [{ Key: 'k', Value: a }],
        })),
      };
    },
  } as unknown as ElasticLoadBalancingV2Client;
  return { calls, source: { elbv2: async () => client } };
}

describe('Elbv2Reader: ARN lookups of one round', () => {
  it('describes the target groups asked for in one round with one call', async () => {
    const groups = ['a', 'b', 'c'].map(tg);
    const fake = elbv2(groups);
    const reader = new Elbv2Reader(fake.source);
    const answers = await Promise.all(groups.map(g => reader.targetGroup(g)));
    expect(answers.map(a => a?.LoadBalancerArns)).toEqual(
      groups.map(() => [lb('owner').arn]),
    );
    expect(fake.calls).toEqual([
      { command: 'DescribeTargetGroups', arns: groups.map(g => g.arn) },
    ]);
    // Asked again in the same request: the memo answers.
    await reader.targetGroup(groups[0]);
    expect(fake.calls).toHaveLength(1);
  });

  it('sends at most 20 ARNs a call', async () => {
    const groups = Array.from({ length: 25 }, (_, i) => tg(`g${i}`));
    const fake = elbv2(groups);
    const reader = new Elbv2Reader(fake.source);
    await Promise.all(groups.map(g => reader.targetGroup(g)));
    expect(fake.calls.map(c => c.arns.length)).toEqual([20, 5]);
  });

  it.each([
    [
      'target group',
      (r: Elbv2Reader, a: TrustedArn) => r.targetGroup(a).then(Boolean),
      tg,
    ],
    [
      'tags',
      (r: Elbv2Reader, a: TrustedArn) => r.tags(a).then(t => t.length > 0),
      lb,
    ],
  ])(
    'a %s ARN that no longer exists does not blank the others of its batch',
    async (_, found, arnOf) => {
      const live = [arnOf('live-1'), arnOf('live-2')];
      const gone = arnOf('gone');
      const fake = elbv2(live);
      const reader = new Elbv2Reader(fake.source);
      const answers = await Promise.all(
        [live[0], gone, live[1]].map(a => found(reader, a)),
      );
      expect(answers).toEqual([true, false, true]);
      // The batch, then each ARN alone.
      expect(fake.calls.map(c => c.arns.length)).toEqual([3, 1, 1, 1]);
    },
  );
});

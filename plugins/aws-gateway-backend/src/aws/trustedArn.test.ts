import { trustArn } from './trustedArn';

const TARGET = { region: 'us-west-2', accountId: '123456789012' };
const TG =
  'arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/k8s-shop-orders-43af3dc14a/73e2d6bc24d8a067';

describe('trustArn', () => {
  it('accepts an ARN of the configured account and region, for calls to the configured location', () => {
    expect(trustArn(TG, 'targetgroup', TARGET)).toEqual({
      arn: TG,
      kind: 'targetgroup',
      target: TARGET,
    });
    // No account configured: the main account's client is used, whatever the ARN says.
    expect(
      trustArn(TG, 'targetgroup', { region: 'us-west-2' })?.target,
    ).toEqual({ region: 'us-west-2' });
  });

  it.each([
    ['another account', TG.replace('123456789012', '210987654321')],
    ['another region', TG.replace('us-west-2', 'eu-west-1')],
    ['another partition', TG.replace('arn:aws:', 'arn:aws-cn:')],
    ['another service', TG.replace('elasticloadbalancing', 'ec2')],
    [
      'a host in the region',
      TG.replace('us-west-2', 'us-west-2.evil.example.com'),
    ],
    ['another kind', TG.replace('targetgroup/', 'loadbalancer/net/')],
    ['not a string', 42],
  ])('refuses %s', (_, arn) => {
    expect(trustArn(arn, 'targetgroup', TARGET)).toBeUndefined();
  });

  it('trusts nothing from a cluster whose AWS location is not known', () => {
    expect(trustArn(TG, 'targetgroup', undefined)).toBeUndefined();
  });
});

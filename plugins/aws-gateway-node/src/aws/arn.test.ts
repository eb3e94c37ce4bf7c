import { elbv2ConsoleUrl, parseArn, parseElbv2Arn } from './arn';

const LB =
  'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/k8s-shop-orders-0a1b2c3d4e/50dc6c495c0c9188';
const TG =
  'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/k8s-shop-orders-43af3dc14a/73e2d6bc24d8a067';

describe('parseArn', () => {
  it('splits well-formed ARNs, including global and AWS managed ones', () => {
    expect(parseArn(LB)).toEqual({
      partition: 'aws',
      service: 'elasticloadbalancing',
      region: 'eu-west-1',
      accountId: '123456789012',
      resource: 'loadbalancer/net/k8s-shop-orders-0a1b2c3d4e/50dc6c495c0c9188',
    });
    expect(parseArn('arn:aws:iam::aws:policy/ReadOnlyAccess')).toMatchObject({
      accountId: 'aws',
      region: '',
    });
    expect(parseArn('arn:aws-cn:iam::123456789012:role/a/b')).toMatchObject({
      partition: 'aws-cn',
      resource: 'role/a/b',
    });
  });

  it.each([
    ['not an ARN', 'loadbalancer/net/x/1'],
    ['too few parts', 'arn:aws:iam::123456789012'],
    ['a host in the region', LB.replace('eu-west-1', 'evil.example.com/x#')],
    ['a host in the partition', LB.replace('arn:aws:', 'arn:evil.com/:')],
    ['a short account', LB.replace('123456789012', '1234')],
    ['spaces in the resource', `${LB} x`],
    ['a newline in the resource', `${LB}\nx`],
  ])('refuses %s', (_, arn) => {
    expect(parseArn(arn)).toBeUndefined();
  });
});

describe('parseElbv2Arn', () => {
  it('accepts load balancer and target group ARNs of their kind only', () => {
    expect(parseElbv2Arn(LB, 'loadbalancer')).toBeDefined();
    expect(parseElbv2Arn(TG, 'targetgroup')).toBeDefined();
    expect(parseElbv2Arn(TG, 'loadbalancer')).toBeUndefined();
    expect(parseElbv2Arn(LB, 'targetgroup')).toBeUndefined();
  });

  it.each([
    ['another service', LB.replace('elasticloadbalancing', 'ec2')],
    ['no region', LB.replace('eu-west-1', '')],
    [
      'a partition that does not hold the region',
      LB.replace('arn:aws:', 'arn:aws-cn:'),
    ],
    [
      'a path in the resource',
      TG.replace('targetgroup/', 'targetgroup/../../x/'),
    ],
  ])('refuses %s', (_, arn) => {
    expect(parseElbv2Arn(arn, 'loadbalancer')).toBeUndefined();
    expect(parseElbv2Arn(arn, 'targetgroup')).toBeUndefined();
  });
});

describe('elbv2ConsoleUrl', () => {
  it('links the regional console of the partition', () => {
    expect(elbv2ConsoleUrl(LB, 'loadBalancer')).toBe(
      `https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#LoadBalancer:loadBalancerArn=${encodeURIComponent(
        LB,
      )}`,
    );
    const cn = TG.replace('arn:aws:', 'arn:aws-cn:').replace(
      /eu-west-1/,
      'cn-north-1',
    );
    expect(new URL(elbv2ConsoleUrl(cn, 'targetGroup')!).host).toBe(
      'cn-north-1.console.amazonaws.cn',
    );
  });

  it('never builds a link from a crafted ARN', () => {
    for (const crafted of [
      LB.replace('eu-west-1', 'evil.example.com#'),
      LB.replace('eu-west-1', 'a@evil.example.com'),
      LB.replace('arn:aws:', 'arn:aws-evil:'),
      `${TG}/../../@evil.example.com`,
    ]) {
      expect(elbv2ConsoleUrl(crafted, 'loadBalancer')).toBeUndefined();
      expect(elbv2ConsoleUrl(crafted, 'targetGroup')).toBeUndefined();
    }
  });
});

/**
 * Contract: createNetwork() gives what the controller and CreateLoadBalancer
 * need (two subnets in two AZs tagged kubernetes.io/role/elb=1), and moto's
 * ELBv2 creates a network load balancer in them.
 */
import { DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  CreateLoadBalancerCommand,
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { awsClientConfig, createNetwork, resetAws } from '../peers';

describe('AWS network (moto EC2 + ELBv2)', () => {
  beforeAll(() => resetAws());

  it('creates a VPC with two tagged subnets in two AZs, usable by an NLB', async () => {
    const net = await createNetwork('contract');
    expect(net.subnetIds).toHaveLength(2);
    const ec2 = new EC2Client(awsClientConfig());
    const subnets = await ec2.send(
      new DescribeSubnetsCommand({
        Filters: [
          { Name: 'tag:kubernetes.io/role/elb', Values: ['1'] },
          { Name: 'vpc-id', Values: [net.vpcId] },
        ],
      }),
    );
    expect(new Set(subnets.Subnets!.map(s => s.AvailabilityZone)).size).toBe(2);
    ec2.destroy();

    const elb = new ElasticLoadBalancingV2Client(awsClientConfig());
    const created = await elb.send(
      new CreateLoadBalancerCommand({
        Name: 'contract-nlb',
        Type: 'network',
        Scheme: 'internal',
        Subnets: net.subnetIds,
      }),
    );
    const lb = created.LoadBalancers![0];
    expect(lb.Type).toBe('network');
    const described = await elb.send(
      new DescribeLoadBalancersCommand({ Names: ['contract-nlb'] }),
    );
    expect(described.LoadBalancers![0].LoadBalancerArn).toBe(
      lb.LoadBalancerArn,
    );
    expect(described.LoadBalancers![0].AvailabilityZones).toHaveLength(2);
    elb.destroy();
  });
});

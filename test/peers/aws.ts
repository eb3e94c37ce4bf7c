/**
 * AWS helpers for tests: SDK v3 client configuration pointing at the single
 * AWS endpoint (the Pod Identity emulator, which fronts moto), state reset,
 * and a network (VPC + two subnets in two AZs tagged for load balancers).
 */
import {
  CreateSubnetCommand,
  CreateTagsCommand,
  CreateVpcCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import type { MiddlewareStack } from '@smithy/types';

/**
 * The permissions boundary policy document of the roles the controller setup
 * creates on the peers (the template tests, the sandbox): what the
 * controller's role may ever do.
 */
export const CONTROLLER_BOUNDARY_DOCUMENT = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: [
        'elasticloadbalancing:*',
        'ec2:*',
        'iam:CreateServiceLinkedRole',
      ],
      Resource: '*',
    },
  ],
});

export interface AwsPeerInfo {
  /** The ONE endpoint URL for every AWS service (emulator in front of moto). */
  endpoint: string;
  /** moto itself, for diagnostics only. */
  motoEndpoint: string;
  region: string;
  accountId: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export function awsClientConfigFrom(aws: AwsPeerInfo) {
  return {
    endpoint: aws.endpoint,
    region: aws.region,
    credentials: {
      accessKeyId: aws.accessKeyId,
      secretAccessKey: aws.secretAccessKey,
    },
    maxAttempts: 1,
  };
}

export async function resetAwsAt(aws: AwsPeerInfo): Promise<void> {
  // Through the emulator: it clears its own state and forwards to moto.
  const res = await fetch(`${aws.endpoint}/moto-api/reset`, { method: 'POST' });
  if (!res.ok) throw new Error(`AWS peer reset failed: HTTP ${res.status}`);
}

export interface Network {
  vpcId: string;
  subnetIds: string[];
  availabilityZones: string[];
}

/** A VPC with two subnets in two AZs, both tagged kubernetes.io/role/elb=1. */
export async function createNetworkAt(
  aws: AwsPeerInfo,
  clusterName = 'peers',
): Promise<Network> {
  const ec2 = new EC2Client(awsClientConfigFrom(aws));
  try {
    const vpc = await ec2.send(
      new CreateVpcCommand({ CidrBlock: '10.42.0.0/16' }),
    );
    const vpcId = vpc.Vpc!.VpcId!;
    const availabilityZones = [`${aws.region}a`, `${aws.region}b`];
    const subnetIds: string[] = [];
    for (const [i, az] of availabilityZones.entries()) {
      const s = await ec2.send(
        new CreateSubnetCommand({
          VpcId: vpcId,
          CidrBlock: `10.42.${i + 1}.0/24`,
          AvailabilityZone: az,
        }),
      );
      subnetIds.push(s.Subnet!.SubnetId!);
    }
    await ec2.send(
      new CreateTagsCommand({
        Resources: subnetIds,
        Tags: [
          { Key: 'kubernetes.io/role/elb', Value: '1' },
          { Key: `kubernetes.io/cluster/${clusterName}`, Value: 'shared' },
        ],
      }),
    );
    return { vpcId, subnetIds, availabilityZones };
  } finally {
    ec2.destroy();
  }
}

/** Any AWS SDK v3 client: their middleware stacks differ in their type parameters only. */
export interface AwsSdkClientLike {
  middlewareStack: Pick<MiddlewareStack<object, object>, 'add'>;
}

/**
 * Calls `observe` with each call a client makes (the operation, e.g.
 * `CreateLoadBalancer`, and its input) before it is sent, once per call
 * (retries are not seen); the call waits for `observe`.
 */
export function observeAwsCalls(
  client: AwsSdkClientLike,
  name: string,
  observe: (operation: string, input: object) => void | Promise<void>,
): void {
  client.middlewareStack.add(
    (next, context) => async args => {
      await observe(
        String(context.commandName ?? 'unknown').replace(/Command$/, ''),
        args.input,
      );
      return next(args);
    },
    { step: 'initialize', name, priority: 'high' },
  );
}

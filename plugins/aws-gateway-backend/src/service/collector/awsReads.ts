/**
 * The ELBv2 side of one Gateway once its load balancer is known: listeners,
 * target groups, and each trusted target group's health. A failed call
 * becomes a StatusError and an empty answer.
 */
import {
  Listener,
  TargetGroup,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { StatusError } from '@gateway-portal/plugin-aws-gateway-common';
import { Elbv2Reader } from '../../aws/Elbv2Reader';
import { TrustedArn } from '../../aws/trustedArn';
import { TargetGroupFacts } from '../assemble/gatewayFacts';
import { FailureReport } from './failureReport';

export interface LoadBalancerParts {
  listeners: Listener[];
  /** Undefined when they could not be read (then no binding is trusted either). */
  groups?: TargetGroup[];
}

export async function readLoadBalancerParts(
  elbv2: Elbv2Reader,
  loadBalancer: TrustedArn | undefined,
  report: FailureReport,
  errors: StatusError[],
): Promise<LoadBalancerParts> {
  if (!loadBalancer) return { listeners: [] };
  const [listeners, groups] = await Promise.all([
    elbv2.listeners(loadBalancer).catch(e => {
      errors.push(report.failure('aws', e, { action: 'DescribeListeners' }));
      return [];
    }),
    elbv2.targetGroupsOfLoadBalancer(loadBalancer).catch(e => {
      errors.push(report.failure('aws', e, { action: 'DescribeTargetGroups' }));
      return undefined;
    }),
  ]);
  return { listeners, ...(groups ? { groups } : {}) };
}

export async function readTargetGroupFacts(
  elbv2: Elbv2Reader,
  { arn, group }: { arn: TrustedArn; group: TargetGroup },
  report: FailureReport,
): Promise<TargetGroupFacts> {
  const errors: StatusError[] = [];
  const health = await elbv2.targetHealth(arn).catch(e => {
    errors.push(report.failure('aws', e, { action: 'DescribeTargetHealth' }));
    return undefined;
  });
  return {
    arn: arn.arn,
    targetGroup: group,
    ...(health ? { health } : {}),
    errors,
  };
}

/**
 * The ELBv2 side of one Gateway: listeners, target groups, and each trusted
 * target group's health. A failed call becomes a StatusError and an empty
 * answer. Reads started ahead (`prefetch...`) only fill the request's memo:
 * nothing of them is used, shown or reported until the same reads are asked
 * for again after the checks that let them through.
 */
import {
  Listener,
  TargetGroup,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { StatusError } from '@gateway-portal/plugin-aws-gateway-common';
import { Elbv2Reader } from '../../aws/Elbv2Reader';
import { TrustedArn } from '../../aws/trustedArn';
import { TargetGroupFacts } from '../assemble/gatewayFacts';
import { forwardedTargetGroups, groupsOfLoadBalancer } from '../gatewayTrust';
import { FailureReport } from './failureReport';

/** Starts reads whose outcome is looked at later, or never (no unhandled rejection). */
function prefetch(...reads: Array<Promise<unknown>>): void {
  for (const read of reads) read.catch(() => undefined);
}

/** The listeners of the load balancer a Gateway's status names, asked for before its tags are checked. */
export function prefetchListeners(
  elbv2: Elbv2Reader,
  loadBalancer: TrustedArn,
): void {
  prefetch(elbv2.listeners(loadBalancer));
}

/** Target groups (batched with the request's others) and their health, asked for at once. */
export function prefetchTargetGroups(
  elbv2: Elbv2Reader,
  arns: TrustedArn[],
): void {
  for (const arn of arns) {
    prefetch(elbv2.targetGroup(arn), elbv2.targetHealth(arn));
  }
}

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

/**
 * The listeners and target groups of a Gateway's load balancer, its tags
 * checked, when the speculative reads were made for it (the status named it):
 * the target groups asked for with the bindings (`speculated`), and those its
 * listeners forward to that no binding named (a second round trip, with their
 * health), kept only when ELBv2 lists them for this load balancer.
 */
export async function readConfirmedParts(
  elbv2: Elbv2Reader,
  loadBalancer: TrustedArn,
  speculated: TrustedArn[],
  limit: number,
  report: FailureReport,
  errors: StatusError[],
): Promise<LoadBalancerParts> {
  const listeners = await elbv2.listeners(loadBalancer).catch(e => {
    errors.push(report.failure('aws', e, { action: 'DescribeListeners' }));
    return [];
  });
  const forwarded = forwardedTargetGroups(listeners, loadBalancer.target);
  errors.push(...forwarded.errors);
  const asked = new Set(speculated.map(a => a.arn));
  const unnamed = forwarded.arns.filter(a => !asked.has(a.arn));
  prefetchTargetGroups(
    elbv2,
    unnamed.slice(0, Math.max(0, limit - speculated.length)),
  );
  try {
    const described = await Promise.all(
      [...speculated, ...unnamed].map(arn => elbv2.targetGroup(arn)),
    );
    const groups = groupsOfLoadBalancer(
      described.filter((g): g is TargetGroup => Boolean(g)),
      loadBalancer,
    );
    return { listeners, groups };
  } catch (e) {
    errors.push(report.failure('aws', e, { action: 'DescribeTargetGroups' }));
    return { listeners };
  }
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

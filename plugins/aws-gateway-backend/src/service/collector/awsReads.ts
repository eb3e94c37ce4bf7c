/**
 * The ELBv2 side of one Gateway: listeners, target groups, and each trusted
 * target group's health. A failed call becomes a StatusError and an empty
 * answer. Reads started ahead (`prefetch...`) only fill the request's memo:
 * nothing of them is used, shown or reported until the same reads are asked
 * for again after the checks that let them through.
 */
import {
  Listener,
  LoadBalancer,
  TargetGroup,
  TargetHealthDescription,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  LoadBalancerSummary,
  StatusError,
} from '@gateway-portal/plugin-aws-gateway-common';
import { classifyAwsError } from '@gateway-portal/plugin-aws-gateway-node';
import { Elbv2Reader } from '../../aws/Elbv2Reader';
import { toLoadBalancerSummary } from '../../aws/LoadBalancerLocator';
import { TrustedArn } from '../../aws/trustedArn';
import { TargetGroupBinding } from '../../kubernetes/types';
import { TargetGroupFacts } from '../assemble/gatewayFacts';
import {
  forwardedTargetGroups,
  groupsOfLoadBalancer,
  trustedTargetGroups,
} from '../gatewayTrust';
import { FailureReport } from './failureReport';
import { LoadBalancerStructure } from './structureCache';

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

/** A target group's health, or the failure of reading it. */
type SettledHealth =
  | { health: TargetHealthDescription[] }
  | { failure: unknown };

function settledHealth(
  elbv2: Elbv2Reader,
  arn: TrustedArn,
): Promise<SettledHealth> {
  return elbv2.targetHealth(arn).then(
    health => ({ health }),
    failure => ({ failure }),
  );
}

function targetGroupFacts(
  { arn, group }: { arn: TrustedArn; group: TargetGroup },
  read: SettledHealth,
  report: FailureReport,
): TargetGroupFacts {
  return {
    arn: arn.arn,
    targetGroup: group,
    ...('health' in read ? { health: read.health } : {}),
    errors:
      'failure' in read
        ? [
            report.failure('aws', read.failure, {
              action: 'DescribeTargetHealth',
            }),
          ]
        : [],
  };
}

export async function readTargetGroupFacts(
  elbv2: Elbv2Reader,
  group: { arn: TrustedArn; group: TargetGroup },
  report: FailureReport,
): Promise<TargetGroupFacts> {
  return targetGroupFacts(group, await settledHealth(elbv2, group.arn), report);
}

/** What a read with a known structure answers: the same parts as a full read. */
export interface KnownStructureAnswer {
  loadBalancer: LoadBalancerSummary;
  listeners: Listener[];
  groups: TargetGroup[];
  facts: TargetGroupFacts[];
  errors: StatusError[];
}

/**
 * AWS failures that say the structure is wrong (a resource gone) or no
 * longer readable (refused): the entry goes and the full read answers.
 */
function contradicts(failure: unknown): boolean {
  const kind = classifyAwsError(failure);
  return kind === 'not-found' || kind === 'permission';
}

/**
 * ELBv2 reports a registered target "not in use" when no listener of a load
 * balancer forwards to its group (the listener or the load balancer was
 * deleted): the structure says otherwise.
 */
function notInUse(read: SettledHealth): boolean {
  return (
    'health' in read &&
    read.health.length > 0 &&
    read.health.every(h => h.TargetHealth?.Reason === 'Target.NotInUse')
  );
}

/** Whether the load balancer ELBv2 answers is still the one the structure holds. */
function sameLoadBalancer(
  lb: LoadBalancer | undefined,
  known: LoadBalancerSummary,
): lb is LoadBalancer {
  return (
    lb?.LoadBalancerArn === known.arn &&
    (lb.DNSName ?? '') === known.dnsName &&
    (lb.Scheme ?? 'internal') === known.scheme &&
    (lb.Type ?? 'network') === known.type
  );
}

/**
 * A read with the structure cache's answer: target health for the load
 * balancer's trusted groups, and the load balancer itself only while it is
 * not `active` (its state is what changes on its own then). Undefined when
 * anything disagrees with the structure -- a binding naming a group it does
 * not list, a group or load balancer gone, a refusal, a load balancer that
 * is not the same, groups no listener uses -- so the caller drops the entry
 * and reads everything.
 */
export async function readWithKnownStructure(
  elbv2: Elbv2Reader,
  structure: LoadBalancerStructure,
  candidates: TargetGroupBinding[],
  limit: number,
  report: FailureReport,
): Promise<KnownStructureAnswer | undefined> {
  const known = new Set(structure.groups.map(g => g.TargetGroupArn));
  if (candidates.some(b => !known.has(b.spec?.targetGroupARN))) {
    return undefined;
  }
  const trusted = trustedTargetGroups(
    structure.groups,
    structure.arn.target,
    limit,
  );
  const stateRead =
    structure.loadBalancer.state === 'active'
      ? undefined
      : elbv2.loadBalancer(structure.arn).then(
          lb => ({ lb }),
          failure => ({ failure }),
        );
  const [health, state] = await Promise.all([
    Promise.all(trusted.trusted.map(g => settledHealth(elbv2, g.arn))),
    stateRead,
  ]);
  if (
    health.some(h => ('failure' in h && contradicts(h.failure)) || notInUse(h))
  ) {
    return undefined;
  }
  let loadBalancer = structure.loadBalancer;
  const errors = [...trusted.errors];
  if (state && 'failure' in state) {
    if (contradicts(state.failure)) return undefined;
    errors.push(
      report.failure('aws', state.failure, { action: 'DescribeLoadBalancers' }),
    );
  } else if (state) {
    if (!sameLoadBalancer(state.lb, loadBalancer)) return undefined;
    loadBalancer = toLoadBalancerSummary(
      state.lb,
      structure.arn,
      loadBalancer.foundBy,
    );
  }
  return {
    loadBalancer,
    listeners: structure.listeners,
    groups: structure.groups,
    facts: trusted.trusted.map((g, i) =>
      targetGroupFacts(g, health[i], report),
    ),
    errors,
  };
}

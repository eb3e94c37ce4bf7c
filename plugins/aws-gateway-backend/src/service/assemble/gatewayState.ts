/**
 * A Gateway's overall state, from its conditions and its load balancer.
 */
import {
  ConditionSummary,
  gatewayConditionState,
  GatewayState,
  LoadBalancerSummary,
  StatusError,
} from '@gateway-portal/plugin-aws-gateway-common';
import { findCondition } from '../../kubernetes/topology';
import { Gateway } from '../../kubernetes/types';

/**
 * A condition as the card shows it: only the known fields, copied (the
 * object comes from the API server).
 */
export function conditionSummary(
  c: ConditionSummary | undefined,
): ConditionSummary | undefined {
  if (!c) return undefined;
  return {
    type: c.type,
    status: c.status,
    ...(c.reason ? { reason: c.reason } : {}),
    ...(c.message ? { message: c.message } : {}),
    ...(c.lastTransitionTime
      ? { lastTransitionTime: String(c.lastTransitionTime) }
      : {}),
    ...(c.observedGeneration !== undefined
      ? { observedGeneration: c.observedGeneration }
      : {}),
  };
}

function describeCondition(c: ConditionSummary): string {
  return [c.reason, c.message].filter(Boolean).join(': ');
}

/** The overall state and one line saying why. */
export function gatewayState(
  gw: Gateway,
  loadBalancer: LoadBalancerSummary | undefined,
  errors: StatusError[],
): { state: GatewayState; stateReason: string } {
  const accepted = findCondition(gw.status?.conditions, 'Accepted');
  const programmed = findCondition(gw.status?.conditions, 'Programmed');
  // The Kubernetes side by the rule the catalog shares; the load balancer refines it.
  const fromConditions = gatewayConditionState({
    deleting: Boolean(gw.metadata.deletionTimestamp),
    accepted: accepted?.status,
    programmed: programmed?.status,
  });
  if (fromConditions === 'removing') {
    // Deleted, held by the controller's finalizer until its NLB is gone: whatever the conditions still say.
    const since = new Date(gw.metadata.deletionTimestamp ?? '');
    return {
      state: 'removing',
      stateReason: `Being removed${
        Number.isNaN(since.getTime()) ? '' : ` since ${since.toISOString()}`
      }: the controller deletes the load balancer, then the Gateway goes away`,
    };
  }
  if (fromConditions === 'error') {
    const [what, failed] =
      accepted?.status === 'False'
        ? ['Not accepted', accepted]
        : ['Not programmed', programmed];
    return {
      state: 'error',
      stateReason: `${what}: ${failed ? describeCondition(failed) : ''}`,
    };
  }
  if (loadBalancer?.state === 'failed') {
    return {
      state: 'error',
      stateReason: `The load balancer failed${
        loadBalancer.stateReason ? `: ${loadBalancer.stateReason}` : ''
      }`,
    };
  }
  if (fromConditions === 'programmed') {
    if (loadBalancer?.state === 'provisioning') {
      return {
        state: 'provisioning',
        stateReason: 'The load balancer is provisioning',
      };
    }
    if (
      !loadBalancer &&
      errors.some(e => e.part === 'aws' && e.kind === 'not-found')
    ) {
      return {
        state: 'error',
        stateReason: 'Programmed, but its load balancer was not found',
      };
    }
    return {
      state: 'programmed',
      stateReason: 'Programmed: the load balancer is active',
    };
  }
  if (fromConditions === 'provisioning') {
    return {
      state: 'provisioning',
      stateReason: programmed
        ? `Accepted, not yet programmed: ${describeCondition(programmed)}`
        : 'Accepted, not yet programmed',
    };
  }
  return {
    state: 'unknown',
    stateReason: accepted?.message
      ? `No status from the controller yet (${accepted.message})`
      : 'No status from the controller yet',
  };
}

/**
 * The listeners of a Gateway as the card shows them: each with its routes,
 * its load balancer listener and its target groups with their targets.
 */
import { Listener } from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  HealthCounts,
  ListenerSummary,
  RouteSummary,
  TargetGroupSummary,
} from '@gateway-portal/plugin-aws-gateway-common';
import { elbv2ConsoleUrl } from '@gateway-portal/plugin-aws-gateway-node';
import {
  backendsOf,
  bindingServes,
  findCondition,
  parentConditionsOf,
  routeTargetsListener,
} from '../../kubernetes/topology';
import { Gateway, GatewayListener, L4Route } from '../../kubernetes/types';
import { conditionSummary } from './gatewayState';
import { GatewayFacts } from './gatewayFacts';

function routeSummary(route: L4Route, gw: Gateway): RouteSummary {
  const conditions = parentConditionsOf(route, gw);
  const accepted = conditionSummary(findCondition(conditions, 'Accepted'));
  const resolvedRefs = conditionSummary(
    findCondition(conditions, 'ResolvedRefs'),
  );
  return {
    kind: route.kind,
    apiVersion: route.apiVersion,
    namespace: route.metadata.namespace ?? '',
    name: route.metadata.name,
    ...(accepted ? { accepted } : {}),
    ...(resolvedRefs ? { resolvedRefs } : {}),
    backends: backendsOf(route),
  };
}

export function healthCounts(targets: Array<{ state: string }>): HealthCounts {
  const counts: HealthCounts = {
    healthy: 0,
    unhealthy: 0,
    initial: 0,
    draining: 0,
    unused: 0,
    unavailable: 0,
    total: targets.length,
  };
  for (const t of targets) {
    if (t.state === 'unhealthy.draining') counts.draining++;
    else if (t.state in counts && t.state !== 'total')
      counts[t.state as keyof HealthCounts]++;
  }
  return counts;
}

function targetGroupSummary(
  arn: string,
  facts: GatewayFacts,
  weight: number | undefined,
): TargetGroupSummary {
  const tg = facts.targetGroups.get(arn);
  const binding = facts.bindings.find(b => b.spec?.targetGroupARN === arn);
  const targets = (tg?.health ?? []).map(d => {
    const id = d.Target?.Id ?? '';
    const endpoint = facts.podsByAddress.get(id);
    const pod = endpoint && {
      namespace: endpoint.namespace,
      name: endpoint.name,
      ...(endpoint.nodeName ? { nodeName: endpoint.nodeName } : {}),
    };
    // ELBv2 leaves AvailabilityZone out for many ip targets (and moto always
    // does); the EndpointSlice knows the pod's zone.
    const availabilityZone = d.Target?.AvailabilityZone || endpoint?.zone;
    return {
      id,
      ...(d.Target?.Port !== undefined ? { port: d.Target.Port } : {}),
      ...(availabilityZone ? { availabilityZone } : {}),
      state: d.TargetHealth?.State ?? 'unknown',
      ...(d.TargetHealth?.Reason ? { reason: d.TargetHealth.Reason } : {}),
      ...(d.TargetHealth?.Description
        ? { description: d.TargetHealth.Description }
        : {}),
      ...(pod ? { pod } : {}),
    };
  });
  const targetType = tg?.targetGroup?.TargetType ?? binding?.spec?.targetType;
  return {
    arn,
    name:
      tg?.targetGroup?.TargetGroupName ??
      binding?.metadata.name ??
      arn.split('/').slice(-2, -1)[0] ??
      arn,
    ...(tg?.targetGroup?.Protocol ? { protocol: tg.targetGroup.Protocol } : {}),
    ...(tg?.targetGroup?.Port !== undefined
      ? { port: tg.targetGroup.Port }
      : {}),
    ...(targetType ? { targetType } : {}),
    // Only trusted ARNs reach here (the load balancer's own target groups).
    consoleUrl: elbv2ConsoleUrl(arn, 'targetGroup')!,
    ...(binding
      ? {
          service: {
            namespace: binding.metadata.namespace ?? '',
            name: binding.spec.serviceRef.name,
            port: binding.spec.serviceRef.port,
          },
        }
      : {}),
    ...(weight !== undefined ? { weight } : {}),
    health: healthCounts(targets),
    targets,
    errors: tg?.errors ?? [],
  };
}

/** Target group ARNs an NLB listener forwards to. */
export function forwardTargetGroupArns(
  listener: Listener | undefined,
): string[] {
  const arns = new Set<string>();
  for (const action of listener?.DefaultActions ?? []) {
    if (action.TargetGroupArn) arns.add(action.TargetGroupArn);
    for (const t of action.ForwardConfig?.TargetGroups ?? []) {
      if (t.TargetGroupArn) arns.add(t.TargetGroupArn);
    }
  }
  return [...arns];
}

/** Each target group's weight in an NLB listener's forward actions. */
export function forwardWeights(
  listener: Listener | undefined,
): Map<string, number> {
  const weights = new Map<string, number>();
  for (const action of listener?.DefaultActions ?? []) {
    for (const t of action.ForwardConfig?.TargetGroups ?? []) {
      if (t.TargetGroupArn && t.Weight !== undefined)
        weights.set(t.TargetGroupArn, t.Weight);
    }
  }
  return weights;
}

/**
 * Target groups of a Gateway listener: its NLB listener's, and the bindings
 * of its routes' backends; only those read as the load balancer's own.
 */
export function targetGroupArnsOf(
  listener: GatewayListener,
  routes: L4Route[],
  facts: Pick<
    GatewayFacts,
    'bindings' | 'loadBalancerListeners' | 'targetGroups'
  >,
): string[] {
  const nlbListener = facts.loadBalancerListeners.find(
    l => l.Port === listener.port,
  );
  const arns = new Set(forwardTargetGroupArns(nlbListener));
  const backends = routes.flatMap(backendsOf);
  for (const b of facts.bindings) {
    if (b.spec?.targetGroupARN && backends.some(be => bindingServes(b, be))) {
      arns.add(b.spec.targetGroupARN);
    }
  }
  return [...arns].filter(arn => facts.targetGroups.has(arn));
}

export function listenerSummary(
  listener: GatewayListener,
  facts: GatewayFacts,
): ListenerSummary {
  const gw = facts.gateway;
  const listenerStatus = gw.status?.listeners?.find(
    l => l.name === listener.name,
  );
  const routes = facts.routes.filter(r =>
    routeTargetsListener(r, gw, listener),
  );
  const nlbListener = facts.loadBalancerListeners.find(
    l => l.Port === listener.port,
  );
  const weights = forwardWeights(nlbListener);
  return {
    name: listener.name,
    port: listener.port,
    protocol: listener.protocol,
    ...(listenerStatus?.attachedRoutes !== undefined
      ? { attachedRoutes: listenerStatus.attachedRoutes }
      : {}),
    conditions: (listenerStatus?.conditions ?? []).map(
      c => conditionSummary(c)!,
    ),
    routes: routes.map(r => routeSummary(r, gw)),
    ...(nlbListener?.ListenerArn
      ? {
          loadBalancerListener: {
            arn: nlbListener.ListenerArn,
            port: nlbListener.Port ?? listener.port,
            protocol: nlbListener.Protocol ?? '',
          },
        }
      : {}),
    targetGroups: targetGroupArnsOf(listener, routes, facts).map(arn =>
      targetGroupSummary(arn, facts, weights.get(arn)),
    ),
  };
}

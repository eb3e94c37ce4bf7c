/**
 * Turns what was read about one Gateway (Kubernetes objects, ELBv2 answers,
 * errors) into the GatewayStatus the card draws. Pure: no I/O.
 */
import {
  Listener,
  TargetGroup,
  TargetHealthDescription,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  ConditionSummary,
  GatewayState,
  GatewayStatus,
  HealthCounts,
  ListenerSummary,
  LoadBalancerSummary,
  RouteSummary,
  StatusError,
  TargetGroupSummary,
} from '@gateway-portal/plugin-aws-gateway-common';
import { elbv2ConsoleUrl } from '@gateway-portal/plugin-aws-gateway-node';
import {
  backendsOf,
  bindingServes,
  EndpointPod,
  findCondition,
  parentConditionsOf,
  routeTargetsListener,
} from '../kubernetes/topology';
import {
  Condition,
  Gateway,
  GatewayClass,
  GatewayListener,
  L4Route,
  Service,
  TargetGroupBinding,
  TargetGroupConfiguration,
} from '../kubernetes/types';
import { gatewayWarnings } from '../warnings';

export interface TargetGroupFacts {
  arn: string;
  targetGroup?: TargetGroup;
  health?: TargetHealthDescription[];
  errors: StatusError[];
}


/** Everything read about one Gateway. */
export interface GatewayFacts {
  cluster: string;
  gateway: Gateway;
  gatewayClass?: GatewayClass;
  /** Routes with a parentRef to the Gateway. */
  routes: L4Route[];
  /** The Gateway's TargetGroupBindings. */
  bindings: TargetGroupBinding[];
  loadBalancerSettings: { scheme?: string; sourceRanges?: string[] };
  targetGroupConfigurations: TargetGroupConfiguration[];
  services: Service[];
  podsByAddress: Map<string, EndpointPod>;
  loadBalancer?: LoadBalancerSummary;
  loadBalancerListeners: Listener[];
  targetGroups: Map<string, TargetGroupFacts>;
  errors: StatusError[];
}

export function conditionSummary(
  c: Condition | undefined,
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

function describeCondition(c: Condition): string {
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
  if (accepted?.status === 'False') {
    return {
      state: 'error',
      stateReason: `Not accepted: ${describeCondition(accepted)}`,
    };
  }
  if (programmed?.status === 'False') {
    return {
      state: 'error',
      stateReason: `Not programmed: ${describeCondition(programmed)}`,
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
  if (programmed?.status === 'True') {
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
  if (accepted?.status === 'True') {
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

function listenerSummary(
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
      targetGroupSummary(arn, facts),
    ),
  };
}

export function buildGatewayStatus(facts: GatewayFacts): GatewayStatus {
  const gw = facts.gateway;
  const accepted = conditionSummary(
    findCondition(gw.status?.conditions, 'Accepted'),
  );
  const programmed = conditionSummary(
    findCondition(gw.status?.conditions, 'Programmed'),
  );
  const observedGeneration = Math.min(
    ...(gw.status?.conditions ?? [])
      .map(c => c.observedGeneration)
      .filter((g): g is number => typeof g === 'number'),
  );
  const { state, stateReason } = gatewayState(
    gw,
    facts.loadBalancer,
    facts.errors,
  );
  const dnsName =
    gw.status?.addresses?.[0]?.value ||
    facts.loadBalancer?.dnsName ||
    undefined;
  const listeners = (gw.spec?.listeners ?? []).map(l =>
    listenerSummary(l, facts),
  );
  const status: GatewayStatus = {
    gateway: {
      cluster: facts.cluster,
      namespace: gw.metadata.namespace ?? '',
      name: gw.metadata.name,
    },
    gatewayClassName: gw.spec?.gatewayClassName ?? '',
    state,
    stateReason,
    ...(accepted ? { accepted } : {}),
    ...(programmed ? { programmed } : {}),
    ...(gw.metadata.generation !== undefined
      ? { generation: gw.metadata.generation }
      : {}),
    ...(Number.isFinite(observedGeneration) ? { observedGeneration } : {}),
    ...(dnsName ? { dnsName } : {}),
    ...(facts.loadBalancer ? { loadBalancer: facts.loadBalancer } : {}),
    ...(facts.loadBalancerSettings.scheme
      ? { requestedScheme: facts.loadBalancerSettings.scheme }
      : {}),
    ...(facts.loadBalancerSettings.sourceRanges
      ? { sourceRanges: facts.loadBalancerSettings.sourceRanges }
      : {}),
    listeners,
    warnings: [],
    errors: facts.errors,
  };
  status.warnings = gatewayWarnings(status, facts);
  return status;
}

/**
 * Turns what was read about one Gateway (Kubernetes objects, ELBv2 answers,
 * errors) into the GatewayStatus the card draws. Pure: no I/O.
 */
import { GatewayStatus } from '@gateway-portal/plugin-aws-gateway-common';
import { findCondition } from '../../kubernetes/topology';
import { gatewayWarnings } from '../../warnings';
import { ObservedGatewayStatus } from '../../warnings/observedStatus';
import { GatewayFacts } from './gatewayFacts';
import { conditionSummary, gatewayState } from './gatewayState';
import { listenerSummary } from './listenerSummaries';

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
  // What the warnings look at: everything but the warnings themselves.
  const observed: ObservedGatewayStatus = {
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
    errors: facts.errors,
  };
  return { ...observed, warnings: gatewayWarnings(observed, facts) };
}

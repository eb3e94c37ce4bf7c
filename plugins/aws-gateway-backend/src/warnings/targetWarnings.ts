/**
 * Warnings about load balancing: TLS passthrough before a TLS target group,
 * instance targets behind a ClusterIP Service, a load balancer open to the
 * world, unhealthy or missing targets.
 */
import { GatewayWarning } from '@gateway-portal/plugin-aws-gateway-common';
import { backendsOf, configuredTargetTypeOf } from '../kubernetes/topology';
import { GatewayFacts } from '../service/assemble/gatewayFacts';
import { ObservedGatewayStatus } from './observedStatus';

const OPEN_RANGES = new Set(['0.0.0.0/0', '::/0']);

export function instanceTargetsOnClusterIp(
  facts: GatewayFacts,
  status: ObservedGatewayStatus,
): GatewayWarning[] {
  const warnings: GatewayWarning[] = [];
  const seen = new Set<string>();
  for (const route of facts.routes) {
    for (const backend of backendsOf(route)) {
      if (backend.kind !== 'Service') continue;
      const key = `${backend.namespace}/${backend.name}`;
      if (seen.has(key)) continue;
      const service = facts.services.find(
        s =>
          s.metadata.namespace === backend.namespace &&
          s.metadata.name === backend.name,
      );
      if (!service) continue;
      const type = service.spec?.type ?? 'ClusterIP';
      if (type !== 'ClusterIP') continue;
      const actual = status.listeners
        .flatMap(l => l.targetGroups)
        .find(
          tg =>
            tg.service?.namespace === backend.namespace &&
            tg.service?.name === backend.name,
        )?.targetType;
      const targetType =
        actual ??
        configuredTargetTypeOf(
          route,
          backend,
          facts.targetGroupConfigurations,
        ) ??
        'instance';
      if (targetType !== 'instance') continue;
      seen.add(key);
      warnings.push({
        code: 'instance-target-clusterip',
        message:
          status.accepted?.status === 'False'
            ? `Service ${key} is ClusterIP but its targets are of type instance (the controller's default): the controller cannot build the load balancer ("TargetGroup port is empty", in the Gateway's FailedBuildModel events), so the Gateway is not accepted and no listener is created.`
            : `Service ${key} is ClusterIP but its targets are of type instance (the controller's default); the target group gets no targets ("TargetGroup port is empty").`,
        fix: `Add a TargetGroupConfiguration in namespace ${backend.namespace} with targetReference {kind: Service, name: ${backend.name}} and defaultConfiguration.targetType: ip.`,
      });
    }
  }
  return warnings;
}

/** The Gateway spec's TLS mode of a listener (the summary carries only the protocol). */
function tlsModeOf(facts: GatewayFacts, listener: string): string | undefined {
  const spec = facts.gateway.spec?.listeners?.find(l => l.name === listener) as
    | { tls?: { mode?: string } }
    | undefined;
  return spec?.tls?.mode;
}

/**
 * TLS passthrough becomes a TCP load balancer listener; without a
 * TargetGroupConfiguration protocol the controller gives it a TLS target
 * group, a pair real AWS refuses (moto accepts it).
 */
export function tlsPassthroughToTlsTargetGroup(
  status: ObservedGatewayStatus,
  facts: GatewayFacts,
): GatewayWarning[] {
  const warnings: GatewayWarning[] = [];
  for (const l of status.listeners) {
    if (l.protocol !== 'TLS' || tlsModeOf(facts, l.name) !== 'Passthrough') {
      continue;
    }
    for (const tg of l.targetGroups.filter(t => t.protocol === 'TLS')) {
      const service = tg.service
        ? `Service ${tg.service.namespace}/${tg.service.name}`
        : 'the backend Service';
      warnings.push({
        code: 'tls-passthrough-tls-target-group',
        listener: l.name,
        message: `Listener ${l.name} passes TLS through (a TCP listener on the load balancer), but target group ${tg.name} is TLS: AWS refuses a TCP listener forwarding to a TLS target group (IncompatibleProtocols), so port ${l.port} does not work.`,
        fix: `Set protocol: TCP in the TargetGroupConfiguration of ${service} (defaultConfiguration, or the route's routeConfigurations entry): the load balancer then hands the TLS stream to the pods untouched. It does no SNI routing; one route per port gets all traffic.`,
      });
    }
  }
  return warnings;
}

export function openToWorld(
  facts: GatewayFacts,
  status: ObservedGatewayStatus,
): GatewayWarning[] {
  const scheme =
    status.loadBalancer?.scheme ?? facts.loadBalancerSettings.scheme;
  if (scheme !== 'internet-facing') return [];
  const ranges = facts.loadBalancerSettings.sourceRanges;
  const open = !ranges?.length || ranges.some(r => OPEN_RANGES.has(r.trim()));
  if (!open) return [];
  return [
    {
      code: 'open-to-world',
      message: ranges?.length
        ? `The internet-facing load balancer accepts traffic from ${ranges
            .filter(r => OPEN_RANGES.has(r.trim()))
            .join(' and ')}.`
        : 'The internet-facing load balancer sets no sourceRanges, so it is open to 0.0.0.0/0 and ::/0.',
      fix: 'Set sourceRanges in the LoadBalancerConfiguration to the CIDR ranges that need access.',
    },
  ];
}

export function targetHealth(status: ObservedGatewayStatus): GatewayWarning[] {
  const warnings: GatewayWarning[] = [];
  for (const l of status.listeners) {
    for (const tg of l.targetGroups) {
      if (tg.errors.length) continue;
      const bad = tg.targets.filter(
        t => t.state === 'unhealthy' || t.state === 'unavailable',
      );
      if (bad.length) {
        const reasons = [
          ...new Set(bad.map(t => t.reason ?? t.description).filter(Boolean)),
        ];
        warnings.push({
          code: 'unhealthy-targets',
          listener: l.name,
          message: `${bad.length} of ${
            tg.health.total
          } targets of target group ${tg.name} are not healthy${
            reasons.length ? ` (${reasons.join(', ')})` : ''
          }.`,
          fix: `Check that the pods are ready and listen on port ${
            tg.targets[0]?.port ?? tg.port ?? 'of the target group'
          }, that the health check (TargetGroupConfiguration healthCheckConfig) matches the application, and that security groups let the load balancer reach the pods.`,
        });
      } else if (tg.health.total === 0) {
        warnings.push({
          code: 'no-targets',
          listener: l.name,
          message: `Target group ${tg.name} has no registered targets.`,
          fix: "Check that the Service's selector matches ready pods and read the TargetGroupBinding's status and events.",
        });
      }
    }
  }
  return warnings;
}

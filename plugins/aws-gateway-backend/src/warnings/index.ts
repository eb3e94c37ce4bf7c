/**
 * Problems worth fixing on a Gateway, each with how to fix it. These are the
 * mistakes users of the AWS Load Balancer Controller report most.
 */
import { GatewayWarning } from '@gateway-portal/plugin-aws-gateway-common';
import { GatewayFacts } from '../service/assemble/gatewayFacts';
import { ObservedGatewayStatus } from './observedStatus';
import {
  listenersWithoutRoutes,
  routesNotAccepted,
  shadowedRoutes,
  staleStatus,
} from './routeWarnings';
import {
  instanceTargetsOnClusterIp,
  openToWorld,
  targetHealth,
  tlsPassthroughToTlsTargetGroup,
} from './targetWarnings';

/**
 * All warnings for one Gateway. None while it is being removed: each fix
 * would rebuild or repair what is going away (its routes are pruned first,
 * and its deletion bumps its generation without a new status).
 */
export function gatewayWarnings(
  status: ObservedGatewayStatus,
  facts: GatewayFacts,
): GatewayWarning[] {
  if (status.state === 'removing') return [];
  return [
    ...staleStatus(status),
    ...listenersWithoutRoutes(status),
    ...routesNotAccepted(status),
    ...shadowedRoutes(status),
    ...tlsPassthroughToTlsTargetGroup(status, facts),
    ...instanceTargetsOnClusterIp(facts, status),
    ...openToWorld(facts, status),
    ...targetHealth(status),
  ];
}

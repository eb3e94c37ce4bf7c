import {
  EndpointSpec,
  ManifestIssue,
} from '@gateway-portal/plugin-aws-gateway-common';
import { portIssues } from './endpointPortIssues';
import { EndpointValidationContext } from './endpointValidationContext';
import {
  backendKey,
  DEFAULT_BACKEND_WEIGHT,
  dnsLabelIssue,
  listenerHostnameIssue,
  tlsListenerHostnameIssue,
  tlsPortSharingConflict,
} from './rules';

/** Gateway API CRD: at most 64 listeners; ELBv2 quota: 50 listeners per NLB. */
const MAX_LISTENERS = 50;

function oneListenerIssues(
  spec: EndpointSpec,
  ctx: EndpointValidationContext,
  i: number,
): ManifestIssue[] {
  const listener = spec.listeners[i];
  const field = `listeners[${i}]`;
  const issues: ManifestIssue[] = [];
  const nameIssue = dnsLabelIssue(listener.name, `${field}.name`);
  if (nameIssue) issues.push(nameIssue);
  if (spec.listeners.slice(0, i).some(l => l.name === listener.name)) {
    issues.push({
      field: `${field}.name`,
      rule: 'listener-name-unique',
      message: `${field}.name "${listener.name}" is used by another listener`,
    });
  }
  issues.push(...portIssues(listener.port, `${field}.port`, ctx.guardrails));
  const hostnameIssue = listenerHostnameIssue(
    listener.protocol,
    listener.hostname,
    `${field}.hostname`,
  );
  if (hostnameIssue) issues.push(hostnameIssue);
  if (listener.protocol === 'TLS') {
    const tlsHostname = tlsListenerHostnameIssue(
      listener.hostname,
      `${field}.hostname`,
    );
    if (tlsHostname) issues.push(tlsHostname);
  }
  if (!spec.routes.some(r => r.listener === listener.name)) {
    issues.push({
      field,
      rule: 'listener-without-route',
      message: `listener "${listener.name}" has no route: the NLB gets no listener for port ${listener.port} until a route attaches`,
    });
  }
  return issues;
}

/**
 * Listeners that share a port. The NLB has one listener per port: TCP and
 * UDP on one port become one TCP_UDP listener whose target groups the
 * controller builds from the oldest route only (the other route stays
 * Accepted with no target group). So both routes must send to the same
 * backends, or one of them would silently get no traffic. TLS passthrough is
 * TCP on the wire but needs TCP target groups, which cannot serve UDP.
 */
function sharedPortIssues(spec: EndpointSpec): ManifestIssue[] {
  const issues: ManifestIssue[] = [];
  spec.listeners.forEach((listener, i) => {
    const field = `listeners[${i}].port`;
    const earlier = spec.listeners
      .slice(0, i)
      .find(l => l.port === listener.port);
    if (!earlier) return;
    const protocols = new Set([earlier.protocol, listener.protocol]);
    if (protocols.size === 1 || !protocols.has('UDP')) {
      issues.push({
        field,
        rule: 'listener-port-unique',
        message: `${field} ${listener.port} is already used by listener "${earlier.name}" (${earlier.protocol}): one port serves one TCP (or TLS) listener and one UDP listener at most`,
      });
      return;
    }
    const tls = tlsPortSharingConflict(earlier.protocol, listener.protocol);
    if (tls) {
      issues.push({
        field,
        rule: tls.rule,
        message: `${field} ${listener.port} is also TLS listener "${
          [earlier, listener].find(l => l.protocol === 'TLS')!.name
        }"'s port: ${tls.reason}; give the UDP listener a port of its own`,
      });
      return;
    }
    const earlierRoute = spec.routes.find(r => r.listener === earlier.name);
    const j = spec.routes.findIndex(r => r.listener === listener.name);
    if (!earlierRoute || j < 0) return;
    const keys = (backends: EndpointSpec['routes'][number]['backends']) =>
      backends
        .map(b => `${backendKey(b)}@${b.weight ?? DEFAULT_BACKEND_WEIGHT}`)
        .sort()
        .join(',');
    if (keys(earlierRoute.backends) !== keys(spec.routes[j].backends)) {
      issues.push({
        field: `routes[${j}].backends`,
        rule: 'tcp-udp-same-backends',
        message: `routes[${j}].backends must be the same Services, ports and weights as route "${earlierRoute.name}"'s: TCP and UDP on port ${listener.port} become one TCP_UDP load balancer listener, which forwards only to the backends of the oldest of the two routes, so the other route's backends would get no traffic`,
      });
    }
  });
  return issues;
}

/** The Gateway's listeners: count, names, ports (and the ports they share), host names, a route each. */
export function listenerIssues(
  spec: EndpointSpec,
  ctx: EndpointValidationContext,
): ManifestIssue[] {
  const issues: ManifestIssue[] = [];
  if (spec.listeners.length === 0 || spec.listeners.length > MAX_LISTENERS) {
    issues.push({
      field: 'listeners',
      rule: 'listener-count',
      message: `listeners must have 1 to ${MAX_LISTENERS} entries (got ${spec.listeners.length})`,
    });
  }
  spec.listeners.forEach((_listener, i) =>
    issues.push(...oneListenerIssues(spec, ctx, i)),
  );
  return [...issues, ...sharedPortIssues(spec)];
}

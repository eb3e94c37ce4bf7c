import {
  EndpointSpec,
  ManifestIssue,
} from '@gateway-portal/plugin-aws-gateway-common';
import { EndpointValidationContext } from './endpointValidationContext';
import { instanceTargetIssue } from './rules';

/** A backend's Service as the cluster reports it: present, with the port. */
export function serviceIssues(
  spec: EndpointSpec,
  ctx: EndpointValidationContext,
  serviceName: string,
  port: number,
  field: string,
): ManifestIssue[] {
  if (!ctx.services) return [];
  const service = ctx.services.get(serviceName);
  if (!service) {
    return [
      {
        field: `${field}.service`,
        rule: 'service-not-found',
        message: `${field}.service: Service ${spec.namespace}/${serviceName} does not exist in the cluster`,
      },
    ];
  }
  const issues: ManifestIssue[] = [];
  if (!service.ports.includes(port)) {
    issues.push({
      field: `${field}.port`,
      rule: 'service-port-not-found',
      message: `${field}.port ${port} is not a port of Service ${
        spec.namespace
      }/${serviceName} (it has ${service.ports.join(', ') || 'none'})`,
    });
  }
  const targetIssue = instanceTargetIssue(
    spec.targetType,
    service,
    'targetType',
  );
  if (targetIssue) issues.push(targetIssue);
  return issues;
}

/**
 * Services behind a TLS listener get a TargetGroupConfiguration with
 * `protocol: TCP` (see renderEndpoint); one that is also behind a UDP listener
 * would get a TCP target group there too, so the two cannot share a Service.
 */
export function tlsPassthroughIssues(spec: EndpointSpec): ManifestIssue[] {
  const protocolsOf = new Map<string, Set<string>>();
  for (const route of spec.routes) {
    const protocol = spec.listeners.find(
      l => l.name === route.listener,
    )?.protocol;
    for (const backend of route.backends) {
      if (!protocolsOf.has(backend.service))
        protocolsOf.set(backend.service, new Set());
      if (protocol) protocolsOf.get(backend.service)!.add(protocol);
    }
  }
  const issues: ManifestIssue[] = [];
  for (const [service, protocols] of protocolsOf) {
    if (protocols.has('TLS') && protocols.has('UDP')) {
      issues.push({
        field: 'routes',
        rule: 'tls-passthrough-udp-service',
        message: `routes: Service ${service} is behind a TLS listener and a UDP listener; its TargetGroupConfiguration must say protocol TCP for TLS passthrough, which would break UDP: use a separate Service for UDP`,
      });
    }
  }
  return issues;
}

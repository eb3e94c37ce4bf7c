import {
  EndpointSpec,
  ManifestIssue,
} from '@gateway-portal/plugin-aws-gateway-common';
import { serviceIssues, tlsPassthroughIssues } from './endpointBackendIssues';
import { healthCheckIssues } from './endpointHealthCheckIssues';
import { identityIssues } from './endpointIdentityIssues';
import { portIssues } from './endpointPortIssues';
import { EndpointValidationContext } from './endpointValidationContext';
import {
  dnsLabelIssue,
  dnsSubdomainIssue,
  listenerHostnameIssue,
  loadBalancerTagIssues,
  sourceRangeIssues,
} from './rules';

/** Limits from the Gateway API CRDs and ELBv2 quotas. */
const MAX_LISTENERS = 50;
const MAX_BACKENDS_PER_ROUTE = 16;
const MAX_WEIGHT = 1_000_000;

function listenerIssues(
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
  const names = new Set<string>();
  const ports = new Map<string, string>();
  spec.listeners.forEach((listener, i) => {
    const field = `listeners[${i}]`;
    const nameIssue = dnsLabelIssue(listener.name, `${field}.name`);
    if (nameIssue) issues.push(nameIssue);
    if (names.has(listener.name)) {
      issues.push({
        field: `${field}.name`,
        rule: 'listener-name-unique',
        message: `${field}.name "${listener.name}" is used by another listener`,
      });
    }
    names.add(listener.name);
    issues.push(...portIssues(listener.port, `${field}.port`, ctx.guardrails));
    // TCP and UDP may share a port (the NLB makes it TCP_UDP); TLS is TCP on the wire.
    const transport = listener.protocol === 'UDP' ? 'UDP' : 'TCP';
    const key = `${transport}:${listener.port}`;
    if (ports.has(key)) {
      issues.push({
        field: `${field}.port`,
        rule: 'listener-port-unique',
        message: `${field}.port ${
          listener.port
        } is already used by listener "${ports.get(
          key,
        )}" with the same transport`,
      });
    } else {
      ports.set(key, listener.name);
    }
    const hostnameIssue = listenerHostnameIssue(
      listener.protocol,
      listener.hostname,
      `${field}.hostname`,
    );
    if (hostnameIssue) issues.push(hostnameIssue);
    if (listener.protocol === 'TLS') {
      if (!listener.hostname) {
        issues.push({
          field: `${field}.hostname`,
          rule: 'tls-hostname-required',
          message: `${field}.hostname is required for TLS listeners: the Gateway API requires host names on TLS listeners and TLSRoutes (the NLB itself does not route by them)`,
        });
      } else {
        const subdomain = dnsSubdomainIssue(
          listener.hostname.replace(/^\*\./, ''),
          `${field}.hostname`,
        );
        if (subdomain) issues.push(subdomain);
      }
    }
    if (!spec.routes.some(r => r.listener === listener.name)) {
      issues.push({
        field: `${field}`,
        rule: 'listener-without-route',
        message: `listener "${listener.name}" has no route: the NLB gets no listener for port ${listener.port} until a route attaches`,
      });
    }
  });
  return issues;
}

function routeIssues(
  spec: EndpointSpec,
  ctx: EndpointValidationContext,
): ManifestIssue[] {
  const issues: ManifestIssue[] = [];
  const names = new Set<string>();
  const listenersTaken = new Map<string, string>();
  spec.routes.forEach((route, i) => {
    const field = `routes[${i}]`;
    const nameIssue = dnsSubdomainIssue(route.name, `${field}.name`);
    if (nameIssue) issues.push(nameIssue);
    if (names.has(route.name)) {
      issues.push({
        field: `${field}.name`,
        rule: 'route-name-unique',
        message: `${field}.name "${route.name}" is used by another route`,
      });
    }
    names.add(route.name);
    if (!spec.listeners.some(l => l.name === route.listener)) {
      issues.push({
        field: `${field}.listener`,
        rule: 'route-listener-unknown',
        message: `${field}.listener "${
          route.listener
        }" is not one of the listeners (${
          spec.listeners.map(l => l.name).join(', ') || 'none'
        })`,
      });
    } else if (listenersTaken.has(route.listener)) {
      issues.push({
        field: `${field}.listener`,
        rule: 'one-route-per-listener',
        message: `${field}.listener "${
          route.listener
        }" already has route "${listenersTaken.get(
          route.listener,
        )}": the controller serves only the oldest route per port; put both backends in one route`,
      });
    } else {
      listenersTaken.set(route.listener, route.name);
    }
    if (
      route.backends.length < 1 ||
      route.backends.length > MAX_BACKENDS_PER_ROUTE
    ) {
      issues.push({
        field: `${field}.backends`,
        rule: 'route-backend-count',
        message: `${field}.backends must have 1 to ${MAX_BACKENDS_PER_ROUTE} entries (got ${route.backends.length})`,
      });
    }
    route.backends.forEach((backend, j) => {
      const bField = `${field}.backends[${j}]`;
      const svcIssue = dnsLabelIssue(backend.service, `${bField}.service`);
      if (svcIssue) issues.push(svcIssue);
      issues.push(...portIssues(backend.port, `${bField}.port`));
      if (
        backend.weight !== undefined &&
        (!Number.isInteger(backend.weight) ||
          backend.weight < 0 ||
          backend.weight > MAX_WEIGHT)
      ) {
        issues.push({
          field: `${bField}.weight`,
          rule: 'backend-weight',
          message: `${bField}.weight ${backend.weight} must be an integer from 0 to ${MAX_WEIGHT}`,
        });
      }
      issues.push(
        ...serviceIssues(spec, ctx, backend.service, backend.port, bField),
      );
    });
    if (route.backends.length && route.backends.every(b => b.weight === 0)) {
      issues.push({
        field: `${field}.backends`,
        rule: 'backend-all-zero-weight',
        message: `${field}.backends all have weight 0: the controller creates no target group, so the endpoint would serve nothing`,
      });
    }
  });
  return issues;
}

/**
 * Our own rules for an endpoint request, each issue naming the input field:
 * the pitfalls the API server or the controller would otherwise report late
 * (or never), and the platform team's guardrails.
 *
 * @public
 */
export function validateEndpointSpec(
  spec: EndpointSpec,
  ctx: EndpointValidationContext,
): ManifestIssue[] {
  const issues = [
    ...identityIssues(spec, ctx),
    ...listenerIssues(spec, ctx),
    ...routeIssues(spec, ctx),
    ...sourceRangeIssues(
      spec.sourceCidrs,
      spec.scheme,
      ctx.guardrails,
      'an internet-facing endpoint',
    ),
    ...loadBalancerTagIssues(spec.tags),
    ...tlsPassthroughIssues(spec),
    ...healthCheckIssues(spec),
  ];
  // Several backends on one Service report the same Service problem once.
  const seen = new Set<string>();
  return issues.filter(i => {
    const key = `${i.field}\n${i.rule}\n${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

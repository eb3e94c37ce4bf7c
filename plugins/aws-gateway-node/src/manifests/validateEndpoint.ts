import {
  EndpointSpec,
  isLabelValue,
  ManifestIssue,
} from '@gateway-portal/plugin-aws-gateway-common';
import { describePortRanges, GatewayGuardrails } from './guardrails';
import {
  dnsLabelIssue,
  dnsSubdomainIssue,
  gatewayClassIssue,
  healthCheckProtocolIssue,
  instanceTargetIssue,
  listenerHostnameIssue,
  loadBalancerTagIssues,
  sourceRangeIssues,
} from './rules';
import { ObservedService } from './types';

/** Limits from the Gateway API CRDs and ELBv2 quotas. */
const MAX_LISTENERS = 50;
const MAX_BACKENDS_PER_ROUTE = 16;
const MAX_WEIGHT = 1_000_000;

/** Everything the validator knows besides the spec. @public */
export interface EndpointValidationContext {
  guardrails: GatewayGuardrails;
  /**
   * Backend Services as the cluster reports them, keyed by name. Undefined
   * when no cluster is configured: the Service checks are skipped then.
   */
  services?: Map<string, ObservedService | undefined>;
}

function portIssues(
  port: number,
  field: string,
  guardrails?: GatewayGuardrails,
): ManifestIssue[] {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    return [
      {
        field,
        rule: 'port-range',
        message: `${field} ${port} must be an integer from 1 to 65535`,
      },
    ];
  }
  if (
    guardrails &&
    !guardrails.allowedListenerPorts.some(r => port >= r.from && port <= r.to)
  ) {
    return [
      {
        field,
        rule: 'listener-port-not-allowed',
        message: `${field} ${port} is not an allowed listener port (configuration allows ${describePortRanges(
          guardrails.allowedListenerPorts,
        )})`,
      },
    ];
  }
  return [];
}

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

function serviceIssues(
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
function tlsPassthroughIssues(spec: EndpointSpec): ManifestIssue[] {
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

function healthCheckIssues(spec: EndpointSpec): ManifestIssue[] {
  const hc = spec.healthCheck;
  if (!hc) return [];
  const issues: ManifestIssue[] = [];
  const protocolIssue = healthCheckProtocolIssue(
    hc.protocol,
    'healthCheck.protocol',
  );
  if (protocolIssue) issues.push(protocolIssue);
  if (hc.path !== undefined && hc.protocol === 'TCP') {
    issues.push({
      field: 'healthCheck.path',
      rule: 'health-check-path-tcp',
      message:
        'healthCheck.path applies to HTTP and HTTPS health checks only, not TCP',
    });
  }
  if (hc.path !== undefined && !hc.path.startsWith('/')) {
    issues.push({
      field: 'healthCheck.path',
      rule: 'health-check-path',
      message: `healthCheck.path "${hc.path}" must start with "/"`,
    });
  }
  if (hc.port !== undefined && hc.port !== 'traffic-port') {
    issues.push(...portIssues(Number(hc.port), 'healthCheck.port'));
  }
  const ranges: Array<[keyof typeof hc, number, number]> = [
    ['intervalSeconds', 5, 300],
    ['timeoutSeconds', 2, 120],
    ['healthyThreshold', 2, 10],
    ['unhealthyThreshold', 2, 10],
  ];
  for (const [key, min, max] of ranges) {
    const value = hc[key];
    if (
      value !== undefined &&
      (!Number.isInteger(value) ||
        (value as number) < min ||
        (value as number) > max)
    ) {
      issues.push({
        field: `healthCheck.${key}`,
        rule: 'health-check-range',
        message: `healthCheck.${key} ${value} must be an integer from ${min} to ${max}`,
      });
    }
  }
  return issues;
}

function identityIssues(
  spec: EndpointSpec,
  ctx: EndpointValidationContext,
): ManifestIssue[] {
  const issues: ManifestIssue[] = [];
  for (const [field, value] of [
    ['name', spec.name],
    ['namespace', spec.namespace],
  ] as const) {
    const issue = dnsLabelIssue(value, field);
    if (issue) issues.push(issue);
  }
  const classIssue = gatewayClassIssue(
    spec.gatewayClassName,
    ctx.guardrails.allowedGatewayClassNames,
  );
  if (classIssue) issues.push(classIssue);
  const allowed = ctx.guardrails.allowedNamespaces;
  if (allowed && !allowed.includes(spec.namespace)) {
    issues.push({
      field: 'namespace',
      rule: 'namespace-not-allowed',
      message: `namespace "${
        spec.namespace
      }" is not allowed (configuration allows ${allowed.join(', ') || 'none'})`,
    });
  }
  if (spec.kubernetesId !== undefined && !isLabelValue(spec.kubernetesId)) {
    issues.push({
      field: 'kubernetesId',
      rule: 'label-value',
      message: `kubernetesId "${spec.kubernetesId}" is not a valid Kubernetes label value`,
    });
  }
  if (
    spec.loadBalancerName !== undefined &&
    (spec.loadBalancerName.length > 32 ||
      !/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/.test(
        spec.loadBalancerName,
      ) ||
      spec.loadBalancerName.startsWith('internal-'))
  ) {
    issues.push({
      field: 'loadBalancerName',
      rule: 'load-balancer-name',
      message: `loadBalancerName "${spec.loadBalancerName}" must be at most 32 letters, digits and hyphens, not start or end with a hyphen, and not start with "internal-"`,
    });
  }
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

import {
  EndpointRoute,
  EndpointSpec,
  ManifestIssue,
} from '@gateway-portal/plugin-aws-gateway-common';
import { serviceIssues } from './endpointBackendIssues';
import { portIssues } from './endpointPortIssues';
import { EndpointValidationContext } from './endpointValidationContext';
import {
  backendKey,
  dnsLabelIssue,
  dnsSubdomainIssue,
  MAX_FORWARD_WEIGHT,
} from './rules';

/** Gateway API CRD: at most 16 backendRefs per rule. */
const MAX_BACKENDS_PER_ROUTE = 16;

/** A route's backends: count, Services and ports (unique), weights (ELBv2 range, not all 0), the cluster's Services. */
function backendIssues(
  spec: EndpointSpec,
  ctx: EndpointValidationContext,
  route: EndpointRoute,
  field: string,
): ManifestIssue[] {
  const issues: ManifestIssue[] = [];
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
    const first = route.backends.findIndex(
      b => backendKey(b) === backendKey(backend),
    );
    if (first < j) {
      issues.push({
        field: bField,
        rule: 'backend-unique',
        message: `${bField}: Service ${backend.service} port ${backend.port} is already ${field}.backends[${first}]; name each Service port once and give it the sum of the weights`,
      });
    }
    if (
      backend.weight !== undefined &&
      (!Number.isInteger(backend.weight) ||
        backend.weight < 0 ||
        backend.weight > MAX_FORWARD_WEIGHT)
    ) {
      issues.push({
        field: `${bField}.weight`,
        rule: 'backend-weight',
        message: `${bField}.weight ${backend.weight} must be an integer from 0 to ${MAX_FORWARD_WEIGHT} (the load balancer's forward weights; only their ratio matters)`,
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
  return issues;
}

/** The routes: names (unique), the listener each attaches to (one route per listener), their backends. */
export function routeIssues(
  spec: EndpointSpec,
  ctx: EndpointValidationContext,
): ManifestIssue[] {
  const issues: ManifestIssue[] = [];
  spec.routes.forEach((route, i) => {
    const field = `routes[${i}]`;
    const nameIssue = dnsSubdomainIssue(route.name, `${field}.name`);
    if (nameIssue) issues.push(nameIssue);
    if (spec.routes.slice(0, i).some(r => r.name === route.name)) {
      issues.push({
        field: `${field}.name`,
        rule: 'route-name-unique',
        message: `${field}.name "${route.name}" is used by another route`,
      });
    }
    const earlier = spec.routes
      .slice(0, i)
      .find(r => r.listener === route.listener);
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
    } else if (earlier) {
      issues.push({
        field: `${field}.listener`,
        rule: 'one-route-per-listener',
        message: `${field}.listener "${route.listener}" already has route "${earlier.name}": the controller serves only the oldest route per port; put both backends in one route`,
      });
    }
    issues.push(...backendIssues(spec, ctx, route, field));
  });
  return issues;
}

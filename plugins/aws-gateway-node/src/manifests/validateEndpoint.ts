import {
  EndpointSpec,
  ManifestIssue,
} from '@gateway-portal/plugin-aws-gateway-common';
import { tlsPassthroughIssues } from './endpointBackendIssues';
import { healthCheckIssues } from './endpointHealthCheckIssues';
import { identityIssues } from './endpointIdentityIssues';
import { listenerIssues } from './endpointListenerIssues';
import { routeIssues } from './endpointRouteIssues';
import { EndpointValidationContext } from './endpointValidationContext';
import { loadBalancerTagIssues, sourceRangeIssues } from './rules';

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

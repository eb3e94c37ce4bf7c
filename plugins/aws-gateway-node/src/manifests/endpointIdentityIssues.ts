import {
  EndpointSpec,
  isLabelValue,
  ManifestIssue,
} from '@gateway-portal/plugin-aws-gateway-common';
import { EndpointValidationContext } from './endpointValidationContext';
import { dnsLabelIssue, gatewayClassIssue } from './rules';

/**
 * Names of the endpoint and where it lives: name, namespace (and the allowed
 * namespaces), GatewayClass, kubernetesId label and the NLB's own name.
 */
export function identityIssues(
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

import { ManifestIssue } from '@gateway-portal/plugin-aws-gateway-common';
import { GatewayGuardrails } from './guardrails';
import { ControllerSetupSpec } from './renderController';
import {
  dnsLabelIssue,
  dnsSubdomainIssue,
  gatewayClassIssue,
  loadBalancerTagIssues,
  sourceRangeIssues,
} from './rules';

/**
 * The manifest rules of a controller setup (GatewayClass and its default
 * LoadBalancerConfiguration): the render action checks its input with them,
 * and the commit action the input it rebuilds from the rendered files.
 *
 * @public
 */
export function validateControllerSetupSpec(
  spec: Pick<ControllerSetupSpec, 'gatewayClassName' | 'defaults'>,
  context: { guardrails: GatewayGuardrails },
): ManifestIssue[] {
  const { guardrails } = context;
  const { defaults } = spec;
  return [
    gatewayClassIssue(
      spec.gatewayClassName,
      guardrails.allowedGatewayClassNames,
    ),
    dnsSubdomainIssue(defaults.name, 'loadBalancerConfigurationName'),
    dnsLabelIssue(defaults.namespace, 'loadBalancerConfigurationNamespace'),
    ...sourceRangeIssues(
      defaults.sourceCidrs,
      defaults.scheme,
      guardrails,
      "the GatewayClass's internet-facing default (every Gateway of the class)",
    ),
    ...loadBalancerTagIssues(defaults.tags),
  ].filter((i): i is ManifestIssue => i !== undefined);
}

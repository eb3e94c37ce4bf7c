import {
  EndpointSpec,
  ManifestIssue,
} from '@gateway-portal/plugin-aws-gateway-common';
import { portIssues } from './endpointPortIssues';
import { healthCheckProtocolIssue } from './rules';

/** The target group health check: protocol, path, port and the ELBv2 ranges. */
export function healthCheckIssues(spec: EndpointSpec): ManifestIssue[] {
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
